#include "outbox/context.hpp"

#include "dossier/register_rules.hpp"
#include "util/sha256.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace motcua::outbox
{

using json = nlohmann::json;

namespace
{

json intervals_json(const std::vector<std::pair<TimeOfDay, TimeOfDay>>& hours)
{
    json out = json::array();
    for (const auto& [from, to] : hours)
        out.push_back({from.minutes, to.minutes});
    return out;
}

std::vector<std::pair<TimeOfDay, TimeOfDay>> intervals_from(const json& j)
{
    std::vector<std::pair<TimeOfDay, TimeOfDay>> out;
    for (const auto& pair : j)
        out.emplace_back(TimeOfDay{pair.at(0).get<int>()}, TimeOfDay{pair.at(1).get<int>()});
    return out;
}

} // namespace

json site_context(const config::Config& cfg, const std::map<int, std::string>& calendar_years)
{
    json services = json::object();
    for (const auto& s : cfg.services)
        services[s.id] = s.field.empty() ? s.name : s.field;
    json weekday = json::object();
    for (const auto& [day, hours] : cfg.reg.weekday_hours)
        weekday[std::to_string(day)] = intervals_json(hours);
    json calendar = json::object();
    for (const auto& [year, text] : calendar_years)
        calendar[std::to_string(year)] = text;
    return {{"office", cfg.office.name},
            {"utc_offset_minutes", cfg.office.utc_offset.offset.count()},
            {"services", services},
            {"office_hours", intervals_json(cfg.office.hours)},
            {"weekday_hours", weekday},
            {"sessions_count_as_days", cfg.reg.sessions_count_as_days},
            {"same_day_cutoff", cfg.reg.same_day_cutoff.minutes},
            {"early_margin_hours", cfg.reg.early_margin_hours ? json(*cfg.reg.early_margin_hours) : json(nullptr)},
            {"calendar", calendar}};
}

std::string context_hash(const json& context) { return sha256_hex(context.dump()).substr(0, 32); }

Result<SiteRules> site_rules(const json& context)
{
    // The same rules the box derives from its config: rebuild the part of a Config they read.
    config::Config cfg;
    SiteRules rules;
    try
    {
        cfg.office.name = context.at("office").get<std::string>();
        cfg.office.utc_offset.offset = std::chrono::minutes(context.at("utc_offset_minutes").get<int>());
        cfg.office.hours = intervals_from(context.at("office_hours"));
        for (const auto& [day, hours] : context.at("weekday_hours").items())
            cfg.reg.weekday_hours[static_cast<unsigned>(std::stoi(day))] = intervals_from(hours);
        cfg.reg.sessions_count_as_days = context.at("sessions_count_as_days").get<bool>();
        cfg.reg.same_day_cutoff = TimeOfDay{context.at("same_day_cutoff").get<int>()};
        if (const auto& m = context.at("early_margin_hours"); !m.is_null())
            cfg.reg.early_margin_hours = m.get<int>();
        for (const auto& [id, field] : context.at("services").items())
            rules.field_of_service[id] = field.get<std::string>();
        std::vector<calendar::YearTable> years;
        for (const auto& [year, text] : context.at("calendar").items())
        {
            auto table = calendar::parse_year(text.get<std::string>(), "calendar " + year);
            if (!table)
                return make_error("bad_context", "the site's calendar " + year + " does not parse: " +
                                                     table.error().message);
            years.push_back(std::move(*table));
        }
        if (!years.empty())
        {
            auto cal = calendar::Calendar::from_years(std::move(years));
            if (!cal)
                return cal.error();
            rules.calendar = std::make_shared<const calendar::Calendar>(std::move(*cal));
        }
    }
    catch (const json::exception& e)
    {
        return make_error("bad_context", std::string("the site's context is incomplete: ") + e.what());
    }
    catch (const std::exception& e)
    {
        return make_error("bad_context", std::string("the site's context is wrong: ") + e.what());
    }
    rules.office = cfg.office.name;
    rules.tz = cfg.office.utc_offset;
    rules.timing = dossier::register_timing_rules(cfg, rules.calendar);
    return rules;
}

std::map<int, std::string> read_calendar_years(const std::string& dir)
{
    std::map<int, std::string> years;
    if (dir.empty())
        return years;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    {
        const auto name = it->path().filename().string();
        if (name.size() != 9 || !name.ends_with(".toml") || !std::isdigit(static_cast<unsigned char>(name[0])))
            continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (in)
            years[std::stoi(name.substr(0, 4))] = text.str();
    }
    return years;
}

} // namespace motcua::outbox
