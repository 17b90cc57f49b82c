#include "phone/view.hpp"

namespace motcua::phone
{

using nlohmann::json;

std::string estimate_text(const queue::WaitEstimate& e)
{
    using Kind = queue::WaitEstimate::Kind;
    if (e.kind == Kind::next)
        return "sắp đến lượt bạn";
    if (e.kind == Kind::no_open_counter)
        return "chưa có quầy nào đang mở cho dịch vụ này";
    if (e.kind != Kind::minutes || e.minutes < 1)
        return "chưa đủ số liệu";
    const int minutes = e.minutes;
    if (minutes < 60)
        return "khoảng " + std::to_string(minutes) + " phút";
    auto text = "khoảng " + std::to_string(minutes / 60) + " giờ";
    if (minutes % 60)
        text += " " + std::to_string(minutes % 60) + " phút";
    return text;
}

namespace
{
json counter_json(const config::Config& cfg, int number)
{
    const auto* c = cfg.counter(number);
    return {{"number", number}, {"name", c && !c->name.empty() ? c->name : "Quầy " + std::to_string(number)}};
}

// A ticket transferred to one counter waits for that counter alone: 1 when it calls now.
int counter_open(const queue::Engine& engine, int number)
{
    const auto* c = engine.counter(number);
    return c && (c->state == queue::CounterState::idle || c->state == queue::CounterState::serving) ? 1 : 0;
}

std::string_view state_of(queue::TicketState s)
{
    switch (s)
    {
    case queue::TicketState::waiting: return "waiting";
    case queue::TicketState::called: return "called";
    case queue::TicketState::no_show: return "absent";
    case queue::TicketState::done: return "done";
    case queue::TicketState::expired: return "done"; // the day is over; its token no longer opens it
    }
    return "done";
}
} // namespace

json ticket_view(const queue::Engine& engine, const queue::Ticket& t, WallTime now, Rated rated)
{
    const auto& cfg = engine.config();
    const auto* service = cfg.service(t.service);
    json j{{"label", engine.label(t)},
           {"service", service ? service->name : t.service},
           {"office", cfg.office.name},
           {"state", state_of(t.state)}};
    switch (t.state)
    {
    case queue::TicketState::waiting: {
        const int ahead = engine.ahead_in_call_order(t.id, now);
        const int open = t.directed_to ? counter_open(engine, t.directed_to) : engine.open_counters_for(t.service);
        const auto e = queue::estimate_wait(ahead, engine.service_times(t.service), open);
        j["ahead"] = ahead;
        j["estimate"] = {{"kind", queue::to_string(e.kind)},
                         {"minutes", e.kind == queue::WaitEstimate::Kind::minutes ? json(e.minutes) : json(nullptr)},
                         {"text", estimate_text(e)}};
        break;
    }
    case queue::TicketState::called:
        j["recalls"] = t.recalls; // the page buzzes again on a recall
        [[fallthrough]];
    case queue::TicketState::done:
        if (t.counter)
            j["counter"] = counter_json(cfg, t.counter);
        break;
    case queue::TicketState::no_show: {
        const auto tolerance = std::chrono::minutes{cfg.queue.readmit_tolerance_minutes};
        const auto since = t.no_show_at.value_or(now);
        const auto until = since + tolerance;
        const auto local = to_local(until, cfg.office.utc_offset);
        j["readmit"] = {{"minutes", tolerance.count()},
                        {"until", format_time_of_day(local.time)},
                        {"open", now - since <= tolerance}};
        break;
    }
    case queue::TicketState::expired: break;
    }
    j["rating"] = t.state != queue::TicketState::done ? "not_yet" : rated == Rated::yes ? "given" : "open";
    return j;
}

} // namespace motcua::phone
