#pragma once

// libmodbus reports -1 plus errno; Modbus exceptions and protocol faults are errno values
// above MODBUS_ENOBASE. modbus_strerror() is not thread-safe (libmodbus #468), so the
// driver formats messages itself through this category.

#include <string>
#include <system_error>

namespace motcua::modbus
{

enum class Fault
{
    none,
    timeout,   // no (complete) reply within the timeouts
    crc,       // reply with a bad CRC
    exception, // the device answered with a Modbus exception
    protocol,  // a reply that does not match the request (wrong id, length, function)
    io,        // the port itself failed (unplugged adapter): reopen
};

const std::error_category& modbus_category();
std::error_code errno_code(int errnum);
Fault classify(int errnum);
std::string_view to_string(Fault f);

} // namespace motcua::modbus
