#pragma once

// [register]: the dossier register's database and its rule sets (issue: dossier register).

#include <string>
#include <vector>

namespace motcua::config
{

struct Register
{
    std::string database = "/var/lib/motcua/motcua.db";
};

} // namespace motcua::config
