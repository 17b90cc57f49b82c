// The phone routes' token bucket per address.

#include "phone/rate_limit.hpp"

#include <gtest/gtest.h>

using motcua::phone::RateLimiter;
using namespace std::chrono_literals;

namespace
{

const RateLimiter::Clock::time_point t0{};

TEST(RateLimiter, ABurstThenTheSteadyRate)
{
    RateLimiter limiter(5, 1);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(limiter.take("192.168.1.20", t0), 0) << i;
    EXPECT_EQ(limiter.take("192.168.1.20", t0), 1); // Retry-After: 1 s
    EXPECT_EQ(limiter.take("192.168.1.21", t0), 0); // another address has its own bucket
    EXPECT_EQ(limiter.take("192.168.1.20", t0 + 500ms), 1);
    EXPECT_EQ(limiter.take("192.168.1.20", t0 + 1s), 0);
    EXPECT_EQ(limiter.take("192.168.1.20", t0 + 1s), 1);
    // After a long pause, a full burst again, never more.
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(limiter.take("192.168.1.20", t0 + 1h), 0);
    EXPECT_EQ(limiter.take("192.168.1.20", t0 + 1h), 1);
}

TEST(RateLimiter, RetryAfterCountsWholeSeconds)
{
    RateLimiter slow(1, 0.25); // one request per 4 s
    EXPECT_EQ(slow.take("a", t0), 0);
    EXPECT_EQ(slow.take("a", t0), 4);
    EXPECT_EQ(slow.take("a", t0 + 3s), 1);
}

TEST(RateLimiter, MemoryIsBoundedWithoutForgettingBusyClients)
{
    RateLimiter limiter(2, 1, 3);
    EXPECT_EQ(limiter.take("a", t0), 0);
    EXPECT_EQ(limiter.take("a", t0), 0); // a: empty
    EXPECT_EQ(limiter.take("b", t0), 0);
    EXPECT_EQ(limiter.take("c", t0), 0);
    // Full table, nobody's bucket full again yet: a fourth address waits.
    EXPECT_GE(limiter.take("d", t0), 1);
    EXPECT_EQ(limiter.addresses(), 3u);
    // Later the refilled buckets are forgotten (a full bucket is the same as none): room for "d".
    EXPECT_EQ(limiter.take("d", t0 + 10s), 0);
    EXPECT_LE(limiter.addresses(), 3u);
}

} // namespace
