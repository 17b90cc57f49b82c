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
        proc.same_day = p.boolean("same_day", Need::optional).value_or(false);
        proc.deciding_agency = p.string("deciding_agency", Need::optional).value_or("");
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

        int timings = (proc.days ? 1 : 0) + (proc.hours ? 1 : 0) + (proc.same_day ? 1 : 0);
        bool typed_ok = !p.node().contains("days") == !proc.days && !p.node().contains("hours") == !proc.hours;
        if (timings == 0 && typed_ok)
            p.error_here("procedure " + proc.code + " has no processing time: give `days`, `hours` or `same_day = true`");
        else if (timings > 1)
            p.error(proc.days ? "days" : "hours",
                    "procedure " + proc.code + " gives more than one of `days`, `hours` and `same_day = true`; keep one");
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
        reg.early_margin_hours =
            static_cast<int>(t->integer("early_margin_hours", Need::optional, 0, 24 * 365).value_or(reg.early_margin_hours));
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
