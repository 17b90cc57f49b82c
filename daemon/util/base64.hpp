#pragma once

// Standard base64 (RFC 4648 §4, with padding): how a binary file (an .xlsx export) travels
// inside a JSON answer on the control socket and the web API.

#include <optional>
#include <string>
#include <string_view>

namespace motcua::base64
{

std::string encode(std::string_view bytes);
// The bytes, or nullopt when `text` is not padded base64 (whitespace is not accepted).
std::optional<std::string> decode(std::string_view text);

} // namespace motcua::base64
