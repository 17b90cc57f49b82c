#include "config/sections.hpp"

namespace motcua::config
{

void parse_printing(Table&, Config&, SectionContext&) {}

} // namespace motcua::config
