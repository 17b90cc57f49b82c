#include "util/sha256.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace motcua
{

namespace
{
std::string hex(const unsigned char* bytes, unsigned int n)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(static_cast<std::size_t>(n) * 2, '0');
    for (unsigned int i = 0; i < n; ++i)
    {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0F];
    }
    return out;
}
} // namespace

std::string sha256_hex(std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL SHA-256 failed");
    return hex(digest, n);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &n))
        throw std::runtime_error("OpenSSL HMAC-SHA-256 failed");
    return hex(digest, n);
}

} // namespace motcua
