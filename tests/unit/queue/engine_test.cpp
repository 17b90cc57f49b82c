#include "engine_fixture.hpp"

using namespace motcua;
using namespace motcua::queue;
using namespace motcua::queue::testing;

namespace
{

struct EngineTest : ::testing::Test
{
    config::Config cfg = office();
    Engine engine{cfg};
    void SetUp() override { start_day(engine, at(0)); }
    Event issue(const char* service, const char* priority = "", int t = 0)
    {
        return commit(engine, engine.issue(at(t), service, priority));
    }
    Event open(int counter, const char* officer = "cb01") { return commit(engine, engine.open(at(0), counter, officer)); }
    Event call(int counter, int t = 0) { return commit(engine, engine.call_next(at(t), counter)); }
};

TEST_F(EngineTest, NumbersRunPerServiceFromTheRangeStart)
{
    EXPECT_EQ(issue("TP").number, 1001);
    EXPECT_EQ(issue("TP").number, 1002);
    EXPECT_EQ(issue("DD").number, 2001);
    EXPECT_EQ(issue("TP", "elderly").number, 1003);
}

TEST_F(EngineTest, TicketIdsAreGlobalAndIncreasing)
{
    auto a = issue("TP");
    auto b = issue("DD");
    EXPECT_LT(a.ticket, b.ticket);
}

TEST_F(EngineTest, LabelsUsePrefixAndPriorityPrefix)
{
    auto a = issue("TP");
    auto b = issue("TP", "elderly");
    auto c = issue("TP", "disabled");
    EXPECT_EQ(engine.label(*engine.ticket(a.ticket)), "TP-1001");
    EXPECT_EQ(engine.label(*engine.ticket(b.ticket)), "UT-1002");
    EXPECT_EQ(engine.label(*engine.ticket(c.ticket)), "TP-1003"); // class without a prefix
    EXPECT_EQ(engine.find_ticket("tp-1001")->id, a.ticket);
    EXPECT_EQ(engine.find_ticket("1002")->id, b.ticket);
    EXPECT_EQ(engine.find_ticket("#" + std::to_string(c.ticket))->id, c.ticket);
    EXPECT_EQ(engine.find_ticket("TP-9999"), nullptr);
}

TEST_F(EngineTest, UnknownServiceAndPriorityAreRefused)
{
    EXPECT_EQ(engine.issue(at(0), "XX", "").error().code, "unknown_service");
    EXPECT_EQ(engine.issue(at(0), "TP", "vip").error().code, "unknown_priority");
}

TEST_F(EngineTest, DailyCapAndRangeEndAreRefused)
{
    for (int i = 0; i < 4; ++i)
        issue("DD");
    EXPECT_EQ(engine.issue(at(0), "DD", "").error().code, "daily_cap");
    cfg.services[1].daily_cap.reset();
    issue("DD"); // 2005, the last number
    EXPECT_EQ(engine.issue(at(0), "DD", "").error().code, "range_exhausted");
}

TEST_F(EngineTest, DecisionsDoNotChangeState)
{
    auto decided = engine.issue(at(0), "TP", "");
    ASSERT_TRUE(decided.ok());
    EXPECT_EQ(engine.issue(at(0), "TP", "").value().number, decided.value().number);
    EXPECT_TRUE(engine.waiting("TP").empty());
}

TEST_F(EngineTest, CallingNeedsAnOpenCounterAndAWaitingTicket)
{
    EXPECT_EQ(engine.call_next(at(0), 1).error().code, "counter_closed");
    EXPECT_EQ(engine.call_next(at(0), 9).error().code, "unknown_counter");
    open(1);
    EXPECT_EQ(engine.call_next(at(0), 1).error().code, "nothing_waiting");
    auto t = issue("TP");
    auto c = call(1);
    EXPECT_EQ(c.ticket, t.ticket);
    EXPECT_EQ(c.officer, "cb01");
    EXPECT_EQ(engine.counter(1)->state, CounterState::serving);
    EXPECT_EQ(engine.counter(1)->ticket, t.ticket);
    EXPECT_EQ(engine.call_next(at(0), 1).error().code, "counter_busy");
}

TEST_F(EngineTest, TwoCountersNeverHoldTheSameTicket)
{
    open(1);
    open(3);
    issue("TP");
    issue("TP");
    auto a = call(1);
    auto b = call(3);
    EXPECT_NE(a.ticket, b.ticket);
    EXPECT_EQ(engine.call_next(at(0), 2).error().code, "counter_closed");
}

TEST_F(EngineTest, CounterServesServicesInPreferenceOrder)
{
    open(2); // DD first, then TP
    auto tp = issue("TP", "", 0);
    auto dd = issue("DD", "", 10);
    EXPECT_EQ(call(2).ticket, dd.ticket);
    commit(engine, engine.done(at(20), 2));
    EXPECT_EQ(call(2).ticket, tp.ticket);
}

TEST_F(EngineTest, RecallIsLimited)
{
    open(1);
    issue("TP");
    call(1);
    commit(engine, engine.recall(at(1), 1));
    commit(engine, engine.recall(at(2), 1));
    EXPECT_EQ(engine.recall(at(3), 1).error().code, "recall_limit");
}

TEST_F(EngineTest, NoShowCanBeReadmittedWithinTolerance)
{
    open(1);
    auto t = issue("TP");
    issue("TP");
    call(1);
    commit(engine, engine.no_show(at(60), 1));
    EXPECT_EQ(engine.ticket(t.ticket)->state, TicketState::no_show);
    EXPECT_EQ(engine.counter(1)->state, CounterState::idle);
    EXPECT_EQ(engine.readmit(at(60 + 31 * 60), t.ticket).error().code, "readmit_expired");
    commit(engine, engine.readmit(at(60 + 29 * 60), t.ticket));
    // Readmitted tickets keep their place by issue order: called before the later one.
    EXPECT_EQ(call(1, 2000).ticket, t.ticket);
    EXPECT_EQ(engine.readmit(at(2001), t.ticket).error().code, "not_no_show");
}

TEST_F(EngineTest, TransferKeepsTheNumber)
{
    open(1);
    open(2);
    auto t = issue("TP");
    call(1);
    EXPECT_EQ(engine.transfer(at(1), 1, {"TP", 0}).error().code, "same_service");
    commit(engine, engine.transfer(at(1), 1, {"DD", 0}));
    EXPECT_EQ(engine.ticket(t.ticket)->service, "DD");
    EXPECT_EQ(engine.ticket(t.ticket)->number, 1001);
    auto c = call(2);
    EXPECT_EQ(c.ticket, t.ticket);
    EXPECT_EQ(engine.label(*engine.ticket(t.ticket)), "TP-1001");
}

TEST_F(EngineTest, TransferToCounterIsCalledFirstThere)
{
    open(1);
    open(3);
    issue("TP");
    auto t2 = issue("TP");
    auto first = call(1);
    EXPECT_NE(first.ticket, t2.ticket);
    commit(engine, engine.transfer(at(1), 1, {"", 3}));
    // Counter 1 cannot call the transferred ticket; counter 3 calls it before TP's pool.
    EXPECT_EQ(call(3).ticket, first.ticket);
    EXPECT_EQ(call(1).ticket, t2.ticket);
}

TEST_F(EngineTest, PauseAndResume)
{
    open(1);
    issue("TP");
    commit(engine, engine.pause(at(1), 1, 4));
    EXPECT_EQ(engine.counter(1)->pause_reason, 4);
    EXPECT_EQ(engine.call_next(at(2), 1).error().code, "counter_paused");
    commit(engine, engine.resume(at(3), 1));
    call(1, 4);
    EXPECT_EQ(engine.pause(at(5), 1, 1).error().code, "counter_busy");
}

TEST_F(EngineTest, CloseNeedsTheTicketFinished)
{
    open(1);
    issue("TP");
    call(1);
    EXPECT_EQ(engine.close(at(1), 1).error().code, "counter_busy");
    commit(engine, engine.done(at(2), 1));
    commit(engine, engine.close(at(3), 1));
    EXPECT_EQ(engine.counter(1)->state, CounterState::closed);
    EXPECT_EQ(engine.open(at(4), 1, "").error().code, "no_officer");
}

TEST_F(EngineTest, DayRollsOverAtTheCutoffOnce)
{
    issue("TP");
    // 02:59 next day is still today's business day (cut-off 03:00).
    EXPECT_FALSE(engine.rollover(at(-8 * 3600 + 18 * 3600 + 59 * 60 + 0)).has_value());
    auto roll = engine.rollover(at(-5 * 3600, 1)); // 03:00 next day
    ASSERT_TRUE(roll.has_value());
    engine.apply(*roll);
    EXPECT_FALSE(engine.rollover(at(-5 * 3600 + 1, 1)).has_value()); // idempotent
    EXPECT_EQ(issue("TP", "", 86400).number, 1001);
}

TEST_F(EngineTest, BusinessDayFollowsTheClockBackAndADateUsedBeforeContinuesItsNumbering)
{
    auto a = issue("TP", "", 0);
    // The wall clock jumps back two days: that date becomes the business day again.
    auto back = engine.rollover(at(0, -2));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->business_day, engine.business_day_of(at(0, -2).wall));
    engine.apply(*back);
    // The store says TP already issued 1000..1004 on that date: numbering goes on after them.
    engine.continue_numbering({{"TP", 1004, 5}});
    auto b = commit(engine, engine.issue(at(0, -2), "TP", ""));
    EXPECT_EQ(b.number, 1005);
    EXPECT_GT(b.ticket, a.ticket);
    // The clock comes back to today: the day follows, and today's numbers go on too.
    auto today = engine.rollover(at(10));
    ASSERT_TRUE(today.has_value());
    engine.apply(*today);
    engine.continue_numbering({{"TP", a.number, 1}});
    EXPECT_EQ(commit(engine, engine.issue(at(11), "TP", "")).number, a.number + 1);
}

