#include "sim/modbus_sim.hpp"

#include "sim/rtu_frame.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>

namespace motcua::sim
{

namespace
{

using Clock = std::chrono::steady_clock;

struct KeyEventSlot
{
    std::uint16_t seq;
    std::uint16_t key;
    std::uint16_t arg;
};

struct Device
{
    int slave = 0;
    modbus::DeviceRole role = modbus::DeviceRole::display;
    modbus::DeviceProfile profile;
    std::map<std::uint16_t, std::uint16_t> regs;
    std::deque<KeyEventSlot> fifo;
    std::uint16_t next_seq = 1;
    ModbusFaults faults;
    ModbusSimStats stats;
    std::uint64_t display_writes = 0;
    int beeps = 0;
    std::map<std::uint16_t, std::uint16_t> staged; // setup registers until COMMIT
    Clock::time_point heartbeat_changed = Clock::now();

    void reset()
    {
        heartbeat_changed = Clock::now();
        regs.clear();
        fifo.clear();
        staged.clear();
        const auto& id = profile.identity;
        if (id.role)
            regs[*id.role] = static_cast<std::uint16_t>(role);
        if (id.firmware)
            regs[*id.firmware] = 0x0102;
        if (id.status)
            regs[*id.status] = 0x0001;
        if (profile.setup.slave_id)
            regs[*profile.setup.slave_id] = static_cast<std::uint16_t>(slave);
        if (profile.display.present && profile.display.blank_value && profile.display.codec != modbus::Codec::ascii)
            regs[profile.display.number] = static_cast<std::uint16_t>(*profile.display.blank_value & 0xFFFF);
        if (profile.feedback.show_number)
            regs[*profile.feedback.show_number] = 0xFFFF;
    }

    bool has_events() const { return profile.events.present && modbus::is_event_role(role); }

    std::uint16_t read(std::uint16_t a) const
    {
        if (has_events())
        {
            auto b = profile.events.block;
            if (a >= b && a < b + 4)
            {
                if (fifo.empty())
                    return a == b ? static_cast<std::uint16_t>(next_seq - 1) : 0;
                const auto& h = fifo.front();
                std::uint16_t v[4] = {h.seq, static_cast<std::uint16_t>(fifo.size()), h.key, h.arg};
                return v[a - b];
            }
        }
        auto it = regs.find(a);
        std::uint16_t v = it == regs.end() ? 0 : it->second;
        if (profile.identity.status && a == *profile.identity.status && host_gone())
            v |= 0x0002; // bit1: host watchdog expired
        return v;
    }

    // The device's host watchdog (register-map.md): WATCHDOG_S seconds without a change of
    // HOST_HEARTBEAT and the device shows that the host is gone. 0 (the factory setting
    // here) = off.
    bool host_gone() const
    {
        const auto& id = profile.identity;
        if (!id.watchdog || !id.heartbeat)
            return false;
        auto it = regs.find(*id.watchdog);
        if (it == regs.end() || it->second == 0)
            return false;
        return Clock::now() - heartbeat_changed > std::chrono::seconds(it->second);
    }

    bool touches_display(std::uint16_t a, std::size_t n) const
    {
        const auto& d = profile.display;
        if (!d.present)
            return false;
        auto in = [&](std::uint16_t r) { return r >= a && r < a + n; };
        int width = d.codec == modbus::Codec::ascii ? d.width : 1;
        for (int i = 0; i < width; ++i)
            if (in(static_cast<std::uint16_t>(d.number + i)))
                return true;
        for (auto r : {d.counter, d.mode, d.blink, d.brightness})
            if (r && in(*r))
                return true;
        return false;
    }

