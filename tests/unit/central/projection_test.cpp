// central::project (daemon/central/projection.hpp) against a real box store: a day and a
// half of queue tickets, dossiers and votes written through the store's own code paths
// (Tickets::apply, Dossiers::receive/import/change, rating_row), then every journal row
// projected in batches of 7 as the central will (loading only what a batch touches). The
// projected records equal the store's report records, field for field, and the report
// answers over both are the same.

#include "../store/store_fixture.hpp"

#include "central/projection.hpp"
#include "dossier/json.hpp"
#include "dossier/lifecycle.hpp"
#include "dossier/report_json.hpp"
#include "store/dossiers.hpp"
#include "store/ratings.hpp"

#include <gmock/gmock.h>

namespace motcua::central
{
namespace
{

using json = nlohmann::json;
using dossier::Dossier;
using store::testing::at;
using store::testing::Store;
using store::testing::TempDir;
using ::testing::HasSubstr;

constexpr std::string_view unit = "000.17.22.H56";

LocalDateTime local(const char* text) { return *parse_local_date_time(text); }

const calendar::Calendar& plain_2025()
{
    static const calendar::Calendar cal = [] {
        calendar::YearTable y;
        y.year = 2025;
        return *calendar::Calendar::from_years({y});
    }();
    return cal;
}

dossier::DueContext due_context()
{
    dossier::DueContext c;
    c.calendar = &plain_2025();
    c.rules.office_hours = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}},
                            {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}};
    return c;
}

config::Register catalogue()
{
    config::Register reg;
    config::Procedure birth;
    birth.code = "2.000001.H38";
    birth.name = "Đăng ký khai sinh";
    birth.field = "Tư pháp – Hộ tịch";
    birth.days = 3;
    birth.deciding_agency = "UBND xã";
    config::Procedure land;
    land.code = "1.004227.000.00.00.H56";
    land.name = "Đăng ký biến động đất đai";
    land.field = "Đất đai";
    land.days = 1;
    land.deciding_agency = "Văn phòng đăng ký đất đai";
    reg.procedures = {birth, land};
    return reg;
}

// A box: the queue engine, the tickets projection, the register and the journal, one
// SQLite file, written as the daemon writes them.
class Box
{
  public:
    explicit Box(const std::string& path) : store(path), dossiers(*store.db, *store.journal) {}

    config::Config cfg = store::testing::office();
    queue::Engine engine{cfg};
    Store store;
    store::Dossiers dossiers;

    store::Stamp stamp(const char* officer = "cb.lan") const
    {
        return store::Stamp{at(0).wall, 0, 1, officer, std::string("user:") + officer};
    }

    Dossier receive(const char* procedure, const char* when, dossier::Channel channel = dossier::Channel::direct)
    {
        dossier::ReceiveInput in;
        in.procedure_code = procedure;
        in.applicant = {"Trần Thị Bích", "Thôn 3", "0905123456", "048190000123", ""};
        in.notes = "Bản sao có chứng thực";
        in.channel = channel;
        auto d = dossier::receive(in, catalogue(), "Trung tâm xã", local(when), due_context());
        EXPECT_TRUE(d.ok()) << (d ? "" : d.error().message);
        d->officer = "cb.lan";
        d->counter = 1;
        Result<Dossier> stored = make_error("none", "");
        auto r = store.db->transaction([&]() -> Result<void> {
            stored = dossiers.receive(*d, unit, stamp());
            return stored ? Result<void>() : Result<void>(stored.error());
        });
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
        return *stored;
    }

    void import(Dossier d)
    {
        std::vector<Dossier> one{std::move(d)};
        auto r = store.db->transaction([&]() -> Result<void> {
            auto n = dossiers.import(one, unit, stamp("admin"));
            return n ? Result<void>() : Result<void>(n.error());
        });
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
    }

    // A chunked import as the register runs it: begin, the rows, then complete or fail and
    // discard (each its own transaction).
    std::int64_t begin_import(int rows)
    {
        std::int64_t id = 0;
        auto r = store.db->transaction([&]() -> Result<void> {
            auto begun = dossiers.begin_import("user:admin", rows, stamp("admin"));
            if (!begun)
                return begun.error();
            id = *begun;
            return {};
        });
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
        return id;
    }

