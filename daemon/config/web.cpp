// [web], [web.board], [[screen]]: see web_model.hpp and docs/hall.md.

#include "config/sections.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace motcua::config
{

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* why)
{
    auto fail = [&](const char* reason) -> std::optional<ListenAddress> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    std::string host, port;
    if (!text.empty() && text.front() == '[')
    {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return fail("an IPv6 address needs [ ] followed by :PORT");
        host = std::string(text.substr(1, close - 1));
        port = std::string(text.substr(close + 2));
    }
    else
    {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos)
            return fail("has no :PORT");
        host = std::string(text.substr(0, colon));
        port = std::string(text.substr(colon + 1));
        if (host.find(':') != std::string::npos)
            return fail("an IPv6 address needs [ ], e.g. \"[::]:8080\"");
    }
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail("has no port number after the colon");
    const int p = std::stoi(port);
    if (p > 65535)
        return fail("has a port above 65535");
    unsigned char buf[16];
    const bool v6 = !text.empty() && text.front() == '[';
    if (::inet_pton(v6 ? AF_INET6 : AF_INET, host.c_str(), buf) != 1)
        return fail(v6 ? "has no valid IPv6 address between [ ]" : "does not start with an IPv4 address (e.g. 0.0.0.0)");
    return ListenAddress{std::string(text), host, p};
}

const Screen* Web::screen(std::string_view name) const
{
    for (const auto& s : screens)
        if (s.name == name)
            return &s;
    return nullptr;
}

namespace
{

bool valid_screen_name(const std::string& name)
{
    return !name.empty() && name.size() <= 32 &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
           });
}

// `key` ("listen", "console_listen"): a list of "HOST:PORT"; `taken` (the hall's) may not
// be given again.
void parse_listen(Table& t, const char* key, Need need, const char* example, std::vector<ListenAddress>& out,
                  const std::vector<ListenAddress>& taken = {})
{
    auto list = t.strings(key, need);
    if (!list)
        return;
    const std::string name = std::string("web.") + key;
    if (list->empty())
        t.error(key, name + " is empty: give at least one \"HOST:PORT\", e.g. \"" + example + "\"");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i)
    {
        const auto& text = (*list)[i];
        std::string why;
        auto address = parse_listen_address(text, &why);
        if (!address)
        {
            t.error_at(t.where(key, i), name + " entry \"" + text + "\" " + why);
            continue;
        }
        if (!seen.insert(text).second)
        {
            t.error_at(t.where(key, i), name + " entry \"" + text + "\" is given twice");
            continue;
        }
        const bool clash = address->port != 0 && std::any_of(taken.begin(), taken.end(), [&](const ListenAddress& a) {
            return a.port == address->port &&
                   (a.host == address->host || a.host == "0.0.0.0" || a.host == "::" || address->host == "0.0.0.0" ||
                    address->host == "::");
        });
        if (clash)
        {
            t.error_at(t.where(key, i), name + " entry \"" + text +
                                            "\" takes a port of web.listen: the console needs its own (HTTPS) port, "
                                            "e.g. \"0.0.0.0:8443\"");
            continue;
        }
        out.push_back(*address);
    }
}

// [web] console_listen, console_cert, console_key, console_idle_minutes.
void parse_console(Table& t, Web& web, SectionContext& sc)
{
    parse_listen(t, "console_listen", Need::optional, "0.0.0.0:8443", web.console_listen, web.listen);
    web.console_cert = pem_file_path(t, "console_cert", "web", Need::optional, sc);
    web.console_key = pem_file_path(t, "console_key", "web", Need::optional, sc);
    if (web.console_cert.empty() != web.console_key.empty())
        t.error(web.console_cert.empty() ? "console_key" : "console_cert",
                "web.console_cert and web.console_key go together: give both (PEM files), or neither for a "
                "self-signed certificate made in the state directory");
    web.console_idle_minutes = static_cast<int>(
        t.integer("console_idle_minutes", Need::optional, 1, 24 * 60).value_or(web.console_idle_minutes));
}

void parse_public_url(Table& t, Web& web)
{
    auto url = t.string("public_url", Need::optional);
    if (!url)
        return;
    std::string u = *url;
    while (!u.empty() && u.back() == '/')
        u.pop_back();
    const bool scheme = u.starts_with("http://") || u.starts_with("https://");
    const auto host_start = u.find("//") + 2;
    const bool clean = std::none_of(u.begin(), u.end(), [](unsigned char c) { return c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c >= 0x7f; });
    if (!scheme || !clean || u.size() <= host_start || u.find_first_of("?#", host_start) != std::string::npos)
    {
        t.error("public_url", "web.public_url \"" + *url +
                                  "\" must be an address such as \"http://192.168.1.10:8080\" (http:// or https://, "
                                  "no spaces, no ? or #)");
        return;
    }
    web.public_url = u;
}

