// The desk console's pure parts: the HTTP status of each error code, the session cookie in
// a Cookie header, and the self-signed certificate (made once, mode 0600, its fingerprint,
// a TLS context from it, a key that does not match refused by name).

#include "web/certificate.hpp"
#include "web/console.hpp"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace motcua::web
{
namespace
{
namespace fs = std::filesystem;

TEST(ConsoleStatus, ErrorCodesMapToHttpStatuses)
{
    EXPECT_EQ(http_status_of("bad_request"), 400);
    EXPECT_EQ(http_status_of("bad_phone"), 400);
    EXPECT_EQ(http_status_of("invalid_date"), 400);
    EXPECT_EQ(http_status_of("unauthenticated"), 401);
    EXPECT_EQ(http_status_of("forbidden"), 403);
    EXPECT_EQ(http_status_of("csrf"), 403);
    EXPECT_EQ(http_status_of("unknown_command"), 404);
    EXPECT_EQ(http_status_of("unknown_ticket"), 404);
    EXPECT_EQ(http_status_of("not_found"), 404);
    EXPECT_EQ(http_status_of("counter_busy"), 409);
    EXPECT_EQ(http_status_of("nothing_waiting"), 409);
    EXPECT_EQ(http_status_of("already_open"), 409);
    EXPECT_EQ(http_status_of("internal_error"), 500);
    EXPECT_EQ(http_status_of("database"), 500);
}

TEST(ConsoleCookie, FindsTheSessionAmongOthers)
{
    EXPECT_EQ(cookie_value("motcua_session=abc", "motcua_session"), "abc");
    EXPECT_EQ(cookie_value("a=1; motcua_session=abc; b=2", "motcua_session"), "abc");
    EXPECT_EQ(cookie_value("a=1;motcua_session=abc ", "motcua_session"), "abc");
    EXPECT_EQ(cookie_value("xmotcua_session=abc; motcua_sessionx=d", "motcua_session"), "");
    EXPECT_EQ(cookie_value("", "motcua_session"), "");
    EXPECT_EQ(cookie_value("motcua_session", "motcua_session"), "");
}

class TempDir : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        char pattern[] = "/tmp/motcua-cert-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        dir = pattern;
    }
    void TearDown() override { fs::remove_all(dir); }
    std::string dir;
};

using ConsoleCertificate = TempDir;

TEST_F(ConsoleCertificate, MadeOnceWithAPrivateKeyAndReused)
{
    auto made = ensure_self_signed(dir, {"192.168.1.10", "box.local", "not a name!"});
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_TRUE(*made);
    const auto files = self_signed_files(dir);
    struct stat st{};
    ASSERT_EQ(::stat(files.key.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_FALSE(fs::exists(files.key + ".tmp"));

    auto info = read_certificate(files.cert);
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->fingerprint.size(), 32u * 3 - 1);
    EXPECT_TRUE(info->self_signed);
    EXPECT_NE(info->subject.find("CN=motcua console"), std::string::npos) << info->subject;
    auto has = [&](const std::string& n) {
        return std::find(info->names.begin(), info->names.end(), n) != info->names.end();
    };
    EXPECT_TRUE(has("DNS:localhost"));
    EXPECT_TRUE(has("IP:127.0.0.1"));
    EXPECT_TRUE(has("IP:::1"));
    EXPECT_TRUE(has("IP:192.168.1.10"));
    EXPECT_TRUE(has("DNS:box.local"));
    EXPECT_FALSE(has("DNS:not a name!"));
    EXPECT_LT(info->not_before, info->not_after);
    EXPECT_GE(std::stoi(info->not_after.substr(0, 4)) - std::stoi(info->not_before.substr(0, 4)), 10);

    // The fingerprint is the SHA-256 of the DER, as a browser shows it.
    FILE* f = std::fopen(files.cert.c_str(), "r");
    ASSERT_NE(f, nullptr);
    X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    ASSERT_NE(x, nullptr);
    unsigned char* der = nullptr;
    const int n = i2d_X509(x, &der);
    unsigned char digest[32];
    unsigned int len = 0;
    EVP_Digest(der, static_cast<std::size_t>(n), digest, &len, EVP_sha256(), nullptr);
    OPENSSL_free(der);
    X509_free(x);
    char first[3];
    std::snprintf(first, sizeof first, "%02X", digest[0]);
    EXPECT_EQ(info->fingerprint.substr(0, 2), first);

    // A second start touches nothing.
    const auto before = fs::last_write_time(files.cert);
    auto again = ensure_self_signed(dir, {});
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again);
    EXPECT_EQ(fs::last_write_time(files.cert), before);
    EXPECT_EQ(read_certificate(files.cert)->fingerprint, info->fingerprint);

    auto tls = tls_context(files);
    EXPECT_TRUE(tls) << tls.error().message;
}

TEST_F(ConsoleCertificate, AKeyOfAnotherCertificateIsRefusedByName)
{
    const auto a = dir + "/a", b = dir + "/b";
    fs::create_directories(a);
    fs::create_directories(b);
    ASSERT_TRUE(ensure_self_signed(a, {}));
    ASSERT_TRUE(ensure_self_signed(b, {}));
    CertificateFiles mixed{self_signed_files(a).cert, self_signed_files(b).key};
    auto tls = tls_context(mixed);
    ASSERT_FALSE(tls);
    EXPECT_NE(tls.error().message.find("does not belong"), std::string::npos) << tls.error().message;

    auto missing = tls_context({dir + "/none.pem", dir + "/none.key"});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find(dir + "/none.pem"), std::string::npos) << missing.error().message;
    auto garbage = dir + "/garbage.pem";
    std::ofstream(garbage) << "not a certificate\n";
    auto unreadable = read_certificate(garbage);
    ASSERT_FALSE(unreadable);
    EXPECT_NE(unreadable.error().message.find("holds no PEM certificate"), std::string::npos);
}

TEST_F(ConsoleCertificate, OnlyOneFileLeftMakesANewPair)
{
    ASSERT_TRUE(ensure_self_signed(dir, {}));
    const auto files = self_signed_files(dir);
    const auto old = read_certificate(files.cert)->fingerprint;
    fs::remove(files.key);
    auto made = ensure_self_signed(dir, {});
    ASSERT_TRUE(made);
    EXPECT_TRUE(*made);
    EXPECT_NE(read_certificate(files.cert)->fingerprint, old);
    EXPECT_TRUE(tls_context(files));
}

} // namespace
} // namespace motcua::web
