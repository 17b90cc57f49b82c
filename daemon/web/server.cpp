#include "web/server.hpp"

#include "phone/token.hpp"
#include "util/spawn.hpp"
#include "web/events.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <type_traits>

namespace motcua::web
{

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Nothing from outside the box: scripts, styles, fonts, images and connections from 'self'.
// No inline script or style (the pages have none), no framing, no plugins.
constexpr const char* content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

namespace
{
// The coroutine of a sync() handler: a named function with raw pointers (GCC 12 destroys
// owning captures of coroutine lambdas twice). The body lives in the route's Handler, the
// request in the connection's coroutine, both longer than this.
awaitable<Response> run_sync(const std::function<Response(const Request&)>* body, const Request* request)
{
    co_return (*body)(*request);
}
} // namespace

Handler sync(std::function<Response(const Request&)> body)
{
    auto shared = std::make_shared<std::function<Response(const Request&)>>(std::move(body));
    return [shared](const Request& request) { return run_sync(shared.get(), &request); };
}

Result<tcp::endpoint> parse_listen(const std::string& text)
{
    auto bad = [&](const std::string& why) {
        return make_error("bad_listen", "listen address \"" + text + "\" " + why +
                                            " (write HOST:PORT, e.g. \"0.0.0.0:8080\" or \"[::]:8080\")");
    };
    std::string host, port;
    if (!text.empty() && text.front() == '[')
    {
        auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return bad("has no closing ] followed by :PORT");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    }
    else
    {
        auto colon = text.rfind(':');
        if (colon == std::string::npos)
            return bad("has no :PORT");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string::npos)
            return bad("is an IPv6 address without [ ]");
    }
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return bad("has no port number");
    const int p = std::stoi(port);
    if (p > 65535)
        return bad("has a port above 65535");
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
    if (ec)
        return bad("does not start with an IP address");
    return tcp::endpoint(address, static_cast<unsigned short>(p));
}

// The plain stream of the hall and the TLS stream of the console.
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// A host name or address as a Host header may carry it ("box.local:8443", "[::1]:8443"):
// nothing that could split a header or a URL.
bool plain_host(std::string_view host)
{
    return !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
}

// One client connection: requests in order (HTTP/1.1 keep-alive), until the client closes,
// a limit is passed, or the answer is a stream that it then serves until its end. Over TLS
// the handshake comes first.
template <class Stream>
class StreamConnection : public Connection, public std::enable_shared_from_this<StreamConnection<Stream>>
{
    static constexpr bool over_tls = std::is_same_v<Stream, TlsStream>;

  public:
    StreamConnection(Server& server, tcp::socket socket) requires(!over_tls)
        : server_(server), stream_(std::move(socket))
    {
        remember_peer();
    }
    StreamConnection(Server& server, tcp::socket socket, asio::ssl::context& tls) requires(over_tls)
        : server_(server), stream_(std::move(socket), tls)
    {
        remember_peer();
    }

    void start() override
    {
        auto self = this->shared_from_this();
        server_.coroutine_started();
        asio::co_spawn(lowest().get_executor(), [self] { return self->serve(); },
                       [self](std::exception_ptr failure) {
                           log_failure("web connection of " + self->peer_.to_string())(failure);
                           self->close();
                           self->server_.coroutine_ended();
                       });
    }

    void close() override
    {
        if (closed_)
            return;
        closed_ = true;
        if (event_stream_)
            event_stream_->close();
        boost::system::error_code ec;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest().close();
        server_.forget(this->shared_from_this());
    }

  private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    void remember_peer()
    {
        boost::system::error_code ec;
        auto remote = lowest().socket().remote_endpoint(ec);
        if (!ec)
            peer_ = remote.address();
    }