    void import_chunk(std::vector<Dossier> chunk, std::int64_t id)
    {
        auto r = store.db->transaction([&]() -> Result<void> {
            auto n = dossiers.import(chunk, unit, stamp("admin"), {}, id);
            return n ? Result<void>() : Result<void>(n.error());
        });
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
    }

    void finish_import(std::int64_t id, int rows)
    {
        auto r = store.db->transaction([&] { return dossiers.finish_import(id, rows, stamp("admin")); });
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
    }

    void fail_import(std::int64_t id)
    {
        auto r = store.db->transaction([&]() -> Result<void> {
            auto n = dossiers.discard_import(id, 5000);
            if (!n)
                return n.error();
            return dossiers.fail_import(id, "the line 3 was bad", stamp("admin"));
        });
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
    }

    // Decides nothing itself: commits the decided change and applies it, as the register does.
    void change(Dossier& d, const Result<dossier::Change>& decided)
    {
        ASSERT_TRUE(decided.ok()) << decided.error().message;
        auto after = d;
        dossier::apply(after, *decided);
        auto r = store.db->transaction([&] { return dossiers.change(after, *decided, stamp()); });
        ASSERT_TRUE(r.ok()) << r.error().message;
        d = after;
    }

    void rate(std::int64_t ticket, int counter, const char* service, int score, dossier::RatingSource source, int s)
    {
        dossier::RatingDecision decision{ticket, counter, "cb.lan", service, "Tư pháp", score};
        auto row = store::rating_row(decision, source, at(s).wall, at(s).mono.count());
        auto r = store.db->transaction([&] { return store.journal->append(row); });
        ASSERT_TRUE(r.ok()) << r.error().message;
    }

    queue::Event run(const Result<queue::Event>& decided) { return store.run(engine, decided); }
};

// The central's side: every record it has stored, and the votes.
struct Central
{
    std::map<std::int64_t, TicketState> tickets;
    std::map<std::string, Dossier> dossiers;
    std::vector<dossier::Rating> ratings;
    std::map<std::string, std::int64_t> import_of;
    std::map<std::int64_t, ImportState> imports;

    // One batch as the central projects it: load what the rows touch, project, store back.
    Result<void> take(const std::vector<store::JournalRow>& rows)
    {
        Records records;
        auto touched = touched_by(rows);
        for (auto id : touched.tickets)
            if (auto it = tickets.find(id); it != tickets.end())
                records.tickets.insert(*it);
        for (const auto& code : touched.dossiers)
        {
            if (auto it = dossiers.find(code); it != dossiers.end())
                records.dossiers.insert(*it);
            if (auto it = import_of.find(code); it != import_of.end())
                records.import_of.insert(*it);
        }
        if (auto r = project(records, rows); !r)
            return r;
        for (auto& [id, t] : records.tickets)
        {
            EXPECT_TRUE(touched.tickets.contains(id)) << "ticket " << id << " was not announced by touched_by";
            tickets[id] = t;
        }
        for (auto& [code, d] : records.dossiers)
        {
            EXPECT_TRUE(touched.dossiers.contains(code)) << code << " was not announced by touched_by";
            dossiers[code] = d;
        }
        for (auto& [code, id] : records.import_of)
            import_of[code] = id;
        for (auto [id, state] : records.imports)
        {
            imports[id] = state;
            if (state != ImportState::failed)
                continue;
            // What the central does in SQL: every dossier of the failed import goes.
            for (auto it = import_of.begin(); it != import_of.end();)
                if (it->second == id)
                {
                    dossiers.erase(it->first);
                    it = import_of.erase(it);
                }
                else
                    ++it;
        }
        ratings.insert(ratings.end(), records.new_ratings.begin(), records.new_ratings.end());
        return {};
    }

