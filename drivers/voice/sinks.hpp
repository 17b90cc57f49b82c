#pragma once

// Where announcements go: the box's audio jack through ALSA (no PulseAudio: a system
// service has no session), and a folder that records each one as a WAV file with its
// start and end times in a log (tests, the demo, sites that keep a record).

#include "drivers/voice/output.hpp"
#include "util/time.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace motcua::voicedrv
{

// Opens the device for each announcement and closes it after the last sample has
// played, so a USB sound card unplugged and plugged back works again, and nothing runs
// while nothing is said.
class AlsaSink : public Sink
{
  public:
    explicit AlsaSink(std::string device);
    std::string name() const override { return "alsa:" + device_; }
    Result<void> play(const voice::Pcm& pcm, const voice::Request& what,
                      const std::function<void()>& first_sample) override;
    bool paced() const override { return true; }
    void interrupt() override { interrupted_ = true; }

  private:
    std::string device_;
    std::atomic<bool> interrupted_{false};
};

// One file per announcement, "<n>-<label>-<kind>.wav", and one line per announcement in
// announcements.log: start and end (ISO, local), ticket, counter, kind, latency, file,
// words. When it is the only sink it keeps the pace of a speaker: the next announcement
// starts when this one would have ended, so the log shows what a hall would hear.
class FileSink : public Sink
{
  public:
    FileSink(std::string dir, UtcOffset tz, bool pace);
    std::string name() const override { return "file:" + dir_; }
    Result<void> play(const voice::Pcm& pcm, const voice::Request& what,
                      const std::function<void()>& first_sample) override;
    bool paced() const override { return pace_; }
    // Wakes a paced wait (the announcer is stopping).
    void interrupt() override;

  private:
    std::string dir_;
    UtcOffset tz_;
    bool pace_;
    bool interrupted_ = false;
    std::mutex mutex_;
    std::condition_variable wake_;
};

} // namespace motcua::voicedrv