    // Applies one register write; returns a new slave id when COMMIT re-addressed it.
    std::optional<int> write(std::uint16_t a, std::uint16_t v)
    {
        const auto& su = profile.setup;
        if (has_events() && a == profile.events.ack)
        {
            if (!fifo.empty() && fifo.front().seq == v)
            {
                fifo.pop_front();
                ++stats.acks;
            }
            return std::nullopt;
        }
        if (profile.feedback.beep && a == *profile.feedback.beep)
        {
            beeps += v;
            regs[a] = v;
            return std::nullopt;
        }
        bool setup_reg = (su.slave_id && a == *su.slave_id) || (su.baud_code && a == *su.baud_code) ||
                         (su.parity && a == *su.parity);
        if (setup_reg && su.commit)
        {
            staged[a] = v;
            return std::nullopt;
        }
        if (su.commit && a == *su.commit)
        {
            if (v != su.commit_value)
                return std::nullopt;
            for (auto [r, val] : staged)
                regs[r] = val;
            staged.clear();
            if (su.slave_id)
                return regs[*su.slave_id];
            return std::nullopt;
        }
        if (profile.identity.heartbeat && a == *profile.identity.heartbeat && regs[a] != v)
            heartbeat_changed = Clock::now();
        regs[a] = v;
        if (su.slave_id && a == *su.slave_id && !su.commit)
            return v;
        return std::nullopt;
    }

    DisplayView view() const
    {
        const auto& d = profile.display;
        DisplayView out;
        out.writes = display_writes;
        std::string text;
        if (d.codec == modbus::Codec::ascii)
        {
            for (int i = 0; i < d.width; ++i)
            {
                auto c = read(static_cast<std::uint16_t>(d.number + i));
                text.push_back(c >= 0x20 && c < 0x7F ? static_cast<char>(c) : ' ');
            }
        }
        else
        {
            auto raw = read(d.number);
            std::int32_t value = d.codec == modbus::Codec::int16 ? static_cast<std::int16_t>(raw) : raw;
            if (d.mode)
            {
                auto mode = read(*d.mode);
                if (mode == d.mode_number && raw != 0xFFFF)
                    text = std::to_string(value);
                else if (mode == d.mode_dashes)
                    text = "----";
            }
            else if (!d.blank_value || value != *d.blank_value || (d.dashes_value && value == *d.dashes_value))
                text = std::to_string(value);
        }
        out.host_gone = host_gone();
        if (out.host_gone)
            text = "----";
        auto first = text.find_first_not_of(' ');
        out.text = first == std::string::npos ? "" : text.substr(first);
        if (d.counter)
            out.counter = read(*d.counter);
        if (d.blink)
        {
            out.blinks = read(*d.blink) >> 8;
            out.blink_period = read(*d.blink) & 0xFF;
        }
        if (d.brightness)
            out.brightness = read(*d.brightness);
        return out;
    }
};

} // namespace

struct ModbusSim::Impl
{
    ModbusSimOptions opt;
    mutable std::mutex m;
    std::vector<Device> devices;
    WriteHook hook;
    int master = -1;
    int slave_fd = -1;
    int wake = -1;
    std::string pty;
    std::thread thread;
    std::mt19937 rng{12345};

    Device* find(int slave)
    {
        for (auto& d : devices)
            if (d.slave == slave)
                return &d;
        return nullptr;
    }
    const Device* find(int slave) const { return const_cast<Impl*>(this)->find(slave); }

    double tc_us() const { return 11.0 * 1e6 / opt.baud; }

    void run();
    void handle(std::span<const std::uint8_t> frame, Clock::time_point received);
    void write_all(const std::vector<std::uint8_t>& bytes)
    {
        std::size_t off = 0;
        while (off < bytes.size())
        {
            auto n = ::write(master, bytes.data() + off, bytes.size() - off);
            if (n < 0)
            {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN)
                {
                    pollfd p{master, POLLOUT, 0};
                    ::poll(&p, 1, 100);
                    continue;
                }
                return;
            }
            off += static_cast<std::size_t>(n);
        }
    }
};

ModbusSim::ModbusSim(ModbusSimOptions options) : impl_(std::make_unique<Impl>())
{
    impl_->opt = std::move(options);
}

ModbusSim::~ModbusSim() { stop(); }

