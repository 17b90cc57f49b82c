#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua
{

// Wall-clock instants are kept in milliseconds since the Unix epoch (UTC).
using WallTime = std::chrono::sys_time<std::chrono::milliseconds>;

// What the pure core is told about "now": the wall clock (may jump) and the
// monotonic clock (never goes back), taken together by the caller.
struct Now
{
    WallTime wall{};
    std::chrono::nanoseconds mono{};
    friend bool operator==(const Now&, const Now&) = default;
};

// Reads both clocks. Only the composition root and drivers call this.
Now now_from_clocks();

// Minutes after local midnight, e.g. 07:30 = 450.
struct TimeOfDay
{
    int minutes = 0;
    friend auto operator<=>(const TimeOfDay&, const TimeOfDay&) = default;
};

// A civil date, as used by the calendar and the register.
using Date = std::chrono::year_month_day;

// Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact.
struct UtcOffset
{
    std::chrono::minutes offset{7 * 60};
};

// Local civil time at an instant, for a fixed offset.
struct LocalDateTime
{
    Date date{};
    TimeOfDay time{};
};
LocalDateTime to_local(WallTime t, UtcOffset tz);
WallTime from_local(Date d, TimeOfDay t, UtcOffset tz);

// "HH:MM" (00:00..23:59) or nullopt.
std::optional<TimeOfDay> parse_time_of_day(std::string_view text);
// "YYYY-MM-DD" (a valid date) or nullopt.
std::optional<Date> parse_date(std::string_view text);
// "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM" in local time.
std::optional<LocalDateTime> parse_local_date_time(std::string_view text);

std::string format_date(Date d);                 // 2025-07-01
std::string format_time_of_day(TimeOfDay t);     // 07:30
std::string format_local(WallTime t, UtcOffset tz); // 2025-07-01 07:30:05
std::string format_iso(WallTime t, UtcOffset tz);   // 2025-07-01T07:30:05.123+07:00

} // namespace motcua
