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

// A ticket of a business day whose print_state is not "printed".
struct UnprintedTicket
{
    std::int64_t id = 0;
    std::string print_state; // "none" or "print_failed"
};
Result<std::vector<UnprintedTicket>> unprinted_tickets(Database& db, Date business_day);

} // namespace motcua::store
