#include "printer/transport.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace motcua::printer
{

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using namespace asio::experimental::awaitable_operators;

Transport::Transport(asio::io_context& io, config::PrinterTransport settings)
    : io_(io), settings_(std::move(settings))
{}

bool Transport::is_open() const
{
    return std::visit(
        [](const auto& s) {
            if constexpr (std::is_same_v<std::decay_t<decltype(s)>, std::monostate>)
                return false;
            else
                return s.is_open();
        },
        stream_);
}

void Transport::close()
{
    std::visit(
        [](auto& s) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>)
            {
                boost::system::error_code ec;
                s.close(ec);
            }
        },
        stream_);
    stream_.emplace<std::monostate>();
}

int Transport::native_fd()
{
    return std::visit(
        [](auto& s) -> int {
            if constexpr (std::is_same_v<std::decay_t<decltype(s)>, std::monostate>)
                return -1;
            else
                return s.is_open() ? static_cast<int>(s.native_handle()) : -1;
        },
        stream_);
}

std::string Transport::describe() const
{
    const auto& s = settings_;
    switch (s.kind)
    {
    case config::TransportKind::serial:
        return "serial " + s.device + " " + std::to_string(s.baud) + " 8" +
               (s.parity == config::Parity::none ? "N" : s.parity == config::Parity::odd ? "O" : "E") + "1 " +
               (s.flow == config::FlowControl::none ? "no flow control"
                : s.flow == config::FlowControl::rtscts ? "rtscts" : "xonxoff");
    case config::TransportKind::usb: return "usb " + s.device;
    case config::TransportKind::tcp: return "tcp " + s.host + ":" + std::to_string(s.port);
    }
    return {};
}

Millis Transport::wire_time(std::size_t bytes) const
{
    if (settings_.kind != config::TransportKind::serial || settings_.baud <= 0)
        return Millis{0};
    const std::size_t bits = settings_.parity == config::Parity::none ? 10 : 11;
    return Millis{static_cast<std::int64_t>(bytes * bits * 1000 / static_cast<std::size_t>(settings_.baud))};
}

