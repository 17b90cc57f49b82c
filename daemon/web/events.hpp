#pragma once

// Live queue events for the web (Server-Sent Events). The hub is told after every
// committed queue event (Application::on_queue_event → Site), reads the new rows from the
// journal — so every event carries its journal seq as `id:` — and sends each to the
// streams whose filter takes it. A client that reconnects with Last-Event-ID (or
// ?since=SEQ) gets exactly the events it missed, from memory or from the journal; one that
// saw another daemon instance (?instance=) or missed too much is sent a "reload" event and
// fetches its snapshot again.
//
// What a stream sends:
//   retry: 1000                          (reconnect after 1 s)
//   event: hello   data: {"instance": "…", "seq": N}      (no id: the position is unchanged)
//   id: 57  event: queue  data: {…}      (one per queue event, in seq order)
//   event: reload  data: {"why": "…"}    (then the server ends the stream)
//   event: ping  data: {}                (every 2 s without other events: a dead link is
//                                          found on both sides)
//
// A stream from a handler (see web/server.hpp):
//   return hub.open_stream(request, {
//       .filter = [](const QueueUpdate& u) { return u.event.service == "TP"; },
//       .render = [](const QueueUpdate& u) { return std::optional<json>(u.data); },
//   });

#include "queue/event.hpp"
#include "store/journal.hpp"
#include "web/http.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

namespace motcua::web
{

// One committed queue event as the web sees it.
struct QueueUpdate
{
    std::int64_t seq = 0; // its journal row
    queue::Event event;
    json data; // the "data:" of its SSE event (Describe below); every default stream sends it
};

// --- the resume decision (pure) ----------------------------------------------------------

enum class ResumeKind
{
    live,   // from now on
    replay, // the events after `after_seq`, then live
    reload, // the client must fetch its snapshot again
};

struct ResumeInput
{
    std::optional<std::int64_t> last_seen;   // Last-Event-ID, else ?since=
    std::optional<std::string> instance;     // ?instance= the client's snapshot named
    std::string current_instance;            // this daemon's
    std::int64_t newest_seq = 0;             // the journal's newest row now
    std::int64_t max_missed_rows = 5000;     // further behind than this: reload
};

struct ResumeDecision
{
    ResumeKind kind = ResumeKind::live;
    std::int64_t after_seq = 0; // replay: the first event sent has a greater seq
    std::string why;            // reload: said to the client
};

ResumeDecision decide_resume(const ResumeInput& in);

// "123" → 123; nullopt for anything but a plain non-negative decimal.
std::optional<std::int64_t> parse_seq(std::string_view text);

// --- one client's stream -------------------------------------------------------------------

using Frame = std::shared_ptr<const std::string>;

// Frames waiting to be written to one SSE client. The hub pushes; the connection that owns
// the socket takes and writes them (web/server.cpp).
class EventStream
{
  public:
    explicit EventStream(boost::asio::any_io_executor executor);

    // Queues a frame; a client too far behind (max_queued) is closed: it reconnects with
    // Last-Event-ID and catches up from the journal.
    void send(Frame frame);
    // Ends the stream once what is queued is written (a "reload").
    void finish();
    // Ends it at once.
    void close();

    bool closed() const { return closed_; }
    bool finishing() const { return finishing_; }
    // For the connection: the frames to write now (empty when none).
    std::deque<Frame> take();
    // Waits until a frame is queued, the stream closes, or `timeout` passes.
    boost::asio::awaitable<void> wait(std::chrono::steady_clock::duration timeout);

    static constexpr std::size_t max_queued = 512;

  private:
    std::deque<Frame> queued_;
    boost::asio::steady_timer wake_;
    bool closed_ = false;
    bool finishing_ = false;
};

// An SSE frame: "id: 5\nevent: queue\ndata: {...}\n\n" (no id line when seq is 0).
std::string sse_frame(std::int64_t seq, std::string_view event, const json& data);

// --- the hub -------------------------------------------------------------------------------

struct StreamOptions
{
    // Which queue events this stream gets (all when empty).
    std::function<bool(const QueueUpdate&)> filter{};
    // This stream's data for an event (update.data when empty); nullopt skips the event.
    std::function<std::optional<json>(const QueueUpdate&)> render{};
    // The SSE event name of queue events.
    std::string event_name = "queue";
};

class EventHub
{
  public:
    // The data of one event, built once for every stream (web/site.cpp gives the board's).
    using Describe = std::function<json(std::int64_t seq, const queue::Event&)>;

    EventHub(boost::asio::io_context& io, store::Journal& journal, Describe describe);
    ~EventHub();
    EventHub(const EventHub&) = delete;
    EventHub& operator=(const EventHub&) = delete;

    // This daemon run's id: a board that saw another one reloads its snapshot.
    const std::string& instance() const { return instance_; }
    // A new id (after a reload of the config): every board fetches its snapshot again.
    void renew_instance();
    // The newest journal seq the hub has read (what a snapshot taken now is up to date with).
    std::int64_t seq() const { return seq_; }

    // Called after every committed queue event: reads the new journal rows (once the
    // current handler is over, so the engine has applied them all) and sends them.
    void notify();
    // Reads and sends at once (tests, and before a snapshot is taken).
    void catch_up();
    // Reads up to `rows` journal rows back into memory (at start: the last calls survive a
    // restart, and a board that reconnects is served without reading the journal).
    void prime(std::int64_t rows);

    // The Response that turns the request's connection into a stream (Last-Event-ID,
    // ?since=, ?instance= as in the header comment).
    Response open_stream(const Request& request, StreamOptions options = {});

    // Ends every stream (stop, reload of the web config).
    void close_all();
    std::size_t streams() const;

    // The events still in memory (newest last), e.g. for the board's last calls.
    const std::deque<QueueUpdate>& recent() const { return recent_; }

    static constexpr std::size_t memory_events = 1024;
    static constexpr std::int64_t max_missed_rows = 5000;
    static constexpr std::chrono::seconds heartbeat{2};

  private:
    struct Subscriber
    {
        std::weak_ptr<EventStream> stream;
        StreamOptions options;
    };
    void publish(const QueueUpdate& update);
    void send_to(Subscriber& s, const QueueUpdate& update, const Frame& shared_frame);
    // The queue events with seq > after, from memory when it reaches back that far.
    std::vector<QueueUpdate> since(std::int64_t after);

    boost::asio::io_context& io_;
    store::Journal& journal_;
    Describe describe_;
    std::string instance_;
    std::int64_t seq_ = 0;           // newest journal row read
    std::int64_t memory_floor_ = 1;  // recent_ holds every queue event with seq >= this
    std::deque<QueueUpdate> recent_;
    std::list<Subscriber> subscribers_;
    bool notify_posted_ = false;
    std::shared_ptr<bool> alive_; // a posted notify() after the hub is gone does nothing
};

} // namespace motcua::web
