#include "store/queue_rows.hpp"

#include <limits>
#include <nlohmann/json.hpp>

namespace motcua::store
{

namespace
{

using nlohmann::json;

Error corrupt(const JournalRow& row, const std::string& why)
{
    return make_error("journal_corrupt", "Journal row " + std::to_string(row.seq) + " (" +
                                             row.kind + ") is not a valid queue event: " + why +
                                             ".");
}

bool read_int(const json& j, const char* key, int& out)
{
    auto it = j.find(key);
    if (it == j.end())
        return true;
    if (!it->is_number_integer())
        return false;
    auto v = it->get<std::int64_t>();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        return false;
    out = static_cast<int>(v);
    return true;
}

bool read_string(const json& j, const char* key, std::string& out)
{
    auto it = j.find(key);
    if (it == j.end())
        return true;
    if (!it->is_string())
        return false;
    out = it->get<std::string>();
    return true;
}

constexpr std::int64_t replay_chunk = 1000;

} // namespace

bool is_queue_kind(std::string_view kind)
{
    return kind.find('.') == std::string_view::npos;
}

JournalRow to_row(const queue::Event& e)
{
    JournalRow row;
    row.kind = std::string(queue::to_string(e.kind));
    row.wall = e.at.wall;
    row.mono_ns = e.at.mono.count();
    row.counter = e.counter;
    row.officer = e.officer;
    row.ticket = e.ticket;
    json p = json::object();
    p["business_day"] = format_date(e.business_day);
    if (!e.service.empty())
        p["service"] = e.service;
    if (e.number != 0)
        p["number"] = e.number;
    if (!e.priority.empty())
        p["priority"] = e.priority;
    if (e.to_counter != 0)
        p["to_counter"] = e.to_counter;
    if (e.reason != 0)
        p["reason"] = e.reason;
    // Ids come from a validated config; replace rather than throw on invalid UTF-8.
    row.payload = p.dump(-1, ' ', false, json::error_handler_t::replace);
    return row;
}

Result<queue::Event> event_from_row(const JournalRow& row)
{
    auto kind = queue::event_kind_from_string(row.kind);
    if (!kind)
        return corrupt(row, "unknown kind");
    json p = json::parse(row.payload, nullptr, false);
    if (p.is_discarded() || !p.is_object())
        return corrupt(row, "the payload is not a JSON object");
    queue::Event e;
    e.kind = *kind;
    e.at = Now{row.wall, std::chrono::nanoseconds{row.mono_ns}};
    e.ticket = row.ticket;
    e.counter = row.counter;
    e.officer = row.officer;
    std::string day;
    if (!read_string(p, "business_day", day))
        return corrupt(row, "business_day is not a string");
    auto date = parse_date(day);
    if (!date)
        return corrupt(row, "business_day \"" + day + "\" is not a date YYYY-MM-DD");
    e.business_day = *date;
    if (!read_string(p, "service", e.service) || !read_string(p, "priority", e.priority))
        return corrupt(row, "service or priority is not a string");
    if (!read_int(p, "number", e.number) || !read_int(p, "to_counter", e.to_counter) ||
        !read_int(p, "reason", e.reason))
        return corrupt(row, "number, to_counter or reason is not an integer");
    if (e.kind == queue::EventKind::issued && (e.ticket == 0 || e.service.empty()))
        return corrupt(row, "an issued ticket needs a ticket id and a service");
    return e;
}

Result<std::vector<queue::Event>> events_since_last_day_opened(Journal& journal, std::vector<Error>* skipped)
{
    auto start = journal.last_seq_of_kind(queue::to_string(queue::EventKind::day_opened));
    if (!start)
        return start.error();
    std::int64_t from = start->value_or(1);
    std::vector<queue::Event> events;
    for (;;)
    {
        auto rows = journal.read(from, replay_chunk);
        if (!rows)
            return rows.error();
        for (const auto& row : *rows)
        {
            if (!is_queue_kind(row.kind))
                continue;
            auto e = event_from_row(row);
            if (!e && skipped)
            {
                skipped->push_back(e.error());
                continue;
            }
            if (!e)
                return e.error();
            events.push_back(std::move(*e));
        }
        if (static_cast<std::int64_t>(rows->size()) < replay_chunk)
            break;
        from = rows->back().seq + 1;
    }
    return events;
}

} // namespace motcua::store