TEST_F(EngineTest, ReplayRebuildsTheSameState)
{
    std::vector<Event> log;
    auto keep = [&](Result<Event> r) { log.push_back(commit(engine, std::move(r))); };
    keep(engine.open(at(0), 1, "cb01"));
    keep(engine.open(at(0), 2, "cb02"));
    for (int i = 0; i < 5; ++i)
        keep(engine.issue(at(i), i % 2 ? "DD" : "TP", i == 3 ? "elderly" : ""));
    keep(engine.call_next(at(10), 1));
    keep(engine.call_next(at(11), 2));
    keep(engine.transfer(at(12), 2, {"TP", 0}));
    keep(engine.recall(at(13), 1));

    Engine replayed{cfg};
    start_day(replayed, at(0));
    for (const auto& e : log)
        replayed.apply(e);
    for (int c : {1, 2, 3})
    {
        EXPECT_EQ(replayed.counter(c)->state, engine.counter(c)->state);
        EXPECT_EQ(replayed.counter(c)->ticket, engine.counter(c)->ticket);
    }
    for (const char* s : {"TP", "DD"})
    {
        auto a = engine.waiting(s);
        auto b = replayed.waiting(s);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            EXPECT_EQ(a[i]->id, b[i]->id);
    }
    EXPECT_EQ(replayed.issue(at(20), "TP", "").value().number, engine.issue(at(20), "TP", "").value().number);
}

