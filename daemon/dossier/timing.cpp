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

    t.supplement_lapsed = !t.end && supplement_lapsed(d, as_of);
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

bool supplement_lapsed(const Dossier& d, LocalDateTime as_of)
{
    const auto now = to_minutes(as_of);
    for (const auto& s : d.supplements)
    {
        if (to_minutes(s.requested_at) > now)
            continue;
        const bool open = !s.completed_at || to_minutes(*s.completed_at) > now;
        if (open && s.deadline && to_minutes(*s.deadline) < now)
            return true;
    }
    return false;
}

namespace
{

// The working minutes of the pauses inside [from, to), overlaps counted once.
std::int64_t paused_within(const Dossier& d, LocalDateTime from, LocalDateTime to, const TimingRules& rules)
{
    std::vector<Interval> inside;
    auto clip = [&](LocalDateTime a, const std::optional<LocalDateTime>& b) {
        auto lo = std::max(to_minutes(a), to_minutes(from));
        auto hi = std::min(b ? to_minutes(*b) : to_minutes(to), to_minutes(to));
        if (hi > lo)
            inside.push_back({from_minutes(lo), from_minutes(hi)});
    };
    for (const auto& s : d.supplements)
        clip(s.requested_at, s.completed_at);
    for (const auto& o : d.obligations)
        clip(o.from, o.to);
    std::sort(inside.begin(), inside.end(),
              [](const Interval& a, const Interval& b) { return to_minutes(a.from) < to_minutes(b.from); });
    std::int64_t total = 0;
    std::optional<Interval> run;
    for (const auto& i : inside)
    {
        if (run && to_minutes(i.from) <= to_minutes(run->to))
        {
            if (to_minutes(i.to) > to_minutes(run->to))
                run->to = i.to;
            continue;
        }
        if (run)
            total += rules.minutes(run->from, run->to);
        run = i;
    }
    if (run)
        total += rules.minutes(run->from, run->to);
    return total;
}

// A step from `start` judged at `stop` against its deadline (an exact minute).
Outcome judge_step(LocalDateTime start, LocalDateTime stop, LocalDateTime deadline, bool finished,
                   std::int64_t paused, const TimingRules& rules)
{
    bool late = false;
    bool early = false;
    const bool deadline_later_day = deadline.date != start.date;
    if (paused == 0)
    {
        late = to_minutes(stop) > to_minutes(deadline);
        early = deadline_later_day && to_minutes(stop) < to_minutes(start_of_day(deadline.date));
    }
    else
    {
        const auto elapsed = rules.minutes(start, stop) - paused;
        late = elapsed > rules.minutes(start, deadline);
        early = deadline_later_day && elapsed <= rules.minutes(start, start_of_day(deadline.date));
    }
    if (!finished)
        return late ? Outcome::open_over_due : Outcome::open_within_due;
    return late ? Outcome::late : early ? Outcome::early : Outcome::on_time;
}

Outcome outcome_of(Punctuality p)
{
    switch (p)
    {
    case Punctuality::early: return Outcome::early;
    case Punctuality::on_time: return Outcome::on_time;
    case Punctuality::late: return Outcome::late;
    }
    return Outcome::on_time;
}

} // namespace

std::vector<StepTiming> judge_steps(const Dossier& d, LocalDateTime as_of, const TimingRules& rules)
{
    const auto limit = to_minutes(as_of);
    std::vector<const Handoff*> known;
    for (const auto& h : d.handoffs)
        if (to_minutes(h.at) <= limit)
            known.push_back(&h);
    // What ends the last step: the return or closing, if known by `as_of`.
    std::optional<LocalDateTime> final_end;
    for (const auto& t : {d.returned_at, d.closed_at})
        if (t && to_minutes(*t) <= limit && (!final_end || to_minutes(*t) < to_minutes(*final_end)))
            final_end = t;

    std::vector<StepTiming> steps;
    for (std::size_t i = 0; i < known.size(); ++i)
    {
        const auto& h = *known[i];
        StepTiming s;
        s.from = h.from;
        s.to = h.to;
        s.start = h.at;
        s.deadline = h.due;
        s.result = d.result_at && to_minutes(h.at) == to_minutes(*d.result_at) && h.punctuality.has_value();
        if (i + 1 < known.size())
            s.end = known[i + 1]->at;
        else if (s.result)
            s.end = h.at;
        else if (final_end && to_minutes(*final_end) >= to_minutes(h.at))
            s.end = final_end;
        if (s.result)
            s.outcome = outcome_of(*h.punctuality); // judged against the appointment when it came
        else if (s.deadline)
        {
            const auto stop = s.end ? *s.end : as_of;
            s.paused_minutes = paused_within(d, h.at, stop, rules);
            s.outcome = judge_step(h.at, stop, *s.deadline, s.end.has_value(), s.paused_minutes, rules);
        }
        steps.push_back(std::move(s));
    }
    return steps;
}

} // namespace motcua::dossier
