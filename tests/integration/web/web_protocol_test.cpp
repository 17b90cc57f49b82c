// The web server of a real motcuad, through a plain HTTP client: the board's snapshot and
// events, SSE resume with Last-Event-ID (no gap, no repeat), reload after a restart, the
// strict headers, and the limits (oversized, slow, too many).

#include "database_peek.hpp"
#include "http_client.hpp"
#include "process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <set>
#include <sstream>
#include <memory>
#include <thread>
#include <vector>

namespace motcua::testing
{
namespace
{
using nlohmann::json;
using namespace std::chrono_literals;

const char* office = R"([office]
name = "Thử nghiệm bảng gọi số"
unit_code = "000.00.00.H99"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 899
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 900
last = 999
prefix = "DD-"

[[counter]]
number = 1
name = "Quầy 1"
services = ["TP"]

[[counter]]
number = 2
name = "Quầy 2"
services = ["DD"]

[register]
database = "motcua.db"

[web]
listen = ["127.0.0.1:0"]
max_connections = 16
request_timeout_s = 2
idle_timeout_s = 3

[web.board]
notice = "Thông báo thử"

[[screen]]
name = "dat-dai"
services = ["DD"]
counters = [2]
)";

struct SseEvent
{
    long long id = 0; // 0: none
    std::string event;
    std::string data;
};

// The complete events in a stream's text so far (a trailing partial one is left out).
std::vector<SseEvent> parse_sse(const std::string& text)
{
    std::vector<SseEvent> out;
    std::size_t at = 0;
    for (auto end = text.find("\n\n", at); end != std::string::npos; end = text.find("\n\n", at))
    {
        SseEvent e;
        std::size_t line_at = at;
        while (line_at < end)
        {
            auto nl = text.find('\n', line_at);
            if (nl == std::string::npos || nl > end)
                nl = end;
            auto line = text.substr(line_at, nl - line_at);
            line_at = nl + 1;
            if (line.starts_with("id: "))
                e.id = std::stoll(line.substr(4));
            else if (line.starts_with("event: "))
                e.event = line.substr(7);
            else if (line.starts_with("data: "))
                e.data = line.substr(6);
        }
        if (!e.event.empty())
            out.push_back(e);
        at = end + 2;
    }
    return out;
}

std::vector<long long> queue_ids(const std::vector<SseEvent>& events)
{
    std::vector<long long> ids;
    for (const auto& e : events)
        if (e.event == "queue")
            ids.push_back(e.id);
    return ids;
}

class Web : public ::testing::Test
{
  protected:
    TempDir dir;
    std::unique_ptr<Child> daemon;
    int port = 0;

    void SetUp() override
    {
        dir.write("office.toml", office);
        start();
    }

    void start()
    {
        const auto log_before = read_file(dir.file("motcuad.log")).size();
        daemon = std::make_unique<Child>(std::vector<std::string>{bin_dir() + "/motcuad", "--config",
                                                                  dir.file("office.toml"), "--state-dir", dir.path(),
                                                                  "--socket", dir.file("ctl.sock")},
                                         dir.file("motcuad.log"));
        ASSERT_TRUE(wait_for_socket(dir.file("ctl.sock"), 20s)) << read_file(dir.file("motcuad.log"));
        // "Web server listening on=127.0.0.1:PORT": the port the kernel chose.
        for (int i = 0; i < 200 && port == 0; ++i)
        {
            auto log = read_file(dir.file("motcuad.log")).substr(log_before);
            auto at = log.find("Web server listening on=127.0.0.1:");
            if (at != std::string::npos)
                port = std::stoi(log.substr(at + std::string("Web server listening on=127.0.0.1:").size()));
            else
                std::this_thread::sleep_for(50ms);
        }
        ASSERT_NE(port, 0) << read_file(dir.file("motcuad.log"));
    }

    void stop()
    {
        daemon->signal(SIGTERM);
        EXPECT_EQ(daemon->wait(20s), 0);
        port = 0;
    }

    json ctl(std::vector<std::string> args)
    {
        args.insert(args.begin(), {bin_dir() + "/motcuactl", "--socket", dir.file("ctl.sock"), "--json"});
        auto out = run(args);
        EXPECT_EQ(out.exit_code, 0) << out.err << read_file(dir.file("motcuad.log"));
        auto j = json::parse(out.out, nullptr, false);
        return j.is_object() ? j : json::object();
    }

