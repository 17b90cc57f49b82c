#include "printer/printer.hpp"

#include "util/spawn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <utility>

namespace motcua::printer
{

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;

awaitable<void> Printer::Gate::lock()
{
    while (busy_)
    {
        auto t = std::make_shared<asio::steady_timer>(io_, asio::steady_timer::time_point::max());
        waiters_.push_back(t);
        co_await t->async_wait(asio::as_tuple(use_awaitable));
    }
    busy_ = true;
}

void Printer::Gate::unlock()
{
    busy_ = false;
    if (!waiters_.empty())
    {
        waiters_.front()->cancel();
        waiters_.pop_front();
    }
}

std::shared_ptr<Printer> Printer::create(asio::io_context& io, config::Printer config)
{
    return std::shared_ptr<Printer>(new Printer(io, std::move(config)));
}

Printer::Printer(asio::io_context& io, config::Printer config)
    : io_(io), config_(std::move(config)), transport_(io, config_.transport), gate_(io), wake_timer_(io),
      reply_timer_(io)
{}

Printer::~Printer() = default;

void Printer::start()
{
    if (!stopped_ || retired_)
        return;
    stopped_ = false;
    asio::co_spawn(io_, [self = shared_from_this()]() { return self->supervise(); },
                   log_failure("supervisor of printer " + name()));
}

void Printer::stop()
{
    // A stopped printer reports nothing more: the query it was waiting on ends without a
    // reply, which is no fault of the printer, and its listener may already be gone.
    stopped_ = true;
    retired_ = true;
    listener_ = nullptr;
    first_attempt_ = nullptr;
    transport_.close();
    wake_timer_.cancel();
    reply_timer_.cancel();
}

void Printer::set_state(State s, std::string reason)
{
    if (retired_)
        return; // see stop()
    reason_ = std::move(reason);
    if (s == state_)
        return;
    const State before = state_;
    state_ = s;
    ++counters_.transitions;
    if (escpos::can_print(s))
        spdlog::info("Printer state changed printer={} from={} to={} reason=\"{}\"", config_.name,
                     escpos::to_string(before), escpos::to_string(s), reason_);
    else
        spdlog::warn("Printer state changed printer={} from={} to={} reason=\"{}\"", config_.name,
                     escpos::to_string(before), escpos::to_string(s), reason_);
    // A printer that cannot print is re-queried every retry_ms, not every poll_ms.
    if (!escpos::can_print(s))
        wake_timer_.cancel();
    if (listener_)
        listener_(s, reason_);
}

awaitable<bool> Printer::open_transport()
{
    auto r = co_await transport_.open(Millis{std::max(config_.status_timeout_ms * 4, 2000)});
    if (!r)
    {
        set_state(State::offline, r.error().message);
        co_return false;
    }
    stalled_ = false;
    parser_.reset();
    replies_.clear();
    if (!reading_)
    {
        reading_ = true;
        asio::co_spawn(io_, [self = shared_from_this()]() { return self->read_loop(); },
                       log_failure("status reader of printer " + name()));
    }
    if (config_.profile.asb)
    {
        co_await gate_.lock();
        GateLock held{gate_};
        auto cmd = escpos::asb_enable(escpos::asb_all);
        auto w = co_await transport_.write(cmd, Millis{config_.status_timeout_ms});
        if (!w)
            set_state(State::offline, w.error().message);
    }
    co_return transport_.is_open();
}

awaitable<void> Printer::supervise()
{
    while (!stopped_)
    {
        if (!transport_.is_open())
            co_await open_transport();
        if (stopped_)
            break;
        if (transport_.is_open())
            co_await refresh();
        if (auto first = std::exchange(first_attempt_, nullptr))
            first();
        const int wait_ms = escpos::can_print(state_) ? config_.poll_ms : config_.retry_ms;
        wake_timer_.expires_after(Millis{wait_ms});
        co_await wake_timer_.async_wait(asio::as_tuple(use_awaitable));
    }
}

awaitable<void> Printer::read_loop()
{
    std::array<std::uint8_t, 256> buf{};
    while (!stopped_ && transport_.is_open())
    {
        auto n = co_await transport_.read_some(buf);
        if (!n)
        {
            if (n.error().code == "cancelled" && transport_.is_open())
                continue; // a write deadline cancelled the stream's operations
            if (transport_.is_open())
            {
                transport_.close();
                set_state(State::offline, n.error().message);
            }
            break;
        }
        for (std::size_t i = 0; i < *n; ++i)
            if (auto r = parser_.feed(buf[i]))
                on_reply(*r);
    }
    reading_ = false;
}

void Printer::on_reply(const escpos::Reply& r)
{
    if (r.kind == escpos::Reply::Kind::dle_eot)
    {
        replies_.push_back(r.bytes[0]);
        reply_timer_.cancel();
        return;
    }
    if (config_.profile.asb && !stalled_)
    {
        State s = escpos::classify_asb(r.bytes);
        set_state(s, s == State::online ? "ok (ASB)" : "reported by ASB");
    }
}

awaitable<std::optional<std::uint8_t>> Printer::wait_reply(Millis timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (replies_.empty() && !stopped_ && std::chrono::steady_clock::now() < deadline)
    {
        reply_timer_.expires_at(deadline);
        co_await reply_timer_.async_wait(asio::as_tuple(use_awaitable));
    }
    if (replies_.empty())
        co_return std::nullopt;
    auto b = replies_.front();
    replies_.pop_front();
    co_return b;
}

awaitable<State> Printer::refresh()
{
    co_await gate_.lock();
    GateLock held{gate_};
    co_return co_await refresh_locked();
}

awaitable<State> Printer::refresh_locked()
{
    if (!transport_.is_open())
    {
        set_state(State::offline, reason_.empty() ? "not connected" : reason_);
        co_return state_;
    }
    if (!config_.profile.status)
    {
        // A silent model tells nothing. After a stall, one NUL byte (ignored by ESC/POS
        // printers) taken within the deadline shows that it reads again.
        if (stalled_)
        {
            static constexpr std::array<std::uint8_t, 1> probe{0x00};
            auto w = co_await transport_.write(probe, Millis{config_.status_timeout_ms} + transport_.wire_time(1));
            if (!w)
                co_return state_;
            stalled_ = false;
        }
        set_state(State::online, "ok (the model reports no status)");
        co_return state_;
    }
    escpos::StatusReplies replies;
    for (int n = 1; n <= 4; ++n)
    {
        // Stale bytes (a late reply to an earlier query) must not answer this one.
        replies_.clear();
        parser_.reset();
        transport_.flush_input();
        ++counters_.status_queries;
        auto q = escpos::status_query(n);
        auto w = co_await transport_.write(q, Millis{config_.status_timeout_ms} + transport_.wire_time(q.size()));
        if (!w)
        {
            stalled_ = w.error().code == "write_timeout";
            set_state(State::offline, (stalled_ ? "stalled: " : "") + w.error().message);
            co_return state_;
        }
        auto b = co_await wait_reply(Millis{config_.status_timeout_ms});
        if (!b)
        {
            set_state(State::offline, "no reply to DLE EOT " + std::to_string(n));
            co_return state_;
        }
        replies.bytes[static_cast<std::size_t>(n - 1)] = *b;
    }
    stalled_ = false;
    State s = escpos::classify(replies, config_.profile.masks);
    set_state(s, s == State::online ? "ok" : "reported by DLE EOT");
    co_return state_;
}

awaitable<Result<void>> Printer::print(std::vector<std::uint8_t> job)
{
    co_await gate_.lock();
    GateLock held{gate_};
    if (!transport_.is_open())
    {
        ++counters_.jobs_failed;
        co_return make_error("closed", "printer " + config_.name + " is not connected: " + reason_);
    }
    const auto deadline = Millis{config_.write_timeout_ms} + transport_.wire_time(job.size());
    auto r = co_await transport_.write(job, deadline);
    if (!r)
    {
        ++counters_.jobs_failed;
        stalled_ = r.error().code == "write_timeout";
        set_state(State::offline, (stalled_ ? "stalled: " : "") + r.error().message);
        co_return r;
    }
    ++counters_.jobs_printed;
    counters_.bytes_written += job.size();
    co_return Result<void>{};
}

} // namespace motcua::printer
