#include "web/events.hpp"

#include "store/queue_rows.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <random>

namespace motcua::web
{

namespace asio = boost::asio;

ResumeDecision decide_resume(const ResumeInput& in)
{
    if (in.instance && !in.instance->empty() && *in.instance != in.current_instance)
        return {ResumeKind::reload, 0, "the daemon restarted"};
    if (!in.last_seen)
        return {ResumeKind::live, in.newest_seq, ""};
    const auto last = *in.last_seen;
    if (last > in.newest_seq)
        return {ResumeKind::reload, 0, "the journal is behind the client (a restored database?)"};
    if (in.newest_seq - last > in.max_missed_rows)
        return {ResumeKind::reload, 0, "too many events missed"};
    if (last == in.newest_seq)
        return {ResumeKind::live, last, ""};
    return {ResumeKind::replay, last, ""};
}

std::optional<std::int64_t> parse_seq(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0)
        return std::nullopt;
    return v;
}

std::string sse_frame(std::int64_t seq, std::string_view event, const json& data)
{
    std::string out;
    if (seq > 0)
        out += "id: " + std::to_string(seq) + "\n";
    out += "event: ";
    out += event;
    // dump() escapes newlines inside strings, so the JSON is one line: one data: field.
    out += "\ndata: " + data.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
    return out;
}

// --- EventStream ---------------------------------------------------------------------------

EventStream::EventStream(asio::any_io_executor executor) : wake_(executor)
{
    wake_.expires_at(asio::steady_timer::time_point::max());
}

void EventStream::send(Frame frame)
{
    if (closed_ || finishing_)
        return;
    if (queued_.size() >= max_queued)
    {
        spdlog::info("Web stream closed: the client does not keep up queued={}", queued_.size());
        close();
        return;
    }
    queued_.push_back(std::move(frame));
    wake_.cancel();
}

void EventStream::finish()
{
    finishing_ = true;
    wake_.cancel();
}

void EventStream::close()
{
    closed_ = true;
    queued_.clear();
    wake_.cancel();
}

std::deque<Frame> EventStream::take() { return std::exchange(queued_, {}); }

