#include "voice/audio.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace motcua::voice
{

namespace
{

std::uint32_t read_u32(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
           static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}
std::uint16_t read_u16(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v)
{
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put_tag(std::vector<std::uint8_t>& out, const char* tag)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<std::uint8_t>(tag[i]));
}
bool tag_is(std::span<const std::uint8_t> b, std::size_t at, const char* tag)
{
    return std::equal(tag, tag + 4, b.begin() + static_cast<std::ptrdiff_t>(at));
}
Error bad(const std::string& message) { return Error{"bad_wav", message}; }

std::int16_t clamp16(double v)
{
    return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
}

std::size_t samples_for_ms(int rate, int ms)
{
    return static_cast<std::size_t>(std::max(0, ms)) * static_cast<std::size_t>(std::max(0, rate)) / 1000;
}

} // namespace

Result<Pcm> decode_wav(std::span<const std::uint8_t> b)
{
    if (b.size() < 12 || !tag_is(b, 0, "RIFF") || !tag_is(b, 8, "WAVE"))
        return bad("not a RIFF/WAVE file");
    bool have_fmt = false;
    Pcm pcm;
    std::size_t at = 12;
    while (at + 8 <= b.size())
    {
        std::uint32_t size = read_u32(b, at + 4);
        std::size_t body = at + 8;
        if (size > b.size() - body)
            return bad("truncated: chunk at byte " + std::to_string(at) + " runs past the end of the file");
        if (tag_is(b, at, "fmt "))
        {
            if (size < 16)
                return bad("the fmt chunk is too short");
            auto format = read_u16(b, body);
            auto channels = read_u16(b, body + 2);
            auto rate = read_u32(b, body + 4);
            auto bits = read_u16(b, body + 14);
            if (format != 1)
                return bad("not PCM (format tag " + std::to_string(format) + "): save as 16-bit PCM");
            if (bits != 16)
                return bad(std::to_string(bits) + "-bit samples: save as 16-bit PCM");
            if (channels != 1)
                return bad(std::to_string(channels) + " channels: save as mono");
            if (rate < 8000 || rate > 192000)
                return bad("sample rate " + std::to_string(rate) + " Hz is out of range");
            pcm.rate = static_cast<int>(rate);
            have_fmt = true;
        }
        else if (tag_is(b, at, "data"))
        {
            if (!have_fmt)
                return bad("the data chunk comes before the fmt chunk");
            pcm.samples.resize(size / 2);
            for (std::size_t i = 0; i < pcm.samples.size(); ++i)
                pcm.samples[i] = static_cast<std::int16_t>(read_u16(b, body + 2 * i));
            return pcm;
        }
        at = body + size + (size & 1); // chunks are padded to even sizes
    }
    return bad(have_fmt ? "no data chunk" : "no fmt chunk");
}

std::vector<std::uint8_t> encode_wav(const Pcm& pcm)
{
    std::vector<std::uint8_t> out;
    auto data_bytes = static_cast<std::uint32_t>(pcm.samples.size() * 2);
    out.reserve(44 + data_bytes);
    put_tag(out, "RIFF");
    put_u32(out, 36 + data_bytes);
    put_tag(out, "WAVE");
    put_tag(out, "fmt ");
    put_u32(out, 16);
    put_u16(out, 1); // PCM
    put_u16(out, 1); // mono
    put_u32(out, static_cast<std::uint32_t>(pcm.rate));
    put_u32(out, static_cast<std::uint32_t>(pcm.rate) * 2);
    put_u16(out, 2);
    put_u16(out, 16);
    put_tag(out, "data");
    put_u32(out, data_bytes);
    for (auto s : pcm.samples)
        put_u16(out, static_cast<std::uint16_t>(s));
    return out;
}

double rms_level(std::span<const std::int16_t> samples)
{
    if (samples.empty())
        return 0.0;
    double sum = 0;
    for (auto s : samples)
        sum += static_cast<double>(s) * s;
    return std::sqrt(sum / static_cast<double>(samples.size())) / 32768.0;
}

void normalise_level(std::vector<std::int16_t>& samples, double target, double peak_limit)
{
    double rms = rms_level(samples);
    if (rms <= 0.0)
        return;
    int peak = 0;
    for (auto s : samples)
        peak = std::max(peak, std::abs(static_cast<int>(s)));
    double gain = target / rms;
    if (peak > 0)
        gain = std::min(gain, peak_limit * 32767.0 / peak);
    for (auto& s : samples)
        s = clamp16(s * gain);
}

void fade_edges(std::vector<std::int16_t>& samples, std::size_t n)
{
    n = std::min(n, samples.size() / 2);
    for (std::size_t i = 0; i < n; ++i)
    {
        double g = static_cast<double>(i) / static_cast<double>(n);
        samples[i] = clamp16(samples[i] * g);
        auto& tail = samples[samples.size() - 1 - i];
        tail = clamp16(tail * g);
    }
}

Result<Pcm> join(const std::vector<const Pcm*>& parts, int rate, const JoinStyle& style)
{
    Pcm out;
    out.rate = rate;
    auto gap = samples_for_ms(rate, style.gap_ms);
    auto pause = samples_for_ms(rate, style.pause_ms);
    auto fade = samples_for_ms(rate, style.fade_ms);
    for (std::size_t i = 0; i < parts.size(); ++i)
    {
        if (i > 0)
            out.samples.insert(out.samples.end(), gap, 0);
        if (!parts[i])
        {
            out.samples.insert(out.samples.end(), pause, 0);
            continue;
        }
        if (parts[i]->rate != rate)
            return Error{"rate_mismatch", "part " + std::to_string(i + 1) + " is at " +
                                              std::to_string(parts[i]->rate) + " Hz, the rest at " +
                                              std::to_string(rate) + " Hz"};
        auto samples = parts[i]->samples;
        normalise_level(samples, style.level);
        fade_edges(samples, fade);
        out.samples.insert(out.samples.end(), samples.begin(), samples.end());
    }
    return out;
}

Pcm repeat(const Pcm& pcm, int times, int gap_ms)
{
    Pcm out;
    out.rate = pcm.rate;
    for (int i = 0; i < std::max(1, times); ++i)
    {
        if (i > 0)
            out.samples.insert(out.samples.end(), samples_for_ms(pcm.rate, gap_ms), 0);
        out.samples.insert(out.samples.end(), pcm.samples.begin(), pcm.samples.end());
    }
    return out;
}

Pcm concat(const Pcm& first, const Pcm& second, int gap_ms)
{
    Pcm out = first;
    out.samples.insert(out.samples.end(), samples_for_ms(first.rate, gap_ms), 0);
    out.samples.insert(out.samples.end(), second.samples.begin(), second.samples.end());
    return out;
}

Pcm tone(int rate, double hz, int ms, double level)
{
    Pcm out;
    out.rate = rate;
    auto n = samples_for_ms(rate, ms);
    out.samples.resize(n);
    auto attack = samples_for_ms(rate, 10);
    for (std::size_t i = 0; i < n; ++i)
    {
        double t = static_cast<double>(i) / rate;
        double envelope = i < attack ? static_cast<double>(i) / static_cast<double>(attack)
                                     : std::exp(-3.0 * static_cast<double>(i - attack) / static_cast<double>(n));
        out.samples[i] = clamp16(32767.0 * level * envelope * std::sin(2 * std::numbers::pi * hz * t));
    }
    return out;
}

Pcm chime(int rate)
{
    // E5 then C5: the falling third of a hall chime.
    return concat(tone(rate, 659.25, 400, 0.4), tone(rate, 523.25, 500, 0.4), 30);
}

} // namespace motcua::voice
