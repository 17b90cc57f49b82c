// motcua-bench-journal: durable issue (engine + journal + tickets projection, one
// transaction per ticket) against raw SQLite single-row INSERT+COMMIT with the same
// pragmas, and the fdatasync floor beneath both, in one directory on one filesystem.

#include "config/model.hpp"
#include "queue/engine.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "store/queue_rows.hpp"
#include "store/tickets.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <sqlite3.h>
#include <string>
#include <sys/statfs.h>
#include <unistd.h>
#include <vector>

namespace
{

using Clock = std::chrono::steady_clock;

struct Figures
{
    double per_second = 0;
    double p50_us = 0;
    double p99_us = 0;
};

// Latencies of one kind of operation; throughput is operations over their summed time.
class Series
{
  public:
    explicit Series(int n) { us_.reserve(static_cast<std::size_t>(n)); }

    template <class Op> void time(const char* what, Op&& op)
    {
        auto t0 = Clock::now();
        if (!op())
        {
            std::fprintf(stderr, "%s failed\n", what);
            std::exit(1);
        }
        us_.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }

    Figures figures()
    {
        std::sort(us_.begin(), us_.end());
        double total = 0;
        for (double v : us_)
            total += v;
        auto pct = [&](double p)
        {
            return us_[std::min(us_.size() - 1,
                                static_cast<std::size_t>(p * static_cast<double>(us_.size())))];
        };
        return Figures{static_cast<double>(us_.size()) / (total / 1e6), pct(0.50), pct(0.99)};
    }

  private:
    std::vector<double> us_;
};

void print(const char* name, const Figures& f)
{
    std::printf("  %-40s %9.0f /s   p50 %8.1f us   p99 %8.1f us\n", name, f.per_second, f.p50_us,
                f.p99_us);
}

std::string filesystem_of(const std::string& dir)
{
    struct statfs s
    {
    };
    if (statfs(dir.c_str(), &s) != 0)
        return "unknown";
    switch (static_cast<unsigned long>(s.f_type))
    {
    case 0xEF53:
        return "ext2/3/4";
    case 0x01021994:
        return "tmpfs (fsync costs nothing: figures are not those of a disk)";
    case 0x58465342:
        return "xfs";
    case 0x9123683E:
        return "btrfs";
    case 0x794C7630:
        return "overlayfs";
    default:
    {
        char buf[32];
        std::snprintf(buf, sizeof buf, "magic 0x%lx", static_cast<unsigned long>(s.f_type));
        return buf;
    }
    }
}

// The floor: rewrite one 4 KiB page in place and fdatasync it (no file growth, no
// metadata), the least any durable commit costs on this disk.
class Floor
{
  public:
    explicit Floor(const std::string& dir) : page_(4096, 'x')
    {
        fd_ = ::open((dir + "/fdatasync.bin").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd_ < 0 || ::pwrite(fd_, page_.data(), page_.size(), 0) != 4096 || ::fsync(fd_) != 0)
        {
            std::perror("fdatasync file");
            std::exit(1);
        }
    }
    ~Floor() { ::close(fd_); }
    Floor(const Floor&) = delete;
    Floor& operator=(const Floor&) = delete;

    bool once()
    {
        page_[0] = static_cast<char>(page_[0] + 1);
        return ::pwrite(fd_, page_.data(), page_.size(), 0) == 4096 && ::fdatasync(fd_) == 0;
    }

  private:
    int fd_ = -1;
    std::vector<char> page_;
};

bool raw_exec(sqlite3* db, const char* sql)
{
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK)
        return true;
    std::fprintf(stderr, "%s: %s\n", sql, err ? err : "error");
    sqlite3_free(err);
    return false;
}

// Raw SQLite: the same pragmas, one row of about a journal row's size per transaction.
class RawSqlite
{
  public:
    explicit RawSqlite(const std::string& dir) : payload_(200, 'p')
    {
        if (sqlite3_open((dir + "/raw.db").c_str(), &db_) != SQLITE_OK ||
            !raw_exec(db_,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                      "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)") ||
            sqlite3_prepare_v2(db_, "INSERT INTO t (payload) VALUES (?)", -1, &insert_, nullptr) !=
                SQLITE_OK)
            std::exit(1);
    }
    ~RawSqlite()
    {
        sqlite3_finalize(insert_);
        sqlite3_close(db_);
    }
    RawSqlite(const RawSqlite&) = delete;
    RawSqlite& operator=(const RawSqlite&) = delete;

