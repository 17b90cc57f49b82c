// Calling numbers aloud end to end: clerks press NEXT on the keypads of a simulated bus,
// motcuad commits the calls and the announcer says them through espeak-ng into the file
// sink (record_dir), which keeps a speaker's pace. The log it writes is the tests' ear.

#include "office.hpp"
#include "voice/audio.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

namespace motcua::testing
{
namespace
{
using nlohmann::json;
using namespace std::chrono_literals;

const int kCounters = 10;

std::string office_config(const std::string& voice_extra, bool with_bus)
{
    std::ostringstream c;
    c << R"([office]
name = "Thử nghiệm loa"
unit_code = "000.00.00.H99"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 299
prefix = "TP-"

[register]
database = "motcua.db"

[voice]
alsa_device = "none"
record_dir = "voice"
chime = false
espeak_rate = 450
)" << voice_extra
      << "\n";
    for (int n = 1; n <= kCounters; ++n)
        c << "[[counter]]\nnumber = " << n << "\nservices = [\"TP\"]\n\n";
    if (with_bus)
    {
        c << "[[bus]]\nname = \"bus-1\"\ndevice = \"dev/bus-1\"\nbaud = 115200\nparity = \"N\"\nstop_bits = 2\n"
             "min_poll_period_ms = 10\nheartbeat_period_ms = 300\n\n";
        for (int n = 1; n <= kCounters; ++n)
            c << "[[device]]\nbus = \"bus-1\"\nslave = " << 10 + n << "\nrole = \"keypad\"\ncounter = " << n << "\n\n";
    }
    return c.str();
}

struct Said
{
    std::string start, end, kind, ticket, file, words;
    int counter = 0;
    int merged_recalls = 0;
};

std::string field(const std::string& line, const std::string& key)
{
    std::smatch m;
    std::regex re(key + "=(\"[^\"]*\"|\\S+)");
    if (!std::regex_search(line, m, re))
        return "";
    auto v = m[1].str();
    return v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : v;
}

class Voice : public ::testing::Test
{
  protected:
    OfficeHarness office;
    TempDir& dir = office.dir;
    std::unique_ptr<Child>& daemon = office.daemon;

    void start(const std::string& voice_extra, bool with_bus)
    {
        office.write_config(office_config(voice_extra, with_bus));
        if (with_bus)
        {
            ASSERT_TRUE(office.start_sim()) << office.sim_log();
        }
        ASSERT_TRUE(office.start_daemon()) << office.log();
    }

    Output ctl(std::vector<std::string> args) { return office.ctl(std::move(args)); }
    void ctl_ok(const std::vector<std::string>& args)
    {
        auto out = ctl(args);
        EXPECT_EQ(out.exit_code, 0) << args[0] << ": " << out.err << office.log();
    }
    void press(int counter, const std::string& key)
    {
        auto out = office.sim_ctl({"press", std::to_string(counter), key});
        EXPECT_EQ(out.exit_code, 0) << out.err;
    }

    std::vector<Said> said()
    {
        std::vector<Said> out;
        std::istringstream in(read_file(dir.file("voice/announcements.log")));
        for (std::string line; std::getline(in, line);)
            out.push_back(Said{field(line, "start"), field(line, "end"), field(line, "kind"), field(line, "ticket"),
                               field(line, "file"), field(line, "words"), std::stoi(field(line, "counter")),
                               std::stoi(field(line, "merged_recalls"))});
        return out;
    }

    static bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds limit)
    {
        return OfficeHarness::eventually(ok, limit);
    }

    std::string sql(const std::string& q) { return office.sql(q); }
};

