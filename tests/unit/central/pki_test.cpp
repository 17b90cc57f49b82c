// The province's CA (central/pki.hpp): a box's certificate verifies against the CA as a TLS
// client for its own site only; the central's server certificate verifies as a TLS server
// for its names; keys are 0600; nothing is overwritten that must not be.

#include "central/pki.hpp"

#include "process.hpp"

#include <gtest/gtest.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <memory>

using namespace motcua;
using namespace motcua::central;
using motcua::testing::read_file;
using motcua::testing::TempDir;

namespace
{

struct FreeX509 { void operator()(X509* p) const { X509_free(p); } };
using Cert = std::unique_ptr<X509, FreeX509>;

Cert parse_cert(const std::string& pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    return Cert(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
}

unsigned mode_of(const std::string& path)
{
    struct stat st{};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

// X509_verify_cert of `cert` against the CA certificate alone, for `purpose`; "" when it
// verifies, else OpenSSL's reason.
std::string verify(X509* cert, const std::string& ca_pem, int purpose)
{
    auto ca = parse_cert(ca_pem);
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    X509_STORE_add_cert(store.get(), ca.get());
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr);
    X509_STORE_CTX_set_purpose(ctx.get(), purpose);
    if (X509_verify_cert(ctx.get()) == 1)
        return "";
    return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

bool has_eku(X509* cert, int nid)
{
    auto* ekus = static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr));
    bool found = false;
    for (int i = 0; ekus && i < sk_ASN1_OBJECT_num(ekus); ++i)
        found = found || OBJ_obj2nid(sk_ASN1_OBJECT_value(ekus, i)) == nid;
    EXTENDED_KEY_USAGE_free(ekus);
    return found;
}

class Pki : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        auto made = pki::create_authority(ca_dir(), "Tỉnh Thử motcua CA", 3650);
        ASSERT_TRUE(made) << made.error().message;
    }
    std::string ca_dir() const { return dir.file("ca"); }
    std::string ca_pem() const { return read_file(dir.file("ca/ca.crt")); }

    TempDir dir;
};

TEST_F(Pki, AuthorityIsACaWithAPrivateKey)
{
    EXPECT_EQ(mode_of(dir.file("ca/ca.key")), 0600u);
    EXPECT_EQ(mode_of(dir.file("ca")), 0700u);
    auto ca = parse_cert(ca_pem());
    ASSERT_TRUE(ca);
    EXPECT_EQ(X509_check_ca(ca.get()), 1);
    EXPECT_TRUE(X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN);
    EXPECT_TRUE(X509_get_key_usage(ca.get()) & KU_CRL_SIGN);
    auto cn = pki::subject_common_name(ca.get());
    ASSERT_TRUE(cn) << cn.error().message;
    EXPECT_EQ(*cn, "Tỉnh Thử motcua CA");
}

TEST_F(Pki, SecondAuthorityIsRefusedAndTheFirstKept)
{
    const auto key_before = read_file(dir.file("ca/ca.key"));
    const auto cert_before = ca_pem();
    auto again = pki::create_authority(ca_dir(), "Another CA", 3650);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "ca_exists");
    EXPECT_EQ(read_file(dir.file("ca/ca.key")), key_before);
    EXPECT_EQ(ca_pem(), cert_before);
}

