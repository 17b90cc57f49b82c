// The queue's control commands. Each decides with the engine and commits through the
// application, so a command is answered only after its event is durable.

#include "app/application.hpp"
#include "app/printing.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace motcua::app
{

namespace
{
using control::json;
using boost::asio::awaitable;

// Wraps a synchronous handler body as a control handler.
template <class F>
control::Handler sync(F body)
{
    return [body](const json& args) -> awaitable<Result<json>> { co_return body(args); };
}

int counter_arg(const json& args)
{
    auto n = control::int_arg(args, "counter");
    if (n < 1 || n > 99)
        throw control::BadArgument("argument \"counter\" must be a counter number 1..99");
    return static_cast<int>(n);
}

// The answer to a counter command: what happened and what the counter holds now.
json counter_event_json(Application& app, const queue::Event& e)
{
    json j{{"event", queue::to_string(e.kind)}, {"counter", e.counter}};
    if (const auto* t = app.engine().ticket(e.ticket); t && e.ticket)
        j["ticket"] = app.ticket_json(*t);
    if (const auto* c = app.engine().counter(e.counter))
    {
        j["state"] = queue::to_string(c->state);
        j["waiting"] = app.engine().waiting_for_counter(e.counter);
    }
    return j;
}

Result<json> counter_command(Application& app, int counter,
                             Result<queue::Event> (queue::Engine::*decide)(const Now&, int) const)
{
    auto e = app.commit([&](const queue::Engine& engine, const Now& now) { return (engine.*decide)(now, counter); });
    if (!e)
        return e.error();
    return counter_event_json(app, e.value());
}
} // namespace

void register_queue_commands(Application& app)
{
    auto& s = app.control();
    s.add("issue", [&app](const json& args) -> awaitable<Result<json>> {
        // At a kiosk: check its printer, commit, print, record (app/printing.cpp).
        if (args.contains("kiosk") && !args.at("kiosk").is_null())
            co_return co_await app.printing()->issue_at_kiosk(args);
        auto service = control::string_arg(args, "service");
        auto priority = control::optional_string_arg(args, "priority");
        auto e = app.commit([&](const queue::Engine& engine, const Now& now) {
            return engine.issue(now, service, priority);
        });
        if (!e)
            co_return e.error();
        const auto* t = app.engine().ticket(e->ticket);
        auto j = app.ticket_json(*t);
        j["waiting_ahead"] = app.engine().waiting_ahead(t->id);
        if (const auto* svc = app.config().service(t->service))
            j["service_name"] = svc->name;
        co_return j;
    });
    s.add("open", sync([&app](const json& args) -> Result<json> {
        int counter = counter_arg(args);
        auto officer = control::string_arg(args, "officer");
        auto e = app.commit([&](const queue::Engine& engine, const Now& now) { return engine.open(now, counter, officer); });
        if (!e)
            return e.error();
        auto j = counter_event_json(app, e.value());
        j["officer"] = officer;
        return j;
    }));
    using Decider = Result<queue::Event> (queue::Engine::*)(const Now&, int) const;
    const std::pair<const char*, Decider> simple[] = {
        {"close", &queue::Engine::close},   {"call", &queue::Engine::call_next}, {"recall", &queue::Engine::recall},
        {"no-show", &queue::Engine::no_show}, {"resume", &queue::Engine::resume}, {"done", &queue::Engine::done},
    };
    for (const auto& [name, decide] : simple)
        s.add(name, sync([&app, decide = decide](const json& args) { return counter_command(app, counter_arg(args), decide); }));
    s.add("readmit", sync([&app](const json& args) -> Result<json> {
        const auto& v = control::arg(args, "ticket");
        std::string text = v.is_number_integer() ? "#" + std::to_string(v.get<std::int64_t>()) : control::string_arg(args, "ticket");
        const auto* t = app.engine().find_ticket(text);
        if (!t)
            return make_error("unknown_ticket", "There is no ticket " + text + " today.");
        auto id = t->id;
        auto e = app.commit([&](const queue::Engine& engine, const Now& now) { return engine.readmit(now, id); });
        if (!e)
            return e.error();
        return json{{"event", "readmitted"}, {"ticket", app.ticket_json(*app.engine().ticket(id))}};
    }));
    s.add("transfer", sync([&app](const json& args) -> Result<json> {
        int counter = counter_arg(args);
        queue::TransferTarget to;
        to.service = control::optional_string_arg(args, "to_service");
        if (to.service.empty())
            to.counter = static_cast<int>(control::int_arg(args, "to_counter"));
        auto e = app.commit([&](const queue::Engine& engine, const Now& now) { return engine.transfer(now, counter, to); });
        if (!e)
            return e.error();
        auto j = counter_event_json(app, e.value());
        j["to_service"] = to.service.empty() ? json(nullptr) : json(to.service);
        j["to_counter"] = to.counter ? json(to.counter) : json(nullptr);
        return j;
    }));
    s.add("pause", sync([&app](const json& args) -> Result<json> {
        int counter = counter_arg(args);
        int reason = static_cast<int>(control::int_arg(args, "reason"));
        auto e = app.commit([&](const queue::Engine& engine, const Now& now) { return engine.pause(now, counter, reason); });
        if (!e)
            return e.error();
        auto j = counter_event_json(app, e.value());
        j["reason"] = reason;
        return j;
    }));
    s.add("status", sync([&app](const json&) -> Result<json> { return app.status_json(); }));
    s.add("verify", sync([&app](const json&) -> Result<json> {
        auto report = app.journal().verify();
        return json{{"ok", report.ok},
                    {"rows", report.rows},
                    {"first_bad_seq", report.first_bad_seq ? json(report.first_bad_seq) : json(nullptr)},
                    {"reason", report.reason},
                    {"last_hash", report.last_hash}};
    }));
}

} // namespace motcua::app
