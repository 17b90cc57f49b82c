#include "store/schema.hpp"

#include "store/accounts.hpp"
#include "store/dossiers.hpp"

namespace motcua::store
{

namespace
{

// Version 1: the hash-chained journal (docs/journal.md) and the tickets projection.
const Migration tickets_and_journal{
    1,
    "tickets and journal",
    {
        R"sql(
CREATE TABLE journal (
    seq       INTEGER PRIMARY KEY,          -- 1, 2, 3 … without gaps
    kind      TEXT    NOT NULL CHECK (kind <> ''),
    wall_ms   INTEGER NOT NULL,             -- wall clock, ms since the Unix epoch (UTC)
    mono_ns   INTEGER NOT NULL,             -- monotonic clock of the process, ns
    counter   INTEGER NOT NULL DEFAULT 0,   -- 0: no counter
    officer   TEXT    NOT NULL DEFAULT '',
    ticket    INTEGER NOT NULL DEFAULT 0,   -- 0: no ticket
    payload   TEXT    NOT NULL,             -- compact JSON object, kind-specific fields
    prev_hash TEXT    NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT    NOT NULL CHECK (length(hash) = 64)
))sql",
        "CREATE INDEX journal_kind ON journal (kind, seq)",
        "CREATE INDEX journal_ticket ON journal (ticket) WHERE ticket <> 0",
        R"sql(
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal rows are append-only');
END)sql",
        R"sql(
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal rows are append-only');
END)sql",
        R"sql(
CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,     -- the engine's ticket id, global
    business_day   TEXT    NOT NULL,        -- YYYY-MM-DD
    service        TEXT    NOT NULL,        -- the service it waits for now
    issued_service TEXT    NOT NULL,        -- the service whose number it carries
    number         INTEGER NOT NULL,
    priority       TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'waiting'
                   CHECK (status IN ('waiting', 'called', 'no_show', 'done', 'expired')),
    issued_at      INTEGER NOT NULL,        -- wall ms
    called_at      INTEGER,                 -- wall ms of the first call
    done_at        INTEGER,
    counter        INTEGER,                 -- the counter holding it, or last holding it
    officer        TEXT,
    recalls        INTEGER NOT NULL DEFAULT 0,
    print_state    TEXT    NOT NULL DEFAULT 'none'
                   CHECK (print_state IN ('none', 'printed', 'print_failed')),
    UNIQUE (business_day, issued_service, number)
))sql",
        "CREATE INDEX tickets_day_service ON tickets (business_day, service)",
        "CREATE INDEX tickets_status ON tickets (status, business_day)",
    },
};

// Version 4: the journal's verified checkpoint (store/checkpoint.hpp): one row.
const Migration journal_checkpoint{
    4,
    "journal checkpoint",
    {
        R"sql(
CREATE TABLE journal_checkpoint (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,                 -- rows 1..seq were verified
    hash TEXT    NOT NULL CHECK (length(hash) = 64) -- row seq's hash then
))sql",
    },
};

// Version 7: hash scheme 2 (store/journal_redaction.hpp). Rows written before keep scheme 1
// and verify as they always did.
const Migration journal_hash_scheme{
    7,
    "journal hash scheme",
    {
        "ALTER TABLE journal ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1 CHECK (scheme IN (1, 2))",
    },
};

// The journal's append-only triggers, as migration 1 created them, recreated when missing.
constexpr std::string_view journal_guards[][2] = {
    {"journal_no_update", R"sql(
CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal rows are append-only');
END)sql"},
    {"journal_no_delete", R"sql(
CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'journal rows are append-only');
END)sql"},
};

} // namespace

const std::vector<Migration>& schema_migrations()
{
    static const std::vector<Migration> list{tickets_and_journal, dossier_migration(), dossier_lifecycle_migration(),
                                            journal_checkpoint, accounts_migration(), dossier_receipt_migration(),
                                            journal_hash_scheme};
    return list;
}

Result<std::vector<std::string>> restore_journal_guards(Database& db)
{
    std::vector<std::string> restored;
    for (const auto& [name, sql] : journal_guards)
    {
        auto& st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?");
        st.bind(1, name);
        auto row = st.step();
        if (!row)
            return row.error();
        const bool present = *row && st.column_int64(0) > 0;
        st.reset();
        if (present)
            continue;
        if (auto r = db.exec(sql); !r)
            return r.error();
        restored.emplace_back(name);
    }
    return restored;
}

} // namespace motcua::store