    Result<void> take_all(const std::vector<store::JournalRow>& rows, std::size_t batch)
    {
        for (std::size_t i = 0; i < rows.size(); i += batch)
        {
            std::vector<store::JournalRow> part(rows.begin() + static_cast<std::ptrdiff_t>(i),
                                                rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + batch)));
            if (auto r = take(part); !r)
                return r;
        }
        return {};
    }

    // The records a report of `period` counts, selected as the box's queries select them.
    dossier::ReportRecords for_report(const dossier::Period& period, UtcOffset tz) const
    {
        dossier::ReportRecords out;
        auto from = from_local(period.from, TimeOfDay{0}, tz);
        auto to = from_local(period.end().date, TimeOfDay{0}, tz);
        for (const auto& [id, t] : tickets)
            if (t.record.issued >= from && t.record.issued < to)
                out.tickets.push_back(t.record);
        const auto start = dossier::to_minutes(LocalDateTime{period.from, TimeOfDay{0}});
        const auto end = dossier::to_minutes(period.end());
        for (const auto& [code, d] : dossiers)
        {
            if (auto it = import_of.find(code); it != import_of.end() && imports.at(it->second) != ImportState::complete)
                continue; // an import still running: not in the register yet
            auto finished = d.result_at ? d.result_at : d.returned_at ? d.returned_at : d.closed_at;
            if (dossier::to_minutes(d.received_at) < end && (!finished || dossier::to_minutes(*finished) >= start))
                out.dossiers.push_back(d);
        }
        std::sort(out.dossiers.begin(), out.dossiers.end(), [](const Dossier& a, const Dossier& b) {
            return dossier::to_minutes(a.received_at) < dossier::to_minutes(b.received_at);
        });
        for (const auto& r : ratings)
            if (r.at >= from && r.at < to)
                out.ratings.push_back(r);
        return out;
    }
};

json ticket_json(const dossier::TicketRecord& t)
{
    auto ms = [](WallTime w) { return w.time_since_epoch().count(); };
    return {{"issued", ms(t.issued)},         {"called", t.called ? json(ms(*t.called)) : json(nullptr)},
            {"done", t.done ? json(ms(*t.done)) : json(nullptr)}, {"no_show", t.no_show},
            {"service", t.service},          {"field", t.field},
            {"officer", t.officer},          {"counter", t.counter}};
}

json rating_json(const dossier::Rating& r)
{
    return {{"at", r.at.time_since_epoch().count()}, {"counter", r.counter}, {"officer", r.officer},
            {"field", r.field}, {"service", r.service}, {"vote", static_cast<int>(r.vote)}, {"source", r.source}};
}

template <class T, class F>
std::vector<json> sorted_json(const std::vector<T>& items, F&& to)
{
    std::vector<json> out;
    for (const auto& i : items)
        out.push_back(to(i));
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) { return a.dump() < b.dump(); });
    return out;
}

std::map<std::string, json> by_code(const std::vector<Dossier>& dossiers, bool without_handoffs)
{
    std::map<std::string, json> out;
    for (auto d : dossiers)
    {
        if (without_handoffs)
            d.handoffs.clear();
        out[d.code] = dossier::to_json(d);
    }
    return out;
}

const dossier::Period two_days{Date{std::chrono::year{2025}, std::chrono::July, std::chrono::day{1}},
                               Date{std::chrono::year{2025}, std::chrono::July, std::chrono::day{2}}};

class ProjectionTest : public ::testing::Test
{
  protected:
    TempDir dir;
    Box box{dir.file("motcua.db")};
    const UtcOffset tz{};

