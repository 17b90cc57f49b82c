// Every precomposed Vietnamese letter, both cases, through the encoder and back through
// the simulator's decoder (whose tables come from glibc iconv, not from the encoder), on
// the TCVN-3, CP1258, single-VN3 and raster profiles.

#include "escpos/code_tables.hpp"
#include "escpos/encoder.hpp"
#include "escpos/text.hpp"
#include "helpers.hpp"
#include "sim/escpos_decoder.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <gtest/gtest.h>
#include <unicode/uchar.h>

#include <set>

namespace motcua::escpos
{
namespace
{

sim::DecoderTables tables_of(const Profile& p)
{
    return {p.tcvn_lower_table, p.tcvn_upper_table, p.cp1258_table};
}

// The ticket as printed: ended by a cut, or still pending on a printer without a cutter.
sim::DecodedTicket printed(const sim::EscposDecoder& d)
{
    return d.tickets().empty() ? d.pending() : d.tickets().back();
}

std::u32string all_letters()
{
    return vietnamese_lower_letters() + vietnamese_upper_letters();
}

// The 134 letters are derived here from Unicode itself, not from the encoder's tables:
// the twelve vowels times six tones, plus đ, minus the six plain ASCII vowels.
std::u32string letters_from_unicode()
{
    std::u32string out;
    const std::u32string vowels = U"aăâeêioôơuưy";
    const std::u32string marks = U"\u0300\u0309\u0303\u0301\u0323";
    for (char32_t v : vowels)
    {
        if (v >= 0x80)
            out.push_back(v);
        for (char32_t m : marks)
            out += nfc(std::u32string{v, m});
    }
    out.push_back(U'đ');
    std::u32string upper;
    for (char32_t c : out)
        upper.push_back(static_cast<char32_t>(u_toupper(static_cast<UChar32>(c))));
    return out + upper;
}

TEST(RoundTrip, LetterSetIsTheOneUnicodeDefines)
{
    auto a = all_letters();
    auto b = letters_from_unicode();
    ASSERT_EQ(a.size(), 134u);
    EXPECT_EQ(std::set<char32_t>(a.begin(), a.end()), std::set<char32_t>(b.begin(), b.end()));
}

TEST(RoundTrip, IconvTcvnHas67LowerCaseLettersWithTheFlush)
{
    const auto& t = sim::EscposDecoder::iconv_table("TCVN5712-1");
    int lower = 0;
    for (int b = 0x80; b < 0x100; ++b)
        if (t[static_cast<std::size_t>(b)] && u_islower(static_cast<UChar32>(t[static_cast<std::size_t>(b)])))
            ++lower;
    EXPECT_EQ(lower, 67);
}

class TextProfiles : public ::testing::TestWithParam<std::string>
{};

TEST_P(TextProfiles, EveryLetterInBothCasesComesBack)
{
    const auto p = test::load_profile(GetParam());
    for (char32_t c : letters_from_unicode())
    {
        Encoder e{p, nullptr};
        e.initialize().line(u32_to_utf8(std::u32string(1, c))).cut();
        ASSERT_EQ(e.fallbacks(), 0) << u32_to_utf8(std::u32string(1, c));
        sim::EscposDecoder d{tables_of(p)};
        d.feed(e.bytes());
        const auto t = printed(d);
        EXPECT_EQ(t.text, u32_to_utf8(std::u32string(1, c)) + "\n") << test::hex(e.bytes());
        EXPECT_TRUE(t.problems.empty());
    }
}

TEST_P(TextProfiles, ASentenceComesBack)
{
    const auto p = test::load_profile(GetParam());
    const std::string s = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc";
    Encoder e{p, nullptr};
    e.initialize().line(s).cut();
    sim::EscposDecoder d{tables_of(p)};
    d.feed(e.bytes());
    auto text = printed(d).text;
    std::erase(text, '\n');
    std::string expected = s;
    std::erase(expected, ' ');
    std::erase(text, ' ');
    EXPECT_EQ(text, expected);
}

INSTANTIATE_TEST_SUITE_P(Profiles, TextProfiles, ::testing::Values("epson-tm-t20", "generic-58mm-cp1258"));

TEST(RoundTrip, SingleVn3TableLowerCaseAndSevenCapitals)
{
    const auto p = test::load_profile("xprinter-r200");
    std::u32string letters = vietnamese_lower_letters() + U"ĂÂÊÔƠƯĐ";
    Encoder e{p, nullptr};
    e.initialize().line(u32_to_utf8(letters)).line("Ấ").cut();
    EXPECT_EQ(e.fallbacks(), 1); // Ấ printed as ấ
    sim::EscposDecoder d{tables_of(p)};
    d.feed(e.bytes());
    ASSERT_EQ(d.tickets().size(), 1u);
    auto text = d.tickets()[0].text;
    std::erase(text, '\n');
    EXPECT_EQ(text, u32_to_utf8(letters) + "ấ");
    EXPECT_TRUE(d.tickets()[0].problems.empty());
}

// A monochrome glyph straight from FreeType, counted here without the encoder's code.
std::size_t freetype_ink(FT_Face face, char32_t c, int px)
{
    FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(px));
    if (FT_Load_Char(face, c, FT_LOAD_RENDER | FT_LOAD_MONOCHROME | FT_LOAD_TARGET_MONO) != 0)
        return 0;
    const auto& bm = face->glyph->bitmap;
    std::size_t n = 0;
    for (unsigned y = 0; y < bm.rows; ++y)
        for (unsigned x = 0; x < bm.width; ++x)
            n += (bm.buffer[static_cast<int>(y) * bm.pitch + static_cast<int>(x / 8)] >> (7 - x % 8)) & 1;
    return n;
}

TEST(RoundTrip, RasterEveryLetterDecodesToItsOwnGlyph)
{
    const auto p = test::load_profile("raster-only");
    std::string error;
    auto font = Font::open(default_font_path, error);
    ASSERT_TRUE(font) << error;
    FT_Library lib = nullptr;
    FT_Face face = nullptr;
    ASSERT_EQ(FT_Init_FreeType(&lib), 0);
    ASSERT_EQ(FT_New_Face(lib, default_font_path, 0, &face), 0);

    std::set<std::vector<std::uint8_t>> distinct;
    for (char32_t c : letters_from_unicode())
    {
        const auto letter = u32_to_utf8(std::u32string(1, c));
        Encoder e{p, font.get()};
        e.initialize().line(letter, {Align::center}).cut();
        sim::EscposDecoder d{tables_of(p)};
        d.feed(e.bytes());
        ASSERT_EQ(d.tickets().size(), 1u);
        const auto& t = d.tickets()[0];
        EXPECT_TRUE(t.text.empty());
        ASSERT_EQ(t.images.size(), 1u) << letter;
        const auto& img = t.images[0];
        EXPECT_EQ(img.width, p.paper_dots);
        // Every black dot on the wire is a dot of this letter's glyph, and none is missing.
        EXPECT_EQ(img.ink(), freetype_ink(face, c, p.raster_font_px)) << letter;
        EXPECT_GT(img.ink(), 0u);
        // And the decoded image is exactly a fresh rendering of the letter.
        auto fresh = font->render_line(std::u32string(1, c), p.raster_font_px, p.paper_dots, Align::center, false);
        EXPECT_EQ(img.dots, fresh.dots) << letter;
        distinct.insert(img.dots);
    }
    EXPECT_EQ(distinct.size(), 134u) << "two letters printed the same image";
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
}

TEST(RoundTrip, RasterLongTextIsWrappedAndBanded)
{
    const auto p = test::load_profile("raster-only");
    std::string error;
    auto font = Font::open(default_font_path, error);
    ASSERT_TRUE(font) << error;
    std::string text;
    for (int i = 0; i < 12; ++i)
        text += "Trung tâm Phục vụ hành chính công xã Yên Sở, thành phố Hà Nội. ";
    Encoder e{p, font.get()};
    e.initialize().line(text).cut();
    sim::EscposDecoder d{tables_of(p)};
    d.feed(e.bytes());
    ASSERT_EQ(d.tickets().size(), 1u);
    ASSERT_EQ(d.tickets()[0].images.size(), 1u);
    const auto& img = d.tickets()[0].images[0];
    EXPECT_GT(img.bands, 1);
    EXPECT_LE(img.max_band_rows, max_band_rows);
    // The wrapped lines, rendered afresh and stacked, are what came out.
    Bitmap expected;
    for (const auto& l : wrap(clean_user_text(text), p.paper_dots,
                              [&](std::u32string_view s) { return font->measure(s, p.raster_font_px); }))
    {
        EXPECT_LE(font->measure(l, p.raster_font_px), p.paper_dots);
        expected.append_below(font->render_line(l, p.raster_font_px, p.paper_dots, Align::left, false));
    }
    EXPECT_EQ(img.height, expected.height);
    EXPECT_EQ(img.dots, expected.dots);
}

} // namespace
} // namespace motcua::escpos
