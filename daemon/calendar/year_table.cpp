#include "calendar/year_table.hpp"

#include "config/diagnostics.hpp"
#include "config/reader.hpp"
#include "config/toml_text.hpp"

#include <algorithm>
#include <chrono>
#include <map>

namespace motcua::calendar
{

namespace chr = std::chrono;
using config::Need;
using config::Table;

std::string_view to_string(DayKind kind)
{
    switch (kind)
    {
    case DayKind::holiday: return "holiday";
    case DayKind::compensatory: return "compensatory";
    case DayKind::swapped_off: return "swapped_off";
    case DayKind::swapped_work: return "swapped_work";
    }
    return "holiday";
}

bool is_day_off(DayKind kind) { return kind != DayKind::swapped_work; }

namespace
{

bool weekend(Date d)
{
    auto wd = chr::weekday{chr::sys_days{d}};
    return wd == chr::Saturday || wd == chr::Sunday;
}

std::optional<Date> date_key(Table& t, std::string_view key, Need need)
{
    auto text = t.string(key, need);
    if (!text)
        return std::nullopt;
    auto d = parse_date(*text);
    if (!d)
        t.error(key, t.path() + "." + std::string(key) + " = \"" + *text +
                         "\" is not a date: write \"YYYY-MM-DD\"");
    return d;
}

DayKind kind_of(const std::string& s)
{
    if (s == "compensatory")
        return DayKind::compensatory;
    if (s == "swapped_off")
        return DayKind::swapped_off;
    if (s == "swapped_work")
        return DayKind::swapped_work;
    return DayKind::holiday;
}

void parse_day(Table& t, YearTable& out, std::map<chr::sys_days, config::Where>& seen)
{
    auto kind_text = t.choice("kind", Need::required,
                              {"holiday", "compensatory", "swapped_off", "swapped_work"});
    auto name = t.string("name", Need::required).value_or("");
    auto source = t.string("source", Need::optional).value_or("");
    bool provisional = t.boolean("provisional", Need::optional).value_or(false);
    // in_force = false: a day that is announced or proposed but not (yet) law; kept in the
    // file, checked like the others, not applied. Flip it to true once it is law.
    bool in_force = t.boolean("in_force", Need::optional).value_or(true);
    bool has_date = t.node().contains("date");
    bool has_range = t.node().contains("from") || t.node().contains("to");
    std::optional<Date> from;
    std::optional<Date> to;
    if (has_date && has_range)
        t.error("date", t.path() + " has both `date` and `from`/`to`: give one date or one range");
    else if (!has_date && !has_range)
        t.error_here(t.path() + " needs `date`, or `from` and `to`");
    if (has_date)
        from = to = date_key(t, "date", Need::required);
    else if (has_range)
    {
        from = date_key(t, "from", Need::required);
        to = date_key(t, "to", Need::required);
    }
    // Mark both spellings read so that finish() only reports genuinely unknown keys.
    (void)t.raw_table("date");
    (void)t.raw_table("from");
    (void)t.raw_table("to");
    t.finish();
    if (!kind_text || !from || !to)
        return;
    auto kind = kind_of(*kind_text);
    const char* key = has_date ? "date" : "from";
    if (chr::sys_days{*to} < chr::sys_days{*from})
    {
        t.error("to", t.path() + " ends (" + format_date(*to) + ") before it starts (" +
                          format_date(*from) + ")");
        return;
    }
    if (static_cast<int>(from->year()) != out.year || static_cast<int>(to->year()) != out.year)
    {
        t.error(key, t.path() + ": " + format_date(*from) + " is not in " + std::to_string(out.year) +
                         ", the year of this file");
        return;
    }
    for (auto day = chr::sys_days{*from}; day <= chr::sys_days{*to}; day += chr::days{1})
    {
        Date d{day};
        if (kind == DayKind::swapped_work && !weekend(d))
            t.error(key, t.path() + ": " + format_date(d) +
                             " is a weekday; a swapped_work day must be a Saturday or Sunday");
        if ((kind == DayKind::compensatory || kind == DayKind::swapped_off) && weekend(d))
            t.error(key, t.path() + ": " + format_date(d) + " is a Saturday or Sunday; a " +
                             std::string(to_string(kind)) + " day must be Monday to Friday");
        if (auto [it, fresh] = seen.emplace(day, t.where(key)); !fresh)
        {
            t.error(key, t.path() + ": " + format_date(d) + " is already listed at line " +
                             std::to_string(it->second.line));
            continue;
        }
        (in_force ? out.days : out.not_in_force).push_back(DayEntry{d, kind, name, source, provisional});
    }
}

bool covered_by_holiday(const YearTable& y, Date d)
{
    return std::any_of(y.days.begin(), y.days.end(),
                       [&](const DayEntry& e) { return e.date == d && e.kind == DayKind::holiday; });
}

} // namespace

Result<YearTable> parse_year(std::string_view toml_text, const std::string& source)
{
    config::Diagnostics diags;
    auto parsed = config::parse_toml(toml_text, source, diags);
    if (!parsed)
        return make_error("calendar_invalid", diags.str());
    config::Context ctx{source, diags};
    Table root{*parsed, "calendar", ctx};
    YearTable out;
    out.source = source;
    out.year = static_cast<int>(root.integer("year", Need::required, 1900, 2200).value_or(0));
    auto status = root.choice("status", Need::required, {"official", "provisional"});
    out.provisional = status && *status == "provisional";
    auto tet = date_key(root, "lunar_new_year", Need::required);
    auto hung = date_key(root, "hung_kings", Need::required);
    auto days = root.tables("day", Need::required);
    root.finish();
    if (out.year != 0)
    {
        std::map<chr::sys_days, config::Where> seen;
        for (auto& t : days)
            parse_day(t, out, seen);
        std::sort(out.days.begin(), out.days.end(), [](const DayEntry& a, const DayEntry& b) {
            return chr::sys_days{a.date} < chr::sys_days{b.date};
        });
        // The lunar dates are the ones most often got wrong (a UTC+8 calendar moves Tết 2030
        // by a day): require the holiday table to agree with them.
        if (tet)
        {
            if (static_cast<int>(tet->year()) != out.year)
                root.error("lunar_new_year", "calendar.lunar_new_year " + format_date(*tet) + " is not in " +
                                                 std::to_string(out.year));
            else if (!covered_by_holiday(out, *tet))
                root.error("lunar_new_year", "calendar.lunar_new_year " + format_date(*tet) +
                                                 " is not listed as a holiday: the Tết days must include it");
            out.lunar_new_year = *tet;
        }
        if (hung)
        {
            if (!covered_by_holiday(out, *hung))
                root.error("hung_kings", "calendar.hung_kings " + format_date(*hung) +
                                             " is not listed as a holiday");
            out.hung_kings = *hung;
        }
    }
    if (!diags.ok())
        return make_error("calendar_invalid", diags.str());
    return out;
}

} // namespace motcua::calendar
