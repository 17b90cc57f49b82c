#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace motcua::testing
{

HttpConnection::HttpConnection(int port)
{
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
}

HttpConnection::~HttpConnection()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void HttpConnection::send(const std::string& bytes)
{
    std::size_t done = 0;
    while (done < bytes.size())
    {
        auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return; // the server closed: the test reads what it said
        done += static_cast<std::size_t>(n);
    }
}

bool HttpConnection::fill(std::chrono::milliseconds timeout)
{
    if (eof_)
        return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
        return false;
    char chunk[8192];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0)
    {
        eof_ = true;
        return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

HttpResponse HttpConnection::read_response(std::chrono::milliseconds timeout, bool head_only)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto left = [&] {
        return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                           deadline - std::chrono::steady_clock::now()));
    };
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill(left()))
            return {};
    HttpResponse r;
    const std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    auto line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.size() >= 12)
        r.status = std::stoi(status_line.substr(9, 3));
    for (std::size_t at = line_end; at != std::string::npos && at < head.size();)
    {
        auto next = head.find("\r\n", at + 2);
        auto line = head.substr(at + 2, next == std::string::npos ? std::string::npos : next - at - 2);
        at = next;
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        r.headers[name] = value;
    }
    if (!head_only && r.headers.contains("content-length"))
    {
        const auto length = std::stoul(r.headers["content-length"]);
        while (buffer_.size() < length)
            if (!fill(left()))
                break;
        r.body = buffer_.substr(0, length);
        buffer_.erase(0, std::min(length, buffer_.size()));
    }
    return r;
}

std::string HttpConnection::read_until(const std::string& until, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buffer_.find(until) == std::string::npos)
    {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !fill(left))
            break;
    }
    return buffer_;
}

bool HttpConnection::closed_within(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!eof_)
    {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return false;
        fill(left);
    }
    return true;
}

HttpResponse http_get(int port, const std::string& target, const std::string& extra_headers)
{
    HttpConnection c(port);
    c.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers + "\r\n");
    return c.read_response();
}

} // namespace motcua::testing