void parse_board(Table& web_table, Config& cfg)
{
    auto& b = cfg.web->board;
    auto t = web_table.table("board", Need::optional);
    if (!t)
        return;
    b.recent_calls = static_cast<int>(t->integer("recent_calls", Need::optional, 1, 30).value_or(b.recent_calls));
    b.min_row_seconds = static_cast<int>(t->integer("min_row_seconds", Need::optional, 0, 600).value_or(b.min_row_seconds));
    b.flash_seconds = static_cast<int>(t->integer("flash_seconds", Need::optional, 0, 60).value_or(b.flash_seconds));
    b.notice = t->string("notice", Need::optional).value_or("");
    b.office_name = t->string("office_name", Need::optional).value_or("");
    t->finish();
}

void parse_screens(Table& root, Config& cfg)
{
    auto screens = root.tables("screen", Need::optional);
    Web without_web; // screens are still checked when [web] is missing
    if (!cfg.web && !screens.empty())
        screens.front().error_here("[[screen]] needs a [web] section (with listen = [\"HOST:PORT\"])");
    Web& web = cfg.web ? *cfg.web : without_web;
    for (auto& t : screens)
    {
        Screen s;
        s.name = t.string("name", Need::required).value_or("");
        s.title = t.string("title", Need::optional).value_or("");
        auto services = t.strings("services", Need::optional).value_or(std::vector<std::string>{});
        auto counters = t.integers("counters", Need::optional, 1, 99).value_or(std::vector<std::int64_t>{});
        if (auto o = t.choice("orientation", Need::optional, {"landscape", "portrait"}))
            s.orientation = *o == "portrait" ? Orientation::portrait : Orientation::landscape;
        t.finish();
        if (!s.name.empty() && !valid_screen_name(s.name))
            t.error("name", t.path() + ".name \"" + s.name +
                                "\" may hold only a-z, 0-9, _ and - (it is part of the address /board?screen=NAME)");
        else if (!s.name.empty() && web.screen(s.name))
            t.error("name", "screen \"" + s.name + "\" is given twice");
        for (std::size_t i = 0; i < services.size(); ++i)
        {
            if (!cfg.service(services[i]))
                t.error_at(t.where("services", i), t.path() + " names unknown service \"" + services[i] + "\"");
            else
                s.services.push_back(services[i]);
        }
        for (std::size_t i = 0; i < counters.size(); ++i)
        {
            const int n = static_cast<int>(counters[i]);
            if (!cfg.counter(n))
                t.error_at(t.where("counters", i),
                           t.path() + " names counter " + std::to_string(n) + ", which is not a configured [[counter]]");
            else
                s.counters.push_back(n);
        }
        if (!s.name.empty())
            web.screens.push_back(std::move(s));
    }
}

} // namespace

void parse_web(Table& root, Config& cfg, SectionContext& sc)
{
    if (auto t = root.table("web", Need::optional))
    {
        cfg.web.emplace();
        parse_listen(*t, "listen", Need::required, "0.0.0.0:8080", cfg.web->listen);
        parse_console(*t, *cfg.web, sc);
        parse_public_url(*t, *cfg.web);
        if (auto dir = t->string("static_dir", Need::optional))
        {
            // Relative to the config file's folder, like [voice] clips.
            std::filesystem::path p(*dir);
            if (p.is_relative() && !sc.search_dirs.empty())
                p = std::filesystem::path(sc.search_dirs.front()) / p;
            cfg.web->static_dir = p.lexically_normal().string();
        }
        cfg.web->max_connections =
            static_cast<int>(t->integer("max_connections", Need::optional, 16, 20000).value_or(cfg.web->max_connections));
        cfg.web->idle_timeout_s =
            static_cast<int>(t->integer("idle_timeout_s", Need::optional, 1, 3600).value_or(cfg.web->idle_timeout_s));
        cfg.web->request_timeout_s =
            static_cast<int>(t->integer("request_timeout_s", Need::optional, 1, 300).value_or(cfg.web->request_timeout_s));
        parse_board(*t, cfg);
        t->finish();
    }
    parse_screens(root, cfg);
}

} // namespace motcua::config
