#include "util/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace motcua::text
{

bool valid_utf8(std::string_view in, std::size_t* bad_offset)
{
    std::size_t i = 0;
    const auto fail = [&] {
        if (bad_offset)
            *bad_offset = i;
        return false;
    };
    while (i < in.size())
    {
        const auto c = static_cast<unsigned char>(in[i]);
        std::size_t len = 0;
        char32_t cp = 0;
        if (c < 0x80)
        {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            len = 4, cp = c & 0x07;
        else
            return fail();
        if (i + len > in.size())
            return fail();
        for (std::size_t k = 1; k < len; ++k)
        {
            const auto cc = static_cast<unsigned char>(in[i + k]);
            if ((cc & 0xC0) != 0x80)
                return fail();
            cp = (cp << 6) | (cc & 0x3F);
        }
        const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return fail();
        i += len;
    }
    return true;
}

namespace
{
const icu::Normalizer2& nfc()
{
    UErrorCode status = U_ZERO_ERROR;
    return *icu::Normalizer2::getNFCInstance(status); // ICU's own singleton, never null once loaded
}

std::string to_utf8(const icu::UnicodeString& u)
{
    std::string out;
    u.toUTF8String(out);
    return out;
}
} // namespace

std::string to_nfc(std::string_view in)
{
    UErrorCode status = U_ZERO_ERROR;
    auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(in.data(), static_cast<int32_t>(in.size())));
    auto n = nfc().normalize(u, status);
    return U_SUCCESS(status) ? to_utf8(n) : to_utf8(u);
}

Result<std::string> clean(std::string_view in, std::string_view what, Limits limits)
{
    std::size_t bad = 0;
    if (!valid_utf8(in, &bad))
        return make_error("bad_text", std::string(what) + " is not valid UTF-8 (byte " + std::to_string(bad + 1) +
                                          "); save the text as UTF-8");
    auto out = to_nfc(in);
    std::size_t chars = 0;
    for (std::size_t i = 0; i < out.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(out[i]);
        if ((c & 0xC0) != 0x80)
            ++chars;
        const bool allowed_space = limits.allow_newlines && (c == '\n' || c == '\t' || c == '\r');
        if ((c < 0x20 || c == 0x7F) && !allowed_space)
            return make_error("bad_text", std::string(what) + " holds a control character (code " + std::to_string(c) +
                                              ") at character " + std::to_string(chars));
    }
    if (chars > limits.max_chars)
        return make_error("bad_text", std::string(what) + " is too long: " + std::to_string(chars) +
                                          " characters, at most " + std::to_string(limits.max_chars));
    return out;
}

std::string fold_for_search(std::string_view in)
{
    auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(in.data(), static_cast<int32_t>(in.size())));
    UErrorCode status = U_ZERO_ERROR;
    const auto* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status))
        return std::string(in);
    auto decomposed = nfd->normalize(u, status);
    icu::UnicodeString out;
    for (int32_t i = 0; i < decomposed.length();)
    {
        UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK)
            continue; // the tone and vowel marks
        if (c == 0x0110 || c == 0x0111) // Đ đ have no decomposition
            c = 'd';
        out.append(u_tolower(c));
    }
    return to_utf8(out);
}

std::string escape_markup(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    for (char c : in)
        switch (c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            const bool forbidden = static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
            out += forbidden ? ' ' : c;
        }
    return out;
}

} // namespace motcua::text
