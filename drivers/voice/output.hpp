#pragma once

// The announcer's two ends: a Synthesizer turns an announcement's words into sound (a
// clip pack, or espeak-ng), a Sink plays it (ALSA) or records it (a folder of WAV files).
// Both run on the announcer's worker thread only, never on the io_context.

#include "util/result.hpp"
#include "voice/audio.hpp"
#include "voice/fifo.hpp"

#include <functional>
#include <string>
#include <vector>

namespace motcua::voicedrv
{

class Synthesizer
{
  public:
    virtual ~Synthesizer() = default;
    virtual std::string name() const = 0;
    // The announcement's sound. `syllables` is voice::syllables(text).
    virtual Result<voice::Pcm> say(const std::string& text, const std::vector<std::string>& syllables) = 0;
    // The chime before an announcement, at the voice's rate.
    virtual voice::Pcm chime() = 0;
};

class Sink
{
  public:
    virtual ~Sink() = default;
    virtual std::string name() const = 0; // "alsa:plughw:1,0", "file:/var/lib/motcua/voice"
    // Plays (or records) `pcm` to the end. `first_sample` is called once the first samples
    // are handed to the device or the file. Blocks the worker thread, never the daemon.
    virtual Result<void> play(const voice::Pcm& pcm, const voice::Request& what,
                              const std::function<void()>& first_sample) = 0;
    // True when the sink takes as long as the sound lasts (a sound card).
    virtual bool paced() const = 0;
    // Ends a play in progress soon (the announcer is stopping); any thread.
    virtual void interrupt() {}
};

} // namespace motcua::voicedrv
