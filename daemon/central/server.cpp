#include "central/server.hpp"

#include "central/ingest.hpp"
#include "central/page.hpp"
#include "central/pki.hpp"
#include "central/reports.hpp"
#include "util/spawn.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <thread>

namespace motcua::central
{

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using json = nlohmann::json;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr std::chrono::seconds io_timeout{30};
constexpr std::size_t max_body = 16 * 1024 * 1024;

// --- pool -------------------------------------------------------------------------------

Pool::Pool(std::string conninfo, int size) : conninfo_(std::move(conninfo)), size_(size) {}

Pool::Lease::~Lease()
{
    std::lock_guard lock(pool_.mutex_);
    if (conn_->ok())
        pool_.idle_.push_back(std::move(conn_));
    else
        --pool_.open_; // broken: the next lease opens a fresh one
    pool_.freed_.notify_one();
}

Result<std::unique_ptr<Pool::Lease>> Pool::lease()
{
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty())
    {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return std::make_unique<Lease>(*this, std::move(c));
    }
    ++open_;
    lock.unlock();
    auto c = pg::Connection::open(conninfo_);
    if (!c)
    {
        std::lock_guard again(mutex_);
        --open_;
        freed_.notify_one();
        return c.error();
    }
    return std::make_unique<Lease>(*this, std::move(*c));
}

// --- requests -----------------------------------------------------------------------------

namespace
{

Response answer(const Request& req, http::status status, std::string body, std::string type = "application/json")
{
    Response res{status, req.version()};
    res.set(http::field::server, "motcua-central");
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

Response error_answer(const Request& req, http::status status, const std::string& code, const std::string& message)
{
    return answer(req, status, json{{"error", {{"code", code}, {"message", message}}}}.dump());
}

http::status status_for(const std::string& code)
{
    if (code == "bad_request")
        return http::status::bad_request;
    if (code == "unknown_site")
        return http::status::not_found;
    if (code == "pg_connection")
        return http::status::service_unavailable;
    return http::status::internal_server_error;
}

// "from=2026-01-01&to=…" -> value of `key`, "" when absent. Values are dates, codes and
// groupings: percent-escapes are decoded, '+' is a space.
std::string query_value(std::string_view target, std::string_view key)
{
    auto q = target.find('?');
    if (q == std::string_view::npos)
        return {};
    auto rest = target.substr(q + 1);
    while (!rest.empty())
    {
        auto amp = rest.find('&');
        auto pair = rest.substr(0, amp);
        auto eq = pair.find('=');
        if (pair.substr(0, eq) == key && eq != std::string_view::npos)
        {
            std::string out;
            auto v = pair.substr(eq + 1);
            for (std::size_t i = 0; i < v.size(); ++i)
            {
                if (v[i] == '+')
                    out += ' ';
                else if (v[i] == '%' && i + 2 < v.size())
                {
                    out += static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16));
                    i += 2;
                }
                else
                    out += v[i];
            }
            return out;
        }
        if (amp == std::string_view::npos)
            break;
        rest = rest.substr(amp + 1);
    }
    return {};
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

} // namespace

struct Peer
{
    std::string site;
    std::string serial; // upper-case hex, as `site add` recorded it
};

struct Server::Impl
{
    const Settings& settings;
    Pool& pool;
    asio::io_context io;
    ssl::context tls{ssl::context::tls_server};
    std::vector<std::unique_ptr<tcp::acceptor>> upload_acceptors;
    std::vector<std::unique_ptr<tcp::acceptor>> web_acceptors;

    Impl(const Settings& s, Pool& p) : settings(s), pool(p) {}

    Response upload_request(const Request& req, const Peer& peer);
    Response web_request(const Request& req);
    Result<void> listen(const config::ListenAddress& a, std::vector<std::unique_ptr<tcp::acceptor>>& into);
};

