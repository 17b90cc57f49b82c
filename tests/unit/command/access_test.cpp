// The access policy, table by table: who may run what, on which counter.

#include "command/access.hpp"

#include <gtest/gtest.h>

using namespace motcua::command;
using nlohmann::json;

namespace
{
bool allowed(const Actor& a, Access access, const json& args = json::object())
{
    return static_cast<bool>(authorise(a, access, args, "test"));
}

const json counter3{{"counter", 3}};
const json counter4{{"counter", 4}};
} // namespace

TEST(Access, SocketPeersAreAdministrators)
{
    const auto peer = Actor::socket_peer(1000, 42);
    for (auto access : {Access::read, Access::issue, Access::counter, Access::rate, Access::desk, Access::reports,
                        Access::devices, Access::accounts, Access::admin})
        EXPECT_TRUE(allowed(peer, access, counter3));
    EXPECT_EQ(peer.label(), "socket:uid=1000");
}

TEST(Access, AKeypadActsOnlyForItsOwnCounter)
{
    const auto keypad = Actor::device("bus-1", "q3", 3);
    EXPECT_TRUE(allowed(keypad, Access::counter, counter3));
    auto refused = authorise(keypad, Access::counter, counter4, "call");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "forbidden");
    EXPECT_NE(refused.error().message.find("device:bus-1/q3"), std::string::npos);
    EXPECT_NE(refused.error().message.find("counter 4"), std::string::npos);
    EXPECT_TRUE(allowed(keypad, Access::issue));  // a kiosk panel's button
    EXPECT_TRUE(allowed(keypad, Access::rate));   // a rating panel
    EXPECT_FALSE(allowed(keypad, Access::desk));
    EXPECT_FALSE(allowed(keypad, Access::reports));
    EXPECT_FALSE(allowed(keypad, Access::devices));
    EXPECT_FALSE(allowed(keypad, Access::accounts));
}

TEST(Access, AClerkActsOnHerCountersAndTheDesk)
{
    const auto clerk = Actor::web_user("lan", Role::clerk, {1, 3});
    EXPECT_TRUE(allowed(clerk, Access::counter, counter3));
    EXPECT_FALSE(allowed(clerk, Access::counter, counter4));
    EXPECT_TRUE(allowed(clerk, Access::desk));
    EXPECT_TRUE(allowed(clerk, Access::issue));
    EXPECT_TRUE(allowed(clerk, Access::read));
    EXPECT_FALSE(allowed(clerk, Access::reports));
    EXPECT_FALSE(allowed(clerk, Access::devices));
    EXPECT_FALSE(allowed(clerk, Access::admin));
    EXPECT_EQ(clerk.label(), "user:lan");
}

TEST(Access, SupervisorTechnicianAndAnonymous)
{
    const auto supervisor = Actor::web_user("hoa", Role::supervisor, {});
    EXPECT_TRUE(allowed(supervisor, Access::counter, counter4));
    EXPECT_TRUE(allowed(supervisor, Access::reports));
    EXPECT_FALSE(allowed(supervisor, Access::devices));
    EXPECT_FALSE(allowed(supervisor, Access::accounts));

    const auto technician = Actor::web_user("tuan", Role::technician, {});
    EXPECT_TRUE(allowed(technician, Access::devices));
    EXPECT_TRUE(allowed(technician, Access::read));
    EXPECT_FALSE(allowed(technician, Access::counter, counter3));
    EXPECT_FALSE(allowed(technician, Access::desk));

}

TEST(Access, APhonePageRatesItsOwnTicketAndDoesNothingElse)
{
    const auto phone = Actor::phone(57);
    EXPECT_EQ(phone.label(), "phone");
    EXPECT_TRUE(allowed(phone, Access::rate, json{{"ticket", 57}, {"score", 3}}));
    auto other = authorise(phone, Access::rate, json{{"ticket", 58}, {"score", 3}}, "rate");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, "forbidden");
    EXPECT_NE(other.error().message.find("its own ticket"), std::string::npos);
    EXPECT_FALSE(allowed(phone, Access::rate, json{{"ticket", "57"}, {"score", 3}})); // not by label
    EXPECT_FALSE(allowed(phone, Access::rate, json{{"score", 3}}));
    EXPECT_FALSE(allowed(phone, Access::rate, json::array()));
    for (auto access : {Access::read, Access::issue, Access::counter, Access::desk, Access::reports, Access::devices,
                        Access::accounts, Access::admin})
    {
        EXPECT_FALSE(allowed(phone, access, counter3));
        EXPECT_FALSE(allowed(phone, access)); // not even where the handler would check the counter
    }
    // A phone actor is a phone whatever role someone gave it.
    auto raised = Actor::phone(57);
    raised.role = Role::admin;
    EXPECT_FALSE(allowed(raised, Access::read));
    EXPECT_FALSE(allowed(raised, Access::rate, json{{"ticket", 58}, {"score", 3}}));
    // Without a ticket it rates nothing.
    Actor bare;
    bare.kind = Actor::Kind::phone;
    EXPECT_FALSE(allowed(bare, Access::rate, json{{"ticket", 0}, {"score", 3}}));
}

TEST(Access, ACounterOutOfRangeIsLeftToTheHandler)
{
    // The policy does not guess: an unreadable counter is the handler's bad_request.
    const auto keypad = Actor::device("bus-1", "q3", 3);
    EXPECT_TRUE(allowed(keypad, Access::counter, json{{"counter", "three"}}));
    EXPECT_TRUE(allowed(keypad, Access::counter, json{{"counter", 4294967299}}));
}
