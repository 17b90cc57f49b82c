// On-time rules of domain.md §6 and §10 (docs/register.md "On time"), each case with its
// expected outcome argued in the comment from the rule, not from the code.

#include "calendar/calendar.hpp"
#include "dossier/timing.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier
{
namespace
{

LocalDateTime at(const char* text) { return *parse_local_date_time(text); }

Dossier received(const char* when, const char* due)
{
    Dossier d;
    d.received_at = at(when);
    d.due_at = at(due);
    d.processing_days = 3;
    return d;
}

const TimingRules wall_clock{};
const LocalDateTime year_end = at("2026-01-01 00:00");

// 2025 with no special day: Monday-Friday, 07:30-11:30 and 13:30-17:00.
const calendar::Calendar& plain_2025()
{
    static const calendar::Calendar cal = [] {
        calendar::YearTable y;
        y.year = 2025;
        return *calendar::Calendar::from_years({y});
    }();
    return cal;
}

calendar::DueRules office_hours()
{
    calendar::DueRules r;
    r.office_hours = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}}, {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}};
    return r;
}

TimingRules working_clock()
{
    TimingRules r;
    r.working_minutes = [](LocalDateTime from, LocalDateTime to) {
        return to_minutes(to) <= to_minutes(from) ? 0 : *plain_2025().working_minutes(from, to, office_hours());
    };
    return r;
}

TEST(Timing, ResultOnAnEarlierWorkingDayIsEarly)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.result_at = at("2025-03-12 16:59"); // the day before the due day
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::early);
}

TEST(Timing, ADayPeriodEndsAtTheEndOfItsDueDay)
{
    // Civil Code 2015 art. 148(1): a period in days ends at the end of its last day. A
    // result recorded any time on the due day is on time, even after office hours.
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    for (const char* t : {"2025-03-13 07:00", "2025-03-13 17:00", "2025-03-13 17:01", "2025-03-13 23:59"})
    {
        d.result_at = at(t);
        EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::on_time) << t;
    }
    d.result_at = at("2025-03-14 00:00");
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::late);
}

TEST(Timing, AnHourPeriodKeepsItsExactMinute)
{
    Dossier d;
    d.received_at = at("2025-03-10 09:00");
    d.processing_hours = 4;
    d.due_at = at("2025-03-10 15:00");
    d.result_at = at("2025-03-10 15:00");
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::on_time);
    d.result_at = at("2025-03-10 15:01");
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::late);
}

TEST(Timing, SameDayProcedureIsNeverEarly)
{
    Dossier d;
    d.received_at = at("2025-03-10 09:00");
    d.same_day = true;
    d.due_at = at("2025-03-10 17:00");
    d.result_at = at("2025-03-10 09:30");
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::on_time);
}

TEST(Timing, LegacyMarginRuleWhenConfigured)
{
    TimingRules margin{std::chrono::minutes{24 * 60}, {}};
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.result_at = at("2025-03-12 18:00"); // an earlier day, but only 23 h before due
    EXPECT_EQ(classify(d, year_end, margin).outcome, Outcome::on_time);
    d.result_at = at("2025-03-12 16:00"); // 25 h before due
    EXPECT_EQ(classify(d, year_end, margin).outcome, Outcome::early);
}

TEST(Timing, DecisionTakesPrecedenceOverReturn)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.result_at = at("2025-03-13 16:00");   // decided on time
    d.returned_at = at("2025-03-20 09:00"); // collected a week later: not the office's delay
    auto t = classify(d, year_end, wall_clock);
    EXPECT_EQ(t.outcome, Outcome::on_time);
    EXPECT_EQ(format_local_minute(*t.end), "2025-03-13 16:00");
}