Response Server::Impl::upload_request(const Request& req, const Peer& peer)
{
    const auto path = path_of(req.target());
    const auto& site = peer.site;
    auto lease = pool.lease();
    if (!lease)
        return error_answer(req, http::status::service_unavailable, lease.error().code, lease.error().message);
    auto& db = ***lease;
    auto known = db.exec("SELECT cert_serial, revoked_at IS NOT NULL FROM sites WHERE code = $1", {site});
    if (!known)
        return error_answer(req, status_for(known.error().code), known.error().code, known.error().message);
    if (known->size() == 0 || known->text(0, 1) == "t" || known->string(0, 0) != peer.serial)
    {
        spdlog::warn("Central: upload refused site={} serial={} why={}", site, peer.serial,
                     known->size() == 0 ? "unknown site" : known->text(0, 1) == "t" ? "revoked" : "old certificate");
        return error_answer(req, http::status::forbidden, "site_refused",
                            known->size() == 0         ? "site " + site + " is not registered at the central"
                            : known->text(0, 1) == "t" ? "site " + site + " is revoked"
                                                       : "this certificate of site " + site +
                                                             " was replaced by a newer one");
    }
    if (req.method() == http::verb::get && path == "/api/v1/position")
    {
        auto p = position(db, site);
        if (!p)
            return error_answer(req, status_for(p.error().code), p.error().code, p.error().message);
        if (!*p)
            return error_answer(req, http::status::forbidden, "site_refused",
                                "site " + site + " is not registered or is revoked at the central");
        return answer(req, http::status::ok, (*p)->dump());
    }
    if (req.method() == http::verb::post && path == "/api/v1/rows")
    {
        auto batch = json::parse(req.body(), nullptr, false);
        auto a = ingest(db, site, batch);
        if (a.http_status == 409 || a.http_status == 403)
            spdlog::warn("Central: batch refused site={} code={} seq={} message=\"{}\"", site, a.error_code, a.bad_seq,
                         a.message);
        else if (a.http_status >= 500)
            spdlog::error("Central: batch failed site={} code={} message=\"{}\"", site, a.error_code, a.message);
        return answer(req, static_cast<http::status>(a.http_status), a.to_json().dump());
    }
    return error_answer(req, http::status::not_found, "not_found", "no such endpoint");
}

Response Server::Impl::web_request(const Request& req)
{
    const auto target = std::string_view(req.target().data(), req.target().size());
    const auto path = path_of(target);
    if (req.method() != http::verb::get)
        return error_answer(req, http::status::method_not_allowed, "method", "only GET here");
    if (path == "/")
        return answer(req, http::status::ok, report_page(settings.province), "text/html; charset=utf-8");
    if (path == "/favicon.ico")
        return answer(req, http::status::no_content, "", "image/x-icon"); // none, and no error for it
    auto lease = pool.lease();
    if (!lease)
        return error_answer(req, http::status::service_unavailable, lease.error().code, lease.error().message);
    auto& db = ***lease;
    if (path == "/api/alerts")
    {
        auto a = open_alerts(db);
        if (!a)
            return error_answer(req, status_for(a.error().code), a.error().code, a.error().message);
        return answer(req, http::status::ok, a->dump());
    }
    if (path == "/api/report" || path == "/report.csv" || path == "/report.xlsx")
    {
        auto query = report_query(query_value(target, "from"), query_value(target, "to"), query_value(target, "by"),
                                  query_value(target, "site"));
        if (!query)
            return error_answer(req, http::status::bad_request, query.error().code, query.error().message);
        auto report = province_report(db, *query);
        if (!report)
            return error_answer(req, status_for(report.error().code), report.error().code, report.error().message);
        if (path == "/api/report")
            return answer(req, http::status::ok, report->dump());
        auto file = report_file(*report, settings.province, path == "/report.csv" ? "csv" : "xlsx");
        if (!file)
            return error_answer(req, http::status::internal_server_error, file.error().code, file.error().message);
        auto res = answer(req, http::status::ok, std::move(file->body), file->content_type);
        res.set(http::field::content_disposition, "attachment; filename=\"" + file->filename + "\"");
        return res;
    }
    return error_answer(req, http::status::not_found, "not_found", "no such page");
}

namespace
{

// The verified client certificate's CN (who is uploading) and serial (which of its
// certificates: a site enrolled again, or revoked, has its old one refused).
Peer peer_of(ssl::stream<beast::tcp_stream>& stream)
{
    Peer peer;
    X509* cert = SSL_get1_peer_certificate(stream.native_handle());
    if (!cert)
        return peer;
    if (auto cn = pki::subject_common_name(cert))
        peer.site = *cn;
    if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr))
    {
        char* hex = BN_bn2hex(bn);
        peer.serial = hex ? hex : "";
        OPENSSL_free(hex);
        BN_free(bn);
    }
    X509_free(cert);
    return peer;
}

awaitable<void> upload_session(Server::Impl* impl, tcp::socket socket)
{
    ssl::stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), impl->tls);
    beast::error_code ec;
    beast::get_lowest_layer(stream).expires_after(io_timeout);
    co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(use_awaitable, ec));
    if (ec)
        co_return; // no certificate, a wrong one, or not TLS: nothing to answer
    const auto peer = peer_of(stream);
    beast::flat_buffer buffer;
    for (;;)
    {
        http::request_parser<http::string_body> parser;
        parser.body_limit(max_body);
        beast::get_lowest_layer(stream).expires_after(io_timeout);
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
        if (ec)
            break;
        auto req = parser.release();
        // The blocking database work leaves this thread to the pool's other requests.
        Response res = peer.site.empty() ? error_answer(req, http::status::forbidden, "no_site",
                                                        "the client certificate names no site")
                                         : impl->upload_request(req, peer);
        beast::get_lowest_layer(stream).expires_after(io_timeout);
        co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
        if (ec || !res.keep_alive())
            break;
    }
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
    co_await stream.async_shutdown(asio::redirect_error(use_awaitable, ec));
}

