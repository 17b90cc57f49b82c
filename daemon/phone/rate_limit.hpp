#pragma once

// A token bucket per client address for the phone routes (/t/…, /api/t/…): each request
// takes one token; a bucket holds `burst` and refills `per_second`. It stops a client
// hammering the box or trying tokens, not a family on one Wi-Fi: the defaults let one
// address (many phones behind a router that translates addresses, too) open pages and
// streams steadily all day. Pure: time passed in; memory bounded by `max_addresses`.

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

namespace motcua::phone
{

class RateLimiter
{
  public:
    using Clock = std::chrono::steady_clock;

    static constexpr double default_burst = 30;
    static constexpr double default_per_second = 1;
    static constexpr std::size_t default_max_addresses = 4096;

    explicit RateLimiter(double burst = default_burst, double per_second = default_per_second,
                         std::size_t max_addresses = default_max_addresses);

    // 0 when the request may go ahead (a token is taken), otherwise the whole seconds
    // until the next token (at least 1): the 429 answer's Retry-After.
    int take(std::string_view address, Clock::time_point now);

    std::size_t addresses() const { return buckets_.size(); }

  private:
    struct Bucket
    {
        double tokens = 0;
        Clock::time_point at{};
    };
    void refill(Bucket& b, Clock::time_point now) const;
    void forget_full_buckets(Clock::time_point now);

    double burst_;
    double per_second_;
    std::size_t max_addresses_;
    std::unordered_map<std::string, Bucket> buckets_;
};

} // namespace motcua::phone
