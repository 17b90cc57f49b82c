#pragma once

// The byte pipe to one printer: a serial port (baud, parity, flow control), the USB printer
// class device (/dev/usb/lpN), or raw TCP (port 9100). Every write has a deadline; a read
// waits until data arrives or close() cancels it. Faults are error values, never exceptions.

#include "config/printers_model.hpp"
#include "util/result.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/serial_port.hpp>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <variant>

namespace motcua::printer
{

using Millis = std::chrono::milliseconds;

class Transport
{
  public:
    Transport(boost::asio::io_context& io, config::PrinterTransport settings);

    // Opens the device or connects (TCP connect bounded by `timeout`).
    boost::asio::awaitable<Result<void>> open(Millis timeout);
    bool is_open() const;
    void close();

    // Writes all of `bytes` or fails with "write_timeout" once `deadline` has passed. After
    // a timeout the unsent output is discarded (serial/USB) or the connection closed (TCP).
    boost::asio::awaitable<Result<void>> write(std::span<const std::uint8_t> bytes, Millis deadline);
    // Reads what is available (at least one byte); error "closed" after close().
    boost::asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> buffer);
    // Drops bytes received but not yet read (stale status replies), where the OS allows it.
    void flush_input();

    // Time the line needs for `bytes` (serial: 10 or 11 bits per byte at the baud rate;
    // zero for USB and TCP).
    Millis wire_time(std::size_t bytes) const;
    std::string describe() const; // "serial /dev/ttyUSB0 19200 8N1 rtscts"
    const config::PrinterTransport& settings() const { return settings_; }

  private:
    boost::asio::io_context& io_;
    config::PrinterTransport settings_;
    std::variant<std::monostate, boost::asio::serial_port, boost::asio::posix::stream_descriptor,
                 boost::asio::ip::tcp::socket>
        stream_;
    int native_fd() ;
};

} // namespace motcua::printer
