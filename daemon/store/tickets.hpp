#pragma once

// The tickets table: a projection of the queue's events, written in the same transaction
// as the journal row, for reports, the printer's state and lookups by id. The journal
// stays the truth; this table is what reports query (indexed by business_day, service).

#include "queue/engine.hpp"
#include "queue/event.hpp"
#include "store/database.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::store
{

enum class PrintState
{
    none, // not printed (yet)
    printed,
    print_failed
};
std::string_view to_string(PrintState s);
std::optional<PrintState> print_state_from_string(std::string_view text);

struct TicketRow
{
    std::int64_t id = 0;
    std::string business_day;   // YYYY-MM-DD
    std::string service;        // the service it waits for now
    std::string issued_service; // the service whose number it carries
    int number = 0;
    std::string priority;
    std::string status; // waiting, called, no_show, done, expired
    WallTime issued_at{};
    std::optional<WallTime> called_at; // first call
    std::optional<WallTime> done_at;
    int counter = 0; // holding it, or last holding it; 0 for none
    std::string officer;
    int recalls = 0; // over the ticket's life
    PrintState print_state = PrintState::none;
};

class Tickets
{
  public:
    explicit Tickets(Database& db);

    // Updates the projection for one event, inside the caller's transaction:
    //   issued: inserts; called: status called, first called_at, counter, officer;
    //   recalled: recalls+1; no_show: status no_show; readmitted: waiting again;
    //   transferred: waiting again, at the target service when it names one;
    //   done: status done, done_at; day_opened: tickets of any other day still waiting or
    //   called become expired. Counter events change nothing here.
    // An event about a ticket the table does not hold is an Error ("store_inconsistent").
    Result<void> apply(const queue::Event& e);

    // Per issued service, the highest number and the count issued on `day`: a date used
    // again continues its numbering (queue::Engine::continue_numbering).
    Result<std::vector<queue::Engine::UsedNumbers>> numbers_of_day(Date day);

    // The highest ticket id ever issued, 0 for none: the engine continues after it.
    Result<std::int64_t> max_ticket_id();

    Result<void> set_print_state(std::int64_t id, PrintState state);

    Result<std::optional<TicketRow>> find(std::int64_t id);

  private:
    Result<void> update_one(const queue::Event& e, std::string_view sql);

    Database& db_;
};

} // namespace motcua::store
