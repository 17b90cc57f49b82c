#pragma once

// A test-owned datagram socket standing in for systemd's notify socket: bound to a path
// in a mkdtemp directory or to a random abstract name, with SO_PASSCRED so each message
// carries the sender's pid as systemd sees it.

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <optional>
#include <poll.h>
#include <random>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace motcua::service::test
{

struct Received
{
    std::string text;
    pid_t pid = 0;
};

class NotifyListener
{
  public:
    enum class Kind
    {
        path,
        abstract
    };

    explicit NotifyListener(Kind kind)
    {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        EXPECT_GE(fd_, 0);
        int on = 1;
        EXPECT_EQ(::setsockopt(fd_, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), 0);
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        socklen_t length = 0;
        if (kind == Kind::path)
        {
            std::string pattern =
                (std::filesystem::temp_directory_path() / "motcua-notify-XXXXXX").string();
            EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
            dir_ = pattern;
            address_ = (dir_ / "notify").string();
            std::memcpy(sa.sun_path, address_.data(), address_.size());
            length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size() + 1);
        }
        else
        {
            std::random_device rd;
            std::string name =
                "motcua-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
            address_ = "@" + name;
            sa.sun_path[0] = '\0';
            std::memcpy(sa.sun_path + 1, name.data(), name.size());
            length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
        }
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), length), 0) << std::strerror(errno);
    }

    ~NotifyListener()
    {
        if (fd_ >= 0)
        {
            ::close(fd_);
        }
        if (!dir_.empty())
        {
            std::error_code ec;
            std::filesystem::remove_all(dir_, ec);
        }
    }

    NotifyListener(const NotifyListener&) = delete;
    NotifyListener& operator=(const NotifyListener&) = delete;

    // The NOTIFY_SOCKET value for this listener.
    const std::string& address() const { return address_; }
    int fd() const { return fd_; }

    // Waits (bounded) for one datagram.
    std::optional<Received> receive(std::chrono::milliseconds deadline = std::chrono::seconds(5))
    {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(deadline.count())) != 1)
        {
            return std::nullopt;
        }
        return receive_now();
    }

    // Reads one datagram that is already queued.
    std::optional<Received> receive_now()
    {
        char buffer[4096];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
        iovec iov{buffer, sizeof(buffer)};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof(control);
        ssize_t n = ::recvmsg(fd_, &msg, MSG_DONTWAIT);
        if (n < 0)
        {
            return std::nullopt;
        }
        Received r{std::string(buffer, static_cast<std::size_t>(n)), 0};
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c))
        {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS)
            {
                ucred cred{};
                std::memcpy(&cred, CMSG_DATA(c), sizeof(cred));
                r.pid = cred.pid;
            }
        }
        return r;
    }

  private:
    int fd_ = -1;
    std::filesystem::path dir_;
    std::string address_;
};

// Clears the variables the notifier reads, before and after each test.
class CleanEnvironment : public ::testing::Test
{
  protected:
    void SetUp() override { clear(); }
    void TearDown() override { clear(); }

    static void clear()
    {
        for (const char* name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
                                 "STATE_DIRECTORY", "CONFIGURATION_DIRECTORY", "RUNTIME_DIRECTORY"})
        {
            ::unsetenv(name);
        }
    }
};

} // namespace motcua::service::test
