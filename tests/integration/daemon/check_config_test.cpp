// `motcuad --check-config`: exit 0 on a valid file; otherwise every error as
// FILE:LINE:COL: message on stderr and exit 78.

#include "process.hpp"

#include <gtest/gtest.h>

#include <regex>

#include <sys/stat.h>

using namespace motcua::testing;

namespace
{

TEST(CheckConfig, ShippedConfigsAreValid)
{
    for (const char* name : {"example.toml", "demo.toml"})
    {
        auto out = run({bin_dir() + "/motcuad", "--check-config", source_dir() + "/config/" + name});
        EXPECT_EQ(out.exit_code, 0) << name << ": " << out.err;
    }
}

TEST(CheckConfig, BrokenFileGivesEveryErrorWithPositionAndExit78)
{
    TempDir dir;
    dir.write("broken.toml", R"([office]
name = "X"
unit_code = "000.00.00.H00"
opening = "07:00"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 100

[[service]]
id = "TP"
number = "two"
name = "Đất đai"
first = 50
last = 150

[[counter]]
number = 1
services = ["TP", "XX"]
)");
    auto out = run({bin_dir() + "/motcuad", "--check-config", dir.file("broken.toml")});
    EXPECT_EQ(out.exit_code, 78);
    std::regex line_re(R"(^.*broken\.toml:\d+:\d+: .+$)");
    int lines = 0;
    std::size_t start = 0;
    while (start < out.err.size())
    {
        auto end = out.err.find('\n', start);
        auto line = out.err.substr(start, end - start);
        EXPECT_TRUE(std::regex_match(line, line_re)) << line;
        ++lines;
        start = end == std::string::npos ? out.err.size() : end + 1;
    }
    // unknown key, duplicate id, wrong type, overlapping range, unknown service
    EXPECT_GE(lines, 5) << out.err;
    EXPECT_NE(out.err.find("broken.toml:4:1: unknown key 'opening'"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("duplicate service id \"TP\""), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("overlaps"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("unknown service \"XX\""), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("must be an integer"), std::string::npos) << out.err;
}

TEST(CheckConfig, MissingFileIsAConfigError)
{
    auto out = run({bin_dir() + "/motcuad", "--check-config", "/nonexistent/motcua.toml"});
    EXPECT_EQ(out.exit_code, 78);
    EXPECT_NE(out.err.find("cannot read"), std::string::npos) << out.err;
}

TEST(CheckConfig, DevicesPipesAndHugeFilesAreRefusedUnread)
{
    // /dev/zero would be read forever; a FIFO would block on open; a 2 MiB file is no config.
    auto zero = run({bin_dir() + "/motcuad", "--check-config", "/dev/zero"}, std::chrono::seconds(10));
    EXPECT_EQ(zero.exit_code, 78);
    EXPECT_NE(zero.err.find("/dev/zero:0:0: cannot read the config file: it is not a regular file"), std::string::npos)
        << zero.err;

    TempDir dir;
    ASSERT_EQ(::mkfifo(dir.file("fifo.toml").c_str(), 0600), 0);
    auto fifo = run({bin_dir() + "/motcuad", "--check-config", dir.file("fifo.toml")}, std::chrono::seconds(10));
    EXPECT_EQ(fifo.exit_code, 78);
    EXPECT_NE(fifo.err.find("not a regular file"), std::string::npos) << fifo.err;

    dir.write("huge.toml", "# " + std::string(2 * 1024 * 1024, 'x') + "\n");
    auto huge = run({bin_dir() + "/motcuad", "--check-config", dir.file("huge.toml")}, std::chrono::seconds(10));
    EXPECT_EQ(huge.exit_code, 78);
    EXPECT_NE(huge.err.find("more than the 1048576 bytes"), std::string::npos) << huge.err;
}

TEST(CheckConfig, DaemonRefusesABrokenConfigWith78)
{
    TempDir dir;
    dir.write("bad.toml", "[office]\nname = 1\n");
    auto out = run({bin_dir() + "/motcuad", "--config", dir.file("bad.toml"), "--state-dir", dir.path(), "--socket",
                    dir.file("s")});
    EXPECT_EQ(out.exit_code, 78);
    EXPECT_NE(out.err.find("bad.toml:2:8"), std::string::npos) << out.err;
}

} // namespace
