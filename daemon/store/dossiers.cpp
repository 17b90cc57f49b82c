#include "store/dossiers.hpp"

#include "dossier/code.hpp"
#include "dossier/json.hpp"

#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include <unordered_map>

namespace motcua::store
{

namespace
{

using dossier::Dossier;
using motcua::LocalDateTime;
using json = nlohmann::json;

// Version 2: the dossier register. Times are local minutes (dossier::to_minutes).
const Migration register_tables{
    2,
    "dossier register",
    {
        R"sql(
CREATE TABLE dossiers (
    id               INTEGER PRIMARY KEY,
    code             TEXT    NOT NULL UNIQUE,   -- <unit>-YYMMDD-NNNN
    unit             TEXT    NOT NULL,          -- unit part of the code
    day              TEXT    NOT NULL,          -- receipt date of the code, YYYY-MM-DD
    sequence         INTEGER NOT NULL CHECK (sequence BETWEEN 1 AND 9999),
    book_no          INTEGER NOT NULL CHECK (book_no >= 1),  -- Quyển số
    year             INTEGER NOT NULL,
    row_no           INTEGER NOT NULL CHECK (row_no >= 1),   -- Số thứ tự in the book and year
    procedure_code   TEXT    NOT NULL,
    procedure_name   TEXT    NOT NULL DEFAULT '',
    field            TEXT    NOT NULL DEFAULT '',
    sets             INTEGER NOT NULL DEFAULT 1,
    applicant_name   TEXT    NOT NULL,
    applicant_address TEXT   NOT NULL DEFAULT '',
    applicant_phone  TEXT    NOT NULL DEFAULT '',
    applicant_id     TEXT    NOT NULL DEFAULT '',
    applicant_email  TEXT    NOT NULL DEFAULT '',
    receiving_unit   TEXT    NOT NULL DEFAULT '',
    deciding_agency  TEXT    NOT NULL DEFAULT '',
    officer          TEXT    NOT NULL DEFAULT '',
    counter          INTEGER NOT NULL DEFAULT 0,
    service          TEXT    NOT NULL DEFAULT '',
    channel          INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
    delivery         TEXT    NOT NULL CHECK (delivery IN ('desk', 'post', 'online')),
    waybill          TEXT    NOT NULL DEFAULT '',
    status           INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    submitted_at     INTEGER,
    received_at      INTEGER NOT NULL,
    due_at           INTEGER,
    processing_days  INTEGER,
    processing_hours INTEGER,
    same_day         INTEGER NOT NULL DEFAULT 0,
    transferred_at   INTEGER,
    result_at        INTEGER,
    returned_at      INTEGER,
    closed_at        INTEGER,
    ticket           INTEGER,
    notes            TEXT    NOT NULL DEFAULT '',
    UNIQUE (unit, day, sequence),
    UNIQUE (book_no, year, row_no)
))sql",
        "CREATE INDEX dossiers_received ON dossiers (received_at)",
        "CREATE UNIQUE INDEX dossiers_ticket ON dossiers (ticket) WHERE ticket IS NOT NULL",
        R"sql(
CREATE TABLE dossier_supplements (
    dossier      INTEGER NOT NULL REFERENCES dossiers (id),
    requested_at INTEGER NOT NULL,
    completed_at INTEGER,
    reason       TEXT    NOT NULL DEFAULT ''
))sql",
        "CREATE INDEX dossier_supplements_dossier ON dossier_supplements (dossier)",
        R"sql(
CREATE TABLE dossier_handoffs (
    dossier     INTEGER NOT NULL REFERENCES dossiers (id),
    from_desk   TEXT    NOT NULL,
    to_desk     TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    due         INTEGER,
    punctuality TEXT    CHECK (punctuality IN ('early', 'on_time', 'late')),
    note        TEXT    NOT NULL DEFAULT ''
))sql",
        "CREATE INDEX dossier_handoffs_dossier ON dossier_handoffs (dossier)",
        R"sql(
CREATE TABLE dossier_apologies (
    dossier INTEGER NOT NULL REFERENCES dossiers (id),
    at      INTEGER NOT NULL,
    new_due INTEGER NOT NULL,
    reason  TEXT    NOT NULL DEFAULT ''
))sql",
        "CREATE INDEX dossier_apologies_dossier ON dossier_apologies (dossier)",
        // The last sequence handed out per unit and day, and the last row per book and
        // year: counters, so a number is never handed out twice even if rows were lost.
        R"sql(
CREATE TABLE dossier_sequences (
    unit TEXT    NOT NULL,
    day  TEXT    NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit, day)
) WITHOUT ROWID)sql",
        R"sql(
