#pragma once

// What is said for a call: a template per office (and optionally per service) with the
// ticket's number and the counter's spoken name put in, every digit run read as words by
// our own normaliser (numbers.hpp), and the syllables a clip pack must hold to say it.
// Pure: no I/O, no clock.

#include "voice/numbers.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::voice
{

enum class Kind
{
    call,
    recall
};

// How a ticket's number is read: as one number (105 -> "một trăm linh năm") or digit by
// digit as printed (105 -> "một không năm").
enum class Reading
{
    whole,
    digits
};

inline constexpr std::string_view default_call_template = "Xin mời công dân có số thứ tự {number} đến {counter}";
inline constexpr std::string_view default_recall_template =
    "Xin mời lần thứ hai, công dân có số thứ tự {number} đến {counter}";
inline constexpr std::string_view default_counter_template = "quầy số {counter_number}";

struct ServiceSpeech
{
    std::string prefix;        // the label prefix the service prints, e.g. "TP-"
    std::string spoken_prefix; // how it is said ("tư pháp"); empty: the letters are spelled
    std::string call_template; // empty: the office's
    std::string recall_template;
    int first = 1; // numbers issued run first..last (the clip list reads them all)
    int last = 9999;
    friend bool operator==(const ServiceSpeech&, const ServiceSpeech&) = default;
};

struct Speech
{
    NumberStyle numbers;
    Reading reading = Reading::whole;
    bool speak_prefix = false;
    std::string call_template{default_call_template};
    std::string recall_template{default_recall_template};
    // A counter's spoken name when it has none of its own; {counter_number} is its number.
    std::string counter_template{default_counter_template};
    std::map<std::string, ServiceSpeech, std::less<>> services; // by service id
    std::map<int, std::string> counter_names;                   // spoken names by counter number
    std::vector<int> counters;                                  // every configured counter
    std::vector<std::string> other_prefixes;                    // priority classes' label prefixes
    friend bool operator==(const Speech&, const Speech&) = default;
};

// The placeholders a template may hold.
inline constexpr std::string_view placeholder_number = "{number}";
inline constexpr std::string_view placeholder_counter = "{counter}";
inline constexpr std::string_view placeholder_counter_number = "{counter_number}";

// Why `tmpl` cannot be used ("unknown placeholder {numbr}", "unclosed {"), or nothing.
// `allowed` lists the placeholders this template may hold.
std::optional<std::string> check_template(std::string_view tmpl, const std::vector<std::string_view>& allowed);

// Every run of ASCII digits in `text` replaced by its words (numbers.hpp).
std::string spell_digit_runs(std::string_view text, const NumberStyle& style);

// A prefix's letters spelled the Vietnamese way ("TP-" -> "tê pê"); digits as words.
std::string spell_letters(std::string_view prefix);

// A ticket label ("TP-105", "UT-012", "105") as it is said: the prefix (when the setting
// says so) and the number, read whole or digit by digit.
std::string label_words(std::string_view label, std::string_view service_id, const Speech& speech);

// The spoken name of counter `n`.
std::string counter_words(int n, const Speech& speech);

// The whole announcement for `tmpl` (the fuzz entry: any text, any label, any counter).
// Placeholders that are not known stay as written; digits anywhere become words.
std::string words_for_announcement(std::string_view tmpl, std::string_view label, int counter,
                                   const Speech& speech, std::string_view service_id = {});

// The announcement of a call or recall, with the service's template when it has one.
std::string announcement_text(Kind kind, std::string_view label, std::string_view service_id, int counter,
                              const Speech& speech);

// The marker that syllables() puts where the text pauses (a comma, a full stop).
inline constexpr std::string_view pause = ",";

// The text as the clips that say it: lower-case NFC syllables, punctuation dropped, a
// pause marker after a comma or a full stop inside the text.
std::vector<std::string> syllables(std::string_view text);

// Every syllable the config can make the announcer say (templates, counter names, every
// number the services issue, prefixes when spoken), sorted, without duplicates.
std::vector<std::string> needed_syllables(const Speech& speech);

} // namespace motcua::voice
