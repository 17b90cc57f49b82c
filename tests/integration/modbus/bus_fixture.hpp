#pragma once

// A driver Bus on an io_context against the simulator on a pty, both real: real libmodbus,
// real bytes. Waiting is bounded polling of the io_context, never a sleep.

#include "process.hpp"

#include "config/devices_model.hpp"
#include "config/diagnostics.hpp"
#include "modbus/bus.hpp"
#include "sim/modbus_sim.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace motcua::test
{

using motcua::testing::source_dir;
using motcua::testing::TempDir;

inline modbus::DeviceProfile shipped_profile(const std::string& name)
{
    config::Diagnostics diags;
    auto p = config::load_device_profile(source_dir() + "/config/devices/" + name + ".toml", diags);
    EXPECT_TRUE(p.has_value()) << diags.str();
    return p.value_or(modbus::DeviceProfile{});
}

// A bus description for tests: 8N2 (ptys cannot carry parity), short timeouts.
inline config::Bus test_bus(const std::string& name, const std::string& device)
{
    config::Bus b;
    b.name = name;
    b.device = device;
    b.baud = 19200;
    b.parity = modbus::Parity::none;
    b.stop_bits = 2;
    b.response_timeout_ms = 60;
    b.byte_timeout_ms = 20;
    b.min_poll_period_ms = 5;
    b.heartbeat_period_ms = 300;
    return b;
}

inline config::Device device(const std::string& bus, const std::string& name, int slave, config::DeviceRole role,
                             int counter, const std::string& profile = "motcua-v1")
{
    config::Device d;
    d.bus = bus;
    d.name = name;
    d.slave = slave;
    d.role = role;
    d.counter = counter;
    d.profile = profile;
    if (role == config::DeviceRole::kiosk_panel)
    {
        d.kiosk = "kiosk-1";
        d.counter = 0;
    }
    return d;
}

inline void add_profiles(config::Devices& devs)
{
    for (const auto& d : devs.devices)
        if (!devs.profile(d.profile))
            devs.profiles.push_back(shipped_profile(d.profile));
}

// Runs the io_context until `done()` or the deadline; true when done.
template <class F>
bool run_until(boost::asio::io_context& io, F done, std::chrono::milliseconds limit = std::chrono::seconds(10))
{
    auto deadline = std::chrono::steady_clock::now() + limit;
    auto guard = boost::asio::make_work_guard(io); // run_for waits instead of spinning
    while (!done())
    {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

// Records every delivery; commits at once unless told to hold.
struct EventLog
{
    std::vector<modbus::KeyEvent> events;
    std::map<std::pair<std::string, int>, int> deliveries; // (device, seq) -> times delivered
    std::vector<modbus::EventCommit> held;
    bool hold = false;
    std::function<void(const modbus::KeyEvent&)> also;

    void operator()(const modbus::KeyEvent& ev, modbus::EventCommit commit)
    {
        events.push_back(ev);
        ++deliveries[{ev.device, ev.seq}];
        if (also)
            also(ev);
        if (hold)
            held.push_back(std::move(commit));
        else
            commit.commit();
    }
    bool doubled() const
    {
        for (const auto& [k, n] : deliveries)
            if (n != 1)
                return true;
        return false;
    }
};

} // namespace motcua::test
