#include "central/pki.hpp"

#include "util/file_write.hpp"
#include "util/openssl.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <set>

namespace motcua::central::pki
{

namespace
{
namespace fs = std::filesystem;

constexpr int max_days = 36500; // a hundred years: anything longer is a typing mistake

using openssl::Bio;
using openssl::Cert;
using openssl::FreeExt;
using openssl::Key;
using openssl::Name;
using openssl::Req;
std::string openssl_error() { return openssl::last_error(); }

Error crypto_error(const std::string& what) { return make_error("pki_openssl", what + ": " + openssl_error()); }

// A key or certificate written whole (util/file_write.hpp), in this library's error codes.
Result<void> write_atomically(const fs::path& path, const std::string& text, mode_t mode, bool replace)
{
    auto r = write_file_atomically(path, text, mode, replace ? Overwrite::replace : Overwrite::never);
    if (!r)
        return make_error(r.error().code == "file_exists" ? "pki_exists" : "pki_io", r.error().message);
    return {};
}

std::string bio_text(BIO* b)
{
    char* data = nullptr;
    const long n = BIO_get_mem_data(b, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

Result<std::string> key_pem(EVP_PKEY* key)
{
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return crypto_error("Cannot write the private key as PEM");
    return bio_text(out.get());
}

Result<std::string> cert_pem(X509* cert)
{
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_X509(out.get(), cert) != 1)
        return crypto_error("Cannot write the certificate as PEM");
    return bio_text(out.get());
}

Result<Key> new_key()
{
    Key key(EVP_EC_gen("P-256"));
    if (!key)
        return crypto_error("Cannot make an EC P-256 key");
    return key;
}

Result<void> check_days(int days)
{
    if (days < 1 || days > max_days)
        return make_error("bad_days", "The validity must be 1 to " + std::to_string(max_days) + " days, not " +
                                          std::to_string(days) + ".");
    return {};
}

// A site code as a box's CN: letters, digits, '.', '-' and '_' ("H56.01"), at most 64.
Result<void> check_site(const std::string& site)
{
    const bool ok = !site.empty() && site.size() <= 64 && std::all_of(site.begin(), site.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == '_';
    });
    if (!ok)
        return make_error("bad_site", "The site code \"" + site +
                                          "\" must be 1 to 64 letters, digits, '.', '-' or '_' (such as H56.01).");
    return {};
}

Result<Name> name_with_common_name(const std::string& common)
{
    Name name(X509_NAME_new());
    if (!name || X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                            reinterpret_cast<const unsigned char*>(common.c_str()), -1, -1, 0) != 1)
        return crypto_error("Cannot make the name CN=" + common);
    return name;
}

// A random positive 128-bit serial: two certificates of one CA never share one, and a
// guessable serial would help forge a colliding certificate.
Result<std::string> set_random_serial(X509* cert)
{
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return crypto_error("No random bytes for the serial");
    serial[0] &= 0x7F; // positive in DER's two's complement
    serial[0] |= 0x40; // never a short or zero serial
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr), BN_free);
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)))
        return crypto_error("Cannot set the serial");
    char* hex = BN_bn2hex(bn.get());
    if (!hex)
        return crypto_error("Cannot print the serial");
    std::string text = hex;
    OPENSSL_free(hex);
    return text;
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, FreeExt> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A certificate skeleton: v3, random serial, subject, issuer, validity from an hour ago
// (clocks differ) to `days` from now, the subject's public key.
Result<std::string> fill_certificate(X509* cert, const X509_NAME* subject, const X509_NAME* issuer, EVP_PKEY* pubkey,
                                     int days)
{
    auto serial = set_random_serial(cert);
    if (!serial)
        return serial.error();
    if (X509_set_version(cert, 2) != 1 || X509_set_subject_name(cert, subject) != 1 ||
        X509_set_issuer_name(cert, issuer) != 1 || !X509_gmtime_adj(X509_getm_notBefore(cert), -3600) ||
        !X509_time_adj_ex(X509_getm_notAfter(cert), days, 0, nullptr) || X509_set_pubkey(cert, pubkey) != 1)
        return crypto_error("Cannot fill in the certificate");
    return serial;
}

using openssl::time_text;

