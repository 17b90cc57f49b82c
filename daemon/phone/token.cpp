#include "phone/token.hpp"

#include "util/base64.hpp"
#include "util/sha256.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>

namespace motcua::phone
{

namespace
{
constexpr std::size_t id_bytes = 6;
constexpr std::size_t mac_bytes = 12;
constexpr std::size_t token_bytes = id_bytes + mac_bytes; // 18: 24 base64url characters, no padding
static_assert(token_bytes * 4 / 3 == token_length);

using Bytes = std::array<unsigned char, token_bytes>;

// base64url without padding (RFC 4648 §5): the standard codec with two letters swapped.
std::string encode(const Bytes& b)
{
    auto out = base64::encode(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    return out;
}

std::optional<Bytes> decode(std::string_view text)
{
    if (text.size() != token_length || text.find_first_of("+/=") != std::string_view::npos)
        return std::nullopt;
    std::string standard(text);
    std::replace(standard.begin(), standard.end(), '-', '+');
    std::replace(standard.begin(), standard.end(), '_', '/');
    auto bytes = base64::decode(standard);
    if (!bytes || bytes->size() != token_bytes)
        return std::nullopt;
    Bytes b{};
    std::copy(bytes->begin(), bytes->end(), b.begin());
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
