#include "modbus/health.hpp"

#include <gtest/gtest.h>

using namespace motcua::modbus;
using namespace std::chrono_literals;

TEST(Health, StartsOfflineAndComesOnlineOnFirstReply)
{
    Health h;
    auto t = Health::Clock::time_point{} + 1h;
    EXPECT_EQ(h.state(), DeviceState::offline);
    EXPECT_TRUE(h.retry_due(t));
    EXPECT_EQ(h.record(true, t), DeviceState::online);
    EXPECT_EQ(h.record(true, t), std::nullopt);
}

TEST(Health, DegradedThenOfflineAfterConsecutiveFailures)
{
    Health h;
    auto t = Health::Clock::time_point{} + 1h;
    (void)h.record(true, t);
    EXPECT_EQ(h.record(false, t), DeviceState::degraded);
    EXPECT_EQ(h.record(false, t), std::nullopt);
    EXPECT_EQ(h.record(false, t), DeviceState::offline);
    EXPECT_FALSE(h.retry_due(t));
    EXPECT_TRUE(h.retry_due(t + 250ms));
}

TEST(Health, DegradedUntilEightCleanReplies)
{
    Health h;
    auto t = Health::Clock::time_point{} + 1h;
    (void)h.record(true, t);
    (void)h.record(false, t);
    for (int i = 0; i < 7; ++i)
        EXPECT_EQ(h.record(true, t), std::nullopt) << i;
    EXPECT_EQ(h.record(true, t), DeviceState::online);
}

TEST(Health, OfflineRetriesBackOffExponentiallyAndCap)
{
    Health h{HealthPolicy{3, 100ms, 400ms}};
    auto t = Health::Clock::time_point{} + 1h;
    (void)h.record(true, t);
    for (int i = 0; i < 3; ++i)
        (void)h.record(false, t);
    EXPECT_EQ(h.next_retry(), t + 100ms);
    (void)h.record(false, t);
    EXPECT_EQ(h.next_retry(), t + 200ms);
    (void)h.record(false, t);
    (void)h.record(false, t);
    EXPECT_EQ(h.next_retry(), t + 400ms);
    EXPECT_EQ(h.record(true, t), DeviceState::online); // failures before going offline are forgotten
}

TEST(Health, LostPortTakesItOfflineAtOnce)
{
    Health h;
    auto t = Health::Clock::time_point{} + 1h;
    (void)h.record(true, t);
    EXPECT_EQ(h.lost(t), DeviceState::offline);
    EXPECT_TRUE(h.retry_due(t));
}

TEST(Health, NeverSeenDeviceIsRetriedWithBackOff)
{
    Health h{HealthPolicy{3, 100ms, 400ms}};
    auto t = Health::Clock::time_point{} + 1h;
    EXPECT_EQ(h.record(false, t), std::nullopt); // offline from the start, stays offline
    EXPECT_EQ(h.next_retry(), t + 100ms);
    EXPECT_FALSE(h.ever_online());
}