awaitable<Result<void>> Transport::open(Millis timeout)
{
    close();
    boost::system::error_code ec;
    switch (settings_.kind)
    {
    case config::TransportKind::serial:
    {
        auto& port = stream_.emplace<asio::serial_port>(io_);
        port.open(settings_.device, ec);
        if (ec)
        {
            close();
            co_return make_error("open_failed", "cannot open " + settings_.device + ": " + ec.message());
        }
        using sp = asio::serial_port_base;
        port.set_option(sp::baud_rate(static_cast<unsigned>(settings_.baud)), ec);
        if (!ec)
            port.set_option(sp::character_size(8), ec);
        if (!ec)
            port.set_option(sp::stop_bits(sp::stop_bits::one), ec);
        if (!ec)
            port.set_option(sp::parity(settings_.parity == config::Parity::none ? sp::parity::none
                                       : settings_.parity == config::Parity::odd ? sp::parity::odd
                                                                                 : sp::parity::even),
                            ec);
        if (!ec)
            port.set_option(sp::flow_control(settings_.flow == config::FlowControl::none ? sp::flow_control::none
                                             : settings_.flow == config::FlowControl::rtscts
                                                 ? sp::flow_control::hardware
                                                 : sp::flow_control::software),
                            ec);
        if (ec)
        {
            close();
            co_return make_error("open_failed", "cannot configure " + settings_.device + ": " + ec.message());
        }
        ::tcflush(port.native_handle(), TCIOFLUSH);
        co_return Result<void>{};
    }
    case config::TransportKind::usb:
    {
        int fd = ::open(settings_.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            co_return make_error("open_failed", "cannot open " + settings_.device + ": " + std::strerror(errno));
        if (::isatty(fd))
        {
            // Not a real /dev/usb/lp (a pty in tests, a USB-serial bridge): raw mode.
            termios tio{};
            if (::tcgetattr(fd, &tio) == 0)
            {
                ::cfmakeraw(&tio);
                ::tcsetattr(fd, TCSANOW, &tio);
            }
        }
        auto& d = stream_.emplace<asio::posix::stream_descriptor>(io_);
        d.assign(fd, ec);
        if (ec)
        {
            ::close(fd);
            close();
            co_return make_error("open_failed", "cannot use " + settings_.device + ": " + ec.message());
        }
        co_return Result<void>{};
    }
    case config::TransportKind::tcp:
    {
        auto& sock = stream_.emplace<asio::ip::tcp::socket>(io_);
        asio::ip::tcp::resolver resolver(io_);
        asio::steady_timer timer(io_);
        timer.expires_after(timeout);
        std::string why = "timeout";
        auto connect = [&]() -> awaitable<boost::system::error_code> {
            auto [rec, endpoints] = co_await resolver.async_resolve(
                settings_.host, std::to_string(settings_.port), asio::as_tuple(use_awaitable));
            if (rec)
                co_return rec;
            auto [cec, ep] = co_await asio::async_connect(sock, endpoints, asio::as_tuple(use_awaitable));
            co_return cec;
        };
        auto done = co_await (connect() || timer.async_wait(asio::as_tuple(use_awaitable)));
        bool ok = done.index() == 0 && !std::get<0>(done);
        if (done.index() == 0 && std::get<0>(done))
            why = std::get<0>(done).message();
        if (!ok)
        {
            close();
            co_return make_error("open_failed", "cannot connect to " + settings_.host + ":" +
                                                    std::to_string(settings_.port) + ": " + why);
        }
        sock.set_option(asio::ip::tcp::no_delay(true), ec);
        co_return Result<void>{};
    }
    }
    co_return make_error("open_failed", "unknown transport");
}

awaitable<Result<void>> Transport::write(std::span<const std::uint8_t> bytes, Millis deadline)
{
    if (!is_open())
        co_return make_error("closed", "the printer connection is not open");
    asio::steady_timer timer(io_);
    timer.expires_after(deadline);
    auto buf = asio::buffer(bytes.data(), bytes.size());
    auto write_all = [&]() -> awaitable<std::tuple<boost::system::error_code, std::size_t>> {
        if (auto* p = std::get_if<asio::serial_port>(&stream_))
            co_return co_await asio::async_write(*p, buf, asio::as_tuple(use_awaitable));
        if (auto* d = std::get_if<asio::posix::stream_descriptor>(&stream_))
            co_return co_await asio::async_write(*d, buf, asio::as_tuple(use_awaitable));
        auto& s = std::get<asio::ip::tcp::socket>(stream_);
        co_return co_await asio::async_write(s, buf, asio::as_tuple(use_awaitable));
    };
    // Whichever finishes first cancels the other: a printer that stops reading cannot hang us.
    auto done = co_await (write_all() || timer.async_wait(asio::as_tuple(use_awaitable)));
    const bool timed_out = done.index() == 1;
    boost::system::error_code ec;
    std::size_t written = 0;
    if (!timed_out)
        std::tie(ec, written) = std::get<0>(done);
    if (timed_out)
    {
        if (settings_.kind == config::TransportKind::tcp)
            close();
        else if (int fd = native_fd(); fd >= 0)
            ::tcflush(fd, TCOFLUSH); // discard the rest, so close() cannot wait for it
        co_return make_error("write_timeout", "the printer stopped reading: " + std::to_string(bytes.size()) + " bytes to send, " +
                                                  "deadline " + std::to_string(deadline.count()) + " ms");
    }
    if (ec)
    {
        close();
        co_return make_error("write_failed", "write to the printer failed: " + ec.message());
    }
    co_return Result<void>{};
}

awaitable<Result<std::size_t>> Transport::read_some(std::span<std::uint8_t> buffer)
{
    boost::system::error_code ec;
    std::size_t n = 0;
    auto buf = asio::buffer(buffer.data(), buffer.size());
    if (auto* p = std::get_if<asio::serial_port>(&stream_))
        n = co_await p->async_read_some(buf, asio::redirect_error(use_awaitable, ec));
    else if (auto* d = std::get_if<asio::posix::stream_descriptor>(&stream_))
        n = co_await d->async_read_some(buf, asio::redirect_error(use_awaitable, ec));
    else if (auto* s = std::get_if<asio::ip::tcp::socket>(&stream_))
        n = co_await s->async_read_some(buf, asio::redirect_error(use_awaitable, ec));
    else
        co_return make_error("closed", "the printer connection is not open");
    if (ec == asio::error::operation_aborted)
        co_return make_error("cancelled", "read cancelled");
    if (ec)
        co_return make_error("read_failed", "read from the printer failed: " + ec.message());
    co_return n;
}

void Transport::flush_input()
{
    if (settings_.kind == config::TransportKind::tcp)
        return;
    if (int fd = native_fd(); fd >= 0 && ::isatty(fd))
        ::tcflush(fd, TCIFLUSH);
}

} // namespace motcua::printer