std::unique_ptr<ModbusSim> ModbusSim::for_bus(const modbus::BusConfig& bus, const std::vector<modbus::DeviceConfig>& devices,
                                              const std::vector<modbus::DeviceProfile>& profiles, bool pace)
{
    ModbusSimOptions o;
    o.link = bus.device;
    o.baud = bus.baud;
    o.pace = pace;
    o.think = std::chrono::microseconds(bus.think_time_ms * 1000);
    auto sim = std::make_unique<ModbusSim>(o);
    for (const auto& d : devices)
        if (d.bus == bus.name)
            for (const auto& p : profiles)
                if (p.name == d.profile)
                    sim->add_device(d.slave, d.role, p);
    return sim;
}

void ModbusSim::add_device(int slave, modbus::DeviceRole role, const modbus::DeviceProfile& profile)
{
    std::lock_guard lock(impl_->m);
    Device d;
    d.slave = slave;
    d.role = role;
    d.profile = profile;
    d.reset();
    impl_->devices.push_back(std::move(d));
}

Result<void> ModbusSim::start()
{
    auto& s = *impl_;
    if (s.thread.joinable())
        return {};
    char name[256] = {};
    if (::openpty(&s.master, &s.slave_fd, name, nullptr, nullptr) != 0)
        return make_error("pty_failed", std::string("openpty failed: ") + std::strerror(errno));
    s.pty = name;
    termios t{};
    ::tcgetattr(s.slave_fd, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(s.slave_fd, TCSANOW, &t);
    ::fcntl(s.master, F_SETFL, ::fcntl(s.master, F_GETFL) | O_NONBLOCK);
    s.wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!s.opt.link.empty())
    {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (fs::is_symlink(fs::symlink_status(s.opt.link, ec)))
            fs::remove(s.opt.link, ec);
        fs::create_symlink(s.pty, s.opt.link, ec);
        if (ec)
        {
            stop();
            return make_error("link_failed", "cannot link " + s.opt.link + " to " + s.pty + ": " + ec.message());
        }
    }
    s.thread = std::thread([&s] { s.run(); });
    return {};
}

void ModbusSim::stop()
{
    auto& s = *impl_;
    if (s.thread.joinable())
    {
        std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(s.wake, &one, sizeof one);
        s.thread.join();
    }
    if (!s.opt.link.empty() && !s.pty.empty())
    {
        std::error_code ec;
        if (std::filesystem::read_symlink(s.opt.link, ec) == s.pty)
            std::filesystem::remove(s.opt.link, ec);
    }
    for (int* fd : {&s.master, &s.slave_fd, &s.wake})
        if (*fd >= 0)
        {
            ::close(*fd);
            *fd = -1;
        }
}

std::string ModbusSim::pty_path() const { return impl_->pty; }

void ModbusSim::Impl::run()
{
    std::vector<std::uint8_t> buf;
    auto last_byte = Clock::now();
    // A partial frame older than this is noise: drop it and look for a new frame start.
    auto stale = std::chrono::milliseconds(20);
    while (true)
    {
        pollfd fds[2] = {{master, POLLIN, 0}, {wake, POLLIN, 0}};
        int timeout = buf.empty() ? -1 : 5;
        int rc = ::poll(fds, 2, timeout);
        if (rc < 0 && errno != EINTR)
            return;
        if (fds[1].revents & POLLIN)
            return;
        auto now = Clock::now();
        if (fds[0].revents & POLLIN)
        {
            std::uint8_t tmp[512];
            auto n = ::read(master, tmp, sizeof tmp);
            if (n > 0)
            {
                buf.insert(buf.end(), tmp, tmp + n);
                last_byte = now;
            }
        }
        else if (fds[0].revents & (POLLHUP | POLLERR))
        {
            // Nobody has the pty open right now (we keep the slave side open ourselves,
            // so this is transient): avoid spinning.
            pollfd w{wake, POLLIN, 0};
            if (::poll(&w, 1, 10) > 0)
                return;
        }
        while (!buf.empty())
        {
            int len = request_length(buf);
            if (len < 0)
            {
                buf.erase(buf.begin());
                continue;
            }
            if (len == 0 || buf.size() < static_cast<std::size_t>(len))
            {
                if (now - last_byte > stale)
                    buf.clear();
                break;
            }
            std::span<const std::uint8_t> frame(buf.data(), static_cast<std::size_t>(len));
            if (!crc_ok(frame))
            {
                buf.erase(buf.begin());
                continue;
            }
            handle(frame, last_byte);
            buf.erase(buf.begin(), buf.begin() + len);
        }
    }
}

