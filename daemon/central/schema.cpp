#include "central/schema.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>

namespace motcua::central
{

namespace
{

struct Migration
{
    int version;
    const char* name;
    const char* sql;
};

const Migration migrations[] = {
    {1, "sites, chain, rows, projections, quarantine, alerts", R"sql(
CREATE TABLE sites (
    code            text PRIMARY KEY,
    name            text NOT NULL DEFAULT '',
    cert_serial     text,
    cert_sha256     text,
    added_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    stored_through  bigint NOT NULL DEFAULT 0,
    last_hash       text NOT NULL DEFAULT repeat('0', 64),
    last_upload     timestamptz,
    context         jsonb,
    context_hash    text NOT NULL DEFAULT ''
);
CREATE TABLE chain (
    site      text   NOT NULL REFERENCES sites (code),
    seq       bigint NOT NULL,
    hash      text   NOT NULL,
    PRIMARY KEY (site, seq)
);
CREATE TABLE journal_rows (
    site      text    NOT NULL,
    seq       bigint  NOT NULL,
    kind      text    NOT NULL,
    wall_ms   bigint  NOT NULL,
    mono_ns   bigint  NOT NULL,
    counter   integer NOT NULL,
    officer   text    NOT NULL,
    ticket    bigint  NOT NULL,
    payload   text    NOT NULL,
    prev_hash text    NOT NULL,
    hash      text    NOT NULL,
    scheme    smallint NOT NULL,
    redacted  boolean NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (wall_ms);
CREATE TABLE journal_rows_other PARTITION OF journal_rows DEFAULT;
CREATE INDEX journal_rows_site_seq ON journal_rows (site, seq);
CREATE TABLE tickets (
    site       text    NOT NULL,
    id         bigint  NOT NULL,
    issued_at  bigint  NOT NULL,
    called_at  bigint,
    done_at    bigint,
    no_show    boolean NOT NULL DEFAULT false,
    service    text    NOT NULL,
    counter    integer NOT NULL DEFAULT 0,
    officer    text    NOT NULL DEFAULT '',
    PRIMARY KEY (site, id)
);
CREATE INDEX tickets_site_issued ON tickets (site, issued_at);
CREATE TABLE dossiers (
    site          text   NOT NULL,
    code          text   NOT NULL,
    received_min  bigint NOT NULL,
    finished_min  bigint,
    import_id     bigint,               -- a chunked import's dossier: counted once it is complete
    record        text   NOT NULL,
    PRIMARY KEY (site, code)
);
CREATE TABLE imports (
    site   text   NOT NULL,
    id     bigint NOT NULL,
    state  text   NOT NULL CHECK (state IN ('running', 'complete', 'failed')),
    PRIMARY KEY (site, id)
);
CREATE INDEX dossiers_site_received ON dossiers (site, received_min);
CREATE TABLE ratings (
    id       bigserial PRIMARY KEY,       -- stored once: its journal row is (chain)
    site     text    NOT NULL,
    at_ms    bigint  NOT NULL,
    counter  integer NOT NULL,
    officer  text    NOT NULL,
    field    text    NOT NULL,
    service  text    NOT NULL,
    vote     smallint NOT NULL,
    source   text    NOT NULL
);
CREATE INDEX ratings_site_at ON ratings (site, at_ms);
CREATE TABLE quarantine (
    id          bigserial PRIMARY KEY,
    site        text   NOT NULL,
    seq         bigint NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    reason      text   NOT NULL,
    row_json    text   NOT NULL
);
CREATE TABLE alerts (
    id              bigserial PRIMARY KEY,
    site            text   NOT NULL,
    seq             bigint NOT NULL,
    kind            text   NOT NULL,
    message         text   NOT NULL,
    raised_at       timestamptz NOT NULL DEFAULT now(),
    last_seen       timestamptz NOT NULL DEFAULT now(),
    times           integer NOT NULL DEFAULT 1,
    acknowledged_at timestamptz,
    UNIQUE (site, seq, kind)
);
)sql"},
};

std::string month_name(int y, unsigned m)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "journal_rows_%04d_%02u", y, m);
    return buf;
}

std::int64_t ms_at(std::chrono::year_month_day d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days{d}.time_since_epoch()).count();
}

} // namespace

Result<int> migrate(pg::Connection& db)
{
    if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT "
                         "NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        !r)
        return r.error();
    int version = 0;
    for (const auto& m : migrations)
    {
        Result<void> applied = db.transaction([&]() -> Result<void> {
            // One migrator at a time, even with two services started together.
            if (auto r = db.exec("LOCK TABLE schema_migrations IN EXCLUSIVE MODE"); !r)
                return r.error();
            auto done = db.exec("SELECT 1 FROM schema_migrations WHERE version = $1", {std::to_string(m.version)});
            if (!done)
                return done.error();
            if (done->size() > 0)
                return {};
            if (auto r = db.exec(m.sql); !r)
                return r.error();
            if (auto r = db.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                 {std::to_string(m.version), std::string(m.name)});
                !r)
                return r.error();
            return {};
        });
        if (!applied)
            return make_error(applied.error().code, "migration " + std::to_string(m.version) + " (" + m.name +
                                                        ") failed: " + applied.error().message);
        version = m.version;
    }
    return version;
}

Result<void> ensure_month_partition(pg::Connection& db, std::int64_t wall_ms)
{
    using namespace std::chrono;
    // Months a process has made or seen: one statement per new month, not per batch.
    static std::mutex mutex;
    static std::set<std::string> known;
    const auto day = floor<days>(sys_time<milliseconds>(milliseconds(wall_ms)));
    const year_month_day ymd{day};
    if (ymd.year() < year(2000) || ymd.year() > year(2199))
        return {}; // a clock gone wrong: the DEFAULT partition takes it
    const auto first = ymd.year() / ymd.month() / 1;
    const auto next = first + months(1);
    const auto name = month_name(int(ymd.year()), unsigned(ymd.month()));
    {
        std::lock_guard lock(mutex);
        if (known.contains(name))
            return {};
    }
    auto r = db.exec("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF journal_rows FOR VALUES FROM (" +
                     std::to_string(ms_at(first)) + ") TO (" + std::to_string(ms_at(year_month_day{next})) + ")");
    // Two ingesters making the same month at once: the loser's error means it exists.
    if (!r && !pg::is_unique_violation(r.error()) && r.error().code != "pg:42P07")
        return r.error();
    std::lock_guard lock(mutex);
    known.insert(name);
    return {};
}

} // namespace motcua::central
