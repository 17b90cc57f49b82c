// [register]: the database, the working calendar's directory, the procedure catalogue.

#include "config/sections.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <tuple>

namespace motcua::config
{

namespace
{

namespace fs = std::filesystem;

std::string find_calendar_dir(const std::vector<std::string>& search_dirs)
{
    for (const auto& base : search_dirs)
    {
        std::error_code ec;
        auto p = fs::path(base) / "calendar";
        if (fs::is_directory(p, ec))
            return p.string();
    }
    return {};
}

// monday_hours … sunday_hours = ["HH:MM-HH:MM", …]: that weekday's own opening hours.
void parse_weekday_hours(Table& t, Register& reg)
{
    static const char* names[] = {"sunday_hours",   "monday_hours", "tuesday_hours", "wednesday_hours",
                                  "thursday_hours", "friday_hours", "saturday_hours"};
    for (unsigned wd = 0; wd < 7; ++wd)
    {
        auto list = t.strings(names[wd], Need::optional);
        if (!list)
            continue;
        auto& hours = reg.weekday_hours[wd];
        for (std::size_t i = 0; i < list->size(); ++i)
        {
            const auto& h = (*list)[i];
            auto from = h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(0, 5)) : std::nullopt;
            auto to = h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(6, 5)) : std::nullopt;
            if (!from || !to || !(*from < *to))
                t.error_at(t.where(names[wd], i), t.qualified(names[wd]) + " entry \"" + h +
                                                      "\" must be an interval \"HH:MM-HH:MM\" that ends after it starts");
            else if (!hours.empty() && *from < hours.back().second)
                t.error_at(t.where(names[wd], i), t.qualified(names[wd]) + " entry \"" + h +
                                                      "\" overlaps or precedes the one before it; list them in order");
            else
                hours.emplace_back(*from, *to);
        }
    }
}

void parse_procedures(Table& t, Register& reg)
{
    // (code, effective_from or "") -> where first defined
    std::map<std::pair<std::string, std::string>, Where> seen;
    for (auto& p : t.tables("procedure", Need::optional))
    {
        Procedure proc;
        proc.code = p.string("code", Need::required).value_or("");
        proc.name = p.string("name", Need::required).value_or("");
        proc.field = p.string("field", Need::required).value_or("");
        if (auto d = p.integer("days", Need::optional, 1, 365))
            proc.days = static_cast<int>(*d);
        if (auto h = p.integer("hours", Need::optional, 1, 8 * 365))
            proc.hours = static_cast<int>(*h);
        if (auto c = p.integer("calendar_days", Need::optional, 1, 3650))
            proc.calendar_days = static_cast<int>(*c);
        proc.same_day = p.boolean("same_day", Need::optional).value_or(false);
        if (auto cut = p.time_of_day_minutes("same_day_cutoff", Need::optional))
        {
            proc.same_day_cutoff = TimeOfDay{*cut};
            if (!proc.same_day)
                p.error("same_day_cutoff", "procedure " + proc.code +
                                               " has a same_day_cutoff but is not same_day = true");
        }
        proc.deciding_agency = p.string("deciding_agency", Need::optional).value_or("");
        if (auto docs = p.strings("documents", Need::optional))
            proc.documents = *docs;
        proc.fee = p.string("fee", Need::optional).value_or("");
        std::string from_text;
        if (auto from = p.string("effective_from", Need::optional))
        {
            from_text = *from;
            proc.effective_from = parse_date(*from);
            if (!proc.effective_from)
                p.error("effective_from", p.path() + ".effective_from = \"" + *from +
                                              "\" is not a date: write \"YYYY-MM-DD\"");
        }
        p.finish();

        int timings = (proc.days ? 1 : 0) + (proc.hours ? 1 : 0) + (proc.calendar_days ? 1 : 0) + (proc.same_day ? 1 : 0);
        bool typed_ok = !p.node().contains("days") == !proc.days && !p.node().contains("hours") == !proc.hours &&
                        !p.node().contains("calendar_days") == !proc.calendar_days;
        if (timings == 0 && typed_ok)
            p.error_here("procedure " + proc.code +
                         " has no processing time: give `days`, `hours`, `calendar_days` or `same_day = true`");
        else if (timings > 1)
            p.error(proc.days ? "days" : proc.hours ? "hours" : "calendar_days",
                    "procedure " + proc.code +
                        " gives more than one of `days`, `hours`, `calendar_days` and `same_day = true`; keep one");
        if (!proc.code.empty())
        {
            bool valid = proc.code.find_first_of(" \t,;\"") == std::string::npos;
            if (!valid)
                p.error("code", "procedure code \"" + proc.code + "\" must not hold spaces, commas, semicolons or quotes");
            auto key = std::make_pair(proc.code, from_text);
            if (auto [it, fresh] = seen.emplace(key, p.where("code")); !fresh)
                p.error("code", "procedure " + proc.code + " is listed twice with " +
                                    (from_text.empty() ? std::string("no effective_from")
                                                       : "effective_from " + from_text) +
                                    " (first at line " + std::to_string(it->second.line) + ")");
        }
        reg.procedures.push_back(std::move(proc));
    }
}

} // namespace

void parse_register(Table& root, Config& cfg, SectionContext& sc)
{
    auto& reg = cfg.reg;
    auto t = root.table("register", Need::optional);
    if (t)
    {
        reg.database = t->string("database", Need::optional).value_or(reg.database);
        if (auto dir = t->string("calendar_dir", Need::optional))
        {
            fs::path p(*dir);
            if (p.is_relative() && !sc.search_dirs.empty())
                p = fs::path(sc.search_dirs.front()) / p;
            std::error_code ec;
            if (!fs::is_directory(p, ec))
                t->error("calendar_dir", "register.calendar_dir \"" + *dir + "\" is not a directory (looked for " +
                                             p.string() + ")");
            reg.calendar_dir = p.string();
        }
        if (auto cut = t->time_of_day_minutes("same_day_cutoff", Need::optional))
            reg.same_day_cutoff = TimeOfDay{*cut};
        if (auto m = t->integer("early_margin_hours", Need::optional, 0, 24 * 365))
            reg.early_margin_hours = static_cast<int>(*m);
        parse_weekday_hours(*t, reg);
        reg.sessions_count_as_days = t->boolean("sessions_count_as_days", Need::optional).value_or(false);
        reg.authority = t->string("authority", Need::optional).value_or("");
        reg.place = t->string("place", Need::optional).value_or("");
        reg.forms_printer = t->string("forms_printer", Need::optional).value_or("");
        parse_procedures(*t, reg);
        t->finish();
    }
    if (reg.calendar_dir.empty())
        reg.calendar_dir = find_calendar_dir(sc.search_dirs);
}

const Procedure* Register::procedure(std::string_view code, Date on) const
{
    const Procedure* best = nullptr;
    for (const auto& p : procedures)
    {
        if (p.code != code)
            continue;
        if (p.effective_from && std::chrono::sys_days{on} < std::chrono::sys_days{*p.effective_from})
            continue;
        auto key = [](const Procedure* x) {
            return x->effective_from ? std::chrono::sys_days{*x->effective_from} : std::chrono::sys_days::min();
        };
        if (!best || key(&p) > key(best))
            best = &p;
    }
    return best;
}

} // namespace motcua::config
