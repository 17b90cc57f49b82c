#include "modbus/worker.hpp"

#include "modbus/error.hpp"
#include "modbus/timing.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>

namespace motcua::modbus
{

namespace
{
using std::chrono::milliseconds;

constexpr milliseconds kFirstOpenRetry{500};
constexpr milliseconds kMaxOpenRetry{10000};

SchedulerSettings scheduler_settings(const BusConfig& b, bool broadcast)
{
    SchedulerSettings s;
    s.min_poll_period = milliseconds(b.min_poll_period_ms);
    s.heartbeat_period = milliseconds(b.heartbeat_period_ms);
    s.broadcast = broadcast;
    // After a key event is handed over, the bus waits up to one poll's time for the
    // application's answer (commit, then display write) instead of starting a poll it
    // would then have to sit out.
    s.event_hold = Micros{static_cast<long>(fc03_us(4, b.baud, b.think_time_ms * 1000.0))};
    return s;
}
} // namespace

std::optional<RegisterWrite> Worker::shared_heartbeat(const std::vector<DeviceInfo>& devices)
{
    if (devices.size() < 2)
        return std::nullopt;
    const auto& first = devices.front().profile;
    for (const auto& d : devices)
        if (!d.profile.identity.heartbeat || d.profile.identity.heartbeat != first.identity.heartbeat ||
            d.profile.single_register_write(1) != first.single_register_write(1))
            return std::nullopt;
    return RegisterWrite{*first.identity.heartbeat, {0}, first.single_register_write(1)};
}

Worker::Worker(std::shared_ptr<Bus::Core> core, HealthPolicy policy)
    : core_(std::move(core)), transport_(core_->bus), broadcast_(shared_heartbeat(core_->devices)),
      scheduler_(scheduler_settings(core_->bus, broadcast_.has_value()), core_->devices.size(), Clock::now())
{
    auto n = core_->devices.size();
    health_.assign(n, Health(policy));
    heartbeat_.assign(n, 0);
    contacted_.assign(n, false);
    no_readback_.assign(n, false);
    broadcast_turnaround_ = Micros{std::max(2 * core_->bus.think_time_ms, 5) * 1000};
}

bool Worker::open()
{
    const auto& b = core_->bus;
    auto error = transport_.open();
    if (!error.empty())
    {
        open_backoff_ = open_backoff_.count() == 0 ? kFirstOpenRetry : std::min(open_backoff_ * 2, kMaxOpenRetry);
        next_open_ = Clock::now() + open_backoff_;
        {
            std::lock_guard lock(core_->m);
            if (core_->status.error != error)
                spdlog::error("Modbus bus cannot be opened bus={} device={} error=\"{}\" retry_ms={}", b.name,
                              b.device, error, open_backoff_.count());
            core_->status = BusStatus{false, error};
        }
        // An absent adapter is the first attempt at every device on it.
        for (std::size_t i = 0; i < contacted_.size(); ++i)
            contacted(i);
        contacted(std::nullopt);
        return false;
    }
    open_backoff_ = milliseconds{0};
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

void Worker::lost_port(const std::string& why)
{
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

// We write WATCHDOG_S to this device: it has one, and a heartbeat to watch.
bool Worker::sets_watchdog(std::size_t i) const
{
    const auto& id = core_->devices[i].profile.identity;
    return id.watchdog && id.heartbeat && core_->bus.host_watchdog_s > 0;
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

void Worker::record(std::size_t i, int err, double ms)
{
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

// A device never heard from gets a short first attempt, sized to the request: at start an
// absent device must not hold everyone up for a full response timeout (READY=1 waits for
// the first attempt at every device). A slow device that misses it is tried again with the
// full timeout at its first retry, 250 ms later.
int Worker::first_contact_ms(int request_bytes) const
{
    const auto& b = core_->bus;
    return static_cast<int>(first_contact_timeout_us(request_bytes, b.baud, 1000.0 * b.think_time_ms) / 1000.0 + 0.5);
}

int Worker::read(std::size_t i, std::uint16_t address, int count, std::uint16_t* out)
{
    if (!transport_.is_open())
        return EBADF;
    const auto& d = core_->devices[i];
    int timeout = contacted_[i] ? d.timeout_ms : std::min(d.timeout_ms, first_contact_ms(8));
    auto r = transport_.read(d.dev.slave, address, count, out, timeout);
    record(i, r.err, r.took.count());
    return r.err;
}

int Worker::write_all(std::size_t i, const std::vector<RegisterWrite>& writes)
{
    const auto& d = core_->devices[i];
    for (const auto& w : writes)
    {
        if (!transport_.is_open())
            return EBADF;
        int timeout = contacted_[i] ? d.timeout_ms : std::min(d.timeout_ms, first_contact_ms(Transport::request_bytes(w)));
        auto r = transport_.write(d.dev.slave, w, timeout);
        record(i, r.err, r.took.count());
        if (r.err != 0)
            return r.err;
    }
    return 0;
}

std::vector<DeviceDue> Worker::due_list() const
{
    std::vector<DeviceDue> out(core_->devices.size());
    for (std::size_t i = 0; i < out.size(); ++i)
    {
        const auto& info = core_->devices[i];
        const auto& s = core_->slots[i];
        auto& d = out[i];
        d.state = health_[i].state();
        d.next_retry = health_[i].next_retry();
        d.contacted = contacted_[i];
        d.event_device = info.event_device();
        d.heartbeat = info.profile.identity.heartbeat.has_value();
        d.display = info.display();
        d.display_dirty = s.display_dirty;
        d.ack_due = s.ack_due.has_value();
        d.feedback_dirty = s.feedback_dirty;
        d.feedback_lazy = s.feedback_lazy;
        d.watchdog_due = s.watchdog_due;
        d.event_in_flight = s.gate.in_flight().has_value();
        if (!s.oneshots.empty())
            d.oneshot_at = s.oneshots.front().not_before;
    }
    return out;
}

bool Worker::take(Work& w)
{
    auto& c = *core_;
    auto i = w.job.dev;
    switch (w.job.kind)
    {
    case JobKind::none: return false;
    case JobKind::display: {
        auto& s = c.slots[i];
        w.image = *s.display;
        s.display->blinks = 0; // a blink is for this write, not for rewrites
        s.display_dirty = false;
        w.writes = encode_display(c.devices[i].profile, w.image);
        return true;
    }
    case JobKind::ack:
        w.seq = *c.slots[i].ack_due;
        c.slots[i].ack_due.reset();
        w.writes = {RegisterWrite{c.devices[i].profile.events.ack, {w.seq}, c.devices[i].profile.single_register_write(1)}};
        return true;
    case JobKind::feedback:
        w.sent = *c.slots[i].feedback;
        c.slots[i].feedback_dirty = false;
        c.slots[i].feedback_lazy = false;
        w.writes = encode_feedback(c.devices[i].profile, w.sent);
        return true;
    case JobKind::refresh:
        w.sent = *c.slots[i].feedback;
        c.slots[i].feedback_lazy = false;
        w.writes = encode_waiting(c.devices[i].profile, w.sent);
        return true;
    case JobKind::oneshot:
        w.shot = std::move(c.slots[i].oneshots.front());
        c.slots[i].oneshots.pop_front();
        return true;
    case JobKind::watchdog: {
        const auto& p = c.devices[i].profile;
        c.slots[i].watchdog_due = false;
        w.writes = {RegisterWrite{*p.identity.watchdog, {static_cast<std::uint16_t>(c.bus.host_watchdog_s)},
                                  p.single_register_write(1)}};
        return true;
    }
    case JobKind::technician: w.op = c.ops.front(); return true;
    case JobKind::probe:
    case JobKind::broadcast:
    case JobKind::heartbeat:
    case JobKind::poll: return true;
    }
    return false;
}

// Done on the application's thread, exactly once: the caller's completion, not guarded by
// the Bus's lifetime.
template <class Done>
void complete(boost::asio::io_context& io, Done done, Result<void> r)
{
    boost::asio::post(io, [done = std::move(done), r = std::move(r)] { done(r); });
}

void Worker::execute(Work& w)
{
    auto i = w.job.dev;
    switch (w.job.kind)
    {
    case JobKind::none: return;
    case JobKind::display:
    case JobKind::feedback:
    case JobKind::refresh:
    case JobKind::watchdog: after(w, write_all(i, w.writes) == 0); return;
    case JobKind::ack:
        // A failed ACK is not retried here: the next poll shows the same head, which the
        // gate recognises as committed and acknowledges again.
        write_all(i, w.writes);
        scheduler_.acknowledged(i, Clock::now());
        return;
    case JobKind::oneshot: {
        int err = write_all(i, w.shot.writes);
        if (w.shot.restore)
        {
            std::lock_guard lock(core_->m);
            core_->slots[i].display_dirty = core_->slots[i].display.has_value();
        }
        if (w.shot.done)
            complete(core_->io, std::move(w.shot.done),
                     err == 0 ? Result<void>{} : Result<void>{make_error("device_error", errno_code(err).message())});
        return;
    }
    case JobKind::technician:
        if (w.op.step(transport_))
        {
            std::lock_guard lock(core_->m);
            core_->ops.pop_front();
        }
        return;
    case JobKind::heartbeat: heartbeat(i); return;
    case JobKind::broadcast:
        broadcast_->values = {++broadcast_value_};
        transport_.broadcast(*broadcast_, broadcast_turnaround_);
        return;
    case JobKind::probe: probe(i); return;
    case JobKind::poll: poll(i); return;
    }
}

// After a write of the device's image: a failed one is to be written again.
void Worker::after(const Work& w, bool ok)
{
    std::lock_guard lock(core_->m);
    auto& s = core_->slots[w.job.dev];
    switch (w.job.kind)
    {
    case JobKind::display: {
        auto written = w.image;
        written.blinks = 0;
        if (!ok)
            s.display_dirty = true;
        else if (s.display == written)
            s.display_dirty = false; // it shows what it should (a comeback during this write)
        return;
    }
    case JobKind::feedback:
        if (!ok)
            s.feedback_dirty = true;
        return;
    case JobKind::refresh:
        if (!ok && !s.feedback_dirty)
            s.feedback_lazy = true;
        return;
    case JobKind::watchdog:
        if (!ok)
            s.watchdog_due = sets_watchdog(w.job.dev);
        return;
    default: return;
    }
}

void Worker::heartbeat(std::size_t i)
{
    const auto& d = core_->devices[i];
    DeviceDue kind;
    kind.heartbeat = d.profile.identity.heartbeat.has_value();
    kind.display = d.display();
    if (scheduler_.heartbeat_kind(kind) == Scheduler::Heartbeat::liveness && !no_readback_[i])
        check_display(i);
    else if (d.profile.identity.heartbeat)
        write_all(i, {RegisterWrite{*d.profile.identity.heartbeat, {++heartbeat_[i]}, d.profile.single_register_write(1)}});
    else
    {
        // Neither a heartbeat register nor a read-back: refreshing the image proves the
        // display is there.
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
    int err = read(i, first, count, got.data());
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

void Worker::probe(std::size_t i)
{
    const auto& d = core_->devices[i];
    if (d.profile.identity.role)
    {
        std::uint16_t id[2] = {};
        int count = d.profile.identity.firmware == *d.profile.identity.role + 1 ? 2 : 1;
        if (read(i, *d.profile.identity.role, count, id) != 0)
            return;
        std::lock_guard lock(core_->m);
        auto& st = core_->slots[i].stats;
        st.reported_role = id[0];
        if (count == 2)
            st.firmware = id[1];
        if (id[0] != static_cast<int>(d.dev.role))
            spdlog::warn("Modbus device reports another role bus={} device={} slave={} configured={} reported={}",
                         d.dev.bus, d.dev.name, d.dev.slave, to_string(d.dev.role), id[0]);
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
}

void Worker::poll(std::size_t i)
{
    const auto& d = core_->devices[i];
    std::uint16_t regs[4] = {};
    if (read(i, d.profile.events.block, 4, regs) != 0)
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
    scheduler_.event_delivered(i, head.pending > 1, Clock::now());
    auto token = std::make_shared<EventCommit::Token>();
    token->core = core_;
    token->slot = i;
    token->seq = head.seq;
    KeyEvent ev{d.dev.bus, d.dev.name, d.dev.slave, d.dev.role, d.dev.counter, d.dev.kiosk,
                head.seq,  head.key,   head.arg,    head.pending};
    spdlog::debug("Modbus key event bus={} device={} seq={} key={} arg={}", ev.bus, ev.device, ev.seq, ev.key, ev.arg);
    core_->post([core = core_, ev = std::move(ev), commit = EventCommit{std::move(token)}]() mutable {
        if (core->handlers.on_event)
            core->handlers.on_event(ev, std::move(commit));
    });
}

void Worker::run()
{
    auto& c = *core_;
    while (true)
    {
        auto now = Clock::now();
        if (!transport_.is_open() && now >= next_open_)
            open();
        Work w;
        {
            std::unique_lock lock(c.m);
            if (c.stopping)
                return;
            auto wake = now + std::chrono::seconds(1);
            if (transport_.is_open())
            {
                auto due = due_list();
                w.job = scheduler_.next(due, !c.ops.empty(), first_contact_reported_, now, wake);
            }
            else
                wake = next_open_;
            if (!take(w))
            {
                c.cv.wait_until(lock, wake);
                continue;
            }
        }
        auto started = Clock::now();
        execute(w);
        if (w.job.background)
            scheduler_.spent_background(Clock::now() - started);
        if (auto why = transport_.take_lost(); !why.empty())
            lost_port(why);
    }
}

} // namespace motcua::modbus
