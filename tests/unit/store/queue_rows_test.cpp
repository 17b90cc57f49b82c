#include "store_fixture.hpp"

#include <gmock/gmock.h>
#include <set>

namespace motcua::store::testing
{
namespace
{

using queue::Event;
using queue::EventKind;
using ::testing::HasSubstr;

constexpr Date july1{std::chrono::year{2025}, std::chrono::July, std::chrono::day{1}};

Event base(EventKind kind, int seconds = 0)
{
    Event e;
    e.kind = kind;
    e.at = at(seconds);
    e.business_day = july1;
    return e;
}

// One realistic event of every kind, as the engine makes them.
std::vector<Event> every_kind()
{
    std::vector<Event> out;
    auto day = base(EventKind::day_opened);
    out.push_back(day);
    auto issued = base(EventKind::issued, 1);
    issued.ticket = 1;
    issued.service = "TP";
    issued.number = 1001;
    issued.priority = "elderly";
    out.push_back(issued);
    for (auto k : {EventKind::called, EventKind::recalled, EventKind::no_show, EventKind::done})
    {
        auto e = base(k, 2);
        e.ticket = 1;
        e.counter = 2;
        e.officer = "Nguyễn Thị Lan";
        out.push_back(e);
    }
    auto readmit = base(EventKind::readmitted, 3);
    readmit.ticket = 1;
    out.push_back(readmit);
    auto to_service = base(EventKind::transferred, 4);
    to_service.ticket = 1;
    to_service.counter = 2;
    to_service.service = "DD";
    out.push_back(to_service);
    auto to_counter = to_service;
    to_counter.service.clear();
    to_counter.to_counter = 1;
    out.push_back(to_counter);
    auto paused = base(EventKind::paused, 5);
    paused.counter = 2;
    paused.officer = "cb.lan";
    paused.reason = 4;
    out.push_back(paused);
    for (auto k : {EventKind::resumed, EventKind::counter_opened, EventKind::counter_closed})
    {
        auto e = base(k, 6);
        e.counter = 3;
        e.officer = "cb.minh";
        out.push_back(e);
    }
    // Every field set, whatever the kind: nothing is lost either.
    auto full = base(EventKind::called, 7);
    full.ticket = 99;
    full.counter = 7;
    full.officer = "x\ny\\z \"q\"";
    full.service = "TP";
    full.number = 1099;
    full.priority = "disabled";
    full.to_counter = 3;
    full.reason = 9;
    out.push_back(full);
    return out;
}

TEST(QueueRows, EveryEventKindRoundTripsThroughTheDatabase)
{
    auto events = every_kind();
    std::set<EventKind> kinds;
    for (const auto& e : events)
        kinds.insert(e.kind);
    ASSERT_EQ(kinds.size(), 12u) << "the test covers every EventKind";

    auto db = open_ok(":memory:");
    Journal j(*db);
    ASSERT_TRUE(db->transaction(
                      [&]() -> Result<void>
                      {
                          for (const auto& e : events)
                          {
                              auto row = to_row(e);
                              EXPECT_TRUE(is_queue_kind(row.kind));
                              if (auto r = j.append(row); !r)
                                  return r;
                          }
                          return {};
                      })
                    .ok());
    auto rows = j.read(1, 100);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i)
    {
        auto back = event_from_row((*rows)[i]);
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(*back, events[i])
            << "event " << i << " kind " << queue::to_string(events[i].kind);
    }
}

TEST(QueueRows, PayloadHoldsTheDayAndOnlyTheFieldsInUse)
{
    auto events = every_kind();
    EXPECT_EQ(to_row(events[0]).payload, R"({"business_day":"2025-07-01"})");
    EXPECT_EQ(to_row(events[1]).payload,
              R"({"business_day":"2025-07-01","number":1001,"priority":"elderly","service":"TP"})");
}

TEST(QueueRows, ABadRowIsAnErrorNamingItsSeq)
{
    auto good = to_row(every_kind()[1]);
    good.seq = 17;
    auto check = [](JournalRow row, const std::string& why)
    {
        auto e = event_from_row(row);
        ASSERT_FALSE(e.ok()) << why;
        EXPECT_EQ(e.error().code, "journal_corrupt");
        EXPECT_THAT(e.error().message, HasSubstr("row 17"));
        EXPECT_THAT(e.error().message, HasSubstr(why));
    };
    auto r = good;
    r.kind = "teleported";
    check(r, "unknown kind");
    r = good;
    r.payload = "{not json";
    check(r, "not a JSON object");
    r.payload = "[1,2]";
    check(r, "not a JSON object");
    r.payload = R"({"service":"TP","number":1001})";
    check(r, "business_day");
    r.payload = R"({"business_day":"2025-02-30","service":"TP","number":1001})";
    check(r, "business_day");
    r.payload = R"({"business_day":"2025-07-01","service":"TP","number":"1001"})";
    check(r, "not an integer");
    r.payload = R"({"business_day":"2025-07-01","service":"TP","number":1e99})";
    check(r, "not an integer");
    r.payload = R"({"business_day":"2025-07-01","number":1001})";
    check(r, "needs a ticket id and a service");
}

// Appends the events in one transaction each, as the application does.
void append_all(Database& db, Journal& j, const std::vector<JournalRow>& rows)
{
    for (auto row : rows)
        ASSERT_TRUE(db.transaction([&] { return j.append(row); }).ok());
}

TEST(QueueRows, ReplayStartsAtTheNewestDayOpened)
{
    auto db = open_ok(":memory:");
    Journal j(*db);
    auto e = every_kind();
    Event day2 = e[0];
    day2.business_day = Date{std::chrono::year{2025}, std::chrono::July, std::chrono::day{2}};
    day2.at = at(0, 1);
    JournalRow dossier;
    dossier.kind = "dossier.received";
    dossier.payload = R"({"code":"000.17.22.H56-250702-0001"})";
    append_all(*db, j,
               {to_row(e[0]), to_row(e[1]), to_row(e[2]), to_row(day2), to_row(e[1]), dossier,
                to_row(e[2])});

    auto events = events_since_last_day_opened(j);
    ASSERT_TRUE(events.ok()) << events.error().message;
    ASSERT_EQ(events->size(), 3u);
    EXPECT_EQ((*events)[0], day2);
    EXPECT_EQ((*events)[1], e[1]);
    EXPECT_EQ((*events)[2], e[2]);
}

TEST(QueueRows, ReplayWithoutDayOpenedStartsAtTheBeginning)
{
    auto db = open_ok(":memory:");
    Journal j(*db);
    auto e = every_kind();
    append_all(*db, j, {to_row(e[1]), to_row(e[2])});
    auto events = events_since_last_day_opened(j);
    ASSERT_TRUE(events.ok());
    EXPECT_EQ(*events, (std::vector<Event>{e[1], e[2]}));

    auto empty_db = open_ok(":memory:");
    Journal empty(*empty_db);
    auto none = events_since_last_day_opened(empty);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
}

TEST(QueueRows, ReplayReadsPastOneChunk)
{
    auto db = open_ok(":memory:");
    Journal j(*db);
    auto e = every_kind();
    ASSERT_TRUE(db->transaction(
                      [&]() -> Result<void>
                      {
                          auto row = to_row(e[0]);
                          if (auto r = j.append(row); !r)
                              return r;
                          for (int i = 1; i <= 2500; ++i)
                          {
                              auto issued = e[1];
                              issued.ticket = i;
                              issued.number = 1000 + i;
                              auto ir = to_row(issued);
                              if (auto r = j.append(ir); !r)
                                  return r;
                          }
                          return {};
                      })
                    .ok());
    auto events = events_since_last_day_opened(j);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 2501u);
    EXPECT_EQ(events->back().ticket, 2500);
}

TEST(QueueRows, ReplayStopsAtABadQueueRow)
{
    auto db = open_ok(":memory:");
    Journal j(*db);
    auto e = every_kind();
    JournalRow bad = to_row(e[2]);
    bad.payload = R"({"business_day":"yesterday"})";
    append_all(*db, j, {to_row(e[0]), to_row(e[1]), bad, to_row(e[2])});
    auto events = events_since_last_day_opened(j);
    ASSERT_FALSE(events.ok());
    EXPECT_EQ(events.error().code, "journal_corrupt");
    EXPECT_THAT(events.error().message, HasSubstr("row 3"));
}

} // namespace
} // namespace motcua::store::testing
