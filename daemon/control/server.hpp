#pragma once

// The control socket: one transport over the command layer. It reads newline-delimited
// JSON requests, names the peer (SO_PEERCRED) as the actor, and asks the registry to run
// each command; "watch" subscribes the connection to event topics.

#include "command/registry.hpp"
#include "control/protocol.hpp"
#include "control/request.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <memory>
#include <utility>
#include <set>
#include <string>

#include <sys/types.h>

namespace motcua::control
{

class Connection;

// Serves many clients at once on the one io_context; each client's requests are answered in
// order. Malformed, oversized or half-sent requests get an error or a closed connection,
// never a stall of the others; every request gets an answer.
class Server
{
  public:
    Server(boost::asio::io_context& io, std::string path, const command::Registry& commands);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds (replacing a stale socket file), sets mode 0660 and starts accepting.
    Result<void> start();
    // Stops accepting and closes every connection.
    void stop();
    // Sends an event line to every client that asked to watch `topic` ("queue", "devices"…).
    void publish(const std::string& topic, const json& event);

    const std::string& path() const { return path_; }
    std::size_t clients() const { return connections_.size(); }

    // Used by connections: the answer to one well-formed request (control/request.hpp).
    boost::asio::awaitable<json> answer(const command::Actor& actor, const Request& request);
    void forget(const std::shared_ptr<Connection>& c);

  private:
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> refuse_busy(boost::asio::local::stream_protocol::socket socket);

    boost::asio::io_context& io_;
    std::string path_;
    std::pair<dev_t, ino_t> bound_{0, 0}; // the socket file this server created
    const command::Registry& commands_;
    boost::asio::local::stream_protocol::acceptor acceptor_;
    std::set<std::shared_ptr<Connection>> connections_;
    std::size_t refusing_ = 0; // connections being told "busy"
};

} // namespace motcua::control
