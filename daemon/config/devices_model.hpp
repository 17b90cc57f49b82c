#pragma once

// [[bus]] and [[device]]: the RS-485 Modbus buses and what hangs on them (issue: the bus).

#include <string>
#include <vector>

namespace motcua::config
{

struct Devices
{
};

} // namespace motcua::config
