// Chunked import uploads (app/import_uploads.hpp): unguessable ids bound to their actor,
// bounded in number and bytes, dropped by a timer when idle.

#include "app/import_uploads.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace motcua::app
{
namespace
{

TEST(Uploads, IdsAre128RandomBitsInHex)
{
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i)
    {
        auto id = random_upload_id();
        EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
        EXPECT_TRUE(seen.insert(id).second) << "repeated id " << id;
    }
}

TEST(Uploads, ChunksJoinAndTheLastOneHandsOverTheFile)
{
    boost::asio::io_context io;
    ImportUploads u(io);
    auto first = u.add("uid:1000", "", "a,b\n", true);
    ASSERT_TRUE(first.ok());
    EXPECT_FALSE(first->complete);
    auto last = u.add("uid:1000", first->upload, "1,2\n", false);
    ASSERT_TRUE(last.ok());
    ASSERT_TRUE(last->complete);
    EXPECT_EQ(*last->complete, "a,b\n1,2\n");
    EXPECT_EQ(u.open_uploads(), 0u);
    EXPECT_EQ(u.held_bytes(), 0u);
}

TEST(Uploads, AnotherActorCannotContinueAnUpload)
{
    boost::asio::io_context io;
    ImportUploads u(io);
    auto mine = u.add("uid:1000", "", "x", true);
    ASSERT_TRUE(mine.ok());
    auto theirs = u.add("uid:1001", mine->upload, "y", false);
    ASSERT_FALSE(theirs.ok());
    EXPECT_EQ(theirs.error().code, "unknown_upload");
    EXPECT_EQ(u.add("uid:1000", "0123", "y", false).error().code, "unknown_upload");
    EXPECT_TRUE(u.add("uid:1000", mine->upload, "y", false).ok()); // still the owner's
}

TEST(Uploads, CountAndBytesAreCapped)
{
    boost::asio::io_context io;
    UploadLimits limits;
    limits.max_uploads = 2;
    limits.max_total_bytes = 10;
    limits.max_file_bytes = 8;
    ImportUploads u(io, limits);
    auto a = u.add("a", "", "12345", true);
    auto b = u.add("b", "", "123", true);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(u.add("c", "", "1", true).error().code, "too_many_uploads");
    // 5 + 3 held; 3 more would pass the total of 10: refused, and that upload dropped.
    EXPECT_EQ(u.add("a", a->upload, "123", true).error().code, "import_too_large");
    EXPECT_EQ(u.open_uploads(), 1u);
    EXPECT_EQ(u.held_bytes(), 3u);
    // One file over its own limit.
    EXPECT_EQ(u.add("b", b->upload, "123456", true).error().code, "import_too_large");
    EXPECT_EQ(u.held_bytes(), 0u);
}

TEST(Uploads, IdleUploadsAreDroppedByTheTimerWithoutAnotherChunk)
{
    boost::asio::io_context io;
    UploadLimits limits;
    limits.idle_limit = std::chrono::milliseconds(50);
    ImportUploads u(io, limits);
    auto a = u.add("a", "", "abc", true);
    ASSERT_TRUE(a.ok());
    io.run_for(std::chrono::milliseconds(20));
    EXPECT_EQ(u.open_uploads(), 1u); // not idle long enough yet
    io.restart();
    io.run_for(std::chrono::milliseconds(200));
    EXPECT_EQ(u.open_uploads(), 0u);
    EXPECT_EQ(u.held_bytes(), 0u);
    EXPECT_EQ(u.add("a", a->upload, "d", false).error().code, "unknown_upload");
}

TEST(Uploads, ANewChunkRearmsTheTimer)
{
    boost::asio::io_context io;
    UploadLimits limits;
    limits.idle_limit = std::chrono::milliseconds(100);
    ImportUploads u(io, limits);
    auto a = u.add("a", "", "abc", true);
    for (int i = 0; i < 4; ++i)
    {
        io.restart();
        io.run_for(std::chrono::milliseconds(60));
        ASSERT_TRUE(u.add("a", a->upload, "x", true).ok()) << i;
    }
    EXPECT_EQ(u.open_uploads(), 1u);
}

} // namespace
} // namespace motcua::app
