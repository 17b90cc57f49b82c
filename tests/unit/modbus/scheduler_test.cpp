// The bus's order rules (docs/bus.md "The driver"), one rule per test, on the pure
// scheduler: what it sends next given what each device has waiting, the credit of the
// background share and the time.

#include "modbus/scheduler.hpp"

#include <gtest/gtest.h>

using namespace motcua::modbus;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

const Clock::time_point t0 = Clock::time_point{} + 1000s;

DeviceDue keypad()
{
    DeviceDue d;
    d.state = DeviceState::online;
    d.contacted = true;
    d.event_device = true;
    d.heartbeat = true;
    return d;
}

DeviceDue display()
{
    DeviceDue d;
    d.state = DeviceState::online;
    d.contacted = true;
    d.display = true;
    d.heartbeat = true;
    return d;
}

SchedulerSettings settings(bool broadcast = true)
{
    SchedulerSettings s;
    s.min_poll_period = 50ms;
    s.heartbeat_period = 2500ms;
    s.broadcast = broadcast;
    s.event_hold = 20ms;
    return s;
}

struct Turn
{
    Job job;
    Clock::time_point wake;
};

Turn next(Scheduler& s, const std::vector<DeviceDue>& devices, Clock::time_point now, bool technician = false,
          bool first_contact_reported = true)
{
    Turn t;
    t.wake = now + 1s;
    t.job = s.next(devices, technician, first_contact_reported, now, t.wake);
    return t;
}

// The background share starts with a full credit; spend it so that polls come first.
void spend_credit(Scheduler& s) { s.spent_background(std::chrono::duration<double, std::milli>(s.credit_ms() + 1)); }

} // namespace

TEST(Scheduler, WritesGoInTheDocumentedOrder)
{
    // Each device has one kind of work; whatever the device order, the kinds come out as
    // display, EVT_ACK, feedback, one-shot, then the poll.
    std::vector<DeviceDue> devs(5, keypad());
    devs[4].oneshot_at = t0;
    devs[3].feedback_dirty = true;
    devs[2].ack_due = true;
    devs[1] = display();
    devs[1].display_dirty = true;
    Scheduler s(settings(), devs.size(), t0);
    spend_credit(s);
    std::vector<JobKind> order;
    for (int i = 0; i < 5; ++i)
    {
        auto t = next(s, devs, t0);
        order.push_back(t.job.kind);
        auto& d = devs[t.job.dev];
        d.display_dirty = d.ack_due = d.feedback_dirty = false;
        if (t.job.kind == JobKind::oneshot)
            d.oneshot_at.reset();
    }
    EXPECT_EQ(order, (std::vector<JobKind>{JobKind::display, JobKind::ack, JobKind::feedback, JobKind::oneshot,
                                           JobKind::poll}));
}

TEST(Scheduler, AOneShotWaitsForItsTime)
{
    std::vector<DeviceDue> devs{display()};
    devs[0].oneshot_at = t0 + 700ms; // the next step of a display test
    Scheduler s(settings(false), devs.size(), t0);
    spend_credit(s);
    auto t = next(s, devs, t0);
    EXPECT_EQ(t.job.kind, JobKind::none);
    EXPECT_EQ(t.wake, t0 + 700ms);
    EXPECT_EQ(next(s, devs, t0 + 700ms).job.kind, JobKind::oneshot);
}

TEST(Scheduler, WhileAKeyEventIsWithTheApplicationTheBusWaitsForItsDisplayWrite)
{
    std::vector<DeviceDue> devs{keypad(), keypad(), display()};
    Scheduler s(settings(false), devs.size(), t0);
    spend_credit(s);
    auto t = next(s, devs, t0);
    ASSERT_EQ(t.job.kind, JobKind::poll);
    // The poll found an event: it is with the application now.
    s.event_delivered(t.job.dev, false, t0 + 1ms);
    devs[t.job.dev].event_in_flight = true;
    t = next(s, devs, t0 + 2ms);
    EXPECT_EQ(t.job.kind, JobKind::none) << "no poll is started while the commit is under way";
    EXPECT_EQ(t.wake, t0 + 21ms);
    // The commit is done: the display write goes at once.
    devs[2].display_dirty = true;
    t = next(s, devs, t0 + 5ms);
    EXPECT_EQ(t.job.kind, JobKind::display);
    devs[2].display_dirty = false;
    // A slow application does not stop the bus for more than the hold: the other keypad
    // is polled, the one whose event is held is not.
    t = next(s, devs, t0 + 21ms);
    EXPECT_EQ(t.job.kind, JobKind::poll);
    EXPECT_EQ(t.job.dev, 1u);
}

