#pragma once

// Unicode helpers for the encoder: UTF-8 <-> UTF-32, NFC (ICU), control-character
// stripping and word wrapping. Pure functions.

#include <string>
#include <string_view>
#include <vector>

namespace motcua::escpos
{

// Invalid UTF-8 sequences become U+FFFD.
std::u32string utf8_to_u32(std::string_view utf8);
std::string u32_to_utf8(std::u32string_view text);

std::u32string nfc(std::u32string_view text);
std::u32string nfd(std::u32string_view text);

// C0 (U+0000-001F), DEL and C1 (U+007F-009F): never reach the printer from user text.
bool is_control(char32_t c);

// What every user-supplied string goes through first: NFC, then controls dropped, so a
// name holding ESC or GS can never become a printer command.
std::u32string clean_user_text(std::string_view utf8);

// Splits at spaces so that no line is wider than `width` as measured by `measure`
// (characters, or pixels on the raster path); a word wider than a line is cut.
template <class Measure>
std::vector<std::u32string> wrap(std::u32string_view text, int width, Measure measure)
{
    std::vector<std::u32string> lines;
    std::u32string line;
    std::size_t i = 0;
    while (i <= text.size())
    {
        std::size_t end = text.find(U' ', i);
        if (end == std::u32string_view::npos)
            end = text.size();
        std::u32string word(text.substr(i, end - i));
        std::u32string candidate = line.empty() ? word : line + U' ' + word;
        if (measure(candidate) <= width || (line.empty() && word.empty()))
            line = std::move(candidate);
        else
        {
            if (!line.empty())
                lines.push_back(std::move(line));
            line.clear();
            // A word longer than a line is cut where it overflows.
            while (!word.empty() && measure(word) > width)
            {
                std::size_t n = 1;
                while (n < word.size() && measure(word.substr(0, n + 1)) <= width)
                    ++n;
                lines.push_back(word.substr(0, n));
                word.erase(0, n);
            }
            line = std::move(word);
        }
        i = end + 1;
    }
    if (!line.empty() || lines.empty())
        lines.push_back(std::move(line));
    return lines;
}

} // namespace motcua::escpos
