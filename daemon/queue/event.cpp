#include "queue/event.hpp"

#include <array>
#include <utility>

namespace motcua::queue
{

namespace
{
constexpr std::array<std::pair<EventKind, std::string_view>, 12> names = {{
    {EventKind::day_opened, "day_opened"},
    {EventKind::issued, "issued"},
    {EventKind::called, "called"},
    {EventKind::recalled, "recalled"},
    {EventKind::no_show, "no_show"},
    {EventKind::readmitted, "readmitted"},
    {EventKind::transferred, "transferred"},
    {EventKind::paused, "paused"},
    {EventKind::resumed, "resumed"},
    {EventKind::done, "done"},
    {EventKind::counter_opened, "counter_opened"},
    {EventKind::counter_closed, "counter_closed"},
}};
} // namespace

std::string_view to_string(EventKind kind)
{
    for (const auto& [k, name] : names)
        if (k == kind)
            return name;
    return "unknown";
}

std::optional<EventKind> event_kind_from_string(std::string_view text)
{
    for (const auto& [k, name] : names)
        if (name == text)
            return k;
    return std::nullopt;
}

} // namespace motcua::queue
