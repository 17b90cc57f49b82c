#include "web/console.hpp"

#include "command/actor.hpp"
#include "web/site.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace motcua::web
{

namespace
{
using boost::asio::awaitable;

// Sign-in attempts per client address: a burst for an office's shared PC after a restart,
// then one every two seconds. Wrong passwords per account are the lockout's business.
constexpr double login_burst = 30;
constexpr double login_per_second = 0.5;

Response api_error(int status, const std::string& code, const std::string& message)
{
    return Response::json_body(json{{"ok", false}, {"error", {{"code", code}, {"message", message}}}}, status);
}

Response api_ok(json result) { return Response::json_body(json{{"ok", true}, {"result", std::move(result)}}); }

Response unauthenticated()
{
    return api_error(401, "unauthenticated", "Phiên đăng nhập đã hết hoặc chưa đăng nhập: vui lòng đăng nhập lại.");
}

std::string session_cookie(const std::string& value, bool clear)
{
    return std::string(Console::cookie_name) + "=" + value + "; Path=/; HttpOnly; Secure; SameSite=Strict" +
           (clear ? "; Max-Age=0" : "");
}

bool json_request(const Request& r) { return r.header("content-type").find("application/json") != std::string::npos; }

// The named coroutines of the routes (GCC 12: no coroutine lambdas with captures).
awaitable<Response> login_route(Console* console, const Request* request) { co_return co_await console->login(*request); }
awaitable<Response> command_route(Console* console, const Request* request)
{
    co_return co_await console->command(*request);
}

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& e)
{
    return (e.address().is_v6() ? "[" + e.address().to_string() + "]" : e.address().to_string()) + ":" +
           std::to_string(e.port());
}
} // namespace

int http_status_of(std::string_view code)
{
    if (code == "unauthenticated")
        return 401;
    if (code == "forbidden" || code == "csrf")
        return 403;
    if (code == "unknown_command" || code == "not_found" || code.starts_with("unknown_"))
        return 404;
    if (code == "bad_request" || code.starts_with("bad_") || code.starts_with("invalid_") || code == "weak_password" ||
        code == "reason_required" || code == "empty_target" || code == "csv_syntax" || code == "import_invalid" ||
        code == "import_too_large")
        return 400;
    if (code == "internal_error" || code == "database" || code == "io" || code == "out_of_memory" ||
        code == "no_randomness" || code == "store_inconsistent" || code == "journal_corrupt" || code == "lock_failed" ||
        code == "crypto_unavailable" || code == "qr_failed")
        return 500;
    return 409;
}

std::string cookie_value(std::string_view header, std::string_view name)
{
    while (!header.empty())
    {
        auto semi = header.find(';');
        auto pair = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name)
        {
            auto value = pair.substr(eq + 1);
            while (!value.empty() && value.back() == ' ')
                value.remove_suffix(1);
            return std::string(value);
        }
    }
    return {};
}

Console::Console(const Port& port, EventHub& hub, const StaticFiles& files)
    : port_(port), hub_(hub), files_(files), server_(port.io), login_limiter_(login_burst, login_per_second)
{
    add_routes();
}

Console::~Console() { stop(); }

std::vector<std::string> Console::listen_texts() const
{
    std::vector<std::string> texts;
    for (const auto& l : port_.config().web->console_listen)
        texts.push_back(l.text);
    return texts;
}

Result<void> Console::start()
{
    const auto& web = *port_.config().web;
    // The limits of the hall (one [web] section sets both).
    auto limits = server_.limits();
    limits.max_connections = static_cast<std::size_t>(web.max_connections);
    limits.idle_timeout = std::chrono::seconds(web.idle_timeout_s);
    limits.request_timeout = std::chrono::seconds(web.request_timeout_s);
    server_.set_limits(limits);

    CertificateFiles files{web.console_cert, web.console_key};
    if (files.cert.empty())
    {
        files = self_signed_files(port_.state_dir);
        auto names = local_names();
        for (const auto& l : web.console_listen)
            if (l.host != "0.0.0.0" && l.host != "::")
                names.push_back(l.host);
        if (!web.public_url.empty())
        {
            // Its host: between "//" and the next ":" or "/" (or "]" for an IPv6 address).
            auto host = web.public_url.substr(web.public_url.find("//") + 2);
            if (!host.empty() && host.front() == '[')
                host = host.substr(1, host.find(']') - 1);
            else
                host = host.substr(0, host.find_first_of(":/"));
            names.push_back(host);
        }
        auto made = ensure_self_signed(port_.state_dir, names);
        if (!made)
            return made.error();
        if (*made)
            spdlog::info("Console certificate created path={} (self-signed, 10 years)", files.cert);
    }
    auto info = read_certificate(files.cert);
    if (!info)
        return info.error();
    certificate_ = std::move(*info);
    auto tls = tls_context(files);
    if (!tls)
        return tls.error();
    server_.use_tls(std::move(*tls));
    const auto texts = listen_texts();
    if (auto r = server_.listen(texts); !r)
        return r;
    listening_ = texts;
    std::string bound;
    for (const auto& e : server_.local_endpoints())
        bound += (bound.empty() ? "" : " ") + endpoint_text(e);
    const auto endpoints = server_.local_endpoints();
    const auto& first = web.console_listen.front();
    std::string host = first.host == "0.0.0.0" || first.host == "::" ? std::string() : first.host;
    if (host.empty())
    {
        // The hall's public address names this box as the LAN knows it.
        const auto hall = derive_public_url(web.listen.empty() ? "0.0.0.0" : web.listen.front().host, 80);
        host = hall.substr(hall.find("//") + 2);
    }
    else if (host.find(':') != std::string::npos)
        host = "[" + host + "]";
    const auto port_number = endpoints.empty() ? 0 : endpoints.front().port();
    url_ = "https://" + host + (port_number == 443 ? "" : ":" + std::to_string(port_number)) + "/console/";
    spdlog::info("Console listening on={} url={} certificate={} sha256={}", bound, url_, certificate_.path,
                 certificate_.fingerprint);
    return {};
}

