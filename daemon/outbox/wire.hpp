#pragma once

// Journal rows as they travel from a box to the central service (docs/central.md "Wire"):
// one JSON object per row with every field the hash covers, the payload as its JSON text,
// and whether personal data was taken out of it. Pure.

#include "store/journal.hpp"
#include "util/result.hpp"

#include <nlohmann/json.hpp>

namespace motcua::outbox
{

struct WireRow
{
    store::JournalRow row;
    // The payload lost its personal values on the way (store/journal_redaction.hpp). A
    // scheme-2 row verifies all the same; a redacted scheme-1 row (written before the
    // upgrade) can only be checked by its links.
    bool redacted = false;
};

// `send_personal_data` false: the payload is redacted when it holds personal data.
nlohmann::json to_wire(const store::JournalRow& row, bool send_personal_data);

// Errors ("bad_row") name the row's position and the key that is wrong.
Result<WireRow> from_wire(const nlohmann::json& j);

// The row's content checks out: its hash is that of its canonical form. A redacted
// scheme-1 row cannot be checked and passes (its links are still checked by the caller).
bool content_verifies(const WireRow& w);

} // namespace motcua::outbox