    json snapshot(const std::string& query = "")
    {
        auto r = http_get(port, "/api/board" + query);
        EXPECT_EQ(r.status, 200);
        auto j = json::parse(r.body, nullptr, false);
        EXPECT_TRUE(j.is_object()) << r.body;
        return j.is_object() ? j : json::object();
    }

    // The seqs of the journal's queue rows after `after` (the truth a stream must match).
    std::vector<long long> journal_queue_seqs(long long after)
    {
        auto text = query_value(dir.file("motcua.db"),
                                "SELECT group_concat(seq, ',') FROM (SELECT seq FROM journal WHERE seq > " +
                                    std::to_string(after) + " AND instr(kind, '.') = 0 ORDER BY seq)");
        std::vector<long long> seqs;
        for (std::size_t at = 0; at < text.size();)
        {
            auto comma = text.find(',', at);
            seqs.push_back(std::stoll(text.substr(at, comma - at)));
            at = comma == std::string::npos ? text.size() : comma + 1;
        }
        return seqs;
    }

    // Opens /events with the given query and headers; waits for its hello.
    std::unique_ptr<HttpConnection> open_events(const std::string& query, const std::string& headers = "")
    {
        auto c = std::make_unique<HttpConnection>(port);
        c->send("GET /events" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" + headers +
                "\r\n");
        auto r = c->read_response(10s);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.header("content-type"), "text/event-stream; charset=utf-8");
        EXPECT_EQ(r.header("cache-control"), "no-store");
        c->received().erase(0, 0);
        c->read_until("event: hello", 10s);
        return c;
    }

    // Waits until the stream holds `count` queue events; returns all its events.
    static std::vector<SseEvent> events_until(HttpConnection& c, std::size_t count)
    {
        auto until = std::chrono::steady_clock::now() + 20s;
        std::vector<SseEvent> events;
        while (std::chrono::steady_clock::now() < until)
        {
            c.read_some(200ms);
            events = parse_sse(c.received());
            if (queue_ids(events).size() >= count)
                break;
        }
        return events;
    }
};