asio::awaitable<void> EventStream::wait(std::chrono::steady_clock::duration timeout)
{
    if (closed_ || finishing_ || !queued_.empty())
        co_return;
    wake_.expires_after(timeout);
    boost::system::error_code ec;
    co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// --- EventHub ------------------------------------------------------------------------------

namespace
{
std::string random_instance()
{
    std::random_device rd;
    std::uniform_int_distribution<std::uint64_t> dist;
    const auto v = dist(rd);
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}
} // namespace

EventHub::EventHub(asio::io_context& io, store::Journal& journal, Describe describe)
    : io_(io), journal_(journal), describe_(std::move(describe)), instance_(random_instance()),
      alive_(std::make_shared<bool>(true))
{
    auto last = journal_.last_seq();
    seq_ = last ? *last : 0;
    memory_floor_ = seq_ + 1;
}

EventHub::~EventHub() { close_all(); }

void EventHub::renew_instance() { instance_ = random_instance(); }

void EventHub::notify()
{
    if (notify_posted_)
        return;
    notify_posted_ = true;
    std::weak_ptr<bool> alive = alive_;
    asio::post(io_, [this, alive] {
        if (alive.expired())
            return;
        notify_posted_ = false;
        catch_up();
    });
}

void EventHub::catch_up()
{
    for (;;)
    {
        auto rows = journal_.read(seq_ + 1, 256);
        if (!rows)
        {
            spdlog::error("Web events: cannot read the journal error={}", rows.error().message);
            return;
        }
        if (rows->empty())
            return;
        for (const auto& row : *rows)
        {
            seq_ = row.seq;
            if (!store::is_queue_kind(row.kind))
                continue;
            auto event = store::event_from_row(row);
            if (!event)
                continue; // a row the engine could not have applied either
            QueueUpdate update{row.seq, *event, describe_(row.seq, *event)};
            recent_.push_back(update);
            while (recent_.size() > memory_events)
            {
                memory_floor_ = recent_.front().seq + 1;
                recent_.pop_front();
            }
            publish(recent_.back());
        }
    }
}

void EventHub::prime(std::int64_t rows)
{
    if (!recent_.empty())
        return;
    const auto newest = seq_;
    seq_ = std::max<std::int64_t>(0, newest - rows);
    memory_floor_ = seq_ + 1;
    catch_up(); // nobody is subscribed yet: this only fills the memory
}

void EventHub::publish(const QueueUpdate& update)
{
    Frame shared;
    for (auto it = subscribers_.begin(); it != subscribers_.end();)
    {
        auto stream = it->stream.lock();
        if (!stream || stream->closed())
        {
            it = subscribers_.erase(it);
            continue;
        }
        if (!it->options.render && it->options.event_name == "queue")
        {
            if (!it->options.filter || it->options.filter(update))
            {
                if (!shared)
                    shared = std::make_shared<const std::string>(sse_frame(update.seq, "queue", update.data));
                stream->send(shared);
            }
        }
        else
            send_to(*it, update, nullptr);
        ++it;
    }
}

void EventHub::send_to(Subscriber& s, const QueueUpdate& update, const Frame& shared_frame)
{
    auto stream = s.stream.lock();
    if (!stream)
        return;
    if (s.options.filter && !s.options.filter(update))
        return;
    if (!s.options.render && s.options.event_name == "queue" && shared_frame)
    {
        stream->send(shared_frame);
        return;
    }
    auto data = s.options.render ? s.options.render(update) : std::optional<json>(update.data);
    if (data)
        stream->send(std::make_shared<const std::string>(sse_frame(update.seq, s.options.event_name, *data)));
}

std::vector<QueueUpdate> EventHub::since(std::int64_t after)
{
    std::vector<QueueUpdate> out;
    if (after + 1 >= memory_floor_)
    {
        for (const auto& u : recent_)
            if (u.seq > after)
                out.push_back(u);
        return out;
    }
    // Older than memory: the journal has them (it is the truth the memory was read from).
    for (auto from = after + 1; from <= seq_;)
    {
        auto rows = journal_.read(from, 512);
        if (!rows || rows->empty())
            break;
        for (const auto& row : *rows)
        {
            from = row.seq + 1;
            if (row.seq > seq_)
                break;
            if (!store::is_queue_kind(row.kind))
                continue;
            if (auto event = store::event_from_row(row))
                out.push_back(QueueUpdate{row.seq, *event, describe_(row.seq, *event)});
        }
    }
    return out;
}

Response EventHub::open_stream(const Request& request, StreamOptions options)
{
    catch_up(); // the replay below and the live events after it meet exactly at seq_
    ResumeInput in;
    if (request.has_header("last-event-id"))
        in.last_seen = parse_seq(request.header("last-event-id"));
    else if (!request.param("since").empty())
        in.last_seen = parse_seq(request.param("since"));
    if (!request.param("instance").empty())
        in.instance = request.param("instance");
    in.current_instance = instance_;
    in.newest_seq = seq_;
    in.max_missed_rows = max_missed_rows;
    const auto decision = decide_resume(in);

    auto stream = std::make_shared<EventStream>(io_.get_executor());
    stream->send(std::make_shared<const std::string>("retry: 1000\n\n"));
    stream->send(std::make_shared<const std::string>(
        sse_frame(0, "hello", json{{"instance", instance_}, {"seq", seq_}})));
    if (decision.kind == ResumeKind::reload)
    {
        stream->send(std::make_shared<const std::string>(sse_frame(0, "reload", json{{"why", decision.why}})));
        stream->finish();
    }
    else
    {
        Subscriber s{stream, std::move(options)};
        if (decision.kind == ResumeKind::replay)
            for (const auto& u : since(decision.after_seq))
                send_to(s, u, nullptr);
        subscribers_.push_back(std::move(s));
    }
    Response r;
    r.content_type = "text/event-stream; charset=utf-8";
    r.stream = stream;
    return r;
}

void EventHub::close_all()
{
    for (auto& s : subscribers_)
        if (auto stream = s.stream.lock())
            stream->close();
    subscribers_.clear();
}

std::size_t EventHub::streams() const
{
    std::size_t n = 0;
    for (const auto& s : subscribers_)
        if (auto stream = s.stream.lock(); stream && !stream->closed())
            ++n;
    return n;
}

} // namespace motcua::web
