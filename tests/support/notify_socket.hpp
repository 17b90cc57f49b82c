#pragma once

// A datagram socket standing in for systemd's notify socket: a test binds it, passes its
// path to the daemon as NOTIFY_SOCKET, and waits for READY=1, RELOADING=1, STOPPING=1 …
// with bounded deadlines.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>

namespace motcua::testing
{

class NotifySocket
{
  public:
    explicit NotifySocket(const std::string& path)
    {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        {
            if (fd_ >= 0)
                ::close(fd_);
            throw std::runtime_error("bind notify socket " + path);
        }
    }
    ~NotifySocket() { ::close(fd_); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // Waits until the text received at or after offset `from` of seen() contains `needle`
    // (each datagram is followed by '\n'); returns all text received so far. Pass
    // seen().size() taken before an action to wait for what that action causes.
    std::string wait_for(const std::string& needle, std::chrono::milliseconds timeout, std::size_t from = 0)
    {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (seen_.find(needle, from) == std::string::npos && std::chrono::steady_clock::now() < deadline)
        {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            char buf[4096];
            auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n > 0)
                seen_ += std::string(buf, static_cast<std::size_t>(n)) + "\n";
        }
        return seen_;
    }
    // Whether `needle` arrived at or after offset `from`, waiting at most `timeout`.
    bool arrived(const std::string& needle, std::chrono::milliseconds timeout, std::size_t from = 0)
    {
        return wait_for(needle, timeout, from).find(needle, from) != std::string::npos;
    }
    const std::string& seen() const { return seen_; }

  private:
    int fd_ = -1;
    std::string seen_;
};

} // namespace motcua::testing
