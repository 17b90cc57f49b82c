#include "ctl/client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace motcua::ctl
{

Client::Client(std::string socket_path) : path_(std::move(socket_path)) {}

Client::~Client()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void Client::connect()
{
    if (fd_ >= 0)
        return;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof addr.sun_path)
        throw std::runtime_error("control socket path is too long: " + path_);
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    {
        const int errno_at_fail = errno;
        std::string why = std::strerror(errno_at_fail);
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
        // Nobody listens: the daemon stopped, and the journal says why (e.g. a damaged database).
        if (errno_at_fail == ENOENT || errno_at_fail == ECONNREFUSED)
            throw std::runtime_error("motcuad is not running (nothing listens at " + path_ + ": " + why +
                                     "): see journalctl -u motcuad and systemctl status motcuad "
                                     "(--socket or MOTCUA_SOCKET selects another socket)");
        throw std::runtime_error("cannot reach motcuad at " + path_ + ": " + why +
                                 " (--socket or MOTCUA_SOCKET selects another)");
    }
}

void Client::send_line(const std::string& line)
{
    std::size_t sent = 0;
    while (sent < line.size())
    {
        auto n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw std::runtime_error("lost the connection to motcuad: " + std::string(std::strerror(errno)));
        sent += static_cast<std::size_t>(n);
    }
}

std::optional<std::string> Client::read_line(int timeout_s)
{
    while (true)
    {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos)
        {
            auto line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, timeout_s < 0 ? -1 : timeout_s * 1000);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            throw std::runtime_error("motcuad did not answer within " + std::to_string(timeout_s) + " s");
        char chunk[4096];
        auto n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return std::nullopt;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

json Client::request(const std::string& cmd, const json& args, int timeout_s)
{
    connect();
    int id = next_id_++;
    try
    {
        send_line(json{{"id", id}, {"cmd", cmd}, {"args", args}}.dump() + "\n");
    }
    catch (const std::runtime_error&)
    {
        // motcuad may have refused us before reading ("busy"): its reason beats EPIPE.
        if (auto line = read_line(1))
            if (auto refusal = json::parse(*line, nullptr, false); refusal.is_object() && refusal.contains("error"))
                return refusal;
        throw;
    }
    while (true)
    {
        auto line = read_line(timeout_s);
        if (!line)
            throw std::runtime_error("motcuad closed the connection");
        auto response = json::parse(*line, nullptr, false);
        if (response.is_discarded())
            throw std::runtime_error("motcuad sent a line that is not JSON");
        const auto answered = response.value("id", json());
        // An error without an id answers the connection, not a request (busy, timeout).
        if (answered == json(id) || (answered.is_null() && response.value("ok", true) == false))
            return response;
    }
}

void Client::watch(const json& topics, const std::function<bool(const json&)>& on_event)
{
    auto first = request("watch", json{{"topics", topics}});
    if (!first.value("ok", false))
        throw std::runtime_error(first["error"].value("message", "watch refused"));
    while (true)
    {
        auto line = read_line(-1);
        if (!line)
            throw std::runtime_error("motcuad closed the connection");
        auto event = json::parse(*line, nullptr, false);
        if (!event.is_discarded() && !on_event(event))
            return;
    }
}

} // namespace motcua::ctl
