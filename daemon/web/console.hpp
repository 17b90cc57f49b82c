#pragma once

// The desk console's transport (docs/console.md, docs/control-protocol.md "HTTP"): its own
// Server on [web] console_listen, HTTPS only, with the sign-in and the command API.
//
//   GET  /console/…            the pages (pages/console/: index.html is the sign-in page)
//   POST /api/login            {"user", "password"} → the session cookie and {user, role,
//                              counters, csrf, expires_at}; 401 bad_login | locked | disabled
//   POST /api/logout           ends the session (X-CSRF-Token), clears the cookie
//   GET  /api/me               the signed-in user as login answers it; 401 unauthenticated
//   POST /api/v1/<command>     the command layer: the body is the command's JSON arguments,
//                              the answer the control protocol's; the actor is the session's
//                              user (Actor::web_user); X-CSRF-Token required
//   GET  /api/v1/events?topics=queue,devices   Server-Sent Events for a signed-in user
//
// The cookie is `motcua_session` (HttpOnly; Secure; SameSite=Strict; Path=/); the CSRF token
// is compared in constant time. Sign-in attempts are limited per client address (a token
// bucket), wrong passwords per account (the lockout of daemon/accounts).

#include "accounts/account.hpp"
#include "accounts/sessions.hpp"
#include "phone/rate_limit.hpp"
#include "util/result.hpp"
#include "web/certificate.hpp"
#include "web/events.hpp"
#include "web/server.hpp"
#include "web/static_files.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua::web
{

struct Port;

// What the console uses of the accounts (app/accounts.hpp), as functions: the web face
// does not depend on the application.
struct ConsoleAccounts
{
    std::function<boost::asio::awaitable<Result<accounts::Account>>(const std::string& user, const std::string& password,
                                                                    const std::string& from)>
        sign_in;
    std::function<Result<std::pair<std::string, accounts::Session>>(const accounts::Account&, const std::string& from)>
        start_session;
    std::function<std::optional<accounts::Session>(const std::string& cookie)> session;
    std::function<void(const std::string& cookie)> end_session;
    std::function<WallTime(const accounts::Session&)> expires_at;
};

// The HTTP status of a command's error code: 400 bad_request, 401 unauthenticated,
// 403 forbidden / csrf, 404 unknown_command / not found, 500 internal, else 409 (the state
// refuses it: counter_busy, not_serving…).
int http_status_of(std::string_view code);

// The value of cookie `name` in a Cookie header ("a=1; motcua_session=…"), "" when absent.
std::string cookie_value(std::string_view header, std::string_view name);

class Console
{
  public:
    Console(const Port& port, EventHub& hub, const StaticFiles& files);
    ~Console();
    Console(const Console&) = delete;
    Console& operator=(const Console&) = delete;

    // The certificate (made when needed), the TLS context, and the listeners.
    Result<void> start();
    void stop();
    // After a reload: changed addresses are bound again (the certificate stays).
    void reconfigure();
    // A "devices" event (device and printer states) for the streams that asked for it.
    void publish(const std::string& topic, const json& event);

    Server& server() { return server_; }
    const Server& server() const { return server_; }
    const CertificateInfo& certificate() const { return certificate_; }
    // "https://192.168.1.10:8443/console/"
    const std::string& url() const { return url_; }

    static constexpr const char* cookie_name = "motcua_session";

    // The routes' bodies (public for the route coroutines in console.cpp).
    boost::asio::awaitable<Response> login(const Request& request);
    boost::asio::awaitable<Response> command(const Request& request);

  private:
    void add_routes();
    Response me(const Request& request);
    Response logout(const Request& request);
    Response events(const Request& request);
    Response page(const Request& request);
    std::optional<accounts::Session> session_of(const Request& request);
    json user_json(const accounts::Session& s) const;
    std::vector<std::string> listen_texts() const;

    const Port& port_;
    EventHub& hub_;
    const StaticFiles& files_;
    Server server_;
    CertificateInfo certificate_;
    std::string url_;
    std::vector<std::string> listening_;
    phone::RateLimiter login_limiter_;
    struct Watcher
    {
        std::weak_ptr<EventStream> stream;
        bool devices = false;
    };
    std::vector<Watcher> watchers_;
};

} // namespace motcua::web
