#pragma once

// Calling numbers aloud inside the daemon (issue 14; docs/voice.md): builds the announcer
// from [voice], feeds it every committed "called" and "recalled" event in commit order,
// and reports the sound outputs as devices. The announcer's worker thread does the
// synthesis and the sound card; the io_context only formats the words and queues them.

#include "config/model.hpp"
#include "control/protocol.hpp"
#include "drivers/voice/announcer.hpp"
#include "drivers/voice/clip_pack.hpp"
#include "queue/event.hpp"

#include <memory>
#include <string>

namespace motcua::app
{

class Application;

class Voice
{
  public:
    explicit Voice(Application& app);
    ~Voice();
    Voice(const Voice&) = delete;
    Voice& operator=(const Voice&) = delete;

    // Checks the clip pack (logs what is missing) and starts the worker. Does nothing when
    // [voice] is absent or disabled.
    void start();
    void stop();
    // Whether `voice` is the setup this announcer was started with: a reload that leaves
    // [voice] and what it says alone keeps the announcer and its waiting announcements.
    bool same_setup(const config::Voice& voice) const { return voice == setup_; }

    // Fed by the Application with every committed queue event, in commit order.
    void on_queue_event(const queue::Event& e);

    // {"enabled", "voice", "waiting", "said", "dropped", "merged", "outputs": [{name, state, error}]}
    control::json report() const;
    // "voice 1/1 online" for systemd's status line; empty when voice is off.
    std::string status_part() const;

  private:
    Application& app_;
    config::Voice setup_;
    std::unique_ptr<voicedrv::Announcer> announcer_;
};

// The announcer for `cfg`: a clip pack when configured (espeak-ng says what the pack
// cannot), else espeak-ng; an ALSA sink and/or a file sink (record_dir, relative to
// `state_dir`). Also used by the voice benchmark.
std::unique_ptr<voicedrv::Announcer> make_announcer(const config::Config& cfg, const std::string& state_dir);

// The checks behind `voice.clips`: every clip `cfg` needs, and what `dir` lacks.
control::json clip_list_json(const config::Config& cfg);
control::json pack_report_json(const voicedrv::PackReport& r);

} // namespace motcua::app
