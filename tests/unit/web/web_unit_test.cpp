// The web face's pure parts and the event hub against a real journal: the resume
// decision, request helpers, the board's last calls, and that a resumed stream gets
// exactly the queue events after its Last-Event-ID whether they are in memory or only in
// the journal.

#include "config/load.hpp"
#include "store/queue_rows.hpp"
#include "util/text.hpp"
#include "web/board.hpp"
#include "web/events.hpp"
#include "web/http.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <filesystem>

namespace motcua::web
{
namespace
{

TEST(DecideResume, FreshClientIsLive)
{
    auto d = decide_resume({std::nullopt, std::nullopt, "a", 10, 5000});
    EXPECT_EQ(d.kind, ResumeKind::live);
    EXPECT_EQ(d.after_seq, 10);
}

TEST(DecideResume, ClientBehindReplaysFromItsSeq)
{
    auto d = decide_resume({7, std::string("a"), "a", 10, 5000});
    EXPECT_EQ(d.kind, ResumeKind::replay);
    EXPECT_EQ(d.after_seq, 7);
    EXPECT_EQ(decide_resume({10, std::nullopt, "a", 10, 5000}).kind, ResumeKind::live);
    // Without ?instance= (a plain client) the journal's seqs are the truth across restarts.
    EXPECT_EQ(decide_resume({7, std::nullopt, "b", 10, 5000}).kind, ResumeKind::replay);
}

TEST(DecideResume, AnotherInstanceTooFarBehindOrAheadReloads)
{
    auto restarted = decide_resume({7, std::string("old"), "new", 10, 5000});
    EXPECT_EQ(restarted.kind, ResumeKind::reload);
    EXPECT_EQ(restarted.why, "the daemon restarted");
    EXPECT_EQ(decide_resume({std::nullopt, std::string("old"), "new", 10, 5000}).kind, ResumeKind::reload);
    EXPECT_EQ(decide_resume({4, std::nullopt, "a", 10, 5}).kind, ResumeKind::reload);
    EXPECT_EQ(decide_resume({5, std::nullopt, "a", 10, 5}).kind, ResumeKind::replay);
    EXPECT_EQ(decide_resume({11, std::nullopt, "a", 10, 5000}).kind, ResumeKind::reload);
    // An empty ?instance= is no instance.
    EXPECT_EQ(decide_resume({7, std::string(""), "a", 10, 5000}).kind, ResumeKind::replay);
}

TEST(ParseSeq, PlainDecimalsOnly)
{
    EXPECT_EQ(parse_seq("42"), 42);
    EXPECT_EQ(parse_seq(" 42 "), 42);
    EXPECT_EQ(parse_seq("0"), 0);
    EXPECT_FALSE(parse_seq(""));
    EXPECT_FALSE(parse_seq("-1"));
    EXPECT_FALSE(parse_seq("12abc"));
    EXPECT_FALSE(parse_seq("1e3"));
    EXPECT_FALSE(parse_seq("99999999999999999999"));
}

TEST(Http, PercentDecodingAndQueries)
{
    EXPECT_EQ(percent_decode("/t%C3%A1/x", false), "/tá/x");
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
    EXPECT_EQ(percent_decode("a+b", true), "a b");
    EXPECT_FALSE(percent_decode("%", false));
    EXPECT_FALSE(percent_decode("%4", false));
    EXPECT_FALSE(percent_decode("%zz", false));
    auto q = parse_query("screen=t%E1%BA%A7ng-1&since=5&&bad=%&since=6&=x");
    EXPECT_EQ(q.size(), 2u);
    EXPECT_EQ(q["screen"], "tầng-1");
    EXPECT_EQ(q["since"], "6");
    EXPECT_EQ(text::escape_markup("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(Http, SseFramesAreOneLineOfJson)
{
    EXPECT_EQ(sse_frame(5, "queue", json{{"a", "x\ny"}}), "id: 5\nevent: queue\ndata: {\"a\":\"x\\ny\"}\n\n");
    EXPECT_EQ(sse_frame(0, "reload", json::object()), "event: reload\ndata: {}\n\n");
}

// --- the hub against a real journal --------------------------------------------------------

const char* office = R"([office]
name = "Xã An Bình"
unit_code = "000.00.00.H00"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 99
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 100
last = 199
prefix = "DD-"

[[counter]]
number = 1
name = "Quầy 1"
services = ["TP"]

[[counter]]
number = 2
name = "Quầy 2"
services = ["DD"]

[web]
listen = ["127.0.0.1:0"]

[web.board]
recent_calls = 3

[[screen]]
name = "dd"
services = ["DD"]
counters = [2]
)";

class Hub : public ::testing::Test
{
  protected:
    std::filesystem::path dir;
    config::Config cfg;
    std::unique_ptr<queue::Engine> engine;
    std::unique_ptr<store::Database> db;
    std::unique_ptr<store::Journal> journal;
    boost::asio::io_context io;
    Now now{WallTime{std::chrono::milliseconds(1'780'000'000'000)}, std::chrono::nanoseconds(1)};

    void SetUp() override
    {
        auto loaded = config::load_string(office, "office.toml", {});
        ASSERT_TRUE(loaded.diags.ok()) << loaded.diags.str();
        cfg = std::move(*loaded.config);
        engine = std::make_unique<queue::Engine>(cfg);
        std::string tmpl = (std::filesystem::temp_directory_path() / "motcua-web-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        dir = tmpl;
        db = std::move(*store::Database::open((dir / "motcua.db").string()));
        journal = std::make_unique<store::Journal>(*db);
    }

    void TearDown() override
    {
        journal.reset();
        db.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    // Decides, commits (with a non-queue row beside it, as a key press would add) and
    // applies, like Application::commit.
    void commit(const Result<queue::Event>& decided, bool with_key_row = false)
    {
        ASSERT_TRUE(decided.ok()) << decided.error().message;
        auto r = db->transaction([&]() -> Result<void> {
            auto row = store::to_row(*decided);
            if (auto a = journal->append(row); !a)
                return a;
            if (with_key_row)
            {
                store::JournalRow key;
                key.kind = "device.key";
                key.wall = decided->at.wall;
                if (auto a = journal->append(key); !a)
                    return a;
            }
            return {};
        });
        ASSERT_TRUE(r.ok());
        engine->apply(*decided);
        now.wall += std::chrono::seconds(1);
        now.mono += std::chrono::seconds(1);
    }

    void open_day()
    {
        commit(*engine->rollover(now));
        commit(engine->open(now, 1, "a"));
        commit(engine->open(now, 2, "b"));
    }

    EventHub make_hub()
    {
        return EventHub(io, *journal, [this](std::int64_t seq, const queue::Event& e) {
            return board::describe_event(cfg, *engine, seq, e);
        });
    }

    static std::vector<std::int64_t> ids(EventStream& s, std::vector<std::string>* kinds = nullptr)
    {
        std::vector<std::int64_t> out;
        for (const auto& f : s.take())
            if (f->starts_with("id: "))
            {
                out.push_back(std::stoll(f->substr(4)));
                if (kinds)
                {
                    auto data = json::parse(f->substr(f->find("data: ") + 6));
                    kinds->push_back(data["kind"]);
                }
            }
        return out;
    }

    static Request resume_request(std::int64_t last)
    {
        Request r;
        r.headers["last-event-id"] = std::to_string(last);
        return r;
    }
};

TEST_F(Hub, LiveEventsCarryTheirJournalSeqAndSkipOtherRows)
{
    open_day(); // seqs 1..3
    EventHub hub = make_hub();
    EXPECT_EQ(hub.seq(), 3);
    auto response = hub.open_stream(Request{});
    ASSERT_TRUE(response.stream);
    EXPECT_EQ(response.content_type, "text/event-stream; charset=utf-8");
    ids(*response.stream); // retry and hello
    commit(engine->issue(now, "TP", ""));           // 4
    commit(engine->call_next(now, 1), true);        // 5, key row 6
    commit(engine->issue(now, "DD", ""));           // 7
    hub.catch_up();
    std::vector<std::string> kinds;
    EXPECT_EQ(ids(*response.stream, &kinds), (std::vector<std::int64_t>{4, 5, 7}));
    EXPECT_EQ(kinds, (std::vector<std::string>{"issued", "called", "issued"}));
    EXPECT_EQ(hub.seq(), 7);
}

TEST_F(Hub, ResumeFromMemoryAndFromTheJournalGiveTheSameEvents)
{
    open_day();
    commit(engine->issue(now, "TP", ""));    // 4
    commit(engine->issue(now, "TP", ""));    // 5
    commit(engine->call_next(now, 1), true); // 6 (+7 key)
    // A hub started now has nothing in memory: a resume reads the journal.
    EventHub cold = make_hub();
    auto from_journal = cold.open_stream(resume_request(3));
    EXPECT_EQ(ids(*from_journal.stream), (std::vector<std::int64_t>{4, 5, 6}));
    // One primed at start has them in memory.
    EventHub warm = make_hub();
    warm.prime(100);
    EXPECT_EQ(warm.recent().size(), 6u);
    auto from_memory = warm.open_stream(resume_request(3));
    EXPECT_EQ(ids(*from_memory.stream), (std::vector<std::int64_t>{4, 5, 6}));
    // Resumed streams go on live, after exactly those.
    commit(engine->done(now, 1)); // 8
    warm.catch_up();
    EXPECT_EQ(ids(*from_memory.stream), (std::vector<std::int64_t>{8}));
    // Up to date: nothing replayed.
    auto current = warm.open_stream(resume_request(8));
    EXPECT_TRUE(ids(*current.stream).empty());
}

TEST_F(Hub, AClientOfAnotherRunIsToldToReload)
{
    open_day();
    EventHub hub = make_hub();
    Request r = resume_request(2);
    r.query["instance"] = "not-this-one";
    auto response = hub.open_stream(r);
    auto frames = response.stream->take();
    ASSERT_FALSE(frames.empty());
    EXPECT_TRUE(frames.back()->starts_with("event: reload\n")) << *frames.back();
    EXPECT_TRUE(response.stream->finishing());
    EXPECT_EQ(hub.streams(), 0u);
}

TEST_F(Hub, AScreenFilterAndTheLastCalls)
{
    open_day();
    EventHub hub = make_hub();
    const auto* dd = cfg.web->screen("dd");
    auto response = hub.open_stream(Request{}, {.filter = [dd](const QueueUpdate& u) { return board::on_screen(dd, u); }});
    ids(*response.stream);
    commit(engine->issue(now, "TP", ""));
    commit(engine->issue(now, "TP", ""));
    commit(engine->issue(now, "DD", ""));
    commit(engine->issue(now, "DD", ""));
    commit(engine->call_next(now, 1)); // TP-01
    commit(engine->call_next(now, 2)); // DD-100
    commit(engine->recall(now, 1));    // TP-01 again: one row, moved up
    commit(engine->done(now, 2));
    commit(engine->call_next(now, 2)); // DD-101
    commit(engine->done(now, 1));
    commit(engine->call_next(now, 1)); // TP-02
    hub.catch_up();
    std::vector<std::string> kinds;
    ids(*response.stream, &kinds);
    EXPECT_EQ(kinds, (std::vector<std::string>{"issued", "issued", "called", "done", "called"}));

    auto labels = [](const std::vector<json>& calls) {
        std::vector<std::string> out;
        for (const auto& c : calls)
            out.push_back(c["label"]);
        return out;
    };
    EXPECT_EQ(labels(board::last_calls(hub.recent(), *engine, nullptr, 3)),
              (std::vector<std::string>{"TP-02", "DD-101", "TP-01"}));
    EXPECT_EQ(labels(board::last_calls(hub.recent(), *engine, nullptr, 10)),
              (std::vector<std::string>{"TP-02", "DD-101", "TP-01", "DD-100"}));
    EXPECT_EQ(labels(board::last_calls(hub.recent(), *engine, dd, 10)), (std::vector<std::string>{"DD-101", "DD-100"}));

    board::SnapshotContext context{hub.instance(), hub.seq(), "/static/v", now.wall};
    auto snap = board::snapshot(cfg, *engine, hub.recent(), nullptr, context);
    EXPECT_EQ(snap["current"]["label"], "TP-02");
    EXPECT_EQ(snap["current"]["counter_name"], "Quầy 1");
    EXPECT_EQ(snap["calls"].size(), 3u); // recent_calls = 3
    EXPECT_EQ(snap["seq"], hub.seq());
    EXPECT_EQ(snap["services"][0]["waiting"], 0);
    EXPECT_EQ(snap["counters"][0]["state"], "serving");
    EXPECT_EQ(snap["screens"][0]["name"], "dd");
    auto floor = board::snapshot(cfg, *engine, hub.recent(), dd, context);
    EXPECT_EQ(floor["current"]["label"], "DD-101");
    EXPECT_EQ(floor["services"].size(), 1u);
    EXPECT_EQ(floor["counters"].size(), 1u);
}

TEST_F(Hub, ASlowClientIsDroppedNotBuffered)
{
    open_day();
    EventHub hub = make_hub();
    auto response = hub.open_stream(Request{});
    for (std::size_t i = 0; i < EventStream::max_queued + 2; ++i)
        response.stream->send(std::make_shared<const std::string>("x"));
    EXPECT_TRUE(response.stream->closed());
    EXPECT_TRUE(response.stream->take().empty());
}

} // namespace
} // namespace motcua::web
