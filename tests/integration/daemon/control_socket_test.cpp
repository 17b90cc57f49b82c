// The control socket against hostile and careless clients: every request gets an answer,
// half-sent lines expire, integers are range-checked, a refused client reads why, and
// every change's journal row names who asked.

#include "daemon_fixture.hpp"
#include "database_peek.hpp"

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

json request(int fd, const std::string& line)
{
    const std::string framed = line + "\n";
    if (::send(fd, framed.data(), framed.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(framed.size()))
        return json();
    return json::parse(read_line(fd, 5000), nullptr, false);
}

TEST_F(DaemonProcess, EveryRequestGetsAnAnswerWhateverItsCmd)
{
    start();
    int fd = connect_raw(socket());
    ASSERT_GE(fd, 0);
    for (const char* bad : {R"({"id":1,"cmd":5})", R"({"id":2,"cmd":null})", R"({"id":3,"cmd":["watch"]})",
                            R"({"id":4,"cmd":{"x":1}})", R"({"id":5,"cmd":"status","args":[1]})",
                            R"({"id":[1,2],"cmd":"status"})"})
    {
        auto reply = request(fd, bad);
        ASSERT_TRUE(reply.is_object()) << bad;
        EXPECT_EQ(reply["ok"], false) << bad;
        EXPECT_EQ(reply["error"]["code"], "bad_request") << bad << " → " << reply.dump();
    }
    // The same connection keeps being served.
    auto status = request(fd, R"({"id":9,"cmd":"status"})");
    EXPECT_EQ(status["id"], 9);
    EXPECT_EQ(status["ok"], true);
    ::close(fd);

    // Seventy such clients, each left open: none holds a slot once answered and closed by
    // its owner, and the CLI still works.
    std::vector<int> clients;
    for (int i = 0; i < 70; ++i)
    {
        int c = connect_raw(socket());
        ASSERT_GE(c, 0);
        EXPECT_EQ(request(c, R"({"cmd":5})")["error"]["code"], "bad_request");
        ::close(c);
    }
    auto out = ctl({"status"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
}

TEST_F(DaemonProcess, AHalfSentFirstLineExpires)
{
    start();
    // Every slot taken by a client whose first line never ends.
    std::vector<int> half;
    for (int i = 0; i < 64; ++i)
    {
        int fd = connect_raw(socket());
        ASSERT_GE(fd, 0);
        ASSERT_GT(::write(fd, "{\"id\":1,\"cmd\":\"sta", 18), 0);
        half.push_back(fd);
    }
    const auto started = std::chrono::steady_clock::now();
    auto reply = json::parse(read_line(half.front(), 15000), nullptr, false);
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(reply["error"]["code"], "timeout") << reply.dump();
    EXPECT_LT(waited, std::chrono::seconds(13));
    // The others went the same way: the CLI is served again.
    Output out;
    for (int attempt = 0; attempt < 20; ++attempt)
    {
        out = ctl({"status"});
        if (out.exit_code == 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(out.exit_code, 0) << out.err;
    for (int fd : half)
        ::close(fd);
}

TEST_F(DaemonProcess, OutOfRangeIntegersAreRefusedNotTruncated)
{
    start();
    ASSERT_EQ(ctl({"open", "1", "--officer", "cb01"}).exit_code, 0);
    ASSERT_EQ(ctl({"open", "2", "--officer", "cb02"}).exit_code, 0);
    ctl({"issue", "TP"});
    ASSERT_EQ(ctl({"call", "1"}).exit_code, 0);
    int fd = connect_raw(socket());
    ASSERT_GE(fd, 0);
    auto transfer = request(fd, R"({"id":1,"cmd":"transfer","args":{"counter":1,"to_counter":4294967298}})");
    EXPECT_EQ(transfer["error"]["code"], "bad_request");
    EXPECT_NE(transfer["error"]["message"].get<std::string>().find("to_counter"), std::string::npos);
    auto pause = request(fd, R"({"id":2,"cmd":"pause","args":{"counter":2,"reason":4294967295}})");
    EXPECT_EQ(pause["error"]["code"], "bad_request");
    EXPECT_NE(pause["error"]["message"].get<std::string>().find("reason"), std::string::npos);
    auto negative = request(fd, R"({"id":3,"cmd":"call","args":{"counter":-4294967295}})");
    EXPECT_EQ(negative["error"]["code"], "bad_request");
    auto huge_officer = request(fd, R"({"id":4,"cmd":"open","args":{"counter":2,"officer":")" +
                                        std::string(60000, 'a') + R"("}})");
    EXPECT_EQ(huge_officer["error"]["code"], "bad_request");
    auto nul_officer = request(fd, R"({"id":5,"cmd":"open","args":{"counter":2,"officer":"a\u0000b"}})");
    EXPECT_EQ(nul_officer["error"]["code"], "bad_request");
    ::close(fd);
    // Nothing moved: the ticket is still at counter 1, counter 2 is open and not paused.
    auto status = ctl_json({"status"});
    EXPECT_EQ(status["counters"][0]["ticket"]["label"], "TP-0001");
    EXPECT_EQ(status["counters"][1]["state"], "idle");
}

TEST_F(DaemonProcess, ARefusedClientReadsBusyNotEpipe)
{
    start();
    std::vector<int> idle;
    for (int i = 0; i < 64; ++i)
        idle.push_back(connect_raw(socket()));
    // Let the daemon accept them all before the CLI comes.
    ASSERT_TRUE(json::parse(request(idle.back(), R"({"id":1,"cmd":"status"})").dump()).contains("ok"));
    auto out = ctl({"status"});
    EXPECT_NE(out.exit_code, 0);
    EXPECT_NE(out.err.find("Too many control clients"), std::string::npos) << out.err;
    EXPECT_EQ(out.err.find("Broken pipe"), std::string::npos) << out.err;
    for (int fd : idle)
        ::close(fd);
}

TEST_F(DaemonProcess, EveryChangeNamesItsActor)
{
    start();
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    ASSERT_EQ(ctl({"open", "1", "--officer", "cb01"}).exit_code, 0);
    const auto expected = "socket:uid=" + std::to_string(::getuid());
    const auto db = dir.file("motcua.db");
    EXPECT_EQ(query_value(db, "SELECT json_extract(payload, '$.actor') FROM journal WHERE kind = 'issued'"), expected);
    EXPECT_EQ(query_value(db, "SELECT json_extract(payload, '$.actor') FROM journal WHERE kind = 'counter_opened'"),
              expected);
    // The day's opening is the daemon's own.
    EXPECT_EQ(query_value(db, "SELECT json_extract(payload, '$.actor') FROM journal WHERE kind = 'day_opened'"),
              "system");
}

TEST_F(DaemonProcess, ASecondDaemonDoesNotTakeALiveSocket)
{
    start();
    TempDir other;
    other.write("office.toml", office_config);
    Child second({bin_dir() + "/motcuad", "--config", other.file("office.toml"), "--state-dir", other.path(), "--socket",
                  socket()},
                 other.file("motcuad.log"));
    const int code = second.wait(std::chrono::seconds(20));
    EXPECT_NE(code, 0);
    EXPECT_NE(read_file(other.file("motcuad.log")).find("Another process serves the control socket"), std::string::npos)
        << read_file(other.file("motcuad.log"));
    // The first daemon still owns its socket, and it is the first office that answers.
    auto status = ctl({"status"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_TRUE(std::filesystem::exists(socket()));
}

} // namespace