    // TLS: the handshake, or — when the client speaks plain HTTP — its request read and
    // answered with the https:// address. False when the connection is over.
    awaitable<bool> handshake(beast::flat_buffer& buffer)
    {
        if constexpr (over_tls)
        {
            const auto& limits = server_.limits();
            boost::system::error_code ec;
            lowest().expires_after(limits.request_timeout);
            const bool tls = co_await beast::async_detect_ssl(lowest(), buffer, asio::redirect_error(use_awaitable, ec));
            if (ec)
                co_return false;
            if (!tls)
            {
                co_await redirect_plain_http(buffer);
                co_return false;
            }
            auto used = co_await stream_.async_handshake(asio::ssl::stream_base::server, buffer.data(),
                                                         asio::redirect_error(use_awaitable, ec));
            if (ec)
            {
                spdlog::debug("TLS handshake failed peer={} error={}", peer_.to_string(), ec.message());
                co_return false;
            }
            buffer.consume(used);
        }
        co_return true;
    }

    // A browser that typed http:// before the console's address: sent to https://, the
    // same host and path; anything else is told in plain text what to do.
    awaitable<void> redirect_plain_http(beast::flat_buffer& buffer)
    {
        const auto& limits = server_.limits();
        http::request_parser<http::empty_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
        boost::system::error_code ec;
        co_await http::async_read_header(lowest(), buffer, parser, asio::redirect_error(use_awaitable, ec));
        http::response<http::string_body> res;
        res.version(11);
        const auto host = ec ? std::string() : std::string(parser.get()[http::field::host]);
        const auto target = ec ? std::string() : std::string(parser.get().target());
        if (plain_host(host) && !target.empty() && target.front() == '/' &&
            target.find_first_of("\r\n") == std::string::npos)
        {
            res.result(http::status::moved_permanently);
            res.set(http::field::location, "https://" + host + target);
        }
        else
            res.result(http::status::bad_request);
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        res.body() = "Trang này chỉ dùng HTTPS: hãy mở https://" + (plain_host(host) ? host : std::string("<địa chỉ>")) +
                     "/console/\nThis port speaks HTTPS only.\n";
        res.keep_alive(false);
        res.prepare_payload();
        lowest().expires_after(limits.write_timeout);
        co_await http::async_write(lowest(), res, asio::redirect_error(use_awaitable, ec));
    }

    awaitable<void> serve()
    {
        auto self = this->shared_from_this();
        const auto& limits = server_.limits();
        beast::flat_buffer buffer(limits.header_bytes + limits.body_bytes + 4096);
        if (!co_await handshake(buffer))
            co_return close();
        bool first = true;
        while (!closed_)
        {
            // Between requests a client may stay silent for the idle time; once it has
            // started one, the whole request must arrive within the request time.
            boost::system::error_code ec;
            if (buffer.size() == 0)
            {
                lowest().expires_after(first ? limits.request_timeout : limits.idle_timeout);
                auto n = co_await stream_.async_read_some(buffer.prepare(4096), asio::redirect_error(use_awaitable, ec));
                if (ec)
                    co_return close();
                buffer.commit(n);
            }
            first = false;
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
            parser.body_limit(limits.body_bytes);
            lowest().expires_after(limits.request_timeout);
            co_await http::async_read(stream_, buffer, parser, asio::redirect_error(use_awaitable, ec));
            if (ec)
                co_return co_await refuse(ec);
            auto& message = parser.get();
            Request request;
            if (!to_request(message, request))
            {
                co_await write(Response::error(400), false, false);
                co_return close();
            }
            const bool head = request.method == "HEAD";
            Response response = co_await server_.answer(request);
            const bool keep_alive = message.keep_alive() && !response.stream;
            if (!co_await write(response, keep_alive, head))
                co_return close();
            if (response.stream && !head)
                co_return co_await serve_stream(response.stream);
            if (!keep_alive)
                co_return close();
        }
    }

    // A request the parser refused: say why when there is something to say, then close.
    awaitable<void> refuse(const boost::system::error_code& ec)
    {
        if (ec == http::error::header_limit)
            co_await write(Response::error(431), false, false);
        else if (ec == http::error::body_limit)
            co_await write(Response::error(413), false, false);
        else if (ec == beast::error::timeout)
            ; // the stream closed the socket when its time ran out: nothing can be said
        else if (ec != http::error::end_of_stream && ec != asio::error::eof &&
                 ec != asio::error::connection_reset && ec != asio::error::operation_aborted &&
                 ec.category() != asio::error::get_ssl_category() && ec != asio::ssl::error::stream_truncated)
            co_await write(Response::error(400), false, false);
        close();
    }

