// motcua-bench-register: a busy centre's year (100,000 tickets, ratings, 50,000 dossiers)
// through the real programs. Measures `motcuactl dossier import` of the 50,000 dossiers
// (goal < 5 s) and the full `motcuactl report` over the year (goal < 500 ms), each beside
// its floor measured in the same run on the same filesystem: a `motcuactl status` round
// trip for any command, raw SQLite inserts of the same rows in one synchronous=FULL
// transaction for the import, and a raw scan of the rows the report reads.

#include "figures/document.hpp"
#include "figures/svg.hpp"
#include "figures/xlsx.hpp"
#include "process.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"

#include <CLI/CLI.hpp>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace
{

using Clock = std::chrono::steady_clock;
namespace chr = std::chrono;
using motcua::testing::Output;

double ms_since(Clock::time_point t0) { return chr::duration<double, std::milli>(Clock::now() - t0).count(); }

std::string local_text(chr::sys_days day, int minute_of_day)
{
    chr::year_month_day ymd{day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), minute_of_day / 60,
                  minute_of_day % 60);
    return buf;
}

std::string config_text(const std::string& source)
{
    return R"cfg(
[office]
name = "Trung tâm Phục vụ hành chính công (benchmark)"
unit_code = "000.17.22.H56"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 8999
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 9000
last = 9999
prefix = "DD-"

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["DD"]

[register]
database = "motcua.db"
calendar_dir = ")cfg" + source + R"cfg(/config/calendar"

[[register.procedure]]
code = "2.000001.H38"
name = "Đăng ký khai sinh"
field = "Tư pháp – Hộ tịch"
days = 3

[[register.procedure]]
code = "1.000948.H38"
name = "Chứng thực bản sao từ bản chính"
field = "Tư pháp – Hộ tịch"
same_day = true

[[register.procedure]]
code = "1.004227.000.00.00.H26"
name = "Cấp giấy chứng nhận quyền sử dụng đất"
field = "Đất đai"
days = 10
)cfg";
}

// Working days of 2025 by weekday only (the generator does not need the holidays).
std::vector<chr::sys_days> weekdays_2025()
{
    std::vector<chr::sys_days> days;
    for (auto d = chr::sys_days{chr::year{2025} / 1 / 2}; d < chr::sys_days{chr::year{2025} / 12 / 20}; d += chr::days{1})
        if (chr::weekday{d}.iso_encoding() <= 5)
            days.push_back(d);
    return days;
}

void fail(const std::string& what)
{
    std::fprintf(stderr, "motcua-bench-register: %s\n", what.c_str());
    std::exit(1);
}

void check(const motcua::Result<void>& r, const char* what)
{
    if (!r)
        fail(std::string(what) + ": " + r.error().message);
}