CREATE TABLE dossier_books (
    book_no  INTEGER NOT NULL,
    year     INTEGER NOT NULL,
    last_row INTEGER NOT NULL,
    PRIMARY KEY (book_no, year)
) WITHOUT ROWID)sql",
        // Ratings are journal rows; the report reads them by kind and time.
        "CREATE INDEX journal_kind_wall ON journal (kind, wall_ms)",
    },
};

// Version 3: statuses 3/6/7/8 with their reasons, the supplement's missing documents and
// deadline, financial-obligation pauses, the QĐ 766 fields, and imports committed in
// chunks (rows of an import count only once its dossier_imports row is 'complete').
const Migration lifecycle_tables{
    3,
    "dossier lifecycle, QĐ 766 fields, chunked imports",
    {
        "ALTER TABLE dossiers ADD COLUMN close_reason TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE dossiers ADD COLUMN online INTEGER NOT NULL DEFAULT 0",            // 0 none, 1 partial, 2 full
        "ALTER TABLE dossiers ADD COLUMN online_payment INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE dossiers ADD COLUMN digitised INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE dossiers ADD COLUMN result_electronic INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE dossiers ADD COLUMN import_id INTEGER",                            // dossier_imports.id
        "CREATE INDEX dossiers_import ON dossiers (import_id) WHERE import_id IS NOT NULL",
        "ALTER TABLE dossier_supplements ADD COLUMN missing TEXT NOT NULL DEFAULT ''",  // one document per line
        "ALTER TABLE dossier_supplements ADD COLUMN deadline INTEGER",
        R"sql(
CREATE TABLE dossier_obligations (
    dossier    INTEGER NOT NULL REFERENCES dossiers (id),
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    reason     TEXT    NOT NULL DEFAULT ''
))sql",
        "CREATE INDEX dossier_obligations_dossier ON dossier_obligations (dossier)",
        R"sql(
CREATE TABLE dossier_imports (
    id         INTEGER PRIMARY KEY,
    actor      TEXT    NOT NULL DEFAULT '',
    started_ms INTEGER NOT NULL,
    rows       INTEGER NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('running', 'complete', 'failed'))
))sql",
    },
};

// Version 6: what the receipt slip (TT 03/2025/TT-VPCP Mẫu 01) lists besides the register
// columns: the documents received (one per line) and the fees due, as text.
const Migration receipt_columns{
    6,
    "receipt documents and fees",
    {
        "ALTER TABLE dossiers ADD COLUMN documents TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE dossiers ADD COLUMN fee TEXT NOT NULL DEFAULT ''",
    },
};

// Rows of an import still running (or failed and not yet removed) are not in the register.
constexpr std::string_view visible =
    "(dossiers.import_id IS NULL OR dossiers.import_id IN (SELECT id FROM dossier_imports WHERE state = 'complete'))";

std::string join_lines(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : "\n") + i;
    return out;
}

std::vector<std::string> split_lines(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (!text.empty() && pos <= text.size())
    {
        auto nl = text.find('\n', pos);
        out.push_back(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos)
            break;
        pos = nl + 1;
    }
    return out;
}

constexpr std::string_view columns =
    "id, code, book_no, row_no, procedure_code, procedure_name, field, sets, applicant_name, applicant_address, "
    "applicant_phone, applicant_id, applicant_email, receiving_unit, deciding_agency, officer, counter, service, "
    "channel, delivery, waybill, status, submitted_at, received_at, due_at, processing_days, processing_hours, "
    "same_day, transferred_at, result_at, returned_at, closed_at, ticket, notes, close_reason, online, "
    "online_payment, digitised, result_electronic, documents, fee";

std::int64_t minutes(LocalDateTime t) { return dossier::to_minutes(t); }

void bind_opt(Statement& st, int i, const std::optional<LocalDateTime>& t)
{
    if (t)
        st.bind(i, minutes(*t));
    else
        st.bind(i, nullptr);
}

void bind_opt(Statement& st, int i, const std::optional<int>& v)
{
    if (v)
        st.bind(i, *v);
    else
        st.bind(i, nullptr);
}

std::optional<LocalDateTime> opt_time(const Statement& st, int i)
{
    if (st.is_null(i))
        return std::nullopt;
    return dossier::from_minutes(st.column_int64(i));
}

std::optional<int> opt_int(const Statement& st, int i)
{
    if (st.is_null(i))
        return std::nullopt;
    return static_cast<int>(st.column_int64(i));
}

std::optional<dossier::Punctuality> punctuality_from(std::string_view s)
{
    for (auto p : {dossier::Punctuality::early, dossier::Punctuality::on_time, dossier::Punctuality::late})
        if (dossier::to_string(p) == s)
            return p;
    return std::nullopt;
}