    bool to_request(const http::request<http::string_body>& message, Request& request)
    {
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        if (request.target.empty() || request.target.front() != '/')
            return false;
        const auto question = request.target.find('?');
        auto path = percent_decode(std::string_view(request.target).substr(0, question), false);
        if (!path || path->find('\0') != std::string::npos)
            return false;
        request.path = *path;
        if (question != std::string::npos)
            request.query = parse_query(std::string_view(request.target).substr(question + 1));
        for (const auto& field : message)
        {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            auto [it, fresh] = request.headers.emplace(name, std::string(field.value()));
            if (!fresh)
                it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
        }
        request.body = message.body();
        request.peer = peer_;
        return true;
    }

    // Writes the answer with the headers every answer carries; false when the client is gone.
    awaitable<bool> write(const Response& response, bool keep_alive, bool head_only)
    {
        http::response<http::string_body> res{static_cast<http::status>(response.status), 11};
        res.set(http::field::server, "motcuad");
        res.set(http::field::content_type, response.content_type);
        res.set(http::field::cache_control,
                response.cache == Cache::immutable ? "public, max-age=31536000, immutable" : "no-store");
        res.set("Content-Security-Policy", content_security_policy);
        res.set("X-Content-Type-Options", "nosniff");
        res.set("Referrer-Policy", "no-referrer");
        res.set("X-Frame-Options", "DENY");
        for (const auto& [name, value] : response.headers)
        {
            if (name == "Set-Cookie")
                res.insert(name, value); // several may go, each on its own line
            else
                res.set(name, value);
        }
        boost::system::error_code ec;
        lowest().expires_after(server_.limits().write_timeout);
        if (response.stream)
        {
            // A stream has no length: it lasts until one side closes it.
            res.set(http::field::connection, "keep-alive");
            http::response_serializer<http::string_body> sr{res};
            co_await http::async_write_header(stream_, sr, asio::redirect_error(use_awaitable, ec));
            co_return !ec;
        }
        res.keep_alive(keep_alive);
        res.body() = response.body;
        res.prepare_payload();
        if (head_only)
        {
            http::response_serializer<http::string_body> sr{res};
            co_await http::async_write_header(stream_, sr, asio::redirect_error(use_awaitable, ec));
        }
        else
            co_await http::async_write(stream_, res, asio::redirect_error(use_awaitable, ec));
        co_return !ec;
    }

    // Writes the stream's frames as they come, a keep-alive "ping" when there are none
    // for a while (a broken link is found within a heartbeat), until either side ends it.
    awaitable<void> serve_stream(const std::shared_ptr<EventStream>& stream)
    {
        event_stream_ = stream;
        // An event, not a comment: a browser sees it and knows the link is alive.
        static const std::string keep_alive = "event: ping\ndata: {}\n\n";
        while (!closed_ && !stream->closed())
        {
            auto frames = stream->take();
            if (frames.empty())
            {
                if (stream->finishing())
                    break;
                co_await stream->wait(EventHub::heartbeat);
                if (closed_ || stream->closed())
                    break;
                frames = stream->take();
                if (frames.empty() && stream->finishing())
                    break;
            }
            std::vector<asio::const_buffer> buffers;
            for (const auto& f : frames)
                buffers.push_back(asio::buffer(*f));
            if (buffers.empty())
                buffers.push_back(asio::buffer(keep_alive));
            boost::system::error_code ec;
            lowest().expires_after(server_.limits().write_timeout);
            co_await asio::async_write(stream_, buffers, asio::redirect_error(use_awaitable, ec));
            if (ec)
                break;
        }
        stream->close();
        close();
    }

    Server& server_;
    Stream stream_;
    asio::ip::address peer_;
    std::shared_ptr<EventStream> event_stream_;
    bool closed_ = false;
};

Server::Server(asio::io_context& io, Limits limits) : io_(io), limits_(limits) {}

Server::~Server() { stop(); }

void Server::route(const std::string& method, const std::string& path, Handler handler)
{
    exact_[path].push_back(Route{method, std::move(handler)});
}

void Server::route_prefix(const std::string& method, const std::string& prefix, Handler handler)
{
    prefixes_[prefix].push_back(Route{method, std::move(handler)});
}

