#include "voice/fifo.hpp"

namespace motcua::voice
{

Fifo::Pushed Fifo::push(Request r)
{
    Pushed result;
    if (r.kind == Kind::recall)
        for (auto& w : waiting_)
            if (w.ticket == r.ticket && r.ticket != 0)
            {
                // The ticket is about to be said anyway: once is enough, at the counter
                // that recalled it.
                w.counter = r.counter;
                ++w.merged_recalls;
                result.merged = true;
                return result;
            }
    waiting_.push_back(std::move(r));
    while (waiting_.size() > limit_ && !waiting_.empty())
    {
        result.dropped.push_back(Dropped{std::move(waiting_.front()), "queue_full"});
        waiting_.pop_front();
    }
    return result;
}

std::optional<Request> Fifo::pop(Clock::time_point now, std::vector<Dropped>& dropped)
{
    while (!waiting_.empty())
    {
        Request r = std::move(waiting_.front());
        waiting_.pop_front();
        if (now - r.committed > max_age_)
        {
            dropped.push_back(Dropped{std::move(r), "too_old"});
            continue;
        }
        return r;
    }
    return std::nullopt;
}

std::vector<Dropped> Fifo::clear(const std::string& reason)
{
    std::vector<Dropped> out;
    for (auto& r : waiting_)
        out.push_back(Dropped{std::move(r), reason});
    waiting_.clear();
    return out;
}

std::optional<Clock::time_point> Fifo::oldest_deadline() const
{
    if (waiting_.empty())
        return std::nullopt;
    return waiting_.front().committed + max_age_;
}

} // namespace motcua::voice
