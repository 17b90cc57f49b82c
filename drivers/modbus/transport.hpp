#pragma once

// The bus's serial line through libmodbus: one context, owned by the bus's worker thread
// (a context is not thread-safe and every call blocks). Keeps t3.5 of silence between
// frames, flushes after every error so a late reply is not taken for the next answer, and
// closes the port on an I/O error (the worker reopens it with back-off).

#include "modbus/bus_config.hpp"
#include "modbus/codec.hpp"
#include "modbus/timing.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

struct _modbus;

namespace motcua::modbus
{

class Transport
{
  public:
    using Clock = std::chrono::steady_clock;
    explicit Transport(const BusConfig& bus) : bus_(bus), t35_(t35(bus.baud)) {}
    ~Transport() { close(); }
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // "" when open, else why not (with a hint for parity on a pseudo-terminal).
    std::string open();
    void close();
    bool is_open() const { return ctx_ != nullptr; }
    // Why a transaction closed the port under us since the last call, "" if none did.
    std::string take_lost() { return std::exchange(lost_, std::string()); }

    struct Outcome
    {
        int err = 0; // 0 or the errno of the failure (libmodbus codes included)
        std::chrono::duration<double, std::milli> took{0};
    };
    Outcome read(int slave, std::uint16_t address, int count, std::uint16_t* out, int timeout_ms);
    Outcome write(int slave, const RegisterWrite& w, int timeout_ms);
    // To slave 0 without waiting for a reply (nobody answers); the line is free again once
    // the frame is out and the devices had `turnaround` to act on it.
    void broadcast(const RegisterWrite& w, std::chrono::microseconds turnaround);

    static int request_bytes(const RegisterWrite& w) { return w.single ? 8 : 9 + 2 * static_cast<int>(w.values.size()); }

  private:
    template <class Call>
    Outcome transact(int slave, int timeout_ms, Call&& call);
    void fail_port(int err);

    BusConfig bus_;
    Micros t35_;
    _modbus* ctx_ = nullptr;
    Clock::time_point last_frame_end_{};
    std::string lost_;
};

} // namespace motcua::modbus
