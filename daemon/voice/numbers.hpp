#pragma once

// Numbers read the Vietnamese way (docs/voice.md, "How numbers are read"). Pure: the
// announcer, `motcuactl voice text` and the fuzz entry all read through these functions,
// never through a speech engine's guess at raw digits.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua::voice
{

// Northern: "linh" for a zero tens digit, "nghìn"; southern: "lẻ", "ngàn".
enum class Dialect
{
    north,
    south
};

std::string_view to_string(Dialect d);
std::optional<Dialect> dialect_from_string(std::string_view text);

struct NumberStyle
{
    Dialect dialect = Dialect::north;
    // A 4 after "mươi" (tens from 20) is read "tư" (hai mươi tư) or, when false, "bốn".
    bool four_after_tens_as_tu = true;
    friend bool operator==(const NumberStyle&, const NumberStyle&) = default;
};

// The largest number read whole; larger ones are read digit by digit.
inline constexpr std::int64_t max_whole_number = 999'999;

// 0..999999 in words, e.g. 105 -> "một trăm linh năm", 1025 -> "một nghìn không trăm hai
// mươi lăm". Negative or larger numbers are read digit by digit.
std::string number_words(std::int64_t n, const NumberStyle& style);

// Each ASCII digit of `digits` as a word ("0105" -> "không một không năm"); other
// characters are skipped.
std::string digit_words(std::string_view digits);

} // namespace motcua::voice
