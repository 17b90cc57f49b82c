// Working days and due dates on the shipped tables (config/calendar/). Every expected date
// below was worked out by hand from the official calendar (the notices cited in the year
// files and in docs/register.md), not by the code under test; the comment on each case
// shows the reasoning. Office hours are the default 07:30-11:30, 13:30-17:00.

#include "calendar/calendar.hpp"
#include "process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace motcua::calendar
{
namespace
{

namespace chr = std::chrono;

const Calendar& shipped()
{
    static const Calendar cal = [] {
        std::string dir = motcua::testing::source_dir() + "/config/calendar";
        auto c = load_directory(dir);
        if (!c)
            ADD_FAILURE() << c.error().message;
        return c ? *c : Calendar{};
    }();
    return cal;
}

Date d(const char* text) { return *parse_date(text); }
LocalDateTime at(const char* text) { return *parse_local_date_time(text); }
std::string show(const LocalDateTime& t) { return format_date(t.date) + " " + format_time_of_day(t.time); }

const DueRules rules{{{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}}, {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}},
                     TimeOfDay{15 * 60},
                     {},
                     false};

bool working(const char* date)
{
    auto w = shipped().is_working_day(d(date));
    EXPECT_TRUE(w.ok()) << date << ": " << (w ? "" : w.error().message);
    return w && *w;
}

std::string due_days(const char* received, int days)
{
    auto r = shipped().due(at(received), Duration::days(days), false, rules);
    return r ? show(*r) : "error: " + r.error().message;
}

std::string due_hours(const char* received, int hours)
{
    auto r = shipped().due(at(received), Duration::hours(hours), false, rules);
    return r ? show(*r) : "error: " + r.error().message;
}

std::string due_same_day(const char* received)
{
    auto r = shipped().due(at(received), Duration::days(0), true, rules);
    return r ? show(*r) : "error: " + r.error().message;
}

TEST(Calendar, LoadsEveryShippedYear)
{
    EXPECT_EQ(shipped().years(), (std::vector<int>{2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031}));
    EXPECT_FALSE(shipped().provisional(2025));
    EXPECT_TRUE(shipped().provisional(2027));
}

TEST(Calendar, Tet2025)
{
    // Tết Ất Tỵ: off Sat 25/01 - Sun 02/02; the Tết days are Mon 27/01 - Fri 31/01.
    EXPECT_TRUE(working("2025-01-24"));  // Friday before the break: an ordinary working day
    EXPECT_FALSE(working("2025-01-25")); // Saturday: weekend
    EXPECT_FALSE(working("2025-01-27")); // Monday, 28 Chạp: Tết holiday
    EXPECT_FALSE(working("2025-01-29")); // Wednesday, mùng 1 Tết
    EXPECT_FALSE(working("2025-01-31")); // Friday, mùng 3: last Tết holiday
    EXPECT_TRUE(working("2025-02-03"));  // Monday after the break: back at work
    EXPECT_FALSE(working("2025-02-08")); // Saturday: Tết 2025 had no make-up (làm bù) Saturday
}

TEST(Calendar, Tet2026)
{
    // Tết Bính Ngọ: off Sat 14/02 - Sun 22/02; the Tết days are Mon 16/02 - Fri 20/02.
    EXPECT_TRUE(working("2026-02-13"));  // Friday before the break
    EXPECT_FALSE(working("2026-02-16")); // Monday, 29 Chạp: Tết holiday
    EXPECT_FALSE(working("2026-02-17")); // Tuesday, mùng 1 Tết
    EXPECT_FALSE(working("2026-02-20")); // Friday, mùng 4: last Tết holiday
    EXPECT_TRUE(working("2026-02-23"));  // Monday after the break
}

TEST(Calendar, SwappedAndCompensatoryDays)
{
    EXPECT_TRUE(working("2025-04-26"));  // Saturday worked in exchange for Friday 02/05/2025
    EXPECT_FALSE(working("2025-05-02")); // that Friday, swapped off
    EXPECT_FALSE(working("2024-04-29")); // Monday 29/04/2024 swapped off (2450/VPCP-KGVX)
    EXPECT_TRUE(working("2024-05-04"));  // ... and worked on Saturday 04/05/2024
    EXPECT_FALSE(working("2026-01-02")); // Friday 02/01/2026 swapped off (12729/VPCP-KGVX)
    EXPECT_TRUE(working("2026-01-10"));  // ... and worked on Saturday 10/01/2026
    EXPECT_FALSE(working("2026-04-27")); // Monday: nghỉ bù for Giỗ Tổ on Sunday 26/04/2026
    EXPECT_FALSE(working("2024-02-14")); // Wednesday: 2nd nghỉ bù for Tết 2024's weekend days
    EXPECT_TRUE(working("2024-02-15"));  // Thursday: back after Tết 2024 (08/02-14/02)
    EXPECT_FALSE(working("2025-09-01")); // Monday: Quốc khánh 2025 (off 30/08-02/09)
    EXPECT_TRUE(working("2025-09-03"));  // Wednesday after it
}

TEST(Calendar, Tet2030IsSecondFebruaryAtUtcPlus7)
{
    // Mùng 1 Tết Canh Tuất is Saturday 02/02/2030 in Vietnam (a UTC+8 calendar says 03/02).
    // With the 2024-2026 pattern (2 days before mùng 1, mùng 1-3) the Tết days are
    // Thu 31/01 - Mon 04/02 and the weekend pair is compensated on Tue 05/02 and Wed 06/02.
    // Had Tết been put on 03/02, Thursday 31/01 would be a working day.
    const auto* e = shipped().entry(d("2030-02-02"));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->kind, DayKind::holiday);
    EXPECT_FALSE(working("2030-01-31"));
    EXPECT_FALSE(working("2030-02-06"));
    EXPECT_TRUE(working("2030-02-07"));
}

