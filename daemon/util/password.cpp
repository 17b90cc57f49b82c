#include "util/password.hpp"

#include <sodium.h>

namespace motcua::password
{

namespace
{
constexpr unsigned long long ops_limit = 2;
constexpr std::size_t mem_limit = 19 * 1024 * 1024;

bool ready()
{
    static const bool ok = sodium_init() >= 0; // thread-safe in libsodium, and once here
    return ok;
}
} // namespace

Result<std::string> hash(std::string_view password)
{
    if (!ready())
        return make_error("crypto_unavailable", "libsodium could not be initialised.");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit, mem_limit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return make_error("out_of_memory", "Not enough memory to hash the password.");
    return std::string(out);
}

bool verify(std::string_view stored, std::string_view password)
{
    if (!ready() || stored.empty() || stored.size() >= crypto_pwhash_STRBYTES)
        return false;
    std::string s(stored); // libsodium wants a NUL-terminated string
    return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view stored)
{
    if (!ready() || stored.size() >= crypto_pwhash_STRBYTES)
        return true;
    std::string s(stored);
    return crypto_pwhash_str_needs_rehash(s.c_str(), ops_limit, mem_limit) != 0;
}

} // namespace motcua::password
