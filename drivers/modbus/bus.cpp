#include "modbus/bus.hpp"

#include "modbus/error.hpp"
#include "modbus/event_gate.hpp"
#include "modbus/timing.hpp"

#include <boost/asio/post.hpp>
#include <modbus/modbus.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace motcua::modbus
{

namespace
{

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstOpenRetry{500};
constexpr milliseconds kMaxOpenRetry{10000};

struct DeviceInfo
{
    config::Device dev;
    config::DeviceProfile profile;
    int timeout_ms = 100;
    bool event_device() const { return profile.events.present && config::is_event_role(dev.role); }
    bool display() const { return dev.role == config::DeviceRole::display && profile.display.present; }
};

struct OneShot
{
    Clock::time_point not_before;
    std::vector<RegisterWrite> writes;
    bool restore = false; // after the writes: rewrite the desired display image
    std::function<void(Result<void>)> done;
};

struct Slot
{
    std::optional<DisplayImage> display;
    bool display_dirty = false;
    std::optional<FeedbackImage> feedback;
    bool feedback_dirty = false;
    // Only SHOW_WAITING changed: background work, not worth delaying a key press for.
    bool feedback_lazy = false;
    std::deque<OneShot> oneshots;
    bool watchdog_due = false; // WATCHDOG_S to be written (background)
    std::optional<std::uint16_t> ack_due;
    EventGate gate;
    DeviceStats stats;
    std::uint64_t replies = 0;
    double reply_total_ms = 0;
};

class Worker;

} // namespace

struct Bus::Core
{
    Core(boost::asio::io_context& io_, config::Bus bus_, Handlers h) : io(io_), bus(std::move(bus_)), handlers(std::move(h)) {}

    boost::asio::io_context& io;
    const config::Bus bus;
    std::vector<DeviceInfo> devices;
    Handlers handlers; // used on the io thread only
    std::shared_ptr<bool> alive;

    mutable std::mutex m;
    std::condition_variable cv;
    bool stopping = false;
    std::vector<Slot> slots;
    std::deque<std::function<bool(Worker&)>> ops; // true when the op is finished
    BusStatus status;

    std::optional<std::size_t> index(std::string_view name) const
    {
        for (std::size_t i = 0; i < devices.size(); ++i)
            if (devices[i].dev.name == name)
                return i;
        return std::nullopt;
    }

    // Runs `f` on the io thread unless the Bus is gone by then.
    template <class F>
    void post(F f)
    {
        boost::asio::post(io, [alive = alive, f = std::move(f)]() mutable {
            if (*alive)
                f();
        });
    }
};

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

void EventCommit::commit() const
{
    if (!token_)
        return;
    {
        std::lock_guard lock(token_->m);
        if (token_->committed)
            return;
        token_->committed = true;
    }
    if (auto c = token_->core.lock())
    {
        std::lock_guard lock(c->m);
        auto& slot = c->slots[token_->slot];
        slot.gate.committed(token_->seq);
        slot.ack_due = token_->seq;
        c->cv.notify_all();
    }
}

bool EventCommit::committed() const
{
    if (!token_)
        return false;
    std::lock_guard lock(token_->m);
    return token_->committed;
}

namespace
{

struct Job
{
    enum Kind
    {
        none,
        display,
        feedback,
        ack,
        oneshot,
        technician,
        heartbeat,
        broadcast_heartbeat,
        probe,
        poll
    } kind = none;
    std::size_t dev = 0;
    bool background = false; // paid from the background share of the bus
    DisplayImage image;
    FeedbackImage fb;
    std::uint16_t seq = 0;
    OneShot shot;
    std::function<bool(Worker&)> op;
};

char parity_char(config::Parity p)
{
    return p == config::Parity::none ? 'N' : p == config::Parity::even ? 'E' : 'O';
}

class Worker
{
  public:
    Worker(std::shared_ptr<Bus::Core> core, HealthPolicy policy)
        : core_(std::move(core)), t35_(t35(core_->bus.baud)), broadcast_(shared_heartbeat(core_->devices))
    {
        const auto& b = core_->bus;
        auto n = core_->devices.size();
        health_.assign(n, Health(policy));
        next_poll_.assign(n, Clock::now());
        next_heartbeat_.resize(n);
        heartbeat_.assign(n, 0);
        contacted_.assign(n, false);
        no_readback_.assign(n, false);
        auto now = Clock::now();
        // Spread over the period so the liveness checks do not come in a burst.
        for (std::size_t i = 0; i < n; ++i)
            next_heartbeat_[i] = now + milliseconds(b.heartbeat_period_ms) * static_cast<long>(i + 1) /
                                           static_cast<long>(n + 1);
        next_broadcast_ = now;
        credit_at_ = now;
        double think_us = b.think_time_ms * 1000.0;
        event_hold_ = Micros{static_cast<long>(fc03_us(4, b.baud, think_us))};
        broadcast_turnaround_ = Micros{std::max(2 * b.think_time_ms, 5) * 1000};
    }

    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    ~Worker() { close(); }

    void run();

    // For technician operations. Return 0 or the errno of the failure.
    int read(int slave, std::uint16_t addr, int count, std::uint16_t* out, int timeout_ms,
             std::optional<std::size_t> dev = std::nullopt)
    {
        return transact(dev, slave, timeout_ms, 8,
                        [&](modbus_t* ctx) { return modbus_read_registers(ctx, addr, count, out); });
    }
    int write(int slave, const RegisterWrite& w, int timeout_ms, std::optional<std::size_t> dev = std::nullopt)
    {
        int request_bytes = w.single ? 8 : 9 + 2 * static_cast<int>(w.values.size());
        return transact(dev, slave, timeout_ms, request_bytes, [&](modbus_t* ctx) {
            if (w.single)
                return modbus_write_register(ctx, w.address, w.values.front());
            return modbus_write_registers(ctx, w.address, static_cast<int>(w.values.size()), w.values.data());
        });
    }
    bool is_open() const { return ctx_ != nullptr; }
    Bus::Core& core() { return *core_; }

    // Every device on the bus takes HOST_HEARTBEAT at the same address with the same write
    // function: one broadcast feeds every watchdog. On a mixed bus a broadcast could land in
    // another vendor's register, so each device gets its own write.
    static std::optional<RegisterWrite> shared_heartbeat(const std::vector<DeviceInfo>& devices)
    {
        if (devices.size() < 2)
            return std::nullopt;
        const auto& first = devices.front().profile;
        for (const auto& d : devices)
            if (!d.profile.identity.heartbeat || d.profile.identity.heartbeat != first.identity.heartbeat ||
                d.profile.write != first.write)
                return std::nullopt;
        return RegisterWrite{*first.identity.heartbeat, {0}, first.write == config::WriteFunction::fc06};
    }

  private:
    bool open();
    void close();
    Job pick(Clock::time_point now, Clock::time_point& wake);
    void execute(Job& job);
    void poll(std::size_t i);
    int write_all(std::size_t i, const std::vector<RegisterWrite>& writes);
    void record(std::optional<std::size_t> dev, int err, double ms);
    void transition(std::size_t i, DeviceState from, DeviceState to);
    void lost_port(const std::string& why);
    void broadcast(RegisterWrite w);
    void check_display(std::size_t i);
    enum class Heartbeat
    {
        none,     // polled: every poll proves it is there
        watchdog, // its own HOST_HEARTBEAT write feeds its watchdog
        liveness, // only to learn that it is (still) there: displays are never polled
    };
    Heartbeat heartbeat_kind(std::size_t i) const;
    // We write WATCHDOG_S to this device: it has one, and a heartbeat to watch.
    bool sets_watchdog(std::size_t i) const
    {
        const auto& id = core_->devices[i].profile.identity;
        return id.watchdog && id.heartbeat && core_->bus.host_watchdog_s > 0;
    }
    void contacted(std::optional<std::size_t> dev);
    void earn_credit(Clock::time_point now);

    // A device never heard from gets a short first attempt, sized to the request: at start
    // an absent device must not hold everyone up for a full response timeout (READY=1 waits
    // for the first attempt at every device). A slow device that misses it is tried again
    // with the full timeout at its first retry, 250 ms later.
    int first_contact_ms(int request_bytes) const
    {
        const auto& b = core_->bus;
        return static_cast<int>(first_contact_timeout_us(request_bytes, b.baud, 1000.0 * b.think_time_ms) / 1000.0 + 0.5);
    }

    template <class F>
    int transact(std::optional<std::size_t> dev, int slave, int timeout_ms, int request_bytes, F&& call)
    {
        if (!ctx_)
            return EBADF;
        if (dev && !contacted_[*dev])
            timeout_ms = std::min(timeout_ms, first_contact_ms(request_bytes));
        std::this_thread::sleep_until(last_frame_end_ + t35_);
        modbus_set_slave(ctx_, slave);
        modbus_set_response_timeout(ctx_, static_cast<std::uint32_t>(timeout_ms / 1000),
                                    static_cast<std::uint32_t>((timeout_ms % 1000) * 1000));
        auto t0 = Clock::now();
        errno = 0;
        int rc = call(ctx_);
        int err = rc < 0 ? (errno != 0 ? errno : EIO) : 0;
        auto t1 = Clock::now();
        last_frame_end_ = t1;
        if (err != 0)
        {
            // A late reply would otherwise be taken for the answer to the next request.
            modbus_flush(ctx_);
        }
        record(dev, err, std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (err != 0 && classify(err) == Fault::io)
            lost_port(errno_code(err).message());
        return err;
    }

    std::shared_ptr<Bus::Core> core_;
    Micros t35_;
    modbus_t* ctx_ = nullptr;
    std::vector<Health> health_;
    std::vector<Clock::time_point> next_poll_;
    std::vector<Clock::time_point> next_heartbeat_;
    std::vector<std::uint16_t> heartbeat_;
    Clock::time_point last_frame_end_{};
    Clock::time_point next_open_{};
    milliseconds open_backoff_{0};
    bool op_turn_ = true;
    std::vector<bool> contacted_; // attempted at least once
    std::vector<bool> no_readback_; // the display refused FC03 on its own registers
    bool first_contact_reported_ = false;
    std::optional<RegisterWrite> broadcast_;
    std::uint16_t broadcast_value_ = 0;
    Clock::time_point next_broadcast_{};
    Micros broadcast_turnaround_{5000};
    // After a key event is handed over, the bus waits up to one poll's time for the
    // application's answer (commit, then display write) instead of starting a poll it would
    // then have to sit out: the display write follows the commit at once.
    Micros event_hold_{20000};
    Clock::time_point hold_until_{};
    // Background work (heartbeats, liveness checks, waiting-count refreshes) may take this
    // share of the bus while polls are due; the credit is earned with time and spent with
    // the transactions' own duration.
    static constexpr double kBackgroundShare = 0.10;
    static constexpr double kMaxCreditMs = 100;
    double credit_ms_ = kMaxCreditMs;
    Clock::time_point credit_at_{};
};

bool Worker::open()
{
    const auto& b = core_->bus;
    std::string error;
    ctx_ = modbus_new_rtu(b.device.c_str(), b.baud, parity_char(b.parity), b.data_bits, b.stop_bits);
    if (!ctx_)
        error = "invalid line settings: " + errno_code(errno).message();
    else
    {
        modbus_set_error_recovery(ctx_, MODBUS_ERROR_RECOVERY_NONE);
        modbus_set_byte_timeout(ctx_, static_cast<std::uint32_t>(b.byte_timeout_ms / 1000),
                                static_cast<std::uint32_t>((b.byte_timeout_ms % 1000) * 1000));
        if (modbus_connect(ctx_) == -1)
        {
            int e = errno;
            error = "cannot open " + b.device + ": " + errno_code(e).message();
            if (e == EINVAL && b.parity != config::Parity::none)
                error += " (the port refused the line settings; a pseudo-terminal cannot carry parity: "
                         "use parity = \"N\" and stop_bits = 2)";
            modbus_free(ctx_);
            ctx_ = nullptr;
        }
    }
    if (!ctx_)
    {
        open_backoff_ = open_backoff_.count() == 0 ? kFirstOpenRetry : std::min(open_backoff_ * 2, kMaxOpenRetry);
        next_open_ = Clock::now() + open_backoff_;
        std::lock_guard lock(core_->m);
        if (core_->status.error != error)
            spdlog::error("Modbus bus cannot be opened bus={} device={} error=\"{}\" retry_ms={}", b.name,
                          b.device, error, open_backoff_.count());
        core_->status = BusStatus{false, error};
        // An absent adapter is the first attempt at every device on it.
        for (std::size_t i = 0; i < contacted_.size(); ++i)
            contacted(i);
        contacted(std::nullopt);
        return false;
    }
    if (b.rs485 && modbus_rtu_set_serial_mode(ctx_, MODBUS_RTU_RS485) == -1)
        spdlog::warn("Modbus bus cannot switch the port to kernel RS-485 mode bus={} device={} error=\"{}\"",
                     b.name, b.device, errno_code(errno).message());
    // Bytes from before a restart must never be taken for a reply.
    modbus_flush(ctx_);
    open_backoff_ = milliseconds{0};
    last_frame_end_ = Clock::now();
    spdlog::info("Modbus bus opened bus={} device={} baud={} parity={} data_bits={} stop_bits={}", b.name, b.device,
                 b.baud, parity_char(b.parity), b.data_bits, b.stop_bits);
    {
        std::lock_guard lock(core_->m);
        core_->status = BusStatus{true, ""};
    }
    contacted(std::nullopt); // a bus without devices is done at its first open
    return true;
}

void Worker::contacted(std::optional<std::size_t> dev)
{
    if (dev)
        contacted_[*dev] = true;
    if (first_contact_reported_ || std::find(contacted_.begin(), contacted_.end(), false) != contacted_.end())
        return;
    first_contact_reported_ = true;
    core_->post([core = core_] {
        if (core->handlers.on_first_contact)
            core->handlers.on_first_contact();
    });
}

void Worker::close()
{
    if (!ctx_)
        return;
    modbus_close(ctx_);
    modbus_free(ctx_);
    ctx_ = nullptr;
}

void Worker::lost_port(const std::string& why)
{
    close();
    const auto& b = core_->bus;
    spdlog::error("Modbus bus lost its port bus={} device={} error=\"{}\"", b.name, b.device, why);
    auto now = Clock::now();
    {
        std::lock_guard lock(core_->m);
        core_->status = BusStatus{false, why};
    }
    next_open_ = now + kFirstOpenRetry;
    for (std::size_t i = 0; i < health_.size(); ++i)
    {
        auto before = health_[i].state();
        if (auto s = health_[i].lost(now))
            transition(i, before, *s);
    }
}

void Worker::transition(std::size_t i, DeviceState from, DeviceState s)
{
    const auto& d = core_->devices[i].dev;
    DeviceStats snapshot;
    {
        std::lock_guard lock(core_->m);
        auto& slot = core_->slots[i];
        slot.stats.state = s;
        if (from == DeviceState::offline)
        {
            // Back (or there for the first time): it shows what it should, not what it had.
            if (slot.display)
                slot.display_dirty = true;
            if (slot.feedback)
                slot.feedback_dirty = true;
            // ...and watches for the host with our watchdog time, not its factory default.
            slot.watchdog_due = sets_watchdog(i);
        }
        snapshot = slot.stats;
    }
    switch (s)
    {
    case DeviceState::online:
        spdlog::info("Modbus device is online bus={} device={} slave={}", d.bus, d.name, d.slave);
        break;
    case DeviceState::degraded:
        spdlog::warn("Modbus device is degraded bus={} device={} slave={} error=\"{}\"", d.bus, d.name, d.slave,
                     snapshot.last_error);
        break;
    case DeviceState::offline:
        spdlog::warn("Modbus device went offline bus={} device={} slave={} error=\"{}\"", d.bus, d.name, d.slave,
                     snapshot.last_error);
        break;
    }
    core_->post([core = core_, snapshot] {
        if (core->handlers.on_state)
            core->handlers.on_state(snapshot);
    });
}

void Worker::record(std::optional<std::size_t> dev, int err, double ms)
{
    if (!dev)
        return;
    auto i = *dev;
    auto fault = classify(err);
    {
        std::lock_guard lock(core_->m);
        auto& s = core_->slots[i];
        ++s.stats.requests;
        if (fault == Fault::timeout)
            ++s.stats.timeouts;
        else if (fault == Fault::crc)
            ++s.stats.crc_errors;
        else if (fault != Fault::none)
            ++s.stats.other_errors;
        if (fault == Fault::none)
        {
            ++s.replies;
            s.reply_total_ms += ms;
            s.stats.mean_reply_ms = s.reply_total_ms / static_cast<double>(s.replies);
        }
        else
            s.stats.last_error = errno_code(err).message();
    }
    // An exception reply still proves the device is there.
    bool ok = fault == Fault::none || fault == Fault::exception;
    auto before = health_[i].state();
    if (auto s = health_[i].record(ok, Clock::now()))
        transition(i, before, *s);
    contacted(i); // after the state: whoever hears of the first contact sees it
}

int Worker::write_all(std::size_t i, const std::vector<RegisterWrite>& writes)
{
    const auto& d = core_->devices[i];
    for (const auto& w : writes)
        if (int err = write(d.dev.slave, w, d.timeout_ms, i); err != 0)
            return err;
    return 0;
}

Job Worker::pick(Clock::time_point now, Clock::time_point& wake)
{
    auto& c = *core_;
    Job job;
    auto n = c.devices.size();
    auto reachable = [&](std::size_t i) {
        // Until every device has had its first attempt, nobody is retried: a device found
        // absent must not keep the ones not yet tried waiting (READY=1 waits for them).
        if (!first_contact_reported_ && contacted_[i] && health_[i].state() == DeviceState::offline)
            return false;
        if (health_[i].retry_due(now))
            return true;
        wake = std::min(wake, health_[i].next_retry());
        return false;
    };
    for (std::size_t i = 0; i < n; ++i)
        if (c.slots[i].display_dirty && reachable(i))
        {
            auto& s = c.slots[i];
            job.kind = Job::display;
            job.dev = i;
            job.image = *s.display;
            s.display->blinks = 0; // a blink is for this write, not for rewrites
            s.display_dirty = false;
            return job;
        }
    for (std::size_t i = 0; i < n; ++i)
        if (c.slots[i].ack_due && reachable(i))
        {
            job.kind = Job::ack;
            job.dev = i;
            job.seq = *c.slots[i].ack_due;
            c.slots[i].ack_due.reset();
            return job;
        }
    for (std::size_t i = 0; i < n; ++i)
        if (c.slots[i].feedback_dirty && reachable(i))
        {
            job.kind = Job::feedback;
            job.dev = i;
            job.fb = *c.slots[i].feedback;
            c.slots[i].feedback_dirty = false;
            c.slots[i].feedback_lazy = false;
            return job;
        }
    for (std::size_t i = 0; i < n; ++i)
    {
        auto& q = c.slots[i].oneshots;
        if (q.empty())
            continue;
        if (q.front().not_before <= now && reachable(i))
        {
            job.kind = Job::oneshot;
            job.dev = i;
            job.shot = std::move(q.front());
            q.pop_front();
            return job;
        }
        wake = std::min(wake, q.front().not_before);
    }
    // A key event is with the application: its display write comes next.
    if (now < hold_until_ && std::any_of(c.slots.begin(), c.slots.end(), [](const Slot& s) { return s.gate.in_flight(); }))
    {
        wake = std::min(wake, hold_until_);
        return job;
    }
    if (!c.ops.empty() && op_turn_)
    {
        op_turn_ = false;
        job.kind = Job::technician;
        job.op = c.ops.front();
        return job;
    }
    op_turn_ = true;
    for (std::size_t i = 0; i < n; ++i)
        if (health_[i].state() == DeviceState::offline && reachable(i) && !c.slots[i].gate.in_flight())
        {
            job.kind = Job::probe;
            job.dev = i;
            return job;
        }
    // Round-robin: the device that has waited longest, at most once per min_poll_period.
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < n; ++i)
    {
        if (!c.devices[i].event_device() || health_[i].state() == DeviceState::offline || c.slots[i].gate.in_flight())
            continue;
        if (next_poll_[i] > now)
        {
            wake = std::min(wake, next_poll_[i]);
            continue;
        }
        if (!best || next_poll_[i] < next_poll_[*best])
            best = i;
    }
    // Background work: from its share of the bus, or whenever no poll is due. A write that
    // feeds a watchdog and is half a period late goes anyway: the devices depend on it.
    earn_credit(now);
    bool allowed = !best || credit_ms_ > 0;
    auto period = milliseconds(c.bus.heartbeat_period_ms);
    // Displays whose watchdog the broadcast feeds are checked for presence less often.
    auto liveness_period = broadcast_ ? 4 * period : period;
    auto due = [&](Clock::time_point at, bool feeds_watchdog) {
        if (at <= now && (allowed || (feeds_watchdog && now - at > period / 2)))
            return true;
        if (allowed)
            wake = std::min(wake, at);
        return false;
    };
    if (broadcast_ && due(next_broadcast_, true))
    {
        job.kind = Job::broadcast_heartbeat;
        job.background = true;
        next_broadcast_ = now + period;
        return job;
    }
    for (std::size_t i = 0; i < n; ++i)
    {
        auto kind = heartbeat_kind(i);
        if (kind == Heartbeat::none || health_[i].state() == DeviceState::offline)
            continue;
        if (due(next_heartbeat_[i], kind == Heartbeat::watchdog))
        {
            job.kind = Job::heartbeat;
            job.background = true;
            job.dev = i;
            next_heartbeat_[i] = now + (kind == Heartbeat::watchdog ? period : liveness_period);
            return job;
        }
    }
    if (allowed)
        for (std::size_t i = 0; i < n; ++i)
            if (c.slots[i].watchdog_due && health_[i].state() != DeviceState::offline)
            {
                const auto& d = c.devices[i];
                job.kind = Job::oneshot;
                job.background = true;
                job.dev = i;
                job.shot.writes = {RegisterWrite{*d.profile.identity.watchdog,
                                                 {static_cast<std::uint16_t>(c.bus.host_watchdog_s)},
                                                 d.profile.write == config::WriteFunction::fc06}};
                c.slots[i].watchdog_due = false;
                return job;
            }
    if (allowed)
        for (std::size_t i = 0; i < n; ++i)
            if (c.slots[i].feedback_lazy && reachable(i))
            {
                job.kind = Job::feedback;
                job.background = true;
                job.dev = i;
                job.fb = *c.slots[i].feedback;
                c.slots[i].feedback_lazy = false;
                return job;
            }
    if (best)
    {
        job.kind = Job::poll;
        job.dev = *best;
        next_poll_[*best] = now + milliseconds(c.bus.min_poll_period_ms);
    }
    return job;
}

void Worker::earn_credit(Clock::time_point now)
{
    credit_ms_ = std::min(kMaxCreditMs, credit_ms_ + kBackgroundShare *
                                                         std::chrono::duration<double, std::milli>(now - credit_at_).count());
    credit_at_ = now;
}

// Event devices prove themselves with every poll; when a broadcast feeds their watchdogs
// they need nothing else. Displays are never polled: a presence check (check_display) or
// their own heartbeat write is how we learn they are there.
Worker::Heartbeat Worker::heartbeat_kind(std::size_t i) const
{
    const auto& d = core_->devices[i];
    if (d.profile.identity.heartbeat && !broadcast_)
        return Heartbeat::watchdog;
    if (d.display())
        return Heartbeat::liveness;
    return Heartbeat::none;
}

// A display's presence check reads back what it shows. A display that lost power for a
// moment answers as if nothing happened but shows its power-on state; this is how it gets
// its number back without waiting for the counter's next call.
void Worker::check_display(std::size_t i)
{
    const auto& d = core_->devices[i];
    std::optional<DisplayImage> img;
    {
        std::lock_guard lock(core_->m);
        if (core_->slots[i].display_dirty)
            return; // a write is on its way anyway
        img = core_->slots[i].display;
    }
    if (!img)
        return;
    auto expected = shown_registers(d.profile, *img);
    if (expected.empty())
        return;
    auto first = expected.front().first;
    int count = expected.back().first - first + 1;
    std::vector<std::uint16_t> got(static_cast<std::size_t>(count));
    int err = read(d.dev.slave, first, count, got.data(), d.timeout_ms, i);
    if (err != 0)
    {
        if (classify(err) == Fault::exception)
        {
            no_readback_[i] = true;
            spdlog::info("Modbus display cannot be read back, checked by writing instead bus={} device={} slave={} "
                         "error=\"{}\"",
                         d.dev.bus, d.dev.name, d.dev.slave, errno_code(err).message());
        }
        return;
    }
    std::lock_guard lock(core_->m);
    auto& s = core_->slots[i];
    if (s.display != img || s.display_dirty)
        return; // a newer image came meanwhile: it is being written
    for (auto [address, value] : expected)
        if (got[address - first] != value)
        {
            spdlog::warn("Modbus display lost what it showed, rewriting bus={} device={} slave={} register={:#06x} "
                         "read={} expected={}",
                         d.dev.bus, d.dev.name, d.dev.slave, address, got[address - first], value);
            s.display_dirty = true;
            s.watchdog_due = sets_watchdog(i); // a power cycle also forgot WATCHDOG_S
            return;
        }
}

void Worker::broadcast(RegisterWrite w)
{
    if (!ctx_)
        return;
    std::this_thread::sleep_until(last_frame_end_ + t35_);
    auto hi = [](std::uint16_t v) { return static_cast<std::uint8_t>(v >> 8); };
    auto lo = [](std::uint16_t v) { return static_cast<std::uint8_t>(v & 0xFF); };
    std::vector<std::uint8_t> pdu{0, static_cast<std::uint8_t>(w.single ? 0x06 : 0x10), hi(w.address), lo(w.address)};
    if (w.single)
        pdu.insert(pdu.end(), {hi(w.values.front()), lo(w.values.front())});
    else
    {
        pdu.insert(pdu.end(), {hi(static_cast<std::uint16_t>(w.values.size())), lo(static_cast<std::uint16_t>(w.values.size())),
                               static_cast<std::uint8_t>(2 * w.values.size())});
        for (auto v : w.values)
            pdu.insert(pdu.end(), {hi(v), lo(v)});
    }
    // libmodbus 3.1.6 waits for a reply to slave 0 like to any other id; a raw request is
    // sent without waiting. Nobody answers: the line is free once the frame is out and the
    // devices have had their turnaround time to act on it.
    errno = 0;
    int rc = modbus_send_raw_request(ctx_, pdu.data(), static_cast<int>(pdu.size()));
    auto frame = Micros{static_cast<long>((pdu.size() + 2) * char_time_us(core_->bus.baud))};
    last_frame_end_ = Clock::now() + frame + broadcast_turnaround_;
    if (rc < 0)
    {
        int err = errno != 0 ? errno : EIO;
        if (classify(err) == Fault::io)
            lost_port(errno_code(err).message());
    }
}

void Worker::poll(std::size_t i)
{
    const auto& d = core_->devices[i];
    std::uint16_t regs[4] = {};
    if (read(d.dev.slave, d.profile.events.block, 4, regs, d.timeout_ms, i) != 0)
        return;
    EventHead head{regs[0], regs[1], regs[2], regs[3]};
    std::lock_guard lock(core_->m);
    auto& slot = core_->slots[i];
    switch (slot.gate.on_head(head))
    {
    case GateAction::none:
    case GateAction::wait: return;
    case GateAction::ack:
        slot.ack_due = head.seq;
        return;
    case GateAction::deliver: break;
    }
    if (head.pending > 1)
        next_poll_[i] = Clock::now(); // drain the FIFO before waiting a full period
    hold_until_ = Clock::now() + event_hold_;
    auto token = std::make_shared<EventCommit::Token>();
    token->core = core_;
    token->slot = i;
    token->seq = head.seq;
    KeyEvent ev{d.dev.bus, d.dev.name, d.dev.slave, d.dev.role, d.dev.counter, d.dev.kiosk,
                head.seq,  head.key,   head.arg,    head.pending};
    spdlog::debug("Modbus key event bus={} device={} seq={} key={} arg={}", ev.bus, ev.device, ev.seq, ev.key,
                  ev.arg);
    core_->post([core = core_, ev = std::move(ev), commit = EventCommit{std::move(token)}]() mutable {
        if (core->handlers.on_event)
            core->handlers.on_event(ev, std::move(commit));
    });
}

void Worker::execute(Job& job)
{
    auto i = job.dev;
    const auto& d = core_->devices[i];
    switch (job.kind)
    {
    case Job::none: return;
    case Job::display: {
        bool ok = write_all(i, encode_display(d.profile, job.image)) == 0;
        std::lock_guard lock(core_->m);
        auto& s = core_->slots[i];
        auto written = job.image;
        written.blinks = 0;
        if (!ok)
            s.display_dirty = true;
        else if (s.display == written)
            s.display_dirty = false; // it shows what it should (a comeback during this write)
        return;
    }
    case Job::feedback: {
        bool ok = write_all(i, encode_feedback(d.profile, job.fb)) == 0;
        std::lock_guard lock(core_->m);
        auto& s = core_->slots[i];
        if (!ok)
            s.feedback_dirty = true;
        else if (s.feedback == job.fb)
            s.feedback_dirty = false;
        return;
    }
    case Job::ack:
        // A failed ACK is not retried here: the next poll shows the same head, which the
        // gate recognises as committed and acknowledges again.
        write(d.dev.slave, RegisterWrite{d.profile.events.ack, {job.seq}, d.profile.write == config::WriteFunction::fc06},
              d.timeout_ms, i);
        next_poll_[i] = std::min(next_poll_[i], Clock::now());
        return;
    case Job::oneshot: {
        int err = write_all(i, job.shot.writes);
        if (job.shot.restore)
        {
            std::lock_guard lock(core_->m);
            core_->slots[i].display_dirty = core_->slots[i].display.has_value();
        }
        if (job.shot.done)
            core_->post([done = std::move(job.shot.done), err] {
                if (err == 0)
                    done(Result<void>{});
                else
                    done(make_error("device_error", errno_code(err).message()));
            });
        return;
    }
    case Job::technician: {
        bool finished = job.op(*this);
        if (finished)
        {
            std::lock_guard lock(core_->m);
            if (!core_->ops.empty())
                core_->ops.pop_front();
        }
        return;
    }
    case Job::heartbeat:
        if (heartbeat_kind(i) == Heartbeat::liveness && !no_readback_[i])
            check_display(i);
        else if (d.profile.identity.heartbeat)
            write(d.dev.slave, RegisterWrite{*d.profile.identity.heartbeat, {++heartbeat_[i]}, d.profile.write == config::WriteFunction::fc06},
                  d.timeout_ms, i);
        else
        {
            // Neither a heartbeat register nor a read-back: refreshing the image proves
            // the display is there.
            std::optional<DisplayImage> img;
            {
                std::lock_guard lock(core_->m);
                img = core_->slots[i].display;
            }
            if (img)
            {
                img->blinks = 0;
                write_all(i, encode_display(d.profile, *img));
            }
        }
        return;
    case Job::broadcast_heartbeat:
        broadcast_->values = {++broadcast_value_};
        broadcast(*broadcast_);
        return;
    case Job::probe:
        if (d.profile.identity.role)
        {
            std::uint16_t id[2] = {};
            int count = d.profile.identity.firmware == *d.profile.identity.role + 1 ? 2 : 1;
            if (read(d.dev.slave, *d.profile.identity.role, count, id, d.timeout_ms, i) == 0)
            {
                std::lock_guard lock(core_->m);
                auto& st = core_->slots[i].stats;
                st.reported_role = id[0];
                if (count == 2)
                    st.firmware = id[1];
                if (id[0] != static_cast<int>(d.dev.role))
                    spdlog::warn("Modbus device reports another role bus={} device={} slave={} configured={} "
                                 "reported={}",
                                 d.dev.bus, d.dev.name, d.dev.slave, config::to_string(d.dev.role), id[0]);
            }
        }
        else if (d.event_device())
            poll(i);
        else if (d.display())
        {
            std::optional<DisplayImage> img;
            {
                std::lock_guard lock(core_->m);
                img = core_->slots[i].display;
            }
            if (img)
                write_all(i, encode_display(d.profile, *img));
        }
        return;
    case Job::poll: poll(i); return;
    }
}

void Worker::run()
{
    auto& c = *core_;
    while (true)
    {
        auto now = Clock::now();
        if (!ctx_ && now >= next_open_)
            open();
        Job job;
        {
            std::unique_lock lock(c.m);
            if (c.stopping)
                return;
            auto wake = now + std::chrono::seconds(1);
            if (ctx_)
                job = pick(now, wake);
            else
                wake = next_open_;
            if (job.kind == Job::none)
            {
                c.cv.wait_until(lock, wake);
                continue;
            }
        }
        auto started = Clock::now();
        execute(job);
        if (job.background)
            credit_ms_ -= std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    }
}

} // namespace

Bus::Bus(boost::asio::io_context& io, const config::Bus& bus, const config::Devices& devices, Handlers handlers,
         HealthPolicy health)
    : core_(std::make_shared<Core>(io, bus, std::move(handlers))), alive_(std::make_shared<bool>(true))
{
    core_->alive = alive_;
    for (const auto& d : devices.devices)
    {
        if (d.bus != bus.name)
            continue;
        const auto* p = devices.profile(d.profile);
        if (!p)
            continue; // config validation guarantees it; a hand-made Devices may lack it
        DeviceInfo info{d, *p, d.response_timeout_ms.value_or(bus.response_timeout_ms)};
        Slot slot;
        slot.stats.bus = bus.name;
        slot.stats.name = d.name;
        slot.stats.slave = d.slave;
        slot.stats.role = d.role;
        slot.stats.profile = p->name;
        if (info.display())
        {
            DisplayImage img;
            img.brightness = d.brightness;
            slot.display = img;
            slot.display_dirty = true;
        }
        if (info.event_device() &&
            (p->feedback.show_number || p->feedback.show_waiting || p->feedback.led))
        {
            slot.feedback = FeedbackImage{};
            slot.feedback_dirty = true;
        }
        core_->devices.push_back(std::move(info));
        core_->slots.push_back(std::move(slot));
    }
    health_policy_ = health;
}

Bus::~Bus()
{
    stop();
    *alive_ = false;
}

void Bus::start()
{
    if (worker_.joinable())
        return;
    {
        std::lock_guard lock(core_->m);
        core_->stopping = false;
    }
    worker_ = std::thread([core = core_, policy = health_policy_] {
        Worker w(core, policy);
        w.run();
    });
}

void Bus::stop()
{
    {
        std::lock_guard lock(core_->m);
        core_->stopping = true;
    }
    core_->cv.notify_all();
    if (worker_.joinable())
        worker_.join();
}

const std::string& Bus::name() const { return core_->bus.name; }

bool Bus::show(std::string_view device, const DisplayImage& image)
{
    auto i = core_->index(device);
    if (!i || !core_->devices[*i].display())
        return false;
    {
        std::lock_guard lock(core_->m);
        auto& s = core_->slots[*i];
        // Rewriting the same steady image is pointless; a blink always goes out.
        if (s.display && *s.display == image && image.blinks == 0 && !s.display_dirty)
            return true;
        s.display = image;
        s.display_dirty = true;
    }
    core_->cv.notify_all();
    return true;
}

bool Bus::feedback(std::string_view device, const FeedbackImage& image)
{
    auto i = core_->index(device);
    if (!i || !core_->devices[*i].event_device())
        return false;
    {
        std::lock_guard lock(core_->m);
        auto& s = core_->slots[*i];
        if (s.feedback && *s.feedback == image)
            return true;
        bool only_waiting = s.feedback && s.feedback->show_number == image.show_number && s.feedback->led == image.led;
        s.feedback = image;
        if (only_waiting && !s.feedback_dirty)
            s.feedback_lazy = true;
        else
            s.feedback_dirty = true;
    }
    core_->cv.notify_all();
    return true;
}

bool Bus::beep(std::string_view device, int beeps)
{
    auto i = core_->index(device);
    if (!i)
        return false;
    auto w = encode_beep(core_->devices[*i].profile, beeps);
    if (!w)
        return false;
    {
        std::lock_guard lock(core_->m);
        core_->slots[*i].oneshots.push_back(OneShot{Clock::now(), {*w}, false, {}});
    }
    core_->cv.notify_all();
    return true;
}

void Bus::seed_last_committed(std::string_view device, std::uint16_t seq)
{
    if (auto i = core_->index(device))
    {
        std::lock_guard lock(core_->m);
        core_->slots[*i].gate.seed(seq);
    }
}

std::vector<DeviceStats> Bus::devices() const
{
    std::lock_guard lock(core_->m);
    std::vector<DeviceStats> out;
    for (const auto& s : core_->slots)
        out.push_back(s.stats);
    return out;
}

BusStatus Bus::status() const
{
    std::lock_guard lock(core_->m);
    return core_->status;
}

std::optional<DisplayImage> Bus::desired_display(std::string_view device) const
{
    auto i = core_->index(device);
    if (!i)
        return std::nullopt;
    std::lock_guard lock(core_->m);
    return core_->slots[*i].display;
}

void Bus::scan(int first, int last, std::function<void(std::vector<ScanEntry>)> done)
{
    struct State
    {
        int next;
        int last;
        std::vector<ScanEntry> found;
        std::function<void(std::vector<ScanEntry>)> done;
    };
    auto st = std::make_shared<State>(State{std::clamp(first, 1, 247), std::clamp(last, 1, 247), {}, std::move(done)});
    auto step = [st](Worker& w) {
        if (st->next > st->last || !w.is_open())
        {
            w.core().post([st] { st->done(std::move(st->found)); });
            return true;
        }
        int id = st->next++;
        std::uint16_t regs[2] = {};
        int err = w.read(id, 0x0000, 2, regs, w.core().bus.response_timeout_ms);
        if (err == 0)
            st->found.push_back(ScanEntry{id, regs[0], regs[1], ""});
        else if (classify(err) == Fault::exception)
            st->found.push_back(ScanEntry{id, std::nullopt, std::nullopt, "answers with exception: " + errno_code(err).message()});
        else if (classify(err) == Fault::crc || classify(err) == Fault::protocol)
            st->found.push_back(ScanEntry{id, std::nullopt, std::nullopt, "garbled reply: " + errno_code(err).message()});
        return false;
    };
    {
        std::lock_guard lock(core_->m);
        core_->ops.push_back(step);
    }
    core_->cv.notify_all();
}

void Bus::set_id(int from, int to, std::optional<int> baud, std::function<void(Result<void>)> done)
{
    // The registers of the device configured at `from`, or motcua-v1's.
    config::SetupRegisters setup;
    setup.slave_id = 0x0F00;
    setup.baud_code = 0x0F01;
    setup.parity = 0x0F02;
    setup.commit = 0x0F0F;
    setup.baud_codes = {{9600, 0}, {19200, 1}, {38400, 2}, {57600, 3}, {115200, 4}};
    bool fc06 = false;
    std::optional<std::uint16_t> identity = 0x0000;
    for (const auto& d : core_->devices)
        if (d.dev.slave == from)
        {
            setup = d.profile.setup;
            fc06 = d.profile.write == config::WriteFunction::fc06;
            identity = d.profile.identity.role;
        }
    auto fail = [this, &done](std::string code, std::string msg) {
        core_->post([done, e = make_error(std::move(code), std::move(msg))] { done(e); });
    };
    if (from < 1 || from > 247 || to < 1 || to > 247)
        return fail("bad_id", "Slave ids are 1..247.");
    if (!setup.slave_id)
        return fail("unsupported", "The device's profile has no slave id register.");
    std::optional<int> code;
    if (baud)
    {
        for (auto [b, c] : setup.baud_codes)
            if (b == *baud)
                code = c;
        if (!code || !setup.baud_code)
            return fail("unsupported", "The device's profile cannot set " + std::to_string(*baud) + " baud.");
    }
    auto op = [from, to, code, setup, fc06, identity, done](Worker& w) {
        auto timeout = w.core().bus.response_timeout_ms;
        auto finish = [&w, &done](Result<void> r) { w.core().post([done, r] { done(r); }); };
        auto wr = [&](std::uint16_t addr, std::uint16_t v) { return w.write(from, RegisterWrite{addr, {v}, fc06}, timeout); };
        if (int err = wr(*setup.slave_id, static_cast<std::uint16_t>(to)); err != 0)
        {
            finish(make_error("device_error", "Slave " + std::to_string(from) + " did not take the new id: " +
                                                  errno_code(err).message()));
            return true;
        }
        if (code)
            if (int err = wr(*setup.baud_code, static_cast<std::uint16_t>(*code)); err != 0)
            {
                finish(make_error("device_error", "Slave " + std::to_string(from) + " did not take the baud code: " +
                                                      errno_code(err).message()));
                return true;
            }
        if (setup.commit)
        {
            // The device may restart before its reply is out: a timeout here is not a failure.
            int err = wr(*setup.commit, setup.commit_value);
            if (err != 0 && classify(err) != Fault::timeout)
            {
                finish(make_error("device_error", "Slave " + std::to_string(from) + " refused COMMIT: " +
                                                      errno_code(err).message()));
                return true;
            }
        }
        if (!code && identity)
        {
            std::uint16_t role = 0;
            int err = 0;
            for (int attempt = 0; attempt < 3; ++attempt)
                if ((err = w.read(to, *identity, 1, &role, timeout)) == 0)
                    break;
            if (err != 0)
            {
                finish(make_error("device_error", "No answer at the new id " + std::to_string(to) + ": " +
                                                      errno_code(err).message()));
                return true;
            }
        }
        finish(Result<void>{});
        return true;
    };
    {
        std::lock_guard lock(core_->m);
        core_->ops.push_back(op);
    }
    core_->cv.notify_all();
}

bool Bus::display_test(std::string_view device, std::function<void(Result<void>)> done, std::chrono::milliseconds step)
{
    auto i = core_->index(device);
    if (!i || !core_->devices[*i].display())
        return false;
    const auto& profile = core_->devices[*i].profile;
    {
        std::lock_guard lock(core_->m);
        auto& s = core_->slots[*i];
        auto t = Clock::now();
        for (const auto& img : test_pattern(profile, s.display.value_or(DisplayImage{})))
        {
            s.oneshots.push_back(OneShot{t, encode_display(profile, img), false, {}});
            t += step;
        }
        s.oneshots.push_back(OneShot{t, {}, true, std::move(done)});
    }
    core_->cv.notify_all();
    return true;
}

} // namespace motcua::modbus