TEST(Calendar, DueInWorkingDaysAroundTet)
{
    // Fri 24/01/2025 + 1: Sat-Sun, then Tết Mon 27 - Fri 31, then Sat-Sun: Monday 03/02.
    EXPECT_EQ(due_days("2025-01-24 10:00", 1), "2025-02-03 17:00");
    // Thu 23/01/2025 + 3: Fri 24 (1), Mon 03/02 (2), Tue 04/02 (3).
    EXPECT_EQ(due_days("2025-01-23 09:00", 3), "2025-02-04 17:00");
    // Received online on Sat 25/01/2025: the next working days are 03/02, 04/02, 05/02.
    EXPECT_EQ(due_days("2025-01-25 20:15", 3), "2025-02-05 17:00");
    // Wed 22/01/2025 + 5: Thu 23 (1), Fri 24 (2), Mon 03/02 (3), Tue 04 (4), Wed 05 (5).
    EXPECT_EQ(due_days("2025-01-22 14:00", 5), "2025-02-05 17:00");
    // Mon 03/02/2025 + 1: an ordinary Tuesday.
    EXPECT_EQ(due_days("2025-02-03 08:00", 1), "2025-02-04 17:00");
    // Fri 13/02/2026 + 1: Sat-Sun, Tết Mon 16 - Fri 20, Sat-Sun: Monday 23/02.
    EXPECT_EQ(due_days("2026-02-13 09:30", 1), "2026-02-23 17:00");
    // Thu 12/02/2026 + 2: Fri 13 (1), Mon 23 (2).
    EXPECT_EQ(due_days("2026-02-12 16:45", 2), "2026-02-23 17:00");
    // Wed 11/02/2026 + 10: 12, 13, 23, 24, 25, 26, 27 (7), Mon 02/03 (8), 03/03 (9), 04/03 (10).
    EXPECT_EQ(due_days("2026-02-11 10:00", 10), "2026-03-04 17:00");
    // Wed 07/02/2024 + 1: Tết 2024 off Thu 08/02 - Wed 14/02: Thursday 15/02.
    EXPECT_EQ(due_days("2024-02-07 10:00", 1), "2024-02-15 17:00");
}

