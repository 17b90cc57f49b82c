#pragma once

// A dossier's journal rows (its timeline): every "dossier.*" row whose payload names the
// dossier's code — received, each change, each form printed — with who wrote it.

#include "store/database.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::store
{

struct DossierJournalRow
{
    std::int64_t seq = 0;
    std::string kind;    // "dossier.received", "dossier.supplement_requested", …
    WallTime wall{};
    int counter = 0;
    std::string officer;
    std::string actor;   // the payload's "actor": "user:lan", "socket:uid=0", …
    std::string payload; // the row's JSON payload
};

// The rows of dossier `code` written at or after `since` (no row of a dossier is older
// than its receipt day), oldest first, at most `limit`.
Result<std::vector<DossierJournalRow>> dossier_journal(Database& db, std::string_view code, WallTime since,
                                                       std::int64_t limit);

} // namespace motcua::store
