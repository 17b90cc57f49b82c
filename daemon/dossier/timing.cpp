#include "dossier/timing.hpp"

#include <algorithm>

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
    }
    return "on_time";
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

Timing classify(const Dossier& d, LocalDateTime as_of, const TimingRules& rules)
{
    Timing t;
    t.end = end_of_processing(d, as_of);
    t.resolved = t.end.has_value();
    const std::int64_t eval = to_minutes(t.resolved ? *t.end : as_of);

    for (const auto& s : d.supplements)
    {
        auto req = to_minutes(s.requested_at);
        if (req > eval)
            continue;
        ++t.supplement_requests;
        auto done = s.completed_at ? std::min(to_minutes(*s.completed_at), eval) : eval;
        t.paused_minutes += std::max<std::int64_t>(0, done - req);
    }
    const std::int64_t effective = eval - t.paused_minutes;

    std::int64_t due = 0;
    if (d.due_at)
        due = to_minutes(*d.due_at);
    else if (d.processing_days)
        due = to_minutes(d.received_at) + std::int64_t{*d.processing_days} * 24 * 60;
    else if (d.processing_hours)
        due = to_minutes(d.received_at) + std::int64_t{*d.processing_hours} * 60;
    else
        due = std::max(effective, to_minutes(d.received_at)); // nothing to judge against

    bool late = effective > due || t.supplement_requests > 1;
    if (!t.resolved)
        t.outcome = late ? Outcome::open_over_due : Outcome::open_within_due;
    else if (late)
        t.outcome = Outcome::late;
    else if (effective <= due - rules.early_margin.count())
        t.outcome = Outcome::early;
    else
        t.outcome = Outcome::on_time;
    return t;
}

} // namespace motcua::dossier