TEST(Calendar, DueInWorkingDaysAroundThirtyAprilAndFirstMay)
{
    // Tue 29/04/2025 + 1: 30/04 and 01/05 holidays, Fri 02/05 swapped off, Sat-Sun: Mon 05/05.
    EXPECT_EQ(due_days("2025-04-29 10:00", 1), "2025-05-05 17:00");
    // Fri 25/04/2025 + 1: Saturday 26/04 is a working day (làm bù).
    EXPECT_EQ(due_days("2025-04-25 10:00", 1), "2025-04-26 17:00");
    // Fri 25/04/2025 + 2: Sat 26/04 (1), Sunday off, Mon 28/04 (2).
    EXPECT_EQ(due_days("2025-04-25 10:00", 2), "2025-04-28 17:00");
    // Mon 28/04/2025 + 2: Tue 29/04 (1), then nothing until Mon 05/05 (2).
    EXPECT_EQ(due_days("2025-04-28 10:00", 2), "2025-05-05 17:00");
    // Fri 26/04/2024 + 1: Sat-Sun, Mon 29 swapped off, 30/04 and 01/05 holidays: Thu 02/05.
    EXPECT_EQ(due_days("2024-04-26 10:00", 1), "2024-05-02 17:00");
    // Thu 02/05/2024 + 2: Fri 03/05 (1), Sat 04/05 worked in exchange for 29/04 (2).
    EXPECT_EQ(due_days("2024-05-02 10:00", 2), "2024-05-04 17:00");
    // Wed 29/04/2026 + 1: 30/04 Thu and 01/05 Fri holidays, Sat-Sun: Mon 04/05.
    EXPECT_EQ(due_days("2026-04-29 10:00", 1), "2026-05-04 17:00");
    // Fri 24/04/2026 + 1: Sat-Sun (Giỗ Tổ on the Sunday), Mon 27 nghỉ bù: Tue 28/04.
    EXPECT_EQ(due_days("2026-04-24 10:00", 1), "2026-04-28 17:00");
    // Fri 04/04/2025 + 1: Sat-Sun, Mon 07/04 Giỗ Tổ: Tue 08/04.
    EXPECT_EQ(due_days("2025-04-04 10:00", 1), "2025-04-08 17:00");
}

TEST(Calendar, DueInWorkingDaysAroundSecondSeptemberAndNewYear)
{
    // Fri 29/08/2025 + 1: Sat-Sun, Mon 01/09 and Tue 02/09 Quốc khánh: Wed 03/09.
    EXPECT_EQ(due_days("2025-08-29 10:00", 1), "2025-09-03 17:00");
    // Fri 30/08/2024 + 1: Sat-Sun, Mon 02/09 and Tue 03/09 Quốc khánh: Wed 04/09.
    EXPECT_EQ(due_days("2024-08-30 10:00", 1), "2024-09-04 17:00");
    // Wed 31/12/2025 + 1 crosses into 2026: Thu 01/01 holiday, Fri 02/01 swapped off,
    // Sat-Sun: Monday 05/01/2026.
    EXPECT_EQ(due_days("2025-12-31 10:00", 1), "2026-01-05 17:00");
    // Thu 08/01/2026 + 2: Fri 09/01 (1), Sat 10/01 worked in exchange for 02/01 (2).
    EXPECT_EQ(due_days("2026-01-08 10:00", 2), "2026-01-10 17:00");
}

TEST(Calendar, DueInWorkingDaysOverOrdinaryWeekends)
{
    // Fri 07/03/2025 + 1: Sat-Sun: Monday 10/03.
    EXPECT_EQ(due_days("2025-03-07 16:59", 1), "2025-03-10 17:00");
    // Received online on Sun 09/03/2025: the day of receipt is not counted: Monday 10/03.
    EXPECT_EQ(due_days("2025-03-09 09:00", 1), "2025-03-10 17:00");
    // Mon 10/03/2025 + 5: Tue 11 .. Fri 14 (4), Mon 17 (5).
    EXPECT_EQ(due_days("2025-03-10 08:00", 5), "2025-03-17 17:00");
}

TEST(Calendar, SameDayCutOffAtThreePm)
{
    // Before 15:00 on a working day: due the same day, at closing time.
    EXPECT_EQ(due_same_day("2025-01-24 14:59"), "2025-01-24 17:00");
    // After 15:00 on Fri 24/01/2025: the next working day is Monday 03/02 (after Tết).
    EXPECT_EQ(due_same_day("2025-01-24 15:01"), "2025-02-03 17:00");
    // At 15:00 exactly the dossier is not "after 15:00": same day.
    EXPECT_EQ(due_same_day("2025-04-29 15:00"), "2025-04-29 17:00");
    // After 15:00 on Tue 29/04/2025: next working day Monday 05/05.
    EXPECT_EQ(due_same_day("2025-04-29 15:30"), "2025-05-05 17:00");
    // Saturday 26/04/2025 is a working day (làm bù): same day.
    EXPECT_EQ(due_same_day("2025-04-26 10:00"), "2025-04-26 17:00");
    // Received online on Sunday 15/02/2026, inside Tết: first working day Monday 23/02.
    EXPECT_EQ(due_same_day("2026-02-15 09:00"), "2026-02-23 17:00");
    // After 15:00 on Fri 09/01/2026: the next working day is Saturday 10/01 (làm bù).
    EXPECT_EQ(due_same_day("2026-01-09 16:00"), "2026-01-10 17:00");
}

