#include "escpos/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cassert>

namespace motcua::escpos
{

std::u32string utf8_to_u32(std::string_view utf8)
{
    std::u32string out;
    out.reserve(utf8.size());
    const auto* s = reinterpret_cast<const std::uint8_t*>(utf8.data());
    std::int32_t i = 0;
    const auto length = static_cast<std::int32_t>(utf8.size());
    while (i < length)
    {
        UChar32 c = 0;
        U8_NEXT(s, i, length, c);
        out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
    }
    return out;
}

std::string u32_to_utf8(std::u32string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text)
    {
        if (c < 0x80)
            out.push_back(static_cast<char>(c));
        else if (c < 0x800)
        {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
        else if (c < 0x10000)
        {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
        else
        {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

namespace
{
std::u32string normalize(const icu::Normalizer2& n, std::u32string_view text)
{
    auto in = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()),
                                            static_cast<std::int32_t>(text.size()));
    UErrorCode status = U_ZERO_ERROR;
    auto out = n.normalize(in, status);
    assert(U_SUCCESS(status));
    std::u32string result(static_cast<std::size_t>(out.countChar32()), U'\0');
    status = U_ZERO_ERROR;
    out.toUTF32(reinterpret_cast<UChar32*>(result.data()), static_cast<std::int32_t>(result.size()),
                status);
    return result;
}
} // namespace

std::u32string nfc(std::u32string_view text)
{
    UErrorCode status = U_ZERO_ERROR;
    const auto* n = icu::Normalizer2::getNFCInstance(status);
    assert(U_SUCCESS(status) && n);
    return normalize(*n, text);
}

std::u32string nfd(std::u32string_view text)
{
    UErrorCode status = U_ZERO_ERROR;
    const auto* n = icu::Normalizer2::getNFDInstance(status);
    assert(U_SUCCESS(status) && n);
    return normalize(*n, text);
}

bool is_control(char32_t c)
{
    return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
}

std::u32string clean_user_text(std::string_view utf8)
{
    auto text = nfc(utf8_to_u32(utf8));
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text)
        if (!is_control(c))
            out.push_back(c);
    return out;
}

} // namespace motcua::escpos
