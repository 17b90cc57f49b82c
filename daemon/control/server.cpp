#include "control/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <deque>
#include <filesystem>

namespace motcua::control
{

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using stream = asio::local::stream_protocol;
using namespace asio::experimental::awaitable_operators;
using namespace std::chrono_literals;

// One client. A reader coroutine parses and answers requests in order; a writer coroutine
// drains the outbox, so watch events and responses never interleave within a line.
class Connection : public std::enable_shared_from_this<Connection>
{
  public:
    Connection(Server& server, stream::socket socket)
        : server_(server), socket_(std::move(socket)), wake_writer_(socket_.get_executor())
    {
        wake_writer_.expires_at(asio::steady_timer::time_point::max());
    }

    void start()
    {
        auto self = shared_from_this();
        asio::co_spawn(socket_.get_executor(), [self] { return self->read_loop(); }, asio::detached);
        asio::co_spawn(socket_.get_executor(), [self] { return self->write_loop(); }, asio::detached);
    }

    void send(const json& message)
    {
        if (closed_)
            return;
        if (outbox_.size() >= max_queued_events)
        {
            spdlog::warn("Control client dropped: it does not read its messages");
            close();
            return;
        }
        outbox_.push_back(message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
        wake_writer_.cancel();
    }

    bool watches(const std::string& topic) const { return topics_.contains(topic) || topics_.contains("all"); }

    void close()
    {
        if (closed_)
            return;
        closed_ = true;
        boost::system::error_code ec;
        socket_.shutdown(stream::socket::shutdown_both, ec);
        socket_.close(ec);
        wake_writer_.cancel();
        server_.forget(shared_from_this());
    }

  private:
    awaitable<void> read_loop()
    {
        auto self = shared_from_this();
        asio::streambuf buffer(max_request_bytes + 1);
        asio::steady_timer timer(socket_.get_executor());
        while (!closed_)
        {
            // A client may sit idle between requests (watchers do), but once it has sent
            // part of a line it must finish it within the timeout.
            std::size_t n = 0;
            boost::system::error_code ec;
            if (buffer.size() == 0)
                n = co_await asio::async_read_until(socket_, buffer, '\n',
                                                    asio::redirect_error(use_awaitable, ec));
            else
            {
                timer.expires_after(std::chrono::seconds(partial_request_timeout_s));
                boost::system::error_code timer_ec; // separate: the loser of || completes too
                auto r = co_await (asio::async_read_until(socket_, buffer, '\n',
                                                          asio::redirect_error(use_awaitable, ec)) ||
                                   timer.async_wait(asio::redirect_error(use_awaitable, timer_ec)));
                if (r.index() == 1)
                {
                    send(error_response(nullptr, make_error("timeout", "Request line not finished in time.")));
                    co_await flush_then_close();
                    co_return;
                }
                n = std::get<0>(r);
            }
            if (ec == asio::error::not_found || buffer.size() > max_request_bytes)
            {
                send(error_response(nullptr, make_error("request_too_large", "A request line may hold at most " +
                                                                                std::to_string(max_request_bytes) +
                                                                                " bytes.")));
                co_await flush_then_close();
                co_return;
            }
            if (ec)
            {
                close();
                co_return;
            }
            std::string line(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + static_cast<std::ptrdiff_t>(n - 1));
            buffer.consume(n);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (line.find_first_not_of(" \t") == std::string::npos)
                continue;
            co_await handle(line);
        }
    }

    awaitable<void> handle(const std::string& line)
    {
        auto request = json::parse(line, nullptr, false);
        if (request.is_discarded() || !request.is_object())
        {
            send(error_response(nullptr, make_error("bad_request", "A request is one JSON object per line.")));
            co_return;
        }
        json id = request.contains("id") ? request["id"] : json(nullptr);
        if (request.value("cmd", "") == "watch")
        {
            const auto& args = request.contains("args") ? request["args"] : json::object();
            topics_.clear();
            if (args.is_object() && args.contains("topics") && args["topics"].is_array())
            {
                for (const auto& t : args["topics"])
                    if (t.is_string())
                        topics_.insert(t.get<std::string>());
            }
            else
                topics_.insert("all");
            send(ok_response(id, json{{"watching", topics_}}));
            co_return;
        }
        send(co_await server_.dispatch(request));
    }

    awaitable<void> write_loop()
    {
        auto self = shared_from_this();
        asio::steady_timer timer(socket_.get_executor());
        while (true)
        {
            while (!outbox_.empty() && !closed_)
            {
                boost::system::error_code ec;
                timer.expires_after(std::chrono::seconds(write_timeout_s));
                boost::system::error_code timer_ec; // separate: the loser of || completes too
                auto r = co_await (asio::async_write(socket_, asio::buffer(outbox_.front()),
                                                     asio::redirect_error(use_awaitable, ec)) ||
                                   timer.async_wait(asio::redirect_error(use_awaitable, timer_ec)));
                if (r.index() == 1 || ec)
                {
                    close();
                    co_return;
                }
                outbox_.pop_front();
            }
            if (closed_)
                co_return;
            if (flushed_)
            {
                flushed_->cancel();
                flushed_ = nullptr;
            }
            boost::system::error_code ec;
            co_await wake_writer_.async_wait(asio::redirect_error(use_awaitable, ec));
            wake_writer_.expires_at(asio::steady_timer::time_point::max());
        }
    }

    awaitable<void> flush_then_close()
    {
        asio::steady_timer done(socket_.get_executor(), asio::steady_timer::time_point::max());
        flushed_ = &done;
        wake_writer_.cancel();
        boost::system::error_code ec;
        if (!outbox_.empty())
            co_await done.async_wait(asio::redirect_error(use_awaitable, ec));
        flushed_ = nullptr;
        close();
    }

    Server& server_;
    stream::socket socket_;
    asio::steady_timer wake_writer_;
    asio::steady_timer* flushed_ = nullptr;
    std::deque<std::string> outbox_;
    std::set<std::string> topics_;
    bool closed_ = false;
};

Server::Server(asio::io_context& io, std::string path) : io_(io), path_(std::move(path)), acceptor_(io) {}

Server::~Server() { stop(); }

void Server::add(std::string command, Handler handler) { handlers_[std::move(command)] = std::move(handler); }

Result<void> Server::start()
{
    boost::system::error_code ec;
    std::filesystem::remove(path_, ec); // a stale socket from a previous run
    acceptor_.open(stream(), ec);
    if (!ec)
        acceptor_.bind(stream::endpoint(path_), ec);
    if (!ec)
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return make_error("control_socket", "Cannot listen on control socket " + path_ + ": " + ec.message());
    ::chmod(path_.c_str(), 0660);
    asio::co_spawn(io_, accept_loop(), asio::detached);
    return {};
}

void Server::stop()
{
    boost::system::error_code ec;
    if (acceptor_.is_open())
    {
        acceptor_.close(ec);
        std::filesystem::remove(path_, ec);
    }
    auto all = connections_;
    for (const auto& c : all)
        c->close();
}

awaitable<void> Server::accept_loop()
{
    while (acceptor_.is_open())
    {
        boost::system::error_code ec;
        auto socket = co_await acceptor_.async_accept(asio::redirect_error(use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open())
            co_return;
        if (ec)
        {
            spdlog::warn("Control socket accept failed error={}", ec.message());
            asio::steady_timer pause(io_, 100ms); // e.g. EMFILE: do not spin
            co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
            continue;
        }
        if (connections_.size() >= max_clients)
        {
            std::string busy = error_response(nullptr, make_error("busy", "Too many control clients.")).dump() + "\n";
            socket.write_some(asio::buffer(busy), ec);
            socket.close(ec);
            continue;
        }
        auto c = std::make_shared<Connection>(*this, std::move(socket));
        connections_.insert(c);
        c->start();
    }
}

void Server::forget(const std::shared_ptr<Connection>& c) { connections_.erase(c); }

void Server::publish(const std::string& topic, const json& event)
{
    auto all = connections_; // send() may drop a slow client
    for (const auto& c : all)
        if (c->watches(topic))
            c->send(event);
}

awaitable<json> Server::dispatch(const json& request)
{
    json id = request.contains("id") ? request.at("id") : json(nullptr);
    if (!request.contains("cmd") || !request.at("cmd").is_string())
        co_return error_response(id, make_error("bad_request", "The request has no \"cmd\" string."));
    auto cmd = request.at("cmd").get<std::string>();
    auto it = handlers_.find(cmd);
    if (it == handlers_.end())
        co_return error_response(id, make_error("unknown_command", "Unknown command \"" + cmd + "\"."));
    json args = request.contains("args") ? request.at("args") : json::object();
    if (!args.is_object())
        co_return error_response(id, make_error("bad_request", "\"args\" must be an object."));
    try
    {
        auto result = co_await it->second(args);
        if (!result)
            co_return error_response(id, result.error());
        co_return ok_response(id, std::move(result.value()));
    }
    catch (const BadArgument& e)
    {
        co_return error_response(id, make_error("bad_request", std::string("Bad arguments: ") + e.what() + "."));
    }
    catch (const json::exception& e)
    {
        // A wrongly typed argument ("counter": "three"): the client's mistake, not ours.
        co_return error_response(id, make_error("bad_request", std::string("Bad arguments: ") + e.what()));
    }
}

} // namespace motcua::control
