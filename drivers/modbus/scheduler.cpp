#include "modbus/scheduler.hpp"

#include <algorithm>

namespace motcua::modbus
{

Scheduler::Scheduler(SchedulerSettings settings, std::size_t devices, Clock::time_point now)
    : settings_(settings), next_poll_(devices, now), next_heartbeat_(devices), next_broadcast_(now),
      credit_ms_(settings.max_credit_ms), credit_at_(now)
{
    // Spread over the period so the presence checks do not come in a burst.
    for (std::size_t i = 0; i < devices; ++i)
        next_heartbeat_[i] = now + settings_.heartbeat_period * static_cast<long>(i + 1) / static_cast<long>(devices + 1);
}

// Event devices prove themselves with every poll; when a broadcast feeds their watchdogs
// they need nothing else. Displays are never polled: a presence check or their own
// heartbeat write is how we learn they are there.
Scheduler::Heartbeat Scheduler::heartbeat_kind(const DeviceDue& d) const
{
    if (d.heartbeat && !settings_.broadcast)
        return Heartbeat::watchdog;
    if (d.display)
        return Heartbeat::liveness;
    return Heartbeat::none;
}

bool Scheduler::reachable(const DeviceDue& d, bool first_contact_reported, Clock::time_point now,
                          Clock::time_point& wake) const
{
    if (d.state != DeviceState::offline)
        return true;
    // Until every device has had its first attempt, nobody is retried: a device found
    // absent must not keep the ones not yet tried waiting (READY=1 waits for them).
    if (!first_contact_reported && d.contacted)
        return false;
    if (now >= d.next_retry)
        return true;
    wake = std::min(wake, d.next_retry);
    return false;
}

void Scheduler::earn_credit(Clock::time_point now)
{
    double earned = settings_.background_share * std::chrono::duration<double, std::milli>(now - credit_at_).count();
    credit_ms_ = std::min(settings_.max_credit_ms, credit_ms_ + earned);
    credit_at_ = now;
}

void Scheduler::event_delivered(std::size_t dev, bool more_pending, Clock::time_point now)
{
    if (more_pending)
        next_poll_[dev] = now; // drain the FIFO before waiting a full period
    hold_until_ = now + settings_.event_hold;
}

void Scheduler::acknowledged(std::size_t dev, Clock::time_point now) { next_poll_[dev] = std::min(next_poll_[dev], now); }

Job Scheduler::next(std::span<const DeviceDue> devices, bool technician_waiting, bool first_contact_reported,
                    Clock::time_point now, Clock::time_point& wake)
{
    const auto n = devices.size();
    // Start-up (READY=1 waits for it): every device's first attempt comes before a second
    // transaction with any device, so a keypad's feedback write does not delay the probe of
    // the next one. A display's first attempt is the write of its image.
    if (!first_contact_reported)
        for (std::size_t i = 0; i < n; ++i)
            if (!devices[i].contacted)
                return Job{devices[i].display && devices[i].display_dirty ? JobKind::display : JobKind::probe, i};
    auto first = [&](auto wants) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < n; ++i)
            if (wants(devices[i]) && reachable(devices[i], first_contact_reported, now, wake))
                return i;
        return std::nullopt;
    };
    if (auto i = first([](const DeviceDue& d) { return d.display_dirty; }))
        return Job{JobKind::display, *i};
    if (auto i = first([](const DeviceDue& d) { return d.ack_due; }))
        return Job{JobKind::ack, *i};
    if (auto i = first([](const DeviceDue& d) { return d.feedback_dirty; }))
        return Job{JobKind::feedback, *i};
    for (std::size_t i = 0; i < n; ++i)
    {
        const auto& at = devices[i].oneshot_at;
        if (!at)
            continue;
        if (*at > now)
            wake = std::min(wake, *at);
        else if (reachable(devices[i], first_contact_reported, now, wake))
            return Job{JobKind::oneshot, i};
    }
    // A key event is with the application: its display write comes next.
    bool in_flight = std::any_of(devices.begin(), devices.end(), [](const DeviceDue& d) { return d.event_in_flight; });
    if (in_flight && now < hold_until_)
    {
        wake = std::min(wake, hold_until_);
        return {};
    }
    if (technician_waiting && technician_turn_)
    {
        technician_turn_ = false;
        return Job{JobKind::technician};
    }
    technician_turn_ = true;
    if (auto i = first([](const DeviceDue& d) { return d.state == DeviceState::offline && !d.event_in_flight; }))
        return Job{JobKind::probe, *i};

    // Round-robin: the device that has waited longest, at most once per min_poll_period.
    std::optional<std::size_t> poll;
    for (std::size_t i = 0; i < n; ++i)
    {
        const auto& d = devices[i];
        if (!d.event_device || d.state == DeviceState::offline || d.event_in_flight)
            continue;
        if (next_poll_[i] > now)
            wake = std::min(wake, next_poll_[i]);
        else if (!poll || next_poll_[i] < next_poll_[*poll])
            poll = i;
    }

    // Background work: from its share of the bus, or whenever no poll is due. A write that
    // feeds a watchdog and is half a period late goes anyway: the devices depend on it.
    earn_credit(now);
    bool allowed = !poll || credit_ms_ > 0;
    auto period = settings_.heartbeat_period;
    // Displays whose watchdog the broadcast feeds are checked for presence less often.
    auto liveness_period = settings_.broadcast ? 4 * period : period;
    auto due = [&](Clock::time_point at, bool feeds_watchdog) {
        if (at <= now && (allowed || (feeds_watchdog && now - at > period / 2)))
            return true;
        if (allowed)
            wake = std::min(wake, at);
        return false;
    };
    if (settings_.broadcast && due(next_broadcast_, true))
    {
        next_broadcast_ = now + period;
        return Job{JobKind::broadcast, 0, true};
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        auto kind = heartbeat_kind(devices[i]);
        if (kind == Heartbeat::none || devices[i].state == DeviceState::offline)
            continue;
        if (due(next_heartbeat_[i], kind == Heartbeat::watchdog))
        {
            next_heartbeat_[i] = now + (kind == Heartbeat::watchdog ? period : liveness_period);
            return Job{JobKind::heartbeat, i, true};
        }
    }
    if (allowed)
    {
        for (std::size_t i = 0; i < n; ++i)
            if (devices[i].watchdog_due && devices[i].state != DeviceState::offline)
                return Job{JobKind::watchdog, i, true};
        if (auto i = first([](const DeviceDue& d) { return d.feedback_lazy; }))
            return Job{JobKind::refresh, *i, true};
    }
    if (poll)
    {
        next_poll_[*poll] = now + settings_.min_poll_period;
        return Job{JobKind::poll, *poll};
    }
    return {};
}

} // namespace motcua::modbus
