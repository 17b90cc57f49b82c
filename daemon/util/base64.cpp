#include "util/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>

// OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock do the work: the daemon links libcrypto anyway.

namespace motcua::base64
{

std::string encode(std::string_view bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> decode(std::string_view text)
{
    if (text.size() % 4 != 0)
        return std::nullopt;
    // EVP_DecodeBlock skips leading and trailing blanks; this format has none.
    if (std::any_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }))
        return std::nullopt;
    // Padding only at the end: "Zm8=" or "Zg==", never "Zm=v".
    const auto pad = text.find('=');
    if (pad != std::string_view::npos && (pad + 2 < text.size() || text.find_first_not_of('=', pad) != std::string_view::npos))
        return std::nullopt;
    std::string out(3 * (text.size() / 4), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0)
        return std::nullopt;
    // EVP_DecodeBlock counts the padding's zero bytes too.
    std::size_t size = static_cast<std::size_t>(n);
    if (!text.empty() && text.back() == '=')
        size -= text[text.size() - 2] == '=' ? 2 : 1;
    out.resize(size);
    return out;
}

} // namespace motcua::base64
