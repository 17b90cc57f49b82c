#pragma once

// A clip pack: a folder of WAV clips, one per syllable (and a chime), with a manifest
// pack.toml (docs/voice.md, "Recording a pack"):
//   name = "Giọng chị Hoa, UBND phường"
//   rate = 22050               # every clip: 16-bit PCM mono at this rate
//   chime = "chime.wav"        # optional
//   [clips]                    # optional: syllable -> file; default "<syllable>.wav"
//   "mười" = "muoi-huyen.wav"

#include "drivers/voice/output.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace motcua::voicedrv
{

inline constexpr const char* pack_manifest = "pack.toml";
inline constexpr const char* chime_clip = "(chime)";

struct PackProblem
{
    std::string clip;  // the syllable, or "(chime)"
    std::string file;  // the file it should be in
    std::string what;  // "missing", "unreadable: …", "wrong format: …"
};

struct PackReport
{
    std::string dir;
    std::string error;                 // the manifest itself is missing or wrong
    int rate = 0;
    std::vector<std::string> present;  // syllables found and usable
    std::vector<PackProblem> problems; // in the order of `needed`
    bool ok() const { return error.empty() && problems.empty(); }
};

// Checks that `dir` holds a usable clip for every syllable in `needed` (and the chime when
// `want_chime`).
PackReport check_pack(const std::string& dir, const std::vector<std::string>& needed, bool want_chime);

// Says an announcement from the pack's clips (joined, level-normalised, faded). A
// syllable without a usable clip is an Error naming it; the announcer then falls back.
class ClipSynthesizer : public Synthesizer
{
  public:
    // Loads every clip the manifest names plus every `needed` one found.
    static Result<std::unique_ptr<ClipSynthesizer>> load(const std::string& dir, const std::vector<std::string>& needed,
                                                         voice::JoinStyle style = {});
    std::string name() const override { return "clips:" + dir_; }
    Result<voice::Pcm> say(const std::string& text, const std::vector<std::string>& syllables) override;
    voice::Pcm chime() override;

  private:
    std::string dir_;
    int rate_ = 22050;
    voice::JoinStyle style_;
    std::map<std::string, voice::Pcm> clips_;
    std::optional<voice::Pcm> chime_;
};

} // namespace motcua::voicedrv
