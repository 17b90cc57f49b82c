#include "web/certificate.hpp"

#include "util/file_write.hpp"
#include "util/openssl.hpp"

#include <boost/asio/ssl/error.hpp>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>

namespace motcua::web
{

namespace
{
namespace fs = std::filesystem;

constexpr long validity_seconds = 10L * 365 * 24 * 3600 + 2 * 24 * 3600; // ten years and the leap days

using openssl::Bio;
using openssl::Cert;
using openssl::FreeExt;
using openssl::Key;
std::string openssl_error() { return openssl::last_error(); }

Error cert_error(const std::string& what) { return make_error("web_certificate", what); }

bool is_ip(const std::string& text)
{
    unsigned char buf[16];
    return ::inet_pton(AF_INET, text.c_str(), buf) == 1 || ::inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// "DNS:box,IP:192.168.1.10,…" for the subjectAltName extension; names that are neither a
// host name nor an address are left out.
std::string alt_names(const std::vector<std::string>& names)
{
    std::set<std::string> seen;
    std::string out;
    for (const auto& n : names)
    {
        if (n.empty() || n.size() > 253 || !seen.insert(n).second)
            continue;
        std::string entry;
        if (is_ip(n))
            entry = "IP:" + n;
        else if (std::all_of(n.begin(), n.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.'; }))
            entry = "DNS:" + n;
        else
            continue;
        out += (out.empty() ? "" : ",") + entry;
    }
    return out;
}

bool add_extension(X509* cert, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, FreeExt> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

std::string host_name()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return {};
    return name;
}

// A fresh key and self-signed certificate as PEM texts.
Result<std::pair<std::string, std::string>> make_self_signed(const std::vector<std::string>& names)
{
    Key key(EVP_EC_gen("P-256"));
    if (!key)
        return cert_error("Cannot make an EC P-256 key: " + openssl_error());
    Cert cert(X509_new());
    if (!cert)
        return cert_error("Cannot make a certificate: " + openssl_error());
    X509_set_version(cert.get(), 2); // v3
    // A random positive serial: browsers refuse two certificates of one issuer and serial.
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return cert_error("No random bytes for the certificate: " + openssl_error());
    serial[0] &= 0x7F;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    ASN1_INTEGER* sn = bn ? BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) : nullptr;
    BN_free(bn);
    if (!sn)
        return cert_error("Cannot set the certificate's serial: " + openssl_error());
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600); // an hour back: clocks differ
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), validity_seconds);
    X509_set_pubkey(cert.get(), key.get());
    const std::string host = host_name();
    const std::string common = "motcua console" + (host.empty() ? std::string() : " " + host);
    X509_NAME* subject = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("motcua"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common.c_str()),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), subject);
    std::vector<std::string> all{"localhost", "127.0.0.1", "::1"};
    if (!host.empty())
        all.push_back(host);
    all.insert(all.end(), names.begin(), names.end());
    if (!add_extension(cert.get(), NID_subject_alt_name, alt_names(all)) ||
        !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature") ||
        !add_extension(cert.get(), NID_ext_key_usage, "serverAuth") ||
        !add_extension(cert.get(), NID_subject_key_identifier, "hash"))
        return cert_error("Cannot add the certificate's extensions: " + openssl_error());
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return cert_error("Cannot sign the certificate: " + openssl_error());

    Bio key_out(BIO_new(BIO_s_mem())), cert_out(BIO_new(BIO_s_mem()));
    if (!key_out || !cert_out || PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        PEM_write_bio_X509(cert_out.get(), cert.get()) != 1)
        return cert_error("Cannot write the certificate as PEM: " + openssl_error());
    auto text = [](BIO* b) {
        char* data = nullptr;
        const long n = BIO_get_mem_data(b, &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    return std::pair{text(key_out.get()), text(cert_out.get())};
}

using openssl::time_text;

std::string name_text(const X509_NAME* name)
{
    Bio out(BIO_new(BIO_s_mem()));
    if (!out || X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
        return {};
    char* data = nullptr;
    const long n = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::vector<std::string> alt_names_of(X509* cert)
{
    std::vector<std::string> out;
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (!names)
        return out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i)
    {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS)
        {
            const auto* s = g->d.dNSName;
            out.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                               static_cast<std::size_t>(ASN1_STRING_length(s))));
        }
        else if (g->type == GEN_IPADD)
        {
            const auto* s = g->d.iPAddress;
            char text[INET6_ADDRSTRLEN] = {};
            const int len = ASN1_STRING_length(s);
            if ((len == 4 || len == 16) &&
                ::inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), text, sizeof text))
                out.push_back(std::string("IP:") + text);
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}
} // namespace

