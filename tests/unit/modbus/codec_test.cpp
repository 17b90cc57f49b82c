#include "modbus/codec.hpp"
#include "profiles.hpp"

#include <gtest/gtest.h>

using namespace motcua;
using namespace motcua::modbus;

TEST(Codec, MotcuaDisplayIsOneFc16OfFiveRegisters)
{
    auto p = test::shipped_profile("motcua-v1");
    DisplayImage img{DisplayMode::number, 42, 3, 3, 5, 12};
    auto w = encode_display(p, img);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].address, 0x0100);
    EXPECT_FALSE(w[0].single);
    EXPECT_EQ(w[0].values, (std::vector<std::uint16_t>{42, 3, 1, 0x0305, 12}));
}

TEST(Codec, MotcuaBlankAndDashes)
{
    auto p = test::shipped_profile("motcua-v1");
    auto blank = encode_display(p, DisplayImage{DisplayMode::blank, 7, 2, 0, 5, 15});
    EXPECT_EQ(blank[0].values, (std::vector<std::uint16_t>{0xFFFF, 2, 0, 0, 15}));
    auto dashes = encode_display(p, DisplayImage{DisplayMode::dashes, 7, 2, 0, 5, 15});
    EXPECT_EQ(dashes[0].values, (std::vector<std::uint16_t>{0xFFFF, 2, 2, 0, 15}));
}

TEST(Codec, Led485WritesInt16WithFc06)
{
    auto p = test::shipped_profile("led-485");
    auto w = encode_display(p, DisplayImage{DisplayMode::number, 1234, 0, 0, 5, 15});
    ASSERT_EQ(w.size(), 1u);
    EXPECT_TRUE(w[0].single);
    EXPECT_EQ(w[0].address, 0x0000);
    EXPECT_EQ(w[0].values, (std::vector<std::uint16_t>{1234}));
    auto closed = encode_display(p, DisplayImage{DisplayMode::dashes, 1234, 0, 0, 5, 15});
    EXPECT_EQ(closed[0].values, (std::vector<std::uint16_t>{0}));
}

TEST(Codec, Dm56a04WritesRightAlignedAscii)
{
    auto p = test::shipped_profile("dm56a04");
    auto w = encode_display(p, DisplayImage{DisplayMode::number, 42, 0, 0, 5, 15});
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].address, 0);
    EXPECT_EQ(w[0].values, (std::vector<std::uint16_t>{' ', ' ', ' ', ' ', '4', '2'}));
    auto dashes = encode_display(p, DisplayImage{DisplayMode::dashes, 0, 0, 0, 5, 15});
    EXPECT_EQ(dashes[0].values, (std::vector<std::uint16_t>{' ', ' ', '-', '-', '-', '-'}));
    auto blank = encode_display(p, DisplayImage{});
    EXPECT_EQ(blank[0].values, std::vector<std::uint16_t>(6, ' '));
}

TEST(Codec, ShownRegistersLeaveOutTheOneShotBlink)
{
    using Regs = std::vector<std::pair<std::uint16_t, std::uint16_t>>;
    auto v1 = test::shipped_profile("motcua-v1");
    // A blinking call and its steady state read back the same: the blink is not kept.
    DisplayImage called{DisplayMode::number, 42, 3, 3, 5, 12};
    EXPECT_EQ(shown_registers(v1, called), (Regs{{0x0100, 42}, {0x0101, 3}, {0x0102, 1}, {0x0104, 12}}));
    called.blinks = 0;
    EXPECT_EQ(shown_registers(v1, called), (Regs{{0x0100, 42}, {0x0101, 3}, {0x0102, 1}, {0x0104, 12}}));
    auto tube = test::shipped_profile("dm56a04");
    auto shown = shown_registers(tube, DisplayImage{DisplayMode::number, 7, 0, 2, 5, 15});
    ASSERT_EQ(shown.size(), 6u);
    EXPECT_EQ(shown.back(), (std::pair<std::uint16_t, std::uint16_t>{5, '7'}));
}

TEST(Codec, FeedbackBlockAndBeep)
{
    auto p = test::shipped_profile("motcua-v1");
    auto w = encode_feedback(p, FeedbackImage{17, 5, Led::red});
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].address, 0x0210);
    EXPECT_EQ(w[0].values, (std::vector<std::uint16_t>{17, 5, 2}));
    auto none = encode_feedback(p, FeedbackImage{});
    EXPECT_EQ(none[0].values, (std::vector<std::uint16_t>{0xFFFF, 0, 0}));
    auto beep = encode_beep(p, 1);
    ASSERT_TRUE(beep);
    EXPECT_EQ(beep->address, 0x0213);
    EXPECT_FALSE(encode_beep(test::shipped_profile("led-485"), 1));
}

TEST(Codec, Fc06ProfileSplitsIntoSingleWrites)
{
    auto p = test::shipped_profile("motcua-v1");
    p.write = modbus::WriteFunction::fc06;
    auto w = encode_display(p, DisplayImage{DisplayMode::number, 5, 1, 0, 5, 9});
    ASSERT_EQ(w.size(), 5u);
    for (std::size_t i = 0; i < w.size(); ++i)
    {
        EXPECT_TRUE(w[i].single);
        EXPECT_EQ(w[i].address, 0x0100 + i);
    }
}

TEST(Codec, TestPatternShowsAllSegmentsThenBlinkThenDashes)
{
    auto p = test::shipped_profile("motcua-v1");
    auto pattern = test_pattern(p, DisplayImage{});
    ASSERT_EQ(pattern.size(), 3u);
    EXPECT_EQ(pattern[0].number, 8888);
    EXPECT_GT(pattern[1].blinks, 0);
    EXPECT_EQ(pattern[2].mode, DisplayMode::dashes);
}
