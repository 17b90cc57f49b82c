#pragma once

// The token in a ticket's phone link (<public_url>/t/<token>): who holds the printed ticket
// may follow that ticket, and rate it once, for the business day it was issued. Pure.
//
// A token is 24 URL-safe characters (base64url, no padding) of 18 bytes:
//   6 bytes  the ticket id, big-endian (ids are global and never reused);
//   12 bytes HMAC-SHA-256(secret, "motcua-phone-v1|YYYY-MM-DD|<ticket id>"), truncated.
// The id is not a secret (it names no one); the 96-bit MAC is what cannot be guessed, and
// the business day inside it makes yesterday's tokens worthless today. 24 characters keep
// the whole URL within a small QR code (version 4 for a 35-character public_url) that
// scans from an 80 mm ticket.
//
// A token is a key to one ticket: it is never logged (the web server's request log prints
// "/t/<token>" instead) and the ticket JSON carries it only in the issue command's answer.

#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua::phone
{

inline constexpr std::size_t token_length = 24;
inline constexpr std::int64_t max_token_ticket = (std::int64_t{1} << 48) - 1;

// The token of `ticket` issued on business day `day`. `secret` is the installation's key
// (phone::load_or_create_secret). Empty when the id does not fit in 48 bits.
std::string make_token(std::string_view secret, Date day, std::int64_t ticket);

// The ticket a token was made for on business day `day`, or nullopt: not 24 base64url
// characters, or a MAC that does not match (forged, another installation's, another day's).
// The MACs are compared in constant time.
std::optional<std::int64_t> verify_token(std::string_view secret, Date day, std::string_view token);

// "/t/<token>", "/api/t/<token>/rating": a path with its token replaced, for logs.
std::string redact_token_path(std::string_view path);

} // namespace motcua::phone