Error at_line(std::span<const int> line_of, std::size_t i, Error e)
{
    if (i < line_of.size() && line_of[i] > 0)
        e.message = "line " + std::to_string(line_of[i]) + ": " + e.message;
    return e;
}

WallTime wall(std::int64_t ms) { return WallTime{std::chrono::milliseconds{ms}}; }

} // namespace

const Migration& dossier_migration() { return register_tables; }
const Migration& dossier_lifecycle_migration() { return lifecycle_tables; }
const Migration& dossier_receipt_migration() { return receipt_columns; }

Dossiers::Dossiers(Database& db, Journal& journal) : db_(db), journal_(journal) {}


Result<int> Dossiers::next_sequence(std::string_view unit, const std::string& day)
{
    auto& st = db_.prepare("INSERT INTO dossier_sequences (unit, day, last) VALUES (?, ?, 1) "
                           "ON CONFLICT (unit, day) DO UPDATE SET last = last + 1 RETURNING last");
    st.bind(1, unit).bind(2, day);
    auto row = st.step();
    if (!row)
        return row.error();
    int last = static_cast<int>(st.column_int64(0));
    st.reset();
    if (last > dossier::max_daily_sequence)
        return make_error("sequence_exhausted", "Unit " + std::string(unit) + " has already received " +
                                                    std::to_string(dossier::max_daily_sequence) +
                                                    " dossiers on " + day + ": no dossier code is left for that day.");
    return last;
}

Result<void> Dossiers::claim_sequence(std::string_view unit, const std::string& day, int sequence)
{
    auto& st = db_.prepare("INSERT INTO dossier_sequences (unit, day, last) VALUES (?, ?, ?) "
                           "ON CONFLICT (unit, day) DO UPDATE SET last = max(last, excluded.last)");
    return st.bind(1, unit).bind(2, day).bind(3, sequence).run();
}

Result<void> Dossiers::assign_row(Dossier& d)
{
    if (d.book == 0)
        d.book = default_book;
    const int year = static_cast<int>(d.received_at.date.year());
    if (d.row == 0)
    {
        auto& st = db_.prepare("INSERT INTO dossier_books (book_no, year, last_row) VALUES (?, ?, 1) "
                               "ON CONFLICT (book_no, year) DO UPDATE SET last_row = last_row + 1 RETURNING last_row");
        st.bind(1, d.book).bind(2, year);
        auto row = st.step();
        if (!row)
            return row.error();
        d.row = static_cast<int>(st.column_int64(0));
        st.reset();
        return {};
    }
    auto& taken = db_.prepare("SELECT code FROM dossiers WHERE book_no = ? AND year = ? AND row_no = ?");
    taken.bind(1, d.book).bind(2, year).bind(3, d.row);
    auto found = taken.step();
    if (!found)
        return found.error();
    if (*found)
    {
        auto other = taken.column_text(0);
        taken.reset();
        return make_error("row_taken", "Book " + std::to_string(d.book) + " of " + std::to_string(year) +
                                           " already has row " + std::to_string(d.row) + " (dossier " + other + ").");
    }
    taken.reset();
    auto& st = db_.prepare("INSERT INTO dossier_books (book_no, year, last_row) VALUES (?, ?, ?) "
                           "ON CONFLICT (book_no, year) DO UPDATE SET last_row = max(last_row, excluded.last_row)");
    return st.bind(1, d.book).bind(2, year).bind(3, d.row).run();
}

