#pragma once

#include "config/model.hpp"
#include "process.hpp"
#include "queue/engine.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "store/queue_rows.hpp"
#include "store/tickets.hpp"

#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <sqlite3.h>
#include <string>

namespace motcua::store::testing
{

// A fresh directory from mkdtemp, removed with its contents at the end of the test.
using motcua::testing::TempDir;

inline std::unique_ptr<Database> open_ok(const std::string& path)
{
    auto db = Database::open(path);
    EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
    if (!db)
        throw std::runtime_error("cannot open " + path);
    return std::move(*db);
}

// A second, raw connection, as another process (or an attacker) would have.
class RawConnection
{
  public:
    explicit RawConnection(const std::string& path)
    {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
            throw std::runtime_error("sqlite3_open failed");
        sqlite3_busy_timeout(db_, 5000);
    }
    ~RawConnection() { sqlite3_close(db_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Returns "" on success, else SQLite's message.
    std::string exec(const std::string& sql)
    {
        char* err = nullptr;
        int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        std::string msg = rc == SQLITE_OK ? "" : (err ? err : "error");
        sqlite3_free(err);
        return msg;
    }
    std::string text(const std::string& sql)
    {
        sqlite3_stmt* st = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
        {
            const auto* p = sqlite3_column_text(st, 0);
            out = p ? reinterpret_cast<const char*>(p) : "";
        }
        sqlite3_finalize(st);
        return out;
    }

  private:
    sqlite3* db_ = nullptr;
};

// One office: two services, one priority class, two counters, built in code.
inline config::Config office()
{
    config::Config cfg;
    cfg.office.name = "Test office";
    cfg.office.unit_code = "000.00.00.H00";
    cfg.office.day_cutoff = TimeOfDay{3 * 60};
    cfg.services = {
        {"TP", 1, "Tư pháp – Hộ tịch", "Tư pháp", 1001, 1999, "TP-", std::nullopt},
        {"DD", 2, "Đất đai", "Đất đai", 2001, 2999, "DD-", std::nullopt},
    };
    cfg.priority_classes = {{"elderly", 1, "Người cao tuổi", "UT-"}};
    cfg.queue.policy = config::Policy::strict;
    cfg.counters = {{1, "Quầy 1", {"TP"}}, {2, "Quầy 2", {"DD", "TP"}}};
    return cfg;
}

// 2025-07-01 08:00 local (UTC+7) plus seconds, and days.
inline Now at(int seconds_after_8am, int day_offset = 0)
{
    using namespace std::chrono;
    auto base = from_local(Date{year{2025}, July, day{1}}, TimeOfDay{8 * 60}, UtcOffset{});
    auto wall = base + days{day_offset} + seconds{seconds_after_8am};
    return Now{wall,
               nanoseconds{(static_cast<long long>(day_offset) * 86400 + seconds_after_8am + 1000) *
                           1'000'000'000LL}};
}

// What the application does: commit the journal row and the projection in one
// transaction, then apply the event to the engine.
struct Store
{
    std::unique_ptr<Database> db;
    std::unique_ptr<Journal> journal;
    std::unique_ptr<Tickets> tickets;

    explicit Store(const std::string& path)
        : db(open_ok(path)), journal(std::make_unique<Journal>(*db)),
          tickets(std::make_unique<Tickets>(*db))
    {
    }

    Result<void> commit(const queue::Event& e)
    {
        return db->transaction(
            [&]() -> Result<void>
            {
                auto row = to_row(e);
                if (auto r = journal->append(row); !r)
                    return r;
                return tickets->apply(e);
            });
    }

    // Commits and applies a decided event.
    queue::Event run(queue::Engine& engine, const Result<queue::Event>& decided)
    {
        if (!decided)
            throw std::runtime_error("the engine refused: " + decided.error().message);
        auto ev = decided.value();
        auto r = commit(ev);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        engine.apply(ev);
        return ev;
    }

    // Commits and applies the day_opened event when `now` is in a new business day.
    void open_day(queue::Engine& engine, const Now& now)
    {
        if (auto roll = engine.rollover(now))
        {
            auto r = commit(*roll);
            EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
            engine.apply(*roll);
        }
    }
};

} // namespace motcua::store::testing
