// motcuactl user …: accounts through the real daemon and CLI. The password travels on
// standard input, is stored only as an argon2id hash and appears in no answer, journal
// row or log line.

#include "daemon_fixture.hpp"
#include "database_peek.hpp"

namespace motcua::testing
{
namespace
{

Output ctl_with_stdin(const std::string& socket, const std::string& input, const std::string& args)
{
    return run({"/bin/sh", "-c", "printf '%s\\n' \"$0\" | " + bin_dir() + "/motcuactl --socket " + socket + " " + args,
                input});
}

TEST_F(DaemonProcess, AccountsAreManagedFromTheCommandLineAndKeepTheirPasswordSecret)
{
    start();
    const std::string password = "mùa thu hà nội 2026";
    auto added = ctl_with_stdin(socket(), password, "user add lan.nguyen --role clerk --counters 1,2 --password-stdin");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    EXPECT_NE(added.out.find("lan.nguyen  clerk  counters 1,2"), std::string::npos) << added.out;

    auto weak = ctl_with_stdin(socket(), "short", "user add minh --role supervisor --password-stdin");
    EXPECT_NE(weak.exit_code, 0);
    EXPECT_NE(weak.err.find("at least 10 characters"), std::string::npos) << weak.err;

    ASSERT_EQ(ctl_with_stdin(socket(), "another passphrase", "user passwd lan.nguyen --password-stdin").exit_code, 0);
    ASSERT_EQ(ctl({"user", "disable", "lan.nguyen"}).exit_code, 0);
    auto listed = ctl_json({"user", "list"});
    ASSERT_EQ(listed["users"].size(), 1u);
    EXPECT_EQ(listed["users"][0]["name"], "lan.nguyen");
    EXPECT_EQ(listed["users"][0]["disabled"], true);
    EXPECT_FALSE(listed["users"][0].contains("password_hash"));

    const auto db = dir.file("motcua.db");
    EXPECT_EQ(query_value(db, "SELECT substr(password_hash, 1, 10) FROM accounts WHERE name = 'lan.nguyen'"),
              "$argon2id$");
    EXPECT_EQ(query_value(db, "SELECT count(*) FROM journal WHERE kind LIKE 'account.%'"), "3");
    EXPECT_EQ(query_value(db, "SELECT count(*) FROM journal WHERE payload LIKE '%argon2%' OR payload LIKE '%passphrase%'"),
              "0");
    EXPECT_EQ(query_value(db, "SELECT json_extract(payload, '$.actor') FROM journal WHERE kind = 'account.added'"),
              "socket:uid=" + std::to_string(::getuid()));
    const auto log = read_file(dir.file("motcuad.log"));
    EXPECT_EQ(log.find("passphrase"), std::string::npos);
    EXPECT_EQ(log.find("thu h"), std::string::npos);
    EXPECT_NE(log.find("Account added user=lan.nguyen"), std::string::npos);
}

TEST_F(DaemonProcess, WithoutATerminalOrStdinFlagThePasswordIsNotGuessed)
{
    start();
    auto out = run({bin_dir() + "/motcuactl", "--socket", socket(), "user", "add", "lan", "--role", "admin"});
    EXPECT_NE(out.exit_code, 0);
    EXPECT_NE(out.err.find("--password-stdin"), std::string::npos) << out.err;
}

} // namespace
} // namespace motcua::testing
