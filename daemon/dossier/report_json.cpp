#include "dossier/report_json.hpp"

namespace motcua::dossier
{

namespace
{

using json = nlohmann::json;

template <class Report>
json rows_json(const Report& r)
{
    json rows = json::array();
    for (const auto& row : r.rows)
    {
        auto j = counts_json(row.counts);
        j["key"] = row.key;
        rows.push_back(j);
    }
    return {{"total", counts_json(r.total)}, {"rows", rows}};
}

} // namespace

json counts_json(const DossierCounts& c)
{
    return {{"received_total", c.handled()},
            {"received", c.received},
            {"received_online", c.received_online},
            {"received_direct_postal", c.received_direct_postal},
            {"carried_over", c.carried_over},
            {"resolved", c.resolved},
            {"early", c.early},
            {"on_time", c.on_time},
            {"late", c.late},
            {"in_progress", c.in_progress},
            {"within_due", c.within_due},
            {"over_due", c.over_due},
            {"refused", c.refused},
            {"withdrawn", c.withdrawn},
            {"stopped", c.stopped},
            {"apologies", c.apologies},
            {"supplement_lapsed", c.supplement_lapsed},
            {"online_full", c.online_full},
            {"online_partial", c.online_partial},
            {"paid_online", c.paid_online},
            {"digitised", c.digitised},
            {"result_electronic", c.result_electronic},
            {"digitised_share", c.digitised_share()},
            {"result_electronic_share", c.result_electronic_share()},
            {"paid_online_share", c.paid_online_share()},
            {"online_share", c.online_share()},
            {"on_time_rate", c.on_time_rate()},
            {"qd766_rate", c.qd766_rate()}};
}

json stats_json(const DurationStats& s)
{
    return {{"count", s.count}, {"mean_s", s.mean.count() / 1000.0}, {"p90_s", s.p90.count() / 1000.0}};
}

json counts_json(const QueueCounts& c)
{
    return {{"issued", c.issued}, {"served", c.served}, {"no_show", c.no_show}, {"wait", stats_json(c.wait)},
            {"service", stats_json(c.service)}};
}

json counts_json(const SatisfactionCounts& c)
{
    return {{"votes", c.votes},
            {"very_satisfied", c.very_satisfied},
            {"satisfied", c.satisfied},
            {"dissatisfied", c.dissatisfied},
            {"from_phone", c.from_phone},
            {"satisfied_share", c.satisfied_share()}};
}

json report_json(const DossierReport& r) { return rows_json(r); }
json report_json(const QueueReport& r) { return rows_json(r); }
json report_json(const SatisfactionReport& r) { return rows_json(r); }

json report_answer(const ReportRecords& records, const Period& period, GroupBy by, const TimingRules& rules,
                   UtcOffset tz, std::string_view office)
{
    const auto from = from_local(period.from, TimeOfDay{0}, tz);
    const auto to = from_local(period.end().date, TimeOfDay{0}, tz);
    return json{{"from", format_date(period.from)},
                {"to", format_date(period.to)},
                {"by", to_string(by)},
                {"office", office},
                {"queue", report_json(queue_report(records.tickets, from, to, by, tz))},
                {"dossiers", report_json(dossier_report(records.dossiers, period, by, rules))},
                {"satisfaction", report_json(satisfaction_report(records.ratings, from, to, by, tz))}};
}

} // namespace motcua::dossier
