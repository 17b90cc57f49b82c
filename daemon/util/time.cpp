#include "util/time.hpp"

#include "util/clock.hpp"

#include <charconv>
#include <cstdio>

namespace motcua
{

namespace chr = std::chrono;

Now now_from_clocks()
{
    return Now{chr::time_point_cast<chr::milliseconds>(chr::system_clock::now() + test_clock_offset()),
               chr::steady_clock::now().time_since_epoch()};
}

LocalDateTime to_local(WallTime t, UtcOffset tz)
{
    auto local = t + tz.offset;
    auto day = chr::floor<chr::days>(local);
    auto minutes = chr::duration_cast<chr::minutes>(local - day);
    return LocalDateTime{Date{day}, TimeOfDay{static_cast<int>(minutes.count())}};
}

WallTime from_local(Date d, TimeOfDay t, UtcOffset tz)
{
    return WallTime{chr::sys_days{d}} + chr::minutes{t.minutes} - tz.offset;
}

namespace
{
bool parse_int(std::string_view s, int& out)
{
    if (s.empty())
        return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}
} // namespace

std::optional<TimeOfDay> parse_time_of_day(std::string_view text)
{
    int h = 0;
    int m = 0;
    if (text.size() != 5 || text[2] != ':' || !parse_int(text.substr(0, 2), h) ||
        !parse_int(text.substr(3, 2), m) || h > 23 || m > 59 || h < 0 || m < 0)
        return std::nullopt;
    return TimeOfDay{h * 60 + m};
}

std::optional<Date> parse_date(std::string_view text)
{
    int y = 0;
    int m = 0;
    int d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parse_int(text.substr(0, 4), y) ||
        !parse_int(text.substr(5, 2), m) || !parse_int(text.substr(8, 2), d))
        return std::nullopt;
    Date date{chr::year{y}, chr::month{static_cast<unsigned>(m)}, chr::day{static_cast<unsigned>(d)}};
    if (!date.ok())
        return std::nullopt;
    return date;
}

std::optional<LocalDateTime> parse_local_date_time(std::string_view text)
{
    if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T'))
        return std::nullopt;
    auto d = parse_date(text.substr(0, 10));
    auto t = parse_time_of_day(text.substr(11, 5));
    if (!d || !t)
        return std::nullopt;
    return LocalDateTime{*d, *t};
}

std::string format_date(Date d)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

std::string format_time_of_day(TimeOfDay t)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.minutes / 60, t.minutes % 60);
    return buf;
}

std::string format_local(WallTime t, UtcOffset tz)
{
    auto local = t + tz.offset;
    auto day = chr::floor<chr::days>(local);
    auto secs = chr::duration_cast<chr::seconds>(local - day).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s %02lld:%02lld:%02lld", format_date(Date{day}).c_str(),
                  static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                  static_cast<long long>(secs % 60));
    return buf;
}

std::string format_iso(WallTime t, UtcOffset tz)
{
    auto local = t + tz.offset;
    auto day = chr::floor<chr::days>(local);
    auto ms = (local - day).count();
    auto off = tz.offset.count();
    char buf[96];
    std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld.%03lld%c%02d:%02d",
                  format_date(Date{day}).c_str(), static_cast<long long>(ms / 3600000),
                  static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
                  static_cast<long long>(ms % 1000), off < 0 ? '-' : '+',
                  static_cast<int>((off < 0 ? -off : off) / 60), static_cast<int>((off < 0 ? -off : off) % 60));
    return buf;
}

} // namespace motcua
