#include "phone/token.hpp"

#include "util/sha256.hpp"

#include <openssl/crypto.h>

#include <array>

namespace motcua::phone
{

namespace
{
constexpr std::size_t id_bytes = 6;
constexpr std::size_t mac_bytes = 12;
constexpr std::size_t token_bytes = id_bytes + mac_bytes; // 18: 24 base64url characters, no padding
static_assert(token_bytes * 4 / 3 == token_length);

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int value_of(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

using Bytes = std::array<unsigned char, token_bytes>;

std::string encode(const Bytes& b)
{
    std::string out;
    out.reserve(token_length);
    for (std::size_t i = 0; i < b.size(); i += 3)
    {
        const unsigned v = (unsigned{b[i]} << 16) | (unsigned{b[i + 1]} << 8) | b[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6)
            out.push_back(alphabet[(v >> shift) & 0x3F]);
    }
    return out;
}

std::optional<Bytes> decode(std::string_view text)
{
    if (text.size() != token_length)
        return std::nullopt;
    Bytes b{};
    for (std::size_t i = 0, o = 0; i < text.size(); i += 4, o += 3)
    {
        unsigned v = 0;
        for (std::size_t k = 0; k < 4; ++k)
        {
            const int d = value_of(text[i + k]);
            if (d < 0)
                return std::nullopt;
            v = (v << 6) | static_cast<unsigned>(d);
        }
        b[o] = static_cast<unsigned char>(v >> 16);
        b[o + 1] = static_cast<unsigned char>(v >> 8);
        b[o + 2] = static_cast<unsigned char>(v);
    }
    return b;
}

int hex_value(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// The truncated MAC of (day, ticket) into out[id_bytes..].
void put_mac(std::string_view secret, Date day, std::int64_t ticket, Bytes& out)
{
    const auto hex = hmac_sha256_hex(secret, "motcua-phone-v1|" + format_date(day) + "|" + std::to_string(ticket));
    for (std::size_t i = 0; i < mac_bytes; ++i)
        out[id_bytes + i] = static_cast<unsigned char>(hex_value(hex[2 * i]) * 16 + hex_value(hex[2 * i + 1]));
}
} // namespace

std::string make_token(std::string_view secret, Date day, std::int64_t ticket)
{
    if (ticket < 1 || ticket > max_token_ticket)
        return {};
    Bytes b{};
    for (std::size_t i = 0; i < id_bytes; ++i)
        b[i] = static_cast<unsigned char>(ticket >> (8 * (id_bytes - 1 - i)));
    put_mac(secret, day, ticket, b);
    return encode(b);
}

std::optional<std::int64_t> verify_token(std::string_view secret, Date day, std::string_view token)
{
    auto b = decode(token);
    if (!b)
        return std::nullopt;
    std::int64_t ticket = 0;
    for (std::size_t i = 0; i < id_bytes; ++i)
        ticket = (ticket << 8) | (*b)[i];
    if (ticket < 1)
        return std::nullopt;
    Bytes expected{};
    put_mac(secret, day, ticket, expected);
    if (CRYPTO_memcmp(b->data() + id_bytes, expected.data() + id_bytes, mac_bytes) != 0)
        return std::nullopt;
    return ticket;
}

std::string redact_token_path(std::string_view path)
{
    for (std::string_view prefix : {"/api/t/", "/t/"})
        if (path.starts_with(prefix))
        {
            auto rest = path.substr(prefix.size());
            auto slash = rest.find('/');
            return std::string(prefix) + "<token>" + std::string(slash == std::string_view::npos ? "" : rest.substr(slash));
        }
    return std::string(path);
}

} // namespace motcua::phone
