#pragma once

// The project's one ordered list of schema migrations. A module that needs tables (the
// dossier register, ratings) appends a Migration with the next version number; a
// migration already shipped is never edited.

#include "store/database.hpp"

#include <string>
#include <vector>

namespace motcua::store
{

const std::vector<Migration>& schema_migrations();

// Recreates the journal's append-only triggers if someone dropped them (they are part of
// the schema since version 1); returns the names of those recreated. motcuad calls it at
// every start and at every periodic journal check.
Result<std::vector<std::string>> restore_journal_guards(Database& db);

} // namespace motcua::store
