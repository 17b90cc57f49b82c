#include "modbus/transport.hpp"

#include "modbus/error.hpp"

#include <modbus/modbus.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <thread>
#include <vector>

namespace motcua::modbus
{

namespace
{
char parity_char(Parity p) { return p == Parity::none ? 'N' : p == Parity::even ? 'E' : 'O'; }

void set_timeout(modbus_t* ctx, int ms, int (*set)(modbus_t*, std::uint32_t, std::uint32_t))
{
    set(ctx, static_cast<std::uint32_t>(ms / 1000), static_cast<std::uint32_t>((ms % 1000) * 1000));
}
} // namespace

std::string Transport::open()
{
    const auto& b = bus_;
    lost_.clear();
    ctx_ = modbus_new_rtu(b.device.c_str(), b.baud, parity_char(b.parity), b.data_bits, b.stop_bits);
    if (!ctx_)
        return "invalid line settings: " + errno_code(errno).message();
    modbus_set_error_recovery(ctx_, MODBUS_ERROR_RECOVERY_NONE);
    set_timeout(ctx_, b.byte_timeout_ms, modbus_set_byte_timeout);
    if (modbus_connect(ctx_) == -1)
    {
        int e = errno;
        std::string error = "cannot open " + b.device + ": " + errno_code(e).message();
        if (e == EINVAL && b.parity != Parity::none)
            error += " (the port refused the line settings; a pseudo-terminal cannot carry parity: "
                     "use parity = \"N\" and stop_bits = 2)";
        modbus_free(ctx_);
        ctx_ = nullptr;
        return error;
    }
    if (b.rs485 && modbus_rtu_set_serial_mode(ctx_, MODBUS_RTU_RS485) == -1)
        spdlog::warn("Modbus bus cannot switch the port to kernel RS-485 mode bus={} device={} error=\"{}\"",
                     b.name, b.device, errno_code(errno).message());
    // Bytes from before a restart must never be taken for a reply.
    modbus_flush(ctx_);
    last_frame_end_ = Clock::now();
    spdlog::info("Modbus bus opened bus={} device={} baud={} parity={} data_bits={} stop_bits={}", b.name, b.device,
                 b.baud, parity_char(b.parity), b.data_bits, b.stop_bits);
    return "";
}

void Transport::close()
{
    if (!ctx_)
        return;
    modbus_close(ctx_);
    modbus_free(ctx_);
    ctx_ = nullptr;
}

void Transport::fail_port(int err)
{
    close();
    lost_ = errno_code(err).message();
}

template <class Call>
Transport::Outcome Transport::transact(int slave, int timeout_ms, Call&& call)
{
    if (!ctx_)
        return {EBADF, {}};
    std::this_thread::sleep_until(last_frame_end_ + t35_);
    modbus_set_slave(ctx_, slave);
    set_timeout(ctx_, timeout_ms, modbus_set_response_timeout);
    auto t0 = Clock::now();
    errno = 0;
    int rc = call(ctx_);
    int err = rc < 0 ? (errno != 0 ? errno : EIO) : 0;
    auto t1 = Clock::now();
    last_frame_end_ = t1;
    if (err != 0)
        modbus_flush(ctx_); // a late reply would otherwise be taken for the next answer
    if (err != 0 && classify(err) == Fault::io)
        fail_port(err);
    return {err, t1 - t0};
}

Transport::Outcome Transport::read(int slave, std::uint16_t address, int count, std::uint16_t* out, int timeout_ms)
{
    return transact(slave, timeout_ms, [&](modbus_t* ctx) { return modbus_read_registers(ctx, address, count, out); });
}

Transport::Outcome Transport::write(int slave, const RegisterWrite& w, int timeout_ms)
{
    return transact(slave, timeout_ms, [&](modbus_t* ctx) {
        if (w.single)
            return modbus_write_register(ctx, w.address, w.values.front());
        return modbus_write_registers(ctx, w.address, static_cast<int>(w.values.size()), w.values.data());
    });
}

void Transport::broadcast(const RegisterWrite& w, std::chrono::microseconds turnaround)
{
    if (!ctx_)
        return;
    std::this_thread::sleep_until(last_frame_end_ + t35_);
    auto hi = [](std::uint16_t v) { return static_cast<std::uint8_t>(v >> 8); };
    auto lo = [](std::uint16_t v) { return static_cast<std::uint8_t>(v & 0xFF); };
    std::vector<std::uint8_t> pdu{0, static_cast<std::uint8_t>(w.single ? 0x06 : 0x10), hi(w.address), lo(w.address)};
    if (w.single)
        pdu.insert(pdu.end(), {hi(w.values.front()), lo(w.values.front())});
    else
    {
        auto n = static_cast<std::uint16_t>(w.values.size());
        pdu.insert(pdu.end(), {hi(n), lo(n), static_cast<std::uint8_t>(2 * n)});
        for (auto v : w.values)
            pdu.insert(pdu.end(), {hi(v), lo(v)});
    }
    // libmodbus 3.1.6 waits for a reply to slave 0 like to any other id; a raw request is
    // sent without waiting.
    errno = 0;
    int rc = modbus_send_raw_request(ctx_, pdu.data(), static_cast<int>(pdu.size()));
    auto frame = Micros{static_cast<long>(static_cast<double>(pdu.size() + 2) * char_time_us(bus_.baud))};
    last_frame_end_ = Clock::now() + frame + turnaround;
    if (rc < 0)
    {
        int err = errno != 0 ? errno : EIO;
        if (classify(err) == Fault::io)
            fail_port(err);
    }
}

} // namespace motcua::modbus