CertificateFiles self_signed_files(const std::string& state_dir)
{
    return {(fs::path(state_dir) / "console-cert.pem").string(), (fs::path(state_dir) / "console-key.pem").string()};
}

std::vector<std::string> local_names()
{
    std::vector<std::string> out;
    if (auto host = host_name(); !host.empty())
        out.push_back(host);
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0)
        return out;
    for (auto* a = list; a; a = a->ifa_next)
    {
        if (!a->ifa_addr || !(a->ifa_flags & IFF_UP))
            continue;
        char text[INET6_ADDRSTRLEN] = {};
        if (a->ifa_addr->sa_family == AF_INET)
        {
            auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
            if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text))
                out.push_back(text);
        }
        else if (a->ifa_addr->sa_family == AF_INET6)
        {
            auto* in = reinterpret_cast<sockaddr_in6*>(a->ifa_addr);
            if (IN6_IS_ADDR_LINKLOCAL(&in->sin6_addr)) // needs a zone: not in a URL a browser takes
                continue;
            if (::inet_ntop(AF_INET6, &in->sin6_addr, text, sizeof text))
                out.push_back(text);
        }
    }
    ::freeifaddrs(list);
    return out;
}

Result<bool> ensure_self_signed(const std::string& state_dir, const std::vector<std::string>& names)
{
    const auto files = self_signed_files(state_dir);
    std::error_code ec;
    const bool have_cert = fs::exists(files.cert, ec), have_key = fs::exists(files.key, ec);
    if (have_cert && have_key)
        return false;
    if (have_cert != have_key)
        spdlog::warn("Console certificate: only one of {} and {} exists; making a new pair", files.cert, files.key);
    auto pair = make_self_signed(names);
    if (!pair)
        return pair.error();
    // The key first: a certificate is never there without its key.
    if (auto r = write_file_atomically(files.key, pair->first, 0600, Overwrite::replace); !r)
        return cert_error(r.error().message);
    if (auto r = write_file_atomically(files.cert, pair->second, 0644, Overwrite::replace); !r)
        return cert_error(r.error().message);
    return true;
}

Result<CertificateInfo> read_certificate(const std::string& path)
{
    Bio in(BIO_new_file(path.c_str(), "r"));
    if (!in)
        return cert_error("Cannot read the console certificate " + path + ": " + std::strerror(errno));
    Cert cert(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
    if (!cert)
        return cert_error("The console certificate " + path + " holds no PEM certificate: " + openssl_error());
    CertificateInfo info;
    info.path = path;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(cert.get(), EVP_sha256(), digest, &n) != 1)
        return cert_error("Cannot hash the console certificate " + path + ": " + openssl_error());
    static constexpr char digits[] = "0123456789ABCDEF";
    for (unsigned int i = 0; i < n; ++i)
    {
        if (i)
            info.fingerprint += ':';
        info.fingerprint += digits[digest[i] >> 4];
        info.fingerprint += digits[digest[i] & 0x0F];
    }
    info.subject = name_text(X509_get_subject_name(cert.get()));
    info.not_before = time_text(X509_get0_notBefore(cert.get()));
    info.not_after = time_text(X509_get0_notAfter(cert.get()));
    info.names = alt_names_of(cert.get());
    info.self_signed = X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) == 0;
    return info;
}

Result<std::shared_ptr<boost::asio::ssl::context>> tls_context(const CertificateFiles& files)
{
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    // TLS 1.2 with forward secrecy and AEAD only; TLS 1.3's suites are all that already.
    SSL_CTX_set_cipher_list(ctx->native_handle(),
                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                            "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(files.cert, ec);
    if (ec)
        return cert_error("Cannot use the console certificate " + files.cert + ": " + ec.message() +
                          " (a PEM file, the server's certificate first)");
    ctx->use_private_key_file(files.key, ssl::context::pem, ec);
    if (ec && ec.category() == boost::asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH)
        return cert_error("The console key " + files.key + " does not belong to the certificate " + files.cert);
    if (ec)
        return cert_error("Cannot use the console key " + files.key + ": " + ec.message() +
                          " (a PEM private key readable by motcuad)");
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
        return cert_error("The console key " + files.key + " does not belong to the certificate " + files.cert);
    return ctx;
}

} // namespace motcua::web
