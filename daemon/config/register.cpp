// [register]: where the register lives (procedures and calendar come with the register issue).

#include "config/sections.hpp"

namespace motcua::config
{

void parse_register(Table& root, Config& cfg, SectionContext&)
{
    auto t = root.table("register", Need::optional);
    if (!t)
        return;
    cfg.reg.database = t->string("database", Need::optional).value_or(cfg.reg.database);
    t->finish();
}

} // namespace motcua::config
