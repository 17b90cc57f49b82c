#pragma once

// One ESC/POS printer as a device object on the daemon's io_context: it opens its
// transport, asks DLE EOT 1-4 (and listens to ASB when the profile has it), keeps a state
// (online / paper near end / paper out / cover open / cutter error / offline), logs each
// transition once, and reopens and re-queries a faulty printer by itself.
//
// The kiosk flow uses it like this (one coroutine, nothing blocks):
//   auto printer = Printer::create(io, cfg.printing.printers[0]);
//   printer->start();
//   auto st = co_await printer->refresh();          // 1. check status
//   if (!escpos::can_print(st)) refuse(printer->reason());
//   commit the ticket;                              // 2. commit
//   auto r = co_await printer->print(bytes);        // 3. print (deadline-bounded)
//   record(r ? "printed" : "print_failed");         // 4. record
//
// Operations are serialised: one status query or job at a time on the wire.

#include "config/printers_model.hpp"
#include "escpos/status.hpp"
#include "printer/transport.hpp"
#include "util/result.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace motcua::printer
{

using escpos::State;

struct Counters
{
    std::uint64_t jobs_printed = 0;
    std::uint64_t jobs_failed = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t status_queries = 0;
    std::uint64_t transitions = 0;
};

class Printer : public std::enable_shared_from_this<Printer>
{
  public:
    static std::shared_ptr<Printer> create(boost::asio::io_context& io, config::Printer config);
    ~Printer();
    Printer(const Printer&) = delete;
    Printer& operator=(const Printer&) = delete;

    // Starts supervision: open, enable ASB, query status, reopen with retry_ms on faults.
    void start();
    // Stops supervision and closes the transport; pending operations end with errors.
    void stop();

    const std::string& name() const { return config_.name; }
    const config::Printer& config() const { return config_; }
    // True when a printer made from `config` would run exactly like this one (same
    // transport, timings and model profile): a reload need not restart it.
    bool same_setup(const config::Printer& config) const { return config == config_; }
    State state() const { return state_; }
    // Why the printer is in its state: "ok", "no reply to DLE EOT 1", "stalled: ...".
    const std::string& reason() const { return reason_; }
    // True while the last write missed its deadline (the printer stopped reading).
    bool stalled() const { return stalled_; }
    const Counters& counters() const { return counters_; }
    std::string transport_description() const { return transport_.describe(); }

    // Queries DLE EOT 1..4 now, updates and returns the state. A model without status
    // (profile status.dle_eot = false) is taken as online while its transport works.
    boost::asio::awaitable<State> refresh();
    // Sends one complete job, bounded by write_timeout_ms plus the job's wire time. On a
    // missed deadline or an I/O error the state becomes offline and the error says why
    // ("write_timeout", "write_failed", "closed").
    boost::asio::awaitable<Result<void>> print(std::vector<std::uint8_t> job);

    // Called on every state transition (after it is logged).
    void on_state_change(std::function<void(State, const std::string& reason)> f) { listener_ = std::move(f); }
    // Called once, after the first attempt to open and query the printer (whatever came of
    // it): the daemon is ready when every device has been tried once.
    void on_first_attempt(std::function<void()> f) { first_attempt_ = std::move(f); }

  private:
    Printer(boost::asio::io_context& io, config::Printer config);

    class Gate
    {
      public:
        explicit Gate(boost::asio::io_context& io) : io_(io) {}
        boost::asio::awaitable<void> lock();
        void unlock();

      private:
        boost::asio::io_context& io_;
        bool busy_ = false;
        std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
    };
    struct GateLock
    {
        Gate* gate;
        explicit GateLock(Gate& g) : gate(&g) {}
        GateLock(const GateLock&) = delete;
        GateLock& operator=(const GateLock&) = delete;
        ~GateLock() { gate->unlock(); }
    };

    boost::asio::awaitable<void> supervise();
    boost::asio::awaitable<void> read_loop();
    boost::asio::awaitable<bool> open_transport();
    boost::asio::awaitable<std::optional<std::uint8_t>> wait_reply(Millis timeout);
    boost::asio::awaitable<State> refresh_locked();
    void set_state(State s, std::string reason);
    void on_reply(const escpos::Reply& r);

    boost::asio::io_context& io_;
    config::Printer config_;
    Transport transport_;
    Gate gate_;
    boost::asio::steady_timer wake_timer_;
    boost::asio::steady_timer reply_timer_;
    escpos::ReplyParser parser_;
    std::deque<std::uint8_t> replies_;
    State state_ = State::offline;
    std::string reason_ = "not started";
    bool stalled_ = false;
    bool stopped_ = true;
    bool reading_ = false;
    Counters counters_;
    std::function<void(State, const std::string&)> listener_;
    std::function<void()> first_attempt_;
};

} // namespace motcua::printer
