// The accounts service on a real (in-memory) store: user.* through the command registry,
// sign-in with the lockout, and the journal rows, which never hold a password or its hash.

#include "app/accounts.hpp"

#include "store/accounts.hpp"
#include "store/journal.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace motcua::app
{
namespace
{
using command::json;

class AccountsService : public ::testing::Test
{
  protected:
    std::unique_ptr<store::Database> db = std::move(*store::Database::open(":memory:"));
    store::Journal journal{*db};
    Accounts accounts{*db,
                      [this](const command::Actor& actor, std::vector<store::JournalRow>& rows,
                             const std::function<Result<void>()>& also) {
                          return db->transaction([&]() -> Result<void> {
                              for (auto& row : rows)
                              {
                                  auto payload = json::parse(row.payload);
                                  payload["actor"] = actor.label();
                                  row.payload = payload.dump();
                                  if (auto a = journal.append(row); !a)
                                      return a;
                              }
                              return also ? also() : Result<void>{};
                          });
                      },
                      UtcOffset{}};
    command::Registry registry;
    boost::asio::io_context io;
    const command::Actor admin = command::Actor::socket_peer(0, 1);

    void SetUp() override { accounts.register_commands(registry); }

    // Runs a coroutine to its end. Result<T> has no default value, which co_spawn's
    // completion needs: the answer goes through an optional.
    template <class T>
    T run(boost::asio::awaitable<T> work)
    {
        std::optional<T> out;
        boost::asio::co_spawn(
            io,
            [](boost::asio::awaitable<T> w, std::optional<T>* o) -> boost::asio::awaitable<void> {
                o->emplace(co_await std::move(w));
            }(std::move(work), &out),
            [](std::exception_ptr e) {
                if (e)
                    std::rethrow_exception(e);
            });
        io.restart();
        io.run();
        return std::move(*out);
    }

    Result<json> command(const command::Actor& actor, const std::string& name, const json& args)
    {
        return run([](AccountsService* self, const command::Actor* a, std::string n,
                      json j) -> boost::asio::awaitable<Result<json>> {
            command::Call call{*a, j};
            co_return co_await self->registry.run(n, call);
        }(this, &actor, name, args));
    }

    Result<accounts::Account> sign_in(const std::string& name, const std::string& password)
    {
        return run(accounts.sign_in(name, password, "127.0.0.1"));
    }

    std::string journal_text()
    {
        std::string all;
        auto rows = journal.read(1, 1000);
        EXPECT_TRUE(rows);
        for (const auto& row : *rows)
            all += row.kind + " " + row.payload + "\n";
        return all;
    }
};

TEST_F(AccountsService, AnAdministratorAddsAClerkWhoSignsIn)
{
    auto added = command(admin, "user.add",
                         {{"name", "lan"}, {"role", "clerk"}, {"counters", "1,3"}, {"password", "mùa thu hà nội"}});
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ((*added)["counters"], json::array({1, 3}));
    EXPECT_FALSE(added->contains("password_hash"));

    auto signed_in = sign_in("lan", "mùa thu hà nội");
    ASSERT_TRUE(signed_in) << signed_in.error().message;
    EXPECT_EQ(signed_in->role, command::Role::clerk);
    EXPECT_EQ(accounts::actor_of(*signed_in).counters, (std::set<int>{1, 3}));

    const auto text = journal_text();
    EXPECT_NE(text.find("account.added"), std::string::npos);
    EXPECT_NE(text.find("\"actor\":\"socket:uid=0\""), std::string::npos);
    EXPECT_EQ(text.find("argon2"), std::string::npos) << text;
    EXPECT_EQ(text.find("thu h"), std::string::npos) << text;
}

TEST_F(AccountsService, AnUnknownNameAndAWrongPasswordGetTheSameAnswer)
{
    ASSERT_TRUE(command(admin, "user.add", {{"name", "minh"}, {"role", "supervisor"}, {"password", "0123456789ab"}}));
    auto unknown = sign_in("nobody", "0123456789ab");
    auto wrong = sign_in("minh", "0123456789ac");
    ASSERT_FALSE(unknown);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(unknown.error().code, "bad_login");
    EXPECT_EQ(unknown.error().message, wrong.error().message);
}

TEST_F(AccountsService, FiveWrongPasswordsLockEvenTheRightOneAndAreJournalled)
{
    ASSERT_TRUE(command(admin, "user.add", {{"name", "minh"}, {"role", "supervisor"}, {"password", "0123456789ab"}}));
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(sign_in("minh", "wrong wrong wrong").error().code, "bad_login");
    EXPECT_EQ(sign_in("minh", "wrong wrong wrong").error().code, "account_locked");
    EXPECT_EQ(sign_in("minh", "0123456789ab").error().code, "account_locked");
    EXPECT_NE(journal_text().find("account.locked"), std::string::npos);
    // A new password from the administrator lifts the lock.
    ASSERT_TRUE(command(admin, "user.passwd", {{"name", "minh"}, {"password", "a new passphrase"}}));
    EXPECT_TRUE(sign_in("minh", "a new passphrase"));
    EXPECT_FALSE(sign_in("minh", "0123456789ab"));
}

TEST_F(AccountsService, ADisabledAccountCannotSignIn)
{
    ASSERT_TRUE(command(admin, "user.add", {{"name", "tuan"}, {"role", "technician"}, {"password", "0123456789ab"}}));
    ASSERT_TRUE(command(admin, "user.disable", {{"name", "tuan"}}));
    EXPECT_EQ(sign_in("tuan", "0123456789ab").error().code, "account_disabled");
    ASSERT_TRUE(command(admin, "user.enable", {{"name", "tuan"}}));
    EXPECT_TRUE(sign_in("tuan", "0123456789ab"));
}

TEST_F(AccountsService, ASessionFollowsItsAccount)
{
    ASSERT_TRUE(command(admin, "user.add",
                        {{"name", "lan"}, {"role", "clerk"}, {"counters", "1"}, {"password", "0123456789ab"}}));
    auto account = sign_in("lan", "0123456789ab");
    ASSERT_TRUE(account);
    auto started = accounts.start_session(*account, "10.0.0.7");
    ASSERT_TRUE(started) << started.error().message;
    const auto cookie = started->first;
    auto s = accounts.session(cookie);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->user, "lan");
    EXPECT_EQ(s->counters, std::set<int>{1});
    EXPECT_EQ(s->csrf.size(), 64u);

    auto listed = command(admin, "user.sessions", json::object());
    ASSERT_TRUE(listed);
    ASSERT_EQ((*listed)["sessions"].size(), 1u);
    EXPECT_EQ((*listed)["sessions"][0]["id"], s->id);
    EXPECT_EQ(listed->dump().find(cookie), std::string::npos);

    // Disabling the account ends its sessions at once.
    ASSERT_TRUE(command(admin, "user.disable", {{"name", "lan"}}));
    EXPECT_FALSE(accounts.session(cookie));
}

TEST_F(AccountsService, AnAdministratorEndsSessions)
{
    ASSERT_TRUE(command(admin, "user.add", {{"name", "minh"}, {"role", "supervisor"}, {"password", "0123456789ab"}}));
    auto account = sign_in("minh", "0123456789ab");
    ASSERT_TRUE(account);
    auto one = accounts.start_session(*account, "a");
    auto two = accounts.start_session(*account, "b");
    ASSERT_TRUE(one && two);
    auto ended = command(admin, "user.end_sessions", {{"id", one->second.id}});
    ASSERT_TRUE(ended);
    EXPECT_EQ((*ended)["ended"], 1);
    EXPECT_FALSE(accounts.session(one->first));
    EXPECT_TRUE(accounts.session(two->first));
    ASSERT_TRUE(command(admin, "user.end_sessions", {{"user", "minh"}}));
    EXPECT_FALSE(accounts.session(two->first));
}

TEST_F(AccountsService, BadArgumentsAreRefusedWithTheirReason)
{
    auto clerk_without_counters =
        command(admin, "user.add", {{"name", "lan"}, {"role", "clerk"}, {"password", "0123456789ab"}});
    ASSERT_FALSE(clerk_without_counters);
    EXPECT_EQ(clerk_without_counters.error().code, "bad_request");
    EXPECT_NE(clerk_without_counters.error().message.find("counters"), std::string::npos);
    EXPECT_FALSE(command(admin, "user.add", {{"name", "Lan"}, {"role", "admin"}, {"password", "0123456789ab"}}));
    EXPECT_FALSE(command(admin, "user.add", {{"name", "lan"}, {"role", "admin"}, {"password", "short"}}));
    EXPECT_FALSE(command(admin, "user.add", {{"name", "lan"}, {"role", "root"}, {"password", "0123456789ab"}}));
    ASSERT_TRUE(command(admin, "user.add", {{"name", "lan"}, {"role", "admin"}, {"password", "0123456789ab"}}));
    EXPECT_EQ(command(admin, "user.add", {{"name", "lan"}, {"role", "admin"}, {"password", "0123456789ab"}})
                  .error()
                  .code,
              "user_exists");
    EXPECT_EQ(command(admin, "user.disable", {{"name", "nobody"}}).error().code, "unknown_user");
}

TEST_F(AccountsService, OnlyAdministratorsManageAccounts)
{
    auto supervisor = command::Actor::web_user("minh", command::Role::supervisor, {});
    auto refused = command(supervisor, "user.list", json::object());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "forbidden");
    auto listed = command(admin, "user.list", json::object());
    ASSERT_TRUE(listed);
    EXPECT_TRUE((*listed)["users"].empty());
}

} // namespace
} // namespace motcua::app
