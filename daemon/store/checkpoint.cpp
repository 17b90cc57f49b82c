#include "store/checkpoint.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace motcua::store
{

Checkpoints::Checkpoints(Database& db) : db_(db) {}

Result<std::optional<Checkpoint>> Checkpoints::load()
{
    auto& st = db_.prepare("SELECT seq, hash FROM journal_checkpoint WHERE id = 1");
    auto r = st.step();
    if (!r)
        return r.error();
    std::optional<Checkpoint> cp;
    if (*r)
        cp = Checkpoint{st.column_int64(0), st.column_text(1)};
    st.reset();
    return cp;
}

Result<void> Checkpoints::save(const Checkpoint& cp)
{
    return db_.transaction(
        [&]() -> Result<void>
        {
            auto& st = db_.prepare(
                "INSERT INTO journal_checkpoint (id, seq, hash) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
            return st.bind(1, cp.seq).bind(2, cp.hash).run();
        });
}

Result<std::set<std::int64_t>> Checkpoints::acknowledged()
{
    auto& st = db_.prepare("SELECT payload FROM journal WHERE kind = ?");
    st.bind(1, kind_journal_acknowledged);
    std::set<std::int64_t> seqs;
    auto r = st.each_row(
        [&](const Statement& row)
        {
            auto p = nlohmann::json::parse(row.column_text(0), nullptr, false);
            if (p.is_object() && p.contains("first_bad_seq") &&
                p["first_bad_seq"].is_number_integer())
                seqs.insert(p["first_bad_seq"].get<std::int64_t>());
        });
    if (!r)
        return r.error();
    return seqs;
}

Result<JournalCheck> Checkpoints::check(Journal& journal, std::int64_t must_cover_from)
{
    auto accepted = acknowledged();
    if (!accepted)
        return accepted.error();
    auto cp = load();
    if (!cp)
        return cp.error();
    auto last = journal.last_seq();
    if (!last)
        return last.error();

    JournalCheck out;
    bool checkpoint_holds = false;
    if (*cp && (*cp)->seq == 0)
        checkpoint_holds = true; // taken on an empty journal: nothing to hold
    else if (*cp)
    {
        auto stored = journal.hash_at((*cp)->seq);
        if (!stored)
            return stored.error();
        checkpoint_holds = *stored && **stored == (*cp)->hash;
    }
    out.checkpoint_used = checkpoint_holds;
    out.from_seq =
        checkpoint_holds ? std::max<std::int64_t>(1, std::min((*cp)->seq, must_cover_from)) : 1;

    auto report = journal.verify_from(out.from_seq, *accepted);
    out.rows = report.rows;
    if (!report.ok)
    {
        out.intact = false;
        out.first_bad_seq = report.first_bad_seq;
        out.reason = report.reason;
        return out;
    }
    if (*cp && !checkpoint_holds)
    {
        // Every row links, yet the row verified before is gone or different: the rows up to
        // it were removed or rewritten with fresh hashes.
        const auto bad = (*cp)->seq > *last ? *last + 1 : (*cp)->seq;
        if (!accepted->contains(bad))
        {
            out.intact = false;
            out.first_bad_seq = bad;
            out.reason = (*cp)->seq > *last
                             ? "rows removed: the journal ends at row " + std::to_string(*last) +
                                   " but row " + std::to_string((*cp)->seq) + " was verified before"
                             : "rows rewritten: row " + std::to_string((*cp)->seq) +
                                   " no longer has the hash verified at the checkpoint";
            return out;
        }
    }
    out.end = Checkpoint{*last, report.last_hash};
    if (*last == 0)
        out.end.hash = Journal::genesis_hash;
    return out;
}

} // namespace motcua::store
