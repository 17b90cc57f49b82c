// The rating rule (dossier/rating.hpp), from the hardening issue: only a served ticket,
// not rated yet; the first rating wins.

#include "dossier/rating.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier
{
namespace
{

RatingSubject served()
{
    RatingSubject s;
    s.known = true;
    s.called = true;
    s.done = true;
    s.counter = 3;
    s.officer = "cb-hoa";
    s.service = "TP";
    return s;
}

std::string code(const Result<RatingDecision>& r) { return r ? "ok" : r.error().code; }

TEST(Rating, AServedTicketIsRatedOnce)
{
    auto r = decide_rating(57, served(), 3, "Tư pháp – Hộ tịch");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->ticket, 57);
    EXPECT_EQ(r->counter, 3);
    EXPECT_EQ(r->officer, "cb-hoa");
    EXPECT_EQ(r->field, "Tư pháp – Hộ tịch");
    EXPECT_EQ(r->score, 3);
    auto again = served();
    again.already_rated = true;
    EXPECT_EQ(code(decide_rating(57, again, 1, "")), "already_rated");
}

TEST(Rating, CalledByACounterWithAnOfficerIsEnough)
{
    auto s = served();
    s.done = false; // still at the counter: the panel's window is open
    EXPECT_EQ(code(decide_rating(1, s, 2, "")), "ok");
    s.officer.clear(); // but nobody was named at that counter
    EXPECT_EQ(code(decide_rating(1, s, 2, "")), "not_served");
}

TEST(Rating, RefusalCodes)
{
    EXPECT_EQ(code(decide_rating(1, served(), 0, "")), "bad_score");
    EXPECT_EQ(code(decide_rating(1, served(), 4, "")), "bad_score");
    EXPECT_EQ(code(decide_rating(1, RatingSubject{}, 3, "")), "unknown_ticket");
    auto waiting = served();
    waiting.called = false;
    waiting.done = false;
    waiting.counter = 0;
    waiting.officer.clear();
    EXPECT_EQ(code(decide_rating(1, waiting, 3, "")), "not_served");
    auto no_show = served();
    no_show.done = false;
    no_show.no_show = true;
    EXPECT_EQ(code(decide_rating(1, no_show, 1, "")), "not_served");
}

} // namespace
} // namespace motcua::dossier