TEST(Timing, SupplementPauseCountsInWorkingTime)
{
    // Received Wed 12/03 09:00, 2 working days: due Fri 14/03 (end of day). Paused from
    // Fri 14:00 to Mon 17/03 08:00: 3 h on Friday + 30 min on Monday = 210 working minutes,
    // not the 66 h of the clock. Working time allowed up to the end of Friday: Wed 6 h
    // (09:00-11:30, 13:30-17:00) + Thu 7.5 h + Fri 7.5 h = 1260 min.
    auto d = received("2025-03-12 09:00", "2025-03-14 17:00");
    d.processing_days = 2;
    d.supplements.push_back({at("2025-03-14 14:00"), at("2025-03-17 08:00"), "", {"tờ khai"}, std::nullopt});
    // Result Mon 10:00: 1410 working minutes elapsed - 210 = 1200 <= 1260: on time.
    d.result_at = at("2025-03-17 10:00");
    auto t = classify(d, year_end, working_clock());
    EXPECT_EQ(t.paused_minutes, 210);
    EXPECT_EQ(t.outcome, Outcome::on_time);
    // Result Mon 16:00: 1650 - 210 = 1440 > 1260: late (wall-clock credit of 66 h would
    // have made it on time).
    d.result_at = at("2025-03-17 16:00");
    EXPECT_EQ(classify(d, year_end, working_clock()).outcome, Outcome::late);
}

TEST(Timing, FinancialObligationPausesTheClockToo)
{
    // Due Thu 13/03 (3 working days from Mon 10/03 09:00). A fee was due Thu 09:00 - Fri
    // 09:00: 450 working minutes paused (Thu 09:00-17:00 = 360, Fri 07:30-09:00 = 90).
    // Result Fri 14/03 15:00: 2040 working minutes elapsed - 450 = 1590; the working time up
    // to the end of Thursday is 1710 (on time) and up to the start of Thursday 1260 (so
    // not early). Without the pause Friday is after the due day: late.
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.result_at = at("2025-03-14 15:00");
    EXPECT_EQ(classify(d, year_end, working_clock()).outcome, Outcome::late);
    d.obligations.push_back({at("2025-03-13 09:00"), at("2025-03-14 09:00"), "lệ phí"});
    auto t = classify(d, year_end, working_clock());
    EXPECT_EQ(t.paused_minutes, 450);
    EXPECT_EQ(t.outcome, Outcome::on_time);
    EXPECT_EQ(t.supplement_requests, 0); // an obligation is not a supplement request
}

TEST(Timing, MoreThanOneSupplementRequestIsLate)
{
    auto d = received("2025-03-10 09:00", "2025-03-20 17:00");
    d.supplements.push_back({at("2025-03-11 09:00"), at("2025-03-11 15:00"), "", {}, std::nullopt});
    d.supplements.push_back({at("2025-03-12 09:00"), at("2025-03-12 15:00"), "", {}, std::nullopt});
    d.result_at = at("2025-03-13 10:00"); // well before due, but two requests
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::late);
}

TEST(Timing, UnansweredSupplementRequestEndsTheClock)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.supplements.push_back({at("2025-03-12 09:00"), std::nullopt, "", {}, std::nullopt});
    // Open at the year's end, judged at the request time, which was before due.
    auto t = classify(d, year_end, working_clock());
    EXPECT_FALSE(t.resolved);
    EXPECT_EQ(t.outcome, Outcome::open_within_due);
}

TEST(Timing, OpenDossiersAreWithinOrOverDueAtTheEvaluationTime)
{
    auto d = received("2025-12-29 09:00", "2026-01-05 17:00");
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::open_within_due);
    auto over = received("2025-12-01 09:00", "2025-12-05 17:00");
    EXPECT_EQ(classify(over, year_end, wall_clock).outcome, Outcome::open_over_due);
    // A result after the evaluation time is not known yet.
    over.result_at = at("2026-01-02 09:00");
    EXPECT_FALSE(classify(over, year_end, wall_clock).resolved);
}

TEST(Timing, ApologyDoesNotMoveTheDueDate)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.apologies.push_back({at("2025-03-13 10:00"), at("2025-03-18 17:00"), "chờ xác minh"});
    d.result_at = at("2025-03-17 10:00"); // met the new appointment, but late on the original
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::late);
}

TEST(Timing, RefusedWithdrawnAndStoppedAreClosedNotOpen)
{
    // domain.md §10: statuses 3, 7 and 8 close a dossier; they do not stay "open, over
    // due", and they are neither on time nor late.
    for (auto status : {Status::refused, Status::withdrawn, Status::stopped})
    {
        auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
        d.status = status;
        d.closed_at = at("2025-03-20 09:00"); // after the due day
        auto t = classify(d, year_end, wall_clock);
        EXPECT_FALSE(t.resolved);
        EXPECT_TRUE(t.closed);
        EXPECT_EQ(t.outcome, Outcome::closed);
        // Before the closing it was an open dossier, over due after the 13th.
        EXPECT_EQ(classify(d, at("2025-03-15 00:00"), wall_clock).outcome, Outcome::open_over_due);
    }
}