TEST_F(Voice, BurstOfKeypadCallsIsSaidInCommitOrderWithoutOverlap)
{
    start("", true);
    for (int i = 0; i < 12; ++i)
        ctl_ok({"issue", "TP"});
    for (int n = 1; n <= kCounters; ++n)
        ctl_ok({"open", std::to_string(n), "--officer", "cb" + std::to_string(n)});
    // Ten clerks press NEXT within a second; counter 10 presses RECALL straight after,
    // while its call is still waiting behind the others: merged, said once.
    auto burst_start = std::chrono::steady_clock::now();
    for (int n = 1; n <= kCounters; ++n)
        press(n, "next");
    // Timing is not asserted in ctest (a sanitizer build spawns the presses slower); the
    // announcer's queue, paced at speaking speed, is what makes this a burst for it.
    const auto burst = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                             burst_start);
    std::cout << "burst of " << kCounters << " presses took " << burst.count() << " ms\n";
    ASSERT_TRUE(eventually([&] { return sql("SELECT COUNT(*) FROM journal WHERE kind = 'called'") == "10"; }, 10s));
    press(10, "recall");
    ASSERT_TRUE(eventually([&] { return sql("SELECT COUNT(*) FROM journal WHERE kind = 'recalled'") == "1"; }, 10s));

    ASSERT_TRUE(eventually([&] { return said().size() >= 10; }, 90s)) << read_file(dir.file("motcuad.log"));
    std::this_thread::sleep_for(3s); // nothing more comes: the recall was merged
    auto log = said();
    ASSERT_EQ(log.size(), 10u) << read_file(dir.file("voice/announcements.log"));

    // Commit order: the journal's "called" rows, ticket ids 1..12 being TP-001..TP-012.
    auto order = sql("SELECT group_concat(ticket, ',') FROM (SELECT ticket FROM journal WHERE kind = 'called' ORDER BY seq)");
    std::string said_order;
    for (const auto& s : log)
        said_order += (said_order.empty() ? "" : ",") + std::to_string(std::stoi(s.ticket.substr(3)));
    EXPECT_EQ(said_order, order);
    for (std::size_t i = 0; i < log.size(); ++i)
    {
        EXPECT_EQ(log[i].kind, "call");
        if (i > 0)
        {
            EXPECT_LE(log[i - 1].end, log[i].start) << "announcement " << i << " overlaps the one before";
        }
        // The words are ours: no raw digits reach the voice.
        EXPECT_EQ(log[i].words.find_first_of("0123456789"), std::string::npos) << log[i].words;
        // Each file is a non-silent WAV of the length the log gives.
        auto bytes = read_file(dir.file("voice/" + log[i].file));
        auto pcm = voice::decode_wav(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
        ASSERT_TRUE(pcm) << log[i].file;
        EXPECT_GT(voice::rms_level(pcm->samples), 0.01);
        EXPECT_GT(pcm->seconds(), 1.0);
    }
    // The one merged recall is counter 10's call.
    int merged = 0;
    for (const auto& s : log)
        if (s.merged_recalls > 0)
        {
            ++merged;
            EXPECT_EQ(s.counter, 10);
        }
    EXPECT_EQ(merged, 1);
    EXPECT_NE(read_file(dir.file("motcuad.log")).find("Recall merged with the waiting announcement"), std::string::npos);
    // The first: counter 1's ticket, read the Vietnamese way.
    EXPECT_EQ(log[0].words, "Xin mời công dân có số thứ tự một đến quầy số một");
}

TEST_F(Voice, BoundedQueueDropsTheOldestWithALogLine)
{
    start("queue_limit = 2\n", false);
    for (int i = 0; i < 6; ++i)
        ctl_ok({"issue", "TP"});
    for (int n = 1; n <= 6; ++n)
        ctl_ok({"open", std::to_string(n), "--officer", "cb"});
    for (int n = 1; n <= 6; ++n)
        ctl_ok({"call", std::to_string(n)});
    // The first is being said; of the five behind it only the newest two fit.
    ASSERT_TRUE(eventually([&] { return said().size() >= 3; }, 60s)) << read_file(dir.file("motcuad.log"));
    std::this_thread::sleep_for(2s);
    auto log = said();
    auto daemon_log = read_file(dir.file("motcuad.log"));
    int dropped = 0;
    for (std::size_t at = daemon_log.find("reason=queue_full"); at != std::string::npos;
         at = daemon_log.find("reason=queue_full", at + 1))
        ++dropped;
    EXPECT_EQ(static_cast<int>(log.size()) + dropped, 6) << daemon_log;
    EXPECT_GE(dropped, 1);
    EXPECT_NE(daemon_log.find("Announcement dropped ticket="), std::string::npos);
    EXPECT_EQ(log.back().ticket, "TP-006"); // the newest is never the one dropped
}

