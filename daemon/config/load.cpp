#include "config/load.hpp"

#include "config/sections.hpp"
#include "config/toml_text.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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
    root.finish();
    result.diags.sort();
    if (result.diags.ok())
        result.config = std::move(cfg);
    return result;
}

LoadResult load_file(const std::string& path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
    {
        LoadResult r;
        r.diags.error(path, 0, 0, "cannot read the config file: it is a directory");
        return r;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        LoadResult r;
        r.diags.error(path, 0, 0,
                      "cannot read the config file: " + std::string(std::strerror(errno)));
        return r;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return load_string(text.str(), path, default_search_dirs(path));
}

} // namespace motcua::config
