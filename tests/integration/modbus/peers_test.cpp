// Independent peers, so that neither side only agrees with itself:
//   - our driver against python3-pymodbus as the RTU slave (a keypad and a display of
//     motcua-v1, FIFO semantics in pymodbus_peer.py), over a socat pty pair;
//   - mbpoll (a command-line master) reading and writing our simulator.

#include "bus_fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

using namespace motcua;
using namespace motcua::test;
using config::DeviceRole;

namespace
{

// A child process with its stdin and stdout on pipes.
class Child
{
  public:
    explicit Child(std::vector<std::string> argv)
    {
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0)
            return;
        pid_ = ::fork();
        if (pid_ == 0)
        {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            std::vector<char*> args;
            for (auto& a : argv)
                args.push_back(a.data());
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        to_ = in[1];
        from_ = out[0];
    }
    ~Child()
    {
        if (to_ >= 0)
        {
            send("quit");
            ::close(to_);
        }
        if (pid_ > 0)
        {
            int status = 0;
            for (int i = 0; i < 200 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
                ::poll(nullptr, 0, 10);
            if (::waitpid(pid_, &status, WNOHANG) == 0)
            {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
            }
        }
        if (from_ >= 0)
            ::close(from_);
    }
    void send(const std::string& line)
    {
        auto s = line + "\n";
        [[maybe_unused]] auto n = ::write(to_, s.data(), s.size());
    }
    // One line, or "" after the timeout.
    std::string line(std::chrono::milliseconds timeout = std::chrono::seconds(10))
    {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (true)
        {
            if (auto nl = buf_.find('\n'); nl != std::string::npos)
            {
                auto l = buf_.substr(0, nl);
                buf_.erase(0, nl + 1);
                return l;
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return "";
            pollfd p{from_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
                continue;
            char tmp[1024];
            auto n = ::read(from_, tmp, sizeof tmp);
            if (n <= 0)
                return "";
            buf_.append(tmp, static_cast<std::size_t>(n));
        }
    }

  private:
    pid_t pid_ = -1;
    int to_ = -1;
    int from_ = -1;
    std::string buf_;
};

std::string run(const std::string& cmd)
{
    std::string out;
    if (FILE* f = ::popen(cmd.c_str(), "r"))
    {
        char buf[512];
        while (std::fgets(buf, sizeof buf, f))
            out += buf;
        ::pclose(f);
    }
    return out;
}

// "[256]: \t42" lines of mbpoll's output.
std::vector<int> mbpoll_values(const std::string& out)
{
    std::vector<int> v;
    std::istringstream in(out);
    std::string l;
    while (std::getline(in, l))
        if (l.starts_with("[") && l.find("]:") != std::string::npos)
            v.push_back(std::stoi(l.substr(l.find("]:") + 2)));
    return v;
}

std::string mbpoll(const std::string& dev, int id, int addr, int count, const std::string& values = "")
{
    // mbpoll writes when values follow the device (FC06 for one, FC16 for several) and
    // refuses -c then.
    auto c = values.empty() ? " -c " + std::to_string(count) : std::string();
    return run("mbpoll -m rtu -b 19200 -P none -s 2 -0 -1 -o 1 -a " + std::to_string(id) + " -r " +
               std::to_string(addr) + c + " " + dev + " " + values + " 2>&1");
}

} // namespace

TEST(Peers, DriverAgainstPymodbusSlave)
{
    TempDir dir;
    auto link = dir.path() + "/bus";
    Child peer({"/usr/bin/python3", source_dir() + "/tests/integration/modbus/pymodbus_peer.py", link});
    ASSERT_EQ(peer.line(), "READY");

    config::Devices devs;
    auto bus_cfg = test_bus("bus-1", link);
    bus_cfg.response_timeout_ms = 300; // python answers slower than our devices
    bus_cfg.min_poll_period_ms = 20;
    devs.buses.push_back(bus_cfg);
    devs.devices = {device("bus-1", "display-1", 1, DeviceRole::display, 1),
                    device("bus-1", "keypad-1", 2, DeviceRole::keypad, 1)};
    add_profiles(devs);
    boost::asio::io_context io;
    EventLog log;
    int shown = 0;
    modbus::Bus* busp = nullptr;
    log.also = [&](const modbus::KeyEvent& ev) {
        if (ev.key == 1)
            busp->show("display-1", modbus::DisplayImage{modbus::DisplayMode::number, 500 + ++shown, 1, 3, 5, 15});
    };
    modbus::Bus bus(io, bus_cfg, devs.devices, devs.profiles, modbus::Handlers{std::ref(log), {}, {}});
    busp = &bus;
    bus.start();

    std::vector<std::pair<int, int>> keys = {{1, 0}, {2, 0}, {3, 0}, {4, 102}, {5, 1}, {6, 0}, {7, 0}, {1, 0}};
    for (auto [k, a] : keys)
    {
        peer.send("press " + std::to_string(k) + " " + std::to_string(a));
        ASSERT_NE(peer.line(), "");
    }
    ASSERT_TRUE(run_until(io, [&] { return log.events.size() == keys.size(); }, std::chrono::seconds(20)))
        << log.events.size();
    for (std::size_t i = 0; i < keys.size(); ++i)
    {
        EXPECT_EQ(log.events[i].key, keys[i].first);
        EXPECT_EQ(log.events[i].arg, keys[i].second);
    }
    EXPECT_FALSE(log.doubled());
    bus.feedback("keypad-1", modbus::FeedbackImage{502, 3, modbus::Led::green});

    // The peer's registers hold what the driver wrote: display block, feedback, FIFO drained.
    std::string dump;
    ASSERT_TRUE(run_until(io, [&] {
        peer.send("dump");
        dump = peer.line();
        return dump.find("\"display\": [502, 1, 1, 773, 15]") != std::string::npos &&
               dump.find("\"feedback\": [502, 3, 1, 0]") != std::string::npos &&
               dump.find("\"pending\": 0") != std::string::npos;
    }, std::chrono::seconds(20)))
        << dump;
    EXPECT_NE(dump.find("\"acks\": 8"), std::string::npos) << dump;
    bus.stop();
}

TEST(Peers, MbpollReadsAndWritesTheSimulator)
{
    TempDir dir;
    config::Devices devs;
    auto bus_cfg = test_bus("bus-1", dir.path() + "/bus");
    devs.buses.push_back(bus_cfg);
    devs.devices = {device("bus-1", "display-1", 1, DeviceRole::display, 1),
                    device("bus-1", "keypad-1", 2, DeviceRole::keypad, 1),
                    device("bus-1", "tube", 3, DeviceRole::display, 2, "dm56a04")};
    add_profiles(devs);
    auto sim = sim::ModbusSim::for_bus(bus_cfg, devs.devices, devs.profiles);
    ASSERT_TRUE(sim->start().ok());
    auto dev = bus_cfg.device;

    // Identity of the keypad.
    EXPECT_EQ(mbpoll_values(mbpoll(dev, 2, 0, 2)), (std::vector<int>{2, 0x0102}));
    // An absent id stays silent, and the next request is still answered (no desync).
    EXPECT_TRUE(mbpoll_values(mbpoll(dev, 77, 0, 2)).empty());
    // The display block as one FC16.
    EXPECT_NE(mbpoll(dev, 1, 0x0100, 5, "42 3 1 0 9").find("Written 5 references"), std::string::npos);
    auto v = sim->display(1);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->text, "42");
    EXPECT_EQ(v->counter, 3);
    EXPECT_EQ(v->brightness, 9);
    // ASCII tube: one character per register.
    mbpoll(dev, 3, 0, 6, "32 32 32 49 50 51");
    EXPECT_EQ(sim->display(3)->text, "123");
    // FIFO: read the head, a wrong ACK is ignored, the right one removes it.
    ASSERT_TRUE(sim->press(2, 4, 103));
    ASSERT_TRUE(sim->press(2, 1, 0));
    auto head = mbpoll_values(mbpoll(dev, 2, 0x0200, 4));
    ASSERT_EQ(head, (std::vector<int>{1, 2, 4, 103}));
    mbpoll(dev, 2, 0x0204, 1, "7");
    EXPECT_EQ(sim->panel(2)->pending, 2);
    mbpoll(dev, 2, 0x0204, 1, "1");
    EXPECT_EQ(sim->panel(2)->pending, 1);
    EXPECT_EQ(mbpoll_values(mbpoll(dev, 2, 0x0200, 4)), (std::vector<int>{2, 1, 1, 0}));
    sim->stop();
}
