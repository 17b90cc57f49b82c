// motcua-bench-kiosk [N]: motcuad on a temporary config with one kiosk whose printer is a
// pseudo-terminal played by this program (it answers DLE EOT as a healthy printer and
// timestamps the first byte of every job, ESC @). For N tickets (default 1000) it sends
// {"cmd":"issue","args":{"service":"TP","kiosk":"K1"}} on the control socket and measures
// request → first byte of the ticket at the printer, and request → answer. Then one
// `motcuactl issue TP --kiosk K1` process end to end. The physical limit printed beside it:
// the ticket's wire time at 9600 and 19200 baud (8N1, 10 bits per byte).

#include "process.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <pty.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace motcua::testing;
using Clock = std::chrono::steady_clock;

namespace
{

const char* config_text = R"(
[office]
name = "Trung tâm Phục vụ hành chính công xã Yên Sở"
unit_code = "000.00.00.H99"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 9999
prefix = "TP-"

[[counter]]
number = 1
services = ["TP"]

[register]
database = "motcua.db"

[[printer]]
name = "p1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/p1"
baud = 19200

[[kiosk]]
id = "K1"
printer = "p1"

[ticket]
qr_url = "https://dichvucong.example.vn/t/{ticket_id}"
footer = ["Xin cảm ơn quý khách!", "Vui lòng chờ đến lượt."]
)";

// A healthy ESC/POS printer on a pty master: answers DLE EOT n, timestamps each ESC @.
class FakePrinter
{
  public:
    explicit FakePrinter(const std::string& link)
    {
        int slave = -1;
        char name[128] = {};
        if (openpty(&master_, &slave, name, nullptr, nullptr) != 0)
            throw std::runtime_error("openpty failed");
        termios tio{};
        tcgetattr(slave, &tio);
        cfmakeraw(&tio);
        tcsetattr(slave, TCSANOW, &tio);
        slave_ = slave;
        std::filesystem::create_directories(std::filesystem::path(link).parent_path());
        std::filesystem::remove(link);
        std::filesystem::create_symlink(name, link);
        thread_ = std::thread([this] { loop(); });
    }
    ~FakePrinter()
    {
        stop_ = true;
        thread_.join();
        ::close(master_);
        ::close(slave_);
    }
    std::vector<Clock::time_point> jobs()
    {
        std::lock_guard lock(mutex_);
        return jobs_;
    }
    std::size_t job_bytes() const { return total_ - query_bytes_; }

  private:
    void loop()
    {
        std::uint8_t buf[4096];
        std::uint8_t prev2 = 0, prev1 = 0;
        while (!stop_)
        {
            pollfd p{master_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            auto n = ::read(master_, buf, sizeof buf);
            auto at = Clock::now();
            if (n <= 0)
                continue;
            for (ssize_t i = 0; i < n; ++i)
            {
                const auto b = buf[i];
                ++total_;
                if (prev2 == 0x10 && prev1 == 0x04 && b >= 1 && b <= 4)
                {
                    const std::uint8_t reply = 0x12;
                    query_bytes_ += 3;
                    (void)!::write(master_, &reply, 1);
                }
                else if (prev1 == 0x1B && b == 0x40)
                {
                    std::lock_guard lock(mutex_);
                    jobs_.push_back(at);
                }
                else if (prev1 == 0x1D && b == 0x61)
                    query_bytes_ += 3; // GS a n: ASB enable
                prev2 = prev1;
                prev1 = b;
            }
        }
    }

    int master_ = -1;
    int slave_ = -1;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<Clock::time_point> jobs_;
    std::size_t total_ = 0;
    std::size_t query_bytes_ = 0;
};

class Connection
{
  public:
    explicit Connection(const std::string& path)
    {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
            throw std::runtime_error("cannot connect to " + path);
    }
    ~Connection() { ::close(fd_); }
    nlohmann::json request(const std::string& line)
    {
        std::string out = line + "\n";
        if (::write(fd_, out.data(), out.size()) != static_cast<ssize_t>(out.size()))
            throw std::runtime_error("write failed");
        while (true)
        {
            auto nl = buf_.find('\n');
            if (nl != std::string::npos)
            {
                auto l = buf_.substr(0, nl);
                buf_.erase(0, nl + 1);
                return nlohmann::json::parse(l);
            }
            char tmp[4096];
            auto n = ::read(fd_, tmp, sizeof tmp);
            if (n <= 0)
                throw std::runtime_error("daemon closed the connection");
            buf_.append(tmp, static_cast<std::size_t>(n));
        }
    }

