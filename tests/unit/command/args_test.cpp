// Argument accessors: ranges, text and sizes refused with the argument named.

#include "command/args.hpp"

#include <gtest/gtest.h>

using namespace motcua::command;

namespace
{
template <class F>
std::string refusal(F f)
{
    try
    {
        f();
    }
    catch (const BadArgument& e)
    {
        return e.what();
    }
    return "";
}
} // namespace

TEST(Args, IntegersOutsideTheirRangeAreRefusedNotTruncated)
{
    const json args{{"to_counter", 4294967298LL}, {"reason", 4294967295LL}, {"huge", 18446744073709551615ULL},
                    {"ok", 7},                     {"neg", -1}};
    EXPECT_NE(refusal([&] { int_arg(args, "to_counter", 1, 99); }).find("\"to_counter\" must be 1..99"),
              std::string::npos);
    EXPECT_NE(refusal([&] { int_arg(args, "reason"); }).find("\"reason\""), std::string::npos);
    EXPECT_NE(refusal([&] { int_arg(args, "huge", 0, 10); }).find("\"huge\""), std::string::npos);
    EXPECT_NE(refusal([&] { int_arg(args, "neg", 0, 10); }).find("not -1"), std::string::npos);
    EXPECT_EQ(int_arg(args, "ok", 1, 99), 7);
    EXPECT_EQ(optional_int_arg(args, "absent", 247, 1, 247), 247);
    EXPECT_NE(refusal([&] { int_arg(args, "absent", 1, 2); }).find("missing argument \"absent\""), std::string::npos);
}

TEST(Args, StringsAreCleanShortAndNfc)
{
    const json args{{"officer", std::string(60000, 'a')},
                    {"nul", std::string("a\0b", 3)},
                    {"name", "Nguye\xCC\x82\xCC\x83n"},
                    {"note", "line one\nline two"},
                    {"n", 5}};
    EXPECT_NE(refusal([&] { string_arg(args, "officer", 64); }).find("too long"), std::string::npos);
    EXPECT_NE(refusal([&] { string_arg(args, "nul"); }).find("control character"), std::string::npos);
    EXPECT_EQ(string_arg(args, "name"), "Nguy\xE1\xBB\x85n");
    EXPECT_NE(refusal([&] { string_arg(args, "note"); }).find("control character"), std::string::npos);
    EXPECT_EQ(text_arg(args, "note"), "line one\nline two");
    EXPECT_NE(refusal([&] { string_arg(args, "n"); }).find("must be a string"), std::string::npos);
    EXPECT_NE(refusal([&] { bulk_arg(args, "officer", 1000); }).find("more than 1000 bytes"), std::string::npos);
}
