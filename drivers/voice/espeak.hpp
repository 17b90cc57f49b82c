#pragma once

// The built-in voice when no clip pack is installed: espeak-ng (libespeak-ng), fed the
// words our normaliser wrote, never raw digits. espeak-ng keeps global state: one
// EspeakSynthesizer per process, used from the announcer's worker thread only.

#include "drivers/voice/output.hpp"

#include <string>

namespace motcua::voicedrv
{

class EspeakSynthesizer : public Synthesizer
{
  public:
    // `voice_name`: vi, vi-vn-x-central or vi-vn-x-south; `rate_wpm`: words per minute.
    EspeakSynthesizer(std::string voice_name, int rate_wpm);
    std::string name() const override { return "espeak-ng:" + voice_; }
    Result<voice::Pcm> say(const std::string& text, const std::vector<std::string>& syllables) override;
    voice::Pcm chime() override;

  private:
    Result<void> initialise();
    std::string voice_;
    int rate_wpm_;
    int sample_rate_ = 0; // 0 until espeak-ng is initialised (on first use)
};

} // namespace motcua::voicedrv
