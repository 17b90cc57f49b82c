#pragma once

// Read-only lookups the application needs at start-up and for its warnings, as typed rows:
// the app layer reads no table itself.

#include "store/database.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace motcua::store
{

// The newest handled key-event sequence number of a bus device ("device.key" rows).
struct KeySequence
{
    std::string bus;
    std::string device;
    std::uint16_t seq = 0;
};
Result<std::vector<KeySequence>> last_key_sequences(Database& db);

// The tickets of a business day that a kiosk owed a print (a `kiosk_issued_kind` row was
// committed with them) and whose outcome never came: the daemon stopped in between.
// Failed prints are not among them (they were reported with the reprint hint when they
// failed), nor tickets issued at a desk.
Result<std::vector<std::int64_t>> unprinted_kiosk_tickets(Database& db, Date business_day,
                                                          std::string_view kiosk_issued_kind);

} // namespace motcua::store