TEST_F(Web, StrictHeadersOnPagesAndLongCacheOnVersionedFiles)
{
    auto page = http_get(port, "/board");
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(page.header("cache-control"), "no-store");
    const auto csp = page.header("content-security-policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("http"), std::string::npos) << "nothing from outside the box: " << csp;
    EXPECT_EQ(page.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(page.header("referrer-policy"), "no-referrer");
    EXPECT_NE(page.body.find("Thử nghiệm bảng gọi số"), std::string::npos);

    // The page names its script under /static/<version>/: kept a year.
    auto at = page.body.find("/static/");
    ASSERT_NE(at, std::string::npos);
    auto script = page.body.substr(at, page.body.find('"', at) - at);
    ASSERT_TRUE(script.ends_with("/board.css") || script.ends_with("/board.js")) << script;
    auto file = http_get(port, script);
    EXPECT_EQ(file.status, 200);
    EXPECT_EQ(file.header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_FALSE(file.header("content-security-policy").empty());
    // Another version (a page from before an upgrade) gets the file, but not for keeping.
    auto old = http_get(port, "/static/000000000000/board.js");
    EXPECT_EQ(old.status, 200);
    EXPECT_EQ(old.header("cache-control"), "no-store");

    auto api = http_get(port, "/api/board");
    EXPECT_EQ(api.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(api.header("cache-control"), "no-store");
}

TEST_F(Web, UnknownPathsMethodsAndScreens)
{
    auto missing = http_get(port, "/nope");
    EXPECT_EQ(missing.status, 404);
    EXPECT_NE(missing.body.find("Không tìm thấy"), std::string::npos);
    EXPECT_EQ(missing.header("cache-control"), "no-store");
    EXPECT_EQ(http_get(port, "/static/x/none.js").status, 404);
    EXPECT_EQ(http_get(port, "/static/../../etc/passwd").status, 404);
    EXPECT_EQ(http_get(port, "/board?screen=nope").status, 404);
    EXPECT_EQ(http_get(port, "/api/board?screen=nope").status, 404);
    EXPECT_EQ(http_get(port, "/board?screen=dat-dai").status, 200);

    HttpConnection c(port);
    c.send("POST /api/board HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    auto r = c.read_response();
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("allow"), "GET");
    // HEAD answers the GET's headers without a body, on the same keep-alive connection.
    c.send("HEAD /board HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = c.read_response(std::chrono::seconds(10), true);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    c.send("GET /api/board HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 200);
}

TEST_F(Web, SnapshotShowsTheQueue)
{
    ctl({"open", "1", "--officer", "a"});
    ctl({"open", "2", "--officer", "b"});
    ctl({"issue", "TP"});
    ctl({"issue", "TP"});
    ctl({"issue", "DD"});
    ctl({"call", "1"});
    ctl({"pause", "2", "--reason", "4"});
    auto s = snapshot();
    EXPECT_EQ(s["office"], "Thử nghiệm bảng gọi số");
    EXPECT_EQ(s["notice"], "Thông báo thử");
    EXPECT_EQ(s["current"]["label"], "TP-001");
    EXPECT_EQ(s["current"]["counter_name"], "Quầy 1");
    ASSERT_EQ(s["calls"].size(), 1u);
    ASSERT_EQ(s["services"].size(), 2u);
    EXPECT_EQ(s["services"][0]["id"], "TP");
    EXPECT_EQ(s["services"][0]["waiting"], 1);
    EXPECT_EQ(s["services"][1]["waiting"], 1);
    EXPECT_EQ(s["counters"][0]["state"], "serving");
    EXPECT_EQ(s["counters"][0]["ticket_label"], "TP-001");
    EXPECT_EQ(s["counters"][1]["state"], "paused");
    EXPECT_EQ(std::to_string(s["seq"].get<long long>()),
              query_value(dir.file("motcua.db"), "SELECT max(seq) FROM journal"));

    // A screen shows its services and counters only.
    auto floor = snapshot("?screen=dat-dai");
    ASSERT_EQ(floor["services"].size(), 1u);
    EXPECT_EQ(floor["services"][0]["id"], "DD");
    ASSERT_EQ(floor["counters"].size(), 1u);
    EXPECT_EQ(floor["counters"][0]["number"], 2);
    EXPECT_TRUE(floor["current"].is_null());
}

TEST_F(Web, ResumeWithLastEventIdGivesExactlyTheMissedEvents)
{
    ctl({"open", "1", "--officer", "a"});
    auto s = snapshot();
    const long long start = s["seq"];
    auto stream = open_events("?since=" + std::to_string(start) + "&instance=" + s["instance"].get<std::string>());
    ctl({"issue", "TP"});
    ctl({"issue", "TP"});
    ctl({"call", "1"});
    auto seen = events_until(*stream, 3);
    auto first_ids = queue_ids(seen);
    ASSERT_EQ(first_ids, journal_queue_seqs(start)) << stream->received();
    for (const auto& e : seen)
        if (e.event == "queue")
        {
            auto data = json::parse(e.data);
            EXPECT_EQ(data["seq"], e.id);
        }
    auto called = json::parse(seen.back().data);
    EXPECT_EQ(called["kind"], "called");
    EXPECT_EQ(called["label"], "TP-001");
    EXPECT_EQ(called["counter_name"], "Quầy 1");
    EXPECT_EQ(called["waiting"]["TP"], 1);
    stream.reset(); // the board loses its link

    ctl({"issue", "TP"});
    ctl({"done", "1"});
    ctl({"call", "1"});
    ctl({"issue", "DD"});
    const long long last = first_ids.back();
    auto resumed = open_events("?since=" + std::to_string(start), "Last-Event-ID: " + std::to_string(last) + "\r\n");
    auto missed = journal_queue_seqs(last);
    ASSERT_EQ(missed.size(), 4u);
    auto got = queue_ids(events_until(*resumed, 4));
    EXPECT_EQ(got, missed) << "no gap, no repeat";
    // And live after it, in order.
    ctl({"done", "1"});
    got = queue_ids(events_until(*resumed, 5));
    EXPECT_EQ(got, journal_queue_seqs(last));
}

TEST_F(Web, ScreenStreamsCarryTheirEventsOnly)
{
    ctl({"open", "1", "--officer", "a"});
    ctl({"open", "2", "--officer", "b"});
    auto s = snapshot("?screen=dat-dai");
    auto stream = open_events("?screen=dat-dai&since=" + std::to_string(s["seq"].get<long long>()));
    ctl({"issue", "TP"});
    ctl({"issue", "DD"});
    ctl({"call", "1"});
    ctl({"call", "2"});
    auto events = events_until(*stream, 2);
    std::vector<std::string> kinds;
    for (const auto& e : events)
        if (e.event == "queue")
            kinds.push_back(json::parse(e.data)["kind"].get<std::string>() + " " +
                            json::parse(e.data).value("label", ""));
    EXPECT_EQ(kinds, (std::vector<std::string>{"issued DD-900", "called DD-900"}));
}

TEST_F(Web, ABoardOfAnEarlierRunIsToldToReload)
{
    auto s = snapshot();
    const auto instance = s["instance"].get<std::string>();
    stop();
    start();
    auto stream = open_events("?instance=" + instance, "Last-Event-ID: " + std::to_string(s["seq"].get<long long>()) + "\r\n");
    auto text = stream->read_until("event: reload", 10s);
    auto events = parse_sse(text);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().event, "reload") << text;
    EXPECT_TRUE(stream->closed_within(10s)) << "the server ends a reload stream";
    EXPECT_NE(snapshot()["instance"], instance);

    // A client ahead of the journal (a database restored from a backup) reloads too.
    auto ahead = open_events("", "Last-Event-ID: 999999\r\n");
    EXPECT_NE(ahead->read_until("event: reload", 10s).find("event: reload"), std::string::npos);
    // A malformed Last-Event-ID is taken as none: live from now.
    auto odd = open_events("", "Last-Event-ID: 12abc\r\n");
    EXPECT_EQ(odd->read_until("event: reload", 500ms).find("event: reload"), std::string::npos);
}

TEST_F(Web, AReloadedConfigSendsOpenBoardsBackToTheirSnapshot)
{
    auto s = snapshot();
    const auto instance = s["instance"].get<std::string>();
    auto stream = open_events("?since=" + std::to_string(s["seq"].get<long long>()) + "&instance=" + instance);
    std::string text = office;
    text.replace(text.find("Thông báo thử"), std::string("Thông báo thử").size(), "Thông báo mới");
    dir.write("office.toml", text);
    daemon->signal(SIGHUP);
    EXPECT_TRUE(stream->closed_within(20s)) << "open streams end on a reload";
    // The browser reconnects with what it had: told to fetch the snapshot again.
    auto again = open_events("?instance=" + instance, "Last-Event-ID: " + std::to_string(s["seq"].get<long long>()) + "\r\n");
    EXPECT_NE(again->read_until("event: reload", 10s).find("event: reload"), std::string::npos);
    auto fresh = snapshot();
    EXPECT_EQ(fresh["notice"], "Thông báo mới");
    EXPECT_NE(fresh["instance"], instance);
}

TEST_F(Web, OversizedRequestsAreRefused)
{
    HttpConnection headers(port);
    headers.send("GET /board HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
    EXPECT_EQ(headers.read_response().status, 431);
    EXPECT_TRUE(headers.closed_within(5s));

    HttpConnection body(port);
    body.send("POST /api/board HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n");
    EXPECT_EQ(body.read_response().status, 413);
    EXPECT_TRUE(body.closed_within(5s));

    HttpConnection garbage(port);
    garbage.send("HELLO\r\n\r\n");
    EXPECT_EQ(garbage.read_response().status, 400);

    // The daemon serves on.
    EXPECT_EQ(http_get(port, "/api/board").status, 200);
}

TEST_F(Web, SlowAndIdleClientsAreClosed)
{
    // A request that never ends is closed after request_timeout_s (2 s).
    HttpConnection slow(port);
    slow.send("GET /board HTTP/1.1\r\nHost: x\r\n");
    EXPECT_TRUE(slow.closed_within(20s));
    // One that trickles in a byte at a time is closed too: the time counts from its start.
    HttpConnection trickle(port);
    bool closed = false;
    for (int i = 0; i < 100 && !closed; ++i)
    {
        trickle.send("X");
        closed = trickle.closed_within(100ms);
    }
    EXPECT_TRUE(closed) << "a request trickling for 10 s was still open";

    // A connection that never sends anything, and a keep-alive one gone idle.
    HttpConnection silent(port);
    EXPECT_TRUE(silent.closed_within(20s));
    HttpConnection idle(port);
    idle.send("GET /api/board HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(idle.read_response().status, 200);
    EXPECT_TRUE(idle.closed_within(20s));
}

TEST_F(Web, ConnectionsOverTheLimitAreTurnedAway)
{
    // max_connections = 16: the 17th is told 503 at once, and the others still work.
    std::vector<std::unique_ptr<HttpConnection>> held;
    for (int i = 0; i < 16; ++i)
    {
        held.push_back(std::make_unique<HttpConnection>(port));
        held.back()->send("GET /api/board HTTP/1.1\r\nHost: x\r\n\r\n");
        ASSERT_EQ(held.back()->read_response().status, 200);
    }
    HttpConnection extra(port);
    EXPECT_EQ(extra.read_response().status, 503);
    held[0]->send("GET /api/board HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(held[0]->read_response().status, 200);
    held.clear();
    // Once they are gone, new clients are served again.
    bool served = false;
    for (int i = 0; i < 400 && !served; ++i)
    {
        served = http_get(port, "/api/board").status == 200;
        if (!served)
            std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(served);
}

// A reload without [web] closes the port and the open streams; the server is freed once its
// connections' coroutines have ended (ASan would see one freed too early), and a reload
// with [web] again opens a new one.
TEST_F(Web, AReloadWithoutWebClosesThePortAndFreesTheServer)
{
    auto s = snapshot();
    auto stream = open_events("?since=" + std::to_string(s["seq"].get<long long>()));
    std::string without = office;
    dir.write("office.toml", without.substr(0, without.find("[web]")));
    daemon->signal(SIGHUP);
    EXPECT_TRUE(stream->closed_within(20s)) << "open streams end when [web] goes";
    const auto freed = [&] { return read_file(dir.file("motcuad.log")).find("Web server freed") != std::string::npos; };
    for (int i = 0; i < 200 && !freed(); ++i)
        std::this_thread::sleep_for(50ms);
    EXPECT_TRUE(freed()) << read_file(dir.file("motcuad.log"));
    EXPECT_TRUE(ctl({"status"}).contains("office")); // the daemon serves on without its web face

    const auto log_before = read_file(dir.file("motcuad.log")).size();
    dir.write("office.toml", office);
    daemon->signal(SIGHUP);
    int again = 0;
    for (int i = 0; i < 200 && again == 0; ++i)
    {
        auto log = read_file(dir.file("motcuad.log")).substr(log_before);
        auto at = log.find("Web server listening on=127.0.0.1:");
        if (at != std::string::npos)
            again = std::stoi(log.substr(at + std::string("Web server listening on=127.0.0.1:").size()));
        else
            std::this_thread::sleep_for(50ms);
    }
    ASSERT_NE(again, 0) << read_file(dir.file("motcuad.log"));
    port = again;
    EXPECT_EQ(snapshot()["notice"], s["notice"]);
}

TEST(WebOff, WithoutAWebSectionNoPortIsOpened)
{
    TempDir dir;
    std::string text = office;
    text = text.substr(0, text.find("[web]"));
    dir.write("office.toml", text);
    Child daemon({bin_dir() + "/motcuad", "--config", dir.file("office.toml"), "--state-dir", dir.path(), "--socket",
                  dir.file("ctl.sock")},
                 dir.file("motcuad.log"));
    ASSERT_TRUE(wait_for_socket(dir.file("ctl.sock"), 20s)) << read_file(dir.file("motcuad.log"));
    EXPECT_EQ(read_file(dir.file("motcuad.log")).find("Web server"), std::string::npos);
    // No TCP socket of this process listens: its socket inodes against /proc/net/tcp{,6}.
    std::set<std::string> inodes;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(daemon.pid()) + "/fd"))
    {
        std::error_code ec;
        auto target = std::filesystem::read_symlink(fd.path(), ec).string();
        if (target.starts_with("socket:["))
            inodes.insert(target.substr(8, target.size() - 9));
    }
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"})
    {
        std::istringstream lines(read_file(table));
        std::string line;
        std::getline(lines, line); // header
        while (std::getline(lines, line))
        {
            std::istringstream f(line);
            std::string sl, local, remote, st, queues, tr, retr, uid, timeout, inode;
            f >> sl >> local >> remote >> st >> queues >> tr >> retr >> uid >> timeout >> inode;
            EXPECT_FALSE(st == "0A" && inodes.contains(inode)) << "motcuad listens on " << local;
        }
    }
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(20s), 0);
}

} // namespace
} // namespace motcua::testing
