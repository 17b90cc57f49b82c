#include "modbus/bus.hpp"

#include "modbus/device_state.hpp"
#include "modbus/technician.hpp"
#include "modbus/worker.hpp"

#include <algorithm>

namespace motcua::modbus
{

namespace
{
using Clock = std::chrono::steady_clock;

// The devices of `bus` with their profiles, in config order.
std::vector<DeviceInfo> devices_on(const BusConfig& bus, const std::vector<DeviceConfig>& devices,
                                   const std::vector<DeviceProfile>& profiles)
{
    std::vector<DeviceInfo> out;
    for (const auto& d : devices)
    {
        if (d.bus != bus.name)
            continue;
        auto p = std::find_if(profiles.begin(), profiles.end(), [&](const DeviceProfile& p) { return p.name == d.profile; });
        if (p == profiles.end())
            continue; // config validation guarantees it; a hand-made list may lack it
        out.push_back(DeviceInfo{d, *p, d.response_timeout_ms.value_or(bus.response_timeout_ms)});
    }
    return out;
}

Error stopped_error(const std::string& bus)
{
    return make_error("bus_stopped", "Bus " + bus + " stopped (reload or shutdown) before the operation finished.");
}
} // namespace

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

Bus::Bus(boost::asio::io_context& io, const BusConfig& bus, const std::vector<DeviceConfig>& devices,
         const std::vector<DeviceProfile>& profiles, Handlers handlers, HealthPolicy health)
    : core_(std::make_shared<Core>(io, bus, std::move(handlers))), alive_(std::make_shared<bool>(true)),
      health_policy_(health)
{
    core_->alive = alive_;
    core_->profiles = profiles;
    core_->devices = devices_on(bus, devices, profiles);
    for (const auto& info : core_->devices)
    {
        Slot slot;
        slot.stats.bus = bus.name;
        slot.stats.name = info.dev.name;
        slot.stats.slave = info.dev.slave;
        slot.stats.role = info.dev.role;
        slot.stats.profile = info.profile.name;
        if (info.display())
        {
            DisplayImage img;
            img.brightness = info.dev.brightness;
            slot.display = img;
            slot.display_dirty = true;
        }
        const auto& fb = info.profile.feedback;
        if (info.event_device() && (fb.show_number || fb.show_waiting || fb.led))
        {
            slot.feedback = FeedbackImage{};
            slot.feedback_dirty = true;
        }
        core_->slots.push_back(std::move(slot));
    }
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
        core_->stopped = false;
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
        core_->stopped = true;
    }
    core_->cv.notify_all();
    if (worker_.joinable())
        worker_.join();
    // The worker is gone: whatever a technician waits for will not come.
    std::deque<TechnicianOp> ops;
    std::vector<std::function<void(Result<void>)>> tests;
    {
        std::lock_guard lock(core_->m);
        ops.swap(core_->ops);
        for (auto& slot : core_->slots)
        {
            bool testing = false;
            for (auto& shot : slot.oneshots)
                if (shot.done)
                {
                    tests.push_back(std::move(shot.done));
                    testing = true;
                }
            if (testing)
            {
                // A restarted bus shows the real image, not the rest of the pattern.
                slot.oneshots.clear();
                slot.display_dirty = slot.display.has_value();
            }
        }
    }
    for (auto& op : ops)
        op.fail(stopped_error(core_->bus.name));
    for (auto& done : tests)
        boost::asio::post(core_->io, [done = std::move(done), e = stopped_error(core_->bus.name)] { done(e); });
}

const std::string& Bus::name() const { return core_->bus.name; }

bool Bus::same_setup(const BusConfig& bus, const std::vector<DeviceConfig>& devices,
                     const std::vector<DeviceProfile>& profiles) const
{
    return bus == core_->bus && devices_on(bus, devices, profiles) == core_->devices;
}

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
        s.feedback = image; // newest wins: a pending write takes this value
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

// The device configured at `slave`, else the profile every device of the bus shares, else
// the reference map motcua-v1 if the config knows it.
const DeviceProfile* Bus::technician_profile(std::optional<int> slave) const
{
    const auto& devices = core_->devices;
    if (slave)
        for (const auto& d : devices)
            if (d.dev.slave == *slave)
                return &d.profile;
    bool uniform = !devices.empty() && std::all_of(devices.begin(), devices.end(), [&](const DeviceInfo& d) {
        return d.profile.name == devices.front().profile.name;
    });
    if (uniform)
        return &devices.front().profile;
    for (const auto& p : core_->profiles)
        if (p.name == "motcua-v1")
            return &p;
    return nullptr;
}

void Bus::queue(TechnicianOp op)
{
    {
        std::lock_guard lock(core_->m);
        if (!core_->stopped)
        {
            core_->ops.push_back(std::move(op));
            core_->cv.notify_all();
            return;
        }
    }
    op.fail(stopped_error(core_->bus.name));
}

void Bus::scan(int first, int last, std::function<void(Result<std::vector<ScanEntry>>)> done)
{
    const auto* profile = technician_profile(std::nullopt);
    if (!profile || !profile->identity.role)
    {
        auto e = make_error("unsupported", "Bus " + core_->bus.name +
                                               ": no device profile with a DEVICE_ROLE register to scan with.");
        boost::asio::post(core_->io, [done, e] { done(e); });
        return;
    }
    queue(scan_op(core_->io, core_->bus, *profile, first, last, std::move(done)));
}

void Bus::set_id(int from, int to, std::optional<int> baud, std::function<void(Result<void>)> done)
{
    auto fail = [this, &done](std::string code, std::string msg) {
        boost::asio::post(core_->io, [done, e = make_error(std::move(code), std::move(msg))] { done(e); });
    };
    if (from < 1 || from > 247 || to < 1 || to > 247)
        return fail("bad_id", "Slave ids are 1..247.");
    const auto* profile = technician_profile(from);
    if (!profile || !profile->setup.slave_id)
        return fail("unsupported", "The device's profile has no slave id register.");
    std::optional<int> code;
    if (baud)
    {
        for (auto [b, c] : profile->setup.baud_codes)
            if (b == *baud)
                code = c;
        if (!code || !profile->setup.baud_code)
            return fail("unsupported", "The device's profile cannot set " + std::to_string(*baud) + " baud.");
    }
    queue(set_id_op(core_->io, core_->bus, *profile, from, to, code, std::move(done)));
}

bool Bus::display_test(std::string_view device, std::function<void(Result<void>)> done, std::chrono::milliseconds step)
{
    auto i = core_->index(device);
    if (!i || !core_->devices[*i].display())
        return false;
    const auto& profile = core_->devices[*i].profile;
    {
        std::lock_guard lock(core_->m);
        if (!core_->stopped)
        {
            auto& s = core_->slots[*i];
            auto t = Clock::now();
            for (const auto& img : test_pattern(profile, s.display.value_or(DisplayImage{})))
            {
                s.oneshots.push_back(OneShot{t, encode_display(profile, img), false, {}});
                t += step;
            }
            s.oneshots.push_back(OneShot{t, {}, true, std::move(done)});
            core_->cv.notify_all();
            return true;
        }
    }
    boost::asio::post(core_->io, [done, e = stopped_error(core_->bus.name)] { done(e); });
    return true;
}

} // namespace motcua::modbus
