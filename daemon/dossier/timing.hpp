#pragma once

// Whether a dossier was handled on time (QĐ 766 indicator 2.1 as the VPCP formula describes
// it; domain.md §6, docs/register.md "On time"):
//  - end of processing = the first terminal event: result from the deciding agency, else
//    return to the applicant, else refusal / withdrawal / stop;
//  - supplement time (request -> completion) is subtracted; a request not answered makes
//    its request time the end; more than one supplement request counts as late;
//  - the original due time is the basis (an apology's new date does not move it);
//  - a dossier still open at the evaluation time is within or over due at that time;
//  - early = effective end at least `early_margin` before the due time.

#include "dossier/record.hpp"

#include <chrono>
#include <optional>

namespace motcua::dossier
{

struct TimingRules
{
    std::chrono::minutes early_margin{24 * 60};
};

enum class Outcome
{
    early,
    on_time,
    late,
    open_within_due,
    open_over_due
};

std::string_view to_string(Outcome o);

struct Timing
{
    Outcome outcome = Outcome::on_time;
    bool resolved = false;                   // a terminal event at or before `as_of`
    std::optional<LocalDateTime> end;        // that event
    std::int64_t paused_minutes = 0;         // supplement time subtracted
    int supplement_requests = 0;             // counted up to the end (or as_of)
};

// The end of processing (first terminal event), ignoring events after `as_of`.
std::optional<LocalDateTime> end_of_processing(const Dossier& d, LocalDateTime as_of);

// Judges a dossier as known at `as_of` (e.g. the end of a reporting period). Events after
// `as_of` are ignored. A dossier without due_at is judged on its processing time: N days
// or hours as calendar time (a deliberate approximation: the store sets due_at at receipt).
Timing classify(const Dossier& d, LocalDateTime as_of, const TimingRules& rules);

} // namespace motcua::dossier
