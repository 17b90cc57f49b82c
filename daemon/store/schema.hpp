#pragma once

// The project's one ordered list of schema migrations. A module that needs tables (the
// dossier register, ratings) appends a Migration with the next version number; a
// migration already shipped is never edited.

#include "store/database.hpp"

#include <vector>

namespace motcua::store
{

const std::vector<Migration>& schema_migrations();

} // namespace motcua::store
