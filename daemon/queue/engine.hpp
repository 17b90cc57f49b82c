#pragma once

// The queue engine: pure, deterministic, no I/O, time passed in.
//
// Every command is split in two steps so that nothing is shown before it is durable:
//   1. decide: `auto ev = engine.call_next(now, 3);` checks the rules and returns the
//      event that would happen (or an Error), without changing anything;
//   2. the caller commits the event to the journal, then `engine.apply(*ev)`.
// Replaying the journal's events through apply() rebuilds the same state after a crash.

#include "config/model.hpp"
#include "queue/event.hpp"
#include "util/result.hpp"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace motcua::queue
{

enum class TicketState
{
    waiting,
    called,   // held by a counter
    no_show,  // left the counter unseen; may be readmitted within the tolerance
    done,
    expired   // the business day ended while it waited
};
std::string_view to_string(TicketState s);

struct Ticket
{
    TicketId id = 0;
    std::string service;        // the service it waits for now (changes on transfer)
    std::string issued_service; // the service it was issued for
    int number = 0;
    std::string priority;       // priority class id, "" for none
    WallTime issued_at{};
    TicketState state = TicketState::waiting;
    int counter = 0;            // the counter holding it (called) or last holding it
    int directed_to = 0;        // transferred to a counter: only that counter calls it
    int recalls = 0;            // recalls during the current call
    std::optional<WallTime> called_at;
    std::optional<WallTime> no_show_at;
    std::optional<WallTime> done_at;
    std::string officer;

    bool is_priority() const { return !priority.empty(); }
};

enum class CounterState
{
    closed,
    idle,    // open, holding no ticket
    serving, // holding a ticket
    paused
};
std::string_view to_string(CounterState s);

struct CounterStatus
{
    int number = 0;
    CounterState state = CounterState::closed;
    std::string officer;
    TicketId ticket = 0; // 0 when none
    int pause_reason = 0;
};

// Where a transfer sends a ticket: a service (by id) or a counter (by number).
struct TransferTarget
{
    std::string service;
    int counter = 0;
};

class Engine
{
  public:
    explicit Engine(const config::Config& cfg);

    // Rules may change on reload; state (tickets, counters) stays.
    void reconfigure(const config::Config& cfg);

    // --- decisions: return the event to commit, change nothing -------------------------
    // The day_opened event to commit first when `now` is in another business day than the
    // current one: the business day follows the wall clock's date as it is now, forwards
    // or back. A date already used continues its numbering (continue_numbering()).
    std::optional<Event> rollover(const Now& now) const;
    Result<Event> issue(const Now& now, std::string_view service, std::string_view priority) const;
    Result<Event> open(const Now& now, int counter, std::string_view officer) const;
    Result<Event> close(const Now& now, int counter) const;
    Result<Event> call_next(const Now& now, int counter) const;
    Result<Event> recall(const Now& now, int counter) const;
    Result<Event> no_show(const Now& now, int counter) const;
    Result<Event> readmit(const Now& now, TicketId ticket) const;
    Result<Event> transfer(const Now& now, int counter, const TransferTarget& to) const;
    Result<Event> pause(const Now& now, int counter, int reason) const;
    Result<Event> resume(const Now& now, int counter) const;
    Result<Event> done(const Now& now, int counter) const;

    // --- state change: apply a committed event (live or replayed) -----------------------
    void apply(const Event& e);
    // Ticket ids are global; after a restart the next one follows the store's highest.
    void set_next_ticket_id(TicketId next) { next_ticket_id_ = std::max(next_ticket_id_, next); }
    // Numbers a service already issued on the current business day (from the store): after
    // day_opened for a date used before (the clock went back to it, or a restart), each
    // service goes on after its highest number, so no number is issued twice on one day.
    struct UsedNumbers
    {
        std::string service; // the service whose numbers they are (issued_service)
        int last_number = 0;
        int issued = 0;
    };
    void continue_numbering(const std::vector<UsedNumbers>& used);

    // --- queries -------------------------------------------------------------------------
    std::optional<Date> business_day() const { return day_; }
    Date business_day_of(WallTime t) const;
    const Ticket* ticket(TicketId id) const;
    // "TP-1012", "1012" or "#57" (ticket id) among today's tickets.
    const Ticket* find_ticket(std::string_view label) const;
    std::string label(const Ticket& t) const;
    // Waiting tickets of a service, in the order the service's pool would call them
    // if no other rule applied (issue order).
    std::vector<const Ticket*> waiting(std::string_view service) const;
    // Tickets a given counter could call now (directed ones, then its services').
    int waiting_for_counter(int counter) const;
    // How many tickets of the same service wait before this one.
    int waiting_ahead(TicketId id) const;
    // How many tickets will be called before this one if nothing else changes: its
    // service's pool played forward with call_next's rule (policy, priority classes, the
    // interleave run, ageing at `now`), or the tickets transferred to the same counter
    // before it. 0 when it is not waiting.
    int ahead_in_call_order(TicketId id, WallTime now) const;
    // Today's service times (first call to done) of a service's finished tickets, oldest
    // finish first: the phone page's wait estimate (queue/estimate.hpp).
    std::vector<std::chrono::milliseconds> service_times(std::string_view service) const;
    // Open counters (idle or serving, not paused) whose services include this one.
    int open_counters_for(std::string_view service) const;
    std::vector<CounterStatus> counters() const;
    const CounterStatus* counter(int number) const;
    const config::Config& config() const { return *cfg_; }

  private:
    struct ServicePool
    {
        int last_number = 0;   // last number issued today (0 = none yet)
        int issued_today = 0;
        int normal_run = 0;    // normal tickets called in a row while a priority one waited
    };

    const CounterStatus* counter_status_or_null(int counter) const;
    CounterStatus& mutable_counter(int number);
    Result<const CounterStatus*> open_counter(int counter) const;
    Result<const Ticket*> held_ticket(int counter) const;
    const Ticket* choose(int counter, WallTime now) const;
    const Ticket* choose_in_service(const std::string& service, WallTime now) const;
    // The ticket the pool's policy calls first among `pool` (waiting, undirected, one
    // service, in issue order), given the pool's interleave run.
    const Ticket* pick_in_pool(const std::vector<const Ticket*>& pool, int normal_run, WallTime now) const;
    Event make(EventKind kind, const Now& now) const;
    Ticket* mutable_ticket(TicketId id);

    const config::Config* cfg_;
    std::optional<Date> day_;
    TicketId next_ticket_id_ = 1;
    std::map<TicketId, Ticket> tickets_;              // today's tickets
    std::map<std::string, ServicePool, std::less<>> pools_;
    std::map<int, CounterStatus> counters_;
};

} // namespace motcua::queue
