#include "drivers/voice/announcer.hpp"

#include "voice/announcement.hpp"

#include <spdlog/spdlog.h>

namespace motcua::voicedrv
{

namespace
{

const char* kind_name(voice::Kind k) { return k == voice::Kind::call ? "call" : "recall"; }

long age_ms(const voice::Request& r)
{
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(voice::Clock::now() - r.committed).count());
}

} // namespace

Announcer::Announcer(AnnouncerSettings settings, std::unique_ptr<Synthesizer> primary,
                     std::unique_ptr<Synthesizer> fallback, std::vector<std::unique_ptr<Sink>> sinks)
    : settings_(settings), primary_(std::move(primary)), fallback_(std::move(fallback)), sinks_(std::move(sinks)),
      fifo_(settings.queue_limit, settings.max_age)
{
    for (const auto& s : sinks_)
        stats_.sinks.push_back(SinkState{s->name(), true, ""});
    stats_.voice = primary_ ? primary_->name() : "";
}

Announcer::~Announcer() { stop(); }

void Announcer::start()
{
    if (!worker_.joinable())
        worker_ = std::thread([this] { run(); });
}

void Announcer::stop()
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !worker_.joinable())
            return;
        stopping_ = true;
        log_dropped(fifo_.clear("stopped"));
    }
    wake_.notify_all();
    for (auto& s : sinks_)
        s->interrupt();
    if (worker_.joinable())
        worker_.join();
}

void Announcer::submit(voice::Request r)
{
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            return;
        auto label = r.label;
        auto pushed = fifo_.push(std::move(r));
        if (pushed.merged)
        {
            ++stats_.merged;
            spdlog::info("Recall merged with the waiting announcement ticket={}", label);
        }
        log_dropped(pushed.dropped);
        stats_.waiting = fifo_.size();
    }
    wake_.notify_one();
}

Announcer::Stats Announcer::stats() const
{
    std::lock_guard lock(mutex_);
    return stats_;
}

void Announcer::log_dropped(const std::vector<voice::Dropped>& dropped)
{
    // Called with mutex_ held.
    for (const auto& d : dropped)
    {
        ++stats_.dropped;
        spdlog::warn("Announcement dropped ticket={} counter={} kind={} reason={} waited_ms={}", d.request.label,
                     d.request.counter, kind_name(d.request.kind), d.reason, age_ms(d.request));
    }
}

void Announcer::run()
{
    // espeak-ng loads its voice on first use (~0.2 s): once here, not on the first call.
    primary_->chime();
    if (fallback_)
        fallback_->chime();
    for (;;)
    {
        std::optional<voice::Request> next;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || !fifo_.empty(); });
            if (stopping_)
                return;
            std::vector<voice::Dropped> dropped;
            next = fifo_.pop(voice::Clock::now(), dropped);
            log_dropped(dropped);
            stats_.waiting = fifo_.size();
        }
        if (next)
            say(std::move(*next));
    }
}

Result<voice::Pcm> Announcer::render(const voice::Request& r)
{
    auto syllables = voice::syllables(r.text);
    auto pcm = primary_->say(r.text, syllables);
    Synthesizer* used = primary_.get();
    if (!pcm && fallback_)
    {
        spdlog::warn("Announcement said by the fallback voice ticket={} voice={} reason=\"{}\"", r.label,
                     fallback_->name(), pcm.error().message);
        pcm = fallback_->say(r.text, syllables);
        used = fallback_.get();
    }
    if (!pcm)
        return pcm;
    auto body = voice::repeat(*pcm, settings_.repeat, settings_.repeat_gap_ms);
    if (!settings_.chime)
        return body;
    return voice::concat(used->chime(), body, 150);
}

void Announcer::say(voice::Request r)
{
    auto pcm = render(r);
    if (!pcm)
    {
        std::lock_guard lock(mutex_);
        spdlog::error("Announcement not said ticket={} reason=\"{}\"", r.label, pcm.error().message);
        ++stats_.dropped;
        return;
    }
    play_everywhere(r, *pcm);
}

bool Announcer::wait_retry(const voice::Request& r)
{
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, settings_.retry, [&] { return stopping_; });
    if (stopping_)
        return false;
    if (voice::Clock::now() - r.committed > settings_.max_age)
    {
        log_dropped({voice::Dropped{r, "sound_offline"}});
        return false;
    }
    return true;
}

void Announcer::play_everywhere(const voice::Request& r, const voice::Pcm& pcm)
{
    bool first = true;
    long latency_ms = -1;
    auto first_sample = [&] {
        if (!first)
            return;
        first = false;
        latency_ms = age_ms(r);
        if (on_first_sample)
            on_first_sample(r, pcm);
    };
    // Unpaced sinks (a record) first, then the paced one (the loudspeaker) that takes as
    // long as the sound: the record's start time is when the hall starts hearing it.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < sinks_.size(); ++i)
        if (!sinks_[i]->paced())
            order.push_back(i);
    for (std::size_t i = 0; i < sinks_.size(); ++i)
        if (sinks_[i]->paced())
            order.push_back(i);
    bool everywhere = true;
    for (auto i : order)
    {
        for (;;)
        {
            auto played = sinks_[i]->play(pcm, r, first_sample);
            set_sink_state(i, played.ok(), played ? "" : played.error().message);
            if (played)
                break;
            if (!wait_retry(r)) // dropped (logged) or stopping
            {
                everywhere = false;
                break;
            }
        }
    }
    if (!everywhere)
        return;
    {
        std::lock_guard lock(mutex_);
        ++stats_.said;
    }
    spdlog::info("Announced ticket={} counter={} kind={} seconds={:.1f} latency_ms={}", r.label, r.counter,
                 kind_name(r.kind), pcm.seconds(), latency_ms);
    if (on_said)
        on_said(r);
}

void Announcer::set_sink_state(std::size_t i, bool online, const std::string& error)
{
    std::lock_guard lock(mutex_);
    auto& s = stats_.sinks[i];
    if (s.online != online)
    {
        if (online)
            spdlog::info("Sound output online sink={}", s.name);
        else
            spdlog::error("Sound output offline sink={} error=\"{}\"", s.name, error);
    }
    s.online = online;
    if (!online)
        s.error = error;
}

} // namespace motcua::voicedrv
