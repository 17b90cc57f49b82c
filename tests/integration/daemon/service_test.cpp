// motcuad as systemd runs it: READY=1 on a test-owned NOTIFY_SOCKET, STATUS=, reload on
// SIGHUP (a broken config is rejected and the old one keeps running, with the queue),
// STOPPING=1 and a clean exit on SIGTERM.

#include "daemon_fixture.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

using namespace motcua::testing;

namespace
{

// A datagram socket standing in for systemd's notify socket.
class NotifySocket
{
  public:
    explicit NotifySocket(const std::string& path) : path_(path)
    {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throw std::runtime_error("bind notify socket");
    }
    ~NotifySocket() { ::close(fd_); }

    // Waits for a datagram containing `needle`; returns all text received meanwhile.
    std::string wait_for(const std::string& needle, std::chrono::milliseconds timeout)
    {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline)
        {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            char buf[4096];
            auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0)
                continue;
            seen_ += std::string(buf, static_cast<std::size_t>(n)) + "\n";
            if (seen_.find(needle) != std::string::npos)
                return seen_;
        }
        return seen_;
    }
    const std::string& seen() const { return seen_; }

  private:
    std::string path_;
    int fd_ = -1;
    std::string seen_;
};

class ServiceProcess : public DaemonProcess
{
  protected:
    std::unique_ptr<NotifySocket> notify;
    void start_notified()
    {
        notify = std::make_unique<NotifySocket>(dir.file("notify.sock"));
        daemon = std::make_unique<Child>(
            std::vector<std::string>{bin_dir() + "/motcuad", "--config", config(), "--state-dir", dir.path(),
                                     "--socket", socket()},
            dir.file("motcuad.log"), std::vector<std::string>{"NOTIFY_SOCKET=" + dir.file("notify.sock")});
    }
};

TEST_F(ServiceProcess, ReadyReloadAndStop)
{
    start_notified();
    auto seen = notify->wait_for("READY=1", std::chrono::seconds(10));
    ASSERT_NE(seen.find("READY=1"), std::string::npos) << read_file(dir.file("motcuad.log"));
    EXPECT_NE(seen.find("STATUS="), std::string::npos) << seen;
    // READY means the control socket answers.
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    ASSERT_EQ(ctl({"open", "1", "--officer", "cb01"}).exit_code, 0);

    // A broken config on SIGHUP is rejected: old config and queue keep running.
    std::string good = read_file(config());
    dir.write("office.toml", good + "\n[[counter]]\nnumber = 1\nservices = [\"NOPE\"]\n");
    daemon->signal(SIGHUP);
    seen = notify->wait_for("RELOADING=1", std::chrono::seconds(5));
    ASSERT_NE(seen.find("RELOADING=1"), std::string::npos);
    notify->wait_for("READY=1\n", std::chrono::seconds(5));
    auto status = ctl_json({"status"});
    EXPECT_EQ(status["services"][0]["waiting"].size(), 1u);
    EXPECT_EQ(status["counters"][0]["state"], "idle");
    EXPECT_NE(read_file(dir.file("motcuad.log")).find("Reload rejected"), std::string::npos);

    // A valid new config (a third counter) is applied without losing the queue.
    dir.write("office.toml", good + "\n[[counter]]\nnumber = 3\nservices = [\"TP\"]\n");
    daemon->signal(SIGHUP);
    for (int i = 0; i < 100; ++i)
    {
        if (read_file(dir.file("motcuad.log")).find("Configuration reloaded") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(ctl({"open", "3", "--officer", "cb03"}).exit_code, 0);
    status = ctl_json({"status"});
    EXPECT_EQ(status["services"][0]["waiting"].size(), 1u);
    EXPECT_EQ(status["counters"][0]["state"], "idle");

    // SIGTERM: STOPPING=1 and exit 0 within 5 s.
    auto t0 = std::chrono::steady_clock::now();
    daemon->signal(SIGTERM);
    int code = daemon->wait(std::chrono::seconds(5));
    EXPECT_EQ(code, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    EXPECT_NE(notify->wait_for("STOPPING=1", std::chrono::seconds(1)).find("STOPPING=1"), std::string::npos);
}

TEST_F(ServiceProcess, WatchdogIsPetted)
{
    notify = std::make_unique<NotifySocket>(dir.file("notify.sock"));
    daemon = std::make_unique<Child>(
        std::vector<std::string>{bin_dir() + "/motcuad", "--config", config(), "--state-dir", dir.path(), "--socket",
                                 socket()},
        dir.file("motcuad.log"),
        std::vector<std::string>{"NOTIFY_SOCKET=" + dir.file("notify.sock"), "WATCHDOG_USEC=400000"});
    ASSERT_NE(notify->wait_for("READY=1", std::chrono::seconds(10)).find("READY=1"), std::string::npos);
    // At a quarter of 400 ms, several pets arrive within a second.
    notify->wait_for("__never__", std::chrono::milliseconds(600));
    std::size_t pets = 0;
    for (std::size_t pos = 0; (pos = notify->seen().find("WATCHDOG=1", pos)) != std::string::npos; ++pos)
        ++pets;
    EXPECT_GE(pets, 3u) << notify->seen();
}

} // namespace
