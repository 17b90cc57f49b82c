#pragma once

#include "control/protocol.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace motcua::control
{

// A command handler. Runs on the io_context; may suspend (printing, bus transactions).
using Handler = std::function<boost::asio::awaitable<Result<json>>(const json& args)>;

class Connection;

// The daemon's control socket. Serves many clients at once on the one io_context; each
// client's requests are answered in order. Malformed, oversized or half-sent requests
// get an error or a closed connection, never a stall of the others.
class Server
{
  public:
    Server(boost::asio::io_context& io, std::string path);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void add(std::string command, Handler handler);
    // Binds (replacing a stale socket file), sets mode 0660 and starts accepting.
    Result<void> start();
    // Stops accepting and closes every connection.
    void stop();
    // Sends an event line to every client that asked to watch `topic` ("queue", "devices"…).
    void publish(const std::string& topic, const json& event);

    const std::string& path() const { return path_; }
    std::size_t clients() const { return connections_.size(); }

    // Used by connections.
    boost::asio::awaitable<json> dispatch(const json& request);
    void forget(const std::shared_ptr<Connection>& c);

  private:
    boost::asio::awaitable<void> accept_loop();

    boost::asio::io_context& io_;
    std::string path_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    std::map<std::string, Handler, std::less<>> handlers_;
    std::set<std::shared_ptr<Connection>> connections_;
};

} // namespace motcua::control
