// The year-file parser: what a site editing config/calendar/YYYY.toml is told when it errs,
// and that an added year is picked up without rebuilding.

#include "calendar/calendar.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace motcua::calendar
{
namespace
{

const std::string header = R"(year = 2032
status = "provisional"
lunar_new_year = "2032-02-11"
hung_kings = "2032-04-19"

[[day]]
from = "2032-02-09"
to = "2032-02-13"
kind = "holiday"
name = "Tết"

[[day]]
date = "2032-04-19"
kind = "holiday"
name = "Giỗ Tổ Hùng Vương"
)";

std::string parse_errors(const std::string& text)
{
    auto r = parse_year(text, "2032.toml");
    return r ? std::string() : r.error().message;
}

TEST(YearTable, ParsesAValidYear)
{
    auto r = parse_year(header, "2032.toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->year, 2032);
    EXPECT_TRUE(r->provisional);
    ASSERT_EQ(r->days.size(), 6u); // 5 Tết days + Giỗ Tổ
    EXPECT_EQ(format_date(r->days.front().date), "2032-02-09");
    EXPECT_EQ(r->days.front().name, "Tết");
}

TEST(YearTable, SwappedWorkOnAWeekdayIsAnErrorWithItsPosition)
{
    // 2032-03-03 is a Wednesday.
    auto errors = parse_errors(header + R"(
[[day]]
date = "2032-03-03"
kind = "swapped_work"
name = "Làm bù"
)");
    EXPECT_NE(errors.find("2032.toml:18:8: calendar.day[2]: 2032-03-03 is a weekday"), std::string::npos) << errors;
}

TEST(YearTable, CompensatoryOnAWeekendIsAnError)
{
    // 2032-03-06 is a Saturday.
    auto errors = parse_errors(header + R"(
[[day]]
date = "2032-03-06"
kind = "compensatory"
name = "Nghỉ bù"
)");
    EXPECT_NE(errors.find("is a Saturday or Sunday; a compensatory day must be Monday to Friday"), std::string::npos)
        << errors;
}

TEST(YearTable, DateOutsideTheYearDuplicatesAndUnknownKeysAreAllReported)
{
    auto errors = parse_errors(header + R"(
[[day]]
date = "2031-12-31"
kind = "holiday"
name = "Wrong year"

[[day]]
date = "2032-04-19"
kind = "holiday"
name = "Again"

[[day]]
date = "2032-09-02"
kind = "holiday"
nmae = "Typo"
)");
    EXPECT_NE(errors.find("2031-12-31 is not in 2032"), std::string::npos) << errors;
    EXPECT_NE(errors.find("2032-04-19 is already listed at line 13"), std::string::npos) << errors;
    EXPECT_NE(errors.find("2032.toml:30:1: unknown key 'nmae' in calendar.day[4]"), std::string::npos) << errors;
    EXPECT_NE(errors.find("day[4] is missing required key 'name'"), std::string::npos) << errors;
}

TEST(YearTable, LunarNewYearMustBeAHoliday)
{
    // A table built from a UTC+8 calendar would put Tết 2030 on 03/02; here the lunar date
    // and the holiday list disagree, and the file is refused.
    std::string text = R"(year = 2030
status = "provisional"
lunar_new_year = "2030-02-03"
hung_kings = "2030-04-12"

[[day]]
from = "2030-01-30"
to = "2030-02-02"
kind = "holiday"
name = "Tết"

[[day]]
date = "2030-04-12"
kind = "holiday"
name = "Giỗ Tổ Hùng Vương"
)";
    auto r = parse_year(text, "2030.toml");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("2030.toml:3:18: calendar.lunar_new_year 2030-02-03 is not listed as a holiday"),
              std::string::npos)
        << r.error().message;
}

TEST(YearTable, SyntaxErrorHasAPosition)
{
    auto errors = parse_errors("year = 2032\nstatus = \n");
    EXPECT_NE(errors.find("2032.toml:2:"), std::string::npos) << errors;
    EXPECT_NE(errors.find("TOML syntax"), std::string::npos) << errors;
}

struct TempDir
{
    std::filesystem::path path;
    TempDir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "motcua-calendar-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    void write(const std::string& name, const std::string& text) const
    {
        std::ofstream(path / name) << text;
    }
};

TEST(YearTable, AYearAddedByASiteIsLoadedWithoutRebuilding)
{
    TempDir dir;
    dir.write("2032.toml", header);
    dir.write("README.txt", "not a year file");
    auto cal = load_directory(dir.path.string());
    ASSERT_TRUE(cal.ok()) << cal.error().message;
    EXPECT_EQ(cal->years(), std::vector<int>{2032});
    // Monday 2032-02-09 is a Tết day in that file; Monday 2032-02-16 is an ordinary Monday.
    EXPECT_FALSE(*cal->is_working_day(*parse_date("2032-02-09")));
    EXPECT_TRUE(*cal->is_working_day(*parse_date("2032-02-16")));
}

TEST(YearTable, FileNameMustMatchItsYear)
{
    TempDir dir;
    dir.write("2033.toml", header);
    auto cal = load_directory(dir.path.string());
    ASSERT_FALSE(cal.ok());
    EXPECT_NE(cal.error().message.find("the file holds year 2032; name it 2032.toml"), std::string::npos)
        << cal.error().message;
}

TEST(YearTable, EmptyOrMissingDirectoryIsAnError)
{
    TempDir dir;
    EXPECT_EQ(load_directory(dir.path.string()).error().code, "calendar_empty");
    EXPECT_EQ(load_directory((dir.path / "absent").string()).error().code, "calendar_unreadable");
}

} // namespace
} // namespace motcua::calendar
