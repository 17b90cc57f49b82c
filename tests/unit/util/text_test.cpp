#include "util/text.hpp"

#include <gtest/gtest.h>

using namespace motcua;

TEST(Text, NfdAndNfcBecomeOneString)
{
    const std::string nfc = "Nguy\xE1\xBB\x85n";          // "Nguyễn", ễ precomposed (U+1EC5)
    const std::string nfd = "Nguye\xCC\x82\xCC\x83n";      // e + U+0302 + U+0303
    ASSERT_NE(nfc, nfd);
    EXPECT_EQ(text::to_nfc(nfd), nfc);
    auto cleaned = text::clean(nfd, "name");
    ASSERT_TRUE(cleaned);
    EXPECT_EQ(*cleaned, nfc);
}

TEST(Text, RefusesInvalidUtf8NamingTheByte)
{
    auto r = text::clean("ab\xC3(", "applicant name");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "bad_text");
    EXPECT_NE(r.error().message.find("applicant name"), std::string::npos);
    EXPECT_NE(r.error().message.find("byte 3"), std::string::npos);
    EXPECT_FALSE(text::valid_utf8("\xC0\xAF"));         // overlong '/'
    EXPECT_FALSE(text::valid_utf8("\xED\xA0\x80"));     // a surrogate
    EXPECT_TRUE(text::valid_utf8("Đất đai"));
}

TEST(Text, RefusesControlCharactersAndNul)
{
    EXPECT_FALSE(text::clean(std::string("a\0b", 3), "name"));
    EXPECT_FALSE(text::clean("a\x1b[31mb", "name"));
    EXPECT_FALSE(text::clean("line\nbreak", "name"));
    EXPECT_TRUE(text::clean("line\nbreak", "reason", {.max_chars = 100, .allow_newlines = true}));
}

TEST(Text, CountsCharactersNotBytes)
{
    std::string forty_vietnamese;
    for (int i = 0; i < 40; ++i)
        forty_vietnamese += "\xE1\xBB\x85"; // ễ, three bytes
    EXPECT_TRUE(text::clean(forty_vietnamese, "name", {.max_chars = 40}));
    auto r = text::clean(forty_vietnamese + "a", "name", {.max_chars = 40});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("41 characters, at most 40"), std::string::npos);
}

TEST(Text, FoldsVietnameseForSearch)
{
    EXPECT_EQ(text::fold_for_search("Chứng thực bản sao"), "chung thuc ban sao");
    EXPECT_EQ(text::fold_for_search("ĐĂNG KÝ KHAI SINH"), "dang ky khai sinh");
    EXPECT_EQ(text::fold_for_search("Đất đai"), "dat dai");
}
