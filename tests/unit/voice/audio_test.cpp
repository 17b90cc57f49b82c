// WAV encoding/decoding and the mixing maths, checked against what the formats and the
// arithmetic say, not against the code's own output.

#include "voice/audio.hpp"
#include "voice/fifo.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace motcua::voice
{
namespace
{

std::vector<std::uint8_t> bytes(std::initializer_list<int> list)
{
    std::vector<std::uint8_t> out;
    for (int b : list)
        out.push_back(static_cast<std::uint8_t>(b));
    return out;
}

TEST(VoiceAudio, EncodesTheCanonicalHeader)
{
    Pcm p{16000, {1, -2}};
    auto wav = encode_wav(p);
    auto expected = bytes({'R', 'I', 'F', 'F', 40, 0, 0, 0, 'W', 'A', 'V', 'E', 'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 1, 0,
                           0x80, 0x3e, 0, 0, 0, 0x7d, 0, 0, 2, 0, 16, 0, 'd', 'a', 't', 'a', 4, 0, 0, 0, 1, 0, 0xfe, 0xff});
    EXPECT_EQ(wav, expected);
    auto back = decode_wav(wav);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->rate, 16000);
    EXPECT_EQ(back->samples, p.samples);
}

TEST(VoiceAudio, DecodeSkipsOtherChunksAndRejectsWrongFormats)
{
    auto wav = encode_wav(Pcm{8000, {7, 8, 9}});
    // A LIST chunk of 3 bytes (padded to 4) between fmt and data.
    auto list = bytes({'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0});
    wav.insert(wav.begin() + 36, list.begin(), list.end());
    auto p = decode_wav(wav);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->samples, (std::vector<std::int16_t>{7, 8, 9}));

    auto stereo = encode_wav(Pcm{8000, {1, 2}});
    stereo[22] = 2;
    EXPECT_EQ(decode_wav(stereo).error().message, "2 channels: save as mono");
    auto eight_bit = encode_wav(Pcm{8000, {1}});
    eight_bit[34] = 8;
    EXPECT_EQ(decode_wav(eight_bit).error().message, "8-bit samples: save as 16-bit PCM");
    auto float_wav = encode_wav(Pcm{8000, {1}});
    float_wav[20] = 3;
    EXPECT_EQ(decode_wav(float_wav).error().message, "not PCM (format tag 3): save as 16-bit PCM");
    auto truncated = encode_wav(Pcm{8000, {1, 2, 3}});
    truncated.resize(truncated.size() - 2);
    EXPECT_EQ(decode_wav(truncated).error().code, "bad_wav");
    EXPECT_EQ(decode_wav(bytes({'I', 'D', '3', 4})).error().message, "not a RIFF/WAVE file");
}

TEST(VoiceAudio, LevelNormalisationHitsTheTargetAndRespectsThePeak)
{
    // A square wave of amplitude 1000: its RMS is 1000/32768.
    std::vector<std::int16_t> square(1000);
    for (std::size_t i = 0; i < square.size(); ++i)
        square[i] = i % 2 ? 1000 : -1000;
    normalise_level(square, 0.25);
    EXPECT_NEAR(rms_level(square), 0.25, 0.001);
    EXPECT_NEAR(std::abs(square[0]), 8192, 1);
    // A single click: the peak limit wins over the RMS target.
    std::vector<std::int16_t> click(1000, 0);
    click[10] = 100;
    normalise_level(click, 0.5, 0.5);
    EXPECT_NEAR(click[10], 16384, 1);
    std::vector<std::int16_t> silence(10, 0);
    normalise_level(silence, 0.3);
    EXPECT_EQ(silence, std::vector<std::int16_t>(10, 0));
}

TEST(VoiceAudio, FadesAreLinearAtBothEnds)
{
    std::vector<std::int16_t> s(10, 1000);
    fade_edges(s, 4);
    EXPECT_EQ(s, (std::vector<std::int16_t>{0, 250, 500, 750, 1000, 1000, 750, 500, 250, 0}));
}

TEST(VoiceAudio, JoinPutsGapsAndPausesBetweenParts)
{
    Pcm a{1000, std::vector<std::int16_t>(100, 3000)};
    Pcm b{1000, std::vector<std::int16_t>(50, -3000)};
    JoinStyle style{0.1, 0, 20, 200};
    auto j = join({&a, nullptr, &b}, 1000, style);
    ASSERT_TRUE(j);
    // 100 + gap 20 + pause 200 + gap 20 + 50 samples at 1 kHz.
    EXPECT_EQ(j->samples.size(), 390u);
    EXPECT_EQ(j->samples[100], 0);
    EXPECT_EQ(j->samples[339], 0);
    // Both parts brought to the same level: 0.1 of full scale.
    EXPECT_NEAR(std::abs(j->samples[0]), 3277, 1);
    EXPECT_NEAR(std::abs(j->samples[340]), 3277, 1);
    Pcm other{2000, {1}};
    EXPECT_EQ(join({&a, &other}, 1000, style).error().code, "rate_mismatch");
}

TEST(VoiceAudio, RepeatAndChime)
{
    Pcm a{1000, std::vector<std::int16_t>(10, 5)};
    EXPECT_EQ(repeat(a, 3, 100).samples.size(), 10u * 3 + 100 * 2);
    auto c = chime(16000);
    EXPECT_NEAR(c.seconds(), 0.93, 0.01);
    EXPECT_GT(rms_level(c.samples), 0.05);
}

Request req(Kind kind, std::int64_t ticket, int counter, Clock::time_point at)
{
    Request r;
    r.kind = kind;
    r.ticket = ticket;
    r.counter = counter;
    r.label = std::to_string(ticket);
    r.committed = at;
    return r;
}

TEST(VoiceFifo, OrderMergeBoundAndAge)
{
    auto t0 = Clock::time_point{} + std::chrono::hours(1);
    Fifo f(3, std::chrono::seconds(60));
    EXPECT_FALSE(f.push(req(Kind::call, 1, 1, t0)).merged);
    EXPECT_FALSE(f.push(req(Kind::call, 2, 2, t0)).merged);
    // A recall of ticket 1 while its call still waits: merged, no new entry.
    auto pushed = f.push(req(Kind::recall, 1, 1, t0));
    EXPECT_TRUE(pushed.merged);
    EXPECT_EQ(f.size(), 2u);
    // A call of ticket 2 again is not a recall: it is not merged.
    EXPECT_FALSE(f.push(req(Kind::call, 3, 3, t0)).merged);
    // Full (3): the fourth drops the oldest.
    pushed = f.push(req(Kind::call, 4, 1, t0 + std::chrono::seconds(1)));
    ASSERT_EQ(pushed.dropped.size(), 1u);
    EXPECT_EQ(pushed.dropped[0].request.ticket, 1);
    EXPECT_EQ(pushed.dropped[0].request.merged_recalls, 1);
    EXPECT_EQ(pushed.dropped[0].reason, "queue_full");
    // 60.5 s later the ones committed at t0 are too old; ticket 4 (t0 + 1 s) is not.
    std::vector<Dropped> dropped;
    auto next = f.pop(t0 + std::chrono::milliseconds(60500), dropped);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->ticket, 4);
    ASSERT_EQ(dropped.size(), 2u);
    EXPECT_EQ(dropped[0].request.ticket, 2);
    EXPECT_EQ(dropped[1].request.ticket, 3);
    EXPECT_EQ(dropped[1].reason, "too_old");
    EXPECT_TRUE(f.empty());
    // A recall of a ticket no longer waiting is announced again.
    EXPECT_FALSE(f.push(req(Kind::recall, 4, 1, t0)).merged);
    EXPECT_EQ(f.clear("stopped").size(), 1u);
}

} // namespace
} // namespace motcua::voice
