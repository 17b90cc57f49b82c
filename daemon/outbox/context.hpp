#pragma once

// What the central service needs to count a site's rows the way the box counts them: the
// office's name and time zone, each service's field, the opening hours and the on-time
// rules, and the working calendar the box uses. The box sends it as JSON beside its rows
// (when it changed); the central rebuilds the same rules from it with the register's own
// functions (dossier/register_rules.hpp). Pure: the calendar files are read by the caller.

#include "calendar/calendar.hpp"
#include "config/model.hpp"
#include "dossier/timing.hpp"
#include "util/result.hpp"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace motcua::outbox
{

// `calendar_years`: year -> the text of its YYYY.toml, as the box loaded it.
nlohmann::json site_context(const config::Config& cfg, const std::map<int, std::string>& calendar_years);

// A short fingerprint of a context, so the box sends it only when the central's differs.
std::string context_hash(const nlohmann::json& context);

struct SiteRules
{
    std::string office;                        // the office's name, as reports show it
    UtcOffset tz;
    std::map<std::string, std::string, std::less<>> field_of_service; // service id -> field
    std::shared_ptr<const calendar::Calendar> calendar;               // null without one
    dossier::TimingRules timing;
};

// Errors name the key that is wrong ("bad_context").
Result<SiteRules> site_rules(const nlohmann::json& context);

// The text of every YYYY.toml in `dir` (thin I/O for site_context); empty when none.
std::map<int, std::string> read_calendar_years(const std::string& dir);

} // namespace motcua::outbox
