#include "control/server.hpp"

#include "control/request.hpp"
#include "util/spawn.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <sys/socket.h>
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

namespace
{
// The peer's uid and pid from the kernel: who is asking, for the policy and the journal.
command::Actor peer_actor(stream::socket& socket)
{
    struct ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return command::Actor::socket_peer(static_cast<uid_t>(-1), 0);
    return command::Actor::socket_peer(cred.uid, cred.pid);
}

// The id of a request parse_request refused, when there is one worth echoing, so the client
// can tell which of its requests was refused.
json id_of_malformed(const std::string& line)
{
    auto request = json::parse(line, nullptr, false);
    if (!request.is_object() || !request.contains("id"))
        return nullptr;
    const auto& id = request.at("id");
    return id.is_number() || id.is_string() ? id : json(nullptr);
}

json error_line(const json& id, const char* code, std::string message)
{
    return error_response(id, make_error(code, std::move(message)));
}
} // namespace

// One client. A reader coroutine parses and answers requests in order; a writer coroutine
// drains the outbox, so watch events and responses never interleave within a line.
class Connection : public std::enable_shared_from_this<Connection>
{
  public:
    Connection(Server& server, stream::socket socket)
        : server_(server), socket_(std::move(socket)), actor_(peer_actor(socket_)),
          wake_writer_(socket_.get_executor())
    {
        wake_writer_.expires_at(asio::steady_timer::time_point::max());
    }

    void start()
    {
        auto self = shared_from_this();
        const auto who = "control client " + actor_.label();
        asio::co_spawn(socket_.get_executor(), [self] { return self->read_loop(); },
                       [self, who](std::exception_ptr failure) {
                           log_failure("read loop of " + who)(failure);
                           self->close();
                       });
        asio::co_spawn(socket_.get_executor(), [self] { return self->write_loop(); },
                       [self, who](std::exception_ptr failure) {
                           log_failure("write loop of " + who)(failure);
                           self->close();
                       });
    }

