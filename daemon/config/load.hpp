#pragma once

#include "config/diagnostics.hpp"
#include "config/model.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::config
{

struct LoadResult
{
    std::optional<Config> config; // set only when diags.ok()
    Diagnostics diags;
};

// Directories searched, in order, for data files a config names by name (printer and
// device profiles, calendar years): the config file's own directory first, then the
// installed data directory, then the source tree's config/ (for runs from build/).
std::vector<std::string> default_search_dirs(const std::string& config_path);

// Parses and validates a config text. `source` names it in diagnostics.
LoadResult load_string(std::string_view text, const std::string& source,
                       const std::vector<std::string>& search_dirs);
// A configuration is a few kilobytes; anything above this is refused unread.
inline constexpr std::size_t max_config_bytes = 1024 * 1024;

// Reads a file and validates it (every error, not only the first). A file that is not a
// regular file (a directory, device, pipe or socket) or is larger than max_config_bytes
// is refused with a diagnostic before it is read.
LoadResult load_file(const std::string& path);

} // namespace motcua::config
