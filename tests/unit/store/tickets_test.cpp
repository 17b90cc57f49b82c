#include "store_fixture.hpp"

#include <gmock/gmock.h>

namespace motcua::store::testing
{
namespace
{

using queue::Engine;
using queue::TransferTarget;
using ::testing::HasSubstr;

TicketRow find_ok(Tickets& t, std::int64_t id)
{
    auto r = t.find(id);
    EXPECT_TRUE(r.ok() && r->has_value()) << "ticket " << id;
    if (!r.ok() || !r->has_value())
        throw std::runtime_error("no ticket");
    return **r;
}

class TicketsTest : public ::testing::Test
{
  protected:
    TempDir dir;
    config::Config cfg = office();
    Engine engine{cfg};
    Store store{dir.file("motcua.db")};
};

TEST_F(TicketsTest, TheProjectionFollowsATicketsLife)
{
    store.open_day(engine, at(0));
    auto issued = store.run(engine, engine.issue(at(10), "TP", "elderly"));
    auto id = issued.ticket;
    auto t = find_ok(*store.tickets, id);
    EXPECT_EQ(t.business_day, "2025-07-01");
    EXPECT_EQ(t.service, "TP");
    EXPECT_EQ(t.issued_service, "TP");
    EXPECT_EQ(t.number, 1001);
    EXPECT_EQ(t.priority, "elderly");
    EXPECT_EQ(t.status, "waiting");
    EXPECT_EQ(t.issued_at, at(10).wall);
    EXPECT_FALSE(t.called_at);
    EXPECT_EQ(t.print_state, PrintState::none);

    store.run(engine, engine.open(at(20), 1, "cb.lan"));
    store.run(engine, engine.call_next(at(30), 1));
    t = find_ok(*store.tickets, id);
    EXPECT_EQ(t.status, "called");
    EXPECT_EQ(t.called_at, at(30).wall);
    EXPECT_EQ(t.counter, 1);
    EXPECT_EQ(t.officer, "cb.lan");

    store.run(engine, engine.recall(at(40), 1));
    EXPECT_EQ(find_ok(*store.tickets, id).recalls, 1);
    store.run(engine, engine.no_show(at(50), 1));
    EXPECT_EQ(find_ok(*store.tickets, id).status, "no_show");
    store.run(engine, engine.readmit(at(60), id));
    EXPECT_EQ(find_ok(*store.tickets, id).status, "waiting");

    store.run(engine, engine.call_next(at(70), 1));
    store.run(engine, engine.transfer(at(80), 1, TransferTarget{"DD", 0}));
    t = find_ok(*store.tickets, id);
    EXPECT_EQ(t.status, "waiting");
    EXPECT_EQ(t.service, "DD");
    EXPECT_EQ(t.issued_service, "TP");
    EXPECT_EQ(t.called_at, at(30).wall) << "called_at keeps the first call";

    store.run(engine, engine.open(at(90), 2, "cb.minh"));
    store.run(engine, engine.call_next(at(100), 2));
    store.run(engine, engine.done(at(110), 2));
    t = find_ok(*store.tickets, id);
    EXPECT_EQ(t.status, "done");
    EXPECT_EQ(t.counter, 2);
    EXPECT_EQ(t.officer, "cb.minh");
    EXPECT_EQ(t.done_at, at(110).wall);
    EXPECT_TRUE(store.journal->verify().ok);
}

TEST_F(TicketsTest, ANewDayExpiresEarlierTicketsStillWaiting)
{
    store.open_day(engine, at(0));
    auto a = store.run(engine, engine.issue(at(1), "TP", ""));
    auto b = store.run(engine, engine.issue(at(2), "TP", ""));
    auto c = store.run(engine, engine.issue(at(3), "DD", ""));
    store.run(engine, engine.open(at(4), 1, "cb.lan"));
    store.run(engine, engine.call_next(at(5), 1));
    store.run(engine, engine.done(at(6), 1));

    store.open_day(engine, at(0, 1));
    auto d = store.run(engine, engine.issue(at(1, 1), "TP", ""));
    EXPECT_EQ(d.number, 1001) << "numbers restart on a new day";
    EXPECT_EQ(find_ok(*store.tickets, a.ticket).status, "done");
    EXPECT_EQ(find_ok(*store.tickets, b.ticket).status, "expired");
    EXPECT_EQ(find_ok(*store.tickets, c.ticket).status, "expired");
    EXPECT_EQ(find_ok(*store.tickets, d.ticket).status, "waiting");
    auto max = store.tickets->max_ticket_id();
    ASSERT_TRUE(max.ok());
    EXPECT_EQ(*max, d.ticket);
}

TEST_F(TicketsTest, EventsAboutAnUnknownTicketAreRefusedAndLeaveNoJournalRow)
{
    queue::Event e;
    e.kind = queue::EventKind::done;
    e.at = at(0);
    e.business_day = engine.business_day_of(at(0).wall);
    e.ticket = 4242;
    e.counter = 1;
    auto r = store.commit(e);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "store_inconsistent");
    auto last = store.journal->last_seq();
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(*last, 0) << "the journal row rolled back with the projection";
}

TEST_F(TicketsTest, ANumberIsNeverStoredTwiceForTheSameDayAndService)
{
    store.open_day(engine, at(0));
    auto a = store.run(engine, engine.issue(at(1), "TP", ""));
    auto dup = a;
    dup.ticket = a.ticket + 1;
    auto r = store.commit(dup);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("UNIQUE"));
}

