#include "central/reports.hpp"

#include "dossier/json.hpp"
#include "dossier/report_json.hpp"
#include "outbox/context.hpp"

#include <map>

namespace motcua::central
{

using json = nlohmann::json;

namespace
{

struct Site
{
    std::string code;
    outbox::SiteRules rules;
    dossier::ReportRecords records;
    WallTime from{}, to{};
};

std::optional<WallTime> wall_of(std::optional<std::int64_t> ms)
{
    return ms ? std::optional<WallTime>(WallTime{std::chrono::milliseconds{*ms}}) : std::nullopt;
}

Result<std::vector<Site>> load_sites(pg::Connection& db, const ReportQuery& q)
{
    auto rows = q.site ? db.exec("SELECT code, name, context FROM sites WHERE code = $1", {*q.site})
                       : db.exec("SELECT code, name, context FROM sites ORDER BY code");
    if (!rows)
        return rows.error();
    if (q.site && rows->size() == 0)
        return make_error("unknown_site", "no site " + *q.site + " at the central");
    std::vector<Site> sites;
    for (int i = 0; i < rows->size(); ++i)
    {
        Site s;
        s.code = rows->string(i, 0);
        if (!rows->null(i, 2))
        {
            auto rules = outbox::site_rules(json::parse(rows->text(i, 2)));
            if (!rules)
                return make_error(rules.error().code, "site " + s.code + ": " + rules.error().message);
            s.rules = std::move(*rules);
        }
        else
            s.rules.office = rows->string(i, 1); // has sent nothing yet: nothing to count either
        s.from = from_local(q.period.from, TimeOfDay{0}, s.rules.tz);
        s.to = from_local(q.period.end().date, TimeOfDay{0}, s.rules.tz);
        sites.push_back(std::move(s));
    }
    return sites;
}

// The site's records of the period, as the box's store selects them.
Result<void> load_records(pg::Connection& db, const ReportQuery& q, Site& s)
{
    const auto from_ms = std::to_string(s.from.time_since_epoch().count());
    const auto to_ms = std::to_string(s.to.time_since_epoch().count());
    auto tickets = db.exec("SELECT issued_at, called_at, done_at, no_show, service, counter, officer FROM tickets "
                           "WHERE site = $1 AND issued_at >= $2 AND issued_at < $3",
                           {s.code, from_ms, to_ms});
    if (!tickets)
        return tickets.error();
    s.records.tickets.reserve(static_cast<std::size_t>(tickets->size()));
    for (int i = 0; i < tickets->size(); ++i)
    {
        dossier::TicketRecord t;
        t.issued = WallTime{std::chrono::milliseconds{tickets->int64(i, 0)}};
        t.called = wall_of(tickets->opt_int64(i, 1));
        t.done = wall_of(tickets->opt_int64(i, 2));
        t.no_show = tickets->text(i, 3) == "t";
        t.service = tickets->string(i, 4);
        t.counter = static_cast<int>(tickets->int64(i, 5));
        t.officer = tickets->string(i, 6);
        if (auto f = s.rules.field_of_service.find(t.service); f != s.rules.field_of_service.end())
            t.field = f->second;
        s.records.tickets.push_back(std::move(t));
    }

    const auto start = dossier::to_minutes(LocalDateTime{q.period.from, TimeOfDay{0}});
    const auto end = dossier::to_minutes(q.period.end());
    // As the box's for_report: a chunked import's dossiers count once the import is complete.
    auto dossiers = db.exec("SELECT record FROM dossiers WHERE site = $1 AND received_min < $2 AND (finished_min IS "
                            "NULL OR finished_min >= $3) AND (import_id IS NULL OR import_id IN (SELECT id FROM "
                            "imports i WHERE i.site = $1 AND i.state = 'complete')) ORDER BY received_min, code",
                            {s.code, std::to_string(end), std::to_string(start)});
    if (!dossiers)
        return dossiers.error();
    s.records.dossiers.reserve(static_cast<std::size_t>(dossiers->size()));
    for (int i = 0; i < dossiers->size(); ++i)
    {
        auto d = dossier::dossier_from_json(json::parse(dossiers->text(i, 0)));
        if (!d)
            return make_error("projection", "site " + s.code + ": a stored dossier does not read: " + d.error().message);
        s.records.dossiers.push_back(std::move(*d));
    }

    auto ratings = db.exec("SELECT at_ms, counter, officer, field, service, vote, source FROM ratings WHERE site = $1 "
                           "AND at_ms >= $2 AND at_ms < $3",
                           {s.code, from_ms, to_ms});
    if (!ratings)
        return ratings.error();
    for (int i = 0; i < ratings->size(); ++i)
    {
        dossier::Rating r;
        r.at = WallTime{std::chrono::milliseconds{ratings->int64(i, 0)}};
        r.counter = static_cast<int>(ratings->int64(i, 1));
        r.officer = ratings->string(i, 2);
        r.field = ratings->string(i, 3);
        r.service = ratings->string(i, 4);
        r.vote = static_cast<dossier::Vote>(ratings->int64(i, 5));
        r.source = ratings->string(i, 6);
        s.records.ratings.push_back(std::move(r));
    }
    return {};
}

json sections(const dossier::QueueReport& queue, const dossier::DossierReport& dossiers,
              const dossier::SatisfactionReport& satisfaction)
{
    return {{"queue", dossier::report_json(queue)},
            {"dossiers", dossier::report_json(dossiers)},
            {"satisfaction", dossier::report_json(satisfaction)}};
}

} // namespace

Result<json> province_report(pg::Connection& db, const ReportQuery& q)
{
    const bool by_site = q.by == "site";
    const auto by = by_site ? std::optional<dossier::GroupBy>(dossier::GroupBy::none) : dossier::group_by_from(q.by);
    if (!by)
        return make_error("bad_request", "by must be site, field, procedure, officer, counter, service or hour");
    auto sites = load_sites(db, q);
    if (!sites)
        return sites.error();
    for (auto& s : *sites)
        if (auto r = load_records(db, q, s); !r)
            return r.error();

    if (q.site && !by_site)
    {
        const auto& s = sites->front();
        return dossier::report_answer(s.records, q.period, *by, s.rules.timing, s.rules.tz, s.rules.office);
    }

    // Across sites: dossiers are judged by each site's rules, then their counts add up;
    // tickets and votes are counted together, so the durations are over all of them.
    const UtcOffset tz = sites->empty() ? UtcOffset{} : sites->front().rules.tz;
    const WallTime from = sites->empty() ? from_local(q.period.from, TimeOfDay{0}, tz) : sites->front().from;
    const WallTime to = sites->empty() ? from_local(q.period.end().date, TimeOfDay{0}, tz) : sites->front().to;
    std::vector<dossier::TicketRecord> all_tickets;
    std::vector<dossier::Rating> all_ratings;
    dossier::DossierReport all_dossiers;
    all_dossiers.period = q.period;
    std::map<std::string, dossier::DossierCounts> dossier_rows;
    json site_rows = json::array();
    for (auto& s : *sites)
    {
        auto d = dossier::dossier_report(s.records.dossiers, q.period, *by, s.rules.timing);
        all_dossiers.total += d.total;
        for (const auto& row : d.rows)
            dossier_rows[row.key] += row.counts;
        if (by_site)
        {
            auto queue = dossier::queue_report(s.records.tickets, s.from, s.to, dossier::GroupBy::none, s.rules.tz);
            auto votes = dossier::satisfaction_report(s.records.ratings, s.from, s.to, dossier::GroupBy::none, s.rules.tz);
            site_rows.push_back({{"key", s.code},
                                 {"name", s.rules.office},
                                 {"queue", dossier::counts_json(queue.total)},
                                 {"dossiers", dossier::counts_json(d.total)},
                                 {"satisfaction", dossier::counts_json(votes.total)}});
        }
        std::move(s.records.tickets.begin(), s.records.tickets.end(), std::back_inserter(all_tickets));
        std::move(s.records.ratings.begin(), s.records.ratings.end(), std::back_inserter(all_ratings));
    }
    for (auto& [key, counts] : dossier_rows)
        all_dossiers.rows.push_back({key, counts});
    auto queue = dossier::queue_report(all_tickets, from, to, *by, tz);
    auto votes = dossier::satisfaction_report(all_ratings, from, to, *by, tz);
    json answer{{"from", format_date(q.period.from)},
                {"to", format_date(q.period.to)},
                {"by", q.by},
                {"sites", sites->size()}};
    answer.update(sections(queue, all_dossiers, votes));
    if (by_site)
        answer["rows"] = site_rows;
    return answer;
}

Result<ReportQuery> report_query(const std::string& from, const std::string& to, const std::string& by,
                                 const std::string& site)
{
    ReportQuery q;
    auto f = parse_date(from);
    if (!f)
        return make_error("bad_request", "from must be a date YYYY-MM-DD, not \"" + from + "\"");
    auto t = parse_date(to);
    if (!t)
        return make_error("bad_request", "to must be a date YYYY-MM-DD, not \"" + to + "\"");
    if (std::chrono::sys_days{*t} < std::chrono::sys_days{*f})
        return make_error("bad_request", "to (" + to + ") is before from (" + from + ")");
    q.period = {*f, *t};
    q.by = by.empty() ? "site" : by;
    if (q.by != "site" && !dossier::group_by_from(q.by))
        return make_error("bad_request", "by must be site, field, procedure, officer, counter, service or hour");
    if (!site.empty())
        q.site = site;
    return q;
}

Result<json> open_alerts(pg::Connection& db)
{
    auto rows = db.exec("SELECT site, seq, kind, message, to_char(raised_at AT TIME ZONE 'UTC', "
                        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(last_seen AT TIME ZONE 'UTC', "
                        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), times FROM alerts WHERE acknowledged_at IS NULL "
                        "ORDER BY raised_at, site, seq");
    if (!rows)
        return rows.error();
    json out = json::array();
    for (int i = 0; i < rows->size(); ++i)
        out.push_back({{"site", rows->string(i, 0)},
                       {"seq", rows->int64(i, 1)},
                       {"kind", rows->string(i, 2)},
                       {"message", rows->string(i, 3)},
                       {"raised_at", rows->string(i, 4)},
                       {"last_seen", rows->string(i, 5)},
                       {"times", rows->int64(i, 6)}});
    return out;
}

} // namespace motcua::central
