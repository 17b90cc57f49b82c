// The announcer's latency: from the moment a committed call reaches it (Application's
// listener hands it over right after the journal commit) to the first sample written to
// the sink, through synthesis. Once with a clip pack (generated here: a tone per
// syllable), once with espeak-ng. Printed beside the announcement's audio length, the
// floor a listener waits for anyway. Targets (issue 14): p99 <= 50 ms with a pack,
// <= 300 ms with espeak-ng. Nothing is asserted.

#include "drivers/voice/announcer.hpp"
#include "drivers/voice/clip_pack.hpp"
#include "drivers/voice/espeak.hpp"
#include "drivers/voice/sinks.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>

using namespace motcua;
namespace fs = std::filesystem;

namespace
{

struct Figures
{
    std::vector<double> latency_ms;
    double audio_s = 0;
};

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

Figures measure(std::unique_ptr<voicedrv::Synthesizer> synth, const std::string& out_dir, const voice::Speech& speech,
                int count)
{
    Figures f;
    std::vector<std::unique_ptr<voicedrv::Sink>> sinks;
    sinks.push_back(std::make_unique<voicedrv::FileSink>(out_dir, UtcOffset{}, false));
    voicedrv::AnnouncerSettings settings;
    settings.chime = true;
    voicedrv::Announcer a(settings, std::move(synth), nullptr, std::move(sinks));
    std::promise<void>* said = nullptr;
    a.on_first_sample = [&](const voice::Request& r, const voice::Pcm& pcm) {
        f.latency_ms.push_back(std::chrono::duration<double, std::milli>(voice::Clock::now() - r.committed).count());
        f.audio_s = pcm.seconds();
    };
    a.on_said = [&](const voice::Request&) { said->set_value(); };
    a.start();
    for (int i = 0; i < count; ++i)
    {
        std::promise<void> done;
        said = &done;
        voice::Request r;
        r.ticket = i + 1;
        r.counter = 1 + i % 9;
        r.label = "TP-" + std::to_string(100 + i);
        r.text = voice::announcement_text(voice::Kind::call, r.label, "TP", r.counter, speech);
        r.committed = voice::Clock::now();
        a.submit(std::move(r));
        done.get_future().wait();
    }
    a.stop();
    return f;
}

void print(const char* what, const Figures& f, double target_ms)
{
    std::printf("%-22s n=%zu  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (target p99 <= %.0f ms)  audio %.2f s per "
                "announcement\n",
                what, f.latency_ms.size(), percentile(f.latency_ms, 0.5), percentile(f.latency_ms, 0.99),
                percentile(f.latency_ms, 1.0), target_ms, f.audio_s);
}

} // namespace

int main()
{
    spdlog::set_level(spdlog::level::warn); // one line per announcement would hide the figures
    auto base = fs::temp_directory_path() / ("motcua-bench-voice-" + std::to_string(::getpid()));
    fs::create_directories(base / "pack");
    voice::Speech speech;
    speech.counters = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    speech.services["TP"] = voice::ServiceSpeech{"TP-", "", "", "", 1, 999};
    // A pack at 22050 Hz: 300 ms of tone per syllable, a chime.
    std::ofstream(base / "pack" / "pack.toml") << "rate = 22050\nchime = \"chime.wav\"\n";
    auto write = [&](const std::string& name, const voice::Pcm& pcm) {
        auto wav = voice::encode_wav(pcm);
        std::ofstream(base / "pack" / name, std::ios::binary)
            .write(reinterpret_cast<const char*>(wav.data()), static_cast<std::streamsize>(wav.size()));
    };
    auto needed = voice::needed_syllables(speech);
    for (std::size_t i = 0; i < needed.size(); ++i)
        write(needed[i] + ".wav", voice::tone(22050, 300 + 10.0 * static_cast<double>(i), 300, 0.3));
    write("chime.wav", voice::chime(22050));
    auto pack = voicedrv::ClipSynthesizer::load((base / "pack").string(), needed);
    if (!pack)
    {
        std::fprintf(stderr, "pack: %s\n", pack.error().message.c_str());
        return 1;
    }
    std::printf("Announcer latency, committed call -> first sample in the sink (file sink, unpaced)\n");
    print("clip pack", measure(std::move(pack.value()), (base / "out-pack").string(), speech, 200), 50);
    print("espeak-ng (vi)",
          measure(std::make_unique<voicedrv::EspeakSynthesizer>("vi", 150), (base / "out-espeak").string(), speech, 50), 300);
    fs::remove_all(base);
    return 0;
}
