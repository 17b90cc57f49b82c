// The reading rules, one place each (the table in tests/unit/voice was written from them):
//   - units: không một hai ba bốn năm sáu bảy tám chín
//   - tens: 10-19 "mười …", 20-90 "<digit> mươi …"
//   - a 1 after "mươi" is "mốt" (hai mươi mốt), after "mười" it stays "một" (mười một)
//   - a 5 after a tens word is "lăm" (mười lăm, hai mươi lăm), after linh/lẻ it is "năm"
//   - a 4 after "mươi" is "tư" or "bốn" (style); after "mười" and linh/lẻ it is "bốn"
//   - a zero tens digit before a non-zero unit inside a group with hundreds: linh / lẻ
//   - a group of three after a higher group says its hundreds even when zero: "không trăm"
//   - a group that is entirely zero after a higher group is not read (1000: "một nghìn")

#include "voice/numbers.hpp"

#include <array>
#include <vector>

namespace motcua::voice
{

namespace
{

constexpr std::array<std::string_view, 10> kDigits = {"không", "một", "hai", "ba", "bốn",
                                                      "năm", "sáu", "bảy", "tám", "chín"};

void append(std::string& out, std::string_view word)
{
    if (!out.empty())
        out += ' ';
    out += word;
}

// The last two digits (0..99) of a group, after whatever was read before them.
// `after_hundreds`: a hundreds word was read just before (it decides linh/lẻ).
void read_tens_and_units(std::string& out, int tens_units, bool after_hundreds, const NumberStyle& style)
{
    int tens = tens_units / 10;
    int units = tens_units % 10;
    if (tens == 0)
    {
        if (units == 0)
            return;
        if (after_hundreds)
            append(out, style.dialect == Dialect::north ? "linh" : "lẻ");
        append(out, kDigits[static_cast<std::size_t>(units)]);
        return;
    }
    if (tens == 1)
        append(out, "mười");
    else
    {
        append(out, kDigits[static_cast<std::size_t>(tens)]);
        append(out, "mươi");
    }
    switch (units)
    {
    case 0:
        return;
    case 1:
        append(out, tens == 1 ? "một" : "mốt");
        return;
    case 4:
        append(out, tens >= 2 && style.four_after_tens_as_tu ? "tư" : "bốn");
        return;
    case 5:
        append(out, "lăm");
        return;
    default:
        append(out, kDigits[static_cast<std::size_t>(units)]);
    }
}

// One group of three digits (0..999). `leading`: no higher group was read before it.
void read_group(std::string& out, int group, bool leading, const NumberStyle& style)
{
    int hundreds = group / 100;
    int rest = group % 100;
    bool says_hundreds = hundreds > 0 || !leading;
    if (says_hundreds)
    {
        append(out, kDigits[static_cast<std::size_t>(hundreds)]);
        append(out, "trăm");
    }
    read_tens_and_units(out, rest, says_hundreds, style);
}

} // namespace

std::string_view to_string(Dialect d) { return d == Dialect::north ? "north" : "south"; }

std::optional<Dialect> dialect_from_string(std::string_view text)
{
    if (text == "north")
        return Dialect::north;
    if (text == "south")
        return Dialect::south;
    return std::nullopt;
}

std::string number_words(std::int64_t n, const NumberStyle& style)
{
    if (n < 0 || n > max_whole_number)
        return digit_words(std::to_string(n));
    if (n == 0)
        return std::string(kDigits[0]);
    std::string out;
    int thousands = static_cast<int>(n / 1000);
    int rest = static_cast<int>(n % 1000);
    if (thousands > 0)
    {
        read_group(out, thousands, true, style);
        append(out, style.dialect == Dialect::north ? "nghìn" : "ngàn");
        if (rest > 0)
            read_group(out, rest, false, style);
    }
    else
        read_group(out, rest, true, style);
    return out;
}

std::string digit_words(std::string_view digits)
{
    std::string out;
    for (char c : digits)
        if (c >= '0' && c <= '9')
            append(out, kDigits[static_cast<std::size_t>(c - '0')]);
    return out;
}

} // namespace motcua::voice