TEST_F(TicketsTest, PrintState)
{
    store.open_day(engine, at(0));
    auto a = store.run(engine, engine.issue(at(1), "TP", ""));
    ASSERT_TRUE(store.tickets->set_print_state(a.ticket, PrintState::print_failed).ok());
    EXPECT_EQ(find_ok(*store.tickets, a.ticket).print_state, PrintState::print_failed);
    ASSERT_TRUE(store.tickets->set_print_state(a.ticket, PrintState::printed).ok());
    EXPECT_EQ(find_ok(*store.tickets, a.ticket).print_state, PrintState::printed);
    auto missing = store.tickets->set_print_state(999, PrintState::printed);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "unknown_ticket");
    for (auto s : {PrintState::none, PrintState::printed, PrintState::print_failed})
        EXPECT_EQ(print_state_from_string(to_string(s)), s);
}

std::vector<queue::TicketId> waiting_ids(const Engine& e, std::string_view service)
{
    std::vector<queue::TicketId> out;
    for (const auto* t : e.waiting(service))
        out.push_back(t->id);
    return out;
}

TEST_F(TicketsTest, ReplayingTheJournalRebuildsTheEngine)
{
    // Yesterday's tickets must not come back.
    store.open_day(engine, at(0, -1));
    store.run(engine, engine.issue(at(5, -1), "TP", ""));
    store.open_day(engine, at(0));
    for (int i = 0; i < 6; ++i)
        store.run(engine, engine.issue(at(10 + i), i % 2 ? "DD" : "TP", i == 3 ? "elderly" : ""));
    store.run(engine, engine.open(at(20), 1, "cb.lan"));
    store.run(engine, engine.open(at(21), 2, "cb.minh"));
    store.run(engine, engine.call_next(at(30), 1));
    store.run(engine, engine.call_next(at(31), 2));
    store.run(engine, engine.done(at(40), 1));
    store.run(engine, engine.call_next(at(41), 1));
    store.run(engine, engine.done(at(42), 2));
    store.run(engine, engine.pause(at(43), 2, 3));

    // A restart: a fresh connection, a fresh engine fed from the journal.
    store = Store{dir.file("motcua.db")};
    Engine again{cfg};
    auto events = events_since_last_day_opened(*store.journal);
    ASSERT_TRUE(events.ok()) << events.error().message;
    EXPECT_EQ(events->front().kind, queue::EventKind::day_opened);
    for (const auto& e : *events)
        again.apply(e);
    auto max = store.tickets->max_ticket_id();
    ASSERT_TRUE(max.ok());
    again.set_next_ticket_id(*max + 1);

    EXPECT_EQ(again.business_day(), engine.business_day());
    EXPECT_EQ(waiting_ids(again, "TP"), waiting_ids(engine, "TP"));
    EXPECT_EQ(waiting_ids(again, "DD"), waiting_ids(engine, "DD"));
    auto before = engine.counters();
    auto after = again.counters();
    ASSERT_EQ(before.size(), after.size());
    for (std::size_t i = 0; i < before.size(); ++i)
    {
        EXPECT_EQ(after[i].number, before[i].number);
        EXPECT_EQ(after[i].state, before[i].state);
        EXPECT_EQ(after[i].officer, before[i].officer);
        EXPECT_EQ(after[i].ticket, before[i].ticket);
        EXPECT_EQ(after[i].pause_reason, before[i].pause_reason);
    }
    auto next_a = engine.issue(at(50), "TP", "");
    auto next_b = again.issue(at(50), "TP", "");
    ASSERT_TRUE(next_a.ok() && next_b.ok());
    EXPECT_EQ(*next_b, *next_a) << "the same ticket id and number come next";
}

} // namespace
} // namespace motcua::store::testing
