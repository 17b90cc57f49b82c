// motcuad and motcuactl as processes: the CLI's contract, crash recovery, and a control
// socket that survives bad clients.

#include "daemon_fixture.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

TEST_F(DaemonProcess, ClerkDayThroughTheCli)
{
    start();
    auto t1 = ctl({"issue", "TP"});
    ASSERT_EQ(t1.exit_code, 0) << t1.err;
    EXPECT_NE(t1.out.find("Ticket TP-0001"), std::string::npos) << t1.out;
    ctl({"issue", "TP", "--priority", "cao-tuoi"});
    EXPECT_EQ(ctl({"open", "1", "--officer", "cb01"}).exit_code, 0);
    auto call = ctl_json({"call", "1"});
    EXPECT_EQ(call["ticket"]["label"], "TP-0002"); // strict: the priority ticket first
    EXPECT_EQ(ctl({"recall", "1"}).exit_code, 0);
    EXPECT_EQ(ctl({"open", "2", "--officer", "cb02"}).exit_code, 0);
    auto tr = ctl_json({"transfer", "1", "--to-counter", "2"});
    EXPECT_EQ(tr["event"], "transferred");
    auto call2 = ctl_json({"call", "2"});
    EXPECT_EQ(call2["ticket"]["label"], "TP-0002");
    EXPECT_EQ(ctl({"done", "2"}).exit_code, 0);
    EXPECT_EQ(ctl({"pause", "2", "--reason", "3"}).exit_code, 0);
    auto status = ctl_json({"status"});
    EXPECT_EQ(status["counters"][1]["state"], "paused");
    EXPECT_EQ(status["counters"][1]["pause_reason"], 3);
    ASSERT_EQ(status["services"][0]["waiting"].size(), 1u);
    EXPECT_EQ(status["services"][0]["waiting"][0]["label"], "TP-0001");
    EXPECT_TRUE(status["services"][0]["waiting"][0].contains("issued_at"));
    EXPECT_EQ(ctl({"resume", "2"}).exit_code, 0);
    auto verify = ctl({"verify"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    EXPECT_NE(verify.out.find("Journal intact"), std::string::npos);
}

TEST_F(DaemonProcess, ErrorsAreClearAndExitNonZero)
{
    start();
    auto nothing = ctl({"call", "1"});
    EXPECT_NE(nothing.exit_code, 0);
    EXPECT_NE(nothing.err.find("closed"), std::string::npos) << nothing.err;
    ctl({"open", "1", "--officer", "cb01"});
    nothing = ctl({"call", "1"});
    EXPECT_NE(nothing.exit_code, 0);
    EXPECT_NE(nothing.err.find("Nothing is waiting for counter 1"), std::string::npos) << nothing.err;
    auto unknown = ctl({"issue", "XX"});
    EXPECT_NE(unknown.exit_code, 0);
    EXPECT_NE(unknown.err.find("no service \"XX\""), std::string::npos) << unknown.err;
    auto range = ctl({"issue", "DD"}); // DD's range is the single number 9000
    EXPECT_EQ(range.exit_code, 0) << range.err;
    range = ctl({"issue", "DD"});
    EXPECT_NE(range.exit_code, 0);
    EXPECT_NE(range.err.find("range_exhausted"), std::string::npos) << range.err;
    auto no_daemon = run({bin_dir() + "/motcuactl", "--socket", dir.file("nowhere.sock"), "status"});
    EXPECT_NE(no_daemon.exit_code, 0);
    EXPECT_NE(no_daemon.err.find("motcuad is not running"), std::string::npos) << no_daemon.err;
    EXPECT_NE(no_daemon.err.find("journalctl -u motcuad"), std::string::npos) << no_daemon.err;
}

TEST_F(DaemonProcess, SigkillDuringAnIssueStormLosesNoAcknowledgedTicket)
{
    start();
    ASSERT_EQ(ctl({"open", "1", "--officer", "cb01"}).exit_code, 0);
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    ASSERT_EQ(ctl({"call", "1"}).exit_code, 0);

    // Four clients issue as fast as they can; the daemon is killed while they do.
    std::atomic<bool> stop{false};
    std::mutex m;
    std::set<int> acknowledged;
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c)
        clients.emplace_back([&] {
            while (!stop)
            {
                auto out = run({bin_dir() + "/motcuactl", "--json", "--socket", socket(), "issue", "TP"});
                if (out.exit_code != 0)
                    continue;
                auto j = json::parse(out.out, nullptr, false);
                std::lock_guard lock(m);
                acknowledged.insert(j["number"].get<int>());
            }
        });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline)
    {
        {
            std::lock_guard lock(m);
            if (acknowledged.size() >= 40)
                break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    daemon->signal(SIGKILL);
    daemon->wait(std::chrono::seconds(5));
    stop = true;
    for (auto& t : clients)
        t.join();
    ASSERT_GE(acknowledged.size(), 40u);

    start();
    auto status = ctl_json({"status"});
    std::set<int> waiting;
    for (const auto& t : status["services"][0]["waiting"])
        waiting.insert(t["number"].get<int>());
    for (int n : acknowledged)
        EXPECT_TRUE(waiting.contains(n)) << "acknowledged ticket " << n << " lost";
    // The counter still holds the ticket it called before the crash.
    EXPECT_EQ(status["counters"][0]["state"], "serving");
    EXPECT_EQ(status["counters"][0]["ticket"]["number"], 1);
    // Numbering continues after everything the dead daemon may have committed.
    int max_seen = *waiting.rbegin();
    auto next = ctl_json({"issue", "TP"});
    EXPECT_GT(next["number"].get<int>(), max_seen);
    EXPECT_FALSE(waiting.contains(next["number"].get<int>()));
    EXPECT_EQ(ctl({"verify"}).exit_code, 0);
}

TEST_F(DaemonProcess, BadClientsDoNotStallOthers)
{
    start();
    // A client that sends half a line and stops.
    int half = connect_raw(socket());
    ASSERT_GE(half, 0);
    ASSERT_GT(::write(half, "{\"cmd\":\"sta", 11), 0);
    // A client that sends garbage, one that sends an oversized line, many that connect.
    int garbage = connect_raw(socket());
    ASSERT_GT(::write(garbage, "not json\n", 9), 0);
    auto reply = json::parse(read_line(garbage, 5000), nullptr, false);
    EXPECT_EQ(reply["error"]["code"], "bad_request");
    int big = connect_raw(socket());
    std::string huge(70 * 1024, 'x');
    ASSERT_GT(::send(big, huge.data(), huge.size(), MSG_NOSIGNAL), 0);
    auto too_large = json::parse(read_line(big, 5000), nullptr, false);
    EXPECT_EQ(too_large["error"]["code"], "request_too_large");
    std::vector<int> idle;
    for (int i = 0; i < 20; ++i)
        idle.push_back(connect_raw(socket()));
    // Meanwhile the CLI is served at once.
    auto out = ctl({"issue", "TP"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    // A wrong argument type is an error for that request only.
    ASSERT_GT(::write(garbage, "{\"id\":1,\"cmd\":\"call\",\"args\":{\"counter\":\"one\"}}\n", 47), 0);
    auto typed = json::parse(read_line(garbage, 5000), nullptr, false);
    EXPECT_EQ(typed["error"]["code"], "bad_request");
    EXPECT_TRUE(daemon->running());
    for (int fd : idle)
        ::close(fd);
    ::close(half);
    ::close(garbage);
    ::close(big);
}

} // namespace
