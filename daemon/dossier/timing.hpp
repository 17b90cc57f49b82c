#pragma once

// Whether a dossier was handled on time (QĐ 766 indicator 2.1 as the VPCP formula describes
// it; domain.md §6 and §10, docs/register.md "On time"):
//  - end of processing = the first terminal event: result from the deciding agency, else
//    return to the applicant; a refusal, withdrawal or stop (status 3/7/8) closes the
//    dossier without a result: it is neither on time nor late, nor open (Outcome::closed);
//  - pauses (supplement request -> completion, financial obligation start -> end) are
//    subtracted in working time on the office calendar; a supplement request not answered
//    makes its request time the end; more than one supplement request counts as late;
//  - the original due time is the basis (an apology's new date does not move it);
//  - a period in days (and a same-day procedure) ends at the end of its due day (Civil
//    Code 2015 art. 148(1)): a result recorded any time on the due day is on time; a
//    period in hours ends at its exact due minute;
//  - early = finished on an earlier working day than the due day;
//  - a dossier still open at the evaluation time is within or over due at that time.

#include "dossier/record.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace motcua::dossier
{

// Working minutes between two local times on the office calendar (0 when to <= from).
using WorkingMinutes = std::function<std::int64_t(LocalDateTime from, LocalDateTime to)>;

struct TimingRules
{
    // Legacy rule, when set: early = effective end at least this long before due (in the
    // same minutes as `working_minutes`). Absent: early = an earlier working day.
    std::optional<std::chrono::minutes> early_margin;
    // Counts the clock's minutes; empty: wall-clock minutes (no calendar at hand).
    WorkingMinutes working_minutes;
    // Minutes in one working day, for a dossier without due_at judged on its
    // processing days (8 h with a working clock; 24 h of wall clock without one).
    std::int64_t minutes_per_day() const { return working_minutes ? 8 * 60 : 24 * 60; }
    std::int64_t minutes(LocalDateTime from, LocalDateTime to) const;
};

enum class Outcome
{
    early,
    on_time,
    late,
    open_within_due,
    open_over_due,
    closed // refused, withdrawn or stopped before any result
};

std::string_view to_string(Outcome o);

struct Timing
{
    Outcome outcome = Outcome::on_time;
    bool resolved = false;                   // a result (or return) at or before `as_of`
    bool closed = false;                     // refused / withdrawn / stopped at or before `as_of`
    std::optional<LocalDateTime> end;        // that event
    std::int64_t paused_minutes = 0;         // finished pauses subtracted (working minutes)
    int supplement_requests = 0;             // counted up to the end (or as_of)
    // A supplement request still unanswered at `as_of` whose deadline for the applicant
    // has passed: the desk should stop the dossier (TT 03/2025 Mẫu 05) or refuse it.
    bool supplement_lapsed = false;
};

// The end of processing (first terminal event), ignoring events after `as_of`.
std::optional<LocalDateTime> end_of_processing(const Dossier& d, LocalDateTime as_of);

// True when the dossier's period is counted in days (or is same-day) and so ends at the
// end of its due day; false for a period in working hours (exact due minute).
bool ends_with_its_day(const Dossier& d);

// Judges a dossier as known at `as_of` (e.g. the end of a reporting period). Events after
// `as_of` are ignored. A dossier without due_at is judged on its processing time.
Timing classify(const Dossier& d, LocalDateTime as_of, const TimingRules& rules);

// The control slip's punctuality of a finished step, from its outcome.
Punctuality punctuality_of(Outcome o);

// True when a supplement request is still open at `as_of` and its deadline for the
// applicant is before `as_of`.
bool supplement_lapsed(const Dossier& d, LocalDateTime as_of);

// One step of the process-control slip (TT 03/2025 Mẫu 06): the time the dossier spent
// with the desk or agency it was handed to (`to`), from that hand-off until the next one
// (or, for the last step, the result, return or closing), judged against the step's own
// deadline — the one given when it was handed over — never against the dossier's due time.
// The hand-off that brings the result back to the desk keeps the judgement recorded then
// (the dossier's, against its appointment). Pauses (supplement, financial obligation)
// inside a step are subtracted in working time like the dossier's.
struct StepTiming
{
    std::string from;
    std::string to;
    LocalDateTime start{};                 // handed over
    std::optional<LocalDateTime> deadline; // the step's own deadline; none: not judged
    std::optional<LocalDateTime> end;      // passed on (or result, return, closing); none: still there
    // early / on_time / late for a finished step, open_within_due / open_over_due for the
    // step still running at `as_of`; none when the step has no deadline.
    std::optional<Outcome> outcome;
    std::int64_t paused_minutes = 0;
    bool result = false;                   // the result's hand-off back to the desk
};

// Every hand-off up to `as_of`, in order, with its judgement.
std::vector<StepTiming> judge_steps(const Dossier& d, LocalDateTime as_of, const TimingRules& rules);

} // namespace motcua::dossier
