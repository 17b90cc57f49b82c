#include "web/static_files.hpp"

#include "util/sha256.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace motcua::web
{

namespace fs = std::filesystem;

std::string content_type_of(const std::string& name)
{
    static const std::map<std::string, std::string, std::less<>> types{
        {".html", "text/html; charset=utf-8"},   {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},               {".png", "image/png"},
        {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
        {".woff", "font/woff"},                  {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},   {".webmanifest", "application/manifest+json"},
    };
    auto it = types.find(fs::path(name).extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

std::string static_dir_for(const std::string& configured)
{
    if (!configured.empty())
        return configured;
    std::error_code ec;
    if (fs::is_directory(MOTCUA_INSTALLED_WEB_DIR, ec))
        return MOTCUA_INSTALLED_WEB_DIR;
    return MOTCUA_SOURCE_WEB_DIR;
}

Result<StaticFiles> StaticFiles::load(const std::string& dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return make_error("web_files", "The web folder " + dir +
                                           " does not exist: install motcua's web files or set web.static_dir");
    std::vector<fs::path> paths;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec))
            paths.push_back(it->path());
    if (ec)
        return make_error("web_files", "Cannot list the web folder " + dir + ": " + ec.message());
    std::sort(paths.begin(), paths.end());
    StaticFiles out;
    out.dir_ = dir;
    std::string all; // names and contents, hashed for the version
    std::size_t total = 0;
    for (const auto& p : paths)
    {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream body;
        body << in.rdbuf();
        if (!in && !in.eof())
            return make_error("web_files", "Cannot read " + p.string());
        auto name = p.lexically_relative(dir).generic_string();
        auto text = body.str();
        total += text.size();
        if (total > max_total_bytes)
            return make_error("web_files", "The web folder " + dir + " holds more than " +
                                               std::to_string(max_total_bytes / (1024 * 1024)) + " MB");
        all += name + '\0' + sha256_hex(text) + '\0';
        out.files_[name] = StaticFile{content_type_of(name), std::move(text)};
    }
    out.version_ = sha256_hex(all).substr(0, 12);
    return out;
}

const StaticFile* StaticFiles::find(const std::string& name) const
{
    auto it = files_.find(name);
    return it == files_.end() ? nullptr : &it->second;
}

} // namespace motcua::web
