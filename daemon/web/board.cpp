#include "web/board.hpp"

#include <algorithm>
#include <set>

namespace motcua::web::board
{

namespace
{

json counter_json(const config::Config& cfg, const queue::Engine& engine, const queue::CounterStatus& c)
{
    const auto* counter = cfg.counter(c.number);
    const auto* t = c.ticket ? engine.ticket(c.ticket) : nullptr;
    json j{{"number", c.number},
           {"name", counter ? counter->name : "Quầy " + std::to_string(c.number)},
           {"state", queue::to_string(c.state)},
           {"ticket_label", t ? json(engine.label(*t)) : json(nullptr)}};
    return j;
}

json waiting_json(const config::Config& cfg, const queue::Engine& engine)
{
    json w = json::object();
    for (const auto& s : cfg.services)
        w[s.id] = engine.waiting(s.id).size();
    return w;
}

bool service_shown(const config::Screen* screen, const std::string& service)
{
    return !screen || screen->services.empty() ||
           std::find(screen->services.begin(), screen->services.end(), service) != screen->services.end();
}

bool counter_shown(const config::Screen* screen, int counter)
{
    return !screen || screen->counters.empty() ||
           std::find(screen->counters.begin(), screen->counters.end(), counter) != screen->counters.end();
}

} // namespace

json describe_event(const config::Config& cfg, const queue::Engine& engine, std::int64_t seq, const queue::Event& e)
{
    const auto tz = cfg.office.utc_offset;
    json j{{"seq", seq},
           {"kind", queue::to_string(e.kind)},
           {"at", format_iso(e.at.wall, tz)},
           {"day", format_date(e.business_day)}};
    if (e.ticket)
    {
        j["ticket"] = e.ticket;
        if (const auto* t = engine.ticket(e.ticket))
        {
            j["label"] = engine.label(*t);
            j["service"] = t->service;
            const auto* p = cfg.priority_class(t->priority);
            j["priority"] = t->priority.empty() ? json(nullptr) : json(t->priority);
            j["priority_name"] = p ? json(p->name) : json(nullptr);
        }
        else if (!e.service.empty())
            j["service"] = e.service;
    }
    if (e.counter)
    {
        j["counter"] = e.counter;
        const auto* c = cfg.counter(e.counter);
        j["counter_name"] = c ? c->name : "Quầy " + std::to_string(e.counter);
        if (const auto* status = engine.counter(e.counter))
            j["counter_state"] = counter_json(cfg, engine, *status);
    }
    if (e.to_counter)
        j["to_counter"] = e.to_counter;
    if (e.kind == queue::EventKind::paused)
        j["reason"] = e.reason;
    j["waiting"] = waiting_json(cfg, engine);
    return j;
}

bool on_screen(const config::Screen* screen, const QueueUpdate& update)
{
    if (!screen)
        return true;
    const auto& d = update.data;
    if (d.contains("service") && d["service"].is_string() && !service_shown(screen, d["service"].get<std::string>()))
        return false;
    if (update.event.counter && !counter_shown(screen, update.event.counter))
        return false;
    return true;
}

std::vector<json> last_calls(const std::deque<QueueUpdate>& recent, const queue::Engine& engine,
                             const config::Screen* screen, int limit)
{
    std::vector<json> out;
    std::set<queue::TicketId> seen;
    const auto today = engine.business_day();
    for (auto it = recent.rbegin(); it != recent.rend() && static_cast<int>(out.size()) < limit; ++it)
    {
        const auto& e = it->event;
        if (e.kind != queue::EventKind::called && e.kind != queue::EventKind::recalled)
            continue;
        if (!today || e.business_day != *today)
            break; // older days are not the hall's business
        if (!on_screen(screen, *it) || !seen.insert(e.ticket).second)
            continue;
        out.push_back(it->data);
    }
    return out;
}

json snapshot(const config::Config& cfg, const queue::Engine& engine, const std::deque<QueueUpdate>& recent,
              const config::Screen* screen, const SnapshotContext& context)
{
    const auto& board = cfg.web ? cfg.web->board : config::Board{};
    json services = json::array();
    for (const auto& s : cfg.services)
        if (service_shown(screen, s.id))
            services.push_back(json{{"id", s.id},
                                    {"name", s.name},
                                    {"prefix", s.prefix},
                                    {"waiting", engine.waiting(s.id).size()}});
    json counters = json::array();
    for (const auto& c : engine.counters())
        if (counter_shown(screen, c.number))
            counters.push_back(counter_json(cfg, engine, c));
    auto calls = last_calls(recent, engine, screen, board.recent_calls);
    const auto tz = cfg.office.utc_offset;
    json screens = json::array();
    if (cfg.web)
        for (const auto& s : cfg.web->screens)
            screens.push_back(json{{"name", s.name}, {"title", s.title}});
    return json{
        {"instance", context.instance},
        {"seq", context.seq},
        {"static", context.static_prefix},
        {"office", board.office_name.empty() ? cfg.office.name : board.office_name},
        {"screen", screen ? json(screen->name) : json(nullptr)},
        {"title", screen ? json(screen->title) : json("")},
        {"orientation", screen && screen->orientation == config::Orientation::portrait ? "portrait" : "landscape"},
        {"notice", board.notice},
        {"settings",
         json{{"recent_calls", board.recent_calls},
              {"min_row_seconds", board.min_row_seconds},
              {"flash_seconds", board.flash_seconds}}},
        {"now", format_iso(context.now, tz)},
        {"utc_offset_minutes", tz.offset.count()},
        {"day", engine.business_day() ? json(format_date(*engine.business_day())) : json(nullptr)},
        {"services", services},
        {"counters", counters},
        {"calls", calls},
        {"current", calls.empty() ? json(nullptr) : calls.front()},
        {"screens", screens},
    };
}

} // namespace motcua::web::board
