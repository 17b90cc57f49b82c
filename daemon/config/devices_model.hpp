#pragma once

#include "modbus/bus_config.hpp"
#include "modbus/profile.hpp"

// [[bus]], [[device]] and [devices]: the RS-485 Modbus buses and what hangs on them, plus
// the device profiles (config/devices/*.toml) the devices name. A profile maps the logical
// fields of a counter display, a keypad or a panel onto one vendor's registers, so a new
// vendor's device needs a profile file, not code.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::config
{

// The bus and device settings and the profiles are the driver's own plain data
// (drivers/modbus); the config loader fills them. Aliases keep the config's vocabulary.
using Bus = modbus::BusConfig;
using Device = modbus::DeviceConfig;
using DeviceRole = modbus::DeviceRole;
using modbus::to_string;

struct Devices
{
    std::vector<Bus> buses;
    std::vector<Device> devices;
    std::vector<modbus::DeviceProfile> profiles; // the profiles the devices name, each once
    // [devices]: how the daemon uses them.
    int rating_window_s = 30;   // a rating panel takes a rating this long after DONE
    bool dashes_on_exit = true; // displays show "----" when the daemon stops

    const Bus* bus(std::string_view name) const;
    const modbus::DeviceProfile* profile(std::string_view name) const;
    const Device* device(std::string_view name) const;
    // The device of `role` attached to counter `counter`, if any.
    const Device* for_counter(int counter, DeviceRole role) const;
};

class Diagnostics;

// Reads one profile file (the stem names it); errors go to `diags` with file:line:col.
// config::load() calls this for every profile a [[device]] names; tools and tests may too.
std::optional<modbus::DeviceProfile> load_device_profile(const std::string& path, Diagnostics& diags);

} // namespace motcua::config
