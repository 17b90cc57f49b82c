// Sessions: idle and absolute expiry, CSRF tokens, the per-user cap, ending by id, user or
// cookie, and cookies that are never stored in the clear.

#include "accounts/sessions.hpp"

#include "util/sha256.hpp"

#include <gtest/gtest.h>

namespace motcua::accounts
{
namespace
{
using namespace std::chrono_literals;

const WallTime t0{std::chrono::milliseconds{1'780'000'000'000}};

Secret secret(std::uint8_t seed)
{
    Secret s{};
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = static_cast<std::uint8_t>(seed * 31 + i);
    return s;
}

Account clerk(const std::string& name)
{
    Account a;
    a.name = name;
    a.role = command::Role::clerk;
    a.counters = {1};
    return a;
}

TEST(Sessions, ACookieFindsItsSessionUntilItIsIdleForThirtyMinutes)
{
    Sessions sessions;
    auto cookie = sessions.start(clerk("lan"), secret(1), secret(2), "10.0.0.5", t0);
    ASSERT_EQ(cookie.size(), 64u);
    EXPECT_TRUE(sessions.touch(cookie, t0 + 29min));
    EXPECT_TRUE(sessions.touch(cookie, t0 + 58min)); // activity moved the idle limit
    EXPECT_FALSE(sessions.touch(cookie, t0 + 58min + 30min));
    EXPECT_TRUE(sessions.list().empty());
}

TEST(Sessions, AWorkingDayIsTheLongestASessionLives)
{
    Sessions sessions;
    auto cookie = sessions.start(clerk("lan"), secret(1), secret(2), "", t0);
    for (auto t = t0; t < t0 + 600min; t += 20min)
        ASSERT_TRUE(sessions.touch(cookie, t));
    EXPECT_FALSE(sessions.touch(cookie, t0 + 600min));
}

TEST(Sessions, TheCookieIsKeptOnlyAsItsHash)
{
    Sessions sessions;
    auto cookie = sessions.start(clerk("lan"), secret(1), secret(2), "", t0);
    auto listed = sessions.list();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].id, sha256_hex(cookie).substr(0, 12));
    EXPECT_EQ(cookie.find(listed[0].id), std::string::npos);
    EXPECT_FALSE(sessions.touch(listed[0].id, t0)); // the id is no cookie
    EXPECT_FALSE(sessions.touch(sha256_hex(cookie), t0));
    EXPECT_FALSE(sessions.touch("", t0));
    EXPECT_FALSE(sessions.touch(std::string(64, 'Z'), t0));
}

TEST(Sessions, CsrfTokenIsTheSessionsOwn)
{
    Sessions sessions;
    auto a = sessions.start(clerk("lan"), secret(1), secret(2), "", t0);
    auto b = sessions.start(clerk("minh"), secret(3), secret(4), "", t0);
    auto sa = sessions.touch(a, t0);
    auto sb = sessions.touch(b, t0);
    ASSERT_TRUE(sa && sb);
    EXPECT_EQ(sa->csrf, to_hex(secret(2)));
    EXPECT_TRUE(Sessions::csrf_matches(*sa, to_hex(secret(2))));
    EXPECT_FALSE(Sessions::csrf_matches(*sa, sb->csrf));
    EXPECT_FALSE(Sessions::csrf_matches(*sa, ""));
}

TEST(Sessions, EndedByIdByUserOrByCookie)
{
    Sessions sessions;
    auto a1 = sessions.start(clerk("lan"), secret(1), secret(2), "", t0);
    auto a2 = sessions.start(clerk("lan"), secret(3), secret(4), "", t0 + 1s);
    auto b = sessions.start(clerk("minh"), secret(5), secret(6), "", t0 + 2s);
    EXPECT_TRUE(sessions.end(sessions.touch(b, t0)->id));
    EXPECT_FALSE(sessions.touch(b, t0));
    EXPECT_FALSE(sessions.end("000000000000"));
    EXPECT_EQ(sessions.end_user("lan"), 2);
    EXPECT_FALSE(sessions.touch(a1, t0));
    auto c = sessions.start(clerk("lan"), secret(7), secret(8), "", t0);
    EXPECT_TRUE(sessions.end_by_cookie(c));
    EXPECT_FALSE(sessions.touch(c, t0));
    (void)a2;
}

TEST(Sessions, TheOldestOfAUsersSessionsGoesAtTheCap)
{
    Sessions sessions{SessionPolicy{.max_per_user = 2}};
    auto first = sessions.start(clerk("lan"), secret(1), secret(2), "", t0);
    auto second = sessions.start(clerk("lan"), secret(3), secret(4), "", t0 + 1s);
    auto third = sessions.start(clerk("lan"), secret(5), secret(6), "", t0 + 2s);
    EXPECT_FALSE(sessions.touch(first, t0 + 3s));
    EXPECT_TRUE(sessions.touch(second, t0 + 3s));
    EXPECT_TRUE(sessions.touch(third, t0 + 3s));
}

} // namespace
} // namespace motcua::accounts
