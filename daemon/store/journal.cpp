#include "store/journal.hpp"

#include "store/journal_redaction.hpp"
#include "util/sha256.hpp"

#include <algorithm>

namespace motcua::store
{

const std::string Journal::genesis_hash(64, '0');

namespace
{

constexpr std::string_view select_columns = "SELECT seq, kind, wall_ms, mono_ns, counter, officer, "
                                            "ticket, payload, prev_hash, hash, scheme FROM journal ";

// Text fields may hold any byte: escape the separator so the joined form is unambiguous.
void append_escaped(std::string& out, std::string_view text)
{
    for (char c : text)
    {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

JournalRow row_from(const Statement& st)
{
    JournalRow r;
    r.seq = st.column_int64(0);
    r.kind = st.column_text(1);
    r.wall = WallTime{std::chrono::milliseconds{st.column_int64(2)}};
    r.mono_ns = st.column_int64(3);
    r.counter = static_cast<int>(st.column_int64(4));
    r.officer = st.column_text(5);
    r.ticket = st.column_int64(6);
    r.payload = st.column_text(7);
    r.prev_hash = st.column_text(8);
    r.hash = st.column_text(9);
    r.scheme = static_cast<int>(st.column_int64(10));
    return r;
}

} // namespace

std::string Journal::canonical(const JournalRow& row)
{
    std::string out;
    out.reserve(200 + row.payload.size());
    out += row.scheme == 1 ? "motcua-journal-1" : "motcua-journal-2";
    out += '\n';
    out += std::to_string(row.seq);
    out += '\n';
    append_escaped(out, row.kind);
    out += '\n';
    out += std::to_string(row.wall.time_since_epoch().count());
    out += '\n';
    out += std::to_string(row.mono_ns);
    out += '\n';
    out += std::to_string(row.counter);
    out += '\n';
    append_escaped(out, row.officer);
    out += '\n';
    out += std::to_string(row.ticket);
    out += '\n';
    append_escaped(out, row.scheme == 1 ? row.payload : redacted_payload(row.kind, row.payload));
    out += '\n';
    append_escaped(out, row.prev_hash);
    return out;
}

Journal::Journal(Database& db) : db_(db) {}

Result<void> Journal::load_tail()
{
    auto& st = db_.prepare("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
    auto row = st.step();
    if (!row)
        return row.error();
    tail_seq_ = *row ? st.column_int64(0) : 0;
    tail_hash_ = *row ? st.column_text(1) : genesis_hash;
    st.reset();
    tail_known_ = true;
    tail_generation_ = db_.rollback_generation();
    return {};
}

Result<void> Journal::append(JournalRow& row)
{
    if (!db_.in_transaction())
        return make_error(std::string(database_error_code),
                          "A journal row is appended only inside a transaction.");
    if (row.kind.empty())
        return make_error(std::string(database_error_code), "A journal row needs a kind.");
    if (row.payload.empty())
        row.payload = "{}";
    // A rollback may have undone rows the cache has seen: read the tail again.
    if (!tail_known_ || tail_generation_ != db_.rollback_generation())
        if (auto r = load_tail(); !r)
            return r;
    row.seq = tail_seq_ + 1;
    row.prev_hash = tail_hash_;
    row.scheme = current_journal_scheme;
    row.payload = with_personal_salt(row.kind, std::move(row.payload));
    row.hash = sha256_hex(canonical(row));

    auto& st =
        db_.prepare("INSERT INTO journal (seq, kind, wall_ms, mono_ns, counter, officer, "
                    "ticket, payload, prev_hash, hash, scheme) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, row.seq)
        .bind(2, row.kind)
        .bind(3, static_cast<std::int64_t>(row.wall.time_since_epoch().count()))
        .bind(4, row.mono_ns)
        .bind(5, row.counter)
        .bind(6, row.officer)
        .bind(7, row.ticket)
        .bind(8, row.payload)
        .bind(9, row.prev_hash)
        .bind(10, row.hash)
        .bind(11, row.scheme);
    if (auto r = st.run(); !r)
    {
        tail_known_ = false;
        return r;
    }
    tail_seq_ = row.seq;
    tail_hash_ = row.hash;
    return {};
}

Result<std::vector<JournalRow>> Journal::read(std::int64_t from_seq, std::int64_t limit)
{
    auto& st = db_.prepare(std::string(select_columns) + "WHERE seq >= ? ORDER BY seq LIMIT ?");
    st.bind(1, from_seq).bind(2, limit);
    std::vector<JournalRow> rows;
    for (;;)
    {
        auto r = st.step();
        if (!r)
            return r.error();
        if (!*r)
            break;
        rows.push_back(row_from(st));
    }
    st.reset();
    return rows;
}

VerifyReport Journal::verify()
{
    return verify_from(1);
}

Result<std::optional<std::string>> Journal::hash_at(std::int64_t seq)
{
    auto& st = db_.prepare("SELECT hash FROM journal WHERE seq = ?");
    st.bind(1, seq);
    auto r = st.step();
    if (!r)
        return r.error();
    std::optional<std::string> hash;
    if (*r)
        hash = st.column_text(0);
    st.reset();
    return hash;
}

VerifyReport Journal::verify_from(std::int64_t from_seq, const std::set<std::int64_t>& accepted)
{
    VerifyReport report;
    report.last_hash = genesis_hash;
    from_seq = std::max<std::int64_t>(from_seq, 1);
    auto fail = [&](std::int64_t seq, std::string reason)
    {
        report.ok = false;
        report.first_bad_seq = seq;
        report.reason = std::move(reason);
    };
    std::int64_t expected = from_seq;
    if (from_seq > 1)
    {
        auto anchor = hash_at(from_seq - 1);
        if (!anchor)
        {
            fail(from_seq, "cannot read the journal: " + anchor.error().message);
            return report;
        }
        if (!*anchor)
        {
            // The row before the range is gone: the first row present is where it breaks.
            auto first = read(1, 1);
            fail(first && !first->empty() ? std::min(first->front().seq, from_seq - 1) : from_seq - 1,
                 "seq gap: row " + std::to_string(from_seq - 1) + " is missing");
            return report;
        }
        report.last_hash = **anchor;
    }
    auto& st = db_.prepare(std::string(select_columns) + "WHERE seq >= ? ORDER BY seq");
    st.bind(1, from_seq);
    for (;;)
    {
        auto r = st.step();
        if (!r)
        {
            fail(expected, "cannot read the journal: " + r.error().message);
            break;
        }
        if (!*r)
            break;
        ++report.rows;
        JournalRow row = row_from(st);
        std::string why;
        if (row.seq != expected)
            why = expected == row.seq - 1 ? "seq gap: row " + std::to_string(expected) + " is missing"
                                          : "seq gap: rows " + std::to_string(expected) + ".." +
                                                std::to_string(row.seq - 1) + " are missing";
        else if (sha256_hex(canonical(row)) != row.hash)
            why = "content changed: the stored hash does not match the row's content";
        else if (row.prev_hash != report.last_hash)
            why = row.seq == 1 ? "link broken: the first row does not link to the genesis hash"
                               : "link broken: prev_hash is not the hash of row " + std::to_string(row.seq - 1) +
                                     " (that row or this link changed)";
        if (!why.empty() && !accepted.contains(row.seq))
        {
            fail(row.seq, std::move(why));
            break;
        }
        report.last_hash = row.hash;
        expected = row.seq + 1;
    }
    st.reset();
    return report;
}

Result<std::optional<std::int64_t>> Journal::last_seq_of_kind(std::string_view kind)
{
    auto& st = db_.prepare("SELECT max(seq) FROM journal WHERE kind = ?");
    st.bind(1, kind);
    auto r = st.step();
    if (!r)
        return r.error();
    std::optional<std::int64_t> seq;
    if (*r && !st.is_null(0))
        seq = st.column_int64(0);
    st.reset();
    return seq;
}

Result<std::int64_t> Journal::last_seq()
{
    auto& st = db_.prepare("SELECT coalesce(max(seq), 0) FROM journal");
    auto r = st.step();
    if (!r)
        return r.error();
    std::int64_t seq = *r ? st.column_int64(0) : 0;
    st.reset();
    return seq;
}

} // namespace motcua::store
