#include "calendar/calendar.hpp"

namespace motcua::calendar
{

namespace chr = std::chrono;

namespace
{

// Far enough for any statutory time (the longest are a few months); bounds the scans.
constexpr int max_working_days = 3660;

Result<void> check_hours(const OfficeHours& hours)
{
    if (hours.empty())
        return make_error("office_hours_missing", "No office hours are configured: due times need them.");
    for (std::size_t i = 0; i < hours.size(); ++i)
    {
        if (!(hours[i].first < hours[i].second) ||
            (i > 0 && hours[i].first < hours[i - 1].second))
            return make_error("office_hours_invalid",
                              "Office hours must be ordered, non-overlapping intervals that end after they start.");
    }
    return {};
}

} // namespace

Error missing_year_error(int year)
{
    auto y = std::to_string(year);
    return make_error("calendar_year_missing",
                      "no working calendar for " + y + ": add config/calendar/" + y + ".toml");
}

Result<Calendar> Calendar::from_years(std::vector<YearTable> years)
{
    Calendar cal;
    for (auto& y : years)
    {
        if (!cal.years_.insert(y.year).second)
            return make_error("calendar_duplicate_year",
                              "the working calendar for " + std::to_string(y.year) +
                                  " is given twice (" + y.source + ")");
        if (y.provisional)
            cal.provisional_.insert(y.year);
        for (auto& e : y.days)
            cal.entries_.emplace(chr::sys_days{e.date}, std::move(e));
    }
    return cal;
}

const DayEntry* Calendar::entry(Date d) const
{
    auto it = entries_.find(chr::sys_days{d});
    return it == entries_.end() ? nullptr : &it->second;
}

Result<bool> Calendar::is_working_day(Date d) const
{
    if (!d.ok())
        return make_error("invalid_date", "not a valid date");
    int year = static_cast<int>(d.year());
    if (!years_.contains(year))
        return missing_year_error(year);
    if (const auto* e = entry(d))
        return !is_day_off(e->kind);
    auto wd = chr::weekday{chr::sys_days{d}};
    return wd != chr::Saturday && wd != chr::Sunday;
}

Result<std::vector<Date>> Calendar::working_days(Date from, Date to) const
{
    if (chr::sys_days{to} < chr::sys_days{from})
        return make_error("invalid_range", "the range ends (" + format_date(to) + ") before it starts (" +
                                               format_date(from) + ")");
    std::vector<Date> out;
    for (auto day = chr::sys_days{from}; day <= chr::sys_days{to}; day += chr::days{1})
    {
        auto w = is_working_day(Date{day});
        if (!w)
            return w.error();
        if (*w)
            out.push_back(Date{day});
    }
    return out;
}

Result<int> Calendar::workdays_between(Date from, Date to) const
{
    auto days = working_days(from, to);
    if (!days)
        return days.error();
    return static_cast<int>(days->size());
}

Result<Date> Calendar::add_working_days(Date d, int n) const
{
    if (n < 0 || n > max_working_days)
        return make_error("invalid_duration", "a working-day count must be 0.." + std::to_string(max_working_days));
    auto day = chr::sys_days{d};
    for (int counted = 0; counted < n;)
    {
        day += chr::days{1};
        auto w = is_working_day(Date{day});
        if (!w)
            return w.error();
        if (*w)
            ++counted;
    }
    return Date{day};
}

Result<Date> Calendar::next_working_day(Date d) const { return add_working_days(d, 1); }

Result<LocalDateTime> Calendar::due(LocalDateTime received, Duration duration, bool same_day,
                                    const DueRules& rules) const
{
    if (auto ok = check_hours(rules.office_hours); !ok)
        return ok.error();
    const TimeOfDay close = rules.office_hours.back().second;

    if (same_day)
    {
        auto w = is_working_day(received.date);
        if (!w)
            return w.error();
        if (*w && received.time <= rules.same_day_cutoff)
            return LocalDateTime{received.date, close};
        auto next = next_working_day(received.date);
        if (!next)
            return next.error();
        return LocalDateTime{*next, close};
    }
    if (duration.amount < 1)
        return make_error("invalid_duration", "a processing time must be at least 1 day or 1 hour");

    if (duration.unit == Duration::Unit::days)
    {
        auto d = add_working_days(received.date, duration.amount);
        if (!d)
            return d.error();
        return LocalDateTime{*d, close};
    }

    // Hours: start at the receipt time, or at the next opening when outside office hours.
    LocalDateTime pos = received;
    for (;;)
    {
        auto w = is_working_day(pos.date);
        if (!w)
            return w.error();
        bool placed = false;
        if (*w)
            for (const auto& [from, to] : rules.office_hours)
                if (pos.time < to)
                {
                    pos.time = std::max(pos.time, from);
                    placed = true;
                    break;
                }
        if (placed)
            break;
        auto next = next_working_day(pos.date);
        if (!next)
            return next.error();
        pos = LocalDateTime{*next, rules.office_hours.front().first};
    }
    // Whole working days keep the time of day (8 h = 1 working day).
    if (int whole = duration.amount / hours_per_working_day; whole > 0)
    {
        auto d = add_working_days(pos.date, whole);
        if (!d)
            return d.error();
        pos.date = *d;
    }
    // The rest counts inside office hours only.
    int rest = (duration.amount % hours_per_working_day) * 60;
    while (rest > 0)
    {
        std::size_t i = 0;
        while (i < rules.office_hours.size() && !(pos.time < rules.office_hours[i].second))
            ++i;
        int avail = rules.office_hours[i].second.minutes - pos.time.minutes;
        if (rest <= avail)
        {
            pos.time.minutes += rest;
            break;
        }
        rest -= avail;
        if (i + 1 < rules.office_hours.size())
            pos.time = rules.office_hours[i + 1].first;
        else
        {
            auto next = next_working_day(pos.date);
            if (!next)
                return next.error();
            pos = LocalDateTime{*next, rules.office_hours.front().first};
        }
    }
    return pos;
}

} // namespace motcua::calendar
