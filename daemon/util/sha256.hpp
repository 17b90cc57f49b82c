#pragma once

// SHA-256 and HMAC-SHA-256 for the journal's hash chain and the hall's ticket tokens, from
// OpenSSL (libcrypto): a well-kept implementation instead of our own.

#include <string>
#include <string_view>

namespace motcua
{

// Lower-case hex digest of data.
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA-256 of data under key.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

} // namespace motcua
