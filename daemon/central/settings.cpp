#include "central/settings.hpp"

#include "config/reader.hpp"
#include "config/toml_text.hpp"

namespace motcua::central
{

namespace
{

void listen_list(config::Table& t, const char* key, const std::string& section,
                 std::vector<config::ListenAddress>& out)
{
    auto list = t.strings(key, config::Need::optional);
    if (!list)
        return;
    for (const auto& text : *list)
    {
        std::string why;
        auto address = config::parse_listen_address(text, &why);
        if (!address)
            t.error(key, section + "." + key + " \"" + text + "\" " + why);
        else
            out.push_back(*address);
    }
}

} // namespace

Result<Settings> load_settings(const std::string& path)
{
    config::Diagnostics diags;
    auto parsed = config::parse_toml_file(path, diags);
    Settings s;
    if (parsed)
    {
        config::Context ctx{path, diags};
        config::Table root{*parsed, "", ctx};
        if (auto c = root.table("central", config::Need::required))
        {
            s.province = c->string("province", config::Need::optional).value_or("");
            listen_list(*c, "listen", "central", s.listen);
            s.database = c->string("database", config::Need::optional).value_or(s.database);
            s.state_dir = c->string("state_dir", config::Need::optional).value_or(s.state_dir);
            s.server_names = c->strings("server_names", config::Need::optional).value_or(std::vector<std::string>{});
            s.workers = static_cast<int>(c->integer("workers", config::Need::optional, 1, 64).value_or(s.workers));
            c->finish();
        }
        if (auto w = root.table("web", config::Need::optional))
        {
            listen_list(*w, "listen", "web", s.web_listen);
            w->finish();
        }
        root.finish();
    }
    if (!diags.ok())
    {
        diags.sort();
        return make_error("config", diags.str());
    }
    if (s.listen.empty())
        s.listen.push_back(*config::parse_listen_address("0.0.0.0:8600"));
    return s;
}

} // namespace motcua::central
