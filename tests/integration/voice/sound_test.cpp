// The sound drivers without a sound card: espeak-ng's audio for our words, ALSA's "null"
// device, and a card that does not exist seen as an offline output, retried, the
// announcement dropped with its reason once too old, the announcer still alive.

#include "drivers/voice/announcer.hpp"
#include "drivers/voice/espeak.hpp"
#include "drivers/voice/sinks.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

namespace motcua::voicedrv
{
namespace
{
using namespace std::chrono_literals;

TEST(VoiceSound, EspeakSaysOurWordsAudiblyAndAtAPlausibleLength)
{
    EspeakSynthesizer espeak("vi", 150);
    voice::Speech speech;
    auto text = voice::announcement_text(voice::Kind::call, "TP-105", "", 3, speech);
    auto pcm = espeak.say(text, voice::syllables(text));
    ASSERT_TRUE(pcm) << pcm.error().message;
    EXPECT_GT(pcm->rate, 8000);
    // 17 syllables at 150 words per minute: a few seconds, not a blip, not a minute.
    EXPECT_GT(pcm->seconds(), 2.0);
    EXPECT_LT(pcm->seconds(), 12.0);
    EXPECT_GT(voice::rms_level(pcm->samples), 0.02);
    // A longer text takes longer.
    auto one = espeak.say("một", {"một"});
    ASSERT_TRUE(one);
    EXPECT_LT(one->seconds(), pcm->seconds() / 3);
    for (auto variant : {"vi-vn-x-central", "vi-vn-x-south"})
    {
        EspeakSynthesizer v(variant, 150);
        auto p = v.say("một trăm lẻ năm", {});
        ASSERT_TRUE(p) << variant << ": " << p.error().message;
        EXPECT_GT(voice::rms_level(p->samples), 0.02) << variant;
    }
}

TEST(VoiceSound, AlsaNullDevicePlays)
{
    AlsaSink sink("null");
    voice::Request r;
    r.label = "TP-001";
    bool started = false;
    auto played = sink.play(voice::tone(16000, 440, 200, 0.3), r, [&] { started = true; });
    ASSERT_TRUE(played) << played.error().message;
    EXPECT_TRUE(started);
}

TEST(VoiceSound, MissingCardIsAnOfflineOutputRetriedNeverAnExit)
{
    auto dir = std::filesystem::temp_directory_path() / ("motcua-sound-" + std::to_string(::getpid()));
    std::vector<std::unique_ptr<Sink>> sinks;
    sinks.push_back(std::make_unique<FileSink>(dir.string(), UtcOffset{}, false));
    sinks.push_back(std::make_unique<AlsaSink>("hw:97,0"));
    AnnouncerSettings s;
    s.chime = false;
    s.retry = 100ms;
    s.max_age = 700ms;
    Announcer a(s, std::make_unique<EspeakSynthesizer>("vi", 300), nullptr, std::move(sinks));
    a.start();
    voice::Request r;
    r.ticket = 1;
    r.label = "TP-001";
    r.text = "một";
    r.committed = voice::Clock::now();
    a.submit(r);
    auto until = std::chrono::steady_clock::now() + 10s;
    while (a.stats().dropped == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(20ms);
    auto st = a.stats();
    EXPECT_EQ(st.dropped, 1u); // dropped as too old for the hall after the retries
    ASSERT_EQ(st.sinks.size(), 2u);
    EXPECT_TRUE(st.sinks[0].online);
    EXPECT_FALSE(st.sinks[1].online);
    EXPECT_NE(st.sinks[1].error.find("cannot open sound device hw:97,0"), std::string::npos) << st.sinks[1].error;
    // The announcer goes on: the next one is recorded by the file sink (then retried again).
    r.ticket = 2;
    r.label = "TP-002";
    r.committed = voice::Clock::now();
    a.submit(r);
    until = std::chrono::steady_clock::now() + 10s;
    while (a.stats().dropped < 2 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(a.stats().dropped, 2u);
    a.stop();
    int wavs = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        wavs += e.path().extension() == ".wav" ? 1 : 0;
    EXPECT_EQ(wavs, 2);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace motcua::voicedrv