void ModbusSim::Impl::handle(std::span<const std::uint8_t> frame, Clock::time_point received)
{
    std::uint8_t id = frame[0];
    std::uint8_t fn = frame[1];
    auto req = parse_request(frame);
    // On a pty the whole request arrives at once; on a line its last byte comes one frame
    // time after the first. A device acts on a request only once it has all of it.
    if (opt.pace)
        std::this_thread::sleep_until(received + std::chrono::microseconds(
                                                     static_cast<long>(static_cast<double>(frame.size()) * tc_us())));
    std::vector<std::uint8_t> reply;
    ModbusFaults faults;
    std::optional<int> readdress;
    struct Written
    {
        int slave;
        std::uint16_t address;
        std::vector<std::uint16_t> values;
    };
    std::vector<Written> written;
    WriteHook on_written;
    {
        std::lock_guard lock(m);
        on_written = hook;
        std::vector<Device*> targets;
        if (id == 0)
            for (auto& d : devices)
                targets.push_back(&d);
        else if (auto* d = find(id))
            targets.push_back(d);
        if (targets.empty())
            return; // not ours: stay silent and in step
        for (auto* d : targets)
        {
            if (d->faults.silent)
                continue;
            ++d->stats.requests;
            if (id == 0)
                ++d->stats.broadcasts;
            if (!req)
            {
                reply = exception_reply(id, fn, fn == 0x03 || fn == 0x04 || fn == 0x06 || fn == 0x10 ? 0x03 : 0x01);
            }
            else if (req->function == 0x03 || req->function == 0x04)
            {
                if (req->count < 1 || req->count > 125)
                    reply = exception_reply(id, fn, 0x03);
                else
                {
                    std::vector<std::uint16_t> vals;
                    for (std::uint16_t i = 0; i < req->count; ++i)
                        vals.push_back(d->read(static_cast<std::uint16_t>(req->address + i)));
                    reply = read_reply(id, fn, vals);
                }
            }
            else
            {
                if (d->touches_display(req->address, req->values.size()))
                    ++d->display_writes;
                for (std::size_t i = 0; i < req->values.size(); ++i)
                    if (auto r = d->write(static_cast<std::uint16_t>(req->address + i), req->values[i]))
                        readdress = *r;
                written.push_back({d->slave, req->address, req->values});
                ++(req->function == 0x06 ? d->stats.fc06_writes : d->stats.fc16_writes);
                reply = req->function == 0x06 ? write_single_reply(id, req->address, req->values.front())
                                              : write_multiple_reply(id, req->address, req->count);
            }
            faults = d->faults;
            if (id != 0)
            {
                if (d->faults.bad_crc_next > 0)
                    --d->faults.bad_crc_next;
                if (d->faults.garbage_next > 0)
                    --d->faults.garbage_next;
                if (d->faults.late_next > 0)
                    --d->faults.late_next;
                ++d->stats.replies;
            }
        }
        if (id == 0 || reply.empty())
            reply.clear();
        if (readdress && id != 0)
            if (auto* d = find(id))
            {
                d->slave = *readdress;
                d->regs[d->profile.setup.slave_id.value_or(0)] = static_cast<std::uint16_t>(*readdress);
            }
    }
    if (on_written)
        for (auto& w : written)
            on_written(w.slave, fn, w.address, w.values);
    if (reply.empty())
        return;

    bool bad_crc = faults.bad_crc_next > 0 ||
                   (faults.bad_crc_rate > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < faults.bad_crc_rate);
    if (bad_crc)
        reply.back() ^= 0x5A;
    if (faults.garbage_next > 0)
        reply.insert(reply.begin(), {0x00, 0xFF, 0x13, 0x37});

    auto due = received;
    if (opt.pace)
    {
        double us = (static_cast<double>(frame.size()) + 3.5 + static_cast<double>(reply.size())) * tc_us();
        due += std::chrono::microseconds(static_cast<long>(us)) + opt.think;
    }
    if (faults.late_next > 0)
        due = std::max(due, received + faults.late);
    std::this_thread::sleep_until(due);
    write_all(reply);
}

