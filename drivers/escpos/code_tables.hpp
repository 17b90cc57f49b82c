#pragma once

// Code tables for Vietnamese on ESC/POS printers, derived at start-up (never typed in
// as letter lists):
//  - TCVN-3 lower case (Epson table 30) from the layout of TCVN 5712:1993 VN3: a short
//    list of byte positions per base vowel and tone, letters composed with ICU's NFC;
//  - TCVN-3 capitals (Epson table 31) by upper-casing each letter at its lower-case byte,
//    except Ă 0xA1, Â 0xA2, Đ 0xA7 (where VN1/VN3 keep the capitals);
//  - CP1258 from ICU's windows-1258 converter.
// The simulator's decoder builds its tables from glibc iconv instead, so a mistake here
// cannot hide behind the same mistake there.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua::escpos
{

// One 8-bit table: byte -> code point (0 = empty slot), and the reverse lookup.
class CodeTable
{
  public:
    std::optional<std::uint8_t> encode(char32_t c) const;
    char32_t decode(std::uint8_t b) const { return to_unicode_[b]; }
    void set(std::uint8_t b, char32_t c) { to_unicode_[b] = c; }

  private:
    std::array<char32_t, 256> to_unicode_{};
};

// Tables are built once and shared; all are ASCII in 0x20..0x7E.
const CodeTable& tcvn3_lower_table();
const CodeTable& tcvn3_upper_table();
// Single-table VN3 (TCVN 5712:1993 as one 8-bit set): the lower-case table plus the seven
// untoned capitals Ă Â Ê Ô Ơ Ư Đ at 0xA1..0xA7.
const CodeTable& vn3_single_table();
const CodeTable& cp1258_table();

// The 67 precomposed Vietnamese lower-case letters outside ASCII, in TCVN-3 byte order,
// and their 67 capitals in the same order.
const std::u32string& vietnamese_lower_letters();
const std::u32string& vietnamese_upper_letters();

// The documented ASCII fallback for a character a code table lacks: dashes -> "-",
// ellipsis -> "...", curly quotes -> straight ones, NBSP -> space, bullet -> "*", the
// dong sign -> "d", otherwise the character's base letter when it is ASCII (ç -> c),
// otherwise "?". Never empty.
std::string ascii_fallback(char32_t c);

} // namespace motcua::escpos
