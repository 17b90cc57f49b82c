// `motcuactl central enroll` as a process: the key (0600) and signing request in their
// folder (0700), the next steps and the [central] snippet printed, an existing key kept
// unless --force, and the request signable by the province's CA for that site only.

#include "central/pki.hpp"

#include "process.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace motcua::testing;
namespace pki = motcua::central::pki;

namespace
{

unsigned mode_of(const std::string& path)
{
    struct stat st{};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

Output enroll(const std::vector<std::string>& extra)
{
    std::vector<std::string> argv{bin_dir() + "/motcuactl", "central", "enroll"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run(argv);
}

TEST(CentralEnroll, MakesKeyAndRequestAndSaysWhatNext)
{
    TempDir tmp;
    const auto dir = tmp.file("box/central");
    auto out = enroll({"--url", "https://central.example.gov.vn", "--site", "H56.01", "--dir", dir});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(mode_of(dir), 0700u);
    EXPECT_EQ(mode_of(dir + "/site.key"), 0600u);
    const auto csr = read_file(dir + "/site.csr");
    EXPECT_NE(csr.find("-----BEGIN CERTIFICATE REQUEST-----"), std::string::npos) << csr;

    EXPECT_NE(out.out.find(dir + "/site.csr"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("motcua-central site add H56.01 --csr"), std::string::npos) << out.out;
    const std::string snippet = "[central]\n"
                                "url = \"https://central.example.gov.vn\"\n"
                                "site = \"H56.01\"\n"
                                "cert = \"" + dir + "/site.crt\"\n"
                                "key = \"" + dir + "/site.key\"\n"
                                "ca = \"" + dir + "/ca.crt\"\n";
    EXPECT_NE(out.out.find(snippet), std::string::npos) << out.out;

    // The province signs it for this site, and for no other.
    ASSERT_TRUE(pki::create_authority(tmp.file("ca"), "Test CA", 30));
    auto signed_ = pki::sign_request(tmp.file("ca"), csr, "H56.01", 30);
    EXPECT_TRUE(signed_) << signed_.error().message;
    auto other = pki::sign_request(tmp.file("ca"), csr, "H56.02", 30);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, "csr_site_mismatch");
}

TEST(CentralEnroll, KeepsAnExistingKeyUnlessForced)
{
    TempDir tmp;
    const auto dir = tmp.file("central");
    const std::vector<std::string> args{"--url", "https://central.example.gov.vn", "--site", "H56.01", "--dir", dir};
    ASSERT_EQ(enroll(args).exit_code, 0);
    const auto key = read_file(dir + "/site.key");

    auto refused = enroll(args);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("key_exists"), std::string::npos) << refused.err;
    EXPECT_EQ(read_file(dir + "/site.key"), key);

    auto forced = args;
    forced.push_back("--force");
    auto out = enroll(forced);
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(read_file(dir + "/site.key"), key);
    EXPECT_EQ(mode_of(dir + "/site.key"), 0600u);
}

TEST(CentralEnroll, BadUrlOrSiteIsRefusedAndWritesNoKey)
{
    TempDir tmp;
    const auto dir = tmp.file("central");
    auto http = enroll({"--url", "http://central.example.gov.vn", "--site", "H56.01", "--dir", dir});
    EXPECT_EQ(http.exit_code, 1);
    EXPECT_NE(http.err.find("https://"), std::string::npos) << http.err;

    auto site = enroll({"--url", "https://central.example.gov.vn", "--site", "H56 01", "--dir", dir});
    EXPECT_EQ(site.exit_code, 1);
    EXPECT_NE(site.err.find("bad_site"), std::string::npos) << site.err;
    struct stat st{};
    EXPECT_NE(::stat((dir + "/site.key").c_str(), &st), 0);

    auto missing = run({bin_dir() + "/motcuactl", "central", "enroll", "--url", "https://x.vn"});
    EXPECT_NE(missing.exit_code, 0);
    EXPECT_NE(missing.err.find("--site"), std::string::npos) << missing.err;
}

} // namespace
