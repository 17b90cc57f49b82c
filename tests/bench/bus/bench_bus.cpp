// motcua-bench-bus [--presses N] [--idle-seconds S]
//
// Driver-level latency of "key pressed" to "number written to the display": a press is
// queued in the paced simulator's keypad FIFO, the driver polls it, hands it to a
// handler on the io_context that shows a new number on the counter's display and commits,
// and the simulator sees the display write. Printed beside the floor of register-map.md
// (half a poll cycle + one FC03(4) + the FC16(5) request; see modbus/timing.hpp). Then the CPU the driver's process uses
// while idle-polling 32 event devices (the simulator runs in a child process).

#include "config/devices_model.hpp"
#include "config/diagnostics.hpp"
#include "modbus/bus.hpp"
#include "modbus/timing.hpp"
#include "process.hpp"
#include "sim/modbus_sim.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace motcua;
using Clock = std::chrono::steady_clock;

namespace
{

modbus::DeviceProfile profile()
{
    std::string dir = motcua::testing::source_dir();
    config::Diagnostics d;
    auto p = config::load_device_profile(dir + "/config/devices/motcua-v1.toml", d);
    if (!p)
    {
        std::fprintf(stderr, "%s\n", d.str().c_str());
        std::exit(1);
    }
    return *p;
}

struct Setup
{
    config::Bus bus;
    config::Devices devs;
};

Setup make_setup(const std::string& link, int baud, int keypads, bool displays)
{
    Setup s;
    s.bus.name = "bench";
    s.bus.device = link;
    s.bus.baud = baud;
    s.bus.parity = modbus::Parity::none;
    s.bus.stop_bits = 2;
    s.bus.response_timeout_ms = 200;
    s.bus.min_poll_period_ms = 0; // poll as fast as the line allows: the floor assumes it
    // Heartbeats, WATCHDOG_S and liveness checks at their defaults: their cost is measured.
    s.bus.think_time_ms = 5;
    s.devs.buses.push_back(s.bus);
    s.devs.profiles.push_back(profile());
    for (int i = 1; i <= keypads; ++i)
    {
        config::Device k;
        k.bus = "bench";
        k.name = "keypad-" + std::to_string(i);
        k.slave = i;
        k.role = config::DeviceRole::keypad;
        k.counter = i;
        s.devs.devices.push_back(k);
        if (displays)
        {
            config::Device d = k;
            d.name = "display-" + std::to_string(i);
            d.slave = 100 + i;
            d.role = config::DeviceRole::display;
            s.devs.devices.push_back(d);
        }
    }
    return s;
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    auto idx = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[idx];
}

void latency(const std::string& dir, int baud, int devices, int presses)
{
    auto link = dir + "/lat-" + std::to_string(baud) + "-" + std::to_string(devices);
    auto s = make_setup(link, baud, devices, true);
    auto sim = sim::ModbusSim::for_bus(s.bus, s.devs.devices, s.devs.profiles, true);

    std::mutex m;
    int expected_slave = 0, expected_number = -1;
    Clock::time_point seen{};
    sim->on_write([&](int slave, int, std::uint16_t addr, std::span<const std::uint16_t> values) {
        std::lock_guard lock(m);
        if (slave == expected_slave && addr == 0x0100 && !values.empty() && values[0] == expected_number)
            seen = Clock::now();
    });
    if (auto r = sim->start(); !r.ok())
    {
        std::fprintf(stderr, "simulator: %s\n", r.error().message.c_str());
        std::exit(1);
    }
    boost::asio::io_context io;
    auto guard = boost::asio::make_work_guard(io); // run_for waits instead of spinning
    int number = 0;
    modbus::Bus* busp = nullptr;
    modbus::Handlers h;
    h.on_event = [&](const modbus::KeyEvent& ev, modbus::EventCommit commit) {
        busp->show("display-" + std::to_string(ev.counter),
                   modbus::DisplayImage{modbus::DisplayMode::number, ++number % 10000, ev.counter, 3, 5, 15});
        commit.commit();
    };
    modbus::Bus bus(io, s.bus, s.devs.devices, s.devs.profiles, h);
    busp = &bus;
    bus.start();
    auto run_until = [&](auto done, std::chrono::milliseconds limit) {
        auto deadline = Clock::now() + limit;
        while (!done() && Clock::now() < deadline)
        {
            io.restart();
            io.run_for(std::chrono::milliseconds(1));
        }
        return done();
    };
    // Every device online first.
    run_until([&] {
        auto st = bus.devices();
        return std::all_of(st.begin(), st.end(), [](const auto& d) { return d.state == modbus::DeviceState::online; });
    }, std::chrono::seconds(20));

    std::mt19937 rng(7);
    std::vector<double> ms;
    for (int i = 0; i < presses; ++i)
    {
        int counter = 1 + static_cast<int>(rng() % static_cast<unsigned>(devices));
        // A random phase of the poll cycle.
        auto pause = std::chrono::microseconds(rng() % 30000);
        run_until([&] { return false; }, std::chrono::duration_cast<std::chrono::milliseconds>(pause));
        {
            std::lock_guard lock(m);
            expected_slave = 100 + counter;
            expected_number = (number + 1) % 10000;
            seen = {};
        }
        auto t0 = Clock::now();
        sim->press(counter, 1);
        bool ok = run_until([&] { std::lock_guard lock(m); return seen != Clock::time_point{}; }, std::chrono::seconds(5));
        if (!ok)
        {
            std::printf("  press %d not shown within 5 s\n", i);
            continue;
        }
        std::lock_guard lock(m);
        ms.push_back(std::chrono::duration<double, std::milli>(seen - t0).count());
    }
    bus.stop();
    sim->stop();
    double mean = 0;
    for (auto v : ms)
        mean += v;
    mean /= static_cast<double>(std::max<std::size_t>(1, ms.size()));
    double tp = s.bus.think_time_ms * 1000.0;
    double floor_mean = modbus::floor_mean_us(devices, baud, tp) / 1000;
    double floor_worst = modbus::floor_worst_us(devices, baud, tp) / 1000;
    std::printf("%6d baud %3d keypads  n=%zu  mean %6.1f ms  p50 %6.1f ms  p99 %6.1f ms | floor mean %6.1f ms "
                "worst %6.1f ms | mean/floor %.2f\n",
                baud, devices, ms.size(), mean, percentile(ms, 0.5), percentile(ms, 0.99), floor_mean, floor_worst,
                mean / floor_mean);
}

void idle_cpu(const std::string& dir, int seconds)
{
    auto link = dir + "/idle";
    auto s = make_setup(link, 19200, 32, false);
    s.bus.min_poll_period_ms = 50;
    int ready[2];
    if (::pipe(ready) != 0)
        return;
    pid_t child = ::fork();
    if (child == 0)
    {
        // The simulator in its own process, so only the driver's CPU is measured.
        auto sim = sim::ModbusSim::for_bus(s.bus, s.devs.devices, s.devs.profiles, true);
        if (!sim->start().ok())
            ::_exit(1);
        char c = 'r';
        [[maybe_unused]] auto n = ::write(ready[1], &c, 1);
        ::pause();
        ::_exit(0);
    }
    char c;
    [[maybe_unused]] auto n = ::read(ready[0], &c, 1);
    boost::asio::io_context io;
    auto guard = boost::asio::make_work_guard(io);
    modbus::Handlers h;
    h.on_event = [](const modbus::KeyEvent&, modbus::EventCommit commit) { commit.commit(); };
    modbus::Bus bus(io, s.bus, s.devs.devices, s.devs.profiles, h);
    bus.start();
    // Warm up: every device online.
    io.run_for(std::chrono::seconds(2));
    rusage r0{}, r1{};
    ::getrusage(RUSAGE_SELF, &r0);
    auto t0 = Clock::now();
    io.restart();
    io.run_for(std::chrono::seconds(seconds));
    ::getrusage(RUSAGE_SELF, &r1);
    auto wall = std::chrono::duration<double>(Clock::now() - t0).count();
    auto cpu = [](const rusage& r) {
        return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
               static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
    };
    std::uint64_t requests = 0;
    for (const auto& d : bus.devices())
        requests += d.requests;
    bus.stop();
    ::kill(child, SIGTERM);
    ::waitpid(child, nullptr, 0);
    double pct = 100.0 * (cpu(r1) - cpu(r0)) / wall;
    std::printf("idle polling 32 keypads at 19200 baud for %.1f s: CPU %.2f %% of one core (goal <= 2 %%), "
                "%llu transactions in total\n",
                wall, pct, static_cast<unsigned long long>(requests));
}

} // namespace

int main(int argc, char** argv)
{
    int presses = 200;
    int idle_seconds = 10;
    for (int i = 1; i + 1 < argc; i += 2)
    {
        std::string a = argv[i];
        if (a == "--presses")
            presses = std::atoi(argv[i + 1]);
        else if (a == "--idle-seconds")
            idle_seconds = std::atoi(argv[i + 1]);
    }
    spdlog::set_level(spdlog::level::warn);
    std::string tmpl = (std::filesystem::temp_directory_path() / "motcua-bench-bus-XXXXXX").string();
    std::string dir = ::mkdtemp(tmpl.data());
    std::printf("motcua-bench-bus: key press -> display write, driver level, paced simulator (Tp = 5 ms)\n");
    for (int baud : {9600, 19200})
        for (int devices : {8, 16})
            latency(dir, baud, devices, presses);
    idle_cpu(dir, idle_seconds);
    std::filesystem::remove_all(dir);
    return 0;
}
