#pragma once

// Reading the daemon's database beside the running daemon, as the tests' eyes.

#include <string>

namespace motcua::testing
{

// The first column of the first row of `sql` as text ("" when there is no row or it is
// NULL), read-only: WAL lets a reader in while the daemon writes. Throws
// std::runtime_error naming the statement when SQLite refuses it.
std::string query_value(const std::string& database, const std::string& sql);

} // namespace motcua::testing
