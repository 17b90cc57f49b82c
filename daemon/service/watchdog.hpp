#pragma once

// Pets the systemd watchdog from a timer on the daemon's io_context, at a quarter of
// WATCHDOG_USEC: a pet proves the reactor turns, so a stuck loop gets the service
// restarted. Single-threaded: construct, start and stop on the io_context's thread.

#include "service/notifier.hpp"

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>

namespace motcua::service
{

class WatchdogPinger
{
  public:
    // The notifier must outlive the pinger; the io_context may outlive both.
    WatchdogPinger(boost::asio::io_context& io, Notifier& notifier);
    ~WatchdogPinger();
    WatchdogPinger(const WatchdogPinger&) = delete;
    WatchdogPinger& operator=(const WatchdogPinger&) = delete;

    // Pets once now, then every period(). False (and nothing scheduled) when the
    // notifier is disabled or systemd asked for no watchdog.
    bool start();
    // Cancels the timer; no pet is sent after this returns.
    void stop();
    bool running() const;

    // A quarter of the watchdog interval, at least 1 ms; zero when there is none.
    std::chrono::microseconds period() const;

  private:
    struct State;
    static void schedule(const std::shared_ptr<State>& state);
    std::shared_ptr<State> state_;
};

} // namespace motcua::service
