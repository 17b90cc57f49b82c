#include "phone/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace motcua::phone
{

RateLimiter::RateLimiter(double burst, double per_second, std::size_t max_addresses)
    : burst_(std::max(1.0, burst)), per_second_(std::max(0.001, per_second)), max_addresses_(std::max<std::size_t>(1, max_addresses))
{}

void RateLimiter::refill(Bucket& b, Clock::time_point now) const
{
    if (now > b.at)
    {
        const double seconds = std::chrono::duration<double>(now - b.at).count();
        b.tokens = std::min(burst_, b.tokens + seconds * per_second_);
    }
    b.at = std::max(b.at, now);
}

void RateLimiter::forget_full_buckets(Clock::time_point now)
{
    // A full bucket is the same as none: forgetting it changes no answer.
    for (auto& [address, bucket] : buckets_)
        refill(bucket, now);
    std::erase_if(buckets_, [&](const auto& kv) { return kv.second.tokens >= burst_; });
}

int RateLimiter::take(std::string_view address, Clock::time_point now)
{
    auto it = buckets_.find(std::string(address));
    if (it == buckets_.end())
    {
        if (buckets_.size() >= max_addresses_)
            forget_full_buckets(now);
        if (buckets_.size() >= max_addresses_)
            return static_cast<int>(std::ceil(1.0 / per_second_)); // every slot busy: nobody new for now
        it = buckets_.emplace(std::string(address), Bucket{burst_, now}).first;
    }
    auto& b = it->second;
    refill(b, now);
    if (b.tokens >= 1.0)
    {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_second_)));
}

} // namespace motcua::phone
