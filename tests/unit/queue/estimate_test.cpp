// The phone page's figures: how many are called before a ticket (as call_next would call
// them) and the estimated wait from today's service times.

#include "engine_fixture.hpp"
#include "queue/estimate.hpp"

#include <random>

using namespace motcua;
using namespace motcua::queue;
using namespace motcua::queue::testing;
using std::chrono::milliseconds;
using std::chrono::minutes;

namespace
{

// Counter 1 serves TP only: playing NEXT at it until a ticket comes out counts exactly the
// calls before that ticket, the truth ahead_in_call_order must predict.
class AheadMatchesTheCalls : public ::testing::TestWithParam<int>
{};

TEST_P(AheadMatchesTheCalls, ForEveryPolicyAndAnyMixOfPriorities)
{
    const auto policy = static_cast<config::Policy>(GetParam() % 3);
    auto cfg = office(policy, 2, 20);
    std::mt19937 rng(static_cast<unsigned>(GetParam()) * 104729u + 7u);
    for (int round = 0; round < 40; ++round)
    {
        Engine engine{cfg};
        start_day(engine, at(0));
        commit(engine, engine.open(at(0), 1, "cb01"));
        // Some tickets, a few already called so the interleave run is not at zero.
        std::vector<TicketId> ids;
        const int n = 3 + static_cast<int>(rng() % 28);
        for (int i = 0; i < n; ++i)
        {
            const bool priority = rng() % 3 == 0;
            ids.push_back(commit(engine, engine.issue(at(i * 120), "TP", priority ? "elderly" : "")).ticket);
        }
        const int served = static_cast<int>(rng() % 3);
        for (int i = 0; i < served; ++i)
        {
            commit(engine, engine.call_next(at(n * 120 + i), 1));
            commit(engine, engine.done(at(n * 120 + i), 1));
        }
        const Now now = at(n * 120 + 60); // the ageing policy sees some tickets past 20 minutes
        for (auto id : ids)
        {
            if (engine.ticket(id)->state != TicketState::waiting)
            {
                EXPECT_EQ(engine.ahead_in_call_order(id, now.wall), 0);
                continue;
            }
            const int predicted = engine.ahead_in_call_order(id, now.wall);
            Engine played = engine;
            int calls = 0;
            for (;; ++calls)
            {
                auto c = commit(played, played.call_next(now, 1));
                commit(played, played.done(now, 1));
                if (c.ticket == id)
                    break;
            }
            EXPECT_EQ(predicted, calls) << "policy " << GetParam() % 3 << " round " << round << " ticket " << id;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Policies, AheadMatchesTheCalls, ::testing::Range(0, 6));

TEST(Ahead, ATicketTransferredToACounterWaitsBehindTheOnesSentThereBefore)
{
    auto cfg = office();
    Engine engine{cfg};
    start_day(engine, at(0));
    commit(engine, engine.open(at(0), 1, "cb01"));
    commit(engine, engine.open(at(0), 3, "cb03"));
    auto a = commit(engine, engine.issue(at(1), "TP", "")).ticket;
    auto b = commit(engine, engine.issue(at(2), "TP", "")).ticket;
    commit(engine, engine.issue(at(3), "TP", "")); // stays in the pool
    for (auto id : {a, b})
    {
        (void)id;
        commit(engine, engine.call_next(at(10), 1));
        commit(engine, engine.transfer(at(11), 1, TransferTarget{"", 3}));
    }
    EXPECT_EQ(engine.ahead_in_call_order(a, at(12).wall), 0);
    EXPECT_EQ(engine.ahead_in_call_order(b, at(12).wall), 1);
}

TEST(ServiceTimes, TodaysFinishedTicketsOfTheServiceOldestFirst)
{
    auto cfg = office();
    Engine engine{cfg};
    start_day(engine, at(0));
    commit(engine, engine.open(at(0), 1, "cb01"));
    commit(engine, engine.open(at(0), 2, "cb02"));
    for (int i = 0; i < 3; ++i)
        commit(engine, engine.issue(at(i), "TP", ""));
    commit(engine, engine.issue(at(5), "DD", ""));
    commit(engine, engine.call_next(at(100), 1));
    commit(engine, engine.done(at(100 + 300), 1)); // 5 min
    commit(engine, engine.call_next(at(500), 1));
    commit(engine, engine.done(at(500 + 120), 1)); // 2 min
    commit(engine, engine.call_next(at(700), 2));  // DD first at counter 2
    commit(engine, engine.done(at(760), 2));
    commit(engine, engine.call_next(at(800), 1)); // still at the counter: not a sample
    EXPECT_EQ(engine.service_times("TP"), (std::vector<milliseconds>{minutes(5), minutes(2)}));
    EXPECT_EQ(engine.service_times("DD"), (std::vector<milliseconds>{minutes(1)}));
    EXPECT_EQ(engine.open_counters_for("TP"), 2);
    EXPECT_EQ(engine.open_counters_for("DD"), 1);
    commit(engine, engine.pause(at(900), 2, 1));
    EXPECT_EQ(engine.open_counters_for("DD"), 0); // a paused counter calls nobody
}

std::vector<milliseconds> times(std::initializer_list<int> mins)
{
    std::vector<milliseconds> v;
    for (int m : mins)
        v.push_back(minutes(m));
    return v;
}

TEST(Estimate, AheadTimesTheMeanOverTheOpenCountersRoundedUp)
{
    auto e = estimate_wait(4, times({5, 5, 5, 5, 5}), 2); // 4 × 5 / 2
    EXPECT_EQ(e.kind, WaitEstimate::Kind::minutes);
    EXPECT_EQ(e.minutes, 10);
    EXPECT_EQ(e.samples, 5);
    EXPECT_EQ(estimate_wait(1, times({3, 3, 3, 3, 4}), 3).minutes, 2); // 3.2 / 3 → 1.07 → 2
    EXPECT_EQ(estimate_wait(1, {milliseconds(1000), milliseconds(1000), milliseconds(1000), milliseconds(1000),
                                milliseconds(1000)},
                            1)
                  .minutes,
              1); // never "0 minutes" while someone is ahead
}

TEST(Estimate, FollowsTheRecentPace)
{
    // 20 slow ones this morning, then 20 quick ones: only the last 20 count.
    std::vector<milliseconds> v(20, minutes(30));
    v.insert(v.end(), 20, minutes(3));
    auto e = estimate_wait(2, v, 1);
    EXPECT_EQ(e.samples, recent_samples);
    EXPECT_EQ(e.minutes, 6);
}

TEST(Estimate, SaysSoWhenItCannotTell)
{
    EXPECT_EQ(estimate_wait(3, times({5, 5, 5, 5}), 2).kind, WaitEstimate::Kind::too_few_samples);
    EXPECT_EQ(estimate_wait(3, times({5, 5, 5, 5, 5}), 0).kind, WaitEstimate::Kind::no_open_counter);
    EXPECT_EQ(estimate_wait(0, {}, 0).kind, WaitEstimate::Kind::next);
    EXPECT_STREQ(to_string(WaitEstimate::Kind::too_few_samples), "too_few_samples");
}

} // namespace
