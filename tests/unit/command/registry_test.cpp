// The registry: authorisation before the handler, and no failure escapes a run.

#include "command/registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

using namespace motcua;
using namespace motcua::command;

namespace
{
Result<json> run(const Registry& r, std::string_view name, const Actor& actor, const json& args)
{
    boost::asio::io_context io;
    Call call{actor, args};
    std::optional<Result<json>> out;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await r.run(name, call)); },
        [](std::exception_ptr failure) {
            if (failure)
                std::rethrow_exception(failure);
        });
    io.run();
    return std::move(*out);
}

struct Fixture : ::testing::Test
{
    Registry registry;
    int handled = 0;
    std::string seen_actor;
    void SetUp() override
    {
        registry.add("call", Access::counter, sync([this](Call& call) -> Result<json> {
            ++handled;
            seen_actor = call.actor.label();
            return json{{"counter", int_arg(call.args, "counter", 1, 99)}};
        }));
        registry.add("boom", Access::read, sync([](Call&) -> Result<json> { throw std::logic_error("bug"); }));
        registry.add("typed", Access::read, sync([](Call& call) -> Result<json> {
            return json{{"n", call.args.at("n").get<int>()}};
        }));
    }
};
} // namespace

TEST_F(Fixture, RunsTheHandlerForAnAllowedActor)
{
    auto r = run(registry, "call", Actor::device("bus-1", "q3", 3), json{{"counter", 3}});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ((*r)["counter"], 3);
    EXPECT_EQ(seen_actor, "device:bus-1/q3");
}

TEST_F(Fixture, RefusesBeforeTheHandlerRuns)
{
    auto r = run(registry, "call", Actor::device("bus-1", "q3", 3), json{{"counter", 4}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "forbidden");
    EXPECT_EQ(handled, 0);
}

TEST_F(Fixture, EveryFailureIsAnAnswer)
{
    const auto admin = Actor::socket_peer(0, 1);
    EXPECT_EQ(run(registry, "nope", admin, json::object()).error().code, "unknown_command");
    EXPECT_EQ(run(registry, "call", admin, json::array()).error().code, "bad_request");
    auto range = run(registry, "call", admin, json{{"counter", 4294967298LL}});
    ASSERT_FALSE(range);
    EXPECT_EQ(range.error().code, "bad_request");
    EXPECT_NE(range.error().message.find("\"counter\""), std::string::npos);
    EXPECT_EQ(run(registry, "typed", admin, json{{"n", "seven"}}).error().code, "bad_request");
    auto boom = run(registry, "boom", admin, json::object());
    ASSERT_FALSE(boom);
    EXPECT_EQ(boom.error().code, "internal_error");
    EXPECT_NE(boom.error().message.find("bug"), std::string::npos);
}
