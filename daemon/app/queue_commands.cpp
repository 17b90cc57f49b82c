// The queue's commands. Each decides with the engine and commits through the application,
// so a command is answered only after its event is durable. The control socket, the web
// console and the keypads all run these same handlers (command::Registry).

#include "app/application.hpp"
#include "app/printing.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace motcua::app
{

namespace
{
using boost::asio::awaitable;
using command::Access;
using command::Call;
using control::json;

constexpr std::int64_t max_counter = 99;
constexpr std::int64_t max_pause_reason = 65535; // a keypad sends it in EVT_ARG, one 16-bit register

int counter_arg(const json& args, const char* key = "counter")
{
    return static_cast<int>(command::int_arg(args, key, 1, max_counter));
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

using Decider = Result<queue::Event> (queue::Engine::*)(const Now&, int) const;

Result<json> counter_command(Application& app, Call& call, Decider decide)
{
    const int counter = counter_arg(call.args);
    auto e = app.commit(call.actor,
                        [&](const queue::Engine& engine, const Now& now) { return (engine.*decide)(now, counter); },
                        std::move(call.also));
    if (!e)
        return e.error();
    return counter_event_json(app, e.value());
}

// NEXT, as the keypad's key and the console's button mean it: finish the ticket held, then
// call the next citizen. The finish commits on its own (the citizen was served whatever
// the call finds); the key press's rows go with the call.
Result<json> next(Application& app, Call& call)
{
    const int counter = counter_arg(call.args);
    if (const auto* c = app.engine().counter(counter); c && c->ticket && c->state == queue::CounterState::serving)
    {
        auto done = app.commit(call.actor,
                               [&](const queue::Engine& engine, const Now& now) { return engine.done(now, counter); });
        if (!done && store::is_database_error(done.error()))
            return done.error();
    }
    return counter_command(app, call, &queue::Engine::call_next);
}

awaitable<Result<json>> issue(Application& app, Call& call)
{
    // At a kiosk: check its printer, commit, print, record (app/printing.cpp).
    if (command::has_arg(call.args, "kiosk"))
        co_return co_await app.printing()->issue_at_kiosk(call.actor, call.args, std::move(call.also));
    auto service = command::string_arg(call.args, "service", 16);
    auto priority = command::optional_string_arg(call.args, "priority", 16);
    auto e = app.commit(call.actor, [&](const queue::Engine& engine, const Now& now) {
        return engine.issue(now, service, priority);
    }, std::move(call.also));
    if (!e)
        co_return e.error();
    co_return app.issued_ticket_json(*app.engine().ticket(e->ticket));
}

Result<json> open(Application& app, Call& call)
{
    const int counter = counter_arg(call.args);
    auto officer = command::string_arg(call.args, "officer", 64);
    auto e = app.commit(call.actor,
                        [&](const queue::Engine& engine, const Now& now) { return engine.open(now, counter, officer); });
    if (!e)
        return e.error();
    auto j = counter_event_json(app, e.value());
    j["officer"] = officer;
    return j;
}

Result<json> readmit(Application& app, Call& call)
{
    const auto& v = command::arg(call.args, "ticket");
    std::string text = v.is_number_integer() ? "#" + std::to_string(command::int_arg(call.args, "ticket", 1, INT32_MAX))
                                             : command::string_arg(call.args, "ticket", 32);
    const auto* t = app.engine().find_ticket(text);
    if (!t)
        return make_error("unknown_ticket", "There is no ticket " + text + " today.");
    auto id = t->id;
    auto e = app.commit(call.actor, [&](const queue::Engine& engine, const Now& now) { return engine.readmit(now, id); });
    if (!e)
        return e.error();
    return json{{"event", "readmitted"}, {"ticket", app.ticket_json(*app.engine().ticket(id))}};
}

Result<json> transfer(Application& app, Call& call)
{
    const int counter = counter_arg(call.args);
    queue::TransferTarget to;
    to.service = command::optional_string_arg(call.args, "to_service", 16);
    if (to.service.empty())
        to.counter = counter_arg(call.args, "to_counter");
    auto e = app.commit(call.actor,
                        [&](const queue::Engine& engine, const Now& now) { return engine.transfer(now, counter, to); },
                        std::move(call.also));
    if (!e)
        return e.error();
    auto j = counter_event_json(app, e.value());
    j["to_service"] = to.service.empty() ? json(nullptr) : json(to.service);
    j["to_counter"] = to.counter ? json(to.counter) : json(nullptr);
    return j;
}

Result<json> pause(Application& app, Call& call)
{
    const int counter = counter_arg(call.args);
    const int reason = static_cast<int>(command::int_arg(call.args, "reason", 0, max_pause_reason));
    auto e = app.commit(call.actor,
                        [&](const queue::Engine& engine, const Now& now) { return engine.pause(now, counter, reason); },
                        std::move(call.also));
    if (!e)
        return e.error();
    auto j = counter_event_json(app, e.value());
    j["reason"] = reason;
    return j;
}

Result<json> verify(Application& app)
{
    auto report = app.journal().verify();
    return json{{"ok", report.ok},
                {"rows", report.rows},
                {"first_bad_seq", report.first_bad_seq ? json(report.first_bad_seq) : json(nullptr)},
                {"reason", report.reason},
                {"last_hash", report.last_hash}};
}
} // namespace

void register_queue_commands(Application& app)
{
    auto& commands = app.commands();
    commands.add("issue", Access::issue, [&app](Call& call) { return issue(app, call); });
    commands.add("open", Access::counter, command::sync([&app](Call& call) { return open(app, call); }));
    const std::pair<const char*, Decider> simple[] = {
        {"close", &queue::Engine::close},     {"call", &queue::Engine::call_next}, {"recall", &queue::Engine::recall},
        {"no-show", &queue::Engine::no_show}, {"resume", &queue::Engine::resume},  {"done", &queue::Engine::done},
    };
    for (const auto& [name, decide] : simple)
        commands.add(name, Access::counter,
                     command::sync([&app, decide = decide](Call& call) { return counter_command(app, call, decide); }));
    commands.add("next", Access::counter, command::sync([&app](Call& call) { return next(app, call); }));
    commands.add("readmit", Access::counter, command::sync([&app](Call& call) { return readmit(app, call); }));
    commands.add("transfer", Access::counter, command::sync([&app](Call& call) { return transfer(app, call); }));
    commands.add("pause", Access::counter, command::sync([&app](Call& call) { return pause(app, call); }));
    commands.add("status", Access::read, command::sync([&app](Call&) -> Result<json> { return app.status_json(); }));
    commands.add("verify", Access::read, command::sync([&app](Call&) { return verify(app); }));
}

} // namespace motcua::app