TEST(Scheduler, TechnicianStepsAlternateWithPolls)
{
    std::vector<DeviceDue> devs{keypad()};
    auto cfg = settings();
    cfg.min_poll_period = 0ms;
    Scheduler s(cfg, devs.size(), t0);
    spend_credit(s);
    std::vector<JobKind> order;
    for (int i = 0; i < 4; ++i)
        order.push_back(next(s, devs, t0, true).job.kind);
    EXPECT_EQ(order, (std::vector<JobKind>{JobKind::technician, JobKind::poll, JobKind::technician, JobKind::poll}));
}

TEST(Scheduler, AnOfflineDeviceIsRetriedWhenItsBackOffExpires)
{
    std::vector<DeviceDue> devs{keypad(), keypad()};
    devs[1].state = DeviceState::offline;
    devs[1].next_retry = t0 + 250ms;
    Scheduler s(settings(false), devs.size(), t0);
    spend_credit(s);
    auto t = next(s, devs, t0);
    EXPECT_EQ(t.job.kind, JobKind::poll);
    EXPECT_EQ(t.job.dev, 0u) << "an offline device takes no poll slot";
    t = next(s, devs, t0 + 10ms);
    EXPECT_EQ(t.job.kind, JobKind::none);
    EXPECT_EQ(t.wake, std::min(t0 + 50ms, t0 + 250ms));
    // Its retry goes ahead of the polls and of background work.
    t = next(s, devs, t0 + 250ms);
    EXPECT_EQ(t.job.kind, JobKind::probe);
    EXPECT_EQ(t.job.dev, 1u);
}

TEST(Scheduler, NobodyIsRetriedBeforeEveryDeviceHadItsFirstAttempt)
{
    std::vector<DeviceDue> devs{keypad(), keypad()};
    for (auto& d : devs)
        d.state = DeviceState::offline;
    devs[0].next_retry = t0 - 1s; // tried and found absent, back-off expired
    devs[1].contacted = false;    // never tried
    Scheduler s(settings(), devs.size(), t0);
    auto t = next(s, devs, t0, false, false);
    EXPECT_EQ(t.job.kind, JobKind::probe);
    EXPECT_EQ(t.job.dev, 1u);
    devs[1].contacted = true;
    devs[1].next_retry = t0 + 250ms;
    // Both have had one attempt; the first contact is reported; now the retries start.
    t = next(s, devs, t0, false, true);
    EXPECT_EQ(t.job.kind, JobKind::probe);
    EXPECT_EQ(t.job.dev, 0u);
}

TEST(Scheduler, PollsGoRoundRobinAtMostOncePerMinPollPeriod)
{
    std::vector<DeviceDue> devs{keypad(), display(), keypad(), keypad()};
    Scheduler s(settings(false), devs.size(), t0);
    spend_credit(s);
    std::vector<std::size_t> polled;
    auto now = t0;
    for (int i = 0; i < 3; ++i)
    {
        auto t = next(s, devs, now);
        ASSERT_EQ(t.job.kind, JobKind::poll);
        polled.push_back(t.job.dev);
        now += 10ms;
        s.spent_background(10ms * 0.1); // keep the credit at zero: no background work here
    }
    EXPECT_EQ(polled, (std::vector<std::size_t>{0, 2, 3})) << "displays are not polled";
    // Each was polled less than min_poll_period ago: the bus waits for the first of them.
    auto t = next(s, devs, now);
    EXPECT_EQ(t.job.kind, JobKind::none);
    EXPECT_EQ(t.wake, t0 + 50ms);
    t = next(s, devs, t0 + 50ms);
    EXPECT_EQ(t.job.kind, JobKind::poll);
    EXPECT_EQ(t.job.dev, 0u) << "the device that waited longest";
}

