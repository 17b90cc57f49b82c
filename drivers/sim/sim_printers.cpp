// motcua-sim's printers part (placeholder until the integration lands).
#include "sim_parts.hpp"

namespace motcua::sim
{
bool start_printers(ServeContext&) { return true; }
void stop_printers() {}
void add_printer_commands(CLI::App&, AskContext&) {}
} // namespace motcua::sim
