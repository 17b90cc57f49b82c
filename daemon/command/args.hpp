#pragma once

// Reading a command's arguments: one place that checks type, range and text, so every
// transport (control socket, web, devices) refuses the same bad input the same way. A
// bad argument throws BadArgument, which the registry answers as "bad_request" naming it.

#include "util/text.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace motcua::command
{

using json = nlohmann::json;

struct BadArgument : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

inline bool has_arg(const json& args, const char* key) { return args.contains(key) && !args.at(key).is_null(); }

inline const json& arg(const json& args, const char* key)
{
    if (!has_arg(args, key))
        throw BadArgument(std::string("missing argument \"") + key + "\"");
    return args.at(key);
}

// An integer in [min, max]; anything outside (4294967298 for a counter) is refused, never
// truncated.
inline std::int64_t int_arg(const json& args, const char* key, std::int64_t min, std::int64_t max)
{
    const auto& v = arg(args, key);
    if (!v.is_number_integer())
        throw BadArgument(std::string("argument \"") + key + "\" must be an integer");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
        throw BadArgument(std::string("argument \"") + key + "\" must be " + std::to_string(min) + ".." +
                          std::to_string(max));
    const auto n = v.get<std::int64_t>();
    if (n < min || n > max)
        throw BadArgument(std::string("argument \"") + key + "\" must be " + std::to_string(min) + ".." +
                          std::to_string(max) + ", not " + std::to_string(n));
    return n;
}

// Without a range: whatever fits a 32-bit int (ids, counts). Prefer the ranged form.
inline std::int64_t int_arg(const json& args, const char* key)
{
    return int_arg(args, key, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max());
}

inline std::int64_t optional_int_arg(const json& args, const char* key, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max)
{
    return has_arg(args, key) ? int_arg(args, key, min, max) : fallback;
}

// One line of text: valid UTF-8, NFC, no control characters, at most `max_chars`.
inline std::string string_arg(const json& args, const char* key, std::size_t max_chars = 200)
{
    const auto& v = arg(args, key);
    if (!v.is_string())
        throw BadArgument(std::string("argument \"") + key + "\" must be a string");
    auto cleaned = text::clean(v.get_ref<const std::string&>(), std::string("argument \"") + key + "\"",
                               {.max_chars = max_chars, .allow_newlines = false});
    if (!cleaned)
        throw BadArgument(cleaned.error().message);
    return std::move(*cleaned);
}

inline std::string optional_string_arg(const json& args, const char* key, std::size_t max_chars = 200)
{
    return has_arg(args, key) ? string_arg(args, key, max_chars) : std::string();
}

// Free text that may span lines (a reason, a note): as string_arg, newlines allowed.
inline std::string text_arg(const json& args, const char* key, std::size_t max_chars = 2000)
{
    if (!has_arg(args, key))
        return {};
    const auto& v = args.at(key);
    if (!v.is_string())
        throw BadArgument(std::string("argument \"") + key + "\" must be a string");
    auto cleaned = text::clean(v.get_ref<const std::string&>(), std::string("argument \"") + key + "\"",
                               {.max_chars = max_chars, .allow_newlines = true});
    if (!cleaned)
        throw BadArgument(cleaned.error().message);
    return std::move(*cleaned);
}

// A file's content (an import chunk): only the type and size are checked here; the parser
// reports bad bytes with their line and column.
inline std::string bulk_arg(const json& args, const char* key, std::size_t max_bytes)
{
    const auto& v = arg(args, key);
    if (!v.is_string())
        throw BadArgument(std::string("argument \"") + key + "\" must be a string");
    if (v.get_ref<const std::string&>().size() > max_bytes)
        throw BadArgument(std::string("argument \"") + key + "\" holds more than " + std::to_string(max_bytes) +
                          " bytes");
    return v.get<std::string>();
}

} // namespace motcua::command