TEST(Scheduler, AnAcknowledgedDeviceIsReadAgainAtOnce)
{
    std::vector<DeviceDue> devs{keypad(), keypad()};
    auto cfg = settings(false);
    cfg.min_poll_period = 1000ms;
    Scheduler s(cfg, devs.size(), t0);
    spend_credit(s);
    ASSERT_EQ(next(s, devs, t0).job.dev, 0u);
    ASSERT_EQ(next(s, devs, t0).job.dev, 1u);
    EXPECT_EQ(next(s, devs, t0 + 1ms).job.kind, JobKind::none);
    s.acknowledged(1, t0 + 2ms); // the next event in its FIFO need not wait a period
    auto t = next(s, devs, t0 + 2ms);
    EXPECT_EQ(t.job.kind, JobKind::poll);
    EXPECT_EQ(t.job.dev, 1u);
    // Same when a delivered event said more are pending.
    s.event_delivered(0, true, t0 + 3ms);
    t = next(s, devs, t0 + 30ms);
    EXPECT_EQ(t.job.kind, JobKind::poll);
    EXPECT_EQ(t.job.dev, 0u);
}

TEST(Scheduler, BackgroundWorkTakesATenthOfTheBusWhilePollsAreDue)
{
    // A keypad always due for a poll and one whose waiting-count refreshes never end; every
    // transaction takes 20 ms of the clock.
    std::vector<DeviceDue> devs{keypad(), keypad()};
    devs[1].feedback_lazy = true;
    auto cfg = settings(false);
    cfg.min_poll_period = 0ms;
    cfg.heartbeat_period = 3600s; // no heartbeats in this test
    Scheduler s(cfg, devs.size(), t0);
    spend_credit(s);
    auto now = t0;
    double background_ms = 0, total_ms = 0;
    for (int i = 0; i < 2000; ++i)
    {
        auto t = next(s, devs, now);
        ASSERT_NE(t.job.kind, JobKind::none);
        auto took = 20ms; // every transaction takes 20 ms
        if (t.job.background)
        {
            ASSERT_EQ(t.job.kind, JobKind::refresh);
            s.spent_background(took);
            background_ms += 20;
        }
        total_ms += 20;
        now += took;
    }
    EXPECT_NEAR(background_ms / total_ms, 0.10, 0.015);
}

TEST(Scheduler, BackgroundWorkTakesTheWholeBusWhenNoPollIsDue)
{
    std::vector<DeviceDue> devs{display(), display()};
    devs[1].watchdog_due = true;
    Scheduler s(settings(false), devs.size(), t0);
    spend_credit(s);
    auto t = next(s, devs, t0);
    EXPECT_EQ(t.job.kind, JobKind::watchdog) << "no poll is due: credit does not matter";
    EXPECT_TRUE(t.job.background);
}

TEST(Scheduler, ALateWatchdogFeedGoesAheadOfTheShareButPresenceChecksDoNot)
{
    std::vector<DeviceDue> devs{keypad(), display()};
    auto cfg = settings(true);
    cfg.min_poll_period = 0ms;
    Scheduler s(cfg, devs.size(), t0);
    // Credit used up and polls always due: the broadcast is held back...
    auto now = t0;
    s.spent_background(1000ms);
    auto t = next(s, devs, now);
    EXPECT_EQ(t.job.kind, JobKind::poll);
    // ...until it is more than half a period late; the display's presence check, due as
    // well by then, still waits for credit.
    now = t0 + 1700ms;
    s.spent_background(1000ms);
    t = next(s, devs, now);
    EXPECT_EQ(t.job.kind, JobKind::broadcast);
    t = next(s, devs, now);
    EXPECT_EQ(t.job.kind, JobKind::poll);
}

