#include "app/voice.hpp"

#include "app/application.hpp"
#include "drivers/voice/espeak.hpp"
#include "drivers/voice/sinks.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace motcua::app
{

namespace
{

namespace fs = std::filesystem;

bool in_quiet_hours(const config::Voice& v, WallTime at, UtcOffset tz)
{
    auto t = to_local(at, tz).time;
    for (const auto& [from, to] : v.quiet_hours)
        if (from <= t && t < to)
            return true;
    return false;
}

// The pack's problems in one log line: the first few, then how many more.
std::string problems_summary(const voicedrv::PackReport& r)
{
    std::string out;
    std::size_t shown = 0;
    for (const auto& p : r.problems)
    {
        if (shown++ == 8)
        {
            out += ", … " + std::to_string(r.problems.size() - 8) + " more";
            break;
        }
        out += (out.empty() ? "" : ", ") + p.clip + " (" + p.what + ")";
    }
    return out;
}

} // namespace

std::unique_ptr<voicedrv::Announcer> make_announcer(const config::Config& cfg, const std::string& state_dir)
{
    const auto& v = cfg.voice;
    std::unique_ptr<voicedrv::Synthesizer> primary;
    std::unique_ptr<voicedrv::Synthesizer> fallback;
    auto espeak = std::make_unique<voicedrv::EspeakSynthesizer>(v.espeak_voice, v.espeak_rate);
    if (!v.clips_dir.empty())
    {
        auto needed = voice::needed_syllables(v.speech);
        auto report = voicedrv::check_pack(v.clips_dir, needed, v.chime);
        if (!report.error.empty())
            spdlog::error("Clip pack not usable, espeak-ng speaks instead dir={} error=\"{}\"", v.clips_dir, report.error);
        else if (!report.problems.empty())
            spdlog::warn("Clip pack incomplete: espeak-ng says the announcements it cannot dir={} problems={} clips=\"{}\"",
                         v.clips_dir, report.problems.size(), problems_summary(report));
        else
            spdlog::info("Clip pack ready dir={} clips={}", v.clips_dir, report.present.size());
        if (report.error.empty())
            if (auto pack = voicedrv::ClipSynthesizer::load(v.clips_dir, needed))
            {
                primary = std::move(pack.value());
                fallback = std::move(espeak);
            }
    }
    if (!primary)
        primary = std::move(espeak);

    std::vector<std::unique_ptr<voicedrv::Sink>> sinks;
    if (!v.record_dir.empty())
    {
        fs::path dir(v.record_dir);
        if (dir.is_relative())
            dir = fs::path(state_dir) / dir;
        // Without a sound card the record keeps a speaker's pace (docs/voice.md).
        sinks.push_back(std::make_unique<voicedrv::FileSink>(dir.string(), cfg.office.utc_offset, v.alsa_device.empty()));
    }
    if (!v.alsa_device.empty())
        sinks.push_back(std::make_unique<voicedrv::AlsaSink>(v.alsa_device));

    voicedrv::AnnouncerSettings s;
    s.queue_limit = static_cast<std::size_t>(v.queue_limit);
    s.max_age = std::chrono::seconds(v.max_age_s);
    s.chime = v.chime;
    s.repeat = v.repeat;
    s.repeat_gap_ms = v.repeat_gap_ms;
    s.retry = std::chrono::milliseconds(v.retry_ms);
    return std::make_unique<voicedrv::Announcer>(s, std::move(primary), std::move(fallback), std::move(sinks));
}

control::json clip_list_json(const config::Config& cfg)
{
    const auto& v = cfg.voice;
    return control::json{{"dialect", voice::to_string(v.speech.numbers.dialect)},
                         {"clips", voice::needed_syllables(v.speech)},
                         {"chime", v.chime},
                         {"pack", v.clips_dir}};
}

control::json pack_report_json(const voicedrv::PackReport& r)
{
    control::json problems = control::json::array();
    for (const auto& p : r.problems)
        problems.push_back({{"clip", p.clip}, {"file", p.file}, {"problem", p.what}});
    control::json j{{"dir", r.dir}, {"ok", r.ok()}, {"present", r.present.size()}, {"problems", problems}};
    if (!r.error.empty())
        j["error"] = r.error;
    return j;
}

Voice::Voice(Application& app) : app_(app), setup_(app.config().voice) {}

Voice::~Voice()
{
    stop();
}

void Voice::start()
{
    const auto& cfg = app_.config();
    if (!cfg.voice.enabled)
        return;
    auto state_dir = fs::path(app_.paths().database).parent_path().string();
    announcer_ = make_announcer(cfg, state_dir.empty() ? "." : state_dir);
    announcer_->start();
    auto stats = announcer_->stats();
    std::string outputs;
    for (const auto& s : stats.sinks)
        outputs += (outputs.empty() ? "" : ",") + s.name;
    spdlog::info("Announcer started voice={} outputs={} dialect={}", stats.voice, outputs,
                 voice::to_string(cfg.voice.speech.numbers.dialect));
}

void Voice::stop()
{
    if (announcer_)
        announcer_->stop();
}

void Voice::on_queue_event(const queue::Event& e)
{
    using queue::EventKind;
    if ((e.kind != EventKind::called && e.kind != EventKind::recalled) || !announcer_)
        return;
    const auto& engine = app_.engine();
    const auto* t = engine.ticket(e.ticket);
    if (!t)
        return;
    const auto& cfg = app_.config();
    voice::Request r;
    r.kind = e.kind == EventKind::called ? voice::Kind::call : voice::Kind::recall;
    r.ticket = t->id;
    r.label = engine.label(*t);
    r.service = t->service;
    r.counter = e.counter;
    r.committed = voice::Clock::now();
    if (in_quiet_hours(cfg.voice, e.at.wall, cfg.office.utc_offset))
    {
        spdlog::info("Announcement dropped ticket={} counter={} kind={} reason=quiet_hours", r.label, r.counter,
                     r.kind == voice::Kind::call ? "call" : "recall");
        return;
    }
    r.text = voice::announcement_text(r.kind, r.label, r.service, r.counter, cfg.voice.speech);
    announcer_->submit(std::move(r));
}

control::json Voice::report() const
{
    control::json j{{"enabled", announcer_ != nullptr}};
    if (!announcer_)
        return j;
    auto s = announcer_->stats();
    control::json outputs = control::json::array();
    for (const auto& o : s.sinks)
        outputs.push_back({{"name", o.name}, {"state", o.online ? "online" : "offline"}, {"error", o.error}});
    j.update({{"voice", s.voice}, {"waiting", s.waiting}, {"said", s.said}, {"dropped", s.dropped},
              {"merged", s.merged}, {"outputs", outputs}});
    return j;
}

std::string Voice::status_part() const
{
    if (!announcer_)
        return {};
    auto s = announcer_->stats();
    std::size_t online = 0;
    for (const auto& o : s.sinks)
        online += o.online ? 1 : 0;
    return "voice " + std::to_string(online) + "/" + std::to_string(s.sinks.size()) + " online";
}

} // namespace motcua::app
