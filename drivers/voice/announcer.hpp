#pragma once

// The announcer: one FIFO of announcements said one after the other on a worker thread,
// so the daemon never waits for a sound card. Announcements never overlap and never cut
// each other; calls committed in a burst are each said, in commit order; a recall of a
// ticket still waiting is merged with it; the queue is bounded (size, age) and every drop
// is logged with its reason. A sound output that fails is a device state (online /
// offline, logged on transitions) and is tried again, never an exit. While nothing is
// said the worker sleeps on a condition variable: no CPU.

#include "drivers/voice/output.hpp"
#include "voice/fifo.hpp"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace motcua::voicedrv
{

struct AnnouncerSettings
{
    std::size_t queue_limit = 20;
    std::chrono::milliseconds max_age{120'000};
    bool chime = true;
    int repeat = 1;
    int repeat_gap_ms = 700;
    std::chrono::milliseconds retry{3000};
};

struct SinkState
{
    std::string name;
    bool online = true; // until a play fails
    std::string error;  // the last failure
};

class Announcer
{
  public:
    // `primary` says announcements; `fallback` (may be null) says those `primary` cannot
    // (a clip missing from the pack).
    Announcer(AnnouncerSettings settings, std::unique_ptr<Synthesizer> primary, std::unique_ptr<Synthesizer> fallback,
              std::vector<std::unique_ptr<Sink>> sinks);
    ~Announcer(); // stops: the one being said ends, the waiting ones are dropped (logged)
    Announcer(const Announcer&) = delete;
    Announcer& operator=(const Announcer&) = delete;

    void start();
    void stop();
    // Queues an announcement (any thread; returns at once).
    void submit(voice::Request r);

    struct Stats
    {
        std::size_t waiting = 0;
        std::uint64_t said = 0;
        std::uint64_t dropped = 0;
        std::uint64_t merged = 0;
        std::vector<SinkState> sinks;
        std::string voice;
    };
    Stats stats() const;

    // Called on the worker thread when an announcement's first samples reach the first
    // sink (latency: now - request.committed) and when it has been said by every sink.
    std::function<void(const voice::Request&, const voice::Pcm&)> on_first_sample;
    std::function<void(const voice::Request&)> on_said;

  private:
    void run();
    void say(voice::Request r);
    Result<voice::Pcm> render(const voice::Request& r);
    // Plays on every sink; an offline sink is retried until the announcement is too old.
    void play_everywhere(const voice::Request& r, const voice::Pcm& pcm);
    void set_sink_state(std::size_t i, bool online, const std::string& error);
    void log_dropped(const std::vector<voice::Dropped>& dropped);
    bool wait_retry(const voice::Request& r);

    AnnouncerSettings settings_;
    std::unique_ptr<Synthesizer> primary_, fallback_;
    std::vector<std::unique_ptr<Sink>> sinks_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    voice::Fifo fifo_;
    bool stopping_ = false;
    Stats stats_;
    std::thread worker_;
};

} // namespace motcua::voicedrv