Result<void> Server::listen(const std::vector<std::string>& endpoints)
{
    std::vector<std::unique_ptr<tcp::acceptor>> opened;
    for (const auto& text : endpoints)
    {
        auto endpoint = parse_listen(text);
        if (!endpoint)
            return endpoint.error();
        auto acceptor = std::make_unique<tcp::acceptor>(io_);
        boost::system::error_code ec;
        acceptor->open(endpoint->protocol(), ec);
        if (!ec)
            acceptor->set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec && endpoint->address().is_v6())
            acceptor->set_option(asio::ip::v6_only(true), ec);
        if (!ec)
            acceptor->bind(*endpoint, ec);
        if (!ec)
            acceptor->listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            return make_error("web_listen", "Cannot listen on " + text + ": " + ec.message());
        opened.push_back(std::move(acceptor));
    }
    for (auto& acceptor : opened)
    {
        acceptors_.push_back(std::move(acceptor));
        ++running_;
        asio::co_spawn(io_, accept_loop(*acceptors_.back()), [this](std::exception_ptr failure) {
            log_failure("web accept loop")(failure);
            --running_;
        });
    }
    return {};
}

void Server::stop()
{
    boost::system::error_code ec;
    for (auto& a : acceptors_)
        a->close(ec);
    // The accept loops end on operation_aborted; the acceptors stay allocated until then.
    auto all = connections_;
    for (const auto& c : all)
        c->close();
}

std::vector<tcp::endpoint> Server::local_endpoints() const
{
    std::vector<tcp::endpoint> out;
    for (const auto& a : acceptors_)
    {
        boost::system::error_code ec;
        if (a->is_open())
            if (auto e = a->local_endpoint(ec); !ec)
                out.push_back(e);
    }
    return out;
}

awaitable<void> Server::accept_loop(tcp::acceptor& acceptor)
{
    while (acceptor.is_open())
    {
        boost::system::error_code ec;
        auto socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec)
        {
            spdlog::warn("Web accept failed error={}", ec.message());
            asio::steady_timer pause(io_, 100ms); // e.g. EMFILE: do not spin
            co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
            continue;
        }
        if (connections_.size() >= limits_.max_connections)
        {
            // Told at once, without reading: the client retries later.
            static const std::string busy = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                            "Retry-After: 5\r\nConnection: close\r\n\r\n";
            socket.non_blocking(true, ec);
            socket.write_some(asio::buffer(busy), ec);
            socket.close(ec);
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        std::shared_ptr<Connection> c;
        if (tls_)
            c = std::make_shared<StreamConnection<TlsStream>>(*this, std::move(socket), *tls_);
        else
            c = std::make_shared<StreamConnection<PlainStream>>(*this, std::move(socket));
        connections_.insert(c);
        c->start();
    }
}

void Server::forget(const std::shared_ptr<Connection>& c) { connections_.erase(c); }

awaitable<Response> Server::answer(Request& request)
{
    const std::string method = request.method == "HEAD" ? "GET" : request.method;
    const std::vector<Route>* routes = nullptr;
    if (auto it = exact_.find(request.path); it != exact_.end())
        routes = &it->second;
    else
    {
        // The longest prefix that matches: of two matching prefixes one starts the other,
        // and the longer sorts after it.
        for (auto it = prefixes_.rbegin(); it != prefixes_.rend(); ++it)
            if (request.path.starts_with(it->first))
            {
                routes = &it->second;
                request.rest = request.path.substr(it->first.size());
                break;
            }
    }
    if (!routes)
        co_return Response::error(404);
    std::string allowed;
    for (const auto& route : *routes)
    {
        if (route.method == method)
        {
            try
            {
                co_return co_await route.handler(request);
            }
            catch (const std::exception& e)
            {
                spdlog::error("Web handler failed method={} path={} error=\"{}\"", request.method,
                              phone::redact_token_path(request.path), e.what());
                co_return Response::error(500);
            }
        }
        allowed += (allowed.empty() ? "" : ", ") + route.method;
    }
    auto r = Response::error(405);
    r.headers.emplace_back("Allow", allowed);
    co_return r;
}

} // namespace motcua::web
