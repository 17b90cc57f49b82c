// [central]: see central_model.hpp and docs/central.md.

#include "config/sections.hpp"

#include <algorithm>
#include <filesystem>

namespace motcua::config
{

namespace
{

bool valid_site_code(const std::string& code)
{
    return !code.empty() && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_';
    });
}

} // namespace

void parse_central(Table& root, Config& cfg, SectionContext& sc)
{
    auto t = root.table("central", Need::optional);
    if (!t)
        return;
    Central central;
    if (auto url = t->string("url", Need::required))
    {
        central.url = *url;
        if (!central.url.starts_with("https://") || central.url.size() <= 8)
            t->error("url", "central.url must be an https:// address, e.g. \"https://central.tinh.gov.vn:8600\"");
    }
    if (auto site = t->string("site", Need::required))
    {
        central.site = *site;
        if (!valid_site_code(central.site))
            t->error("site", "central.site must be the site code of this box's certificate: letters, digits, '.', "
                             "'-' or '_', at most 32");
    }
    auto path_of = [&](const char* key) {
        auto text = t->string(key, Need::required);
        if (!text)
            return std::string();
        if (text->empty())
        {
            t->error(key, std::string("central.") + key + " is empty: give the path of a PEM file");
            return std::string();
        }
        std::filesystem::path p(*text); // relative to the config file's folder
        if (p.is_relative() && !sc.search_dirs.empty())
            p = std::filesystem::path(sc.search_dirs.front()) / p;
        return p.lexically_normal().string();
    };
    central.cert = path_of("cert");
    central.key = path_of("key");
    central.ca = path_of("ca");
    central.send_personal_data = t->boolean("send_personal_data", Need::optional).value_or(false);
    central.batch_rows = static_cast<int>(t->integer("batch_rows", Need::optional, 1, 5000).value_or(central.batch_rows));
    central.retry_max_seconds = static_cast<int>(
        t->integer("retry_max_seconds", Need::optional, 1, 24 * 3600).value_or(central.retry_max_seconds));
    t->finish();
    cfg.central = std::move(central);
}

} // namespace motcua::config
