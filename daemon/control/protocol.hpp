#pragma once

// The control protocol: newline-delimited JSON over a Unix stream socket
// (docs/control-protocol.md). One request per line:
//   {"id": 7, "cmd": "call", "args": {"counter": 3}}
// one response per request, in order:
//   {"id": 7, "ok": true, "result": {...}}
//   {"id": 7, "ok": false, "error": {"code": "nothing_waiting", "message": "..."}}
// and, for a connection that sent {"cmd": "watch"}, event lines without "id":
//   {"event": "called", ...}

#include "util/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace motcua::control
{

using json = nlohmann::json;

// Limits that keep one misbehaving client from hurting the others.
inline constexpr std::size_t max_request_bytes = 64 * 1024;
inline constexpr std::size_t max_clients = 64;        // far below libmodbus' FD_SETSIZE limit
inline constexpr int partial_request_timeout_s = 10;  // a half-sent line is dropped after this
inline constexpr int write_timeout_s = 10;            // a client that stops reading is dropped
inline constexpr std::size_t max_queued_events = 1000; // per watching client

// Thrown by argument accessors for a missing or wrongly typed argument; the server turns it
// into a "bad_request" error for that one request.
struct BadArgument : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

// Argument accessors for handlers: a clear message naming the argument.
inline const json& arg(const json& args, const char* key)
{
    if (!args.contains(key) || args.at(key).is_null())
        throw BadArgument(std::string("missing argument \"") + key + "\"");
    return args.at(key);
}
inline std::int64_t int_arg(const json& args, const char* key)
{
    const auto& v = arg(args, key);
    if (!v.is_number_integer())
        throw BadArgument(std::string("argument \"") + key + "\" must be an integer");
    // JSON reads 2^63 and above as unsigned; get<std::int64_t>() would wrap them to negatives.
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        throw BadArgument(std::string("argument \"") + key + "\" is out of range");
    return v.get<std::int64_t>();
}
inline std::string string_arg(const json& args, const char* key)
{
    const auto& v = arg(args, key);
    if (!v.is_string())
        throw BadArgument(std::string("argument \"") + key + "\" must be a string");
    return v.get<std::string>();
}
inline std::string optional_string_arg(const json& args, const char* key)
{
    return args.contains(key) && !args.at(key).is_null() ? string_arg(args, key) : std::string();
}

inline json ok_response(const json& id, json result)
{
    return json{{"id", id}, {"ok", true}, {"result", std::move(result)}};
}

inline json error_response(const json& id, const Error& e)
{
    return json{{"id", id}, {"ok", false}, {"error", {{"code", e.code}, {"message", e.message}}}};
}

} // namespace motcua::control
