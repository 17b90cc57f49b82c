#pragma once

// What the bus sends next. Pure: the worker describes what each device has waiting and
// the time; the scheduler answers with one job and keeps its own timers (poll round-robin,
// heartbeats, the background share of the bus, the wait for a key event's display write).
// The order (docs/bus.md "The driver"):
//   1. display writes                       6. a technician step, alternating with polls
//   2. EVT_ACK of committed events          7. a retry of an offline device due for one
//   3. feedback that changes what the       8. background work: the heartbeat broadcast,
//      clerk sees (number, LED)                heartbeats and presence checks, WATCHDOG_S,
//   4. one-shot writes (beeps, test            waiting-count refreshes; from a share of
//      patterns) whose time has come           the bus while polls are due, all of it
//   5. nothing, while a key event is with      when none is
//      the application, for up to one      9. a poll: the event device that waited
//      poll's time                            longest, at most once per min_poll_period
// A write that feeds a watchdog and is half a period late goes ahead of the share.

#include "modbus/health.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace motcua::modbus
{

// What one device has waiting, as the worker sees it at the moment of choosing.
struct DeviceDue
{
    DeviceState state = DeviceState::offline;
    std::chrono::steady_clock::time_point next_retry{}; // offline: tried again from then
    bool contacted = false;      // had its first attempt
    bool event_device = false;   // polled for key events
    bool heartbeat = false;      // has a HOST_HEARTBEAT register
    bool display = false;        // a display: never polled, checked for presence instead
    bool display_dirty = false;  // its image is to be (re)written
    bool ack_due = false;        // EVT_ACK of a committed event
    bool feedback_dirty = false; // SHOW_NUMBER or LED changed
    bool feedback_lazy = false;  // only SHOW_WAITING changed
    bool watchdog_due = false;   // WATCHDOG_S to be written
    bool event_in_flight = false; // a key event of it is with the application
    std::optional<std::chrono::steady_clock::time_point> oneshot_at; // first queued one-shot
};

enum class JobKind
{
    none,
    display,   // write the display image
    ack,       // EVT_ACK
    feedback,  // SHOW_NUMBER / LED (and whatever else changed with them)
    oneshot,   // beep, test-pattern step
    technician,
    probe,     // retry of an offline device
    broadcast, // HOST_HEARTBEAT to slave 0
    heartbeat, // one device's heartbeat write or presence check
    watchdog,  // WATCHDOG_S
    refresh,   // SHOW_WAITING alone
    poll,      // FC03 of the event block
};

struct Job
{
    JobKind kind = JobKind::none;
    std::size_t dev = 0;
    bool background = false; // paid from the background share
};

struct SchedulerSettings
{
    std::chrono::milliseconds min_poll_period{50};
    std::chrono::milliseconds heartbeat_period{2500};
    bool broadcast = false; // one broadcast feeds every device's watchdog
    // How long the bus waits for the display write a delivered key event causes.
    std::chrono::microseconds event_hold{20000};
    double background_share = 0.10;
    double max_credit_ms = 100;
};

class Scheduler
{
  public:
    using Clock = std::chrono::steady_clock;
    Scheduler(SchedulerSettings settings, std::size_t devices, Clock::time_point now);

    // The next job, or JobKind::none with `wake` lowered to when something falls due.
    // Taking a job advances the scheduler's own timers (next poll, heartbeat, turn).
    Job next(std::span<const DeviceDue> devices, bool technician_waiting, bool first_contact_reported,
             Clock::time_point now, Clock::time_point& wake);

    // A poll of `dev` handed a key event over: wait for its display write, and read the
    // FIFO again at once when more events are pending.
    void event_delivered(std::size_t dev, bool more_pending, Clock::time_point now);
    // EVT_ACK written: the next event of that device may be read at once.
    void acknowledged(std::size_t dev, Clock::time_point now);
    // A background job took this long.
    void spent_background(std::chrono::duration<double, std::milli> took) { credit_ms_ -= took.count(); }
    double credit_ms() const { return credit_ms_; }

    // How a device proves it is there when it is not polled (see heartbeat_kind()).
    enum class Heartbeat
    {
        none,     // polled (every poll proves it), or nothing to write
        watchdog, // its own HOST_HEARTBEAT write feeds its watchdog
        liveness, // a display: a presence check
    };
    Heartbeat heartbeat_kind(const DeviceDue& d) const;

  private:
    bool reachable(const DeviceDue& d, bool first_contact_reported, Clock::time_point now, Clock::time_point& wake) const;
    void earn_credit(Clock::time_point now);

    SchedulerSettings settings_;
    std::vector<Clock::time_point> next_poll_;
    std::vector<Clock::time_point> next_heartbeat_;
    Clock::time_point next_broadcast_;
    Clock::time_point hold_until_{};
    bool technician_turn_ = true;
    double credit_ms_;
    Clock::time_point credit_at_;
};

} // namespace motcua::modbus