awaitable<void> web_session(Server::Impl* impl, tcp::socket socket)
{
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;)
    {
        Request req;
        stream.expires_after(io_timeout);
        co_await http::async_read(stream, buffer, req, asio::redirect_error(use_awaitable, ec));
        if (ec)
            break;
        Response res = impl->web_request(req);
        stream.expires_after(io_timeout);
        co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
        if (ec || !res.keep_alive())
            break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

awaitable<void> accept_uploads(Server::Impl* impl, tcp::acceptor* acceptor)
{
    for (;;)
    {
        beast::error_code ec;
        auto socket = co_await acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor->is_open())
            co_return;
        if (!ec)
            asio::co_spawn(impl->io, upload_session(impl, std::move(socket)), log_failure("central upload session"));
    }
}

awaitable<void> accept_web(Server::Impl* impl, tcp::acceptor* acceptor)
{
    for (;;)
    {
        beast::error_code ec;
        auto socket = co_await acceptor->async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor->is_open())
            co_return;
        if (!ec)
            asio::co_spawn(impl->io, web_session(impl, std::move(socket)), log_failure("central web session"));
    }
}

} // namespace

Result<void> Server::Impl::listen(const config::ListenAddress& a, std::vector<std::unique_ptr<tcp::acceptor>>& into)
{
    beast::error_code ec;
    auto address = asio::ip::make_address(a.host, ec);
    if (ec)
        return make_error("listen", "cannot listen on " + a.text + ": " + ec.message());
    auto acceptor = std::make_unique<tcp::acceptor>(io);
    tcp::endpoint endpoint(address, static_cast<unsigned short>(a.port));
    acceptor->open(endpoint.protocol(), ec);
    if (!ec)
        acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        acceptor->bind(endpoint, ec);
    if (!ec)
        acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return make_error("listen", "cannot listen on " + a.text + ": " + ec.message());
    into.push_back(std::move(acceptor));
    return {};
}

Server::Server(const Settings& settings, Pool& pool) : impl_(std::make_unique<Impl>(settings, pool)) {}

Server::~Server() { stop(); }

Result<void> Server::start()
{
    auto& tls = impl_->tls;
    const auto& s = impl_->settings;
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    beast::error_code ec;
    tls.use_certificate_chain_file(s.server_cert(), ec);
    if (!ec)
        tls.use_private_key_file(s.server_key(), ssl::context::pem, ec);
    if (ec)
        return make_error("tls", "cannot read the server certificate " + s.server_cert() + " and key: " +
                                     ec.message() + " (motcua-central init makes them)");
    tls.load_verify_file(s.ca_dir() + "/ca.crt", ec);
    if (ec)
        return make_error("tls", "cannot read the province CA " + s.ca_dir() + "/ca.crt: " + ec.message());
    // A box without a certificate of this CA does not get past the handshake.
    tls.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    for (const auto& a : s.listen)
        if (auto r = impl_->listen(a, impl_->upload_acceptors); !r)
            return r;
    for (const auto& a : s.web_listen)
        if (auto r = impl_->listen(a, impl_->web_acceptors); !r)
            return r;
    for (auto& a : impl_->upload_acceptors)
    {
        spdlog::info("Central: uploads on https://{}", a->local_endpoint().address().to_string() + ":" +
                                                          std::to_string(a->local_endpoint().port()));
        asio::co_spawn(impl_->io, accept_uploads(impl_.get(), a.get()), log_failure("central accept"));
    }
    for (auto& a : impl_->web_acceptors)
    {
        spdlog::info("Central: report pages on http://{}", a->local_endpoint().address().to_string() + ":" +
                                                              std::to_string(a->local_endpoint().port()));
        asio::co_spawn(impl_->io, accept_web(impl_.get(), a.get()), log_failure("central web accept"));
    }
    return {};
}

void Server::run()
{
    asio::signal_set signals(impl_->io, SIGINT, SIGTERM);
    signals.async_wait([this](const beast::error_code& ec, int) {
        if (!ec)
        {
            spdlog::info("Central: stopping");
            impl_->io.stop();
        }
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < impl_->settings.workers; ++i)
        threads.emplace_back([this] { impl_->io.run(); });
    impl_->io.run();
    for (auto& t : threads)
        t.join();
}

void Server::stop() { impl_->io.stop(); }

} // namespace motcua::central