TEST_F(Pki, EnrolledBoxVerifiesAsClientOfItsSite)
{
    const auto key = dir.file("site.key"), csr = dir.file("site.csr");
    auto made = pki::create_key_and_request(key, csr, "H56.01");
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(mode_of(key), 0600u);

    auto signed_ = pki::sign_request(ca_dir(), read_file(csr), "H56.01", 825);
    ASSERT_TRUE(signed_) << signed_.error().message;
    auto cert = parse_cert(signed_->certificate_pem);
    ASSERT_TRUE(cert);
    EXPECT_EQ(verify(cert.get(), ca_pem(), X509_PURPOSE_SSL_CLIENT), "");
    // Client only: the purpose check is real, a box cannot pose as the central.
    EXPECT_NE(verify(cert.get(), ca_pem(), X509_PURPOSE_SSL_SERVER), "");
    EXPECT_TRUE(has_eku(cert.get(), NID_client_auth));
    EXPECT_FALSE(has_eku(cert.get(), NID_server_auth));
    EXPECT_EQ(X509_check_ca(cert.get()), 0);

    auto cn = pki::subject_common_name(cert.get());
    ASSERT_TRUE(cn) << cn.error().message;
    EXPECT_EQ(*cn, "H56.01");

    // The certificate is for the key the box holds.
    std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_file(key.c_str(), "r"), BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> private_key(
        PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    ASSERT_TRUE(private_key);
    EXPECT_EQ(X509_check_private_key(cert.get(), private_key.get()), 1);
    EXPECT_EQ(EVP_PKEY_get_bits(private_key.get()), 256);

    EXPECT_EQ(signed_->serial_hex.size(), 32u) << signed_->serial_hex;
    EXPECT_EQ(signed_->fingerprint_sha256.size(), 32u * 3 - 1) << signed_->fingerprint_sha256;
    EXPECT_EQ(signed_->not_after.size(), 20u) << signed_->not_after;

    // Serials are random: a second request for the same site gets another.
    auto again = pki::sign_request(ca_dir(), read_file(csr), "H56.01", 825);
    ASSERT_TRUE(again);
    EXPECT_NE(again->serial_hex, signed_->serial_hex);
}

TEST_F(Pki, RequestForAnotherSiteIsRefusedNamingBoth)
{
    ASSERT_TRUE(pki::create_key_and_request(dir.file("site.key"), dir.file("site.csr"), "H56.02"));
    auto refused = pki::sign_request(ca_dir(), read_file(dir.file("site.csr")), "H56.01", 825);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "csr_site_mismatch");
    EXPECT_NE(refused.error().message.find("H56.02"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("H56.01"), std::string::npos) << refused.error().message;
}

TEST_F(Pki, TamperedRequestIsRefused)
{
    ASSERT_TRUE(pki::create_key_and_request(dir.file("site.key"), dir.file("site.csr"), "H56.02"));
    // Someone edits the request's CN to another site's without the key to sign it again.
    const auto pem = read_file(dir.file("site.csr"));
    std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(PEM_read_bio_X509_REQ(in.get(), nullptr, nullptr, nullptr),
                                                            X509_REQ_free);
    ASSERT_TRUE(req);
    std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> other(X509_NAME_new(), X509_NAME_free);
    X509_NAME_add_entry_by_txt(other.get(), "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("H56.01"), -1,
                               -1, 0);
    ASSERT_EQ(X509_REQ_set_subject_name(req.get(), other.get()), 1);
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
    ASSERT_EQ(PEM_write_bio_X509_REQ(out.get(), req.get()), 1);
    char* data = nullptr;
    const long n = BIO_get_mem_data(out.get(), &data);
    const std::string tampered(data, static_cast<std::size_t>(n));
    ASSERT_NE(tampered, pem);

    auto refused = pki::sign_request(ca_dir(), tampered, "H56.01", 825);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "csr_bad_signature");

    auto garbage = pki::sign_request(ca_dir(), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n", "H56.01", 825);
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().code, "csr_invalid");
}

TEST_F(Pki, ExistingBoxKeyIsNotOverwritten)
{
    const auto key = dir.file("site.key"), csr = dir.file("site.csr");
    ASSERT_TRUE(pki::create_key_and_request(key, csr, "H56.01"));
    const auto before = read_file(key);
    auto again = pki::create_key_and_request(key, dir.file("other.csr"), "H56.01");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "key_exists");
    EXPECT_EQ(read_file(key), before);
}

TEST_F(Pki, BadSiteCodeIsRefusedBeforeAnyFileIsWritten)
{
    auto bad = pki::create_key_and_request(dir.file("site.key"), dir.file("site.csr"), "H56 01/../x");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "bad_site");
    struct stat st{};
    EXPECT_NE(::stat(dir.file("site.key").c_str(), &st), 0);
}

TEST_F(Pki, MissingAuthorityIsNamed)
{
    ASSERT_TRUE(pki::create_key_and_request(dir.file("site.key"), dir.file("site.csr"), "H56.01"));
    auto refused = pki::sign_request(dir.file("nowhere"), read_file(dir.file("site.csr")), "H56.01", 825);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "ca_missing");
    EXPECT_NE(refused.error().message.find("nowhere/ca.key"), std::string::npos) << refused.error().message;
}

TEST_F(Pki, ServerCertificateVerifiesAsServerForItsNames)
{
    const auto key = dir.file("server/server.key"), cert_path = dir.file("server/server.crt");
    auto made = pki::create_server_certificate(ca_dir(), key, cert_path, {"localhost", "127.0.0.1", "::1"}, 825);
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(mode_of(key), 0600u);
    auto cert = parse_cert(read_file(cert_path));
    ASSERT_TRUE(cert);
    EXPECT_EQ(verify(cert.get(), ca_pem(), X509_PURPOSE_SSL_SERVER), "");
    EXPECT_TRUE(has_eku(cert.get(), NID_server_auth));
    EXPECT_FALSE(has_eku(cert.get(), NID_client_auth));
    EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
    EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
    EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
    EXPECT_NE(X509_check_ip_asc(cert.get(), "10.0.0.1", 0), 1);

    // A renewal replaces the pair.
    const auto old_key = read_file(key);
    ASSERT_TRUE(pki::create_server_certificate(ca_dir(), key, cert_path, {"127.0.0.1"}, 825));
    EXPECT_NE(read_file(key), old_key);
    EXPECT_EQ(mode_of(key), 0600u);

    auto bad = pki::create_server_certificate(ca_dir(), key, cert_path, {"not a name"}, 825);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "bad_name");
}

TEST(PkiCommonName, CertificateWithoutCnIsAnError)
{
    Cert cert(X509_new());
    auto cn = pki::subject_common_name(cert.get());
    ASSERT_FALSE(cn);
    EXPECT_EQ(cn.error().code, "no_common_name");
}

} // namespace
