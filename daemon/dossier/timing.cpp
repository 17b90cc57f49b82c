#include "dossier/timing.hpp"

#include <algorithm>
#include <vector>

namespace motcua::dossier
{

std::string_view to_string(Outcome o)
{
    switch (o)
    {
    case Outcome::early: return "early";
    case Outcome::on_time: return "on_time";
    case Outcome::late: return "late";
    case Outcome::open_within_due: return "open_within_due";
    case Outcome::open_over_due: return "open_over_due";
    case Outcome::closed: return "closed";
    }
    return "on_time";
}

std::int64_t TimingRules::minutes(LocalDateTime from, LocalDateTime to) const
{
    if (working_minutes)
        return working_minutes(from, to);
    return std::max<std::int64_t>(0, to_minutes(to) - to_minutes(from));
}

std::optional<LocalDateTime> end_of_processing(const Dossier& d, LocalDateTime as_of)
{
    const auto limit = to_minutes(as_of);
    auto known = [&](const std::optional<LocalDateTime>& t) { return t && to_minutes(*t) <= limit; };
    // Precedence, not chronology: a decision ends processing even if the return came first
    // in the data (e.g. a correction entered later).
    if (known(d.result_at))
        return d.result_at;
    if (known(d.returned_at))
        return d.returned_at;
    if (known(d.closed_at))
        return d.closed_at;
    return std::nullopt;
}

bool ends_with_its_day(const Dossier& d) { return !d.processing_hours || d.same_day; }

Punctuality punctuality_of(Outcome o)
{
    switch (o)
    {
    case Outcome::early: return Punctuality::early;
    case Outcome::on_time:
    case Outcome::open_within_due:
    case Outcome::closed: return Punctuality::on_time;
    case Outcome::late:
    case Outcome::open_over_due: return Punctuality::late;
    }
    return Punctuality::on_time;
}

namespace
{

struct Interval
{
    LocalDateTime from;
    LocalDateTime to;
};

// Pause intervals up to `eval`, merged so that overlapping pauses count once.
std::vector<Interval> pauses_until(const Dossier& d, std::int64_t eval, int& supplement_requests)
{
    std::vector<Interval> out;
    auto add = [&](LocalDateTime from, const std::optional<LocalDateTime>& to) {
        if (to_minutes(from) > eval)
            return false;
        auto end = to && to_minutes(*to) < eval ? *to : from_minutes(eval);
        if (to_minutes(end) > to_minutes(from))
            out.push_back({from, end});
        return true;
    };
    for (const auto& s : d.supplements)
        if (add(s.requested_at, s.completed_at))
            ++supplement_requests;
    for (const auto& o : d.obligations)
        add(o.from, o.to);
    std::sort(out.begin(), out.end(),
              [](const Interval& a, const Interval& b) { return to_minutes(a.from) < to_minutes(b.from); });
    std::vector<Interval> merged;
    for (const auto& i : out)
    {
        if (!merged.empty() && to_minutes(i.from) <= to_minutes(merged.back().to))
        {
            if (to_minutes(i.to) > to_minutes(merged.back().to))
                merged.back().to = i.to;
        }
        else
            merged.push_back(i);
    }
    return merged;
}

LocalDateTime start_of_day(Date d) { return LocalDateTime{d, TimeOfDay{0}}; }
LocalDateTime end_of_day(Date d) { return from_minutes(to_minutes(start_of_day(d)) + 24 * 60); }

} // namespace

Timing classify(const Dossier& d, LocalDateTime as_of, const TimingRules& rules)
{
    Timing t;
    t.end = end_of_processing(d, as_of);
    const bool has_result = t.end && ((d.result_at && to_minutes(*d.result_at) <= to_minutes(as_of)) ||
                                      (d.returned_at && to_minutes(*d.returned_at) <= to_minutes(as_of)));
    t.closed = t.end && !has_result;
    t.resolved = has_result;
    const auto eval_time = t.end ? *t.end : as_of;
    const std::int64_t eval = to_minutes(eval_time);

    // A pause still running at `eval` stops the clock at its start (an unanswered
    // supplement request is the end; a fee not paid yet holds the clock).
    auto pauses = pauses_until(d, eval, t.supplement_requests);
    auto clock_stop = eval_time;
    if (!pauses.empty() && to_minutes(pauses.back().to) >= eval)
    {
        clock_stop = pauses.back().from;
        pauses.pop_back();
    }
    std::int64_t closed_pauses = 0;
    for (const auto& p : pauses)
        closed_pauses += rules.minutes(p.from, p.to);
    t.paused_minutes += closed_pauses;
    const std::int64_t elapsed = rules.minutes(d.received_at, clock_stop) - closed_pauses;

    if (t.closed)
    {
        t.outcome = Outcome::closed;
        return t;
    }

    // Without a pause the due time is compared directly: a period in days ends with its due
    // day, one in hours at its minute. With pauses the comparison is in working time: the
    // time elapsed minus the pauses against the working time up to the due limit.
    bool late = t.supplement_requests > 1;
    bool early = false;
    if (d.due_at)
    {
        const bool by_day = ends_with_its_day(d);
        const auto limit = by_day ? end_of_day(d.due_at->date) : *d.due_at;
        const bool due_later_day = d.due_at->date != d.received_at.date;
        if (t.paused_minutes == 0)
        {
            const auto stop = to_minutes(clock_stop);
            late = late || (by_day ? stop >= to_minutes(limit) : stop > to_minutes(limit));
            early = due_later_day && stop < to_minutes(start_of_day(d.due_at->date));
        }
        else
        {
            late = late || elapsed > rules.minutes(d.received_at, limit);
            early = due_later_day && elapsed <= rules.minutes(d.received_at, start_of_day(d.due_at->date));
        }
        if (rules.early_margin)
            early = elapsed <= rules.minutes(d.received_at, *d.due_at) - rules.early_margin->count();
    }
    else if (d.processing_days || d.processing_hours)
    {
        // No due time stored (old imports): the processing time is the limit.
        const std::int64_t allowed = d.processing_days ? std::int64_t{*d.processing_days} * rules.minutes_per_day()
                                                       : std::int64_t{*d.processing_hours} * 60;
        late = late || elapsed > allowed;
        early = rules.early_margin ? elapsed <= allowed - rules.early_margin->count()
                                   : d.processing_days && elapsed <= allowed - rules.minutes_per_day();
    }

    if (!t.end)
        t.outcome = late ? Outcome::open_over_due : Outcome::open_within_due;
    else if (late)
        t.outcome = Outcome::late;
    else if (early)
        t.outcome = Outcome::early;
    else
        t.outcome = Outcome::on_time;
    return t;
}

} // namespace motcua::dossier
