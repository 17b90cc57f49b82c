#pragma once

// Serial line settings shared by printers and RS-485 buses.

namespace motcua::config
{

enum class Parity
{
    none,
    even,
    odd
};

} // namespace motcua::config
