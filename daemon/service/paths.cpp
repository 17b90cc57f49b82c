#include "service/paths.hpp"

#include <cstdlib>

namespace motcua::service
{

std::filesystem::path first_directory(const char* list, std::string_view fallback)
{
    if (list == nullptr)
    {
        return std::filesystem::path(fallback);
    }
    std::string_view entries(list);
    std::string_view first = entries.substr(0, entries.find(':'));
    if (first.empty() || first.front() != '/')
    {
        return std::filesystem::path(fallback);
    }
    return std::filesystem::path(first);
}

ServicePaths ServicePaths::from_environment()
{
    return ServicePaths{
        first_directory(std::getenv("STATE_DIRECTORY"), default_state_dir),
        first_directory(std::getenv("CONFIGURATION_DIRECTORY"), default_config_dir),
        first_directory(std::getenv("RUNTIME_DIRECTORY"), default_runtime_dir),
    };
}

} // namespace motcua::service
