#pragma once

// One year of the working calendar, as written in config/calendar/YYYY.toml: public
// holidays, compensatory days off (nghỉ bù), and weekdays swapped with weekend days
// (hoán đổi / làm bù). Plain data plus a pure parser of the file's text.

#include "util/result.hpp"
#include "util/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::calendar
{

enum class DayKind
{
    holiday,      // public holiday; may fall on a weekend (then a compensatory day follows)
    compensatory, // nghỉ bù: weekday off because a holiday fell on a weekend
    swapped_off,  // hoán đổi: weekday off, worked instead on a swapped_work day
    swapped_work  // làm bù: Saturday or Sunday worked
};

std::string_view to_string(DayKind kind);   // "holiday", "compensatory", ...
bool is_day_off(DayKind kind);              // every kind but swapped_work

struct DayEntry
{
    Date date{};
    DayKind kind = DayKind::holiday;
    std::string name;         // "Tết Nguyên đán Ất Tỵ"
    std::string source;       // the notice it comes from
    bool provisional = false; // not yet confirmed by a notice
};

struct YearTable
{
    int year = 0;
    bool provisional = false;        // status = "provisional": statutory days only
    std::string source;              // file name, for messages
    Date lunar_new_year{};           // mùng 1 Tết at UTC+7
    Date hung_kings{};               // Giỗ Tổ Hùng Vương (10/3 lunar)
    std::vector<DayEntry> days;      // one per date, sorted by date
    std::vector<DayEntry> not_in_force; // entries with in_force = false: listed, not applied
};

// Parses and checks one year file: every error with source:line:col, joined by newlines
// in Error::message (code "calendar_invalid"). Checks: dates inside `year`, one entry per
// date, compensatory and swapped_off days on Monday-Friday, swapped_work days on a weekend,
// lunar_new_year and hung_kings covered by holidays, no unknown keys.
Result<YearTable> parse_year(std::string_view toml_text, const std::string& source);

} // namespace motcua::calendar
