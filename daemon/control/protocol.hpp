#pragma once

// The control protocol: newline-delimited JSON over a Unix stream socket
// (docs/control-protocol.md). One request per line:
//   {"id": 7, "cmd": "call", "args": {"counter": 3}}
// one response per request, in order:
//   {"id": 7, "ok": true, "result": {...}}
//   {"id": 7, "ok": false, "error": {"code": "nothing_waiting", "message": "..."}}
// and, for a connection that sent {"cmd": "watch"}, event lines without "id":
//   {"event": "called", ...}

#include "command/args.hpp"
#include "util/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
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

// The argument accessors are the command layer's (command/args.hpp); these names stay for
// the handlers that use them.
using command::arg;
using command::BadArgument;
using command::int_arg;
using command::optional_string_arg;
using command::string_arg;

inline json ok_response(const json& id, json result)
{
    return json{{"id", id}, {"ok", true}, {"result", std::move(result)}};
}

inline json error_response(const json& id, const Error& e)
{
    return json{{"id", id}, {"ok", false}, {"error", {{"code", e.code}, {"message", e.message}}}};
}

} // namespace motcua::control
