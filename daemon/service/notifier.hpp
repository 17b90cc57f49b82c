#pragma once

// The sd_notify protocol without libsystemd: one datagram of newline-separated
// KEY=VALUE assignments, sent over an AF_UNIX SOCK_DGRAM socket to $NOTIFY_SOCKET
// (a path, or an abstract name written with a leading '@'). Outside systemd the
// variable is unset and every call is a no-op.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace motcua::service
{

// WATCHDOG_USEC / WATCHDOG_PID as systemd sets them. The interval applies only when
// WATCHDOG_PID is unset or names this process; a missing, zero or malformed value
// means no watchdog.
std::optional<std::chrono::microseconds> parse_watchdog(const char* usec, const char* pid,
                                                        long self_pid);

class Notifier
{
  public:
    // A disabled notifier: every call does nothing.
    Notifier() = default;
    // socket_address: the value of NOTIFY_SOCKET ("/run/systemd/notify", "@name").
    explicit Notifier(std::string_view socket_address,
                      std::optional<std::chrono::microseconds> watchdog = std::nullopt);
    ~Notifier();
    Notifier(Notifier&& other) noexcept;
    Notifier& operator=(Notifier&& other) noexcept;
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID.
    static Notifier from_environment();

    bool enabled() const { return fd_ >= 0; }

    void ready();     // READY=1: config loaded, database open, every device attempted
    void reloading(); // RELOADING=1 with MONOTONIC_USEC; send ready() when done
    void stopping();  // STOPPING=1
    // STATUS=: one line shown by systemctl status; newlines become spaces.
    void status(std::string_view line);
    void watchdog(); // WATCHDOG=1
    // EXTEND_TIMEOUT_USEC=: ask for more time while starting, reloading or stopping.
    void extend_timeout(std::chrono::microseconds more);

    std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_; }

    // Sends one raw message ("KEY=VALUE\nKEY=VALUE"). False when disabled or when the
    // datagram could not be sent; the first failure is logged, later ones are not.
    bool notify(std::string_view message);

  private:
    int fd_ = -1;
    std::string address_; // kernel form: a path, or a leading NUL for an abstract name
    std::optional<std::chrono::microseconds> watchdog_;
    bool send_failed_ = false;
};

} // namespace motcua::service