TEST(Timing, WithoutDueDateTheProcessingTimeIsTheLimit)
{
    Dossier d;
    d.received_at = at("2025-03-10 09:00");
    d.processing_hours = 8;
    d.result_at = at("2025-03-10 16:00"); // 7 h < 8 h
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::on_time);
    d.result_at = at("2025-03-10 17:30"); // 8.5 h > 8 h
    EXPECT_EQ(classify(d, year_end, wall_clock).outcome, Outcome::late);
}

// --- the control slip: each step against its own deadline --------------------------------

Handoff handoff(const char* from, const char* to, const char* when, std::optional<const char*> due)
{
    Handoff h;
    h.from = from;
    h.to = to;
    h.at = at(when);
    if (due)
        h.due = at(*due);
    return h;
}

TEST(Steps, AStepIsJudgedAgainstItsOwnDeadlineNotTheDossiers)
{
    // Received Monday 10/03/2025, due Friday 14/03 17:00. The desk gives the land office
    // until Tuesday 17:00; the land office passes it on Wednesday 10:00: its step is late,
    // even though the dossier as a whole is still well within its due time.
    auto d = received("2025-03-10 09:00", "2025-03-14 17:00");
    d.handoffs = {handoff("Bộ phận Một cửa", "Phòng Tài nguyên", "2025-03-10 10:00", "2025-03-11 17:00"),
                  handoff("Phòng Tài nguyên", "Lãnh đạo UBND", "2025-03-12 10:00", "2025-03-13 17:00")};
    auto steps = judge_steps(d, at("2025-03-12 11:00"), wall_clock);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0].to, "Phòng Tài nguyên");
    ASSERT_TRUE(steps[0].end);
    EXPECT_EQ(format_local_minute(*steps[0].end), "2025-03-12 10:00");
    EXPECT_EQ(steps[0].outcome, Outcome::late);
    // The second step is still running on Wednesday 11:00, before its Thursday deadline.
    EXPECT_FALSE(steps[1].end);
    EXPECT_EQ(steps[1].outcome, Outcome::open_within_due);
    EXPECT_EQ(classify(d, at("2025-03-12 11:00"), wall_clock).outcome, Outcome::open_within_due);
    // On Friday morning the second step is past its own deadline, the dossier is not.
    steps = judge_steps(d, at("2025-03-14 08:00"), wall_clock);
    EXPECT_EQ(steps[1].outcome, Outcome::open_over_due);
    EXPECT_EQ(classify(d, at("2025-03-14 08:00"), wall_clock).outcome, Outcome::open_within_due);
}

TEST(Steps, EarlyOnTimeAndTheExactMinute)
{
    // A step's deadline is an exact minute: passed on at that minute is on time, a minute
    // later is late; passed on on an earlier day than the deadline's day is early.
    auto d = received("2025-03-10 09:00", "2025-03-14 17:00");
    d.handoffs = {handoff("Bộ phận Một cửa", "Phòng Tư pháp", "2025-03-10 10:00", "2025-03-12 16:00"),
                  handoff("Phòng Tư pháp", "Lãnh đạo", "2025-03-12 16:00", std::nullopt)};
    EXPECT_EQ(judge_steps(d, year_end, wall_clock)[0].outcome, Outcome::on_time);
    d.handoffs[1].at = at("2025-03-12 16:01");
    EXPECT_EQ(judge_steps(d, year_end, wall_clock)[0].outcome, Outcome::late);
    d.handoffs[1].at = at("2025-03-11 16:30");
    EXPECT_EQ(judge_steps(d, year_end, wall_clock)[0].outcome, Outcome::early);
    d.handoffs[1].at = at("2025-03-12 08:00"); // the deadline's own day: on time, not early
    EXPECT_EQ(judge_steps(d, year_end, wall_clock)[0].outcome, Outcome::on_time);
    // A step without a deadline of its own is not judged.
    EXPECT_FALSE(judge_steps(d, year_end, wall_clock)[1].outcome);
}

