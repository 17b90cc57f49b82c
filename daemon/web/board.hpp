#pragma once

// The hall board's data (pure: config, engine and events in, JSON out). The page
// (pages/board.js) renders only from this: the snapshot of GET /api/board, then each queue
// event of GET /events, whose data carries absolute values (waiting counts, the counter's
// state now), so applying an event twice changes nothing.

#include "config/model.hpp"
#include "queue/engine.hpp"
#include "web/events.hpp"

#include <deque>
#include <string>

namespace motcua::web::board
{

// The data of one queue event (EventHub::Describe): the event, the ticket's label, service
// and priority, the counter's name, and the state now of every service's waiting count
// and of the event's counter.
json describe_event(const config::Config& cfg, const queue::Engine& engine, std::int64_t seq,
                    const queue::Event& event);

// Whether a screen shows an event (null screen: the whole hall shows everything).
bool on_screen(const config::Screen* screen, const QueueUpdate& update);

// The last calls of today, newest first, one row per ticket (a recall moves it up), from
// the events in memory, at most `limit`, only those the screen shows.
std::vector<json> last_calls(const std::deque<QueueUpdate>& recent, const queue::Engine& engine,
                             const config::Screen* screen, int limit);

struct SnapshotContext
{
    std::string instance;      // EventHub::instance()
    std::int64_t seq = 0;      // the journal seq the snapshot is up to date with
    std::string static_prefix; // "/static/<version>": a page of another version reloads
    WallTime now{};
};

// GET /api/board[?screen=NAME].
json snapshot(const config::Config& cfg, const queue::Engine& engine, const std::deque<QueueUpdate>& recent,
              const config::Screen* screen, const SnapshotContext& context);

} // namespace motcua::web::board
