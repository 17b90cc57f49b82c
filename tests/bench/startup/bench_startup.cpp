// motcua-bench-startup [BIN_DIR] [--runs N] [--log]
//
// Start to READY=1: the time from spawning motcuad to its READY=1 datagram on a
// NOTIFY_SOCKET this program owns, with 32 configured Modbus devices of which half are
// absent. The paced simulator (motcua-sim --pace: 11 bits per character, t3.5, 5 ms think
// time) serves only the present ones, from a second config that lists only them. Two
// layouts: one bus with all 32, two buses with 16 each. Each is started N times (fresh
// state directory each time) and printed as min / median / max beside the goal (1 s) and
// the physical floor of the layout computed in this run. A config without devices gives
// the baseline: config, database and replay only. --log prints motcuad's debug log (-v)
// of the first run of each layout to stderr, to see where the time goes.

#include "modbus/timing.hpp"
#include "notify_socket.hpp"
#include "process.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace motcua;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

constexpr int baud = 19200;
constexpr int response_timeout_ms = 100; // written into the config: what the daemon is told
constexpr double think_us = 5000;        // the simulator's device think time when pacing
constexpr double goal_ms = 1000;
bool show_log = false;

// One bus of a layout: `counters` counters, each with a display and a keypad; the first
// `present_counters` of them are served by the simulator, the others are absent.
struct BusPlan
{
    int first_counter = 1;
    int counters = 0;
    int present_counters = 0;
    int devices() const { return 2 * counters; }
    int present() const { return 2 * present_counters; }
    int absent() const { return devices() - present(); }
};

struct Layout
{
    std::string title;
    std::vector<BusPlan> buses;
};

// The wait for a never-seen device that does not answer: the driver's first-contact
// timeout (modbus/timing.hpp) for the shortest request, an FC03.
double first_contact_wait_us() { return modbus::first_contact_timeout_us(8, baud, think_us); }

// The physical floor of start → READY=1 on one bus: the shortest first transaction with
// each present device (FC03 of 2 registers with both silences and the think time) plus
// one first-contact wait per absent device. Buses work in parallel: a layout's floor is
// its slowest bus.
double layout_floor_ms(const Layout& layout)
{
    double worst = 0;
    for (const auto& b : layout.buses)
        worst = std::max(worst, b.present() * modbus::fc03_us(2, baud, think_us) + b.absent() * first_contact_wait_us());
    return worst / 1000;
}

std::string bus_name(std::size_t i) { return "bus-" + std::to_string(i + 1); }

// The office config of a layout; with `present_only`, the simulator's copy listing only
// the devices that are there (same buses and device paths, so it serves the same ptys).
std::string config(const Layout& layout, bool present_only)
{
    int counters = 0;
    for (const auto& b : layout.buses)
        counters += b.counters;
    std::ostringstream c;
    c << "[office]\nname = \"bench\"\nunit_code = \"000.00.00.H99\"\n\n"
      << "[[service]]\nid = \"TP\"\nnumber = 1\nname = \"TP\"\nfirst = 1\nlast = 9999\n\n";
    for (int i = 1; i <= std::max(counters, 1); ++i)
        c << "[[counter]]\nnumber = " << i << "\nservices = [\"TP\"]\n\n";
    c << "[register]\ndatabase = \"motcua.db\"\n\n";
    for (std::size_t n = 0; n < layout.buses.size(); ++n)
        c << "[[bus]]\nname = \"" << bus_name(n) << "\"\ndevice = \"dev/" << bus_name(n) << "\"\nbaud = " << baud
          << "\nparity = \"N\"\nstop_bits = 2\nresponse_timeout_ms = " << response_timeout_ms << "\n\n";
    for (std::size_t n = 0; n < layout.buses.size(); ++n)
    {
        const auto& b = layout.buses[n];
        for (int k = 0; k < b.counters; ++k)
        {
            if (present_only && k >= b.present_counters)
                continue;
            int counter = b.first_counter + k;
            c << "[[device]]\nbus = \"" << bus_name(n) << "\"\nslave = " << counter << "\nrole = \"display\"\ncounter = "
              << counter << "\n\n"
              << "[[device]]\nbus = \"" << bus_name(n) << "\"\nslave = " << 100 + counter
              << "\nrole = \"keypad\"\ncounter = " << counter << "\n\n";
        }
    }
    return c.str();
}

struct Run
{
    double ready_ms = -1; // -1: no READY=1 within the limit
    std::string status;   // the last STATUS= before READY=1
};

std::string last_status(const std::string& text, std::size_t from)
{
    auto at = text.rfind("STATUS=");
    if (at == std::string::npos || at < from)
        return "";
    auto end = text.find('\n', at);
    return text.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
}

