#pragma once

// Every TOML text motcua reads (the config, printer and device profiles, calendar years)
// goes through here: toml::parse with its first syntax error recorded as
// FILE:LINE:COL: TOML syntax error…, behind a guard for a bug of toml++ 3.3 (Debian 12).
//
// That version asks "is this whitespace?" of a non-ASCII character in a few places and its
// generated lookup then reaches __builtin_unreachable for most code points (upstream
// issues #190 and #295; fixed after 3.4): undefined behaviour on a typo such as
// `name = Đất đai` without quotes. The guard refuses such text before toml++ sees it. TOML
// allows no non-ASCII character outside strings and comments, so no valid file is refused
// but one: a multi-line "…" string whose line-ending backslash is followed by a line that
// starts with a non-ASCII character (the text names the fix).

#include "config/diagnostics.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <toml++/toml.h>

namespace motcua::config
{

struct TextPosition
{
    int line = 1;   // 1-based
    int column = 1; // 1-based, in characters (code points) as toml++ counts them
};

struct TomlTrap
{
    TextPosition at;
    std::string message;
};

// The first place where toml++ 3.3 would meet a non-ASCII character while looking for
// whitespace, or nullopt. Pure; stops at the first construct toml++ itself refuses.
std::optional<TomlTrap> find_toml_trap(std::string_view text);

// Parses `text`; on a syntax error records it for `file` and returns nullopt.
std::optional<toml::table> parse_toml(std::string_view text, const std::string& file, Diagnostics& diags);
// The same for the file at `path`; a file that cannot be read is an error too.
std::optional<toml::table> parse_toml_file(const std::string& path, Diagnostics& diags);

} // namespace motcua::config
