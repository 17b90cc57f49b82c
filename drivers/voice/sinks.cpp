#include "drivers/voice/sinks.hpp"

#include <alsa/asoundlib.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace motcua::voicedrv
{

namespace
{

namespace fs = std::filesystem;

Error alsa_error(const std::string& what, int code)
{
    return Error{"sound_failed", what + ": " + snd_strerror(code)};
}

// A file name part from a label: ASCII letters and digits, the rest as '_'.
std::string file_safe(const std::string& s)
{
    std::string out;
    for (char c : s)
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\\\"") : std::string(1, c);
    return out + "\"";
}

// alsa-lib prints its own errors on stderr; ours say the same once, on the transition.
void quiet_alsa_errors(const char*, int, const char*, int, const char*, ...) {}

} // namespace

AlsaSink::AlsaSink(std::string device) : device_(std::move(device))
{
    snd_lib_error_set_handler(quiet_alsa_errors);
}

Result<void> AlsaSink::play(const voice::Pcm& pcm, const voice::Request&, const std::function<void()>& first_sample)
{
    snd_pcm_t* handle = nullptr;
    // Opened non-blocking so a card held by another program is an error now, not a
    // worker stuck in open(); writes then block as playback needs.
    if (int rc = snd_pcm_open(&handle, device_.c_str(), SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK); rc < 0)
        return alsa_error("cannot open sound device " + device_, rc);
    std::unique_ptr<snd_pcm_t, int (*)(snd_pcm_t*)> guard(handle, snd_pcm_close);
    snd_pcm_nonblock(handle, 0);
    // 16-bit mono at the voice's rate; ALSA's plug layer converts for the card. 100 ms of
    // buffer: enough against scheduling hiccups, short enough to start at once.
    if (int rc = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                    static_cast<unsigned>(pcm.rate), 1, 100'000);
        rc < 0)
        return alsa_error("cannot set up sound device " + device_, rc);
    const std::int16_t* at = pcm.samples.data();
    auto left = static_cast<snd_pcm_sframes_t>(pcm.samples.size());
    bool first = true;
    while (left > 0)
    {
        if (interrupted_)
        {
            snd_pcm_drop(handle); // stopping: end now, do not play out the buffer
            return {};
        }
        auto chunk = std::min<snd_pcm_sframes_t>(left, pcm.rate / 20);
        auto written = snd_pcm_writei(handle, at, static_cast<snd_pcm_uframes_t>(chunk));
        if (written < 0)
        {
            // An underrun (the worker was late) is recovered; a vanished card is not.
            if (int rc = snd_pcm_recover(handle, static_cast<int>(written), 1); rc < 0)
                return alsa_error("sound device " + device_ + " failed", rc);
            continue;
        }
        if (first)
        {
            first_sample();
            first = false;
        }
        at += written;
        left -= written;
    }
    if (int rc = snd_pcm_drain(handle); rc < 0)
        return alsa_error("sound device " + device_ + " failed at the end", rc);
    return {};
}

FileSink::FileSink(std::string dir, UtcOffset tz, bool pace) : dir_(std::move(dir)), tz_(tz), pace_(pace) {}

void FileSink::interrupt()
{
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    wake_.notify_all();
}

Result<void> FileSink::play(const voice::Pcm& pcm, const voice::Request& what, const std::function<void()>& first_sample)
{
    std::error_code ec;
    fs::create_directories(dir_, ec);
    auto start = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto start_mono = voice::Clock::now();
    auto local = format_iso(start, tz_);
    std::string stamp;
    for (char c : local.substr(0, 23))
        if (std::isdigit(static_cast<unsigned char>(c)))
            stamp += c;
    auto name = stamp + "-" + file_safe(what.label) + (what.kind == voice::Kind::call ? "-call" : "-recall") + ".wav";
    auto path = (fs::path(dir_) / name).string();
    auto bytes = voice::encode_wav(pcm);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (!out)
            return Error{"record_failed", "cannot write " + path + ": " + std::strerror(errno)};
        first_sample();
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush())
            return Error{"record_failed", "cannot write " + path + ": " + std::strerror(errno)};
    }
    auto length = std::chrono::milliseconds(static_cast<long>(pcm.seconds() * 1000));
    if (pace_)
    {
        std::unique_lock lock(mutex_);
        wake_.wait_until(lock, start_mono + length, [&] { return interrupted_; });
    }
    auto end = start + length;
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(start_mono - what.committed).count();
    std::ofstream log((fs::path(dir_) / "announcements.log").string(), std::ios::app);
    log << "start=" << local << " end=" << format_iso(end, tz_) << " kind=" << (what.kind == voice::Kind::call ? "call" : "recall")
        << " ticket=" << what.label << " counter=" << what.counter << " merged_recalls=" << what.merged_recalls
        << " latency_ms=" << latency << " seconds=" << pcm.seconds() << " file=" << name << " words=" << quoted(what.text)
        << "\n";
    if (!log.flush())
        return Error{"record_failed", "cannot append to " + dir_ + "/announcements.log"};
    return {};
}

} // namespace motcua::voicedrv
