#pragma once

// The `report` answer as a pure function of the period's records, and the JSON form of
// each report's counts. The box's `report` command and the province's central service
// (which sums the same counts over its sites) build their answers here, so the two agree.

#include "dossier/report.hpp"
#include "dossier/timing.hpp"

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace motcua::dossier
{

nlohmann::json counts_json(const DossierCounts& c);
nlohmann::json counts_json(const QueueCounts& c);
nlohmann::json counts_json(const SatisfactionCounts& c);
nlohmann::json stats_json(const DurationStats& s); // {"count","mean_s","p90_s"}

// {"total": counts_json(total), "rows": [counts_json(row) + {"key"}, ...]}
nlohmann::json report_json(const DossierReport& r);
nlohmann::json report_json(const QueueReport& r);
nlohmann::json report_json(const SatisfactionReport& r);

// What a report of a period counts: the tickets issued, the dossiers the register
// reports on (Dossiers::for_report) and the votes. Tickets carry their field already.
struct ReportRecords
{
    std::vector<TicketRecord> tickets;
    std::vector<Dossier> dossiers;
    std::vector<Rating> ratings;
};

// One grouping's answer: {"from","to","by","office","queue","dossiers","satisfaction"}.
// The period is whole local days in `tz`; tickets and votes count from its first local
// midnight to the one after its last day.
nlohmann::json report_answer(const ReportRecords& records, const Period& period, GroupBy by, const TimingRules& rules,
                             UtcOffset tz, std::string_view office);

} // namespace motcua::dossier
