// The guard in front of toml++ 3.3 (config/toml_text.hpp): non-ASCII text where TOML
// allows none is refused with its position before toml++ can reach its unreachable
// branch; text TOML allows anywhere else passes untouched.

#include "config/toml_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace motcua::config
{
namespace
{

struct Case
{
    const char* what;
    std::string text;
    int line; // 0: no trap
    int column;
};

TEST(TomlGuard, RefusesNonAsciiOutsideStringsAndComments)
{
    const Case cases[] = {
        {"unquoted value", "name = Đất đai\n", 1, 8},
        {"after a bare key (upstream #190's cousin)", "[office]\nnameĐ = \"x\"\n", 2, 5},
        {"after a value", "n = 1Đ\n", 1, 6},
        {"a lone combining mark (upstream #295)", "\xcc\xaa", 1, 1},
        {"in a table header", "[văn_phòng]\n", 1, 3},
        {"a legacy-encoded byte", "name = \xc3\n", 1, 8},
        {"after the line-ending backslash of a multi-line string (upstream #190)", "s = \"\"\"\\\n\xc2\xa7\"\"\"\n", 2, 1},
        {"after spaces and blank lines behind it", "s = \"\"\"a \\  \n\n  Đ\"\"\"\n", 3, 3},
        {"escaped directly", "s = \"\"\"\\Đ\"\"\"\n", 1, 9},
        {"a quote inside a bare value is no string (found by fuzzing)", "name =0\"Ngày\"\n", 1, 11},
        {"nor a bracket and a quote (found by fuzzing)", "S = 2_wo[\"lunar_yeaç\"\n", 1, 20},
        {"after a quoted key", "\"a\"Đ = 1\n", 1, 4},
    };
    for (const auto& c : cases)
    {
        auto trap = find_toml_trap(c.text);
        ASSERT_TRUE(trap.has_value()) << c.what;
        EXPECT_EQ(trap->at.line, c.line) << c.what;
        EXPECT_EQ(trap->at.column, c.column) << c.what;
    }
}

TEST(TomlGuard, PassesEveryPlaceTomlAllowsNonAscii)
{
    const Case cases[] = {
        {"basic string", "name = \"Trung tâm Phục vụ hành chính công\"\n", 0, 0},
        {"literal string", "name = 'Đất đai'\n", 0, 0},
        {"comment", "# Tư pháp – Hộ tịch\nn = 1 # số thứ tự\n", 0, 0},
        {"quoted key", "\"văn phòng\" = 1\n", 0, 0},
        {"multi-line basic", "s = \"\"\"\nXã An Bình\n\"\"\"\n", 0, 0},
        {"multi-line literal with quotes", "s = '''Đ''x'''''\nt = 'ư'\n", 0, 0},
        {"line-ending backslash before ASCII", "s = \"\"\"a \\\n   Bình\"\"\"\n", 0, 0},
        {"escaped quote", "s = \"a\\\"b\" # ư\n", 0, 0},
        {"dotted quoted key", "a.\"ư\" = 1\nb = [\"ơ\",'ư']\nc = {d=\"đ\"}\n", 0, 0},
        {"nested arrays and inline tables", "x = [[\"ư\", 1], {a = \"ơ\", b = [2, 'đ']}]\ny = { c = { d = \"ê\" }, e = \"â\" }\n", 0, 0},
        {"a multi-line array", "x = [\n  \"ư\", # ơ\n  'đ',\n]\nz = \"ê\"\n", 0, 0},
        {"a table header", "[a.\"ư\"]\n[[b]]\nc = \"đ\"\n", 0, 0},
        {"a date and time", "d = 1979-05-27 07:32:00\ne = \"ư\"\n", 0, 0},
        {"byte order mark", "\xEF\xBB\xBFn = \"ư\"\n", 0, 0},
    };
    for (const auto& c : cases)
        EXPECT_FALSE(find_toml_trap(c.text).has_value()) << c.what;
}

TEST(TomlGuard, ParseReportsTheTrapAsASyntaxErrorWithItsPosition)
{
    Diagnostics diags;
    EXPECT_FALSE(parse_toml("[office]\nname = Xã An Bình\n", "office.toml", diags).has_value());
    ASSERT_EQ(diags.list().size(), 1u);
    EXPECT_EQ(diags.list()[0].line, 2);
    EXPECT_EQ(diags.list()[0].column, 9);
    EXPECT_TRUE(diags.list()[0].message.starts_with("TOML syntax error: text outside quotes must be ASCII"))
        << diags.str();

    Diagnostics fine;
    auto table = parse_toml("[office]\nname = \"Xã An Bình\"\n", "office.toml", fine);
    ASSERT_TRUE(table.has_value()) << fine.str();
    EXPECT_EQ((*table)["office"]["name"].value_or(std::string()), "Xã An Bình");
}

TEST(TomlGuard, AFileThatCannotBeReadIsAnError)
{
    Diagnostics diags;
    EXPECT_FALSE(parse_toml_file("/nonexistent/office.toml", diags).has_value());
    ASSERT_EQ(diags.list().size(), 1u);
    EXPECT_NE(diags.list()[0].message.find("cannot read"), std::string::npos);
}

} // namespace
} // namespace motcua::config
