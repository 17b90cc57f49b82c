// motcua-bench-start-check: what the journal check costs a start on a large journal.
// Builds a journal of --rows rows (the bulk: other modules' rows of past days; the last
// --today rows: today's queue), then times
//   1. the check without a checkpoint (every row: read, SHA-256, link),
//   2. the check from a checkpoint at the end, covering today's rows,
//   3. motcuad itself, spawn -> control socket answering, without and with the checkpoint
//      (when motcuad is found beside this program),
// beside the physical floor measured in the same run: reading every row without hashing,
// and SHA-256 over the same canonical bytes.

#include "process.hpp"
#include "store/checkpoint.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "util/sha256.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>

namespace
{

using Clock = std::chrono::steady_clock;
using motcua::Result;
namespace store = motcua::store;

double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void die(const std::string& what)
{
    std::fprintf(stderr, "%s\n", what.c_str());
    std::exit(1);
}

void build(store::Database& db, store::Journal& journal, long rows, long today)
{
    const long bulk = rows - today;
    const std::int64_t day_ms = 86'400'000;
    const std::int64_t start_ms = 1751331600000; // 2025-07-01 08:00 +07:00
    long done = 0;
    while (done < rows)
    {
        auto r = db.transaction(
            [&]() -> Result<void>
            {
                for (int i = 0; i < 20000 && done < rows; ++i, ++done)
                {
                    store::JournalRow row;
                    if (done < bulk)
                    {
                        row.kind = "rating.given";
                        row.wall =
                            motcua::WallTime{std::chrono::milliseconds{start_ms + done * 1000}};
                        row.counter = 1 + static_cast<int>(done % 8);
                        row.payload = R"({"counter":)" + std::to_string(row.counter) +
                                      R"(,"score":4,"ticket":)" + std::to_string(done) +
                                      R"(,"window_s":30})";
                    }
                    else
                    {
                        const long n = done - bulk;
                        row.kind = n == 0 ? "day_opened" : "issued";
                        row.wall = motcua::WallTime{
                            std::chrono::milliseconds{start_ms + 400 * day_ms + n * 1000}};
                        row.ticket = n == 0 ? 0 : 10'000'000 + n;
                        row.payload = n == 0 ? std::string(R"({"business_day":"2026-08-05"})")
                                             : R"({"business_day":"2026-08-05","number":)" +
                                                   std::to_string(n) + R"(,"service":"TP"})";
                    }
                    if (auto a = journal.append(row); !a)
                        return a;
                }
                return {};
            });
        if (!r)
            die("building the journal: " + r.error().message);
    }
}

// The floor: every row's columns read (no hashing), and SHA-256 over as many canonical
// forms of the same size as the rows have.
std::pair<double, double> floors(store::Database& db)
{
    auto t0 = Clock::now();
    auto& st = db.prepare("SELECT seq, kind, wall_ms, mono_ns, counter, officer, ticket, payload, "
                          "prev_hash, hash FROM journal WHERE seq >= ? ORDER BY seq");
    st.bind(1, std::int64_t{1});
    std::size_t bytes = 0;
    std::size_t rows = 0;
    store::JournalRow last;
    auto r = st.each_row(
        [&](const store::Statement& s)
        {
            last.seq = s.column_int64(0);
            last.kind = s.column_text(1);
            last.wall = motcua::WallTime{std::chrono::milliseconds{s.column_int64(2)}};
            last.mono_ns = s.column_int64(3);
            last.counter = static_cast<int>(s.column_int64(4));
            last.officer = s.column_text(5);
            last.ticket = s.column_int64(6);
            last.payload = s.column_text(7);
            last.prev_hash = s.column_text(8);
            last.hash = s.column_text(9);
            bytes += last.payload.size();
            ++rows;
        });
    if (!r)
        die(r.error().message);
    const double read_ms = ms_since(t0);
    const auto canonical = store::Journal::canonical(last);
    t0 = Clock::now();
    std::size_t sink = bytes;
    for (std::size_t i = 0; i < rows; ++i)
        sink += static_cast<unsigned char>(motcua::sha256_hex(canonical)[0]);
    const double hash_ms = ms_since(t0);
    if (sink == 1)
        std::printf(" ");
    return {read_ms, hash_ms};
}

const char* office = R"(
[office]
name = "Bench"
unit_code = "000.00.00.H99"
[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 8999
prefix = "TP-"
[[counter]]
number = 1
services = ["TP"]
[register]
database = "motcua.db"
)";

// Spawn -> socket answering; the daemon's own "Journal checked ... ms=" figure.
std::pair<double, std::string> daemon_start(const std::string& bin, motcua::testing::TempDir& dir)
{
    auto t0 = Clock::now();
    motcua::testing::Child d({bin + "/motcuad", "--config", dir.file("office.toml"), "--state-dir",
                              dir.path(), "--socket", dir.file("s")},
                             dir.file("motcuad.log"));
    if (!motcua::testing::wait_for_socket(dir.file("s"), std::chrono::seconds(120)))
        die("motcuad did not start:\n" + motcua::testing::read_file(dir.file("motcuad.log")));
    const double ms = ms_since(t0);
    d.signal(SIGTERM);
    d.wait(std::chrono::seconds(60));
    auto log = motcua::testing::read_file(dir.file("motcuad.log"));
    std::string line;
    if (auto at = log.rfind("Journal checked "); at != std::string::npos)
        line = log.substr(at, log.find('\n', at) - at);
    std::filesystem::remove(dir.file("motcuad.log"));
    return {ms, line};
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App cli{
        "motcua-bench-start-check: the journal check at start, with and without a checkpoint"};
    long rows = 1'000'000;
    long today = 500;
    std::string bin;
    cli.add_option("--rows", rows, "Rows in the journal")->capture_default_str();
    cli.add_option("--today", today, "Rows of the current business day (the replayed ones)")
        ->capture_default_str();
    cli.add_option("--bin", bin,
                   "Directory holding motcuad (default: beside this program, then none)");
    CLI11_PARSE(cli, argc, argv);
    today = std::max(1L, std::min(today, rows));

    motcua::testing::TempDir dir;
    dir.write("office.toml", office);
    const auto path = dir.file("motcua.db");
    auto opened = store::Database::open(path);
    if (!opened)
        die(opened.error().message);
    auto& db = **opened;
    store::Journal journal(db);
    auto t0 = Clock::now();
    build(db, journal, rows, today);
    std::printf("journal: %ld rows (%ld of today), built in %.0f ms, %.1f MB\n", rows, today,
                ms_since(t0), static_cast<double>(std::filesystem::file_size(path)) / 1e6);

    store::Checkpoints checkpoints(db);
    const std::int64_t cover_from = rows - today + 1; // the day_opened row
    t0 = Clock::now();
    auto full = checkpoints.check(journal, cover_from);
    const double full_ms = ms_since(t0);
    if (!full || !full->intact)
        die("the built journal does not check");
    if (auto r = checkpoints.save(full->end); !r)
        die(r.error().message);
    t0 = Clock::now();
    auto quick = checkpoints.check(journal, cover_from);
    const double quick_ms = ms_since(t0);
    auto [read_ms, hash_ms] = floors(db);

    std::printf("check without checkpoint: %8.1f ms  (%lld rows)\n", full_ms,
                static_cast<long long>(full->rows));
    std::printf("check with checkpoint:    %8.1f ms  (%lld rows: today's and the checkpoint's)\n",
                quick_ms, static_cast<long long>(quick->rows));
    std::printf("floor, every row:         %8.1f ms  (read %.1f ms + SHA-256 %.1f ms)\n",
                read_ms + hash_ms, read_ms, hash_ms);

    if (bin.empty() && std::filesystem::exists(motcua::testing::program_dir() + "/motcuad"))
        bin = motcua::testing::program_dir();
    if (bin.empty())
    {
        std::printf(
            "motcuad not found beside this program (--bin DIR): daemon start not measured\n");
        return 0;
    }
    opened->reset(); // close: the daemon owns the database now
    auto [with_ms, with_line] = daemon_start(bin, dir);
    {
        auto again = store::Database::open(path);
        if (!again || !(*again)->exec("DELETE FROM journal_checkpoint").ok())
            die("cannot remove the checkpoint");
    }
    auto [without_ms, without_line] = daemon_start(bin, dir);
    std::printf("motcuad spawn -> socket, without checkpoint: %8.1f ms  [%s]\n", without_ms,
                without_line.c_str());
    std::printf("motcuad spawn -> socket, with checkpoint:    %8.1f ms  [%s]\n", with_ms,
                with_line.c_str());
    return 0;
}
