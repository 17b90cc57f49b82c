#pragma once

// [[printer]], [[kiosk]] and [ticket] (issue: tickets on paper).

#include <string>
#include <vector>

namespace motcua::config
{

struct Printing
{
};

} // namespace motcua::config
