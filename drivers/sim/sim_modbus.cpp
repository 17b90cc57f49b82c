// motcua-sim's modbus part (placeholder until the integration lands).
#include "sim_parts.hpp"

namespace motcua::sim
{
bool start_modbus(ServeContext&) { return true; }
void stop_modbus() {}
void add_modbus_commands(CLI::App&, AskContext&) {}
} // namespace motcua::sim
