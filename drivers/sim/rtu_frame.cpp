#include "sim/rtu_frame.hpp"

namespace motcua::sim
{

std::uint16_t crc16(std::span<const std::uint8_t> bytes)
{
    // CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF.
    std::uint16_t crc = 0xFFFF;
    for (auto b : bytes)
    {
        crc ^= b;
        for (int i = 0; i < 8; ++i)
            crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001) : static_cast<std::uint16_t>(crc >> 1);
    }
    return crc;
}

void append_crc(std::vector<std::uint8_t>& frame)
{
    auto crc = crc16(frame);
    frame.push_back(static_cast<std::uint8_t>(crc & 0xFF)); // low byte first
    frame.push_back(static_cast<std::uint8_t>(crc >> 8));
}

bool crc_ok(std::span<const std::uint8_t> frame)
{
    if (frame.size() < 4)
        return false;
    auto crc = crc16(frame.first(frame.size() - 2));
    return frame[frame.size() - 2] == (crc & 0xFF) && frame[frame.size() - 1] == (crc >> 8);
}

int request_length(std::span<const std::uint8_t> buf)
{
    if (buf.size() < 2)
        return 0;
    switch (buf[1])
    {
    case 0x01: // read coils
    case 0x02: // read discrete inputs
    case 0x03: // read holding registers
    case 0x04: // read input registers
    case 0x05: // write single coil
    case 0x06: // write single register
    case 0x08: // diagnostics
        return 8;
    case 0x07: // read exception status
    case 0x0B: // get comm event counter
    case 0x0C: // get comm event log
    case 0x11: // report server id
        return 4;
    case 0x0F: // write multiple coils
    case 0x10: // write multiple registers
        return buf.size() < 7 ? 0 : 9 + buf[6];
    case 0x16: // mask write register
        return 10;
    case 0x17: // read/write multiple registers
        return buf.size() < 11 ? 0 : 13 + buf[10];
    default: return -1;
    }
}

namespace
{
std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
void put16(std::vector<std::uint8_t>& out, std::uint16_t v)
{
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

// The frames made of a function code and two 16-bit fields: FC03 requests, FC06
// requests and their echoes, FC16 replies.
std::vector<std::uint8_t> two_words(std::uint8_t slave, std::uint8_t function, std::uint16_t a, std::uint16_t b)
{
    std::vector<std::uint8_t> out{slave, function};
    put16(out, a);
    put16(out, b);
    append_crc(out);
    return out;
}

} // namespace

std::optional<Request> parse_request(std::span<const std::uint8_t> frame)
{
    if (frame.size() < 8)
        return std::nullopt;
    Request r;
    r.slave = frame[0];
    r.function = frame[1];
    r.address = be16(frame, 2);
    switch (r.function)
    {
    case 0x03:
    case 0x04:
        if (frame.size() != 8)
            return std::nullopt;
        r.count = be16(frame, 4);
        return r;
    case 0x06:
        if (frame.size() != 8)
            return std::nullopt;
        r.count = 1;
        r.values.push_back(be16(frame, 4));
        return r;
    case 0x10: {
        r.count = be16(frame, 4);
        std::size_t bytes = frame[6];
        if (bytes != 2u * r.count || frame.size() != 9 + bytes)
            return std::nullopt;
        for (std::size_t i = 0; i < r.count; ++i)
            r.values.push_back(be16(frame, 7 + 2 * i));
        return r;
    }
    default: return std::nullopt;
    }
}

std::vector<std::uint8_t> read_reply(std::uint8_t slave, std::uint8_t function, std::span<const std::uint16_t> values)
{
    std::vector<std::uint8_t> out{slave, function, static_cast<std::uint8_t>(values.size() * 2)};
    for (auto v : values)
        put16(out, v);
    append_crc(out);
    return out;
}

std::vector<std::uint8_t> write_single_reply(std::uint8_t slave, std::uint16_t address, std::uint16_t value)
{
    return two_words(slave, 0x06, address, value);
}

std::vector<std::uint8_t> write_multiple_reply(std::uint8_t slave, std::uint16_t address, std::uint16_t count)
{
    return two_words(slave, 0x10, address, count);
}

std::vector<std::uint8_t> exception_reply(std::uint8_t slave, std::uint8_t function, std::uint8_t code)
{
    std::vector<std::uint8_t> out{slave, static_cast<std::uint8_t>(function | 0x80), code};
    append_crc(out);
    return out;
}

std::vector<std::uint8_t> read_request(std::uint8_t slave, std::uint16_t address, std::uint16_t count)
{
    return two_words(slave, 0x03, address, count);
}

std::vector<std::uint8_t> write_single_request(std::uint8_t slave, std::uint16_t address, std::uint16_t value)
{
    return two_words(slave, 0x06, address, value);
}

std::vector<std::uint8_t> write_multiple_request(std::uint8_t slave, std::uint16_t address,
                                                 std::span<const std::uint16_t> values)
{
    std::vector<std::uint8_t> out{slave, 0x10};
    put16(out, address);
    put16(out, static_cast<std::uint16_t>(values.size()));
    out.push_back(static_cast<std::uint8_t>(values.size() * 2));
    for (auto v : values)
        put16(out, v);
    append_crc(out);
    return out;
}

} // namespace motcua::sim
