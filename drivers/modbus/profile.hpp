#pragma once

// A device profile: how one vendor's counter display, keypad or panel maps the logical
// fields of motcua-v1 (shared/docs/register-map.md) onto its registers, as plain data.
// Profiles are data files (config/devices/*.toml) parsed by the daemon's config loader;
// the codec, the bus driver and the simulator only read these structs.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua::modbus
{

// What a device does in the office. Values are the DEVICE_ROLE codes of motcua-v1.
enum class DeviceRole
{
    display = 1,     // counter display above a counter
    keypad = 2,      // clerk keypad on the counter's desk
    rating = 3,      // citizen rating panel at a counter
    kiosk_panel = 4, // button panel of a ticket kiosk
};

inline std::string_view to_string(DeviceRole role)
{
    switch (role)
    {
    case DeviceRole::display: return "display";
    case DeviceRole::keypad: return "keypad";
    case DeviceRole::rating: return "rating";
    case DeviceRole::kiosk_panel: return "kiosk_panel";
    }
    return "display";
}

inline std::optional<DeviceRole> device_role_from_string(std::string_view text)
{
    for (auto r : {DeviceRole::display, DeviceRole::keypad, DeviceRole::rating, DeviceRole::kiosk_panel})
        if (to_string(r) == text)
            return r;
    return std::nullopt;
}

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
    fc06, // Write Single Register: one register per request
    fc16, // Write Multiple Registers: one block per request
};

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
    friend bool operator==(const DisplayRegisters&, const DisplayRegisters&) = default;
};

// The event FIFO head: SEQ, PENDING, KEY, ARG at block..block+3; ACK written separately.
struct EventRegisters
{
    bool present = false;
    std::uint16_t block = 0x0200;
    std::uint16_t ack = 0x0204;
    friend bool operator==(const EventRegisters&, const EventRegisters&) = default;
};

// Keypad and panel feedback (motcua-v1 0x0210..0x0213).
struct FeedbackRegisters
{
    std::optional<std::uint16_t> show_number;
    std::optional<std::uint16_t> show_waiting;
    std::optional<std::uint16_t> led;
    std::optional<std::uint16_t> beep;
    friend bool operator==(const FeedbackRegisters&, const FeedbackRegisters&) = default;
};

struct IdentityRegisters
{
    std::optional<std::uint16_t> role;
    std::optional<std::uint16_t> firmware;
    std::optional<std::uint16_t> status;
    std::optional<std::uint16_t> heartbeat;
    std::optional<std::uint16_t> watchdog;
    friend bool operator==(const IdentityRegisters&, const IdentityRegisters&) = default;
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
    friend bool operator==(const SetupRegisters&, const SetupRegisters&) = default;
};

struct DeviceProfile
{
    std::string name;   // file stem: "motcua-v1"
    std::string source; // path it was read from
    std::string description;
    std::vector<DeviceRole> roles; // roles a device with this profile can take
    // Several registers: one FC16 per contiguous run, or one FC06 per register.
    WriteFunction write = WriteFunction::fc16;
    // A write of one register (EVT_ACK, BEEP, WATCHDOG_S, HOST_HEARTBEAT, a lone changed
    // feedback register). register-map.md: FC06 for one register, FC16 for several.
    WriteFunction write_single = WriteFunction::fc16;
    IdentityRegisters identity;
    DisplayRegisters display;
    EventRegisters events;
    FeedbackRegisters feedback;
    SetupRegisters setup;

    bool supports(DeviceRole r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }
    // The function a write of `registers` registers goes out with.
    bool single_register_write(std::size_t registers) const
    {
        return registers == 1 && (write == WriteFunction::fc06 || write_single == WriteFunction::fc06);
    }
    friend bool operator==(const DeviceProfile&, const DeviceProfile&) = default;
};

} // namespace motcua::modbus
