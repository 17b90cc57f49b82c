#pragma once

// [voice]: calling numbers aloud (issue 14; docs/voice.md). What is said (templates,
// dialect, counter names) is a voice::Speech, built here from [voice] and the services
// and counters; how it sounds (clip pack or espeak-ng), where it goes (ALSA, a folder of
// WAV files) and the announcer's bounds are plain settings.

#include "util/time.hpp"
#include "voice/announcement.hpp"

#include <string>
#include <utility>
#include <vector>

namespace motcua::config
{

struct Voice
{
    bool enabled = false;        // a [voice] section turns it on unless enabled = false
    voice::Speech speech;
    std::string clips_dir;       // a clip pack; empty: the built-in voice (espeak-ng)
    std::string espeak_voice = "vi"; // vi, vi-vn-x-central, vi-vn-x-south
    int espeak_rate = 150;       // words per minute
    std::string alsa_device = "default"; // "" or "none": no sound card
    std::string record_dir;      // file sink: one WAV per announcement and a log; empty: none
    bool chime = true;           // a chime before each announcement
    int repeat = 1;              // each announcement said this many times
    int repeat_gap_ms = 700;
    std::vector<std::pair<TimeOfDay, TimeOfDay>> quiet_hours; // nothing is said inside them
    int queue_limit = 20;        // announcements waiting at most; the oldest goes first
    int max_age_s = 120;         // one that waited longer is not said late
    int retry_ms = 3000;         // an offline sound card is tried again this often
    friend bool operator==(const Voice&, const Voice&) = default;
};

} // namespace motcua::config
