#include "web/site.hpp"

#include "util/text.hpp"
#include "web/board.hpp"
#include "web/phone.hpp"

#include <spdlog/spdlog.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/resource.h>

#include <algorithm>

namespace motcua::web
{

namespace
{
// Each SSE client holds a socket: the default soft limit of 1024 files would cap the
// hall at a few hundred phones. The hard limit is ours to take without privileges.
void raise_open_file_limit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, 65536);
    if (limit.rlim_cur < wanted)
    {
        limit.rlim_cur = wanted;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

Limits limits_of(const config::Web& web)
{
    Limits l;
    l.max_connections = static_cast<std::size_t>(web.max_connections);
    l.idle_timeout = std::chrono::seconds(web.idle_timeout_s);
    l.request_timeout = std::chrono::seconds(web.request_timeout_s);
    return l;
}
} // namespace

std::string derive_public_url(const std::string& listen_host, unsigned short port)
{
    std::string host;
    if (listen_host != "0.0.0.0" && listen_host != "::")
        host = listen_host.find(':') != std::string::npos ? "[" + listen_host + "]" : listen_host;
    else
    {
        ifaddrs* list = nullptr;
        if (::getifaddrs(&list) == 0)
        {
            for (auto* a = list; a && host.empty(); a = a->ifa_next)
            {
                if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || (a->ifa_flags & IFF_LOOPBACK) ||
                    !(a->ifa_flags & IFF_UP))
                    continue;
                char text[INET_ADDRSTRLEN] = {};
                auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
                if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text))
                    host = text;
            }
            ::freeifaddrs(list);
        }
        if (host.empty())
            host = "127.0.0.1";
    }
    return "http://" + host + (port == 80 ? "" : ":" + std::to_string(port));
}

Site::Site(Port port)
    : port_(std::move(port)), server_(port_.io, limits_of(*port_.config().web)),
      hub_(port_.io, port_.journal,
           [this](std::int64_t seq, const queue::Event& e) {
               return board::describe_event(port_.config(), port_.engine, seq, e);
           })
{
    add_routes();
}

Site::~Site() { stop(); }

Result<void> Site::start()
{
    const auto& web = settings();
    auto files = StaticFiles::load(static_dir_for(web.static_dir));
    if (!files)
        return files.error();
    files_ = std::move(*files);
    raise_open_file_limit();
    std::vector<std::string> texts;
    for (const auto& l : web.listen)
        texts.push_back(l.text);
    if (auto r = server_.listen(texts); !r)
        return r;
    listening_ = texts;
    public_url_ = derive_public_url();
    if (auto r = start_phone(); !r)
    {
        server_.stop();
        return r;
    }
    if (auto r = apply_console(); !r)
    {
        server_.stop();
        return r;
    }
    std::string bound;
    for (const auto& e : server_.local_endpoints())
        bound += (bound.empty() ? "" : " ") + (e.address().is_v6() ? "[" + e.address().to_string() + "]" : e.address().to_string()) +
                 ":" + std::to_string(e.port());
    spdlog::info("Web server listening on={} public_url={}{} files={} version={}", bound, public_url_,
                 web.public_url.empty() ? " (derived: set web.public_url to choose)" : "", files_.dir(),
                 files_.version());
    return {};
}

std::string Site::derive_public_url() const
{
    const auto& web = settings();
    if (!web.public_url.empty())
        return web.public_url;
    auto endpoints = server_.local_endpoints();
    const auto port = endpoints.empty() ? 0 : endpoints.front().port();
    return web::derive_public_url(web.listen.empty() ? "0.0.0.0" : web.listen.front().host, port);
}

void Site::stop()
{
    hub_.close_all();
    server_.stop();
    if (console_)
        console_->stop();
}

bool Site::idle() const
{
    auto idle_console = [](const auto& c) { return !c || c->server().idle(); };
    return server_.idle() && idle_console(console_) && std::all_of(retired_consoles_.begin(), retired_consoles_.end(), idle_console);
}

Result<void> Site::apply_console()
{
    std::erase_if(retired_consoles_, [](const auto& c) { return c->server().idle(); });
    const bool wanted = !settings().console_listen.empty();
    if (console_ && wanted)
    {
        console_->reconfigure();
        return {};
    }
    if (console_)
    {
        console_->stop(); // its connections' coroutines end on the loop's next turns
        retired_consoles_.push_back(std::move(console_));
    }
    if (!wanted)
        return {};
    console_ = std::make_unique<Console>(port_, hub_, files_);
    if (auto r = console_->start(); !r)
    {
        console_.reset();
        return r;
    }
    return {};
}

