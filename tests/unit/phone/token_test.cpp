// The phone link's token: stable for a ticket and day, bound to both and to the secret,
// and refused when forged, truncated or from another day.

#include "phone/secret.hpp"
#include "phone/token.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace motcua;
using namespace motcua::phone;

namespace
{

const std::string secret(32, '\x5a');
const Date first_day{std::chrono::year{2025}, std::chrono::July, std::chrono::day{1}};
const Date next_day{std::chrono::year{2025}, std::chrono::July, std::chrono::day{2}};

bool url_safe(const std::string& s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

TEST(Token, StableShortAndUrlSafe)
{
    auto t = make_token(secret, first_day, 57);
    EXPECT_EQ(t.size(), token_length);
    EXPECT_TRUE(url_safe(t)) << t;
    EXPECT_EQ(make_token(secret, first_day, 57), t);
    EXPECT_NE(make_token(secret, first_day, 58), t);
    EXPECT_EQ(verify_token(secret, first_day, t), 57);
    EXPECT_EQ(verify_token(secret, first_day, make_token(secret, first_day, max_token_ticket)), max_token_ticket);
    EXPECT_EQ(make_token(secret, first_day, 0), "");
    EXPECT_EQ(make_token(secret, first_day, max_token_ticket + 1), "");
}

TEST(Token, BoundToItsDayAndItsSecret)
{
    auto t = make_token(secret, first_day, 57);
    EXPECT_NE(make_token(secret, next_day, 57), t);
    EXPECT_EQ(verify_token(secret, next_day, t), std::nullopt); // expired
    EXPECT_EQ(verify_token(std::string(32, '\x5b'), first_day, t), std::nullopt); // another installation
}

TEST(Token, ForgedOnesAreRefused)
{
    const auto t = make_token(secret, first_day, 57);
    // Every single-character change: the id part names another ticket without its MAC,
    // the MAC part no longer matches.
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < t.size(); ++i)
    {
        auto f = t;
        f[i] = alphabet[(alphabet.find(t[i]) + 1) % alphabet.size()];
        EXPECT_EQ(verify_token(secret, first_day, f), std::nullopt) << f;
    }
    // The MAC of another ticket under the right id.
    auto other = make_token(secret, first_day, 58);
    EXPECT_EQ(verify_token(secret, first_day, t.substr(0, 8) + other.substr(8)), std::nullopt);
    EXPECT_EQ(verify_token(secret, first_day, t.substr(0, token_length - 1)), std::nullopt);
    EXPECT_EQ(verify_token(secret, first_day, t + "A"), std::nullopt);
    EXPECT_EQ(verify_token(secret, first_day, ""), std::nullopt);
    EXPECT_EQ(verify_token(secret, first_day, std::string(token_length, 'A')), std::nullopt); // ticket 0
    auto bad = t;
    bad[3] = '+'; // base64, not base64url
    EXPECT_EQ(verify_token(secret, first_day, bad), std::nullopt);
    bad[3] = '%';
    EXPECT_EQ(verify_token(secret, first_day, bad), std::nullopt);
}

TEST(Token, PathsInLogsHideIt)
{
    EXPECT_EQ(redact_token_path("/t/AbCdEfGhIjKlMnOpQrStUvWx"), "/t/<token>");
    EXPECT_EQ(redact_token_path("/api/t/AbCdEfGhIjKlMnOpQrStUvWx/rating"), "/api/t/<token>/rating");
    EXPECT_EQ(redact_token_path("/t/AbCdEfGhIjKlMnOpQrStUvWx?x=1"), "/t/<token>");
    EXPECT_EQ(redact_token_path("/board"), "/board");
}

struct SecretTest : ::testing::Test
{
    std::filesystem::path dir;
    void SetUp() override
    {
        dir = std::filesystem::temp_directory_path() /
              ("motcua-secret-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    void TearDown() override
    {
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
        std::filesystem::remove_all(dir);
    }
    std::filesystem::path file() const { return dir / secret_file_name; }
};

TEST_F(SecretTest, CreatedOnceWithMode0600ThenReadAgain)
{
    auto first = load_or_create_secret(dir.string());
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->size(), 32u);
    struct stat st{};
    ASSERT_EQ(::stat(file().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto again = load_or_create_secret(dir.string());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *first); // tickets printed before a restart keep their links
    // No temporary file is left behind.
    int files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
        ++files;
    EXPECT_EQ(files, 1);
    // Two directories, two secrets.
    auto other_dir = dir / "other";
    std::filesystem::create_directories(other_dir);
    auto other = load_or_create_secret(other_dir.string());
    ASSERT_TRUE(other.ok());
    EXPECT_NE(*other, *first);
}

TEST_F(SecretTest, ADamagedOrUnreadableFileIsAClearError)
{
    {
        std::ofstream(file()) << "not a key\n";
    }
    auto damaged = load_or_create_secret(dir.string());
    ASSERT_FALSE(damaged.ok());
    EXPECT_EQ(damaged.error().code, "phone_secret");
    EXPECT_NE(damaged.error().message.find(file().string()), std::string::npos);
    EXPECT_NE(damaged.error().message.find("damaged"), std::string::npos);

    // Something that cannot be read as a key, even by root.
    std::filesystem::remove(file());
    std::filesystem::create_directories(file());
    auto a_directory = load_or_create_secret(dir.string());
    ASSERT_FALSE(a_directory.ok());
    EXPECT_NE(a_directory.error().message.find("cannot be read"), std::string::npos);
    std::filesystem::remove(file());

    if (::geteuid() != 0) // root reads whatever the mode says
    {
        ASSERT_TRUE(load_or_create_secret(dir.string()).ok());
        std::filesystem::permissions(file(), std::filesystem::perms::none);
        auto unreadable = load_or_create_secret(dir.string());
        ASSERT_FALSE(unreadable.ok());
        EXPECT_NE(unreadable.error().message.find("cannot be opened"), std::string::npos);
        EXPECT_NE(unreadable.error().message.find(file().string()), std::string::npos);
    }
}

TEST_F(SecretTest, AnUnusableStateDirectoryIsAClearError)
{
    // A file where the directory should be: refused for anyone.
    {
        std::ofstream(dir / "plain") << "x";
    }
    auto not_a_dir = load_or_create_secret((dir / "plain").string());
    ASSERT_FALSE(not_a_dir.ok());
    EXPECT_EQ(not_a_dir.error().code, "phone_secret");
    EXPECT_NE(not_a_dir.error().message.find((dir / "plain").string()), std::string::npos);

    if (::geteuid() == 0)
        return; // root writes whatever the mode says
    std::filesystem::permissions(dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    auto r = load_or_create_secret(dir.string());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "phone_secret");
    EXPECT_NE(r.error().message.find(dir.string()), std::string::npos);
}

} // namespace
