#pragma once

// OpenSSL (libcrypto) objects owned by unique_ptr, freed on every path, and the library's
// last error and times as text: shared by the console's certificate (web/certificate.cpp) and the
// province's CA (central/pki.cpp). Header-only.

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <string>

namespace motcua::openssl
{

struct FreeKey { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct FreeX509 { void operator()(X509* p) const { X509_free(p); } };
struct FreeReq { void operator()(X509_REQ* p) const { X509_REQ_free(p); } };
struct FreeBio { void operator()(BIO* p) const { BIO_free(p); } };
struct FreeExt { void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); } };
struct FreeName { void operator()(X509_NAME* p) const { X509_NAME_free(p); } };
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;
using Cert = std::unique_ptr<X509, FreeX509>;
using Req = std::unique_ptr<X509_REQ, FreeReq>;
using Bio = std::unique_ptr<BIO, FreeBio>;
using Name = std::unique_ptr<X509_NAME, FreeName>;

// The newest OpenSSL error as text, the error queue emptied.
inline std::string last_error()
{
    unsigned long code = 0, last = 0;
    while ((code = ERR_get_error()) != 0)
        last = code;
    if (last == 0)
        return "unknown OpenSSL error";
    char text[256];
    ERR_error_string_n(last, text, sizeof text);
    return text;
}

// An ASN.1 time as "2031-12-01T10:00:00Z" (UTC); "" for none.
inline std::string time_text(const ASN1_TIME* t)
{
    std::tm tm{};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return {};
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

} // namespace motcua::openssl
