#pragma once

// Technician operations on a bus (scan ids, re-address a device), run step by step on
// the bus's worker between polls. The registers come from a device profile.

#include "modbus/bus.hpp"
#include "modbus/device_state.hpp"

namespace motcua::modbus
{

// Reads the profile's DEVICE_ROLE (and FIRMWARE when it follows) from each id in
// [first, last], one id per step.
TechnicianOp scan_op(boost::asio::io_context& io, const BusConfig& bus, const DeviceProfile& profile, int first,
                     int last, std::function<void(Result<std::vector<ScanEntry>>)> done);

// Writes SLAVE_ID (and BAUD_CODE), then COMMIT, and checks the device answers at `to`
// (unless the baud changes). `baud_code` is the profile's code for the new baud.
TechnicianOp set_id_op(boost::asio::io_context& io, const BusConfig& bus, const DeviceProfile& profile, int from,
                       int to, std::optional<int> baud_code, std::function<void(Result<void>)> done);

} // namespace motcua::modbus
