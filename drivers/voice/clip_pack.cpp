#include "drivers/voice/clip_pack.hpp"

#include <toml++/toml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace motcua::voicedrv
{

namespace
{

namespace fs = std::filesystem;

struct Manifest
{
    int rate = 0;
    std::string chime;                        // file, or empty
    std::map<std::string, std::string> files; // syllable -> file
};

Result<Manifest> read_manifest(const std::string& dir)
{
    auto path = (fs::path(dir) / pack_manifest).string();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return Error{"no_pack", "no clip pack manifest " + path};
    auto parsed = toml::parse_file(path);
    if (!parsed)
    {
        const auto& e = parsed.error();
        return Error{"bad_pack", path + ":" + std::to_string(e.source().begin.line) + ":" +
                                     std::to_string(e.source().begin.column) + ": " + std::string(e.description())};
    }
    const auto& t = parsed.table();
    Manifest m;
    auto rate = t["rate"].value<std::int64_t>();
    if (!rate || *rate < 8000 || *rate > 192000)
        return Error{"bad_pack", path + ": `rate` must be the clips' sample rate, e.g. rate = 22050"};
    m.rate = static_cast<int>(*rate);
    m.chime = t["chime"].value_or(std::string());
    if (const auto* clips = t["clips"].as_table())
    {
        for (const auto& [key, value] : *clips)
        {
            auto file = value.value<std::string>();
            if (!file)
                return Error{"bad_pack", path + ": clips.\"" + std::string(key.str()) + "\" must be a file name"};
            m.files[std::string(key.str())] = *file;
        }
    }
    return m;
}

std::string file_for(const Manifest& m, const std::string& syllable)
{
    if (auto it = m.files.find(syllable); it != m.files.end())
        return it->second;
    return syllable + ".wav";
}

// The clip in `file` (relative to dir), or what is wrong with it.
Result<voice::Pcm> read_clip(const std::string& dir, const std::string& file, int rate)
{
    auto path = fs::path(dir) / file;
    std::error_code ec;
    if (!fs::exists(path, ec))
        return Error{"missing", "missing"};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"unreadable", std::string("unreadable: ") + std::strerror(errno)};
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return Error{"unreadable", "unreadable: read error"};
    auto pcm = voice::decode_wav(bytes);
    if (!pcm)
        return Error{"wrong_format", "wrong format: " + pcm.error().message};
    if (pcm->rate != rate)
        return Error{"wrong_format", "wrong format: " + std::to_string(pcm->rate) + " Hz, the pack is " +
                                         std::to_string(rate) + " Hz"};
    if (pcm->samples.empty())
        return Error{"wrong_format", "wrong format: no samples"};
    return pcm;
}

} // namespace

PackReport check_pack(const std::string& dir, const std::vector<std::string>& needed, bool want_chime)
{
    PackReport report;
    report.dir = dir;
    auto m = read_manifest(dir);
    if (!m)
    {
        report.error = m.error().message;
        return report;
    }
    report.rate = m->rate;
    for (const auto& syl : needed)
    {
        auto file = file_for(*m, syl);
        if (auto clip = read_clip(dir, file, m->rate); clip)
            report.present.push_back(syl);
        else
            report.problems.push_back(PackProblem{syl, file, clip.error().message});
    }
    if (want_chime)
    {
        if (m->chime.empty())
            report.problems.push_back(PackProblem{chime_clip, "", "missing: the manifest names no chime"});
        else if (auto clip = read_clip(dir, m->chime, m->rate); !clip)
            report.problems.push_back(PackProblem{chime_clip, m->chime, clip.error().message});
    }
    return report;
}

Result<std::unique_ptr<ClipSynthesizer>> ClipSynthesizer::load(const std::string& dir,
                                                               const std::vector<std::string>& needed,
                                                               voice::JoinStyle style)
{
    auto m = read_manifest(dir);
    if (!m)
        return m.error();
    auto synth = std::unique_ptr<ClipSynthesizer>(new ClipSynthesizer());
    synth->dir_ = dir;
    synth->rate_ = m->rate;
    synth->style_ = style;
    auto take = [&](const std::string& syl) {
        if (synth->clips_.count(syl))
            return;
        if (auto clip = read_clip(dir, file_for(*m, syl), m->rate))
            synth->clips_.emplace(syl, std::move(clip.value()));
    };
    for (const auto& [syl, file] : m->files)
        take(syl);
    for (const auto& syl : needed)
        take(syl);
    if (!m->chime.empty())
        if (auto clip = read_clip(dir, m->chime, m->rate))
            synth->chime_ = std::move(clip.value());
    return synth;
}

Result<voice::Pcm> ClipSynthesizer::say(const std::string&, const std::vector<std::string>& syllables)
{
    std::vector<const voice::Pcm*> parts;
    std::string missing;
    for (const auto& syl : syllables)
    {
        if (syl == voice::pause)
        {
            parts.push_back(nullptr);
            continue;
        }
        auto it = clips_.find(syl);
        if (it == clips_.end())
            missing += (missing.empty() ? "" : ", ") + syl;
        else
            parts.push_back(&it->second);
    }
    if (!missing.empty())
        return Error{"missing_clip", "the clip pack has no clip for: " + missing};
    return voice::join(parts, rate_, style_);
}

voice::Pcm ClipSynthesizer::chime()
{
    if (chime_)
        return *chime_;
    return voice::chime(rate_);
}

} // namespace motcua::voicedrv