void Console::stop()
{
    for (auto& w : watchers_)
        if (auto s = w.stream.lock())
            s->close();
    watchers_.clear();
    server_.stop();
}

void Console::reconfigure()
{
    const auto texts = listen_texts();
    if (texts == listening_)
        return;
    server_.stop();
    if (auto r = server_.listen(texts); !r)
        spdlog::error("Console not listening after the reload error=\"{}\"", r.error().message);
    listening_ = texts;
}

void Console::publish(const std::string& topic, const json& event)
{
    if (topic != "devices")
        return;
    std::erase_if(watchers_, [](const Watcher& w) {
        auto s = w.stream.lock();
        return !s || s->closed();
    });
    Frame frame;
    for (auto& w : watchers_)
    {
        if (!w.devices)
            continue;
        if (!frame)
            frame = std::make_shared<const std::string>(sse_frame(0, "devices", event));
        if (auto s = w.stream.lock())
            s->send(frame);
    }
}

std::optional<accounts::Session> Console::session_of(const Request& request)
{
    const auto cookie = cookie_value(request.header("cookie"), cookie_name);
    if (cookie.empty() || !port_.accounts.session)
        return std::nullopt;
    return port_.accounts.session(cookie);
}

json Console::user_json(const accounts::Session& s) const
{
    json counters = json::array();
    for (int c : s.counters)
        counters.push_back(c);
    json j{{"user", s.user}, {"role", command::to_string(s.role)}, {"counters", counters}, {"csrf", s.csrf}};
    if (port_.accounts.expires_at)
        j["expires_at"] = format_iso(port_.accounts.expires_at(s), port_.config().office.utc_offset);
    return j;
}

awaitable<Response> Console::login(const Request& request)
{
    const auto from = request.peer.to_string();
    if (const int wait = login_limiter_.take(from, std::chrono::steady_clock::now()); wait > 0)
    {
        spdlog::warn("Sign-in attempts limited from={} retry_after={}", from, wait);
        auto r = api_error(429, "too_many_requests",
                           "Quá nhiều lần đăng nhập từ máy này: vui lòng thử lại sau " + std::to_string(wait) + " giây.");
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        co_return r;
    }
    if (!json_request(request))
        co_return api_error(415, "bad_request", "Gửi tên đăng nhập và mật khẩu dưới dạng JSON.");
    const auto body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("user") || !body["user"].is_string() || !body.contains("password") ||
        !body["password"].is_string())
        co_return api_error(400, "bad_request", "Cần tên đăng nhập (user) và mật khẩu (password).");
    const std::string user = body["user"].get<std::string>();
    const std::string password = body["password"].get<std::string>();
    if (user.empty() || user.size() > 64 || password.size() > 1024 || !port_.accounts.sign_in)
        co_return api_error(401, "bad_login", "Sai tên đăng nhập hoặc mật khẩu.");
    auto account = co_await port_.accounts.sign_in(user, password, from);
    if (!account)
    {
        const auto& code = account.error().code;
        if (code == "account_locked")
            co_return api_error(401, "locked",
                                "Tài khoản đang tạm khoá vì nhập sai mật khẩu nhiều lần; vui lòng thử lại sau "
                                "hoặc nhờ quản trị viên mở khoá.");
        if (code == "account_disabled")
            co_return api_error(401, "disabled", "Tài khoản đã bị vô hiệu hoá; vui lòng liên hệ quản trị viên.");
        if (code == "bad_login")
            co_return api_error(401, "bad_login", "Sai tên đăng nhập hoặc mật khẩu.");
        spdlog::error("Sign-in failed user={} from={} error={} message=\"{}\"", user, from, code,
                      account.error().message);
        co_return api_error(500, "internal_error", "Lỗi máy chủ khi đăng nhập; vui lòng thử lại.");
    }
    auto started = port_.accounts.start_session(*account, from);
    if (!started)
        co_return api_error(500, "internal_error", "Lỗi máy chủ khi tạo phiên đăng nhập; vui lòng thử lại.");
    auto r = api_ok(user_json(started->second));
    r.headers.emplace_back("Set-Cookie", session_cookie(started->first, false));
    co_return r;
}

