#pragma once

// The province's figures for any period, from the projections, counted by the register's
// own pure functions (dossier/report.hpp) with each site's own rules (its calendar, its
// services' fields): for one site the answer is exactly the box's `motcuactl report
// --json`; across sites the counts add up and the durations are taken over all tickets.

#include "central/pg.hpp"
#include "dossier/report.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace motcua::central
{

struct ReportQuery
{
    dossier::Period period;
    std::string by = "none";   // none, site, field, procedure, officer, counter, service, hour
    std::optional<std::string> site; // one site only
};

// For one site (query.site) and a box grouping: the box's own answer object. Otherwise
// {"from","to","by","sites":N,"total":{queue,dossiers,satisfaction},"rows":[...]} where a
// row is a site ({"key": code, "name": office, ...sections}) for by=site, else the
// grouping's rows over all sites. Errors: "unknown_site", "bad_context", PostgreSQL's.
Result<nlohmann::json> province_report(pg::Connection& db, const ReportQuery& query);

// The query of the report page's and the CLI's arguments: dates YYYY-MM-DD, a grouping,
// an optional site. Error "bad_request" naming the argument.
Result<ReportQuery> report_query(const std::string& from, const std::string& to, const std::string& by,
                                 const std::string& site);

// The open alerts: [{"site","seq","kind","message","raised_at","last_seen","times"}].
Result<nlohmann::json> open_alerts(pg::Connection& db);

} // namespace motcua::central