  private:
    int fd_ = -1;
    std::string buf_;
};

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Waits (bounded) until the fake printer has seen `count` jobs; returns the last one's time.
std::optional<Clock::time_point> wait_job(FakePrinter& printer, std::size_t count)
{
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline)
    {
        auto j = printer.jobs();
        if (j.size() >= count)
            return j[count - 1];
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char** argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 1000;
    const auto bin = std::filesystem::canonical("/proc/self/exe").parent_path().string();
    TempDir dir;
    dir.write("office.toml", config_text);
    FakePrinter printer(dir.file("dev/p1"));
    Child daemon({bin + "/motcuad", "--config", dir.file("office.toml"), "--state-dir", dir.path(), "--socket",
                  dir.file("control.sock")},
                 dir.file("motcuad.log"));
    if (!wait_for_socket(dir.file("control.sock"), std::chrono::seconds(10)))
    {
        std::fprintf(stderr, "motcuad did not start:\n%s", read_file(dir.file("motcuad.log")).c_str());
        return 1;
    }
    Connection conn(dir.file("control.sock"));
    const std::string issue = R"({"id":1,"cmd":"issue","args":{"service":"TP","kiosk":"K1"}})";
    std::vector<double> first_byte, answer;
    for (int i = 0; i < n; ++i)
    {
        auto t0 = Clock::now();
        auto r = conn.request(issue);
        auto t1 = Clock::now();
        if (!r.value("ok", false) || !r["result"]["print"].value("ok", false))
        {
            std::fprintf(stderr, "issue failed: %s\n", r.dump().c_str());
            return 1;
        }
        auto job = wait_job(printer, static_cast<std::size_t>(i) + 1);
        if (!job)
        {
            std::fprintf(stderr, "the printer saw no job for ticket %d\n", i + 1);
            return 1;
        }
        first_byte.push_back(ms(*job - t0));
        answer.push_back(ms(t1 - t0));
    }
    const double job_bytes = static_cast<double>(printer.job_bytes()) / n;

    // One motcuactl process, fork to exit and fork to the first byte.
    auto t0 = Clock::now();
    auto out = run({bin + "/motcuactl", "--socket", dir.file("control.sock"), "issue", "TP", "--kiosk", "K1"});
    auto t1 = Clock::now();
    auto job = wait_job(printer, static_cast<std::size_t>(n) + 1);
    if (out.exit_code != 0 || !job)
    {
        std::fprintf(stderr, "motcuactl issue failed: %s\n", out.err.c_str());
        return 1;
    }
    daemon.signal(SIGTERM);
    daemon.wait(std::chrono::seconds(5));

    std::printf("motcua-bench-kiosk: %d tickets, issue --kiosk over the control socket, 1 printer on a pty\n", n);
    std::printf("  request -> first byte of the ticket at the printer: p50 %.2f ms  p99 %.2f ms  max %.2f ms  (goal p99 <= 20 ms)\n",
                percentile(first_byte, 0.5), percentile(first_byte, 0.99), percentile(first_byte, 1.0));
    std::printf("  request -> answer (ticket printed and recorded):    p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
                percentile(answer, 0.5), percentile(answer, 0.99), percentile(answer, 1.0));
    std::printf("  one motcuactl process: %.2f ms to the first byte, %.2f ms to its exit\n", ms(*job - t0), ms(t1 - t0));
    std::printf("  ticket: %.0f bytes (epson-tm-t20, with QR and 2 footer lines); wire time %.0f ms at 9600, %.0f ms at 19200 baud (8N1)\n",
                job_bytes, job_bytes * 10 * 1000 / 9600, job_bytes * 10 * 1000 / 19200);
    std::printf("  limit: the wire time above; the pty here has no baud pacing, a real line adds it after the first byte\n");
    return 0;
}
