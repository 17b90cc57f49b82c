#pragma once

// One control request line, checked before any handler sees it. Pure: a line in, a
// Request or an Error out; never an exception, whatever the bytes.

#include "util/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace motcua::control
{

// Arrays and objects nested deeper than this are refused before parsing: a 64 KiB line
// of "[[[[" would otherwise cost a recursive copy, dump and compare per level.
inline constexpr std::size_t max_request_depth = 32;

struct Request
{
    nlohmann::json id;   // null, a string or a number; echoed in the answer
    std::string cmd;     // non-empty
    nlohmann::json args; // always an object (empty when the line has none)
};

// {"id": 7, "cmd": "call", "args": {"counter": 3}}. Error code "bad_request" for text
// that is not one JSON object, a missing or non-string "cmd", an "args" that is not an
// object, an "id" that is not null, a string or a number, or nesting deeper than
// max_request_depth.
Result<Request> parse_request(std::string_view line);

} // namespace motcua::control
