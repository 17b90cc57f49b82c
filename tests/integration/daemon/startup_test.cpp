// motcuad's start on a state directory it cannot run on: a damaged database, a full disk,
// a second motcuad. Each ends in a clean exit with a documented status (docs/operations.md,
// "Exit statuses"), a message saying what to do, and STATUS= saying the same.

#include "startup_fixture.hpp"

#include <chrono>
#include <fstream>
#include <sys/stat.h>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

TEST_F(Startup, DamagedDatabaseStopsWith65AndSaysWhatToDo)
{
    a_day_then_stop();
    {
        // Garbage over the first page's b-tree (the schema): "database disk image is malformed".
        std::fstream f(database(), std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        std::string junk(3000, '\xa5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    start_notified("damaged.log");
    EXPECT_EQ(daemon->wait(std::chrono::seconds(15)), 65);
    auto log = read_file(dir.file("damaged.log"));
    EXPECT_EQ(log.find("terminate called"), std::string::npos) << log;
    EXPECT_NE(log.find("The database is damaged; motcuad stops"), std::string::npos) << log;
    EXPECT_NE(log.find("restore the last backup"), std::string::npos) << log;
    auto seen = notify->wait_for("damaged", std::chrono::seconds(2));
    EXPECT_NE(seen.find("STATUS=Stopped: the database " + database() + " is damaged"),
              std::string::npos)
        << seen;
    EXPECT_EQ(seen.find("READY=1"), std::string::npos) << seen;

    auto out = ctl({"status"});
    EXPECT_NE(out.exit_code, 0);
    EXPECT_NE(out.err.find("motcuad is not running"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("journalctl -u motcuad"), std::string::npos) << out.err;
}

TEST_F(Startup, FullDiskStopsWith74AndSaysWhatToDo)
{
    a_day_then_stop();
    // No file may grow past 12 KiB (EFBIG instead of SIGXFSZ): SQLite cannot make its
    // 32 KiB shared-memory file beside the database, as on a full disk.
    start_notified("disk.log",
                   {"/bin/sh", "-c", "trap '' XFSZ; exec prlimit --fsize=12288 -- \"$@\"", "sh"});
    EXPECT_EQ(daemon->wait(std::chrono::seconds(15)), 74);
    auto log = read_file(dir.file("disk.log"));
    EXPECT_EQ(log.find("terminate called"), std::string::npos) << log;
    EXPECT_NE(log.find("The disk of the database is full or failing; motcuad stops"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("free space (df -h " + dir.path() + ")"), std::string::npos) << log;
    auto seen = notify->wait_for("full or failing", std::chrono::seconds(2));
    EXPECT_NE(seen.find("STATUS=Stopped: the disk of " + database() + " is full or failing"),
              std::string::npos)
        << seen;
}

TEST_F(Startup, SecondDaemonOnTheSameStateDirectoryExitsAtOnceTouchingNothing)
{
    start();
    ASSERT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    struct stat before
    {
    };
    ASSERT_EQ(::stat(socket().c_str(), &before), 0);
    const auto rows = query_value(database(), "SELECT count(*) FROM journal");

    auto second = run(daemon_args(), std::chrono::seconds(10));
    EXPECT_EQ(second.exit_code, 75);
    EXPECT_NE(second.err.find("already running (pid " + std::to_string(daemon->pid()) + ")"),
              std::string::npos)
        << second.err;

    // The first one's socket is the same file and still answers; its register is unchanged.
    struct stat after
    {
    };
    ASSERT_EQ(::stat(socket().c_str(), &after), 0);
    EXPECT_EQ(before.st_ino, after.st_ino);
    EXPECT_EQ(ctl({"issue", "TP"}).exit_code, 0);
    EXPECT_EQ(query_value(database(), "SELECT count(*) FROM journal"),
              std::to_string(std::stoi(rows) + 1));
    EXPECT_TRUE(daemon->running());
}

} // namespace
