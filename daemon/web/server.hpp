#pragma once

// The HTTP server of motcuad (Boost.Beast on the daemon's one io_context: no thread of
// its own, so the RS-485 buses never wait for it). It parses and limits requests, routes
// them to handlers, and writes every answer with the same strict headers. It knows
// nothing of queues: web/site.cpp adds the routes.
//
// Adding a route (in web/site.cpp or a module it calls, e.g. web/board.cpp):
//
//   server.route("GET", "/api/board", sync([this](const Request& r) {
//       return Response::json_body(snapshot(r.param("screen")));
//   }));
//   server.route_prefix("GET", "/t/", handler);   // r.rest is what follows "/t/"
//
// A handler is `awaitable<Response>(const Request&)`: use sync() for one that does not
// wait, or write a coroutine (capture `this` or raw pointers only: GCC 12 destroys owning
// captures of coroutine lambdas twice). Exact routes win over prefix routes; the longest
// prefix wins among prefixes. A route for GET answers HEAD too. A path with no route is
// 404 (Response::error), a known path with another method 405.
//
// Adding a live stream (Server-Sent Events, web/events.hpp): the handler returns
//
//   return hub.open_stream(request, {.filter = ..., .render = ...});
//
// and the connection becomes that stream: every committed queue event that passes the
// filter is sent with `id: <journal seq>`, a reconnecting client (Last-Event-ID) gets the
// events it missed from memory or the journal, or a "reload" event.
//
// Every response carries: Content-Security-Policy allowing nothing but this box ('self'),
// X-Content-Type-Options nosniff, Referrer-Policy no-referrer, and Cache-Control no-store,
// except Cache::immutable answers (the versioned static files) which may be kept a year.
//
// The same server speaks HTTPS when given a TLS context (use_tls(), the desk console's
// listener, web/console.hpp): every connection then starts with the TLS handshake, and a
// client that speaks plain HTTP to it is sent to the https:// address of what it asked for.
// One Connection template serves both streams: the routing, limits and headers are one code.

#include "util/result.hpp"
#include "web/http.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace boost::asio::ssl
{
class context;
}

namespace motcua::web
{

using Handler = std::function<boost::asio::awaitable<Response>(const Request&)>;

// A handler that answers at once.
Handler sync(std::function<Response(const Request&)> body);

// Limits like the control socket's: what one client may cost the daemon.
struct Limits
{
    std::size_t header_bytes = 8 * 1024;   // request line + headers; more: 431
    std::size_t body_bytes = 64 * 1024;    // more: 413
    std::size_t max_connections = 1000;    // more: 503 and closed at once
    std::chrono::seconds idle_timeout{30};   // keep-alive connection with no request
    std::chrono::seconds request_timeout{10}; // from a request's first byte to its end
    std::chrono::seconds write_timeout{10};   // one write to a client that does not read
};

// "0.0.0.0:8080", "[::]:8080", "127.0.0.1:0" → endpoint; error naming the text.
Result<boost::asio::ip::tcp::endpoint> parse_listen(const std::string& text);

// One client connection (web/server.cpp: a template over the plain and the TLS stream).
class Connection
{
  public:
    virtual ~Connection() = default;
    virtual void start() = 0;
    virtual void close() = 0;
};

class Server
{
  public:
    Server(boost::asio::io_context& io, Limits limits = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void route(const std::string& method, const std::string& path, Handler handler);
    void route_prefix(const std::string& method, const std::string& prefix, Handler handler);

    // Binds every "HOST:PORT" and starts accepting; nothing is bound on an error.
    Result<void> listen(const std::vector<std::string>& endpoints);
    // Closes the listeners and every connection (streams included).
    void stop();

    // The addresses actually bound (a port 0 in the config becomes the kernel's choice).
    std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;
    std::size_t connections() const { return connections_.size(); }
    // No coroutine of this server runs any more (accept loops and connections, streams
    // included): after stop(), the moment it may be destroyed.
    bool idle() const { return running_ == 0; }
    const Limits& limits() const { return limits_; }
    void set_limits(const Limits& limits) { limits_ = limits; }

    // From now on, accepted connections speak TLS with this context (certificate, key,
    // protocol versions: web/certificate.hpp). Connections already open keep theirs.
    void use_tls(std::shared_ptr<boost::asio::ssl::context> context) { tls_ = std::move(context); }
    bool tls() const { return tls_ != nullptr; }

    // Used by connections.
    boost::asio::awaitable<Response> answer(Request& request);
    void forget(const std::shared_ptr<Connection>& c);
    void coroutine_started() { ++running_; }
    void coroutine_ended() { --running_; }

  private:
    struct Route
    {
        std::string method;
        Handler handler;
    };
    boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor);

    boost::asio::io_context& io_;
    Limits limits_;
    std::map<std::string, std::vector<Route>, std::less<>> exact_;
    std::map<std::string, std::vector<Route>, std::less<>> prefixes_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
    std::set<std::shared_ptr<Connection>> connections_;
    std::size_t running_ = 0; // coroutines started and not ended; see idle()
    std::shared_ptr<boost::asio::ssl::context> tls_;
};

} // namespace motcua::web
