// The [register] section: procedure catalogue, calendar directory, validation messages.

#include "config/load.hpp"
#include "process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace motcua::config
{
namespace
{

const std::string base = R"([office]
name = "Trung tâm Phục vụ hành chính công xã Yên Sở"
unit_code = "000.17.22.H56"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 999
)";

LoadResult load(const std::string& reg)
{
    return load_string(base + reg, "motcua.toml", {"/nonexistent-search-dir"});
}

std::string errors(const LoadResult& r) { return r.diags.str(); }

TEST(Catalogue, VersionInForceOnTheReceiptDateApplies)
{
    auto r = load(R"(
[register]
database = "/tmp/x.db"
same_day_cutoff = "15:00"
early_margin_hours = 8

[[register.procedure]]
code = "1.000948.H38"
name = "Chứng thực bản sao từ bản chính"
field = "Tư pháp – Hộ tịch"
hours = 8

[[register.procedure]]
code = "1.000948.H38"
name = "Chứng thực bản sao từ bản chính"
field = "Tư pháp – Hộ tịch"
same_day = true
effective_from = "2025-07-01"
)");
    ASSERT_TRUE(r.config) << errors(r);
    const auto& reg = r.config->reg;
    EXPECT_EQ(reg.database, "/tmp/x.db");
    EXPECT_EQ(reg.early_margin_hours, 8);
    ASSERT_EQ(reg.procedures.size(), 2u);
    const auto* before = reg.procedure("1.000948.H38", *parse_date("2025-06-30"));
    const auto* after = reg.procedure("1.000948.H38", *parse_date("2025-07-01"));
    ASSERT_NE(before, nullptr);
    ASSERT_NE(after, nullptr);
    EXPECT_EQ(before->hours, 8);
    EXPECT_TRUE(after->same_day);
    EXPECT_EQ(reg.procedure("2.000000.X", *parse_date("2025-07-01")), nullptr);
}

TEST(Catalogue, PerProcedureRulesAndWeekdayHours)
{
    auto r = load(R"(
[register]
saturday_hours = ["07:30-11:30"]
sessions_count_as_days = true
authority = "UBND xã Yên Sở"
place = "Yên Sở"
forms_printer = "quay-1"

[[register.procedure]]
code = "1.000948.H38"
name = "Chứng thực bản sao từ bản chính"
field = "Tư pháp – Hộ tịch"
same_day = true
same_day_cutoff = "16:00"
documents = ["Bản chính", "Bản sao cần chứng thực"]
fee = "2.000 đồng/trang"

[[register.procedure]]
code = "2.000986.000.00.00.H26"
name = "Cấp phiếu lý lịch tư pháp"
field = "Tư pháp – Hộ tịch"
calendar_days = 10
)");
    ASSERT_TRUE(r.config) << errors(r);
    const auto& reg = r.config->reg;
    EXPECT_FALSE(reg.early_margin_hours.has_value()); // default: the earlier-working-day rule
    EXPECT_TRUE(reg.sessions_count_as_days);
    ASSERT_EQ(reg.weekday_hours.count(6), 1u);
    EXPECT_EQ(reg.weekday_hours.at(6).front().second, (TimeOfDay{11 * 60 + 30}));
    EXPECT_EQ(reg.procedures[0].same_day_cutoff, (TimeOfDay{16 * 60}));
    EXPECT_EQ(reg.procedures[1].calendar_days, 10);
    // What the forms print (TT 03/2025 Mẫu 01): the documents, the fee, the header.
    EXPECT_EQ(reg.procedures[0].documents, (std::vector<std::string>{"Bản chính", "Bản sao cần chứng thực"}));
    EXPECT_EQ(reg.procedures[0].fee, "2.000 đồng/trang");
    EXPECT_TRUE(reg.procedures[1].documents.empty());
    EXPECT_EQ(reg.authority, "UBND xã Yên Sở");
    EXPECT_EQ(reg.place, "Yên Sở");
    EXPECT_EQ(reg.forms_printer, "quay-1");

    auto bad = load(R"(
[register]
saturday_hours = ["11:30-07:30"]

[[register.procedure]]
code = "A"
name = "A"
field = "F"
days = 3
same_day_cutoff = "16:00"

[[register.procedure]]
code = "B"
name = "B"
field = "F"
days = 3
calendar_days = 3
)");
    EXPECT_FALSE(bad.config);
    auto text = errors(bad);
    EXPECT_NE(text.find("register.saturday_hours entry \"11:30-07:30\""), std::string::npos) << text;
    EXPECT_NE(text.find("has a same_day_cutoff but is not same_day = true"), std::string::npos) << text;
    EXPECT_NE(text.find("more than one of `days`, `hours`, `calendar_days`"), std::string::npos) << text;
}

TEST(Catalogue, ErrorsHavePositions)
{
    auto r = load(R"(
[register]

[[register.procedure]]
code = "P1"
name = "A"
field = "F"
days = 3
effective_from = "2025-07-01"

[[register.procedure]]
code = "P1"
name = "A again"
field = "F"
days = 5
effective_from = "2025-07-01"

[[register.procedure]]
code = "P2"
name = "No time"
field = "F"

[[register.procedure]]
code = "P3"
name = "Both"
field = "F"
days = 1
hours = 4

[[register.procedure]]
code = "P4"
name = "Bad date"
field = "F"
days = 1
effective_from = "2025-13-01"
)");
    EXPECT_FALSE(r.config);
    auto e = errors(r);
    EXPECT_NE(e.find("motcua.toml:22:8: procedure P1 is listed twice with effective_from 2025-07-01 (first at line 15)"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("procedure P2 has no processing time"), std::string::npos) << e;
    EXPECT_NE(e.find("procedure P3 gives more than one of"), std::string::npos) << e;
    EXPECT_NE(e.find("effective_from = \"2025-13-01\" is not a date"), std::string::npos) << e;
}

TEST(Catalogue, CalendarDirectoryDefaultsToTheSearchDirs)
{
    std::string config_dir = motcua::testing::source_dir() + "/config";
    auto r = load_string(base, "motcua.toml", {"/nonexistent-search-dir", config_dir});
    ASSERT_TRUE(r.config) << errors(r);
    EXPECT_EQ(r.config->reg.calendar_dir, config_dir + "/calendar");
    auto missing = load("[register]\ncalendar_dir = \"/nonexistent-calendar\"\n");
    EXPECT_FALSE(missing.config);
    EXPECT_NE(errors(missing).find("register.calendar_dir \"/nonexistent-calendar\" is not a directory"),
              std::string::npos);
}

} // namespace
} // namespace motcua::config