    bool once()
    {
        if (!raw_exec(db_, "BEGIN IMMEDIATE"))
            return false;
        sqlite3_bind_text(insert_, 1, payload_.data(), static_cast<int>(payload_.size()),
                          SQLITE_STATIC);
        bool ok = sqlite3_step(insert_) == SQLITE_DONE;
        sqlite3_reset(insert_);
        return ok && raw_exec(db_, "COMMIT");
    }

  private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
    std::string payload_;
};

motcua::config::Config one_service_office()
{
    motcua::config::Config cfg;
    cfg.office.name = "Bench office";
    cfg.office.unit_code = "000.00.00.H00";
    cfg.services = {{"TP", 1, "Tư pháp – Hộ tịch", "Tư pháp", 1, 1'000'000, "TP-", std::nullopt}};
    cfg.counters = {{1, "Quầy 1", {"TP"}}};
    return cfg;
}

// What motcuad does for `issue`: decide, commit the journal row and the projection in one
// transaction, then apply the event to the engine.
class DurableIssue
{
  public:
    explicit DurableIssue(const std::string& dir) : cfg_(one_service_office()), engine_(cfg_)
    {
        auto opened = motcua::store::Database::open(dir + "/motcua.db");
        if (!opened)
        {
            std::fprintf(stderr, "%s\n", opened.error().message.c_str());
            std::exit(1);
        }
        db_ = std::move(*opened);
        journal_ = std::make_unique<motcua::store::Journal>(*db_);
        tickets_ = std::make_unique<motcua::store::Tickets>(*db_);
    }

    bool once()
    {
        auto now = motcua::now_from_clocks();
        if (auto roll = engine_.rollover(now); roll && !commit(*roll))
            return false;
        auto ev = engine_.issue(now, "TP", "");
        if (!ev)
        {
            std::fprintf(stderr, "%s\n", ev.error().message.c_str());
            return false;
        }
        return commit(*ev);
    }

    motcua::store::VerifyReport verify() { return journal_->verify(); }

  private:
    bool commit(const motcua::queue::Event& e)
    {
        auto r = db_->transaction(
            [&]() -> motcua::Result<void>
            {
                auto row = motcua::store::to_row(e);
                if (auto a = journal_->append(row); !a)
                    return a;
                return tickets_->apply(e);
            });
        if (!r)
        {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            return false;
        }
        engine_.apply(e);
        return true;
    }

    motcua::config::Config cfg_;
    motcua::queue::Engine engine_;
    std::unique_ptr<motcua::store::Database> db_;
    std::unique_ptr<motcua::store::Journal> journal_;
    std::unique_ptr<motcua::store::Tickets> tickets_;
};

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Durable issue throughput against raw SQLite INSERT+COMMIT"};
    int count = 2000;
    std::string parent = std::filesystem::temp_directory_path().string();
    bool keep = false;
    app.add_option("--count", count, "transactions per measurement")
        ->check(CLI::Range(1, 1'000'000));
    app.add_option("--dir", parent,
                   "directory to work in (put it on the disk the database will use)")
        ->check(CLI::ExistingDirectory);
    app.add_flag("--keep", keep, "keep the databases afterwards");
    CLI11_PARSE(app, argc, argv);

    std::string tmpl = parent + "/motcua-bench-XXXXXX";
    if (!::mkdtemp(tmpl.data()))
    {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = tmpl;
    std::printf("motcua-bench-journal: %d transactions each in %s (%s)\n", count, dir.c_str(),
                filesystem_of(dir).c_str());

    // Interleaved, so that the disk's other load weighs on the three alike.
    Series floor_s(count);
    Series raw_s(count);
    Series issue_s(count);
    {
        Floor floor(dir);
        RawSqlite raw(dir);
        DurableIssue issue(dir);
        for (int i = 0; i < count; ++i)
        {
            floor_s.time("fdatasync", [&] { return floor.once(); });
            raw_s.time("raw SQLite insert", [&] { return raw.once(); });
            issue_s.time("durable issue", [&] { return issue.once(); });
        }
        auto report = issue.verify();
        std::printf("  journal verify: %s, %lld rows\n", report.ok ? "ok" : report.reason.c_str(),
                    static_cast<long long>(report.rows));
    }
    auto floor = floor_s.figures();
    auto raw = raw_s.figures();
    auto issue = issue_s.figures();
    print("write 4 KiB + fdatasync (floor)", floor);
    print("raw SQLite INSERT+COMMIT (WAL, FULL)", raw);
    print("durable issue (engine+journal+tickets)", issue);
    double ratio = issue.per_second / raw.per_second;
    std::printf("  ratio durable issue / raw SQLite: %.2f (goal >= 0.80: %s)\n", ratio,
                ratio >= 0.8 ? "met" : "NOT met");

    if (!keep)
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    return 0;
}
