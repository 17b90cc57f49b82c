#pragma once

// Password hashes for the desk console's accounts: argon2id from libsodium, in its own
// self-describing string ("$argon2id$v=19$m=19456,t=2,p=1$…"), so that a later, stronger
// setting still checks the old hashes and tells which need re-hashing.
//
// Cost: 19 MiB and 2 passes (OWASP's argon2id baseline). libsodium's "interactive" preset
// takes 64 MiB, twice the daemon's whole memory budget, on a box that may have 512 MB.
// A hash takes tens of milliseconds: callers run it off the io_context.

#include "util/result.hpp"

#include <string>
#include <string_view>

namespace motcua::password
{

Result<std::string> hash(std::string_view password);

// Whether `password` matches `stored` (constant time inside libsodium). A malformed stored
// hash is simply no match.
bool verify(std::string_view stored, std::string_view password);

// Whether `stored` was made with other settings than hash() uses now.
bool needs_rehash(std::string_view stored);

} // namespace motcua::password
