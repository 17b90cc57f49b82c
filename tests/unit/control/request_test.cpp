// control::parse_request against docs/control-protocol.md: one JSON object per line, a
// "cmd" string, an optional "args" object, an "id" echoed back.

#include "control/protocol.hpp"
#include "control/request.hpp"

#include <gtest/gtest.h>

#include <string>

namespace motcua::control
{
namespace
{

TEST(ParseRequest, ReadsTheDocumentedForm)
{
    auto r = parse_request(R"({"id": 7, "cmd": "call", "args": {"counter": 3}})");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->id, 7);
    EXPECT_EQ(r->cmd, "call");
    EXPECT_EQ(r->args, json({{"counter", 3}}));
}

TEST(ParseRequest, IdAndArgsMayBeOmitted)
{
    auto r = parse_request(R"({"cmd": "status"})");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->id.is_null());
    EXPECT_EQ(r->args, json::object());
}

TEST(ParseRequest, IdIsAStringANumberOrNull)
{
    for (const char* id : {R"("abc")", "-1", "2.5", "null", "18446744073709551615"})
        EXPECT_TRUE(parse_request(std::string(R"({"cmd": "status", "id": )") + id + "}").ok()) << id;
    for (const char* id : {"[1]", R"({"a": 1})", "true"})
    {
        auto r = parse_request(std::string(R"({"cmd": "status", "id": )") + id + "}");
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error().code, "bad_request");
        EXPECT_NE(r.error().message.find("\"id\""), std::string::npos) << r.error().message;
    }
}

TEST(ParseRequest, EveryMalformedLineIsABadRequest)
{
    const char* lines[] = {
        "",                                    // nothing
        "call 3",                              // not JSON
        R"({"cmd": "call")",                   // cut short
        R"(["call"])",                         // not an object
        R"("call")",                           // not an object
        R"({"id": 1})",                        // no cmd
        R"({"cmd": 3})",                       // cmd not a string
        R"({"cmd": ""})",                      // empty cmd
        R"({"cmd": null})",                    // cmd null
        R"({"cmd": "call", "args": [3]})",     // args not an object
        R"({"cmd": "call", "args": "3"})",     // args not an object
        R"({"cmd": "call", "args": null})",    // args not an object
        "{\"cmd\": \"call\xff\"}",             // not UTF-8
        R"({"cmd": "call"} {"cmd": "done"})",  // two objects on one line
    };
    for (const char* line : lines)
    {
        auto r = parse_request(line);
        ASSERT_FALSE(r.ok()) << line;
        EXPECT_EQ(r.error().code, "bad_request") << line;
    }
}

TEST(ParseRequest, NestingIsLimited)
{
    auto nested = [](std::size_t depth) {
        return R"({"cmd": "call", "args": {"x": )" + std::string(depth - 2, '[') + std::string(depth - 2, ']') + "}}";
    };
    EXPECT_TRUE(parse_request(nested(max_request_depth)).ok());
    auto r = parse_request(nested(max_request_depth + 1));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "bad_request");
    // Brackets inside strings are text, not nesting.
    EXPECT_TRUE(parse_request(R"({"cmd": "note", "args": {"text": ")" + std::string(100, '[') + R"("}})").ok());
}

TEST(IntArg, AnUnsignedValueBeyondInt64IsRefusedNotWrapped)
{
    EXPECT_EQ(int_arg(json::parse(R"({"counter": 9223372036854775807})"), "counter", INT64_MIN, INT64_MAX),
              9223372036854775807);
    // Without a range an integer argument is a 32-bit one.
    EXPECT_THROW(int_arg(json::parse(R"({"counter": 4294967299})"), "counter"), BadArgument);
    EXPECT_THROW(int_arg(json::parse(R"({"counter": 18446744073709551615})"), "counter"), BadArgument);
    EXPECT_THROW(int_arg(json::parse(R"({"counter": 9223372036854775808})"), "counter"), BadArgument);
}

} // namespace
} // namespace motcua::control
