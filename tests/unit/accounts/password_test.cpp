// argon2id through libsodium: a round trip, a salt per hash, the settings we promise.

#include "util/password.hpp"

#include <sodium.h>

#include <gtest/gtest.h>

namespace motcua::password
{
namespace
{

TEST(Password, HashThenVerify)
{
    auto h = hash("mùa thu hà nội");
    ASSERT_TRUE(h) << h.error().message;
    EXPECT_TRUE(verify(*h, "mùa thu hà nội"));
    EXPECT_FALSE(verify(*h, "mua thu ha noi"));
    EXPECT_FALSE(verify(*h, ""));
}

TEST(Password, Argon2idAt19MiBAndTwoPassesWithItsOwnSalt)
{
    auto a = hash("correct horse battery");
    auto b = hash("correct horse battery");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *a;
    EXPECT_NE(*a, *b); // a fresh salt each time
    EXPECT_FALSE(needs_rehash(*a));
}

TEST(Password, OtherSettingsStillVerifyAndAskForARehash)
{
    ASSERT_GE(sodium_init(), 0);
    char old[crypto_pwhash_STRBYTES];
    const std::string pw = "an older setting";
    ASSERT_EQ(crypto_pwhash_str_alg(old, pw.data(), pw.size(), 3, 8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
    EXPECT_TRUE(verify(old, pw));
    EXPECT_TRUE(needs_rehash(old));
}

TEST(Password, AMalformedStoredHashIsNoMatch)
{
    EXPECT_FALSE(verify("", "x"));
    EXPECT_FALSE(verify("$argon2id$garbage", "x"));
    EXPECT_FALSE(verify(std::string(500, '$'), "x"));
}

} // namespace
} // namespace motcua::password
