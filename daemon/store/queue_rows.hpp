#pragma once

// Queue events as journal rows. The row's own columns hold the time, counter, officer and
// ticket; the payload holds business_day ("YYYY-MM-DD") and every other Event field that
// is not at its default (service, number, priority, to_counter, reason), so a round trip
// is exact whatever the engine puts in an event.

#include "queue/event.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"

#include <vector>

namespace motcua::store
{

JournalRow to_row(const queue::Event& e);

// Error code "journal_corrupt", naming the seq, when the row is not a valid queue event.
Result<queue::Event> event_from_row(const JournalRow& row);

// True for the queue's kinds (no dot); other modules' kinds carry "area." first.
bool is_queue_kind(std::string_view kind);

// The queue events from the newest day_opened row (included) to the end, or from the
// start when there is none: what the engine replays at start. Rows of other modules are
// passed over; a queue row that does not parse is an Error naming its seq, or, when
// `skipped` is given, that Error is added there and the row passed over.
Result<std::vector<queue::Event>> events_since_last_day_opened(Journal& journal,
                                                               std::vector<Error>* skipped = nullptr);

} // namespace motcua::store
