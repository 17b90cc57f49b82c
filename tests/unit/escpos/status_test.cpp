#include "escpos/status.hpp"

#include <gtest/gtest.h>

namespace motcua::escpos
{
namespace
{

State classify4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
{
    return classify(StatusReplies{{a, b, c, d}}, StatusMasks{});
}

TEST(Status, EpsonRepliesMapToStates)
{
    EXPECT_EQ(classify4(0x12, 0x12, 0x12, 0x12), State::online);
    EXPECT_EQ(classify4(0x12, 0x12, 0x12, 0x1E), State::paper_near_end);
    EXPECT_EQ(classify4(0x1A, 0x32, 0x12, 0x7E), State::paper_out);
    EXPECT_EQ(classify4(0x1A, 0x16, 0x12, 0x12), State::cover_open);
    EXPECT_EQ(classify4(0x1A, 0x52, 0x1A, 0x12), State::cutter_error);
    EXPECT_EQ(classify4(0x1A, 0x12, 0x32, 0x12), State::offline);
    EXPECT_TRUE(can_print(State::paper_near_end));
    EXPECT_FALSE(can_print(State::paper_out));
}

TEST(Status, ParserTellsRepliesAsbAndXonApart)
{
    ReplyParser p;
    EXPECT_FALSE(p.feed(0x11)); // XON
    auto r = p.feed(0x12);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, Reply::Kind::dle_eot);
    EXPECT_FALSE(p.feed(0x18)); // ASB byte 1: offline
    EXPECT_FALSE(p.feed(0x00));
    EXPECT_FALSE(p.feed(0x0F));
    r = p.feed(0x00);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, Reply::Kind::asb);
    EXPECT_EQ(classify_asb(r->bytes), State::paper_out);
    EXPECT_EQ(classify_asb({0x30, 0, 0, 0}), State::cover_open);
    EXPECT_EQ(classify_asb({0x10, 0, 0x03, 0}), State::paper_near_end);
    EXPECT_EQ(classify_asb({0x10, 0, 0, 0}), State::online);
}

} // namespace
} // namespace motcua::escpos
