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

// A statutory processing time: N working days, N working hours (8 h = 1 working day), or
// N calendar days (a few procedures count every day; the period still ends on a working
// day, Civil Code 2015 art. 148(2)).
struct Duration
{
    enum class Unit
    {
        days,
        hours,
        calendar_days
    };
    Unit unit = Unit::days;
    int amount = 0;

    static Duration days(int n) { return Duration{Unit::days, n}; }
    static Duration hours(int n) { return Duration{Unit::hours, n}; }
    static Duration calendar_days(int n) { return Duration{Unit::calendar_days, n}; }
};

struct DueRules
{
    // Opening hours of Monday-Friday and of swapped working (làm bù) days.
    OfficeHours office_hours;
    // Same-day procedures received after this time are due the next working day.
    TimeOfDay same_day_cutoff{15 * 60};
    // Other hours for a weekday (0 = Sunday … 6 = Saturday), e.g. a Saturday-morning
    // session (07:30-11:30): they count as working time for periods in hours and for
    // same-day procedures. A weekday listed with no intervals is closed.
    std::map<unsigned, OfficeHours> weekday_hours;
    // Whether a weekend day with a session counts as a working day for periods in days.
    bool sessions_count_as_days = false;
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

    // The opening hours of a date under `rules`: none on a day off (holiday, nghỉ bù,
    // swapped-off), the weekday hours on a working day or a làm bù day, a configured
    // session on a weekend day.
    Result<OfficeHours> hours_on(Date d, const DueRules& rules) const;
    // Working minutes between two local times: the parts of [from, to) inside opening hours.
    Result<std::int64_t> working_minutes(LocalDateTime from, LocalDateTime to, const DueRules& rules) const;

    // The due time of a dossier received at `received` (local time):
    //  - same_day: the close of office hours on the day of receipt, or on the next working
    //    day when received after rules.same_day_cutoff or on a non-working day;
    //  - days N: the close of office hours on the N-th working day after the day of receipt
    //    (the period itself ends with that day: a result any time on it is on time);
    //  - calendar days N: the N-th day after the day of receipt, moved to the next working
    //    day when it is not one, at the close of office hours;
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
    Result<bool> counts_as_day(Date d, const DueRules& rules) const;
    Result<Date> add_days(Date d, int n, const DueRules& rules) const;
    Result<Date> next_open_day(Date d, const DueRules& rules) const;

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
