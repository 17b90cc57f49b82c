// motcua-bench-devices [BIN_DIR] [--presses N] [--quick] [--web PORT]
//
// Daemon-level latency of "clerk presses NEXT" to "the number is on the display": the
// paced simulator (motcua-sim --pace: 11 bits per character, t3.5, 5 ms think time) queues
// the press in the keypad's FIFO; motcuad polls it, commits the call and writes the
// display; the simulator prints the display change, which this program reads. Printed
// beside the floor (modbus/timing.hpp): half a poll cycle + one FC03(4) + the FC16(5)
// request. Then the CPU motcuad uses while idle-polling 32 devices (/proc/<pid>/stat, 10 s).
// --web PORT adds [web] on 127.0.0.1:PORT, so that tests/bench/web can load the daemon's
// web face while the presses are measured (the bus must not wait for the web).

#include "ctl/client.hpp"
#include "modbus/timing.hpp"
#include "process.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace motcua;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{
std::string bin;
int web_port = 0;

std::string config(int counters, int baud)
{
    std::ostringstream c;
    c << "[office]\nname = \"bench\"\nunit_code = \"000.00.00.H99\"\n\n"
      << "[[service]]\nid = \"TP\"\nnumber = 1\nname = \"TP\"\nfirst = 1\nlast = 9999\n\n";
    for (int i = 1; i <= counters; ++i)
        c << "[[counter]]\nnumber = " << i << "\nservices = [\"TP\"]\n\n";
    c << "[register]\ndatabase = \"motcua.db\"\n\n"
      << "[[bus]]\nname = \"bus-1\"\ndevice = \"dev/bus-1\"\nbaud = " << baud
      << "\nparity = \"N\"\nstop_bits = 2\nmin_poll_period_ms = 0\n\n";
    for (int i = 1; i <= counters; ++i)
        c << "[[device]]\nbus = \"bus-1\"\nslave = " << i << "\nrole = \"display\"\ncounter = " << i << "\n\n"
          << "[[device]]\nbus = \"bus-1\"\nslave = " << 100 + i << "\nrole = \"keypad\"\ncounter = " << i << "\n\n";
    if (web_port)
        c << "[web]\nlisten = [\"127.0.0.1:" << web_port << "\"]\nmax_connections = 2000\n";
    return c.str();
}

// Follows the simulator's log for "display counter N: ... (blink)" lines.
class LogTail
{
  public:
    explicit LogTail(std::string path) : path_(std::move(path)) {}
    // Waits for a blink line of `counter`; returns when it was seen.
    std::optional<Clock::time_point> wait_blink(int counter, Clock::duration limit)
    {
        auto until = Clock::now() + limit;
        std::string want = "display counter " + std::to_string(counter) + ":";
        while (Clock::now() < until)
        {
            std::ifstream in(path_);
            in.seekg(static_cast<std::streamoff>(offset_));
            std::string line;
            while (std::getline(in, line))
            {
                if (in.eof())
                    break; // partial line: read again later
                offset_ += line.size() + 1;
                if (line.rfind(want, 0) == 0 && line.find("(blink)") != std::string::npos)
                    return Clock::now();
            }
            std::this_thread::sleep_for(200us);
        }
        return std::nullopt;
    }
    void skip_to_end()
    {
        std::ifstream in(path_, std::ios::ate);
        offset_ = static_cast<std::size_t>(in.tellg());
    }

  private:
    std::string path_;
    std::size_t offset_ = 0;
};

struct Office
{
    testing::TempDir dir;
    std::unique_ptr<testing::Child> sim, daemon;
    Office(int counters, int baud)
    {
        dir.write("office.toml", config(counters, baud));
        sim = std::make_unique<testing::Child>(
            std::vector<std::string>{bin + "/motcua-sim", "--config", dir.file("office.toml"), "--pace"}, dir.file("sim.log"));
        testing::wait_for_socket(dir.file("motcua-sim.sock"), 10s);
        daemon = std::make_unique<testing::Child>(
            std::vector<std::string>{bin + "/motcuad", "--config", dir.file("office.toml"), "--state-dir", dir.path(),
                                     "--socket", dir.file("ctl.sock")},
            dir.file("motcuad.log"));
        testing::wait_for_socket(dir.file("ctl.sock"), 10s);
    }
};

