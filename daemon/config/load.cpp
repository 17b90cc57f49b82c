#include "config/load.hpp"

#include "config/sections.hpp"
#include "config/toml_text.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace motcua::config
{

namespace fs = std::filesystem;

std::vector<std::string> default_search_dirs(const std::string& config_path)
{
    std::vector<std::string> dirs;
    auto parent = fs::path(config_path).parent_path();
    dirs.push_back(parent.empty() ? std::string(".") : parent.string());
    dirs.push_back(MOTCUA_INSTALLED_DATA_DIR);
    dirs.push_back(MOTCUA_SOURCE_CONFIG_DIR);
    return dirs;
}

std::string find_data_file(const std::vector<std::string>& search_dirs, const std::string& dir,
                           const std::string& name)
{
    for (const auto& base : search_dirs)
    {
        std::error_code ec;
        auto p = fs::path(base) / dir / name;
        if (fs::is_regular_file(p, ec))
            return p.string();
    }
    return {};
}

LoadResult load_string(std::string_view text, const std::string& source,
                       const std::vector<std::string>& search_dirs)
{
    LoadResult result;
    auto parsed = parse_toml(text, source, result.diags);
    if (!parsed)
        return result;
    Context ctx{source, result.diags};
    SectionContext sc{ctx, search_dirs};
    Config cfg;
    cfg.source = source;
    Table root{*parsed, "", ctx};
    parse_core(root, cfg, sc);
    parse_register(root, cfg, sc);
    parse_printing(root, cfg, sc);
    parse_devices(root, cfg, sc);
    parse_voice(root, cfg, sc);
    parse_web(root, cfg, sc);
    parse_central(root, cfg, sc);
    root.finish();
    result.diags.sort();
    if (result.diags.ok())
        result.config = std::move(cfg);
    return result;
}

namespace
{
LoadResult unreadable(const std::string& path, const std::string& why)
{
    LoadResult r;
    r.diags.error(path, 0, 0, "cannot read the config file: " + why);
    return r;
}
} // namespace

LoadResult load_file(const std::string& path)
{
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return unreadable(path, std::strerror(errno));
    struct stat st
    {
    };
    std::string text;
    std::string why;
    if (::fstat(fd, &st) != 0)
        why = std::strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = "it is a directory";
    else if (!S_ISREG(st.st_mode))
        why = "it is not a regular file (a device, pipe or socket)";
    else if (st.st_size > static_cast<off_t>(max_config_bytes))
        why = "it is " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_config_bytes) +
              " bytes a configuration may have";
    else
    {
        // Read at most one byte past the limit: a file that grew since fstat is refused too.
        text.resize(max_config_bytes + 1);
        std::size_t got = 0;
        while (got < text.size())
        {
            auto n = ::read(fd, text.data() + got, text.size() - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
            {
                why = std::strerror(errno);
                break;
            }
            if (n == 0)
                break;
            got += static_cast<std::size_t>(n);
        }
        text.resize(got);
        if (why.empty() && got > max_config_bytes)
            why = "it is more than the " + std::to_string(max_config_bytes) + " bytes a configuration may have";
    }
    ::close(fd);
    if (!why.empty())
        return unreadable(path, why);
    return load_string(text, path, default_search_dirs(path));
}

} // namespace motcua::config
