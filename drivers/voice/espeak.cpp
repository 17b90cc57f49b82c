#include "drivers/voice/espeak.hpp"

#include <espeak-ng/speak_lib.h>

#include <cstring>
#include <mutex>

namespace motcua::voicedrv
{

namespace
{

// espeak-ng's state is global: one synthesis at a time in the process.
std::mutex espeak_mutex;

int on_samples(short* wav, int count, espeak_EVENT* events)
{
    if (wav && count > 0 && events && events->user_data)
    {
        auto* out = static_cast<std::vector<std::int16_t>*>(events->user_data);
        out->insert(out->end(), wav, wav + count);
    }
    return 0; // go on
}

} // namespace

EspeakSynthesizer::EspeakSynthesizer(std::string voice_name, int rate_wpm)
    : voice_(std::move(voice_name)), rate_wpm_(rate_wpm)
{
}

Result<void> EspeakSynthesizer::initialise()
{
    if (sample_rate_ > 0)
        return {};
    int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0)
        return Error{"espeak_failed", "espeak-ng did not start (is espeak-ng-data installed?)"};
    espeak_SetSynthCallback(on_samples);
    if (espeak_SetVoiceByName(voice_.c_str()) != EE_OK)
        return Error{"espeak_failed", "espeak-ng has no voice \"" + voice_ + "\""};
    espeak_SetParameter(espeakRATE, rate_wpm_, 0);
    sample_rate_ = rate;
    return {};
}

Result<voice::Pcm> EspeakSynthesizer::say(const std::string& text, const std::vector<std::string>&)
{
    std::lock_guard lock(espeak_mutex);
    if (auto r = initialise(); !r)
        return r.error();
    voice::Pcm pcm;
    pcm.rate = sample_rate_;
    auto status = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr,
                               &pcm.samples);
    if (status != EE_OK)
        return Error{"espeak_failed", "espeak-ng could not say the announcement (status " + std::to_string(status) + ")"};
    if (pcm.samples.empty())
        return Error{"espeak_failed", "espeak-ng produced no sound"};
    return pcm;
}

voice::Pcm EspeakSynthesizer::chime()
{
    std::lock_guard lock(espeak_mutex);
    (void)initialise();
    return voice::chime(sample_rate_ > 0 ? sample_rate_ : 22050);
}

} // namespace motcua::voicedrv
