#pragma once

#include "config/serial_model.hpp"

// [[bus]] and [[device]]: the RS-485 Modbus buses and what hangs on them, plus the device
// profiles (config/devices/*.toml) the devices name. A profile maps the logical fields of
// a counter display, a keypad or a panel onto one vendor's registers, so a new vendor's
// device needs a profile file, not code. Plain data, shared by the driver and the simulator.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::config
{

// What a device does in the office. Values are the DEVICE_ROLE codes of motcua-v1.
enum class DeviceRole
{
    display = 1,     // counter display above a counter
    keypad = 2,      // clerk keypad on the counter's desk
    rating = 3,      // citizen rating panel at a counter
    kiosk_panel = 4, // button panel of a ticket kiosk
};

std::string_view to_string(DeviceRole role);
std::optional<DeviceRole> device_role_from_string(std::string_view text);
inline bool is_event_role(DeviceRole r) { return r != DeviceRole::display; }

// How a number is stored in registers.
enum class Codec
{
    u16,   // unsigned 16-bit
    int16, // two's complement signed 16-bit
    ascii, // one ASCII character per register, right-aligned in `width` registers
};

enum class WriteFunction
{
    fc06, // one register per request (Write Single Register)
    fc16, // one block per request (Write Multiple Registers)
};

// Parity: config/serial_model.hpp (shared with the other serial devices).

// The display part of a profile. Fields without an address do not exist on the device.
struct DisplayRegisters
{
    bool present = false;
    std::uint16_t number = 0;
    Codec codec = Codec::u16;
    int width = 4; // ascii: registers (digits); u16/int16: digits shown, for the test pattern
    // Raw register value for a blank display and for "----" where the device has no MODE
    // register (u16/int16 only; ascii uses spaces and '-').
    std::optional<std::int32_t> blank_value;
    std::optional<std::int32_t> dashes_value;
    std::optional<std::uint16_t> counter;
    std::optional<std::uint16_t> mode; // MODE register: values below
    int mode_blank = 0;
    int mode_number = 1;
    int mode_dashes = 2;
    std::optional<std::uint16_t> blink;      // high byte count, low byte period (100 ms)
    std::optional<std::uint16_t> brightness; // 0..15
};

// The event FIFO head: SEQ, PENDING, KEY, ARG at block..block+3; ACK written separately.
struct EventRegisters
{
    bool present = false;
    std::uint16_t block = 0x0200;
    std::uint16_t ack = 0x0204;
};

// Keypad and panel feedback (motcua-v1 0x0210..0x0213).
struct FeedbackRegisters
{
    std::optional<std::uint16_t> show_number;
    std::optional<std::uint16_t> show_waiting;
    std::optional<std::uint16_t> led;
    std::optional<std::uint16_t> beep;
};

struct IdentityRegisters
{
    std::optional<std::uint16_t> role;
    std::optional<std::uint16_t> firmware;
    std::optional<std::uint16_t> status;
    std::optional<std::uint16_t> heartbeat;
    std::optional<std::uint16_t> watchdog;
};

// Registers a technician uses to re-address a device.
struct SetupRegisters
{
    std::optional<std::uint16_t> slave_id;
    std::optional<std::uint16_t> baud_code;
    std::optional<std::uint16_t> parity;
    std::optional<std::uint16_t> commit;
    std::uint16_t commit_value = 0xA5A5;
    // baud -> code written to baud_code, e.g. {9600,0},{19200,1}
    std::vector<std::pair<int, int>> baud_codes;
};

struct DeviceProfile
{
    std::string name;   // file stem: "motcua-v1"
    std::string source; // path it was read from
    std::string description;
    std::vector<DeviceRole> roles; // roles a device with this profile can take
    WriteFunction write = WriteFunction::fc16;
    IdentityRegisters identity;
    DisplayRegisters display;
    EventRegisters events;
    FeedbackRegisters feedback;
    SetupRegisters setup;

    bool supports(DeviceRole r) const;
};

struct Bus
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
};

struct Device
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
};

struct Devices
{
    std::vector<Bus> buses;
    std::vector<Device> devices;
    std::vector<DeviceProfile> profiles; // the profiles the devices name, each once
    // [devices]: how the daemon uses them.
    int rating_window_s = 30;   // a rating panel takes a rating this long after DONE
    bool dashes_on_exit = true; // displays show "----" when the daemon stops

    const Bus* bus(std::string_view name) const;
    const DeviceProfile* profile(std::string_view name) const;
    const Device* device(std::string_view name) const;
    // The device of `role` attached to counter `counter`, if any.
    const Device* for_counter(int counter, DeviceRole role) const;
};

class Diagnostics;

// Reads one profile file (the stem names it); errors go to `diags` with file:line:col.
// config::load() calls this for every profile a [[device]] names; tools and tests may too.
std::optional<DeviceProfile> load_device_profile(const std::string& path, Diagnostics& diags);

} // namespace motcua::config