    // A day and a half at a commune centre (2025-07-01 and the morning of the 2nd).
    void busy_office()
    {
        using queue::TransferTarget;
        box.store.open_day(box.engine, at(0));
        box.run(box.engine.open(at(5), 1, "cb.lan"));
        box.run(box.engine.open(at(6), 2, "cb.minh"));
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 6; ++i)
            ids.push_back(box.run(box.engine.issue(at(10 + i), i % 2 ? "DD" : "TP", i == 3 ? "elderly" : "")).ticket);
        box.run(box.engine.call_next(at(60), 1));
        box.run(box.engine.done(at(400), 1));
        box.run(box.engine.call_next(at(410), 1));
        auto missed = box.run(box.engine.no_show(at(470), 1)).ticket;
        box.run(box.engine.call_next(at(480), 2));
        box.run(box.engine.transfer(at(600), 2, TransferTarget{"TP", 0}));
        box.run(box.engine.call_next(at(610), 2));
        box.run(box.engine.recall(at(640), 2));
        box.run(box.engine.done(at(900), 2));
        box.rate(ids[0], 1, "TP", 3, dossier::RatingSource::panel, 405);
        auto d1 = box.receive("2.000001.H38", "2025-07-01 08:10");
        auto d2 = box.receive("1.004227.000.00.00.H56", "2025-07-01 08:20", dossier::Channel::online);
        auto d3 = box.receive("2.000001.H38", "2025-07-01 08:30");
        box.run(box.engine.call_next(at(1000), 1));
        box.run(box.engine.readmit(at(1010), missed));
        box.run(box.engine.done(at(1300), 1));
        box.run(box.engine.call_next(at(1310), 2));
        box.rate(ids[2], 2, "TP", 1, dossier::RatingSource::phone, 1320);
        box.rate(ids[4], 1, "TP", 2, dossier::RatingSource::desk, 1330);

        box.change(d1, dossier::transfer(d1, local("2025-07-01 09:00"), "Phòng Tư pháp", local("2025-07-02 17:00")));
        box.change(d1, dossier::request_supplement(d1, local("2025-07-01 10:00"), {"Giấy chứng sinh"},
                                                   local("2025-07-03 17:00"), "Thiếu bản chính"));
        box.change(d1, dossier::complete_supplement(d1, local("2025-07-01 14:00")));
        box.change(d1, dossier::correct(d1, local("2025-07-01 14:10"), "applicant_name", "Trần Thị Bich", "Gõ nhầm"));
        box.change(d1, dossier::correct(d1, local("2025-07-01 14:11"), "digitised", "true", "Đã số hóa"));
        box.change(d1, dossier::record_result(d1, local("2025-07-01 16:00"), {}));
        box.change(d1, dossier::return_result(d1, local("2025-07-01 16:30"), ""));
        box.change(d2, dossier::start_obligation(d2, local("2025-07-01 09:30"), "Lệ phí trước bạ"));
        box.change(d2, dossier::end_obligation(d2, local("2025-07-01 10:30")));
        box.change(d2, dossier::apologize(d2, local("2025-07-01 11:00"), local("2025-07-04 17:00"), "Chờ xác minh"));
        box.change(d3, dossier::close(d3, local("2025-07-01 09:15"), dossier::Status::refused, "Không thuộc thẩm quyền"));

        // An older dossier imported with its own code, carried over into the period.
        Dossier old;
        old.code = "000.17.22.H56-250620-0003";
        old.procedure_code = "2.000001.H38";
        old.procedure_name = "Đăng ký khai sinh";
        old.field = "Tư pháp – Hộ tịch";
        old.received_at = local("2025-06-20 09:00");
        old.due_at = local("2025-06-25 17:00");
        old.processing_days = 3;
        old.applicant.name = "Lê Văn Tám";
        box.import(old);
        auto imported = box.dossiers.find(old.code);
        ASSERT_TRUE(imported.ok() && imported->has_value());
        auto o = **imported;
        box.change(o, dossier::transfer(o, local("2025-07-01 15:00"), "UBND xã", std::nullopt));