class Bench
{
  public:
    Bench(std::string bin, const Layout& layout) : bin_(std::move(bin))
    {
        dir_.write("office.toml", config(layout, false));
        notify_ = std::make_unique<testing::NotifySocket>(dir_.file("notify.sock"));
        if (layout.buses.empty())
            return;
        dir_.write("sim.toml", config(layout, true));
        sim_ = std::make_unique<testing::Child>(std::vector<std::string>{bin_ + "/motcua-sim", "--config", dir_.file("sim.toml"),
                                                                         "--socket", dir_.file("sim.sock"), "--pace"},
                                                dir_.file("sim.log"));
        if (!testing::wait_for_socket(dir_.file("sim.sock"), 10s))
            std::fprintf(stderr, "motcua-sim did not start:\n%s\n", testing::read_file(dir_.file("sim.log")).c_str());
    }

    Run start_once(bool log)
    {
        testing::TempDir state;
        auto mark = notify_->seen().size();
        auto t0 = Clock::now();
        std::vector<std::string> argv{bin_ + "/motcuad", "--config", dir_.file("office.toml"), "--state-dir",
                                      state.path(), "--socket", state.file("ctl.sock")};
        if (log)
            argv.push_back("-v");
        testing::Child daemon(argv,
                              state.file("motcuad.log"), std::vector<std::string>{"NOTIFY_SOCKET=" + dir_.file("notify.sock")});
        Run run;
        if (notify_->arrived("READY=1\n", 15s, mark))
        {
            run.ready_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            auto upto = notify_->seen().find("READY=1\n", mark);
            run.status = last_status(notify_->seen().substr(0, upto), mark);
        }
        else
            std::fprintf(stderr, "no READY=1 within 15 s:\n%s\n", testing::read_file(state.file("motcuad.log")).c_str());
        daemon.signal(SIGTERM);
        daemon.wait(10s);
        if (log)
            std::fprintf(stderr, "%s", testing::read_file(state.file("motcuad.log")).c_str());
        return run;
    }

  private:
    std::string bin_;
    testing::TempDir dir_;
    std::unique_ptr<testing::NotifySocket> notify_;
    std::unique_ptr<testing::Child> sim_;
};

struct Figures
{
    double min = 0, median = 0, max = 0;
    int failed = 0;
    std::string status;
};

Figures measure(const std::string& bin, const Layout& layout, int runs)
{
    Bench bench(bin, layout);
    std::vector<double> ms;
    Figures f;
    for (int i = 0; i < runs; ++i)
    {
        auto r = bench.start_once(show_log && i == 0);
        if (r.ready_ms < 0)
        {
            ++f.failed;
            continue;
        }
        ms.push_back(r.ready_ms);
        f.status = r.status;
    }
    std::sort(ms.begin(), ms.end());
    if (!ms.empty())
    {
        f.min = ms.front();
        f.max = ms.back();
        f.median = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
    }
    return f;
}

void print(const Layout& layout, const Figures& f, double baseline_median_ms)
{
    std::printf("%-38s READY after min %7.1f  median %7.1f  max %7.1f ms%s\n", layout.title.c_str(), f.min, f.median, f.max,
                f.failed ? (" (" + std::to_string(f.failed) + " runs without READY)").c_str() : "");
    if (layout.buses.empty())
    {
        std::printf("%-38s goal <= %.0f ms\n", "", goal_ms);
        return;
    }
    int present = 0, absent = 0;
    for (const auto& b : layout.buses)
        present += b.present(), absent += b.absent();
    double floor = layout_floor_ms(layout);
    std::printf("%-38s %d present + %d absent; goal <= %.0f ms; baseline (0 devices) median %.1f ms\n", "", present,
                absent, goal_ms, baseline_median_ms);
    std::printf("%-38s floor (absent = first contact %.1f ms, response_timeout_ms %d): bus %.1f ms + baseline = "
                "%.1f ms  (median/floor %.2f)\n",
                "", first_contact_wait_us() / 1000, response_timeout_ms, floor, floor + baseline_median_ms,
                f.median / (floor + baseline_median_ms));
    std::printf("%-38s STATUS at READY: %s\n", "", f.status.empty() ? "(none)" : f.status.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 5;
    std::string bin;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a == "--log")
            show_log = true;
        else if (a == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else
            bin = a;
    }
    if (bin.empty())
        bin = testing::program_dir();
    std::printf("motcuad start -> READY=1 on NOTIFY_SOCKET (%d runs each, fresh state dir each run; motcua-sim --pace, "
                "%d baud 8N2, Tp = %.0f ms; present probe FC03(2) = %.2f ms on the wire)\n",
                runs, baud, think_us / 1000, modbus::fc03_us(2, baud, think_us) / 1000);
    const Layout baseline{"0 devices (config, database, replay)", {}};
    const Layout one_bus{"1 bus x 32 devices (16 absent)", {BusPlan{1, 16, 8}}};
    const Layout two_buses{"2 buses x 16 devices (8 absent each)", {BusPlan{1, 8, 4}, BusPlan{9, 8, 4}}};
    auto base = measure(bin, baseline, runs);
    print(baseline, base, 0);
    for (const auto* layout : {&one_bus, &two_buses})
    {
        auto f = measure(bin, *layout, runs);
        print(*layout, f, base.median);
    }
    return 0;
}