    void send(const json& message)
    {
        if (closed_)
            return;
        if (outbox_.size() >= max_queued_events)
        {
            spdlog::warn("Control client dropped: it does not read its messages actor={}", actor_.label());
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
    // Reads bytes as they come and answers each complete line. A client may sit idle between
    // requests (watchers do), but once it has sent part of a line — the first line of the
    // connection too — it must finish it within the timeout.
    awaitable<void> read_loop()
    {
        auto self = shared_from_this();
        asio::steady_timer deadline(socket_.get_executor());
        std::string pending;
        std::array<char, 4096> chunk{};
        while (!closed_)
        {
            for (auto eol = pending.find('\n'); eol != std::string::npos && !closed_; eol = pending.find('\n'))
            {
                std::string line = pending.substr(0, eol);
                pending.erase(0, eol + 1);
                deadline.expires_at(asio::steady_timer::time_point::max()); // the next line's own time
                if (line.size() > max_request_bytes)
                    co_return co_await refuse_too_large();
                co_await handle(line);
            }
            if (closed_)
                co_return;
            if (pending.size() > max_request_bytes)
                co_return co_await refuse_too_large();
            if (pending.empty())
                deadline.expires_at(asio::steady_timer::time_point::max());
            else if (deadline.expiry() == asio::steady_timer::time_point::max())
                deadline.expires_after(std::chrono::seconds(partial_request_timeout_s));

            boost::system::error_code ec, timer_ec; // separate: the loser of || completes too
            auto r = co_await (socket_.async_read_some(asio::buffer(chunk), asio::redirect_error(use_awaitable, ec)) ||
                               deadline.async_wait(asio::redirect_error(use_awaitable, timer_ec)));
            if (r.index() == 1)
            {
                if (timer_ec)
                    continue; // the deadline was moved, not reached
                send(error_line(nullptr, "timeout", "Request line not finished in time."));
                co_return co_await flush_then_close();
            }
            if (ec)
            {
                close();
                co_return;
            }
            pending.append(chunk.data(), std::get<0>(r));
        }
    }

    awaitable<void> refuse_too_large()
    {
        send(error_line(nullptr, "request_too_large",
                        "A request line may hold at most " + std::to_string(max_request_bytes) + " bytes."));
        co_await flush_then_close();
    }

    awaitable<void> handle(std::string line)
    {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            co_return;
        auto request = parse_request(line);
        if (!request)
        {
            send(error_response(id_of_malformed(line), request.error()));
            co_return;
        }
        if (request->cmd == "watch")
        {
            watch(*request);
            co_return;
        }
        send(co_await server_.answer(actor_, *request));
    }

    void watch(const Request& request)
    {
        topics_.clear();
        const auto& args = request.args;
        if (args.contains("topics") && args.at("topics").is_array())
        {
            for (const auto& t : args.at("topics"))
                if (t.is_string() && t.get_ref<const std::string&>().size() <= 32)
                    topics_.insert(t.get<std::string>());
        }
        else
            topics_.insert("all");
        send(ok_response(request.id, json{{"watching", topics_}}));
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
    command::Actor actor_;
    asio::steady_timer wake_writer_;
    asio::steady_timer* flushed_ = nullptr;
    std::deque<std::string> outbox_;
    std::set<std::string> topics_;
    bool closed_ = false;
};

Server::Server(asio::io_context& io, std::string path, const command::Registry& commands)
    : io_(io), path_(std::move(path)), commands_(commands), acceptor_(io)
{}

Server::~Server() { stop(); }

namespace
{
// Whether a process accepts connections on the Unix socket at `path` now. A socket file
// left by a crash refuses (ECONNREFUSED); a live one is another daemon's.
bool someone_listens(const std::string& path)
{
    boost::system::error_code ec;
    stream::socket probe(asio::system_executor{});
    probe.connect(stream::endpoint(path), ec);
    return !ec;
}

// The socket file's identity, so that stop() removes its own file and never one that
// another daemon bound there since.
std::pair<dev_t, ino_t> identity(const std::string& path)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0)
        return {0, 0};
    return {st.st_dev, st.st_ino};
}
} // namespace

Result<void> Server::start()
{
    boost::system::error_code ec;
    // Two daemons with different state directories but one socket path would otherwise
    // take the socket from each other, and motcuactl would talk to the wrong office.
    if (someone_listens(path_))
        return make_error("control_socket_in_use",
                          "Another process serves the control socket " + path_ +
                              " (another motcuad, perhaps with another state directory): stop it, or give this one "
                              "its own --socket.");
    std::filesystem::remove(path_, ec); // a stale socket from a previous run
    acceptor_.open(stream(), ec);
    if (!ec)
        acceptor_.bind(stream::endpoint(path_), ec);
    if (!ec)
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return make_error("control_socket", "Cannot listen on control socket " + path_ + ": " + ec.message());
    ::chmod(path_.c_str(), 0660);
    bound_ = identity(path_);
    asio::co_spawn(io_, accept_loop(), log_failure("control socket accept loop"));
    return {};
}

void Server::stop()
{
    boost::system::error_code ec;
    if (acceptor_.is_open())
    {
        acceptor_.close(ec);
        if (identity(path_) == bound_)
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
            asio::co_spawn(io_, refuse_busy(std::move(socket)), log_failure("refusing a control client"));
            continue;
        }
        auto c = std::make_shared<Connection>(*this, std::move(socket));
        connections_.insert(c);
        c->start();
    }
}

// A client over the limit is told "busy". It has usually written its request already:
// read that before closing, so it gets the busy line instead of EPIPE on its write.
awaitable<void> Server::refuse_busy(stream::socket socket)
{
    boost::system::error_code ec;
    const std::string busy = error_line(nullptr, "busy", "Too many control clients.").dump() + "\n";
    if (refusing_ >= max_clients) // a flood: no grace for the flood's tail
    {
        socket.write_some(asio::buffer(busy), ec);
        co_return;
    }
    ++refusing_;
    socket.non_blocking(true, ec);
    socket.write_some(asio::buffer(busy), ec);
    socket.shutdown(stream::socket::shutdown_send, ec);
    asio::steady_timer grace(io_, 1s);
    std::array<char, 4096> sink{};
    boost::system::error_code read_ec, timer_ec;
    while (!read_ec)
    {
        auto r = co_await (socket.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, read_ec)) ||
                           grace.async_wait(asio::redirect_error(use_awaitable, timer_ec)));
        if (r.index() == 1)
            break;
    }
    --refusing_;
}

void Server::forget(const std::shared_ptr<Connection>& c) { connections_.erase(c); }

void Server::publish(const std::string& topic, const json& event)
{
    auto all = connections_; // send() may drop a slow client
    for (const auto& c : all)
        if (c->watches(topic))
            c->send(event);
}

awaitable<json> Server::answer(const command::Actor& actor, const Request& request)
{
    command::Call call{actor, request.args};
    auto result = co_await commands_.run(request.cmd, call);
    if (!result)
        co_return error_response(request.id, result.error());
    co_return ok_response(request.id, std::move(result.value()));
}

} // namespace motcua::control
