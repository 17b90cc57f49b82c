#include "store/dossier_journal.hpp"

namespace motcua::store
{

Result<std::vector<DossierJournalRow>> dossier_journal(Database& db, std::string_view code, WallTime since,
                                                       std::int64_t limit)
{
    std::vector<DossierJournalRow> out;
    // The kind range uses the journal_kind index; 'dossier/' is the first text after every 'dossier.…'.
    auto& query = db.prepare("SELECT seq, kind, wall_ms, counter, officer, json_extract(payload, '$.actor'), payload "
                             "FROM journal WHERE kind >= 'dossier.' AND kind < 'dossier/' AND wall_ms >= ? "
                             "AND json_extract(payload, '$.code') = ? ORDER BY seq LIMIT ?");
    query.bind(1, since.time_since_epoch().count()).bind(2, code).bind(3, limit);
    auto rows = query.each_row([&](const Statement& st) {
        DossierJournalRow r;
        r.seq = st.column_int64(0);
        r.kind = st.column_text(1);
        r.wall = WallTime{std::chrono::milliseconds(st.column_int64(2))};
        r.counter = static_cast<int>(st.column_int64(3));
        r.officer = st.column_text(4);
        r.actor = st.is_null(5) ? std::string() : st.column_text(5);
        r.payload = st.column_text(6);
        out.push_back(std::move(r));
    });
    if (!rows)
        return rows.error();
    return out;
}

} // namespace motcua::store
