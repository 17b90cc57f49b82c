#include "queue/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace motcua::queue
{

WaitEstimate estimate_wait(int ahead, const std::vector<std::chrono::milliseconds>& service_times, int open_counters)
{
    WaitEstimate e;
    const auto n = std::min<std::size_t>(service_times.size(), recent_samples);
    e.samples = static_cast<int>(n);
    if (ahead <= 0)
    {
        e.kind = WaitEstimate::Kind::next;
        return e;
    }
    if (open_counters <= 0)
    {
        e.kind = WaitEstimate::Kind::no_open_counter;
        return e;
    }
    if (e.samples < min_samples)
    {
        e.kind = WaitEstimate::Kind::too_few_samples;
        return e;
    }
    std::int64_t total_ms = 0;
    for (auto it = service_times.end() - static_cast<std::ptrdiff_t>(n); it != service_times.end(); ++it)
        total_ms += it->count();
    const double mean_ms = static_cast<double>(total_ms) / static_cast<double>(n);
    const double wait_ms = mean_ms * ahead / open_counters;
    e.kind = WaitEstimate::Kind::minutes;
    e.minutes = std::max(1, static_cast<int>(std::ceil(wait_ms / 60'000.0)));
    return e;
}

const char* to_string(WaitEstimate::Kind k)
{
    switch (k)
    {
    case WaitEstimate::Kind::next: return "next";
    case WaitEstimate::Kind::minutes: return "minutes";
    case WaitEstimate::Kind::too_few_samples: return "too_few_samples";
    case WaitEstimate::Kind::no_open_counter: return "no_open_counter";
    }
    return "too_few_samples";
}

} // namespace motcua::queue