// A reload that leaves [voice] alone keeps the announcer (and what waits in it); one that
// changes what is said starts a new announcer with the new words. Either way each call is
// said once.
TEST_F(Voice, AReloadRestartsTheVoiceOnlyWhenItsSetupChanged)
{
    start("", false);
    auto reload_count = [&] {
        auto log = read_file(dir.file("motcuad.log"));
        int n = 0;
        for (auto at = log.find("Configuration reloaded"); at != std::string::npos; at = log.find("Configuration reloaded", at + 1))
            ++n;
        return n;
    };
    auto reload = [&](const std::string& voice_extra, int reloads) {
        office.write_config(office_config(voice_extra, false));
        daemon->signal(SIGHUP);
        ASSERT_TRUE(eventually([&] { return reload_count() == reloads; }, 10s)) << read_file(dir.file("motcuad.log"));
    };
    for (int i = 0; i < 3; ++i)
        ctl_ok({"issue", "TP"});
    for (int n = 1; n <= 3; ++n)
        ctl_ok({"open", std::to_string(n), "--officer", "cb"});

    reload("", 1);
    ctl_ok({"call", "1"});
    ASSERT_TRUE(eventually([&] { return said().size() == 1; }, 30s)) << read_file(dir.file("motcuad.log"));
    EXPECT_EQ(read_file(dir.file("motcuad.log")).find("Voice restarted by the reload"), std::string::npos);

    reload("call = \"Mời số {number} tới {counter}\"\n", 2);
    EXPECT_NE(read_file(dir.file("motcuad.log")).find("Voice restarted by the reload"), std::string::npos);
    ctl_ok({"call", "2"});
    ASSERT_TRUE(eventually([&] { return said().size() == 2; }, 30s)) << read_file(dir.file("motcuad.log"));
    std::this_thread::sleep_for(500ms); // a second listener would say it twice by now
    auto log = said();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].words, "Xin mời công dân có số thứ tự một đến quầy số một");
    EXPECT_EQ(log[1].words, "Mời số hai tới quầy số hai");
}

TEST_F(Voice, CtlPrintsTheWordsAndChecksAClipPack)
{
    start("dialect = \"south\"\n", false);
    auto out = ctl({"voice", "text", "105"});
    EXPECT_EQ(out.out, "một trăm lẻ năm\n");
    out = ctl({"voice", "text", "105", "--dialect", "north"});
    EXPECT_EQ(out.out, "một trăm linh năm\n");
    out = ctl({"voice", "text", "--ticket", "TP-024", "--counter", "3"});
    EXPECT_EQ(out.out, "Xin mời công dân có số thứ tự hai mươi tư đến quầy số ba\n");
    out = ctl({"voice", "text", "--ticket", "TP-015", "--counter", "10", "--recall"});
    EXPECT_EQ(out.out, "Xin mời lần thứ hai, công dân có số thứ tự mười lăm đến quầy số mười\n");

    // A pack with every clip but "lăm", and "mười" in stereo.
    auto clips = json::parse(ctl({"--json", "voice", "clips"}).out);
    std::vector<std::string> needed = clips["clips"];
    ASSERT_FALSE(needed.empty());
    std::string pack = dir.file("pack");
    std::filesystem::create_directories(pack);
    std::ofstream(pack + "/pack.toml") << "name = \"test\"\nrate = 16000\n";
    for (const auto& syl : needed)
    {
        if (syl == "lăm")
            continue;
        auto wav = voice::encode_wav(voice::tone(16000, 440, 100, 0.3));
        if (syl == "mười")
            wav[22] = 2;
        std::ofstream(pack + "/" + syl + ".wav", std::ios::binary)
            .write(reinterpret_cast<const char*>(wav.data()), static_cast<std::streamsize>(wav.size()));
    }
    out = ctl({"voice", "clips", "--check", pack});
    EXPECT_EQ(out.exit_code, 2) << out.err;
    EXPECT_NE(out.out.find("lăm  lăm.wav  missing"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("mười  mười.wav  wrong format: 2 channels: save as mono"), std::string::npos) << out.out;
    // chime = false in this config: no chime is asked for.
    EXPECT_EQ(out.out.find("(chime)"), std::string::npos) << out.out;
}

TEST_F(Voice, IncompletePackIsReportedAtStart)
{
    std::string pack = dir.file("pack");
    std::filesystem::create_directories(pack);
    std::ofstream(pack + "/pack.toml") << "rate = 16000\n";
    start("clips = \"" + pack + "\"\n", false);
    EXPECT_TRUE(eventually([&] { return read_file(dir.file("motcuad.log")).find("Clip pack incomplete") != std::string::npos; }, 5s))
        << read_file(dir.file("motcuad.log"));
}

} // namespace
} // namespace motcua::testing