Result<std::string> fingerprint(X509* cert)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(cert, EVP_sha256(), digest, &n) != 1)
        return crypto_error("Cannot hash the certificate");
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned int i = 0; i < n; ++i)
    {
        if (i)
            out += ':';
        out += digits[digest[i] >> 4];
        out += digits[digest[i] & 0x0F];
    }
    return out;
}

bool is_ip(const std::string& text)
{
    unsigned char buf[16];
    return ::inet_pton(AF_INET, text.c_str(), buf) == 1 || ::inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// "DNS:central.example.vn,IP:127.0.0.1"; a name that is neither a host name nor an
// address is an error naming it (a server certificate without it would fail later, obscurely).
Result<std::string> alt_names(const std::vector<std::string>& names)
{
    std::set<std::string> seen;
    std::string out;
    for (const auto& n : names)
    {
        if (!seen.insert(n).second)
            continue;
        std::string entry;
        if (is_ip(n))
            entry = "IP:" + n;
        else if (!n.empty() && n.size() <= 253 && std::all_of(n.begin(), n.end(), [](unsigned char c) {
                     return std::isalnum(c) || c == '-' || c == '.';
                 }))
            entry = "DNS:" + n;
        else
            return make_error("bad_name", "\"" + n + "\" is neither a host name nor an IP address.");
        out += (out.empty() ? "" : ",") + entry;
    }
    if (out.empty())
        return make_error("bad_name", "A server certificate needs at least one host name or IP address.");
    return out;
}

// The CA of `dir`, its key checked against its certificate.
struct Authority
{
    Key key;
    Cert cert;
};

Result<Authority> load_authority(const fs::path& dir)
{
    const auto key_path = ca_key_path(dir), cert_path = ca_cert_path(dir);
    Authority ca;
    {
        Bio in(BIO_new_file(key_path.c_str(), "r"));
        if (!in)
            return make_error("ca_missing", "Cannot read the CA key " + key_path.string() + ": " + std::strerror(errno) +
                                                " (motcua-central init creates it)");
        ca.key.reset(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
        if (!ca.key)
            return make_error("ca_invalid", "The CA key " + key_path.string() + " holds no PEM private key: " + openssl_error());
    }
    {
        Bio in(BIO_new_file(cert_path.c_str(), "r"));
        if (!in)
            return make_error("ca_missing", "Cannot read the CA certificate " + cert_path.string() + ": " +
                                                std::strerror(errno) + " (motcua-central init creates it)");
        ca.cert.reset(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
        if (!ca.cert)
            return make_error("ca_invalid", "The CA certificate " + cert_path.string() +
                                                " holds no PEM certificate: " + openssl_error());
    }
    if (X509_check_private_key(ca.cert.get(), ca.key.get()) != 1)
    {
        ERR_clear_error();
        return make_error("ca_invalid",
                          "The CA key " + key_path.string() + " does not belong to " + cert_path.string() + ".");
    }
    return ca;
}

Result<void> sign_with(X509* cert, const Authority& ca)
{
    if (X509_sign(cert, ca.key.get(), EVP_sha256()) <= 0)
        return crypto_error("Cannot sign the certificate");
    return {};
}

// Creates `dir` with mode 0700 when missing (keys live there).
Result<void> ensure_private_dir(const fs::path& dir)
{
    if (dir.empty())
        return {};
    std::error_code ec;
    if (fs::is_directory(dir, ec))
        return {};
    fs::create_directories(dir, ec);
    if (ec)
        return make_error("pki_io", "Cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec)
        return make_error("pki_io", "Cannot set the mode of " + dir.string() + ": " + ec.message());
    return {};
}
} // namespace

fs::path ca_key_path(const fs::path& dir) { return dir / "ca.key"; }
fs::path ca_cert_path(const fs::path& dir) { return dir / "ca.crt"; }

Result<void> create_authority(const fs::path& dir, const std::string& name, int days)
{
    if (auto r = check_days(days); !r)
        return r;
    if (name.empty() || name.size() > 64)
        return make_error("bad_name", "The CA's name must be 1 to 64 characters (such as \"Tỉnh X motcua CA\").");
    std::error_code ec;
    for (const auto& path : {ca_key_path(dir), ca_cert_path(dir)})
        if (fs::exists(path, ec))
            return make_error("ca_exists", path.string() + " already exists: the province has a CA; a new one would "
                                                           "orphan every box's certificate. Nothing was changed.");
    if (auto r = ensure_private_dir(dir); !r)
        return r;
    auto key = new_key();
    if (!key)
        return key.error();
    auto subject = name_with_common_name(name);
    if (!subject)
        return subject.error();
    Cert cert(X509_new());
    if (!cert)
        return crypto_error("Cannot make a certificate");
    if (auto r = fill_certificate(cert.get(), subject->get(), subject->get(), key->get(), days); !r)
        return r.error();
    if (!add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
        !add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash"))
        return crypto_error("Cannot add the CA's extensions");
    if (X509_sign(cert.get(), key->get(), EVP_sha256()) <= 0)
        return crypto_error("Cannot sign the CA certificate");
    auto key_text = key_pem(key->get());
    if (!key_text)
        return key_text.error();
    auto cert_text = cert_pem(cert.get());
    if (!cert_text)
        return cert_text.error();
    // The key first: a certificate is never there without its key.
    if (auto r = write_atomically(ca_key_path(dir), *key_text, 0600, false); !r)
        return r;
    return write_atomically(ca_cert_path(dir), *cert_text, 0644, false);
}

Result<void> create_key_and_request(const fs::path& key_path, const fs::path& csr_path, const std::string& site)
{
    if (auto r = check_site(site); !r)
        return r;
    std::error_code ec;
    if (fs::exists(key_path, ec))
        return make_error("key_exists", key_path.string() + " already exists; it was left as it is.");
    if (fs::exists(csr_path, ec))
        return make_error("csr_exists", csr_path.string() + " already exists; it was left as it is.");
    auto key = new_key();
    if (!key)
        return key.error();
    auto subject = name_with_common_name(site);
    if (!subject)
        return subject.error();
    Req req(X509_REQ_new());
    if (!req || X509_REQ_set_version(req.get(), 0) != 1 || X509_REQ_set_subject_name(req.get(), subject->get()) != 1 ||
        X509_REQ_set_pubkey(req.get(), key->get()) != 1 || X509_REQ_sign(req.get(), key->get(), EVP_sha256()) <= 0)
        return crypto_error("Cannot make the signing request");
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || PEM_write_bio_X509_REQ(out.get(), req.get()) != 1)
        return crypto_error("Cannot write the signing request as PEM");
    auto key_text = key_pem(key->get());
    if (!key_text)
        return key_text.error();
    if (auto r = write_atomically(key_path, *key_text, 0600, false); !r)
        return r;
    return write_atomically(csr_path, bio_text(out.get()), 0644, false);
}

Result<Signed> sign_request(const fs::path& ca_dir, const std::string& csr_pem, const std::string& site, int days)
{
    if (auto r = check_days(days); !r)
        return r.error();
    if (auto r = check_site(site); !r)
        return r.error();
    Bio in(BIO_new_mem_buf(csr_pem.data(), static_cast<int>(csr_pem.size())));
    Req req(in ? PEM_read_bio_X509_REQ(in.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!req)
        return make_error("csr_invalid", "The signing request is not a PEM certificate request: " + openssl_error());
    EVP_PKEY* pubkey = X509_REQ_get0_pubkey(req.get());
    // The request's own signature proves the box holds the key it asks a certificate for.
    if (!pubkey || X509_REQ_verify(req.get(), pubkey) != 1)
    {
        ERR_clear_error();
        return make_error("csr_bad_signature",
                          "The signing request's signature does not verify: it was altered or is damaged.");
    }
    const X509_NAME* requested = X509_REQ_get_subject_name(req.get());
    const int at = X509_NAME_get_index_by_NID(requested, NID_commonName, -1);
    std::string common;
    if (at >= 0)
    {
        unsigned char* utf8 = nullptr;
        const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(requested, at)));
        if (n >= 0)
            common.assign(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
        OPENSSL_free(utf8);
    }
    if (at < 0 || X509_NAME_get_index_by_NID(requested, NID_commonName, at) >= 0 || common != site)
        return make_error("csr_site_mismatch", "The signing request is for CN \"" + common + "\", not for the site \"" +
                                                   site + "\": a box can only be enrolled as its own site.");
    auto ca = load_authority(ca_dir);
    if (!ca)
        return ca.error();
    // The subject is made here, CN only: nothing else the request says is trusted.
    auto subject = name_with_common_name(site);
    if (!subject)
        return subject.error();
    Cert cert(X509_new());
    if (!cert)
        return crypto_error("Cannot make a certificate");
    auto serial = fill_certificate(cert.get(), subject->get(), X509_get_subject_name(ca->cert.get()), pubkey, days);
    if (!serial)
        return serial.error();
    if (!add_extension(cert.get(), ca->cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !add_extension(cert.get(), ca->cert.get(), NID_key_usage, "critical,digitalSignature") ||
        !add_extension(cert.get(), ca->cert.get(), NID_ext_key_usage, "clientAuth") ||
        !add_extension(cert.get(), ca->cert.get(), NID_subject_key_identifier, "hash") ||
        !add_extension(cert.get(), ca->cert.get(), NID_authority_key_identifier, "keyid:always"))
        return crypto_error("Cannot add the certificate's extensions");
    if (auto r = sign_with(cert.get(), *ca); !r)
        return r.error();
    Signed out;
    auto pem = cert_pem(cert.get());
    if (!pem)
        return pem.error();
    auto print = fingerprint(cert.get());
    if (!print)
        return print.error();
    out.certificate_pem = std::move(*pem);
    out.serial_hex = std::move(*serial);
    out.fingerprint_sha256 = std::move(*print);
    out.not_after = time_text(X509_get0_notAfter(cert.get()));
    return out;
}

Result<void> create_server_certificate(const fs::path& ca_dir, const fs::path& key_path, const fs::path& cert_path,
                                       const std::vector<std::string>& names, int days)
{
    if (auto r = check_days(days); !r)
        return r;
    auto sans = alt_names(names);
    if (!sans)
        return sans.error();
    auto ca = load_authority(ca_dir);
    if (!ca)
        return ca.error();
    auto key = new_key();
    if (!key)
        return key.error();
    auto subject = name_with_common_name(names.front().size() <= 64 ? names.front() : "motcua-central");
    if (!subject)
        return subject.error();
    Cert cert(X509_new());
    if (!cert)
        return crypto_error("Cannot make a certificate");
    if (auto r = fill_certificate(cert.get(), subject->get(), X509_get_subject_name(ca->cert.get()), key->get(), days);
        !r)
        return r.error();
    if (!add_extension(cert.get(), ca->cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !add_extension(cert.get(), ca->cert.get(), NID_key_usage, "critical,digitalSignature") ||
        !add_extension(cert.get(), ca->cert.get(), NID_ext_key_usage, "serverAuth") ||
        !add_extension(cert.get(), ca->cert.get(), NID_subject_alt_name, *sans) ||
        !add_extension(cert.get(), ca->cert.get(), NID_subject_key_identifier, "hash") ||
        !add_extension(cert.get(), ca->cert.get(), NID_authority_key_identifier, "keyid:always"))
        return crypto_error("Cannot add the server certificate's extensions");
    if (auto r = sign_with(cert.get(), *ca); !r)
        return r;
    auto key_text = key_pem(key->get());
    if (!key_text)
        return key_text.error();
    auto cert_text = cert_pem(cert.get());
    if (!cert_text)
        return cert_text.error();
    if (auto r = ensure_private_dir(key_path.parent_path()); !r)
        return r;
    // The key first; a renewal replaces both (the old certificate may be about to expire).
    if (auto r = write_atomically(key_path, *key_text, 0600, true); !r)
        return r;
    return write_atomically(cert_path, *cert_text, 0644, true);
}

Result<std::string> subject_common_name(X509* cert)
{
    const X509_NAME* subject = cert ? X509_get_subject_name(cert) : nullptr;
    const int at = subject ? X509_NAME_get_index_by_NID(subject, NID_commonName, -1) : -1;
    if (at < 0)
        return make_error("no_common_name", "The certificate's subject has no CN.");
    if (X509_NAME_get_index_by_NID(subject, NID_commonName, at) >= 0)
        return make_error("no_common_name", "The certificate's subject has more than one CN.");
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at)));
    if (n < 0)
        return crypto_error("Cannot read the certificate's CN");
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
    return out;
}

} // namespace motcua::central::pki