// --- priority policies -------------------------------------------------------------------

struct PolicyTest : ::testing::Test
{
    config::Config cfg;
    std::unique_ptr<Engine> engine;
    void make(config::Policy p, int interleave = 2, int ageing = 20)
    {
        cfg = office(p, interleave, ageing);
        engine = std::make_unique<Engine>(cfg);
        start_day(*engine, at(0));
        commit(*engine, engine->open(at(0), 1, "cb01"));
    }
    Event issue(bool priority, int t) { return commit(*engine, engine->issue(at(t), "TP", priority ? "elderly" : "")); }
    bool call_is_priority(int t)
    {
        auto c = commit(*engine, engine->call_next(at(t), 1));
        commit(*engine, engine->done(at(t), 1));
        return engine->ticket(c.ticket)->is_priority();
    }
};

TEST_F(PolicyTest, StrictServesEveryPriorityTicketFirst)
{
    make(config::Policy::strict);
    issue(false, 0);
    issue(false, 1);
    issue(true, 2);
    issue(true, 3);
    EXPECT_TRUE(call_is_priority(10));
    EXPECT_TRUE(call_is_priority(11));
    EXPECT_FALSE(call_is_priority(12));
}

TEST_F(PolicyTest, InterleaveCallsAtMostNNormalWhilePriorityWaits)
{
    make(config::Policy::interleave, 2);
    for (int i = 0; i < 6; ++i)
        issue(false, i);
    issue(true, 10);
    issue(true, 11);
    std::string pattern;
    for (int i = 0; i < 8; ++i)
        pattern += call_is_priority(20 + i) ? 'P' : 'N';
    EXPECT_EQ(pattern, "NNPNNPNN");
}

TEST_F(PolicyTest, InterleaveServesPriorityWhenNoNormalWaits)
{
    make(config::Policy::interleave, 3);
    issue(true, 0);
    EXPECT_TRUE(call_is_priority(1));
}

TEST_F(PolicyTest, AgeingServesOldNormalTicketsLikePriority)
{
    make(config::Policy::ageing, 2, 20);
    auto old_normal = issue(false, 0);          // 08:00
    issue(true, 15 * 60);                        // 08:15
    // At 08:16 the normal ticket is 16 minutes old: priority first.
    EXPECT_TRUE(call_is_priority(16 * 60));
    issue(true, 17 * 60);
    // At 08:21 it is 21 minutes old and issued before the new priority ticket: served now.
    auto c = commit(*engine, engine->call_next(at(21 * 60), 1));
    EXPECT_EQ(c.ticket, old_normal.ticket);
}

} // namespace
