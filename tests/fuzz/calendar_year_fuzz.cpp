// A calendar year file: calendar::parse_year on any text gives a YearTable that keeps the
// rules the header promises (dates inside the year, one entry per date, sorted, days off
// on weekdays, worked days on weekends, Tết and Giỗ Tổ covered) or an error naming where.

#include "calendar/year_table.hpp"
#include "fuzz_check.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace
{

using namespace motcua;
using namespace motcua::calendar;

bool weekend(Date d)
{
    auto wd = std::chrono::weekday{std::chrono::sys_days{d}};
    return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

bool covered_by_holiday(const YearTable& t, Date d)
{
    for (const auto& day : t.days)
        if (day.date == d)
            return day.kind == DayKind::holiday;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto table = parse_year(text, "fuzz.toml");
    if (!table)
    {
        FUZZ_CHECK(table.error().code == "calendar_invalid");
        FUZZ_CHECK(table.error().message.find("fuzz.toml") != std::string::npos);
        return 0;
    }
    const auto& t = *table;
    for (std::size_t i = 0; i < t.days.size(); ++i)
    {
        const auto& day = t.days[i];
        FUZZ_CHECK(day.date.ok());
        FUZZ_CHECK(static_cast<int>(day.date.year()) == t.year);
        if (i > 0)
            FUZZ_CHECK(t.days[i - 1].date < day.date);
        if (day.kind == DayKind::compensatory || day.kind == DayKind::swapped_off)
            FUZZ_CHECK(!weekend(day.date));
        if (day.kind == DayKind::swapped_work)
            FUZZ_CHECK(weekend(day.date));
    }
    FUZZ_CHECK(covered_by_holiday(t, t.lunar_new_year));
    FUZZ_CHECK(covered_by_holiday(t, t.hung_kings));
    return 0;
}
