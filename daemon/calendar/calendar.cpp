#include "calendar/calendar.hpp"

#include <algorithm>

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

Result<OfficeHours> Calendar::hours_on(Date d, const DueRules& rules) const
{
    auto w = is_working_day(d);
    if (!w)
        return w.error();
    const auto* e = entry(d);
    if (e && is_day_off(e->kind))
        return OfficeHours{};
    if (e && e->kind == DayKind::swapped_work)
        return rules.office_hours; // a làm bù day is a full working day
    const unsigned wd = chr::weekday{chr::sys_days{d}}.c_encoding();
    if (auto it = rules.weekday_hours.find(wd); it != rules.weekday_hours.end())
        return it->second;
    return *w ? rules.office_hours : OfficeHours{};
}

Result<bool> Calendar::counts_as_day(Date d, const DueRules& rules) const
{
    auto w = is_working_day(d);
    if (!w || *w)
        return w;
    if (!rules.sessions_count_as_days)
        return false;
    auto h = hours_on(d, rules);
    if (!h)
        return h.error();
    return !h->empty();
}

Result<Date> Calendar::add_days(Date d, int n, const DueRules& rules) const
{
    if (n < 0 || n > max_working_days)
        return make_error("invalid_duration", "a working-day count must be 0.." + std::to_string(max_working_days));
    auto day = chr::sys_days{d};
    for (int counted = 0; counted < n;)
    {
        day += chr::days{1};
        auto w = counts_as_day(Date{day}, rules);
        if (!w)
            return w.error();
        if (*w)
            ++counted;
    }
    return Date{day};
}

// The first day after d with opening hours (a working day or a session).
Result<Date> Calendar::next_open_day(Date d, const DueRules& rules) const
{
    auto day = chr::sys_days{d};
    for (int i = 0; i < max_working_days; ++i)
    {
        day += chr::days{1};
        auto h = hours_on(Date{day}, rules);
        if (!h)
            return h.error();
        if (!h->empty())
            return Date{day};
    }
    return make_error("invalid_duration", "no opening hours within ten years");
}

Result<std::int64_t> Calendar::working_minutes(LocalDateTime from, LocalDateTime to, const DueRules& rules) const
{
    std::int64_t total = 0;
    for (auto day = chr::sys_days{from.date}; day <= chr::sys_days{to.date}; day += chr::days{1})
    {
        auto h = hours_on(Date{day}, rules);
        if (!h)
            return h.error();
        const int lo = day == chr::sys_days{from.date} ? from.time.minutes : 0;
        const int hi = day == chr::sys_days{to.date} ? to.time.minutes : 24 * 60;
        for (const auto& [open, close] : *h)
            total += std::max(0, std::min(hi, close.minutes) - std::max(lo, open.minutes));
    }
    return total;
}

Result<LocalDateTime> Calendar::due(LocalDateTime received, Duration duration, bool same_day,
                                    const DueRules& rules) const
{
    if (auto ok = check_hours(rules.office_hours); !ok)
        return ok.error();
    for (const auto& [wd, hours] : rules.weekday_hours)
        if (!hours.empty())
            if (auto ok = check_hours(hours); !ok)
                return ok.error();
    auto close_of = [&](Date d) -> Result<LocalDateTime> {
        auto h = hours_on(d, rules);
        if (!h)
            return h.error();
        return LocalDateTime{d, h->empty() ? rules.office_hours.back().second : h->back().second};
    };

    if (same_day)
    {
        // Sessions count: a same-day procedure received on a Saturday morning session
        // before the cut-off is due at the session's close.
        auto h = hours_on(received.date, rules);
        if (!h)
            return h.error();
        if (!h->empty() && received.time <= rules.same_day_cutoff)
            return close_of(received.date);
        auto next = next_open_day(received.date, rules);
        if (!next)
            return next.error();
        return close_of(*next);
    }
    if (duration.amount < 1)
        return make_error("invalid_duration", "a processing time must be at least 1 day or 1 hour");

    if (duration.unit == Duration::Unit::days)
    {
        auto d = add_days(received.date, duration.amount, rules);
        if (!d)
            return d.error();
        return close_of(*d);
    }
    if (duration.unit == Duration::Unit::calendar_days)
    {
        if (duration.amount > max_working_days)
            return make_error("invalid_duration", "a calendar-day count must be 1.." + std::to_string(max_working_days));
        Date last{chr::sys_days{received.date} + chr::days{duration.amount}};
        auto w = counts_as_day(last, rules);
        if (!w)
            return w.error();
        if (!*w)
        {
            auto next = add_days(last, 1, rules);
            if (!next)
                return next.error();
            last = *next;
        }
        return close_of(last);
    }

    // Hours: start at the receipt time, or at the next opening when outside opening hours.
    LocalDateTime pos = received;
    OfficeHours today;
    for (;;)
    {
        auto h = hours_on(pos.date, rules);
        if (!h)
            return h.error();
        today = *h;
        bool placed = false;
        for (const auto& [from, to] : today)
            if (pos.time < to)
            {
                pos.time = std::max(pos.time, from);
                placed = true;
                break;
            }
        if (placed)
            break;
        auto next = next_open_day(pos.date, rules);
        if (!next)
            return next.error();
        pos = LocalDateTime{*next, TimeOfDay{0}};
    }
    // Whole working days keep the time of day (8 h = 1 working day).
    if (int whole = duration.amount / hours_per_working_day; whole > 0)
    {
        auto d = add_working_days(pos.date, whole);
        if (!d)
            return d.error();
        pos.date = *d;
        auto h = hours_on(pos.date, rules);
        if (!h)
            return h.error();
        today = *h;
    }
    // The rest counts inside opening hours only (sessions included).
    int rest = (duration.amount % hours_per_working_day) * 60;
    while (rest > 0)
    {
        std::size_t i = 0;
        while (i < today.size() && !(pos.time < today[i].second))
            ++i;
        if (i < today.size())
        {
            pos.time = std::max(pos.time, today[i].first);
            int avail = today[i].second.minutes - pos.time.minutes;
            if (rest <= avail)
            {
                pos.time.minutes += rest;
                break;
            }
            rest -= avail;
            pos.time = today[i].second;
            continue;
        }
        auto next = next_open_day(pos.date, rules);
        if (!next)
            return next.error();
        auto h = hours_on(*next, rules);
        if (!h)
            return h.error();
        today = *h;
        pos = LocalDateTime{*next, today.front().first};
    }
    return pos;
}

} // namespace motcua::calendar
