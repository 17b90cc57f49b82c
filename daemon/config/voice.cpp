// [voice], [[voice.service]], [[voice.counter]]: see voice_model.hpp and docs/voice.md.

#include "config/sections.hpp"

#include <filesystem>
#include <set>

namespace motcua::config
{

namespace
{

namespace fs = std::filesystem;

const std::vector<std::string_view> kTicketPlaceholders{voice::placeholder_number, voice::placeholder_counter,
                                                        voice::placeholder_counter_number};

// A template key: checked for unknown placeholders and text that is not clean UTF-8.
std::optional<std::string> template_key(Table& t, std::string_view key, const std::vector<std::string_view>& allowed)
{
    auto text = t.string(key, Need::optional);
    if (!text)
        return std::nullopt;
    if (auto why = voice::check_template(*text, allowed))
    {
        t.error(key, t.qualified(key) + ": " + *why);
        return std::nullopt;
    }
    if (voice::syllables(*text).empty() && text->find('{') == std::string::npos)
    {
        t.error(key, t.qualified(key) + " says nothing: write the words to say");
        return std::nullopt;
    }
    return text;
}

void parse_quiet_hours(Table& t, Voice& v)
{
    auto hours = t.strings("quiet_hours", Need::optional);
    if (!hours)
        return;
    for (std::size_t i = 0; i < hours->size(); ++i)
    {
        const auto& h = (*hours)[i];
        auto from = h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(0, 5)) : std::nullopt;
        auto to = h.size() == 11 && h[5] == '-' ? parse_time_of_day(h.substr(6, 5)) : std::nullopt;
        if (!from || !to || !(*from < *to))
        {
            t.error_at(t.where("quiet_hours", i), "voice.quiet_hours entry \"" + h +
                                                      "\" must be an interval \"HH:MM-HH:MM\" that ends after it starts");
            continue;
        }
        v.quiet_hours.emplace_back(*from, *to);
    }
}

void parse_voice_services(Table& t, Config& cfg)
{
    auto& speech = cfg.voice.speech;
    std::set<std::string> seen;
    for (auto& s : t.tables("service", Need::optional))
    {
        auto id = s.string("id", Need::required).value_or("");
        auto call = template_key(s, "call", kTicketPlaceholders);
        auto recall = template_key(s, "recall", kTicketPlaceholders);
        auto spoken = s.string("spoken_prefix", Need::optional);
        s.finish();
        if (id.empty())
            continue;
        auto it = speech.services.find(id);
        if (it == speech.services.end())
        {
            s.error("id", s.path() + " names unknown service \"" + id + "\"");
            continue;
        }
        if (!seen.insert(id).second)
            s.error("id", "voice settings for service " + id + " are given twice");
        if (call)
            it->second.call_template = *call;
        if (recall)
            it->second.recall_template = *recall;
        if (spoken)
            it->second.spoken_prefix = *spoken;
    }
}

void parse_voice_counters(Table& t, Config& cfg)
{
    auto& speech = cfg.voice.speech;
    for (auto& c : t.tables("counter", Need::optional))
    {
        auto number = c.integer("number", Need::required, 1, 99);
        auto name = c.string("name", Need::required);
        c.finish();
        if (!number || !name)
            continue;
        int n = static_cast<int>(*number);
        if (!cfg.counter(n))
            c.error("number", c.path() + ".number = " + std::to_string(n) + " is not a configured [[counter]]");
        else if (voice::syllables(*name).empty())
            c.error("name", c.path() + ".name says nothing: write how the counter is called, e.g. \"quầy số ba\"");
        else if (!speech.counter_names.emplace(n, *name).second)
            c.error("number", "voice name of counter " + std::to_string(n) + " is given twice");
    }
}

// The services, counters and prefixes the Speech reads from the rest of the config.
void seed_speech(Config& cfg)
{
    auto& speech = cfg.voice.speech;
    for (const auto& s : cfg.services)
        speech.services[s.id] = voice::ServiceSpeech{s.prefix, "", "", "", s.first, s.last};
    for (const auto& c : cfg.counters)
        speech.counters.push_back(c.number);
    for (const auto& p : cfg.priority_classes)
        if (!p.prefix.empty())
            speech.other_prefixes.push_back(p.prefix);
}

} // namespace

void parse_voice(Table& root, Config& cfg, SectionContext& sc)
{
    auto& v = cfg.voice;
    seed_speech(cfg);
    auto t = root.table("voice", Need::optional);
    if (!t)
        return;
    v.enabled = t->boolean("enabled", Need::optional).value_or(true);
    auto& speech = v.speech;
    if (auto d = t->choice("dialect", Need::optional, {"north", "south"}))
        speech.numbers.dialect = *voice::dialect_from_string(*d);
    if (auto f = t->choice("four_after_tens", Need::optional, {"tư", "bốn"}))
        speech.numbers.four_after_tens_as_tu = *f == "tư";
    if (auto r = t->choice("reading", Need::optional, {"whole", "digits"}))
        speech.reading = *r == "whole" ? voice::Reading::whole : voice::Reading::digits;
    speech.speak_prefix = t->boolean("speak_prefix", Need::optional).value_or(speech.speak_prefix);
    if (auto call = template_key(*t, "call", kTicketPlaceholders))
        speech.call_template = *call;
    if (auto recall = template_key(*t, "recall", kTicketPlaceholders))
        speech.recall_template = *recall;
    if (auto name = template_key(*t, "counter_name", {voice::placeholder_counter_number}))
        speech.counter_template = *name;

    if (auto dir = t->string("clips", Need::optional))
    {
        fs::path p(*dir);
        if (p.is_relative() && !sc.search_dirs.empty())
            p = fs::path(sc.search_dirs.front()) / p;
        v.clips_dir = p.string(); // a missing pack is reported at start and by `voice clips`
    }
    if (auto e = t->choice("espeak_voice", Need::optional, {"vi", "vi-vn-x-central", "vi-vn-x-south"}))
        v.espeak_voice = *e;
    v.espeak_rate = static_cast<int>(t->integer("espeak_rate", Need::optional, 80, 450).value_or(v.espeak_rate));
    if (auto dev = t->string("alsa_device", Need::optional))
        v.alsa_device = *dev == "none" ? std::string() : *dev;
    v.record_dir = t->string("record_dir", Need::optional).value_or("");
    v.chime = t->boolean("chime", Need::optional).value_or(v.chime);
    v.repeat = static_cast<int>(t->integer("repeat", Need::optional, 1, 3).value_or(v.repeat));
    v.repeat_gap_ms = static_cast<int>(t->integer("repeat_gap_ms", Need::optional, 0, 5000).value_or(v.repeat_gap_ms));
    parse_quiet_hours(*t, v);
    v.queue_limit = static_cast<int>(t->integer("queue_limit", Need::optional, 1, 1000).value_or(v.queue_limit));
    v.max_age_s = static_cast<int>(t->integer("max_age_s", Need::optional, 5, 3600).value_or(v.max_age_s));
    v.retry_ms = static_cast<int>(t->integer("retry_ms", Need::optional, 100, 60000).value_or(v.retry_ms));
    parse_voice_services(*t, cfg);
    parse_voice_counters(*t, cfg);
    t->finish();
    if (v.enabled && v.alsa_device.empty() && v.record_dir.empty())
        t->error_here("[voice] has nowhere to speak: set alsa_device (e.g. \"default\") or record_dir, "
                      "or enabled = false");
}

} // namespace motcua::config
