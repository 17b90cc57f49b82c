#pragma once

// Modbus RTU timing on a serial line (register-map.md "Timing facts"): pure arithmetic,
// used by the driver for the silent interval and by the benchmark for the latency floor.

#include <chrono>

namespace motcua::modbus
{

using Micros = std::chrono::microseconds;

// One character is 11 bits (start, 8 data, parity or second stop, stop).
inline constexpr double char_time_us(int baud) { return 11.0 * 1e6 / baud; }

// The silent interval between frames: 3.5 characters, fixed 1750 us above 19200 baud.
inline constexpr Micros t35(int baud)
{
    return baud > 19200 ? Micros{1750} : Micros{static_cast<long>(3.5 * char_time_us(baud) + 0.5)};
}

// One transaction including both silences and the device's think time.
inline constexpr double fc03_us(int registers, int baud, double think_us)
{
    return (20 + 2 * registers) * char_time_us(baud) + think_us;
}

// How long a device never heard from is given to answer its first request: the request's
// own frame time, its first reply character, twice the think time and 10 ms of slack.
inline constexpr double first_contact_timeout_us(int request_bytes, int baud, double think_us)
{
    return (request_bytes + 1) * char_time_us(baud) + 2 * think_us + 10000.0;
}

// The FC16 request frame alone: the display shows the new digits once it has the whole
// request; its reply does not delay what a citizen sees.
inline constexpr double fc16_request_us(int registers, int baud) { return (9 + 2 * registers) * char_time_us(baud); }

// "Key pressed" to "number shown" on one bus polling `devices` event devices round-robin:
// on average half a cycle until the poll that sees the press starts, that poll (FC03 of 4
// with its reply and silences), then the display's FC16 request of 5 registers.
// register-map.md counts the whole FC16 transaction, reply included; the digits change
// before the reply, so this floor is the stricter one.
inline constexpr double floor_mean_us(int devices, int baud, double think_us)
{
    double cycle = devices * fc03_us(4, baud, think_us);
    return cycle / 2 + fc03_us(4, baud, think_us) + fc16_request_us(5, baud);
}
inline constexpr double floor_worst_us(int devices, int baud, double think_us)
{
    double cycle = devices * fc03_us(4, baud, think_us);
    return cycle + fc03_us(4, baud, think_us) + fc16_request_us(5, baud);
}

} // namespace motcua::modbus
