#pragma once

// Internal to the bus driver: what the application asked each device to show and do, what
// the device has been sent, and the bus's shared state between the application's thread
// (Bus methods) and the worker thread. Everything under Core::m.

#include "modbus/bus.hpp"
#include "modbus/event_gate.hpp"

#include <boost/asio/post.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>

namespace motcua::modbus
{

class Transport;

struct DeviceInfo
{
    DeviceConfig dev;
    DeviceProfile profile;
    int timeout_ms = 100;
    bool event_device() const { return profile.events.present && is_event_role(dev.role); }
    bool display() const { return dev.role == DeviceRole::display && profile.display.present; }
    friend bool operator==(const DeviceInfo&, const DeviceInfo&) = default;
};

struct OneShot
{
    std::chrono::steady_clock::time_point not_before;
    std::vector<RegisterWrite> writes;
    bool restore = false; // after the writes: rewrite the desired display image
    std::function<void(Result<void>)> done;
};

struct Slot
{
    std::optional<DisplayImage> display;
    bool display_dirty = false;
    std::optional<FeedbackImage> feedback;
    bool feedback_dirty = false; // SHOW_NUMBER or LED changed: the whole feedback block
    // Only SHOW_WAITING changed: background work, not worth delaying a key press for; its
    // newest value goes out alone.
    bool feedback_lazy = false;
    std::deque<OneShot> oneshots;
    bool watchdog_due = false; // WATCHDOG_S to be written (background)
    std::optional<std::uint16_t> ack_due;
    EventGate gate;
    DeviceStats stats;
    std::uint64_t replies = 0;
    double reply_total_ms = 0;
};

// A technician operation: steps run on the worker between polls until one returns true;
// `fail` completes it with an error when the bus stops first. Either way `done` runs once.
struct TechnicianOp
{
    std::function<bool(Transport&)> step;
    std::function<void(Error)> fail;
};

struct Bus::Core
{
    Core(boost::asio::io_context& io_, BusConfig bus_, Handlers h) : io(io_), bus(std::move(bus_)), handlers(std::move(h)) {}

    boost::asio::io_context& io;
    const BusConfig bus;
    std::vector<DeviceInfo> devices;
    std::vector<DeviceProfile> profiles; // every profile the config knows, for technician operations
    Handlers handlers; // used on the io thread only
    std::shared_ptr<bool> alive;

    mutable std::mutex m;
    std::condition_variable cv;
    bool stopping = false;
    bool stopped = false; // stop() was called: no new work is taken
    std::vector<Slot> slots;
    std::deque<TechnicianOp> ops;
    BusStatus status;

    std::optional<std::size_t> index(std::string_view name) const
    {
        for (std::size_t i = 0; i < devices.size(); ++i)
            if (devices[i].dev.name == name)
                return i;
        return std::nullopt;
    }

    // Runs `f` on the io thread unless the Bus is gone by then (the handlers belong to
    // whoever owns the Bus).
    template <class F>
    void post(F f)
    {
        boost::asio::post(io, [alive = alive, f = std::move(f)]() mutable {
            if (*alive)
                f();
        });
    }
};

// One delivered key event; dropped uncommitted, it tells the gate to deliver it again.
struct EventCommit::Token
{
    std::weak_ptr<Bus::Core> core;
    std::size_t slot = 0;
    std::uint16_t seq = 0;
    std::mutex m;
    bool committed = false;

    ~Token()
    {
        if (committed)
            return;
        if (auto c = core.lock())
        {
            std::lock_guard lock(c->m);
            c->slots[slot].gate.abandoned(seq);
            c->cv.notify_all();
        }
    }
};

} // namespace motcua::modbus
