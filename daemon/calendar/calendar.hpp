#pragma once

// The working calendar of a public-sector office and the due dates counted on it
// (domain.md §7, docs/register.md "Due dates"). Pure: built from parsed year tables,
// no clock, no files. A date outside the loaded years is an error naming the missing
// year, never a guess.

#include "calendar/year_table.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <chrono>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace motcua::calendar
{

// Office opening intervals within a day, in order, e.g. 07:30-11:30 and 13:30-17:00
// (config::Office::hours has this shape).
using OfficeHours = std::vector<std::pair<TimeOfDay, TimeOfDay>>;

// A statutory processing time: N working days, or N working hours (8 h = 1 working day).
struct Duration
{
    enum class Unit
    {
        days,
        hours
    };
    Unit unit = Unit::days;
    int amount = 0;

    static Duration days(int n) { return Duration{Unit::days, n}; }
    static Duration hours(int n) { return Duration{Unit::hours, n}; }
};

struct DueRules
{
    OfficeHours office_hours;
    // Same-day procedures received after this time are due the next working day.
    TimeOfDay same_day_cutoff{15 * 60};
};

// Hours in one working day for hour-based durations.
inline constexpr int hours_per_working_day = 8;

class Calendar
{
  public:
    Calendar() = default;

    // Combines year tables; two tables for the same year is an error.
    static Result<Calendar> from_years(std::vector<YearTable> years);

    // Monday-Friday minus holidays, compensatory and swapped-off days, plus swapped-work days.
    Result<bool> is_working_day(Date d) const;
    // Working days d with from <= d <= to (both ends included); an error when to < from.
    Result<int> workdays_between(Date from, Date to) const;
    Result<std::vector<Date>> working_days(Date from, Date to) const;
    // The first working day strictly after d.
    Result<Date> next_working_day(Date d) const;
    // The n-th working day strictly after d (n >= 1); d itself is never counted.
    Result<Date> add_working_days(Date d, int n) const;

    // The due time of a dossier received at `received` (local time):
    //  - same_day: the close of office hours on the day of receipt, or on the next working
    //    day when received after rules.same_day_cutoff or on a non-working day;
    //  - days N: the close of office hours on the N-th working day after the day of receipt;
    //  - hours N: N/8 whole working days, then the remaining hours counted only inside office
    //    hours on working days, from the receipt time (moved to the next opening when
    //    received outside office hours).
    // Errors: a year outside the table, empty or unordered office hours, a duration < 1
    // for a procedure that is not same-day.
    Result<LocalDateTime> due(LocalDateTime received, Duration duration, bool same_day,
                              const DueRules& rules) const;

    // The table entry for a date (holiday name, kind, source), or nullptr.
    const DayEntry* entry(Date d) const;
    bool has_year(int year) const { return years_.contains(year); }
    std::vector<int> years() const { return {years_.begin(), years_.end()}; }
    bool provisional(int year) const { return provisional_.contains(year); }

  private:
    std::set<int> years_;
    std::set<int> provisional_;
    std::map<std::chrono::sys_days, DayEntry> entries_;
};

// The error for a date outside the table: code "calendar_year_missing",
// "no working calendar for 2032: add config/calendar/2032.toml".
Error missing_year_error(int year);

// Reads every YYYY.toml in `dir` (thin I/O around parse_year): all errors of all files in
// one message; the file name must match its `year`.
Result<Calendar> load_directory(const std::string& dir);

} // namespace motcua::calendar