Response Console::me(const Request& request)
{
    auto s = session_of(request);
    if (!s)
        return unauthenticated();
    return api_ok(user_json(*s));
}

Response Console::logout(const Request& request)
{
    const auto cookie = cookie_value(request.header("cookie"), cookie_name);
    auto s = session_of(request);
    if (!s)
    {
        auto r = unauthenticated();
        r.headers.emplace_back("Set-Cookie", session_cookie("", true));
        return r;
    }
    if (!accounts::Sessions::csrf_matches(*s, request.header("x-csrf-token")))
        return api_error(403, "csrf", "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token): hãy tải lại trang.");
    port_.accounts.end_session(cookie);
    spdlog::info("Signed out user={} session={} from={}", s->user, s->id, request.peer.to_string());
    auto r = api_ok(json::object());
    r.headers.emplace_back("Set-Cookie", session_cookie("", true));
    return r;
}

awaitable<Response> Console::command(const Request& request)
{
    auto s = session_of(request);
    if (!s)
        co_return unauthenticated();
    if (!accounts::Sessions::csrf_matches(*s, request.header("x-csrf-token")))
    {
        spdlog::warn("Console request without its CSRF token refused user={} command={} from={}", s->user,
                     request.rest, request.peer.to_string());
        co_return api_error(403, "csrf", "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token): hãy tải lại trang.");
    }
    const std::string name = request.rest;
    if (name.empty() || name.size() > 64 || name.find('/') != std::string::npos)
        co_return api_error(404, "unknown_command", "Không có lệnh \"" + name + "\".");
    json args = json::object();
    if (!request.body.empty())
    {
        if (!json_request(request))
            co_return api_error(415, "bad_request", "Gửi tham số của lệnh dưới dạng JSON (application/json).");
        args = json::parse(request.body, nullptr, false);
        if (!args.is_object())
            co_return api_error(400, "bad_request", "Tham số của lệnh phải là một đối tượng JSON.");
    }
    const auto actor = command::Actor::web_user(s->user, s->role, s->counters);
    command::Call call{actor, args};
    auto result = co_await port_.commands.run(name, call);
    if (result)
        co_return api_ok(std::move(result.value()));
    const auto& e = result.error();
    co_return api_error(http_status_of(e.code), e.code, e.message);
}

Response Console::events(const Request& request)
{
    auto s = session_of(request);
    if (!s)
        return unauthenticated();
    bool queue = false, devices = false;
    std::string topics = request.param("topics");
    if (topics.empty())
        topics = "queue";
    for (std::size_t at = 0; at <= topics.size();)
    {
        auto comma = topics.find(',', at);
        auto topic = topics.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        if (topic == "queue")
            queue = true;
        else if (topic == "devices")
            devices = true;
        else if (!topic.empty())
            return api_error(400, "bad_request", "Chủ đề \"" + topic + "\" không có: dùng queue, devices.");
        if (comma == std::string::npos)
            break;
        at = comma + 1;
    }
    StreamOptions options;
    if (!queue)
        options.filter = [](const QueueUpdate&) { return false; };
    auto r = hub_.open_stream(request, std::move(options));
    std::erase_if(watchers_, [](const Watcher& w) { return w.stream.expired(); });
    if (r.stream)
        watchers_.push_back(Watcher{r.stream, devices});
    return r;
}

Response Console::page(const Request& request)
{
    const std::string name = "console/" + (request.rest.empty() ? std::string("index.html") : request.rest);
    const auto* file = files_.find(name);
    if (!file)
        return Response::error(404);
    Response r;
    r.content_type = file->content_type;
    r.body = file->body;
    return r;
}

void Console::add_routes()
{
    auto to_console = sync([](const Request&) {
        Response r;
        r.status = 302;
        r.headers.emplace_back("Location", "/console/");
        return r;
    });
    server_.route("GET", "/", to_console);
    server_.route("GET", "/console", to_console);
    server_.route_prefix("GET", "/console/", sync([this](const Request& r) { return page(r); }));
    server_.route("POST", "/api/login", [this](const Request& r) { return login_route(this, &r); });
    server_.route("POST", "/api/logout", sync([this](const Request& r) { return logout(r); }));
    server_.route("GET", "/api/me", sync([this](const Request& r) { return me(r); }));
    server_.route("GET", "/api/v1/events", sync([this](const Request& r) { return events(r); }));
    server_.route_prefix("POST", "/api/v1/", [this](const Request& r) { return command_route(this, &r); });
}

} // namespace motcua::web
