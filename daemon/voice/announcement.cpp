#include "voice/announcement.hpp"

#include "util/text.hpp"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace motcua::voice
{

namespace
{

void replace_all(std::string& s, std::string_view what, std::string_view with)
{
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size()))
        s.replace(at, what.size(), with);
}

std::string collapse_spaces(std::string_view s)
{
    std::string out;
    for (char c : s)
    {
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space)
        {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
        }
        else
            out += c;
    }
    if (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The 1-based character (code point) position of byte `at` in UTF-8 `s`.
std::size_t char_position(std::string_view s, std::size_t at)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i <= at && i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80)
            ++n;
    return n;
}

// The label's trailing digits and what comes before them.
std::pair<std::string_view, std::string_view> split_label(std::string_view label)
{
    std::size_t at = label.size();
    while (at > 0 && is_digit(label[at - 1]))
        --at;
    return {label.substr(0, at), label.substr(at)};
}

std::string spoken_prefix(std::string_view prefix, std::string_view service_id, const Speech& speech)
{
    if (auto it = speech.services.find(service_id);
        it != speech.services.end() && it->second.prefix == prefix && !it->second.spoken_prefix.empty())
        return it->second.spoken_prefix;
    for (const auto& [id, s] : speech.services)
        if (s.prefix == prefix && !s.spoken_prefix.empty())
            return s.spoken_prefix;
    return spell_letters(prefix);
}

std::string number_part_words(std::string_view digits, const Speech& speech)
{
    if (speech.reading == Reading::digits)
        return digit_words(digits);
    auto first = digits.find_first_not_of('0');
    if (first == std::string_view::npos)
        return number_words(0, speech.numbers);
    auto significant = digits.substr(first);
    if (significant.size() > 6)
        return digit_words(digits);
    return number_words(std::stoll(std::string(significant)), speech.numbers);
}

void add_syllables(std::set<std::string>& out, std::string_view text)
{
    for (auto& s : syllables(text))
        if (s != pause)
            out.insert(std::move(s));
}

} // namespace

std::optional<std::string> check_template(std::string_view tmpl, const std::vector<std::string_view>& allowed)
{
    for (std::size_t at = tmpl.find_first_of("{}"); at != std::string_view::npos; at = tmpl.find_first_of("{}", at + 1))
    {
        if (tmpl[at] == '}')
            return "a '}' without its '{' at character " + std::to_string(char_position(tmpl, at));
        auto close = tmpl.find('}', at);
        if (close == std::string_view::npos)
            return "a '{' without its '}' at character " + std::to_string(char_position(tmpl, at));
        auto name = tmpl.substr(at, close - at + 1);
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
        {
            std::string list;
            for (auto a : allowed)
                list += (list.empty() ? "" : ", ") + std::string(a);
            return "unknown placeholder " + std::string(name) + " (known: " + list + ")";
        }
        at = close;
    }
    return std::nullopt;
}

std::string spell_digit_runs(std::string_view text, const NumberStyle& style)
{
    std::string out;
    std::size_t i = 0;
    while (i < text.size())
    {
        if (!is_digit(text[i]))
        {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && is_digit(text[end]))
            ++end;
        auto run = text.substr(i, end - i);
        auto first = run.find_first_not_of('0');
        std::string words;
        if (first == std::string_view::npos)
            words = number_words(0, style);
        else if (run.size() - first > 6)
            words = digit_words(run);
        else
            words = number_words(std::stoll(std::string(run.substr(first))), style);
        if (!out.empty() && out.back() != ' ')
            out += ' ';
        out += words;
        // A letter straight after the digits is a new word; punctuation stays attached.
        if (end < text.size() && (std::isalpha(static_cast<unsigned char>(text[end])) ||
                                  static_cast<unsigned char>(text[end]) >= 0x80))
            out += ' ';
        i = end;
    }
    return out;
}

std::string spell_letters(std::string_view prefix)
{
    // The names of the letters as Vietnamese schools read them.
    static const std::map<std::string, std::string, std::less<>> names = {
        {"A", "a"},   {"Ă", "á"},   {"Â", "ớ"},   {"B", "bê"},  {"C", "xê"},       {"D", "dê"},
        {"Đ", "đê"},  {"E", "e"},   {"Ê", "ê"},   {"F", "ép"},  {"G", "giê"},      {"H", "hát"},
        {"I", "i"},   {"J", "gi"},  {"K", "ca"},  {"L", "lờ"},  {"M", "mờ"},       {"N", "nờ"},
        {"O", "o"},   {"Ô", "ô"},   {"Ơ", "ơ"},   {"P", "pê"},  {"Q", "quy"},      {"R", "rờ"},
        {"S", "ét"},  {"T", "tê"},  {"U", "u"},   {"Ư", "ư"},   {"V", "vê"},       {"W", "vê kép"},
        {"X", "ích"}, {"Y", "i dài"}, {"Z", "dét"}};
    std::string out;
    auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(prefix.data(), static_cast<std::int32_t>(prefix.size())));
    u.toUpper(icu::Locale::getRoot());
    for (std::int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1))
    {
        UChar32 c = u.char32At(i);
        std::string letter;
        icu::UnicodeString(c).toUTF8String(letter);
        std::string word;
        if (auto it = names.find(letter); it != names.end())
            word = it->second;
        else if (c >= '0' && c <= '9')
            word = digit_words(letter);
        else
            continue; // '-', '.', anything else is not said
        if (!out.empty())
            out += ' ';
        out += word;
    }
    return out;
}

