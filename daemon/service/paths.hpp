#pragma once

// The directories systemd creates for the unit (StateDirectory=, ConfigurationDirectory=,
// RuntimeDirectory=) and passes as STATE_DIRECTORY, CONFIGURATION_DIRECTORY and
// RUNTIME_DIRECTORY. Each variable may list several directories separated by ':'; the
// first is ours. Outside systemd the Debian defaults apply.

#include <filesystem>
#include <string_view>

namespace motcua::service
{

inline constexpr std::string_view default_state_dir = "/var/lib/motcua";
inline constexpr std::string_view default_config_dir = "/etc/motcua";
inline constexpr std::string_view default_runtime_dir = "/run/motcua";

struct ServicePaths
{
    std::filesystem::path state_dir;   // the register database
    std::filesystem::path config_dir;  // motcua.toml
    std::filesystem::path runtime_dir; // the control socket

    static ServicePaths from_environment();
};

// The first entry of a colon-separated list if it is an absolute path, else fallback.
std::filesystem::path first_directory(const char* list, std::string_view fallback);

} // namespace motcua::service