TEST(Scheduler, OnAMixedBusEachDeviceFeedsItsOwnWatchdog)
{
    std::vector<DeviceDue> devs{keypad(), display()};
    auto cfg = settings(false);
    cfg.min_poll_period = 0ms;
    Scheduler s(cfg, devs.size(), t0);
    EXPECT_EQ(s.heartbeat_kind(devs[0]), Scheduler::Heartbeat::watchdog);
    EXPECT_EQ(s.heartbeat_kind(devs[1]), Scheduler::Heartbeat::watchdog);
    auto nothing = display();
    nothing.heartbeat = false;
    EXPECT_EQ(s.heartbeat_kind(nothing), Scheduler::Heartbeat::liveness);
    // With the credit full, the heartbeats (spread over the period) go when due.
    std::vector<JobKind> seen;
    for (auto now = t0; now < t0 + 2500ms; now += 25ms)
    {
        auto t = next(s, devs, now);
        seen.push_back(t.job.kind);
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), JobKind::heartbeat), 2);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), JobKind::broadcast), 0);
}

TEST(Scheduler, AWaitingCountRefreshNeverGoesAheadOfWhatTheClerkSees)
{
    std::vector<DeviceDue> devs{keypad(), keypad()};
    devs[0].feedback_lazy = true;
    devs[1].feedback_dirty = true;
    Scheduler s(settings(false), devs.size(), t0);
    auto t = next(s, devs, t0);
    EXPECT_EQ(t.job.kind, JobKind::feedback);
    EXPECT_EQ(t.job.dev, 1u);
    EXPECT_FALSE(t.job.background);
    devs[1].feedback_dirty = false;
    t = next(s, devs, t0);
    EXPECT_EQ(t.job.kind, JobKind::refresh) << "credit is full at start";
    EXPECT_TRUE(t.job.background);
}

TEST(Scheduler, AnIdleBusSleepsUntilTheNextDueTime)
{
    std::vector<DeviceDue> devs{display(), display(), display()};
    auto cfg = settings();
    cfg.heartbeat_period = 400ms;
    Scheduler s(cfg, devs.size(), t0);
    auto t = next(s, devs, t0);
    ASSERT_EQ(t.job.kind, JobKind::broadcast); // due at start
    t = next(s, devs, t0 + 1ms);
    EXPECT_EQ(t.job.kind, JobKind::none);
    // The displays' presence checks are spread over the first period: the first at a
    // quarter of it.
    EXPECT_EQ(t.wake, t0 + 100ms);
    EXPECT_EQ(next(s, devs, t0 + 100ms).job.kind, JobKind::heartbeat);
}

TEST(Scheduler, AtStartEveryDeviceIsTriedOnceBeforeASecondTransactionWithAny)
{
    // Keypad 0 answered its probe and has its feedback to write; keypad 1 and the display
    // were not tried yet: they come first (READY=1 waits for them), the display by its image.
    std::vector<DeviceDue> devs{keypad(), keypad(), display()};
    devs[0].feedback_dirty = true;
    devs[1].state = DeviceState::offline;
    devs[1].contacted = false;
    devs[2].state = DeviceState::offline;
    devs[2].contacted = false;
    devs[2].display_dirty = true;
    Scheduler s(settings(false), devs.size(), t0);
    auto t = next(s, devs, t0, false, false);
    EXPECT_EQ(t.job.kind, JobKind::probe);
    EXPECT_EQ(t.job.dev, 1u);
    devs[1].contacted = true;
    t = next(s, devs, t0, false, false);
    EXPECT_EQ(t.job.kind, JobKind::display);
    EXPECT_EQ(t.job.dev, 2u);
    devs[2].contacted = true;
    devs[2].display_dirty = false; // its image written, it is online
    devs[2].state = DeviceState::online;
    // Every device tried (the bus reports its first contact): the feedback write goes.
    t = next(s, devs, t0, false, true);
    EXPECT_EQ(t.job.kind, JobKind::feedback);
    EXPECT_EQ(t.job.dev, 0u);
}