        // The next morning.
        box.store.open_day(box.engine, at(0, 1));
        box.run(box.engine.open(at(5, 1), 1, "cb.lan"));
        auto late = box.run(box.engine.issue(at(30, 1), "TP", "")).ticket;
        box.run(box.engine.call_next(at(90, 1), 1));
        box.run(box.engine.done(at(500, 1), 1));
        box.rate(late, 1, "DD", 3, dossier::RatingSource::panel, 510 + 86400);
        box.run(box.engine.issue(at(600, 1), "TP", ""));
        box.run(box.engine.call_next(at(700, 1), 1));
        box.run(box.engine.no_show(at(800, 1), 1));
        box.change(d2, dossier::record_result(d2, local("2025-07-02 10:00"), {}));
        auto d4 = box.receive("1.004227.000.00.00.H56", "2025-07-02 09:00");
        box.change(d4, dossier::transfer(d4, local("2025-07-02 09:30"), "Văn phòng đăng ký đất đai", std::nullopt));
        box.change(d4, dossier::close(d4, local("2025-07-02 11:00"), dossier::Status::withdrawn, "Rút hồ sơ"));
    }

    std::vector<store::JournalRow> all_rows()
    {
        auto rows = box.store.journal->read(1, 1'000'000);
        EXPECT_TRUE(rows.ok());
        return rows ? *rows : std::vector<store::JournalRow>{};
    }

    dossier::ReportRecords box_records(const dossier::Period& p)
    {
        auto from = from_local(p.from, TimeOfDay{0}, tz);
        auto to = from_local(p.end().date, TimeOfDay{0}, tz);
        dossier::ReportRecords out;
        auto tickets = store::report_tickets(*box.store.db, from, to);
        auto dossiers = box.dossiers.for_report(p);
        auto ratings = store::report_ratings(*box.store.db, from, to);
        EXPECT_TRUE(tickets.ok() && dossiers.ok() && ratings.ok());
        out.tickets = *tickets;
        out.dossiers = *dossiers;
        out.ratings = *ratings;
        return out;
    }

    void expect_same_reports(const dossier::ReportRecords& central, const dossier::ReportRecords& mine,
                             const dossier::Period& p)
    {
        for (auto by : {dossier::GroupBy::none, dossier::GroupBy::field, dossier::GroupBy::procedure,
                        dossier::GroupBy::officer, dossier::GroupBy::counter, dossier::GroupBy::service,
                        dossier::GroupBy::hour})
            EXPECT_EQ(dossier::report_answer(central, p, by, {}, tz, "Xã Hòa Phú").dump(),
                      dossier::report_answer(mine, p, by, {}, tz, "Xã Hòa Phú").dump())
                << dossier::to_string(by);
    }
};

TEST_F(ProjectionTest, RowsProjectedInBatchesEqualTheBoxsOwnRecords)
{
    busy_office();
    auto rows = all_rows();
    ASSERT_GT(rows.size(), 50u);
    Central central;
    auto r = central.take_all(rows, 7);
    ASSERT_TRUE(r.ok()) << r.error().message;

    for (const auto& p : {two_days, dossier::Period{two_days.from, two_days.from}, dossier::Period{two_days.to, two_days.to}})
    {
        SCOPED_TRACE(format_date(p.from) + ".." + format_date(p.to));
        auto mine = box_records(p);
        auto projected = central.for_report(p, tz);
        EXPECT_EQ(sorted_json(projected.tickets, ticket_json), sorted_json(mine.tickets, ticket_json));
        EXPECT_EQ(by_code(projected.dossiers, true), by_code(mine.dossiers, true));
        EXPECT_EQ(sorted_json(projected.ratings, rating_json), sorted_json(mine.ratings, rating_json));
        expect_same_reports(projected, mine, p);
    }
    EXPECT_EQ(central.tickets.size(), 8u);
    EXPECT_EQ(central.ratings.size(), 4u);
    // The figures compared are not empty ones.
    auto total = dossier::report_answer(central.for_report(two_days, tz), two_days, dossier::GroupBy::none, {}, tz, "");
    EXPECT_EQ(total["queue"]["total"]["issued"], 8);
    EXPECT_EQ(total["queue"]["total"]["no_show"], 1);
    EXPECT_EQ(total["queue"]["total"]["served"], 4);
    EXPECT_EQ(total["dossiers"]["total"]["received"], 4);
    EXPECT_EQ(total["dossiers"]["total"]["carried_over"], 1);
    EXPECT_EQ(total["dossiers"]["total"]["refused"], 1);
    EXPECT_EQ(total["dossiers"]["total"]["withdrawn"], 1);
    EXPECT_EQ(total["dossiers"]["total"]["resolved"], 2);
    EXPECT_EQ(total["dossiers"]["total"]["apologies"], 1);
    EXPECT_EQ(total["satisfaction"]["total"]["votes"], 4);

    // Every dossier with its hand-offs, as the register holds it.
    auto held = box.dossiers.received_between(Date{std::chrono::year{2025}, std::chrono::June, std::chrono::day{1}},
                                               two_days.to);
    ASSERT_TRUE(held.ok());
    ASSERT_EQ(held->size(), 5u);
    std::vector<Dossier> projected;
    for (const auto& [code, d] : central.dossiers)
        projected.push_back(d);
    EXPECT_EQ(by_code(projected, false), by_code(*held, false));
    EXPECT_EQ(central.dossiers.at(held->front().code).handoffs.size(), 1u);
}

