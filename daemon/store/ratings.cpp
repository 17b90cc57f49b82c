#include "store/ratings.hpp"

#include "dossier/json.hpp"

namespace motcua::store
{

namespace
{
WallTime wall(std::int64_t ms) { return WallTime{std::chrono::milliseconds{ms}}; }
} // namespace

JournalRow rating_row(const dossier::RatingDecision& r, dossier::RatingSource source, WallTime wall,
                      std::int64_t mono_ns)
{
    JournalRow row;
    row.kind = std::string(kind_rating_given);
    row.wall = wall;
    row.mono_ns = mono_ns;
    row.counter = r.counter;
    row.officer = r.officer;
    row.ticket = r.ticket;
    auto payload = dossier::to_json(r);
    payload["source"] = std::string(dossier::to_string(source));
    row.payload = payload.dump();
    return row;
}

std::optional<dossier::Vote> vote_from_score(int score)
{
    switch (score)
    {
    case 3: return dossier::Vote::very_satisfied;
    case 2: return dossier::Vote::satisfied;
    case 1: return dossier::Vote::dissatisfied;
    default: return std::nullopt;
    }
}

int score_of(dossier::Vote v)
{
    switch (v)
    {
    case dossier::Vote::very_satisfied: return 3;
    case dossier::Vote::satisfied: return 2;
    case dossier::Vote::dissatisfied: return 1;
    }
    return 1;
}

Result<std::vector<dossier::Rating>> report_ratings(Database& db, WallTime from, WallTime to)
{
    std::vector<dossier::Rating> out;
    auto& query = db.prepare(
        "SELECT wall_ms, json_extract(payload, '$.counter'), json_extract(payload, '$.officer'), "
        "json_extract(payload, '$.field'), json_extract(payload, '$.service'), json_extract(payload, '$.score'), "
        "json_extract(payload, '$.source') "
        "FROM journal WHERE kind = 'rating.given' AND wall_ms >= ? AND wall_ms < ?");
    query.bind(1, from.time_since_epoch().count()).bind(2, to.time_since_epoch().count());
    auto rows = query.each_row([&](const Statement& st) {
        auto vote = vote_from_score(static_cast<int>(st.column_int64(5)));
        if (!vote)
            return; // not a vote this version understands
        dossier::Rating r;
        r.at = wall(st.column_int64(0));
        r.counter = st.is_null(1) ? 0 : static_cast<int>(st.column_int64(1));
        r.officer = st.is_null(2) ? std::string() : st.column_text(2);
        r.field = st.is_null(3) ? std::string() : st.column_text(3);
        r.service = st.is_null(4) ? std::string() : st.column_text(4);
        r.source = st.is_null(6) ? std::string() : st.column_text(6);
        r.vote = *vote;
        out.push_back(std::move(r));
    });
    if (!rows)
        return rows.error();
    return out;
}

Result<bool> ticket_rated(Database& db, std::int64_t ticket)
{
    auto& st = db.prepare("SELECT 1 FROM journal WHERE ticket = ? AND kind = 'rating.given' LIMIT 1");
    st.bind(1, ticket);
    auto row = st.step();
    if (!row)
        return row.error();
    bool rated = *row;
    st.reset();
    return rated;
}

} // namespace motcua::store
