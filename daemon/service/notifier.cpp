#include "service/notifier.hpp"

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <system_error>
#include <time.h>
#include <unistd.h>
#include <utility>

namespace motcua::service
{

namespace
{

// A notification must not stall the io_context for long if PID 1 is busy; systemd
// drains its socket quickly, so this bound only matters when something is wrong.
constexpr timeval send_timeout{2, 0};

std::optional<long long> parse_positive(const char* text)
{
    if (text == nullptr || *text == '\0')
    {
        return std::nullopt;
    }
    const char* end = text + std::strlen(text);
    long long value = 0;
    auto [ptr, ec] = std::from_chars(text, end, value);
    if (ec != std::errc{} || ptr != end || value <= 0)
    {
        return std::nullopt;
    }
    return value;
}

// Builds the kernel address for a NOTIFY_SOCKET value; empty when it is not usable.
// Abstract names ("@name") become a leading NUL byte and are not NUL-terminated.
std::string kernel_address(std::string_view value)
{
    constexpr std::size_t capacity = sizeof(sockaddr_un::sun_path);
    if (value.size() < 2)
    {
        return {};
    }
    if (value.front() == '/')
    {
        if (value.size() >= capacity) // room for the terminating NUL
        {
            return {};
        }
        return std::string(value);
    }
    if (value.front() == '@')
    {
        if (value.size() > capacity)
        {
            return {};
        }
        std::string address(value);
        address.front() = '\0';
        return address;
    }
    return {};
}

} // namespace

std::optional<std::chrono::microseconds> parse_watchdog(const char* usec, const char* pid,
                                                        long self_pid)
{
    auto interval = parse_positive(usec);
    if (!interval)
    {
        return std::nullopt;
    }
    if (pid != nullptr && *pid != '\0')
    {
        auto owner = parse_positive(pid);
        if (!owner || *owner != self_pid)
        {
            return std::nullopt;
        }
    }
    return std::chrono::microseconds(*interval);
}

Notifier::Notifier(std::string_view socket_address,
                   std::optional<std::chrono::microseconds> watchdog)
    : watchdog_(watchdog)
{
    address_ = kernel_address(socket_address);
    if (address_.empty())
    {
        spdlog::warn("Ignoring unusable notify socket address notify_socket={}", socket_address);
        watchdog_.reset();
        return;
    }
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
    {
        spdlog::warn("Cannot create the notify socket error={}",
                     std::error_code(errno, std::generic_category()).message());
        watchdog_.reset();
        return;
    }
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
}

Notifier::~Notifier()
{
    if (fd_ >= 0)
    {
        ::close(fd_);
    }
}

Notifier::Notifier(Notifier&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), address_(std::move(other.address_)),
      watchdog_(std::exchange(other.watchdog_, std::nullopt)), send_failed_(other.send_failed_)
{
}

Notifier& Notifier::operator=(Notifier&& other) noexcept
{
    if (this != &other)
    {
        if (fd_ >= 0)
        {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
        address_ = std::move(other.address_);
        watchdog_ = std::exchange(other.watchdog_, std::nullopt);
        send_failed_ = other.send_failed_;
    }
    return *this;
}

Notifier Notifier::from_environment()
{
    const char* socket = std::getenv("NOTIFY_SOCKET");
    if (socket == nullptr || *socket == '\0')
    {
        return Notifier{};
    }
    return Notifier(socket,
                    parse_watchdog(std::getenv("WATCHDOG_USEC"), std::getenv("WATCHDOG_PID"),
                                   static_cast<long>(::getpid())));
}

bool Notifier::notify(std::string_view message)
{
    if (fd_ < 0)
    {
        return false;
    }
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, address_.data(), address_.size());
    // A path carries its terminating NUL (zeroed above); an abstract name does not.
    auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size() +
                                         (address_.front() == '/' ? 1 : 0));
    ssize_t sent = -1;
    do
    {
        sent = ::sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL,
                        reinterpret_cast<const sockaddr*>(&sa), length);
    } while (sent < 0 && errno == EINTR);
    bool ok = sent == static_cast<ssize_t>(message.size());
    if (!ok && !send_failed_)
    {
        spdlog::warn("Cannot notify the service manager error={}",
                     sent < 0 ? std::error_code(errno, std::generic_category()).message()
                              : std::string("short write"));
    }
    else if (ok && send_failed_)
    {
        spdlog::info("Service manager notifications work again");
    }
    send_failed_ = !ok;
    return ok;
}

void Notifier::ready()
{
    notify("READY=1");
}

void Notifier::reloading()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    auto usec = static_cast<long long>(now.tv_sec) * 1'000'000LL + now.tv_nsec / 1000;
    notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

void Notifier::stopping()
{
    notify("STOPPING=1");
}

void Notifier::status(std::string_view line)
{
    std::string message = "STATUS=";
    message.reserve(message.size() + line.size());
    for (char c : line)
    {
        message.push_back(c == '\n' || c == '\r' ? ' ' : c);
    }
    notify(message);
}

void Notifier::watchdog()
{
    notify("WATCHDOG=1");
}

void Notifier::extend_timeout(std::chrono::microseconds more)
{
    notify("EXTEND_TIMEOUT_USEC=" + std::to_string(more.count()));
}

} // namespace motcua::service