TEST_F(ProjectionTest, TheBatchSizeDoesNotMatter)
{
    busy_office();
    auto rows = all_rows();
    Central one_by_one, all_at_once;
    ASSERT_TRUE(one_by_one.take_all(rows, 1).ok());
    ASSERT_TRUE(all_at_once.take_all(rows, rows.size()).ok());
    std::vector<Dossier> a, b;
    for (const auto& [code, d] : one_by_one.dossiers)
        a.push_back(d);
    for (const auto& [code, d] : all_at_once.dossiers)
        b.push_back(d);
    EXPECT_EQ(by_code(a, false), by_code(b, false));
    expect_same_reports(one_by_one.for_report(two_days, tz), all_at_once.for_report(two_days, tz), two_days);
}

// The box's default upload: the applicant and notes replaced by a commitment, a correction
// of them by "[redacted]". The figures are the same; the central has no applicant.
TEST_F(ProjectionTest, RedactedRowsProjectToTheSameFiguresWithoutTheApplicant)
{
    busy_office();
    auto rows = all_rows();
    int redacted = 0;
    for (auto& row : rows)
    {
        if (row.kind != "dossier.received" && row.kind != "dossier.imported" && row.kind != "dossier.corrected")
            continue;
        auto payload = json::parse(row.payload);
        if (row.kind == "dossier.corrected")
        {
            if (!payload.at("field").get<std::string>().starts_with("applicant_"))
                continue;
            payload["old"] = "[redacted]";
            payload["new"] = "[redacted]";
        }
        else
        {
            payload["applicant"] = {{"redacted", std::string(64, 'c')}};
            payload["notes"] = {{"redacted", std::string(64, 'd')}};
        }
        row.payload = payload.dump();
        ++redacted;
    }
    ASSERT_EQ(redacted, 6); // 4 received, 1 imported, 1 correction of the name

    Central central;
    auto r = central.take_all(rows, 7);
    ASSERT_TRUE(r.ok()) << r.error().message;
    for (const auto& [code, d] : central.dossiers)
    {
        EXPECT_EQ(d.applicant.name, "") << code;
        EXPECT_EQ(d.applicant.id_number, "") << code;
        EXPECT_EQ(d.notes, "") << code;
    }
    auto mine = box_records(two_days);
    auto projected = central.for_report(two_days, tz);
    for (auto& d : mine.dossiers)
    {
        d.applicant = {};
        d.notes.clear();
    }
    EXPECT_EQ(by_code(projected.dossiers, true), by_code(mine.dossiers, true));
    expect_same_reports(projected, mine, two_days);
}