std::string label_words(std::string_view label, std::string_view service_id, const Speech& speech)
{
    auto [prefix, digits] = split_label(label);
    if (digits.empty())
        return spell_letters(label);
    std::string out;
    if (speech.speak_prefix && !prefix.empty())
        out = spoken_prefix(prefix, service_id, speech);
    auto number = number_part_words(digits, speech);
    return out.empty() ? number : out + " " + number;
}

std::string counter_words(int n, const Speech& speech)
{
    std::string name;
    if (auto it = speech.counter_names.find(n); it != speech.counter_names.end())
        name = it->second;
    else
    {
        name = speech.counter_template;
        replace_all(name, placeholder_counter_number, std::to_string(n));
    }
    return collapse_spaces(spell_digit_runs(name, speech.numbers));
}

std::string words_for_announcement(std::string_view tmpl, std::string_view label, int counter, const Speech& speech,
                                   std::string_view service_id)
{
    std::string out(tmpl);
    // Placeholders first go to markers without braces or digits, so a label or a counter
    // name that itself holds "{number}" is not expanded twice.
    const std::string number_marker = "\x01N\x01", counter_marker = "\x01C\x01", counter_number_marker = "\x01K\x01";
    replace_all(out, placeholder_number, number_marker);
    replace_all(out, placeholder_counter_number, counter_number_marker);
    replace_all(out, placeholder_counter, counter_marker);
    out = spell_digit_runs(out, speech.numbers);
    replace_all(out, number_marker, label_words(label, service_id, speech));
    replace_all(out, counter_marker, counter_words(counter, speech));
    replace_all(out, counter_number_marker, number_words(counter, speech.numbers));
    return collapse_spaces(out);
}

std::string announcement_text(Kind kind, std::string_view label, std::string_view service_id, int counter,
                              const Speech& speech)
{
    const std::string* tmpl = kind == Kind::call ? &speech.call_template : &speech.recall_template;
    if (auto it = speech.services.find(service_id); it != speech.services.end())
    {
        const auto& own = kind == Kind::call ? it->second.call_template : it->second.recall_template;
        if (!own.empty())
            tmpl = &own;
    }
    return words_for_announcement(*tmpl, label, counter, speech, service_id);
}

std::vector<std::string> syllables(std::string_view text)
{
    std::vector<std::string> out;
    auto nfc = text::to_nfc(text);
    auto u = icu::UnicodeString::fromUTF8(nfc);
    u.toLower(icu::Locale::getRoot());
    icu::UnicodeString current;
    auto flush = [&] {
        if (current.isEmpty())
            return;
        std::string s;
        current.toUTF8String(s);
        out.push_back(std::move(s));
        current.remove();
    };
    for (std::int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1))
    {
        UChar32 c = u.char32At(i);
        if (u_isalpha(c) || u_isdigit(c) || u_getCombiningClass(c) != 0)
        {
            current.append(c);
            continue;
        }
        flush();
        bool pausing = c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
        if (pausing && !out.empty() && out.back() != pause)
            out.emplace_back(pause);
    }
    flush();
    while (!out.empty() && out.back() == pause)
        out.pop_back();
    return out;
}

std::vector<std::string> needed_syllables(const Speech& speech)
{
    std::set<std::string> all;
    auto add_template = [&](const std::string& tmpl) {
        if (tmpl.empty())
            return;
        std::string bare = tmpl;
        for (auto p : {placeholder_number, placeholder_counter_number, placeholder_counter})
            replace_all(bare, p, " ");
        add_syllables(all, spell_digit_runs(bare, speech.numbers));
    };
    add_template(speech.call_template);
    add_template(speech.recall_template);
    for (int n : speech.counters)
    {
        add_syllables(all, counter_words(n, speech));
        add_syllables(all, number_words(n, speech.numbers)); // a template may say {counter_number}
    }
    for (const auto& [id, s] : speech.services)
    {
        add_template(s.call_template);
        add_template(s.recall_template);
        int first = std::max<std::int64_t>(0, s.first) > max_whole_number ? 0 : std::max(0, s.first);
        int last = static_cast<int>(std::min<std::int64_t>(s.last, max_whole_number));
        auto width = std::to_string(std::max(0, s.last)).size();
        for (int n = first; n <= last; ++n)
        {
            auto digits = std::to_string(n);
            if (digits.size() < width)
                digits.insert(0, width - digits.size(), '0');
            add_syllables(all, number_part_words(digits, speech));
        }
        if (speech.speak_prefix && !s.prefix.empty())
            add_syllables(all, spoken_prefix(s.prefix, id, speech));
    }
    if (speech.speak_prefix)
        for (const auto& p : speech.other_prefixes)
            add_syllables(all, spoken_prefix(p, "", speech));
    return {all.begin(), all.end()};
}

} // namespace motcua::voice
