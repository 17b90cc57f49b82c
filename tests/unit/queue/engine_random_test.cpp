// Thousands of random operations over several counters: the invariants hold after every
// step, and a replay of the committed events rebuilds exactly the same state.

#include "engine_fixture.hpp"

#include <random>
#include <map>
#include <set>

using namespace motcua;
using namespace motcua::queue;
using namespace motcua::queue::testing;

namespace
{

void check_invariants(const Engine& engine, const config::Config& cfg, const std::set<TicketId>& issued,
                      std::set<std::pair<std::string, int>>& numbers_seen)
{
    std::set<TicketId> held;
    for (const auto& c : engine.counters())
    {
        if (c.state == CounterState::serving)
        {
            ASSERT_NE(c.ticket, 0);
            ASSERT_TRUE(held.insert(c.ticket).second) << "ticket at two counters";
            const auto* t = engine.ticket(c.ticket);
            ASSERT_NE(t, nullptr);
            ASSERT_EQ(t->state, TicketState::called);
            ASSERT_EQ(t->counter, c.number);
        }
        else
            ASSERT_EQ(c.ticket, 0);
    }
    // Every issued ticket still exists and is in exactly one place.
    for (auto id : issued)
    {
        const auto* t = engine.ticket(id);
        ASSERT_NE(t, nullptr) << "lost ticket #" << id;
        if (t->state == TicketState::called)
            ASSERT_TRUE(held.contains(id));
        else
            ASSERT_FALSE(held.contains(id));
    }
    (void)cfg;
    (void)numbers_seen;
}

class RandomOps : public ::testing::TestWithParam<int>
{};

TEST_P(RandomOps, InvariantsHoldAndReplayMatches)
{
    auto policy = static_cast<config::Policy>(GetParam() % 3);
    auto cfg = office(policy, 2, 5);
    cfg.services[1].daily_cap.reset();
    cfg.services[1].last = 2999;
    Engine engine{cfg};
    std::mt19937 rng(static_cast<unsigned>(GetParam()) * 7919u + 1u);
    std::vector<Event> log;
    std::set<TicketId> issued;
    std::set<std::pair<std::string, int>> numbers;
    std::map<std::string, int> normal_run;
    int t = 0;
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    for (int step = 0; step < 4000; ++step)
    {
        t += pick(30);
        Now now = at(t);
        if (auto roll = engine.rollover(now))
        {
            engine.apply(*roll);
            log.push_back(*roll);
        }
        int counter = 1 + pick(3);
        Result<Event> r = make_error("none", "");
        switch (pick(11))
        {
        case 0:
        case 1:
        case 2: r = engine.issue(now, pick(2) ? "TP" : "DD", pick(4) == 0 ? "elderly" : ""); break;
        case 3: r = engine.call_next(now, counter); break;
        case 4: r = engine.done(now, counter); break;
        case 5: r = engine.open(now, counter, "cb0" + std::to_string(counter)); break;
        case 6: r = pick(4) == 0 ? engine.close(now, counter) : engine.recall(now, counter); break;
        case 7: r = engine.no_show(now, counter); break;
        case 8: r = engine.readmit(now, issued.empty() ? 1 : *std::next(issued.begin(), pick(static_cast<int>(issued.size())))); break;
        case 9:
            r = pick(2) ? engine.transfer(now, counter, {pick(2) ? "TP" : "DD", 0})
                        : engine.transfer(now, counter, {"", 1 + pick(3)});
            break;
        case 10: r = pick(2) ? engine.pause(now, counter, 1 + pick(5)) : engine.resume(now, counter); break;
        }
        if (!r.ok())
            continue;
        const Event& e = r.value();
        if (e.kind == EventKind::called && policy == config::Policy::interleave)
        {
            // Fairness: never more than N normal tickets of a service called in a row while a
            // priority ticket of that service waits.
            const auto* t = engine.ticket(e.ticket);
            bool priority_waits = false;
            for (const auto* w : engine.waiting(t->service))
                priority_waits = priority_waits || w->is_priority();
            int& run = normal_run[t->service];
            if (t->is_priority())
                run = 0;
            else if (t->directed_to == 0 && priority_waits)
            {
                ASSERT_LE(++run, cfg.queue.interleave_normal) << "unfair at step " << step;
            }
        }
        if (e.kind == EventKind::day_opened)
            normal_run.clear();
        if (e.kind == EventKind::issued)
        {
            ASSERT_TRUE(issued.insert(e.ticket).second) << "ticket id reused";
            ASSERT_TRUE(numbers.insert({e.service, e.number}).second) << "number reused: " << e.number;
        }
        engine.apply(e);
        log.push_back(e);
        ASSERT_NO_FATAL_FAILURE(check_invariants(engine, cfg, issued, numbers));
    }
    ASSERT_GT(issued.size(), 500u);

    Engine replayed{cfg};
    for (const auto& e : log)
        replayed.apply(e);
    for (const auto& c : engine.counters())
    {
        EXPECT_EQ(replayed.counter(c.number)->state, c.state);
        EXPECT_EQ(replayed.counter(c.number)->ticket, c.ticket);
    }
    for (auto id : issued)
        EXPECT_EQ(replayed.ticket(id)->state, engine.ticket(id)->state);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomOps, ::testing::Range(0, 6));

} // namespace
