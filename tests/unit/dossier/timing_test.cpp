// On-time rules of domain.md §6, each case with its expected outcome argued in the comment.

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
    return d;
}

const TimingRules rules{std::chrono::minutes{24 * 60}};
const LocalDateTime year_end = at("2026-01-01 00:00");

TEST(Timing, ResultBeforeTheMarginIsEarly)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.result_at = at("2025-03-12 10:00"); // 31 h before due: more than the 24 h margin
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::early);
}

TEST(Timing, ResultOnTheDueMinuteIsOnTime)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.result_at = at("2025-03-13 17:00");
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::on_time);
    d.result_at = at("2025-03-13 17:01");
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::late);
}

TEST(Timing, DecisionTakesPrecedenceOverReturn)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.result_at = at("2025-03-13 16:00");   // decided on time
    d.returned_at = at("2025-03-20 09:00"); // collected a week later: not the office's delay
    auto t = classify(d, year_end, rules);
    EXPECT_EQ(t.outcome, Outcome::on_time);
    EXPECT_EQ(format_local_minute(*t.end), "2025-03-13 16:00");
}

TEST(Timing, SupplementPauseIsSubtracted)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    // Paused 2 days (48 h); the result 2025-03-15 10:00 is 41 h after due, minus 48 h of
    // pause = 7 h before due: on time (inside the 24 h margin, so not early).
    d.supplements.push_back({at("2025-03-11 09:00"), at("2025-03-13 09:00"), "thiếu giấy tờ"});
    d.result_at = at("2025-03-15 10:00");
    auto t = classify(d, year_end, rules);
    EXPECT_EQ(t.paused_minutes, 48 * 60);
    EXPECT_EQ(t.outcome, Outcome::on_time);
}

TEST(Timing, MoreThanOneSupplementRequestIsLate)
{
    auto d = received("2025-03-10 09:00", "2025-03-20 17:00");
    d.supplements.push_back({at("2025-03-11 09:00"), at("2025-03-11 15:00"), ""});
    d.supplements.push_back({at("2025-03-12 09:00"), at("2025-03-12 15:00"), ""});
    d.result_at = at("2025-03-13 10:00"); // well before due, but two requests
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::late);
}

TEST(Timing, UnansweredSupplementRequestEndsTheClock)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.supplements.push_back({at("2025-03-12 09:00"), std::nullopt, ""});
    // Open at the year's end, judged at the request time, which was before due.
    auto t = classify(d, year_end, rules);
    EXPECT_FALSE(t.resolved);
    EXPECT_EQ(t.outcome, Outcome::open_within_due);
}

TEST(Timing, OpenDossiersAreWithinOrOverDueAtTheEvaluationTime)
{
    auto d = received("2025-12-29 09:00", "2026-01-05 17:00");
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::open_within_due);
    auto over = received("2025-12-01 09:00", "2025-12-05 17:00");
    EXPECT_EQ(classify(over, year_end, rules).outcome, Outcome::open_over_due);
    // A result after the evaluation time is not known yet.
    over.result_at = at("2026-01-02 09:00");
    EXPECT_FALSE(classify(over, year_end, rules).resolved);
}

TEST(Timing, ApologyDoesNotMoveTheDueDate)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.apologies.push_back({at("2025-03-13 10:00"), at("2025-03-18 17:00"), "chờ xác minh"});
    d.result_at = at("2025-03-17 10:00"); // met the new appointment, but late on the original
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::late);
}

TEST(Timing, WithdrawalEndsProcessing)
{
    auto d = received("2025-03-10 09:00", "2025-03-13 17:00");
    d.status = Status::withdrawn;
    d.closed_at = at("2025-03-11 09:00");
    auto t = classify(d, year_end, rules);
    EXPECT_TRUE(t.resolved);
    EXPECT_EQ(t.outcome, Outcome::early);
}

TEST(Timing, WithoutDueDateTheProcessingTimeIsTheLimit)
{
    Dossier d;
    d.received_at = at("2025-03-10 09:00");
    d.processing_hours = 8;
    d.result_at = at("2025-03-10 16:00"); // 7 h < 8 h
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::on_time);
    d.result_at = at("2025-03-10 17:30"); // 8.5 h > 8 h
    EXPECT_EQ(classify(d, year_end, rules).outcome, Outcome::late);
}

} // namespace
} // namespace motcua::dossier