Result<std::int64_t> Dossiers::insert(const Dossier& d, std::string_view unit, Date code_day, int sequence,
                                      std::optional<std::int64_t> import_id)
{
    auto& st = db_.prepare(
        "INSERT INTO dossiers (code, unit, day, sequence, book_no, year, row_no, procedure_code, procedure_name, "
        "field, sets, applicant_name, applicant_address, applicant_phone, applicant_id, applicant_email, "
        "receiving_unit, deciding_agency, officer, counter, service, channel, delivery, waybill, status, "
        "submitted_at, received_at, due_at, processing_days, processing_hours, same_day, transferred_at, result_at, "
        "returned_at, closed_at, ticket, notes, close_reason, online, online_payment, digitised, result_electronic, "
        "import_id, documents, fee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, d.code).bind(2, unit).bind(3, format_date(code_day)).bind(4, sequence);
    st.bind(5, d.book).bind(6, static_cast<int>(d.received_at.date.year())).bind(7, d.row);
    st.bind(8, d.procedure_code).bind(9, d.procedure_name).bind(10, d.field).bind(11, d.sets);
    st.bind(12, d.applicant.name).bind(13, d.applicant.address).bind(14, d.applicant.phone);
    st.bind(15, d.applicant.id_number).bind(16, d.applicant.email).bind(17, d.receiving_unit);
    st.bind(18, d.deciding_agency).bind(19, d.officer).bind(20, d.counter).bind(21, d.service);
    st.bind(22, static_cast<int>(d.channel)).bind(23, dossier::to_string(d.delivery)).bind(24, d.waybill);
    st.bind(25, static_cast<int>(d.status));
    bind_opt(st, 26, d.submitted_at);
    st.bind(27, minutes(d.received_at));
    bind_opt(st, 28, d.due_at);
    bind_opt(st, 29, d.processing_days);
    bind_opt(st, 30, d.processing_hours);
    st.bind(31, d.same_day ? 1 : 0);
    bind_opt(st, 32, d.transferred_at);
    bind_opt(st, 33, d.result_at);
    bind_opt(st, 34, d.returned_at);
    bind_opt(st, 35, d.closed_at);
    if (d.ticket_id)
        st.bind(36, *d.ticket_id);
    else
        st.bind(36, nullptr);
    st.bind(37, d.notes).bind(38, d.close_reason).bind(39, static_cast<int>(d.online));
    st.bind(40, d.online_payment ? 1 : 0).bind(41, d.digitised ? 1 : 0).bind(42, d.result_electronic ? 1 : 0);
    if (import_id)
        st.bind(43, *import_id);
    else
        st.bind(43, nullptr);
    st.bind(44, join_lines(d.documents)).bind(45, d.fee);
    if (auto r = st.run(); !r)
        return r.error();
    auto id = sqlite3_last_insert_rowid(db_.handle());
    if (auto r = insert_children(id, d); !r)
        return r.error();
    return id;
}

Result<void> Dossiers::insert_children(std::int64_t id, const Dossier& d)
{
    for (const auto& s : d.supplements)
    {
        auto& st = db_.prepare("INSERT INTO dossier_supplements (dossier, requested_at, completed_at, reason, "
                               "missing, deadline) VALUES (?, ?, ?, ?, ?, ?)");
        st.bind(1, id).bind(2, minutes(s.requested_at));
        bind_opt(st, 3, s.completed_at);
        st.bind(4, s.reason).bind(5, join_lines(s.missing));
        bind_opt(st, 6, s.deadline);
        if (auto r = st.run(); !r)
            return r;
    }
    for (const auto& o : d.obligations)
    {
        auto& st = db_.prepare(
            "INSERT INTO dossier_obligations (dossier, started_at, ended_at, reason) VALUES (?, ?, ?, ?)");
        st.bind(1, id).bind(2, minutes(o.from));
        bind_opt(st, 3, o.to);
        st.bind(4, o.reason);
        if (auto r = st.run(); !r)
            return r;
    }
    for (const auto& h : d.handoffs)
    {
        auto& st = db_.prepare("INSERT INTO dossier_handoffs (dossier, from_desk, to_desk, at, due, punctuality, note) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, id).bind(2, h.from).bind(3, h.to).bind(4, minutes(h.at));
        bind_opt(st, 5, h.due);
        if (h.punctuality)
            st.bind(6, dossier::to_string(*h.punctuality));
        else
            st.bind(6, nullptr);
        st.bind(7, h.note);
        if (auto r = st.run(); !r)
            return r;
    }
    for (const auto& a : d.apologies)
    {
        auto& st = db_.prepare("INSERT INTO dossier_apologies (dossier, at, new_due, reason) VALUES (?, ?, ?, ?)");
        st.bind(1, id).bind(2, minutes(a.at)).bind(3, minutes(a.new_due)).bind(4, a.reason);
        if (auto r = st.run(); !r)
            return r;
    }
    return {};
}

Result<Dossier> Dossiers::receive(Dossier d, std::string_view unit, const Stamp& stamp)
{
    if (auto v = dossier::validate_unit_code(unit); !v)
        return v.error();
    if (d.ticket_id)
    {
        auto linked = code_of_ticket(*d.ticket_id);
        if (!linked)
            return linked.error();
        if (*linked)
            return make_error("ticket_has_dossier", "Ticket #" + std::to_string(*d.ticket_id) +
                                                        " already led to dossier " + **linked + ".");
    }
    const auto day = format_date(d.received_at.date);
    auto seq = next_sequence(unit, day);
    if (!seq)
        return seq.error();
    auto code = dossier::format_code(unit, d.received_at.date, *seq);
    if (!code)
        return code.error();
    d.code = *code;
    if (auto r = assign_row(d); !r)
        return r.error();
    if (auto id = insert(d, unit, d.received_at.date, *seq); !id)
        return id.error();
    if (auto r = journal_dossier(kind_dossier_received, d, stamp); !r)
        return r.error();
    return d;
}

// A row's payload with the stamp's actor in it, as Application::commit_rows writes it.
static std::string payload_with_actor(json payload, const Stamp& stamp)
{
    if (!stamp.actor.empty() && !payload.contains("actor"))
        payload["actor"] = stamp.actor;
    return payload.dump();
}

// One journal row holding the whole record, in the caller's transaction.
Result<void> Dossiers::journal_dossier(std::string_view kind, const dossier::Dossier& d, const Stamp& stamp,
                                      std::optional<std::int64_t> import_id)
{
    JournalRow row;
    row.kind = std::string(kind);
    row.wall = stamp.wall;
    row.mono_ns = stamp.mono_ns;
    row.counter = stamp.counter;
    row.officer = stamp.officer;
    row.ticket = d.ticket_id.value_or(0);
    auto payload = dossier::to_json(d);
    if (import_id)
        payload["import"] = *import_id;
    row.payload = payload_with_actor(std::move(payload), stamp);
    return journal_.append(row);
}

Result<int> Dossiers::import(std::span<Dossier> dossiers, std::string_view unit, const Stamp& stamp,
                             std::span<const int> line_of, std::optional<std::int64_t> import_id)
{
    if (auto v = dossier::validate_unit_code(unit); !v)
        return v.error();
    auto& exists = db_.prepare("SELECT 1 FROM dossiers WHERE code = ?");
    for (std::size_t i = 0; i < dossiers.size(); ++i)
    {
        auto& d = dossiers[i];
        std::string code_unit(unit);
        Date code_day = d.received_at.date;
        int seq = 0;
        if (d.code.empty())
        {
            auto next = next_sequence(unit, format_date(d.received_at.date));
            if (!next)
                return at_line(line_of, i, next.error());
            seq = *next;
            auto code = dossier::format_code(unit, d.received_at.date, seq);
            if (!code)
                return at_line(line_of, i, code.error());
            d.code = *code;
        }
        else
        {
            auto parsed = dossier::parse_code(d.code);
            if (!parsed)
                return at_line(line_of, i, parsed.error());
            exists.bind(1, d.code);
            auto found = exists.step();
            exists.reset();
            if (!found)
                return found.error();
            if (*found)
                return at_line(line_of, i,
                               make_error("code_taken", "dossier code " + d.code + " is already in the register"));
            code_unit = parsed->unit;
            code_day = parsed->date; // an online submission's code may carry the day before receipt
            seq = parsed->sequence;
            if (auto r = claim_sequence(code_unit, format_date(parsed->date), seq); !r)
                return r.error();
        }
        if (auto r = assign_row(d); !r)
            return at_line(line_of, i, r.error());
        if (auto id = insert(d, code_unit, code_day, seq, import_id); !id)
            return at_line(line_of, i, id.error());
        if (auto r = journal_dossier(kind_dossier_imported, d, stamp, import_id); !r)
            return r.error();
    }
    return static_cast<int>(dossiers.size());
}

Result<void> Dossiers::change(const Dossier& d, const dossier::Change& c, const Stamp& stamp)
{
    auto& st = db_.prepare(
        "UPDATE dossiers SET procedure_name = ?, field = ?, sets = ?, applicant_name = ?, applicant_address = ?, "
        "applicant_phone = ?, applicant_id = ?, applicant_email = ?, receiving_unit = ?, deciding_agency = ?, "
        "delivery = ?, waybill = ?, status = ?, due_at = ?, transferred_at = ?, result_at = ?, returned_at = ?, "
        "closed_at = ?, notes = ?, close_reason = ?, online = ?, online_payment = ?, digitised = ?, "
        "result_electronic = ?, documents = ?, fee = ? WHERE code = ? RETURNING id");
    st.bind(1, d.procedure_name).bind(2, d.field).bind(3, d.sets).bind(4, d.applicant.name);
    st.bind(5, d.applicant.address).bind(6, d.applicant.phone).bind(7, d.applicant.id_number);
    st.bind(8, d.applicant.email).bind(9, d.receiving_unit).bind(10, d.deciding_agency);
    st.bind(11, dossier::to_string(d.delivery)).bind(12, d.waybill).bind(13, static_cast<int>(d.status));
    bind_opt(st, 14, d.due_at);
    bind_opt(st, 15, d.transferred_at);
    bind_opt(st, 16, d.result_at);
    bind_opt(st, 17, d.returned_at);
    bind_opt(st, 18, d.closed_at);
    st.bind(19, d.notes).bind(20, d.close_reason).bind(21, static_cast<int>(d.online));
    st.bind(22, d.online_payment ? 1 : 0).bind(23, d.digitised ? 1 : 0).bind(24, d.result_electronic ? 1 : 0);
    st.bind(25, join_lines(d.documents)).bind(26, d.fee).bind(27, d.code);
    auto row = st.step();
    if (!row)
        return row.error();
    if (!*row)
        return make_error("unknown_dossier", "There is no dossier " + d.code + " in the register.");
    auto id = st.column_int64(0);
    st.reset();
    for (auto table : {"dossier_supplements", "dossier_handoffs", "dossier_apologies", "dossier_obligations"})
    {
        auto& del = db_.prepare(std::string("DELETE FROM ") + table + " WHERE dossier = ?");
        if (auto r = del.bind(1, id).run(); !r)
            return r;
    }
    if (auto r = insert_children(id, d); !r)
        return r;
    JournalRow j;
    j.kind = dossier::journal_kind(c.kind);
    j.wall = stamp.wall;
    j.mono_ns = stamp.mono_ns;
    j.counter = stamp.counter;
    j.officer = c.officer.empty() ? stamp.officer : c.officer;
    j.ticket = d.ticket_id.value_or(0);
    j.payload = payload_with_actor(dossier::to_json(c, d), stamp);
    return journal_.append(j);
}

Result<std::int64_t> Dossiers::begin_import(std::string_view actor, int rows, const Stamp& stamp)
{
    auto& st = db_.prepare("INSERT INTO dossier_imports (actor, started_ms, rows, state) VALUES (?, ?, ?, 'running')");
    if (auto r = st.bind(1, actor).bind(2, stamp.wall.time_since_epoch().count()).bind(3, rows).run(); !r)
        return r.error();
    auto id = sqlite3_last_insert_rowid(db_.handle());
    JournalRow j;
    j.kind = std::string(kind_import_started);
    j.wall = stamp.wall;
    j.mono_ns = stamp.mono_ns;
    j.officer = std::string(actor);
    j.payload = json{{"import", id}, {"rows", rows}, {"actor", actor}}.dump();
    if (auto r = journal_.append(j); !r)
        return r.error();
    return id;
}

Result<void> Dossiers::finish_import(std::int64_t import_id, int rows, const Stamp& stamp)
{
    auto& st = db_.prepare("UPDATE dossier_imports SET state = 'complete' WHERE id = ? AND state = 'running'");
    if (auto r = st.bind(1, import_id).run(); !r)
        return r;
    JournalRow j;
    j.kind = std::string(kind_import_completed);
    j.wall = stamp.wall;
    j.mono_ns = stamp.mono_ns;
    j.payload = payload_with_actor(json{{"import", import_id}, {"rows", rows}}, stamp);
    return journal_.append(j);
}

Result<int> Dossiers::discard_import(std::int64_t import_id, int limit)
{
    const std::string some = "SELECT id FROM dossiers WHERE import_id = ? LIMIT ?";
    for (auto table : {"dossier_supplements", "dossier_handoffs", "dossier_apologies", "dossier_obligations"})
    {
        auto& del = db_.prepare(std::string("DELETE FROM ") + table + " WHERE dossier IN (" + some + ")");
        if (auto r = del.bind(1, import_id).bind(2, limit).run(); !r)
            return r.error();
    }
    auto& del = db_.prepare("DELETE FROM dossiers WHERE id IN (" + some + ")");
    if (auto r = del.bind(1, import_id).bind(2, limit).run(); !r)
        return r.error();
    return sqlite3_changes(db_.handle());
}

Result<void> Dossiers::fail_import(std::int64_t import_id, const std::string& reason, const Stamp& stamp)
{
    auto& st = db_.prepare("UPDATE dossier_imports SET state = 'failed' WHERE id = ?");
    if (auto r = st.bind(1, import_id).run(); !r)
        return r;
    JournalRow j;
    j.kind = std::string(kind_import_failed);
    j.wall = stamp.wall;
    j.mono_ns = stamp.mono_ns;
    j.payload = payload_with_actor(json{{"import", import_id}, {"reason", reason}}, stamp);
    return journal_.append(j);
}

Result<std::vector<std::int64_t>> Dossiers::unfinished_imports()
{
    std::vector<std::int64_t> out;
    auto& st = db_.prepare("SELECT id FROM dossier_imports WHERE state = 'running' OR (state = 'failed' AND "
                           "EXISTS (SELECT 1 FROM dossiers WHERE import_id = dossier_imports.id)) ORDER BY id");
    auto r = st.each_row([&](const Statement& row) { out.push_back(row.column_int64(0)); });
    if (!r)
        return r.error();
    return out;
}

Result<std::optional<std::string>> Dossiers::import_state(std::int64_t import_id)
{
    auto& st = db_.prepare("SELECT state FROM dossier_imports WHERE id = ?");
    st.bind(1, import_id);
    auto row = st.step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<std::string>();
    auto state = st.column_text(0);
    st.reset();
    return std::optional<std::string>(std::move(state));
}

Result<std::vector<Dossier>> Dossiers::load(std::string_view where, const std::vector<std::int64_t>& params,
                                            bool children_all)
{
    std::vector<Dossier> out;
    std::unordered_map<std::int64_t, std::size_t> index;
    {
        auto& query = db_.prepare(std::string("SELECT ") + std::string(columns) + " FROM dossiers WHERE (" +
                                  std::string(where) + ") AND " + std::string(visible) + " ORDER BY received_at, id");
        for (std::size_t i = 0; i < params.size(); ++i)
            query.bind(static_cast<int>(i + 1), params[i]);
        auto rows = query.each_row([&](const Statement& st) {
            Dossier d;
            index.emplace(st.column_int64(0), out.size());
            d.code = st.column_text(1);
            d.book = static_cast<int>(st.column_int64(2));
            d.row = static_cast<int>(st.column_int64(3));
            d.procedure_code = st.column_text(4);
            d.procedure_name = st.column_text(5);
            d.field = st.column_text(6);
            d.sets = static_cast<int>(st.column_int64(7));
            d.applicant.name = st.column_text(8);
            d.applicant.address = st.column_text(9);
            d.applicant.phone = st.column_text(10);
            d.applicant.id_number = st.column_text(11);
            d.applicant.email = st.column_text(12);
            d.receiving_unit = st.column_text(13);
            d.deciding_agency = st.column_text(14);
            d.officer = st.column_text(15);
            d.counter = static_cast<int>(st.column_int64(16));
            d.service = st.column_text(17);
            d.channel = static_cast<dossier::Channel>(st.column_int64(18));
            d.delivery = dossier::delivery_from(st.column_text(19)).value_or(dossier::Delivery::desk);
            d.waybill = st.column_text(20);
            d.status = dossier::status_from_code(static_cast<int>(st.column_int64(21))).value_or(dossier::Status::received);
            d.submitted_at = opt_time(st, 22);
            d.received_at = dossier::from_minutes(st.column_int64(23));
            d.due_at = opt_time(st, 24);
            d.processing_days = opt_int(st, 25);
            d.processing_hours = opt_int(st, 26);
            d.same_day = st.column_int64(27) != 0;
            d.transferred_at = opt_time(st, 28);
            d.result_at = opt_time(st, 29);
            d.returned_at = opt_time(st, 30);
            d.closed_at = opt_time(st, 31);
            if (!st.is_null(32))
                d.ticket_id = st.column_int64(32);
            d.notes = st.column_text(33);
            d.close_reason = st.column_text(34);
            d.online = dossier::online_from(std::to_string(st.column_int64(35))).value_or(dossier::OnlineSubmission::none);
            d.online_payment = st.column_int64(36) != 0;
            d.digitised = st.column_int64(37) != 0;
            d.result_electronic = st.column_int64(38) != 0;
            d.documents = split_lines(st.column_text(39));
            d.fee = st.column_text(40);
            out.push_back(std::move(d));
        });
        if (!rows)
            return rows.error();
    }
    if (out.empty())
        return out;
    auto child_query = [&](std::string_view select, const std::function<void(const Statement&, Dossier&)>& read) -> Result<void> {
        auto& st = db_.prepare(std::string(select) + " JOIN dossiers ON dossiers.id = c.dossier WHERE (" +
                               std::string(where) + ") AND " + std::string(visible) + " ORDER BY c.rowid");
        for (std::size_t i = 0; i < params.size(); ++i)
            st.bind(static_cast<int>(i + 1), params[i]);
        return st.each_row([&](const Statement& row) {
            if (auto it = index.find(row.column_int64(0)); it != index.end())
                read(row, out[it->second]);
        });
    };
    if (auto r = child_query("SELECT c.dossier, c.requested_at, c.completed_at, c.reason, c.missing, c.deadline "
                             "FROM dossier_supplements c",
                             [](const Statement& st, Dossier& d) {
                                 d.supplements.push_back(dossier::SupplementRequest{
                                     dossier::from_minutes(st.column_int64(1)), opt_time(st, 2), st.column_text(3),
                                     split_lines(st.column_text(4)), opt_time(st, 5)});
                             });
        !r)
        return r.error();
    if (auto r = child_query("SELECT c.dossier, c.started_at, c.ended_at, c.reason FROM dossier_obligations c",
                             [](const Statement& st, Dossier& d) {
                                 d.obligations.push_back(dossier::ObligationPause{
                                     dossier::from_minutes(st.column_int64(1)), opt_time(st, 2), st.column_text(3)});
                             });
        !r)
        return r.error();
    if (auto r = child_query("SELECT c.dossier, c.at, c.new_due, c.reason FROM dossier_apologies c",
                             [](const Statement& st, Dossier& d) {
                                 d.apologies.push_back(dossier::Apology{dossier::from_minutes(st.column_int64(1)),
                                                                        dossier::from_minutes(st.column_int64(2)),
                                                                        st.column_text(3)});
                             });
        !r)
        return r.error();
    if (!children_all)
        return out;
    if (auto r = child_query(
            "SELECT c.dossier, c.from_desk, c.to_desk, c.at, c.due, c.punctuality, c.note FROM dossier_handoffs c",
            [](const Statement& st, Dossier& d) {
                dossier::Handoff h;
                h.from = st.column_text(1);
                h.to = st.column_text(2);
                h.at = dossier::from_minutes(st.column_int64(3));
                h.due = opt_time(st, 4);
                if (!st.is_null(5))
                    h.punctuality = punctuality_from(st.column_text(5));
                h.note = st.column_text(6);
                d.handoffs.push_back(std::move(h));
            });
        !r)
        return r.error();
    return out;
}

Result<std::optional<Dossier>> Dossiers::find(std::string_view code)
{
    auto& st = db_.prepare("SELECT id FROM dossiers WHERE code = ? AND " + std::string(visible));
    st.bind(1, code);
    auto row = st.step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Dossier>();
    auto id = st.column_int64(0);
    st.reset();
    auto list = load("dossiers.id = ?", {id}, true);
    if (!list)
        return list.error();
    if (list->empty())
        return std::optional<Dossier>();
    return std::optional<Dossier>(std::move(list->front()));
}

Result<std::optional<std::string>> Dossiers::code_of_ticket(std::int64_t ticket)
{
    auto& st = db_.prepare("SELECT code FROM dossiers WHERE ticket = ?");
    st.bind(1, ticket);
    auto row = st.step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<std::string>();
    auto code = st.column_text(0);
    st.reset();
    return std::optional<std::string>(std::move(code));
}

Result<std::vector<Dossier>> Dossiers::received_between(Date from, Date to)
{
    auto start = minutes(LocalDateTime{from, TimeOfDay{0}});
    auto end = minutes(dossier::Period{from, to}.end());
    return load("dossiers.received_at >= ? AND dossiers.received_at < ?", {start, end}, true);
}

Result<std::vector<Dossier>> Dossiers::for_report(const dossier::Period& period)
{
    auto start = minutes(LocalDateTime{period.from, TimeOfDay{0}});
    auto end = minutes(period.end());
    // Finished before the start (by the precedence the timing rules use): not in the report.
    return load("dossiers.received_at < ? AND (COALESCE(dossiers.result_at, dossiers.returned_at, "
                "dossiers.closed_at) IS NULL OR COALESCE(dossiers.result_at, dossiers.returned_at, "
                "dossiers.closed_at) >= ?)",
                {end, start}, false);
}

Result<std::vector<dossier::TicketRecord>> report_tickets(Database& db, WallTime from, WallTime to)
{
    std::vector<dossier::TicketRecord> out;
    auto& query = db.prepare("SELECT issued_at, called_at, done_at, status, service, counter, officer FROM tickets "
                          "WHERE issued_at >= ? AND issued_at < ?");
    query.bind(1, from.time_since_epoch().count()).bind(2, to.time_since_epoch().count());
    auto rows = query.each_row([&](const Statement& st) {
        dossier::TicketRecord t;
        t.issued = wall(st.column_int64(0));
        if (!st.is_null(1))
            t.called = wall(st.column_int64(1));
        if (!st.is_null(2))
            t.done = wall(st.column_int64(2));
        t.no_show = st.column_text(3) == "no_show";
        t.service = st.column_text(4);
        t.counter = st.is_null(5) ? 0 : static_cast<int>(st.column_int64(5));
        t.officer = st.is_null(6) ? std::string() : st.column_text(6);
        out.push_back(std::move(t));
    });
    if (!rows)
        return rows.error();
    return out;
}

} // namespace motcua::store