// 100,000 tickets over the year's weekdays, two services, two counters; a rating for a
// share of them as "rating.given" journal rows, as the keypads will write them.
void seed_queue(motcua::store::Database& db, int tickets, int ratings)
{
    auto days = weekdays_2025();
    motcua::store::Journal journal(db);
    check(db.transaction([&]() -> motcua::Result<void> {
        auto& st = db.prepare("INSERT INTO tickets (id, business_day, service, issued_service, number, status, "
                              "issued_at, called_at, done_at, counter, officer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const int per_day = std::max(1, tickets / static_cast<int>(days.size()) + 1);
        for (int i = 0; i < tickets; ++i)
        {
            auto day = days[static_cast<std::size_t>(i / per_day) % days.size()];
            int n = i % per_day;
            bool tp = n % 3 != 0;
            auto issued = chr::sys_time<chr::milliseconds>{day} + chr::hours{1} + chr::seconds{n * 60 + i % 17};
            auto called = issued + chr::seconds{120 + (i * 37) % 1500};
            auto done = called + chr::seconds{180 + (i * 53) % 900};
            bool no_show = i % 25 == 0;
            chr::year_month_day ymd{day};
            char bd[16];
            std::snprintf(bd, sizeof bd, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                          static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
            st.bind(1, static_cast<std::int64_t>(i + 1)).bind(2, bd).bind(3, tp ? "TP" : "DD").bind(4, tp ? "TP" : "DD");
            st.bind(5, n + 1).bind(6, no_show ? "no_show" : "done").bind(7, issued.time_since_epoch().count());
            st.bind(8, called.time_since_epoch().count());
            if (no_show)
                st.bind(9, nullptr);
            else
                st.bind(9, done.time_since_epoch().count());
            st.bind(10, tp ? 1 : 2).bind(11, tp ? "cb-hoa" : "cb-nam");
            if (auto r = st.run(); !r)
                return r;
        }
        for (int i = 0; i < ratings; ++i)
        {
            int ticket = 1 + static_cast<int>((static_cast<long long>(i) * tickets) / std::max(1, ratings));
            bool tp = ((ticket - 1) % std::max(1, tickets / static_cast<int>(days.size()) + 1)) % 3 != 0;
            int score = i % 20 == 0 ? 1 : (i % 3 == 0 ? 2 : 3);
            motcua::store::JournalRow row;
            row.kind = "rating.given";
            row.wall = chr::sys_time<chr::milliseconds>{days[static_cast<std::size_t>(i) % days.size()]} + chr::hours{3};
            row.counter = tp ? 1 : 2;
            row.officer = tp ? "cb-hoa" : "cb-nam";
            row.ticket = ticket;
            row.payload = std::string("{\"counter\":") + (tp ? "1" : "2") + ",\"field\":\"" +
                          (tp ? "Tư pháp – Hộ tịch" : "Đất đai") + "\",\"officer\":\"" + row.officer +
                          "\",\"score\":" + std::to_string(score) + ",\"service\":\"" + (tp ? "TP" : "DD") +
                          "\",\"ticket\":" + std::to_string(ticket) + "}";
            if (auto r = journal.append(row); !r)
                return r;
        }
        return {};
    }),
          "seeding the queue");
}

// The import file: dossiers over the year, a third online, most decided within a few days,
// some late, some still open; lifecycle columns as a register kept elsewhere would give.
std::string dossier_csv(int count)
{
    auto days = weekdays_2025();
    const char* procedures[] = {"2.000001.H38", "1.000948.H38", "1.004227.000.00.00.H26"};
    std::string csv = "received_at,procedure_code,applicant_name,channel,applicant_phone,applicant_address,"
                      "transferred_at,result_at,returned_at,notes\n";
    csv.reserve(static_cast<std::size_t>(count) * 200);
    for (int i = 0; i < count; ++i)
    {
        auto day = days[static_cast<std::size_t>(i) % days.size()];
        int minute = 7 * 60 + 30 + (i * 13) % (8 * 60);
        const char* proc = procedures[i % 3];
        std::string transferred, result, returned;
        if (i % 10 != 0)
        {
            transferred = local_text(day, std::min(minute + 30, 23 * 60));
            int later = i % 50 == 1 ? 20 : 1 + i % 3;
            result = local_text(day + chr::days{later}, 9 * 60);
            if (i % 2 == 0)
                returned = local_text(day + chr::days{later + 1}, 10 * 60);
        }
        csv += local_text(day, minute);
        csv += ',';
        csv += proc;
        csv += ",Nguyễn Văn Người Nộp Số " + std::to_string(i) + "," + (i % 3 == 0 ? "2" : (i % 7 == 0 ? "3" : "1")) +
               ",0912 345 " + std::to_string(100 + i % 900) + ",\"Thôn " + std::to_string(i % 20) +
               ", xã Thử Nghiệm, tỉnh Hà Nội\"," + transferred + "," + result + "," + returned + ",\n";
    }
    return csv;
}

// The floor of an import: the same number of rows of about the same width, inserted raw
// in one synchronous=FULL transaction (no parsing, no hash chain, no due dates).
double raw_insert_ms(const std::string& path, int count)
{
    auto db = motcua::store::Database::open(path, {});
    if (!db)
        fail(db.error().message);
    check((*db)->exec("CREATE TABLE raw (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT, d INTEGER, e INTEGER, "
                      "f INTEGER, g TEXT, h TEXT)"),
          "raw table");
    auto t0 = Clock::now();
    check((*db)->transaction([&]() -> motcua::Result<void> {
        auto& st = (*db)->prepare("INSERT INTO raw (a, b, c, d, e, f, g, h) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        for (int i = 0; i < count; ++i)
        {
            auto code = "000.17.22.H56-250102-" + std::to_string(1000 + i % 9000);
            st.bind(1, code).bind(2, "Nguyễn Văn Người Nộp Số " + std::to_string(i)).bind(3, "2.000001.H38");
            st.bind(4, i).bind(5, i + 7).bind(6, i + 9).bind(7, "Thôn 1, xã Thử Nghiệm").bind(8, std::string(400, 'x'));
            if (auto r = st.run(); !r)
                return r;
        }
        return {};
    }),
          "raw insert");
    return ms_since(t0);
}

// The floor of the report's reads: every ticket and dossier row of the year, scanned raw.
double raw_scan_ms(const std::string& path)
{
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    auto t0 = Clock::now();
    long long sink = 0;
    for (const char* sql : {"SELECT issued_at, called_at, done_at, status, service, counter, officer FROM tickets",
                            "SELECT * FROM dossiers", "SELECT * FROM dossier_supplements"})
    {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW)
            for (int c = 0; c < sqlite3_column_count(st); ++c)
                sink += sqlite3_column_bytes(st, c);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    if (sink < 0)
        std::puts("");
    return ms_since(t0);
}

// A consistent copy of the year's database while motcuad runs on it (VACUUM INTO reads
// one snapshot), for the console's report page benchmark.
void keep_year(const std::string& path, const std::string& copy)
{
    std::error_code ec;
    std::filesystem::remove(copy, ec);
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    char* sql = sqlite3_mprintf("VACUUM INTO %Q", copy.c_str());
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        fail(std::string("keeping the database: ") + (error ? error : "?"));
    sqlite3_close(db);
    std::printf("Kept the year's database: %s\n", copy.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"motcua-bench-register: the report and the import over a busy centre's year"};
    int tickets = 100000;
    int dossiers = 50000;
    int ratings = 30000;
    int runs = 5;
    app.add_option("--tickets", tickets, "Tickets in the year")->capture_default_str();
    app.add_option("--dossiers", dossiers, "Dossiers imported")->capture_default_str();
    app.add_option("--ratings", ratings, "Ratings in the year")->capture_default_str();
    app.add_option("--runs", runs, "Report runs (the best and the median are printed)")->capture_default_str();
    bool show_log = false;
    app.add_flag("--log", show_log, "Print motcuad's log at the end");
    std::string keep_database;
    app.add_option("--keep-database", keep_database,
                   "Copy the year's database here at the end (the console's report page benchmark loads it)");
    CLI11_PARSE(app, argc, argv);
    ratings = std::min(ratings, tickets);

    const char* src_env = std::getenv("MOTCUA_SOURCE_DIR");
    const std::string source = src_env && *src_env ? src_env : MOTCUA_SOURCE_DIR_DEFAULT;
    const char* bin_env = std::getenv("MOTCUA_BIN_DIR");
    motcua::testing::TempDir dir;
    dir.write("office.toml", config_text(source));
    const auto db_path = dir.file("motcua.db");

    std::printf("Seeding %d tickets and %d ratings into %s …\n", tickets, ratings, dir.path().c_str());
    {
        auto db = motcua::store::Database::open(db_path);
        if (!db)
            fail(db.error().message);
        seed_queue(**db, tickets, ratings);
    }
    dir.write("year.csv", dossier_csv(dossiers));
    const auto exe_dir = std::filesystem::canonical("/proc/self/exe").parent_path().string();
    const std::string bindir = bin_env && *bin_env ? bin_env : exe_dir;

    motcua::testing::Child daemon({bindir + "/motcuad", "--config", dir.file("office.toml"), "--state-dir", dir.path(),
                                   "--socket", dir.file("control.sock")},
                                  dir.file("motcuad.log"));
    if (!motcua::testing::wait_for_socket(dir.file("control.sock"), chr::seconds(20)))
        fail("motcuad did not start: " + motcua::testing::read_file(dir.file("motcuad.log")));
    auto ctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {bindir + "/motcuactl", "--socket", dir.file("control.sock")});
        return motcua::testing::run(args, chr::seconds(600));
    };

    // Floor of any command: one motcuactl process and one round trip.
    std::vector<double> floor_runs;
    for (int i = 0; i < std::max(3, runs); ++i)
    {
        auto t0 = Clock::now();
        if (ctl({"status"}).exit_code != 0)
            fail("motcuactl status failed");
        floor_runs.push_back(ms_since(t0));
    }
    std::sort(floor_runs.begin(), floor_runs.end());

    auto t0 = Clock::now();
    auto imp = ctl({"dossier", "import", dir.file("year.csv")});
    double import_ms = ms_since(t0);
    if (imp.exit_code != 0)
        fail("import failed: " + imp.err);
    double raw_ms = raw_insert_ms(dir.file("raw.db"), dossiers);

    std::vector<double> report_runs, grouped_runs;
    Output last;
    for (int i = 0; i < runs; ++i)
    {
        t0 = Clock::now();
        last = ctl({"--json", "report", "--from", "2025-01-01", "--to", "2025-12-31"});
        report_runs.push_back(ms_since(t0));
        if (last.exit_code != 0)
            fail("report failed: " + last.err);
        t0 = Clock::now();
        if (ctl({"--json", "report", "--from", "2025-01-01", "--to", "2025-12-31", "--by", "officer"}).exit_code != 0)
            fail("grouped report failed");
        grouped_runs.push_back(ms_since(t0));
    }
    std::sort(report_runs.begin(), report_runs.end());
    std::sort(grouped_runs.begin(), grouped_runs.end());
    if (!keep_database.empty())
        keep_year(db_path, keep_database);

    // The exports (report.export): end to end through motcuactl, which runs the report once
    // per grouping; and the rendering alone, in this process, from the same answers.
    const std::string from = "2025-01-01", to = "2025-12-31";
    std::vector<double> xlsx_runs, csv_runs, svg_runs;
    for (int i = 0; i < runs; ++i)
    {
        t0 = Clock::now();
        if (ctl({"report", "--from", from, "--to", to, "--xlsx", dir.file("year.xlsx")}).exit_code != 0)
            fail("xlsx export failed");
        xlsx_runs.push_back(ms_since(t0));
        t0 = Clock::now();
        if (ctl({"report", "--from", from, "--to", to, "--csv", dir.file("year.csv.out")}).exit_code != 0)
            fail("csv export failed");
        csv_runs.push_back(ms_since(t0));
        t0 = Clock::now();
        for (const char* chart : {"dossiers", "satisfaction", "hourly"})
            if (ctl({"report", "--from", from, "--to", to, "--svg", dir.file("year.svg"), "--chart", chart}).exit_code != 0)
                fail(std::string("svg export failed: ") + chart);
        svg_runs.push_back(ms_since(t0));
    }
    std::vector<nlohmann::json> answers;
    for (const auto& by : motcua::figures::groupings_for_document("field"))
    {
        auto out = ctl({"--json", "report", "--from", from, "--to", to, "--by", by});
        if (out.exit_code != 0)
            fail("report --by " + by + " failed");
        answers.push_back(nlohmann::json::parse(out.out));
    }
    auto reports = motcua::figures::Reports::from(answers);
    if (!reports)
        fail(reports.error().message);
    std::vector<double> render_xlsx, render_svg;
    std::size_t xlsx_bytes = 0;
    for (int i = 0; i < std::max(3, runs); ++i)
    {
        t0 = Clock::now();
        auto book = motcua::figures::xlsx(motcua::figures::document(*reports));
        render_xlsx.push_back(ms_since(t0));
        if (!book)
            fail(book.error().message);
        xlsx_bytes = book->size();
        t0 = Clock::now();
        for (const auto& kind : motcua::figures::chart_kinds())
            if (!motcua::figures::svg_chart(*reports, kind.name))
                fail("chart failed");
        render_svg.push_back(ms_since(t0));
    }
    for (auto* v : {&xlsx_runs, &csv_runs, &svg_runs, &render_xlsx, &render_svg})
        std::sort(v->begin(), v->end());
    double scan_ms = raw_scan_ms(db_path);
    daemon.signal(SIGTERM);
    daemon.wait(chr::seconds(10));

    auto median = [](const std::vector<double>& v) { return v[v.size() / 2]; };
    std::printf("\nYear: %d tickets, %d ratings, %d dossiers (CSV %.1f MB)\n", tickets, ratings, dossiers,
                static_cast<double>(motcua::testing::read_file(dir.file("year.csv")).size()) / 1e6);
    std::printf("%-44s %10s %10s %12s\n", "", "measured", "goal", "floor");
    std::printf("%-44s %8.0f ms %8s %9.0f ms  (raw SQLite insert of the same rows, one FULL commit)\n",
                "motcuactl dossier import (all rows)", import_ms, "< 5000 ms", raw_ms);
    std::printf("%-44s %8.0f ms %8s %9.1f ms  (motcuactl status round trip)\n", "motcuactl report, year (best)",
                report_runs.front(), "< 500 ms", floor_runs.front());
    std::printf("%-44s %8.0f ms %8s %9.1f ms  (raw scan of tickets + dossiers)\n", "motcuactl report, year (median)",
                median(report_runs), "< 500 ms", scan_ms);
    std::printf("%-44s %8.0f ms %8s\n", "motcuactl report --by officer (median)", median(grouped_runs), "< 500 ms");
    std::printf("%-44s %8.0f ms %8s %9.0f ms  (six separate report runs at the median above)\n",
                "motcuactl report --xlsx, year (median)", median(xlsx_runs), "", 6 * median(grouped_runs));
    std::printf("%-44s %8.0f ms\n", "motcuactl report --csv, year (median)", median(csv_runs));
    std::printf("%-44s %8.0f ms %8s %9.0f ms  (three separate report runs)\n", "motcuactl report --svg, 3 charts (median)",
                median(svg_runs), "", 3 * median(grouped_runs));
    std::printf("%-44s %8.1f ms  (%zu bytes, 7 sheets; rendering only, from the answers)\n",
                "figures::xlsx, year's workbook (median)", median(render_xlsx), xlsx_bytes);
    std::printf("%-44s %8.2f ms  (rendering only)\n", "figures::svg_chart, 3 charts (median)", median(render_svg));
    std::printf("Report answer: %zu bytes of JSON\n", last.out.size());
    if (show_log)
        std::printf("\nmotcuad's log:\n%s", motcua::testing::read_file(dir.file("motcuad.log")).c_str());
    return 0;
}