TEST(Steps, APauseInsideAStepIsSubtractedInWorkingTime)
{
    // Handed over Monday 10/03 09:00, deadline Tuesday 09:00: 7 h 30 of working time
    // (Monday 09:00-11:30 and 13:30-17:00, Tuesday 07:30-09:00). A supplement pause from
    // Monday 14:00 to Tuesday 08:00 costs 3 h 30 of working time (14:00-17:00 and
    // 07:30-08:00). Passed on Tuesday 11:30: 10 h of working time minus 3 h 30 = 6 h 30,
    // within the 7 h 30: on time; and more than Monday's 6 h, so not early. Counted in
    // wall-clock time the step would be 26 h 30 against 24 h: late.
    auto d = received("2025-03-10 08:00", "2025-03-14 17:00");
    d.handoffs = {handoff("Bộ phận Một cửa", "Phòng Tư pháp", "2025-03-10 09:00", "2025-03-11 09:00"),
                  handoff("Phòng Tư pháp", "Lãnh đạo", "2025-03-11 11:30", std::nullopt)};
    d.supplements.push_back(SupplementRequest{at("2025-03-10 14:00"), at("2025-03-11 08:00"), "", {"Tờ khai"}, {}});
    auto steps = judge_steps(d, year_end, working_clock());
    EXPECT_EQ(steps[0].paused_minutes, 210);
    EXPECT_EQ(steps[0].outcome, Outcome::on_time);
    // Without the pause the step (10 h of working time) is past its deadline.
    d.supplements.clear();
    EXPECT_EQ(judge_steps(d, year_end, working_clock())[0].outcome, Outcome::late);
}

TEST(Steps, TheResultHandOffKeepsTheDossiersJudgement)
{
    // The result comes back to the desk: that row of the slip is the dossier's appointment,
    // judged when the result came (recorded), and it ends the agency's step.
    auto d = received("2025-03-10 09:00", "2025-03-14 17:00");
    d.handoffs = {handoff("Bộ phận Một cửa", "UBND xã", "2025-03-10 10:00", "2025-03-12 17:00"),
                  handoff("UBND xã", "Bộ phận Một cửa", "2025-03-13 09:00", "2025-03-14 17:00")};
    d.handoffs[1].punctuality = Punctuality::early;
    d.result_at = at("2025-03-13 09:00");
    auto steps = judge_steps(d, year_end, wall_clock);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0].outcome, Outcome::late); // UBND xã's own step ended a day after its deadline
    EXPECT_TRUE(steps[1].result);
    EXPECT_EQ(steps[1].outcome, Outcome::early);
    // Events after `as_of` are not known yet.
    EXPECT_EQ(judge_steps(d, at("2025-03-11 12:00"), wall_clock).size(), 1u);
}

TEST(Steps, ClosingEndsTheLastStep)
{
    auto d = received("2025-03-10 09:00", "2025-03-14 17:00");
    d.handoffs = {handoff("Bộ phận Một cửa", "Phòng Tư pháp", "2025-03-10 10:00", "2025-03-11 17:00")};
    d.status = Status::withdrawn;
    d.closed_at = at("2025-03-11 10:00");
    auto steps = judge_steps(d, year_end, wall_clock);
    ASSERT_TRUE(steps[0].end);
    EXPECT_EQ(steps[0].outcome, Outcome::on_time);
}

TEST(Supplement, ADeadlinePassedWhileWaitingIsFlagged)
{
    // The applicant was asked on Monday to bring the documents by Wednesday 17:00.
    auto d = received("2025-03-10 09:00", "2025-03-14 17:00");
    d.supplements.push_back(SupplementRequest{at("2025-03-10 10:00"), {}, "", {"Tờ khai"}, at("2025-03-12 17:00")});
    EXPECT_FALSE(supplement_lapsed(d, at("2025-03-12 17:00"))); // the deadline minute itself
    EXPECT_TRUE(supplement_lapsed(d, at("2025-03-12 17:01")));
    EXPECT_TRUE(classify(d, at("2025-03-13 08:00"), wall_clock).supplement_lapsed);
    // Brought on time: no flag, now or later.
    d.supplements[0].completed_at = at("2025-03-12 15:00");
    EXPECT_FALSE(supplement_lapsed(d, at("2025-03-20 08:00")));
    // A request without a deadline never lapses.
    d.supplements[0].completed_at.reset();
    d.supplements[0].deadline.reset();
    EXPECT_FALSE(supplement_lapsed(d, at("2025-04-30 08:00")));
}

} // namespace
} // namespace motcua::dossier
