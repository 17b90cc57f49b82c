#pragma once

// The announcer's queue, pure (time passed in): announcements leave in the order they
// were committed; a recall of a ticket whose announcement still waits is merged with it;
// the queue is bounded by size (the oldest waiting one goes) and by age (one that waited
// too long is not said late). Every drop is returned with its reason for the log.

#include "voice/announcement.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace motcua::voice
{

using Clock = std::chrono::steady_clock;

struct Request
{
    Kind kind = Kind::call;
    std::int64_t ticket = 0;
    std::string label;   // "TP-105"
    std::string service; // service id
    int counter = 0;
    std::string text;    // the words, as announcement_text() made them
    Clock::time_point committed{};
    int merged_recalls = 0; // recalls merged into this one while it waited
};

struct Dropped
{
    Request request;
    std::string reason; // "queue_full", "too_old", "quiet_hours", "stopped"
};

class Fifo
{
  public:
    Fifo(std::size_t limit, std::chrono::milliseconds max_age) : limit_(limit), max_age_(max_age) {}

    struct Pushed
    {
        bool merged = false;          // a recall joined the waiting announcement of its ticket
        std::vector<Dropped> dropped; // the oldest, when the queue was full
    };
    Pushed push(Request r);
    // The next announcement to say at `now`; those that waited longer than the age bound
    // are dropped on the way (added to `dropped`).
    std::optional<Request> pop(Clock::time_point now, std::vector<Dropped>& dropped);
    // Everything still waiting, e.g. when the announcer stops.
    std::vector<Dropped> clear(const std::string& reason);

    std::size_t size() const { return waiting_.size(); }
    bool empty() const { return waiting_.empty(); }
    // When the oldest waiting announcement passes the age bound.
    std::optional<Clock::time_point> oldest_deadline() const;

  private:
    std::size_t limit_;
    std::chrono::milliseconds max_age_;
    std::deque<Request> waiting_;
};

} // namespace motcua::voice
