// The account rules, from what a one-stop office needs: lower-case names, a clerk's
// counters, passphrases of at least 10 characters, five wrong passwords lock for 15 minutes.

#include "accounts/account.hpp"

#include <gtest/gtest.h>

namespace motcua::accounts
{
namespace
{
using namespace std::chrono_literals;
using command::Role;

const WallTime t0{std::chrono::milliseconds{1'780'000'000'000}};

TEST(AccountName, LowerCaseLettersDigitsAndDotsOnly)
{
    EXPECT_TRUE(check_name("lan.nguyen"));
    EXPECT_TRUE(check_name("cb01"));
    EXPECT_TRUE(check_name("a"));
    EXPECT_FALSE(check_name(""));
    EXPECT_FALSE(check_name("Lan"));        // "Lan" and "lan" must not be two people
    EXPECT_FALSE(check_name("1lan"));
    EXPECT_FALSE(check_name("lan nguyen"));
    EXPECT_FALSE(check_name("lân"));
    EXPECT_FALSE(check_name(std::string(33, 'a')));
    EXPECT_EQ(check_name("Lan").error().code, "bad_user_name");
}

TEST(AccountRoles, OnlyPeoplesRoles)
{
    EXPECT_EQ(role_from_string("clerk"), Role::clerk);
    EXPECT_EQ(role_from_string("admin"), Role::admin);
    EXPECT_EQ(role_from_string("device"), std::nullopt);
    EXPECT_EQ(role_from_string("none"), std::nullopt);
    EXPECT_EQ(role_from_string("Clerk"), std::nullopt);
}

TEST(AccountCounters, ParsedAndRoundTripped)
{
    EXPECT_EQ(*parse_counters("1,3"), (std::set<int>{1, 3}));
    EXPECT_EQ(*parse_counters(""), std::set<int>{});
    EXPECT_EQ(*parse_counters("99"), std::set<int>{99});
    EXPECT_FALSE(parse_counters("0"));
    EXPECT_FALSE(parse_counters("100"));
    EXPECT_FALSE(parse_counters("1,,3"));
    EXPECT_FALSE(parse_counters("1,"));
    EXPECT_FALSE(parse_counters("1,1"));
    EXPECT_FALSE(parse_counters("1 ,3"));
    EXPECT_FALSE(parse_counters("x"));
    EXPECT_EQ(counters_text({3, 1}), "1,3");
}

TEST(AccountCounters, AClerkNeedsCountersAndOnlyAClerkHasThem)
{
    EXPECT_TRUE(check_role_counters(Role::clerk, {1}));
    EXPECT_FALSE(check_role_counters(Role::clerk, {}));
    EXPECT_TRUE(check_role_counters(Role::supervisor, {}));
    EXPECT_FALSE(check_role_counters(Role::supervisor, {2}));
    EXPECT_FALSE(check_role_counters(Role::admin, {2}));
}

TEST(AccountPassword, TenCharactersCountedAsLetters)
{
    EXPECT_TRUE(check_password("lan", "mùa thu hà nội"));
    EXPECT_TRUE(check_password("lan", "0123456789"));
    EXPECT_FALSE(check_password("lan", "012345678"));
    // Nine letters with diacritics are nine, however many bytes they take.
    EXPECT_FALSE(check_password("lan", "ấầẩẫậắằẳẵ"));
    EXPECT_TRUE(check_password("lan", "ấầẩẫậắằẳẵặ"));
    EXPECT_FALSE(check_password("lan.nguyen", "lan.nguyen"));
    EXPECT_FALSE(check_password("lan", "aaaaaaaaaaaa"));
    EXPECT_FALSE(check_password("lan", std::string(129, 'x') + "y"));
    EXPECT_FALSE(check_password("lan", "0123456789\t"));
    EXPECT_EQ(check_password("lan", "short").error().code, "weak_password");
}

TEST(AccountLockout, FiveWrongPasswordsLockForFifteenMinutes)
{
    Account a;
    a.name = "lan";
    for (int i = 1; i <= 4; ++i)
    {
        a = after_login(a, false, t0 + std::chrono::seconds(i));
        EXPECT_EQ(a.failed_logins, i);
        EXPECT_FALSE(a.locked_until);
        EXPECT_TRUE(may_try_login(a, t0 + std::chrono::seconds(i)));
    }
    a = after_login(a, false, t0 + 5s);
    ASSERT_TRUE(a.locked_until);
    EXPECT_EQ(*a.locked_until, t0 + 5s + 15min);
    EXPECT_EQ(a.failed_logins, 0); // the next round starts from zero after the lock
    auto refused = may_try_login(a, t0 + 5s + 14min + 59s);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "account_locked");
    EXPECT_NE(refused.error().message.find("1 more minute"), std::string::npos) << refused.error().message;
    EXPECT_TRUE(may_try_login(a, t0 + 5s + 15min));
}

TEST(AccountLockout, AGoodPasswordClearsTheCountAndAnExpiredLock)
{
    Account a;
    a = after_login(a, false, t0);
    a = after_login(a, false, t0);
    a = after_login(a, true, t0);
    EXPECT_EQ(a.failed_logins, 0);
    a.locked_until = t0 + 1min;
    a = after_login(a, true, t0 + 2min);
    EXPECT_FALSE(a.locked_until);
}

TEST(AccountLockout, ThePolicyIsASetting)
{
    Account a;
    LockoutPolicy strict{.max_failures = 2, .lock_for = 60min};
    a = after_login(a, false, t0, strict);
    EXPECT_FALSE(a.locked_until);
    a = after_login(a, false, t0, strict);
    ASSERT_TRUE(a.locked_until);
    EXPECT_EQ(*a.locked_until, t0 + 60min);
}

TEST(AccountLogin, ADisabledAccountMayNotTry)
{
    Account a;
    a.disabled = true;
    EXPECT_EQ(may_try_login(a, t0).error().code, "account_disabled");
}

TEST(AccountActor, ASignedInClerkActsForHerCounters)
{
    Account a;
    a.name = "lan";
    a.role = Role::clerk;
    a.counters = {1, 3};
    auto actor = actor_of(a);
    EXPECT_EQ(actor.kind, command::Actor::Kind::web);
    EXPECT_EQ(actor.label(), "user:lan");
    EXPECT_EQ(actor.counters, (std::set<int>{1, 3}));
}

} // namespace
} // namespace motcua::accounts
