// motcuad as systemd runs it: READY=1 on a test-owned NOTIFY_SOCKET, STATUS=, reload on
// SIGHUP (a broken config is rejected and the old one keeps running, with the queue),
// STOPPING=1 and a clean exit on SIGTERM.

#include "daemon_fixture.hpp"
#include "notify_socket.hpp"

#include <signal.h>

#include <fstream>
#include <thread>

using namespace motcua::testing;

namespace
{

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
    auto mark = notify->seen().size();
    daemon->signal(SIGHUP);
    ASSERT_TRUE(notify->arrived("RELOADING=1", std::chrono::seconds(5), mark));
    ASSERT_TRUE(notify->arrived("READY=1\n", std::chrono::seconds(5), notify->seen().find("RELOADING=1", mark)));
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

TEST_F(ServiceProcess, ReadyComesAfterTheFirstAttemptAtEveryDevice)
{
    // bus-1: display 1 and keypad 11 answer (motcua-sim), display 2 is absent; bus-2's
    // adapter and the printer are not plugged in. None of that may hold READY=1 back, and
    // READY=1 must come only once each of them has been tried.
    std::string bus1 = "\n[[bus]]\nname = \"bus-1\"\ndevice = \"dev/bus-1\"\nparity = \"N\"\nstop_bits = 2\n"
                       "\n[[device]]\nbus = \"bus-1\"\nslave = 1\nrole = \"display\"\ncounter = 1\n"
                       "\n[[device]]\nbus = \"bus-1\"\nslave = 11\nrole = \"keypad\"\ncounter = 1\n";
    std::string absent =
        "\n[[device]]\nbus = \"bus-1\"\nslave = 2\nrole = \"display\"\ncounter = 2\n"
        "\n[[bus]]\nname = \"bus-2\"\ndevice = \"dev/no-adapter\"\nparity = \"N\"\nstop_bits = 2\n"
        "\n[[device]]\nbus = \"bus-2\"\nslave = 12\nrole = \"keypad\"\ncounter = 2\n"
        "\n[[printer]]\nname = \"kiosk-1\"\nprofile = \"epson-tm-t20\"\ntransport = \"serial\"\n"
        "device = \"dev/no-printer\"\n";
    dir.write("sim.toml", std::string(office_config) + bus1);
    dir.write("office.toml", std::string(office_config) + bus1 + absent);
    Child sim({bin_dir() + "/motcua-sim", "--config", dir.file("sim.toml")}, dir.file("sim.log"));
    ASSERT_TRUE(wait_for_socket(dir.file("motcua-sim.sock"), std::chrono::seconds(10))) << read_file(dir.file("sim.log"));

    start_notified();
    auto seen = notify->wait_for("READY=1", std::chrono::seconds(10));
    auto ready = seen.find("READY=1");
    ASSERT_NE(ready, std::string::npos) << read_file(dir.file("motcuad.log"));
    // The status sent with READY=1 already knows who answered: devices start offline, so a
    // premature READY would say 0/4.
    auto status = seen.rfind("STATUS=", ready);
    ASSERT_NE(status, std::string::npos) << seen;
    auto line = seen.substr(status, ready - status);
    EXPECT_NE(line.find("devices 2/4 online"), std::string::npos) << line << read_file(dir.file("motcuad.log"));
    EXPECT_NE(line.find("printers 0/1 ready"), std::string::npos) << line;
    // The log line follows the datagram.
    std::string log;
    for (int i = 0; i < 250 && log.find("devices_tried_ms=") == std::string::npos; ++i)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        log = read_file(dir.file("motcuad.log"));
    }
    EXPECT_NE(log.find("devices_tried_ms="), std::string::npos) << log;
    EXPECT_EQ(log.find("Ready before every device was tried"), std::string::npos) << log;
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