TEST(Calendar, DueInWorkingHours)
{
    // 8 h = 1 working day: Fri 24/01/2025 15:00 -> the next working day, Mon 03/02, 15:00.
    EXPECT_EQ(due_hours("2025-01-24 15:00", 8), "2025-02-03 15:00");
    // 4 h from Fri 24/01/2025 16:00: 1 h until 17:00, then 3 h from 07:30 on Mon 03/02.
    EXPECT_EQ(due_hours("2025-01-24 16:00", 4), "2025-02-03 10:30");
    // 4 h from Mon 03/02/2025 10:30: 1 h until 11:30, lunch, 3 h from 13:30.
    EXPECT_EQ(due_hours("2025-02-03 10:30", 4), "2025-02-03 16:30");
    // Received at lunch (12:00): the clock starts at 13:30.
    EXPECT_EQ(due_hours("2025-04-29 12:00", 2), "2025-04-29 15:30");
    // Received after closing on Tue 29/04/2025: next opening is Mon 05/05 07:30.
    EXPECT_EQ(due_hours("2025-04-29 17:30", 2), "2025-05-05 09:30");
    // 16 h from Fri 13/02/2026 11:00: two working days, Mon 23/02 and Tue 24/02, 11:00.
    EXPECT_EQ(due_hours("2026-02-13 11:00", 16), "2026-02-24 11:00");
    // 12 h from Thu 28/08/2025 14:00: 8 h -> Fri 29/08 14:00; 4 h: 3 h until 17:00, then
    // 1 h from 07:30 on the next working day, Wed 03/09 (Quốc khánh on 01-02/09).
    EXPECT_EQ(due_hours("2025-08-28 14:00", 12), "2025-09-03 08:30");
    // 1 h from Fri 25/04/2025 16:30: 30 min Friday, 30 min on Saturday 26/04 (làm bù).
    EXPECT_EQ(due_hours("2025-04-25 16:30", 1), "2025-04-26 08:00");
    // Received at 11:30 sharp: the morning is over, the clock starts at 13:30.
    EXPECT_EQ(due_hours("2025-03-10 11:30", 1), "2025-03-10 14:30");
}

TEST(Calendar, WorkdaysBetween)
{
    // 20/01-09/02/2025: week of 20-24 (5), Tết week 27-31 (0), week of 03-07/02 (5).
    EXPECT_EQ(*shipped().workdays_between(d("2025-01-20"), d("2025-02-09")), 10);
    // 26/04-04/05/2025: Sat 26 (làm bù), Mon 28, Tue 29; 30/04-04/05 off.
    EXPECT_EQ(*shipped().workdays_between(d("2025-04-26"), d("2025-05-04")), 3);
    // February 2026: 20 weekdays minus the 5 Tết days.
    EXPECT_EQ(*shipped().workdays_between(d("2026-02-01"), d("2026-02-28")), 15);
    // 01-07/09/2025: Mon-Tue Quốc khánh, Wed-Fri worked.
    EXPECT_EQ(*shipped().workdays_between(d("2025-09-01"), d("2025-09-07")), 3);
    // 01-11/01/2026: 05-09/01 and Saturday 10/01 (làm bù).
    auto list = shipped().working_days(d("2026-01-01"), d("2026-01-11"));
    ASSERT_TRUE(list.ok());
    std::vector<std::string> got;
    for (auto day : *list)
        got.push_back(format_date(day));
    EXPECT_EQ(got, (std::vector<std::string>{"2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08",
                                             "2026-01-09", "2026-01-10"}));
    auto reversed = shipped().workdays_between(d("2025-02-09"), d("2025-01-20"));
    ASSERT_FALSE(reversed.ok());
    EXPECT_EQ(reversed.error().code, "invalid_range");
}

TEST(Calendar, YearOutsideTheTableIsAnErrorNamingIt)
{
    auto w = shipped().is_working_day(d("2032-01-05"));
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.error().code, "calendar_year_missing");
    EXPECT_EQ(w.error().message, "no working calendar for 2032: add config/calendar/2032.toml");
    // A due date that runs past the table's end names the year it needs.
    auto due = shipped().due(at("2031-12-30 10:00"), Duration::days(5), false, rules);
    ASSERT_FALSE(due.ok());
    EXPECT_EQ(due.error().message, "no working calendar for 2032: add config/calendar/2032.toml");
    auto before = shipped().workdays_between(d("2023-12-29"), d("2024-01-02"));
    ASSERT_FALSE(before.ok());
    EXPECT_EQ(before.error().message, "no working calendar for 2023: add config/calendar/2023.toml");
}

