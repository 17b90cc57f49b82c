#pragma once

// Text that enters the daemon from outside (control socket, web, CSV import, config):
// valid UTF-8, no control characters, a sane length, and Unicode NFC, so that "Nguyễn"
// typed with combining marks (NFD, as macOS and some IMEs send it) and precomposed is
// one string in the register and in reports.

#include "util/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace motcua::text
{

struct Limits
{
    std::size_t max_chars = 200;  // code points, after NFC
    bool allow_newlines = false;  // '\n' and '\t' in free text (reasons, notes)
};

// The NFC form of valid UTF-8 `in`, or an Error (code "bad_text") whose message names
// `what` and says what is wrong: invalid UTF-8 (with the byte offset), a control
// character (with its position), or too long.
Result<std::string> clean(std::string_view in, std::string_view what, Limits limits = {});

// NFC of valid UTF-8; invalid sequences are replaced with U+FFFD.
std::string to_nfc(std::string_view in);

// True when `in` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool valid_utf8(std::string_view in, std::size_t* bad_offset = nullptr);

// "Chứng thực" → "chung thuc": lower case, Vietnamese diacritics and đ removed, for
// searches typed without diacritics.
std::string fold_for_search(std::string_view in);

// `in` safe inside HTML, XML and SVG text and attributes: & < > " ' escaped (' as &#39;,
// which both read), and the control characters XML forbids replaced by a space.
std::string escape_markup(std::string_view in);

} // namespace motcua::text