TEST_F(ProjectionTest, ARowItCannotUnderstandIsAnErrorNamingItsSeq)
{
    busy_office();
    auto rows = all_rows();

    // A call of a ticket whose issue the central never saw.
    std::vector<store::JournalRow> without_issue;
    for (const auto& row : rows)
        if (row.kind != "issued")
            without_issue.push_back(row);
    Records records;
    auto r = project(records, without_issue);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "projection_failed");
    EXPECT_THAT(r.error().message, HasSubstr("(called) cannot be projected: ticket"));
    EXPECT_THAT(r.error().message, HasSubstr("was never issued"));

    // A change whose payload does not read: its seq and the key.
    auto broken = rows;
    store::JournalRow* change = nullptr;
    for (auto& row : broken)
        if (row.kind == "dossier.apologized")
            change = &row;
    ASSERT_NE(change, nullptr);
    auto payload = json::parse(change->payload);
    payload["new_due"] = "soon";
    change->payload = payload.dump();
    Records fresh;
    r = project(fresh, broken);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("Journal row " + std::to_string(change->seq) + " (dossier.apologized)"));
    EXPECT_THAT(r.error().message, HasSubstr("new_due: must be a local time"));

    // The same rows twice: a ticket issued twice.
    Records twice;
    ASSERT_TRUE(project(twice, rows).ok());
    std::vector<store::JournalRow> again(rows.begin(), rows.begin() + 10);
    for (auto& row : again)
        row.seq += static_cast<std::int64_t>(rows.size());
    r = project(twice, again);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("was already issued"));

    // Out of order.
    std::vector<store::JournalRow> backwards{rows[3], rows[2]};
    Records empty;
    r = project(empty, backwards);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("increasing seq"));
}

Dossier imported_dossier(const char* code, const char* received)
{
    Dossier d;
    d.code = code;
    d.procedure_code = "2.000001.H38";
    d.procedure_name = "Đăng ký khai sinh";
    d.field = "Tư pháp – Hộ tịch";
    d.received_at = local(received);
    d.due_at = local("2025-07-04 17:00");
    d.processing_days = 3;
    return d;
}

// Chunked imports: a complete one counts, a failed one is gone (and may be imported again),
// a running one does not count yet — on the box and at the central alike.
TEST_F(ProjectionTest, ChunkedImportsCountOnlyOnceCompleteAsOnTheBox)
{
    busy_office();
    auto done = box.begin_import(3);
    box.import_chunk({imported_dossier("000.17.22.H56-250701-0101", "2025-07-01 10:00"),
                      imported_dossier("000.17.22.H56-250701-0102", "2025-07-01 10:05")}, done);
    box.import_chunk({imported_dossier("000.17.22.H56-250701-0103", "2025-07-01 10:10")}, done);
    box.finish_import(done, 3);
    auto bad = box.begin_import(2);
    box.import_chunk({imported_dossier("000.17.22.H56-250701-0201", "2025-07-01 11:00")}, bad);
    box.fail_import(bad);
    box.import({imported_dossier("000.17.22.H56-250701-0201", "2025-07-01 11:00")}); // the file again, fixed
    auto running = box.begin_import(5);
    box.import_chunk({imported_dossier("000.17.22.H56-250701-0301", "2025-07-01 12:00")}, running);

    Central central;
    auto r = central.take_all(all_rows(), 7);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(central.imports.at(done), ImportState::complete);
    EXPECT_EQ(central.imports.at(bad), ImportState::failed);
    EXPECT_EQ(central.imports.at(running), ImportState::running);
    EXPECT_FALSE(central.import_of.contains("000.17.22.H56-250701-0201")) << "imported again without an import";
    auto mine = box_records(two_days);
    auto projected = central.for_report(two_days, tz);
    EXPECT_EQ(mine.dossiers.size(), 9u);
    EXPECT_EQ(by_code(projected.dossiers, true), by_code(mine.dossiers, true));
    expect_same_reports(projected, mine, two_days);
}

TEST_F(ProjectionTest, RowsOfOtherKindsArePassedOver)
{
    Records records;
    store::JournalRow other;
    other.seq = 1;
    other.kind = "form.printed";
    other.payload = "not json";
    store::JournalRow marker;
    marker.seq = 2;
    marker.kind = "dossier.import_completed";
    marker.payload = R"({"import":1,"rows":3})";
    ASSERT_TRUE(project(records, {other, marker}).ok());
    EXPECT_TRUE(records.tickets.empty());
    EXPECT_TRUE(records.dossiers.empty());
    EXPECT_TRUE(touched_by({other, marker}).dossiers.empty());
}

} // namespace
} // namespace motcua::central