bool ModbusSim::press(int slave, int key, int arg)
{
    std::lock_guard lock(impl_->m);
    auto* d = impl_->find(slave);
    if (!d || !d->has_events() || static_cast<int>(d->fifo.size()) >= impl_->opt.fifo_depth)
        return false;
    d->fifo.push_back(KeyEventSlot{d->next_seq, static_cast<std::uint16_t>(key), static_cast<std::uint16_t>(arg)});
    d->next_seq = static_cast<std::uint16_t>(d->next_seq + 1);
    return true;
}

std::optional<DisplayView> ModbusSim::display(int slave) const
{
    std::lock_guard lock(impl_->m);
    const auto* d = impl_->find(slave);
    if (!d || !d->profile.display.present)
        return std::nullopt;
    return d->view();
}

std::optional<PanelView> ModbusSim::panel(int slave) const
{
    std::lock_guard lock(impl_->m);
    const auto* d = impl_->find(slave);
    if (!d || !d->has_events())
        return std::nullopt;
    PanelView v;
    const auto& f = d->profile.feedback;
    if (f.show_number && d->read(*f.show_number) != 0xFFFF)
        v.show_number = d->read(*f.show_number);
    if (f.show_waiting)
        v.waiting = d->read(*f.show_waiting);
    if (f.led)
        v.led = d->read(*f.led);
    v.beeps = d->beeps;
    v.pending = static_cast<int>(d->fifo.size());
    if (d->profile.identity.heartbeat)
        v.heartbeat = d->read(*d->profile.identity.heartbeat);
    v.host_gone = d->host_gone();
    return v;
}

std::optional<std::uint16_t> ModbusSim::reg(int slave, std::uint16_t address) const
{
    std::lock_guard lock(impl_->m);
    const auto* d = impl_->find(slave);
    if (!d)
        return std::nullopt;
    return d->read(address);
}

void ModbusSim::set_reg(int slave, std::uint16_t address, std::uint16_t value)
{
    std::lock_guard lock(impl_->m);
    if (auto* d = impl_->find(slave))
        d->regs[address] = value;
}

ModbusSimStats ModbusSim::stats(int slave) const
{
    std::lock_guard lock(impl_->m);
    const auto* d = impl_->find(slave);
    return d ? d->stats : ModbusSimStats{};
}

std::optional<int> ModbusSim::slave_of_role(modbus::DeviceRole role) const
{
    std::lock_guard lock(impl_->m);
    for (const auto& d : impl_->devices)
        if (d.role == role)
            return d.slave;
    return std::nullopt;
}

void ModbusSim::set_faults(int slave, const ModbusFaults& faults)
{
    std::lock_guard lock(impl_->m);
    if (auto* d = impl_->find(slave))
        d->faults = faults;
}

void ModbusSim::reboot(int slave)
{
    std::lock_guard lock(impl_->m);
    if (auto* d = impl_->find(slave))
    {
        d->reset();
        d->next_seq = 1;
    }
}

void ModbusSim::on_write(WriteHook hook)
{
    std::lock_guard lock(impl_->m);
    impl_->hook = std::move(hook);
}

} // namespace motcua::sim
