#pragma once

// One RS-485 bus and the devices on it, as plain data: what the driver needs to run the
// bus. The daemon's config loader fills these from [[bus]] and [[device]].

#include "modbus/profile.hpp"

#include <optional>
#include <string>

namespace motcua::modbus
{

enum class Parity
{
    none,
    even,
    odd
};

struct BusConfig
{
    std::string name;   // "bus-1"
    std::string device; // "/dev/serial/by-id/usb-FTDI_..." or a simulator's pty link
    int baud = 19200;
    Parity parity = Parity::even;
    int data_bits = 8;
    int stop_bits = 1;
    int response_timeout_ms = 100; // libmodbus default is 500 ms; our devices need far less
    int byte_timeout_ms = 20;
    int min_poll_period_ms = 50; // a poll round over the event devices takes at least this
    bool rs485 = false;          // TIOCSRS485 (kernel UARTs only; ENOTTY on USB adapters)
    // WATCHDOG_S written to every device that has it: a device whose HOST_HEARTBEAT has not
    // changed for this long shows that the host is gone. 0 = leave the device's setting.
    int host_watchdog_s = 10;
    // HOST_HEARTBEAT writes; displays, which are never polled, are checked at this pace too
    // (every 4 periods where a broadcast feeds their watchdog). Default: a quarter of
    // host_watchdog_s, so three lost writes in a row are survived.
    int heartbeat_period_ms = 2500;
    int think_time_ms = 5; // expected device think time Tp, for the latency floor only

    // Equal settings: a running bus needs no restart for this config.
    friend bool operator==(const BusConfig&, const BusConfig&) = default;
};

struct DeviceConfig
{
    std::string name;   // "display-q1"; defaults to "<role>-<counter|kiosk>"
    std::string bus;    // a [[bus]] name
    int slave = 0;      // 1..247
    std::string profile = "motcua-v1";
    DeviceRole role = DeviceRole::display;
    int counter = 0;        // display, keypad, rating: the counter it belongs to
    std::string kiosk;      // kiosk_panel: the [[kiosk]] id
    int brightness = 15;    // display: 0..15
    std::optional<int> response_timeout_ms; // overrides the bus's
    friend bool operator==(const DeviceConfig&, const DeviceConfig&) = default;
};

} // namespace motcua::modbus
