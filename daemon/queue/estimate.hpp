#pragma once

// The wait a citizen can expect, for the phone page: the people ahead, served by the open
// counters of the service at today's pace. Pure: the caller passes the engine's figures.
//
//   wait ≈ ahead × mean service time / open counters, rounded up to a whole minute
//
// The mean is over the service's last `recent_samples` finished tickets today, so it
// follows the day's pace (a slow morning, a quick afternoon). Below `min_samples` finished
// tickets there is no estimate ("chưa đủ số liệu"): with fewer, one unusual dossier of
// forty minutes doubles the mean, and on a normal morning five tickets of a service are
// finished within its first half hour, so the page says nothing only briefly. A counter
// that serves several services counts whole for each: the estimate leans short, which the
// page says ("khoảng").

#include <chrono>
#include <vector>

namespace motcua::queue
{

inline constexpr int min_samples = 5;
inline constexpr int recent_samples = 20;

struct WaitEstimate
{
    enum class Kind
    {
        next,            // nobody ahead: the next call of the service is this ticket
        minutes,         // `minutes` is the estimate
        too_few_samples, // fewer than min_samples finished tickets today
        no_open_counter, // no open counter serves the service now
    };
    Kind kind = Kind::too_few_samples;
    int minutes = 0;
    int samples = 0; // service times the mean is taken over
};

// `service_times`: today's, oldest first (Engine::service_times).
WaitEstimate estimate_wait(int ahead, const std::vector<std::chrono::milliseconds>& service_times, int open_counters);

const char* to_string(WaitEstimate::Kind k); // "next", "minutes", "too_few_samples", "no_open_counter"

} // namespace motcua::queue