TEST(Calendar, RejectsBadOfficeHoursAndDurations)
{
    DueRules none{};
    auto r = shipped().due(at("2025-03-10 10:00"), Duration::days(1), false, none);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "office_hours_missing");
    auto zero = shipped().due(at("2025-03-10 10:00"), Duration::days(0), false, rules);
    ASSERT_FALSE(zero.ok());
    EXPECT_EQ(zero.error().code, "invalid_duration");
}

} // namespace
} // namespace motcua::calendar

namespace motcua::calendar
{
namespace
{

TEST(Calendar, QuocKhanh2026PerThongBao9441)
{
    // Thông báo 9441/TB-BNV (16/10/2025): off Sat 29/08 - Wed 02/09/2026, Mon 31/08 swapped
    // with the working Saturday 22/08.
    EXPECT_TRUE(working("2026-08-22"));  // Saturday worked instead of Monday 31/08
    EXPECT_FALSE(working("2026-08-31")); // Monday off (swapped)
    EXPECT_FALSE(working("2026-09-01")); // adjacent day
    EXPECT_FALSE(working("2026-09-02")); // Quốc khánh
    EXPECT_TRUE(working("2026-09-03"));
    const auto* e = shipped().entry(d("2026-09-01"));
    ASSERT_NE(e, nullptr);
    EXPECT_FALSE(e->provisional); // settled by the notice
    // Fri 28/08 + 1 working day: Sat 29, Sun 30, Mon 31 (swapped), Tue 1/9, Wed 2/9 off ->
    // Thu 03/09.
    EXPECT_EQ(due_days("2026-08-28 10:00", 1), "2026-09-03 17:00");
    // Fri 21/08 + 1 working day: the next working day is the làm bù Saturday 22/08.
    EXPECT_EQ(due_days("2026-08-21 10:00", 1), "2026-08-22 17:00");
}

TEST(Calendar, CultureDay2026IsListedButNotInForce)
{
    // 24/11/2026 (Tuesday): proposed by NQ 80-NQ/TW, not verified as law: a working day.
    EXPECT_TRUE(working("2026-11-24"));
    EXPECT_EQ(shipped().entry(d("2026-11-24")), nullptr);
}

TEST(Calendar, SaturdaySessionsCountForHoursAndSameDayOnly)
{
    // An office with a Saturday-morning session 07:30-11:30 (Sat 14/03/2026 is an ordinary
    // Saturday).
    DueRules with_session = rules;
    with_session.weekday_hours[6] = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}}};
    auto due = [&](const char* received, Duration dur, bool same_day, const DueRules& r) {
        auto x = shipped().due(at(received), dur, same_day, r);
        return x ? show(*x) : "error: " + x.error().message;
    };
    // 4 working hours from Fri 13/03 15:00: 2 h on Friday (to 17:00), then 2 h of the
    // Saturday session -> Sat 09:30. Without the session: Monday 09:30.
    EXPECT_EQ(due("2026-03-13 15:00", Duration::hours(4), false, with_session), "2026-03-14 09:30");
    EXPECT_EQ(due("2026-03-13 15:00", Duration::hours(4), false, rules), "2026-03-16 09:30");
    // Same-day received in the Saturday session before the cut-off: due at its close.
    EXPECT_EQ(due("2026-03-14 09:00", Duration::days(0), true, with_session), "2026-03-14 11:30");
    // A day period does not count the Saturday by default: Fri + 1 = Monday ...
    EXPECT_EQ(due("2026-03-13 10:00", Duration::days(1), false, with_session), "2026-03-16 17:00");
    // ... unless the setting says sessions are working days.
    with_session.sessions_count_as_days = true;
    EXPECT_EQ(due("2026-03-13 10:00", Duration::days(1), false, with_session), "2026-03-14 11:30");
}

TEST(Calendar, CalendarDaysEndOnAWorkingDay)
{
    // 5 calendar days from Mon 09/03/2026: Sat 14/03, not a working day -> Mon 16/03.
    auto r = shipped().due(at("2026-03-09 10:00"), Duration::calendar_days(5), false, rules);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(show(*r), "2026-03-16 17:00");
}

TEST(Calendar, WorkingMinutesSkipNightsWeekendsAndHolidays)
{
    // Fri 28/08/2026 14:00 to Thu 03/09 08:00: Friday 14:00-17:00 = 180 min, then the
    // Quốc khánh break, then Thursday 07:30-08:00 = 30 min.
    auto w = shipped().working_minutes(at("2026-08-28 14:00"), at("2026-09-03 08:00"), rules);
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(*w, 210);
}

} // namespace
} // namespace motcua::calendar
