#include "config/sections.hpp"

namespace motcua::config
{

void parse_devices(Table&, Config&, SectionContext&) {}

} // namespace motcua::config
