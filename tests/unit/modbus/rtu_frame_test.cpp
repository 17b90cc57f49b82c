#include "sim/rtu_frame.hpp"

#include <gtest/gtest.h>

using namespace motcua::sim;

TEST(RtuFrame, CrcOfKnownFrame)
{
    // Read 2 holding registers at 0 from slave 1: 01 03 00 00 00 02 C4 0B (CRC low byte first).
    auto f = read_request(1, 0, 2);
    EXPECT_EQ(f, (std::vector<std::uint8_t>{0x01, 0x03, 0x00, 0x00, 0x00, 0x02, 0xC4, 0x0B}));
    EXPECT_TRUE(crc_ok(f));
    f[3] ^= 1;
    EXPECT_FALSE(crc_ok(f));
}

TEST(RtuFrame, LengthFromFunctionCode)
{
    EXPECT_EQ(request_length(read_request(1, 0x200, 4)), 8);
    EXPECT_EQ(request_length(write_single_request(1, 0x204, 3)), 8);
    std::uint16_t v[5] = {1, 2, 3, 4, 5};
    auto fc16 = write_multiple_request(7, 0x100, v);
    EXPECT_EQ(request_length(fc16), 19);
    EXPECT_EQ(request_length(std::span(fc16).first(5)), 0); // byte count not yet seen
    std::uint8_t junk[] = {0x01, 0x55};
    EXPECT_EQ(request_length(junk), -1);
}

TEST(RtuFrame, ParsesWritesAndBuildsReplies)
{
    std::uint16_t v[3] = {42, 3, 1};
    auto r = parse_request(write_multiple_request(9, 0x100, v));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->slave, 9);
    EXPECT_EQ(r->function, 0x10);
    EXPECT_EQ(r->values, (std::vector<std::uint16_t>{42, 3, 1}));
    auto reply = write_multiple_reply(9, 0x100, 3);
    EXPECT_EQ(reply.size(), 8u);
    EXPECT_TRUE(crc_ok(reply));
    std::uint16_t regs[4] = {1, 1, 2, 0};
    auto rr = read_reply(9, 3, regs);
    EXPECT_EQ(rr.size(), 5u + 2 * 4);
    EXPECT_TRUE(crc_ok(rr));
    auto ex = exception_reply(9, 3, 2);
    EXPECT_EQ(ex[1], 0x83);
    EXPECT_TRUE(crc_ok(ex));
}