void latency(int counters, int baud, int presses)
{
    Office office(counters, baud);
    ctl::Client daemon(office.dir.file("ctl.sock"));
    ctl::Client sim(office.dir.file("motcua-sim.sock"));
    for (int i = 1; i <= counters; ++i)
        daemon.request("open", {{"counter", i}, {"officer", "o" + std::to_string(i)}});
    for (int i = 0; i < presses + counters; ++i)
        daemon.request("issue", {{"service", "TP"}});
    std::this_thread::sleep_for(1500ms); // every device online
    LogTail tail(office.dir.file("sim.log"));
    tail.skip_to_end();
    double think = 5000;
    double cycle_ms = counters * modbus::fc03_us(4, baud, think) / 1000;
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> phase(0, cycle_ms);
    std::vector<double> ms;
    int lost = 0;
    for (int p = 0; p < presses; ++p)
    {
        int counter = 1 + p % counters;
        std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(phase(rng) * 1000)));
        auto t0 = Clock::now();
        sim.request("press", {{"target", std::to_string(counter)}, {"key", "next"}, {"arg", 0}});
        auto seen = tail.wait_blink(counter, 3s);
        if (!seen)
        {
            ++lost;
            continue;
        }
        ms.push_back(std::chrono::duration<double, std::milli>(*seen - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    double mean = 0;
    for (double v : ms)
        mean += v;
    mean /= static_cast<double>(std::max<std::size_t>(ms.size(), 1));
    auto pct = [&](double q) { return ms.empty() ? 0 : ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
    double floor_mean = modbus::floor_mean_us(counters, baud, think) / 1000;
    double floor_worst = modbus::floor_worst_us(counters, baud, think) / 1000;
    std::printf("%2d keypads + %2d displays @%5d: presses %zu (missed %d)  mean %6.1f ms  p50 %6.1f  p99 %6.1f  |  "
                "floor mean %6.1f  worst %6.1f  mean/floor %.2f\n",
                counters, counters, baud, ms.size(), lost, mean, pct(0.5), pct(0.99), floor_mean, floor_worst,
                mean / floor_mean);
    std::fflush(stdout);
}

double cpu_seconds(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field)
        f.push_back(field);
    // fields after ')' start at 3 (state); utime is 14, stime 15.
    double ticks = std::stod(f[14 - 3]) + std::stod(f[15 - 3]);
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void idle_cpu(int seconds)
{
    Office office(16, 19200); // 16 displays + 16 keypads = 32 devices
    std::this_thread::sleep_for(2s);
    auto c0 = cpu_seconds(office.daemon->pid());
    auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    auto c1 = cpu_seconds(office.daemon->pid());
    double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("motcuad idle-polling 32 devices (16 keypads + 16 displays, 19200, paced sim) over %.0f s: "
                "%.2f %% of one core  |  goal <= 2 %%\n",
                wall, 100.0 * (c1 - c0) / wall);
}
} // namespace

int main(int argc, char** argv)
{
    int presses = 200;
    bool quick = false;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a == "--presses" && i + 1 < argc)
            presses = std::atoi(argv[++i]);
        else if (a == "--quick")
            quick = true;
        else if (a == "--web" && i + 1 < argc)
            web_port = std::atoi(argv[++i]);
        else
            bin = a;
    }
    if (bin.empty())
        bin = testing::program_dir();
    std::printf("key press -> number on the display, daemon level (motcua-sim --pace, Tp = 5 ms, one bus)\n");
    latency(8, 19200, presses);
    if (!quick)
    {
        latency(16, 19200, presses);
        latency(8, 9600, presses);
        latency(16, 9600, presses);
    }
    idle_cpu(10);
    return 0;
}
