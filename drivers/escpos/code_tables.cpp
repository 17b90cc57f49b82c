#include "escpos/code_tables.hpp"

#include "escpos/text.hpp"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>

#include <cassert>

namespace motcua::escpos
{

std::optional<std::uint8_t> CodeTable::encode(char32_t c) const
{
    if (c == 0)
        return std::nullopt;
    for (int b = 0; b < 256; ++b)
        if (to_unicode_[static_cast<std::size_t>(b)] == c)
            return static_cast<std::uint8_t>(b);
    return std::nullopt;
}

namespace
{

void fill_ascii(CodeTable& t)
{
    for (char32_t c = 0x20; c < 0x7F; ++c)
        t.set(static_cast<std::uint8_t>(c), c);
}

// Generator of the TCVN-3 lower-case table. TCVN 5712:1993 (VN3) puts the non-ASCII
// base letters ă â ê ô ơ ư đ at 0xA8..0xAE and, for each of the twelve vowels, its five
// toned forms in the order huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng
// (dot below) at the bytes listed here. Each letter is base + combining mark, composed by
// ICU's NFC; the assert proves every composition gives one precomposed code point.
struct ToneRow
{
    char32_t base;
    std::array<std::uint8_t, 5> bytes;
};

constexpr std::array<char32_t, 5> tone_marks{U'\u0300', U'\u0309', U'\u0303', U'\u0301', U'\u0323'};

constexpr std::array<ToneRow, 12> tone_rows{{
    {U'a', {0xB5, 0xB6, 0xB7, 0xB8, 0xB9}},
    {U'\u0103', {0xBB, 0xBC, 0xBD, 0xBE, 0xC6}}, // ă
    {U'\u00E2', {0xC7, 0xC8, 0xC9, 0xCA, 0xCB}}, // â
    {U'e', {0xCC, 0xCE, 0xCF, 0xD0, 0xD1}},
    {U'\u00EA', {0xD2, 0xD3, 0xD4, 0xD5, 0xD6}}, // ê
    {U'i', {0xD7, 0xD8, 0xDC, 0xDD, 0xDE}},
    {U'o', {0xDF, 0xE1, 0xE2, 0xE3, 0xE4}},
    {U'\u00F4', {0xE5, 0xE6, 0xE7, 0xE8, 0xE9}}, // ô
    {U'\u01A1', {0xEA, 0xEB, 0xEC, 0xED, 0xEE}}, // ơ
    {U'u', {0xEF, 0xF1, 0xF2, 0xF3, 0xF4}},
    {U'\u01B0', {0xF5, 0xF6, 0xF7, 0xF8, 0xF9}}, // ư
    {U'y', {0xFA, 0xFB, 0xFC, 0xFD, 0xFE}},
}};

// ă â ê ô ơ ư đ at 0xA8..0xAE.
constexpr std::array<char32_t, 7> plain_bases{U'\u0103', U'\u00E2', U'\u00EA', U'\u00F4',
                                              U'\u01A1', U'\u01B0', U'\u0111'};

struct Tcvn
{
    CodeTable lower;
    CodeTable upper;
    std::u32string lower_letters;
    std::u32string upper_letters;
};

Tcvn build_tcvn()
{
    Tcvn t;
    fill_ascii(t.lower);
    fill_ascii(t.upper);
    for (std::size_t i = 0; i < plain_bases.size(); ++i)
        t.lower.set(static_cast<std::uint8_t>(0xA8 + i), plain_bases[i]);
    for (const auto& row : tone_rows)
        for (std::size_t k = 0; k < 5; ++k)
        {
            auto composed = nfc(std::u32string{row.base, tone_marks[k]});
            assert(composed.size() == 1);
            t.lower.set(row.bytes[k], composed[0]);
        }
    for (int b = 0x80; b < 0x100; ++b)
    {
        char32_t c = t.lower.decode(static_cast<std::uint8_t>(b));
        if (c == 0)
            continue;
        t.lower_letters.push_back(c);
        char32_t upper = static_cast<char32_t>(u_toupper(static_cast<UChar32>(c)));
        t.upper_letters.push_back(upper);
        // Capitals at their lower-case letter's byte, except the three that VN3 keeps in
        // 0xA1..0xA7 (their lower-case bytes 0xA8, 0xA9, 0xAE stay empty in table 31).
        if (upper == U'\u0102')
            t.upper.set(0xA1, upper);
        else if (upper == U'\u00C2')
            t.upper.set(0xA2, upper);
        else if (upper == U'\u0110')
            t.upper.set(0xA7, upper);
        else
            t.upper.set(static_cast<std::uint8_t>(b), upper);
    }
    assert(t.lower_letters.size() == 67);
    return t;
}

const Tcvn& tcvn()
{
    static const Tcvn t = build_tcvn();
    return t;
}

CodeTable build_cp1258()
{
    CodeTable t;
    fill_ascii(t);
    UErrorCode status = U_ZERO_ERROR;
    UConverter* cnv = ucnv_open("windows-1258", &status);
    assert(U_SUCCESS(status) && cnv);
    for (int b = 0x80; b < 0x100; ++b)
    {
        char in = static_cast<char>(b);
        UChar out[4];
        status = U_ZERO_ERROR;
        ucnv_reset(cnv);
        auto n = ucnv_toUChars(cnv, out, 4, &in, 1, &status);
        if (U_SUCCESS(status) && n == 1 && out[0] != 0xFFFD && out[0] != 0x1A &&
            !is_control(out[0]))
            t.set(static_cast<std::uint8_t>(b), out[0]);
    }
    ucnv_close(cnv);
    return t;
}

} // namespace

const CodeTable& tcvn3_lower_table() { return tcvn().lower; }
const CodeTable& tcvn3_upper_table() { return tcvn().upper; }

const CodeTable& vn3_single_table()
{
    static const CodeTable t = [] {
        CodeTable s = tcvn().lower;
        // VN3 keeps the capitals of the seven non-ASCII base letters, in the same order as
        // their lower-case forms at 0xA8..0xAE, seven bytes lower.
        for (std::size_t i = 0; i < plain_bases.size(); ++i)
            s.set(static_cast<std::uint8_t>(0xA1 + i), static_cast<char32_t>(u_toupper(static_cast<UChar32>(plain_bases[i]))));
        return s;
    }();
    return t;
}
const std::u32string& vietnamese_lower_letters() { return tcvn().lower_letters; }
const std::u32string& vietnamese_upper_letters() { return tcvn().upper_letters; }

const CodeTable& cp1258_table()
{
    static const CodeTable t = build_cp1258();
    return t;
}

std::string ascii_fallback(char32_t c)
{
    switch (c)
    {
    case U'\u2010': case U'\u2011': case U'\u2012': case U'\u2013': case U'\u2014':
    case U'\u2015': case U'\u2212':
        return "-";
    case U'\u2026': return "...";
    case U'\u2018': case U'\u2019': case U'\u201A': case U'\u2032': return "'";
    case U'\u201C': case U'\u201D': case U'\u201E': case U'\u00AB': case U'\u00BB':
    case U'\u2033':
        return "\"";
    case U'\u00A0': case U'\u2002': case U'\u2003': case U'\u2009': case U'\u202F': return " ";
    case U'\u2022': case U'\u00B7': return "*";
    case U'\u20AB': return "d"; // ₫
    case U'\u00D7': return "x";
    default: break;
    }
    auto d = nfd(std::u32string(1, c));
    if (!d.empty() && d[0] >= 0x20 && d[0] < 0x7F)
        return std::string(1, static_cast<char>(d[0]));
    if (c == U'\u0111')
        return "d";
    if (c == U'\u0110')
        return "D";
    return "?";
}

} // namespace motcua::escpos
