#pragma once

// Queue events: the only way queue state changes. The engine decides an event, the
// application commits it to the journal, then the engine applies it. At start-up the
// engine replays the current business day's events, so the journal is the truth.

#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua::queue
{

using TicketId = std::int64_t;

enum class EventKind
{
    day_opened,     // a new business day: yesterday's waiting tickets expire, counters close
    issued,         // ticket, service, number, priority
    called,         // counter calls ticket
    recalled,       // counter calls its ticket again
    no_show,        // the citizen did not come; ticket leaves the counter
    readmitted,     // a no-show ticket waits again
    transferred,    // ticket moves to another service or counter, keeping its number
    paused,         // counter paused with a reason code
    resumed,        // counter resumed
    done,           // counter finished its ticket
    counter_opened, // counter opened by an officer
    counter_closed, // counter closed
};

std::string_view to_string(EventKind kind);
std::optional<EventKind> event_kind_from_string(std::string_view text);

struct Event
{
    EventKind kind = EventKind::issued;
    Now at{};           // when it happened (both clocks)
    Date business_day{}; // the business day it belongs to
    TicketId ticket = 0; // 0 when the event concerns no ticket
    int counter = 0;     // 0 when the event concerns no counter
    std::string officer; // officer at the counter, if any

    // Kind-specific fields; unused ones stay empty.
    std::string service;  // issued: its service; transferred: the target service ("" for a counter)
    int number = 0;       // issued: its number
    std::string priority; // issued: priority class id, "" for none
    int to_counter = 0;   // transferred: target counter, 0 for a service
    int reason = 0;       // paused: reason code

    friend bool operator==(const Event&, const Event&) = default;
};

} // namespace motcua::queue