void Site::publish(const std::string& topic, const json& event)
{
    if (console_)
        console_->publish(topic, event);
}

void Site::reconfigure()
{
    const auto& web = settings();
    server_.set_limits(limits_of(web));
    std::vector<std::string> texts;
    for (const auto& l : web.listen)
        texts.push_back(l.text);
    if (texts != listening_)
    {
        server_.stop();
        if (auto r = server_.listen(texts); !r)
            spdlog::error("Web server not listening after the reload error=\"{}\"", r.error().message);
        listening_ = texts;
    }
    if (auto files = StaticFiles::load(static_dir_for(web.static_dir)))
        files_ = std::move(*files);
    else
        spdlog::error("Web files not reloaded, keeping the previous ones error=\"{}\"", files.error().message);
    if (auto r = apply_console(); !r)
        spdlog::error("Console not started after the reload error=\"{}\"", r.error().message);
    public_url_ = derive_public_url();
    if (phone_)
        phone_->set_public_url(public_url_);
    // Open boards reconnect as from another run, and fetch the new names, notice and
    // screens with their snapshot.
    hub_.renew_instance();
    hub_.close_all();
}

void Site::on_queue_event(const queue::Event&) { hub_.notify(); }

void Site::add_routes()
{
    server_.route("GET", "/", sync([](const Request&) {
        Response r;
        r.status = 302;
        r.headers.emplace_back("Location", "/board");
        return r;
    }));
    server_.route_prefix("GET", "/static/", sync([this](const Request& request) {
        // "<version>/<file>": another version (a page loaded before an upgrade) still
        // gets the file, but not for keeping.
        const auto slash = request.rest.find('/');
        if (slash == std::string::npos)
            return Response::error(404);
        const auto name = request.rest.substr(slash + 1);
        const auto* file = files_.find(name);
        if (!file)
            return Response::error(404);
        Response r;
        r.content_type = file->content_type;
        r.body = file->body;
        r.cache = request.rest.substr(0, slash) == files_.version() ? Cache::immutable : Cache::no_store;
        return r;
    }));
    add_board_routes();
    add_phone_routes();
}

void Site::add_board_routes()
{
    // The screen a request names: null for the whole hall; false when it names none known.
    auto screen_of = [this](const Request& request, const config::Screen** screen) {
        *screen = nullptr;
        const auto name = request.param("screen");
        if (name.empty())
            return true;
        *screen = settings().screen(name);
        return *screen != nullptr;
    };
    server_.route("GET", "/board", sync([this, screen_of](const Request& request) {
        const config::Screen* screen = nullptr;
        if (!screen_of(request, &screen))
            return Response::error(404);
        const auto* page = files_.find("board.html");
        if (!page)
            return Response::error(404);
        std::string html = page->body;
        auto replace = [&html](const std::string& key, const std::string& value) {
            for (auto at = html.find(key); at != std::string::npos; at = html.find(key, at + value.size()))
                html.replace(at, key.size(), value);
        };
        const auto& cfg = port_.config();
        replace("{{static}}", files_.prefix());
        replace("{{screen}}", text::escape_markup(screen ? screen->name : ""));
        replace("{{orientation}}", screen && screen->orientation == config::Orientation::portrait ? "portrait" : "landscape");
        replace("{{office}}", text::escape_markup(settings().board.office_name.empty() ? cfg.office.name : settings().board.office_name));
        return Response::html(std::move(html));
    }));
    server_.route("GET", "/api/board", sync([this, screen_of](const Request& request) {
        const config::Screen* screen = nullptr;
        if (!screen_of(request, &screen))
            return Response::json_body(json{{"error", "unknown_screen"}}, 404);
        hub_.catch_up();
        board::SnapshotContext context{hub_.instance(), hub_.seq(), files_.prefix(), now_from_clocks().wall};
        return Response::json_body(board::snapshot(port_.config(), port_.engine, hub_.recent(), screen, context));
    }));
    server_.route("GET", "/events", sync([this, screen_of](const Request& request) {
        const config::Screen* screen = nullptr;
        if (!screen_of(request, &screen))
            return Response::json_body(json{{"error", "unknown_screen"}}, 404);
        StreamOptions options;
        if (screen)
        {
            const std::string name = screen->name; // the Screen may be gone after a reload
            options.filter = [this, name](const QueueUpdate& u) { return board::on_screen(settings().screen(name), u); };
        }
        return hub_.open_stream(request, std::move(options));
    }));
}

} // namespace motcua::web
