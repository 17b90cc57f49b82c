#include "app/printing.hpp"

#include "escpos/ticket.hpp"
#include "store/lookups.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace motcua::app
{

namespace
{
using control::json;
using boost::asio::awaitable;

std::string transport_kind(config::TransportKind k)
{
    switch (k)
    {
    case config::TransportKind::serial: return "serial";
    case config::TransportKind::usb: return "usb";
    case config::TransportKind::tcp: return "tcp";
    }
    return "?";
}

std::string describe_state(const printer::Printer& p)
{
    return "printer " + p.name() + " is " + std::string(escpos::to_string(p.state())) + " (" + p.reason() + ")";
}

// The row committed with a kiosk's ticket: a print is owed until ticket.printed or
// ticket.print_failed follows (see warn_unprinted_tickets()).
store::JournalRow kiosk_issued_row(const std::string& kiosk, const std::string& printer)
{
    auto now = now_from_clocks();
    store::JournalRow row;
    row.kind = std::string(kind_kiosk_issued);
    row.wall = now.wall;
    row.mono_ns = now.mono.count();
    row.payload = json{{"kiosk", kiosk}, {"printer", printer}}.dump();
    return row;
}

// The ticket text a person reads when the ticket is named on the command line.
std::string ticket_arg(const json& args)
{
    const auto& v = control::arg(args, "ticket");
    if (v.is_number_integer())
        return "#" + std::to_string(v.get<std::int64_t>());
    return control::string_arg(args, "ticket");
}
} // namespace

Printing::Printing(Ports ports) : ports_(ports) {}

Printing::~Printing() { stop(); }

void Printing::start()
{
    for (const auto& cfg : ports_.queue.config().printing.printers)
        add_printer(cfg);
    warn_unprinted_tickets();
}

void Printing::add_printer(const config::Printer& cfg)
{
    auto p = printer::Printer::create(ports_.io, cfg);
    // The driver logs the transition; here it only reaches the watchers.
    p->on_state_change([this, name = cfg.name](printer::State s, const std::string& reason) {
        ports_.events.publish("devices", json{{"event", "printer_state"},
                                              {"printer", name},
                                              {"state", escpos::to_string(s)},
                                              {"reason", reason}});
    });
    auto first_attempt = ports_.startup.startup_step("printer " + cfg.name);
    p->on_first_attempt(first_attempt);
    p->start();
    spdlog::info("Printer configured printer={} transport=\"{}\" profile={}", cfg.name, p->transport_description(),
                 cfg.profile_name);
    printers_.push_back(RunningPrinter{std::move(p), std::move(first_attempt)});
}

void Printing::reconfigure()
{
    const auto& printing = ports_.queue.config().printing;
    std::vector<RunningPrinter> kept;
    std::size_t stopped = 0;
    for (auto& running : printers_)
    {
        const auto& p = running.printer;
        const auto* now = printing.printer(p->name());
        if (now && p->same_setup(*now))
        {
            kept.push_back(std::move(running));
            continue;
        }
        p->on_state_change({});
        p->stop(); // a flow printing on it ends with an error: print_failed, with the reprint hint
        running.first_attempt(); // its first attempt will never be reported
        ++stopped;
        spdlog::info("Printer stopped by the reload printer={} reason={}", p->name(), now ? "changed" : "removed");
    }
    printers_ = std::move(kept);
    const auto untouched = printers_.size();
    for (const auto& cfg : printing.printers)
        if (!printer(cfg.name))
            add_printer(cfg);
    if (!printers_.empty() || stopped)
        spdlog::info("Printers reloaded printers={} untouched={} started={} stopped={}", printers_.size(), untouched,
                     printers_.size() - untouched, stopped);
}

void Printing::stop()
{
    for (auto& running : printers_)
    {
        running.printer->on_state_change({}); // its coroutines may outlive this module by a moment
        running.printer->stop();
    }
}

std::shared_ptr<printer::Printer> Printing::printer(std::string_view name) const
{
    for (const auto& running : printers_)
        if (running.printer->name() == name)
            return running.printer;
    return nullptr;
}

json Printing::printers_json() const
{
    json list = json::array();
    for (const auto& running : printers_)
    {
        const auto& p = running.printer;
        const auto& c = p->counters();
        json kiosks = json::array();
        for (const auto& k : ports_.queue.config().printing.kiosks)
            if (k.printer == p->name() || k.fallback_printer == p->name())
                kiosks.push_back(k.id);
        list.push_back({{"name", p->name()},
                        {"transport", transport_kind(p->config().transport.kind)},
                        {"address", p->transport_description()},
                        {"profile", p->config().profile_name},
                        {"state", escpos::to_string(p->state())},
                        {"can_print", escpos::can_print(p->state())},
                        {"reason", p->reason()},
                        {"stalled", p->stalled()},
                        {"kiosks", kiosks},
                        {"counters",
                         {{"jobs_printed", c.jobs_printed},
                          {"jobs_failed", c.jobs_failed},
                          {"bytes_written", c.bytes_written},
                          {"status_queries", c.status_queries},
                          {"transitions", c.transitions}}}});
    }
    return list;
}

std::string Printing::status_part() const
{
    auto ready = std::count_if(printers_.begin(), printers_.end(),
                               [](const auto& running) { return escpos::can_print(running.printer->state()); });
    return "printers " + std::to_string(ready) + "/" + std::to_string(printers_.size()) + " ready";
}

const escpos::Font* Printing::font_for(const escpos::Profile& profile)
{
    if (profile.encoding != escpos::Encoding::raster)
        return nullptr;
    if (!font_tried_)
    {
        font_tried_ = true;
        std::string error;
        font_ = escpos::Font::open(escpos::default_font_path, error);
        if (!font_)
            spdlog::error("Cannot load the ticket font path={} error=\"{}\"", escpos::default_font_path, error);
    }
    return font_.get();
}

std::vector<std::uint8_t> Printing::render(const queue::Ticket& t, const config::Printer& printer)
{
    const auto& cfg = ports_.queue.config();
    const auto& engine = ports_.queue.engine();
    escpos::TicketData d;
    d.number = engine.label(t);
    auto day = format_date(engine.business_day_of(t.issued_at));
    day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
    d.ticket_id = day + "-" + d.number;
    if (const auto* svc = cfg.service(t.issued_service))
        d.service_name = svc->name;
    if (const auto* pc = cfg.priority_class(t.priority); pc && !t.priority.empty())
        d.priority = pc->name;
    d.waiting_ahead = engine.waiting_ahead(t.id);
    d.issued_at = format_local(t.issued_at, cfg.office.utc_offset).substr(0, 16);
    // With [web] the QR opens the ticket's phone page; the same link after a restart or on
    // a reprint (the secret and the ticket's business day do not change).
    d.status_url = ports_.queue.status_url(t);
    return escpos::render_ticket(printer.profile, cfg.printing.ticket, d, font_for(printer.profile));
}

awaitable<Printing::Choice> Printing::choose(const std::string& primary, const std::string& fallback)
{
    Choice c;
    auto p = printer(primary);
    if (!p)
    {
        c.refusal = "printer " + primary + " is not running";
        co_return c;
    }
    if (escpos::can_print(co_await p->refresh()))
    {
        c.printer = p;
        co_return c;
    }
    c.refusal = describe_state(*p);
    if (fallback.empty())
        co_return c;
    auto f = printer(fallback);
    if (f && escpos::can_print(co_await f->refresh()))
    {
        c.printer = f;
        c.fallback = true;
        co_return c;
    }
    c.refusal += f ? "; fallback " + describe_state(*f) : "; fallback printer " + fallback + " is not running";
    co_return c;
}

Result<void> Printing::record(const command::Actor& actor, std::int64_t ticket, store::PrintState state, const std::string& kind, json payload)
{
    auto now = now_from_clocks();
    std::vector<store::JournalRow> rows(1);
    rows[0].kind = kind;
    rows[0].wall = now.wall;
    rows[0].mono_ns = now.mono.count();
    rows[0].ticket = ticket;
    rows[0].payload = payload.dump();
    return ports_.committer.commit_rows(actor, rows, [&]() { return ports_.store.tickets.set_print_state(ticket, state); });
}

awaitable<json> Printing::print_ticket(const command::Actor& actor, std::int64_t ticket, printer::Printer& p, bool reprint, const std::string& kiosk)
{
    const auto* t = ports_.queue.engine().ticket(ticket);
    auto job = render(*t, p.config());
    const auto label = ports_.queue.engine().label(*t);
    auto r = co_await p.print(std::move(job));
    // The engine may have moved on while the job was on the wire; look the ticket up again.
    json payload{{"printer", p.name()}, {"label", label}};
    if (!kiosk.empty())
        payload["kiosk"] = kiosk;
    if (reprint)
        payload["reprint"] = true;
    json out{{"printer", p.name()}, {"ok", static_cast<bool>(r)}};
    if (r)
    {
        if (auto rec = record(actor, ticket, store::PrintState::printed, "ticket.printed", payload); !rec)
            spdlog::error("Cannot record a printed ticket ticket={} label={} error=\"{}\"", ticket, label,
                          rec.error().message);
        co_return out;
    }
    payload["error"] = r.error().code;
    payload["message"] = r.error().message;
    spdlog::error("Ticket not printed ticket={} label={} printer={} error={} message=\"{}\"", ticket, label, p.name(),
                  r.error().code, r.error().message);
    if (auto rec = record(actor, ticket, store::PrintState::print_failed, "ticket.print_failed", payload); !rec)
        spdlog::error("Cannot record a failed print ticket={} label={} error=\"{}\"", ticket, label,
                      rec.error().message);
    out["error"] = {{"code", r.error().code},
                    {"message", "Ticket " + label + " was issued but not printed on printer " + p.name() + ": " +
                                    r.error().message + ". Reprint it with `motcuactl reprint " + label + "`."}};
    co_return out;
}

awaitable<Result<json>> Printing::issue_at_kiosk(const command::Actor& actor, const json& args, std::vector<store::JournalRow> extra_rows)
{
    const auto service = control::string_arg(args, "service");
    const auto priority = control::optional_string_arg(args, "priority");
    const auto kiosk_id = control::string_arg(args, "kiosk");
    const auto* kiosk = ports_.queue.config().printing.kiosk(kiosk_id);
    if (!kiosk)
        co_return make_error("unknown_kiosk", "There is no kiosk \"" + kiosk_id + "\".");
    if (!ports_.queue.config().service(service))
        co_return make_error("unknown_service", "There is no service \"" + service + "\".");
    // Copies: the config may be replaced (SIGHUP) while this coroutine waits.
    const std::string primary = kiosk->printer;
    const std::string fallback = kiosk->fallback_printer;

    // 1. The printer's status, before a number is taken.
    auto choice = co_await choose(primary, fallback);
    if (!choice.printer)
    {
        auto now = now_from_clocks();
        std::vector<store::JournalRow> rows(1);
        rows[0].kind = "kiosk.refused";
        rows[0].wall = now.wall;
        rows[0].mono_ns = now.mono.count();
        json payload{{"kiosk", kiosk_id}, {"service", service}, {"printer", primary}, {"reason", choice.refusal}};
        if (!priority.empty())
            payload["priority"] = priority;
        if (const auto p = printer(primary))
            payload["state"] = escpos::to_string(p->state());
        rows[0].payload = payload.dump();
        if (auto r = ports_.committer.commit_rows(actor, rows); !r)
            co_return r.error();
        spdlog::warn("Kiosk refused a ticket kiosk={} service={} reason=\"{}\"", kiosk_id, service, choice.refusal);
        co_return make_error("printer_unavailable", "Kiosk " + kiosk_id + " cannot print, no number was taken: " +
                                                        choice.refusal + ".");
    }
    if (choice.fallback)
        spdlog::warn("Kiosk prints on its fallback printer kiosk={} printer={} fallback={} reason=\"{}\"", kiosk_id,
                     primary, choice.printer->name(), choice.refusal);

    // 2. Commit the ticket: from here on the number exists. The kiosk row in the same
    // transaction says a print is owed, so a crash before the outcome is found at start.
    extra_rows.push_back(kiosk_issued_row(kiosk_id, choice.printer->name()));
    auto e = ports_.committer.commit(actor, [&](const queue::Engine& engine, const Now& now) { return engine.issue(now, service, priority); },
                         std::move(extra_rows));
    if (!e)
        co_return e.error();
    const auto id = e->ticket;
    auto j = ports_.queue.issued_ticket_json(*ports_.queue.engine().ticket(id));
    j["kiosk"] = kiosk_id;

    // 3. Print, 4. record.
    auto print = co_await print_ticket(actor, id, *choice.printer, false, kiosk_id);
    print["fallback"] = choice.fallback;
    j["print"] = print;
    co_return j;
}

awaitable<Result<json>> Printing::reprint(const command::Actor& actor, const json& args)
{
    const auto text = ticket_arg(args);
    auto printer_name = control::optional_string_arg(args, "printer");
    auto kiosk_id = control::optional_string_arg(args, "kiosk");
    const auto* t = ports_.queue.engine().find_ticket(text);
    if (!t)
        co_return make_error("unknown_ticket", "There is no ticket " + text + " today.");
    const auto id = t->id;
    std::string fallback;
    const auto& printing = ports_.queue.config().printing;
    if (!kiosk_id.empty())
    {
        const auto* k = printing.kiosk(kiosk_id);
        if (!k)
            co_return make_error("unknown_kiosk", "There is no kiosk \"" + kiosk_id + "\".");
        printer_name = k->printer;
        fallback = k->fallback_printer;
    }
    else if (printer_name.empty())
    {
        if (!printing.kiosks.empty())
        {
            printer_name = printing.kiosks.front().printer;
            fallback = printing.kiosks.front().fallback_printer;
        }
        else if (!printers_.empty())
            printer_name = printers_.front().printer->name();
        else
            co_return make_error("no_printer", "No printer is configured.");
    }
    else if (!printer(printer_name))
        co_return make_error("unknown_printer", "There is no printer \"" + printer_name + "\".");

    auto choice = co_await choose(printer_name, fallback);
    if (!choice.printer)
        co_return make_error("printer_unavailable", "Cannot reprint " + text + ": " + choice.refusal + ".");
    auto print = co_await print_ticket(actor, id, *choice.printer, true, kiosk_id);
    if (!print.value("ok", false))
        co_return make_error("print_failed", print["error"].value("message", "printing failed"));
    print["fallback"] = choice.fallback;
    json j{{"event", "reprinted"}, {"label", text}, {"print", print}};
    if (const auto* now_t = ports_.queue.engine().ticket(id))
        j["ticket"] = ports_.queue.ticket_json(*now_t);
    co_return j;
}

awaitable<Result<json>> Printing::print_test(const json& args)
{
    const auto name = control::string_arg(args, "printer");
    const auto p = printer(name); // held: a reload may replace it while the page prints
    if (!p)
        co_return make_error("unknown_printer", "There is no printer \"" + name + "\".");
    auto state = co_await p->refresh();
    if (!escpos::can_print(state))
        co_return make_error("printer_unavailable", "Cannot print a test page: " + describe_state(*p) + ".");
    const auto& profile = p->config().profile;
    auto job = escpos::render_test_page(profile, font_for(profile));
    const auto bytes = job.size();
    auto r = co_await p->print(std::move(job));
    if (!r)
        co_return make_error("print_failed", "The test page did not print on printer " + name + ": " +
                                                 r.error().message + ".");
    spdlog::info("Test page printed printer={} profile={} bytes={}", name, p->config().profile_name, bytes);
    co_return json{{"printer", name},
                   {"profile", p->config().profile_name},
                   {"description", profile.description},
                   {"tables", escpos::describe_tables(profile)},
                   {"bytes", bytes}};
}

awaitable<Result<json>> Printing::print_document(const std::string& printer_name, const RenderJob& render)
{
    auto p = printer(printer_name); // shared: a reload may retire it while this prints
    if (!p)
        co_return make_error("unknown_printer", "There is no printer \"" + printer_name + "\".");
    if (!escpos::can_print(co_await p->refresh()))
        co_return make_error("printer_unavailable", "Cannot print: " + describe_state(*p) + ".");
    const auto& profile = p->config().profile;
    auto job = render(profile, font_for(profile));
    const auto bytes = job.size();
    auto r = co_await p->print(std::move(job));
    if (!r)
        co_return make_error("print_failed", "The document did not print on printer " + printer_name + ": " +
                                                 r.error().message + ".");
    co_return json{{"printer", printer_name}, {"profile", p->config().profile_name}, {"bytes", bytes}};
}

void Printing::warn_unprinted_tickets()
{
    auto day = ports_.queue.engine().business_day();
    if (!day)
        return;
    // Only tickets a kiosk owed a print and whose outcome never came (the daemon stopped
    // in between); failed prints were named with their reprint hint when they failed, and
    // tickets issued at a desk are not printed here at all.
    auto unprinted = store::unprinted_kiosk_tickets(ports_.store.db, *day, kind_kiosk_issued);
    if (!unprinted)
    {
        spdlog::error("Cannot list unprinted tickets error=\"{}\"", unprinted.error().message);
        return;
    }
    std::string labels;
    int count = 0;
    for (auto id : *unprinted)
    {
        const auto* t = ports_.queue.engine().ticket(id);
        if (!t)
            continue;
        if (++count <= max_labels_logged)
            labels += (labels.empty() ? "" : ",") + ports_.queue.engine().label(*t);
    }
    if (count > max_labels_logged)
        labels += ",…";
    if (count > 0)
        spdlog::warn("Kiosk tickets of today may not have printed; reprint them with motcuactl reprint count={} "
                     "tickets={}",
                     count, labels);
}

} // namespace motcua::app
