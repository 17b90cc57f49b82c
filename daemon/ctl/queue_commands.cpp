// Queue subcommands: issue, open, close, call, recall, no-show, readmit, transfer, pause,
// resume, done, status, verify.

#include "ctl/cli.hpp"

#include <sstream>

namespace motcua::ctl
{

namespace
{
std::string label_of(const json& result)
{
    if (result.contains("ticket") && result["ticket"].is_object())
        return result["ticket"].value("label", "?");
    return "?";
}

std::string counter_line(const json& r)
{
    auto counter = std::to_string(r.value("counter", 0));
    auto event = r.value("event", "");
    auto waiting = std::to_string(r.value("waiting", 0));
    if (event == "called")
        return "Counter " + counter + " calls " + label_of(r) + " (" + waiting + " still waiting)";
    if (event == "recalled")
        return "Counter " + counter + " calls " + label_of(r) + " again";
    if (event == "no_show")
        return label_of(r) + " did not come to counter " + counter + " (no-show; readmit it if they return)";
    if (event == "done")
        return "Counter " + counter + " finished " + label_of(r) + " (" + waiting + " waiting)";
    if (event == "transferred")
    {
        auto to = r["to_service"].is_string() ? "service " + r["to_service"].get<std::string>()
                                              : "counter " + std::to_string(r.value("to_counter", 0));
        return label_of(r) + " transferred from counter " + counter + " to " + to;
    }
    if (event == "counter_opened")
        return "Counter " + counter + " open, officer " + r.value("officer", "") + " (" + waiting + " waiting)";
    if (event == "counter_closed")
        return "Counter " + counter + " closed";
    if (event == "paused")
        return "Counter " + counter + " paused (reason " + std::to_string(r.value("reason", 0)) + ")";
    if (event == "resumed")
        return "Counter " + counter + " resumed (" + waiting + " waiting)";
    return r.dump();
}

std::string status_text(const json& r)
{
    std::ostringstream out;
    out << r.value("office", "") << " — business day "
        << (r["business_day"].is_string() ? r["business_day"].get<std::string>() : "not started") << "\n";
    if (const auto j = r.value("journal", json::object()); j.is_object() && !j.value("intact", true))
        out << "JOURNAL BROKEN at row " << j.value("first_bad_seq", 0) << ": " << j.value("reason", "")
            << " (see journalctl -u motcuad; then motcuactl journal acknowledge)\n";
    out << "Waiting:\n";
    for (const auto& s : r["services"])
    {
        out << "  " << s.value("id", "") << "  " << s.value("name", "") << ": " << s["waiting"].size();
        int shown = 0;
        for (const auto& t : s["waiting"])
        {
            if (shown++ == 0)
                out << "  [";
            else
                out << " ";
            if (shown > 8)
            {
                out << "…";
                break;
            }
            out << t.value("label", "");
        }
        out << (shown ? "]" : "") << "\n";
    }
    out << "Counters:\n";
    for (const auto& c : r["counters"])
    {
        out << "  " << c.value("number", 0) << "  " << c.value("state", "");
        if (c["officer"].is_string())
            out << "  officer " << c["officer"].get<std::string>();
        if (c["ticket"].is_object())
            out << "  serving " << c["ticket"].value("label", "");
        if (c.contains("pause_reason"))
            out << "  reason " << c.value("pause_reason", 0);
        out << "\n";
    }
    auto text = out.str();
    text.pop_back();
    return text;
}
} // namespace

void add_queue_commands(CLI::App& app, Session& s)
{
    {
        auto* sub = app.add_subcommand("issue", "Issue a ticket for a service");
        auto service = std::make_shared<std::string>();
        auto priority = std::make_shared<std::string>();
        auto kiosk = std::make_shared<std::string>();
        sub->add_option("SERVICE", *service, "Service id, e.g. TP")->required();
        sub->add_option("--priority,-p", *priority, "Priority class id");
        sub->add_option("--kiosk,-k", *kiosk, "Print on this kiosk's printer");
        on_run(sub, s, "issue",
               [=] {
                   json a{{"service", *service}};
                   if (!priority->empty())
                       a["priority"] = *priority;
                   if (!kiosk->empty())
                       a["kiosk"] = *kiosk;
                   return a;
               },
               [](const json& r) {
                   auto line = "Ticket " + r.value("label", "") + " for " + r.value("service_name", r.value("service", "")) +
                               ", " + std::to_string(r.value("waiting_ahead", 0)) + " waiting ahead (#" +
                               std::to_string(r.value("ticket", 0)) + ")";
                   // At a kiosk: where it printed, or why it did not (the number exists either way).
                   if (r.contains("print") && r["print"].value("ok", false))
                       line += ", printed on " + r["print"].value("printer", "");
                   else if (r.contains("print"))
                       line += "\nNOT PRINTED: " + r["print"]["error"].value("message", "printing failed");
                   return line;
               });
    }
    {
        auto* sub = app.add_subcommand("open", "Open a counter for an officer");
        auto counter = std::make_shared<int>(0);
        auto officer = std::make_shared<std::string>();
        sub->add_option("COUNTER", *counter, "Counter number")->required();
        sub->add_option("--officer,-o", *officer, "Officer id")->required();
        on_run(sub, s, "open", [=] { return json{{"counter", *counter}, {"officer", *officer}}; }, counter_line);
    }
    const std::pair<const char*, const char*> counter_commands[] = {
        {"close", "Close a counter"},
        {"call", "Call the next ticket to a counter"},
        {"recall", "Call the counter's ticket again"},
        {"no-show", "The called citizen did not come"},
        {"resume", "Resume a paused counter"},
        {"done", "The counter finished its ticket"},
    };
    for (const auto& [name, help] : counter_commands)
    {
        auto* sub = app.add_subcommand(name, help);
        auto counter = std::make_shared<int>(0);
        sub->add_option("COUNTER", *counter, "Counter number")->required();
        on_run(sub, s, name, [=] { return json{{"counter", *counter}}; }, counter_line);
    }
    {
        auto* sub = app.add_subcommand("readmit", "Let a no-show ticket wait again");
        auto ticket = std::make_shared<std::string>();
        sub->add_option("TICKET", *ticket, "Ticket label (TP-012), number, or #id")->required();
        on_run(sub, s, "readmit", [=] { return json{{"ticket", *ticket}}; },
               [](const json& r) { return label_of(r) + " waits again"; });
    }
    {
        auto* sub = app.add_subcommand("transfer", "Send the counter's ticket to another service or counter");
        auto counter = std::make_shared<int>(0);
        auto service = std::make_shared<std::string>();
        auto to_counter = std::make_shared<int>(0);
        sub->add_option("COUNTER", *counter, "Counter number")->required();
        auto* a = sub->add_option("--to-service", *service, "Target service id");
        auto* b = sub->add_option("--to-counter", *to_counter, "Target counter number");
        a->excludes(b);
        on_run(sub, s, "transfer",
               [=] {
                   json j{{"counter", *counter}};
                   if (!service->empty())
                       j["to_service"] = *service;
                   else if (*to_counter > 0)
                       j["to_counter"] = *to_counter;
                   else
                       throw std::runtime_error("transfer needs --to-service S or --to-counter C");
                   return j;
               },
               counter_line);
    }
    {
        auto* sub = app.add_subcommand("pause", "Pause a counter with a reason code");
        auto counter = std::make_shared<int>(0);
        auto reason = std::make_shared<int>(0);
        sub->add_option("COUNTER", *counter, "Counter number")->required();
        sub->add_option("--reason,-r", *reason, "Reason code")->required();
        on_run(sub, s, "pause", [=] { return json{{"counter", *counter}, {"reason", *reason}}; }, counter_line);
    }
    {
        auto* sub = app.add_subcommand("status", "Waiting tickets per service and each counter's state");
        on_run(sub, s, "status", [] { return json::object(); }, status_text);
    }
    {
        auto* sub = app.add_subcommand("verify", "Check the journal's hash chain");
        sub->callback([&s] {
            s.action = [&s] {
                int rc = s.run("verify", json::object(), [](const json& r) {
                    if (r.value("ok", false))
                        return "Journal intact: " + std::to_string(r.value("rows", 0)) + " rows, last hash " +
                               r.value("last_hash", "");
                    return "Journal BROKEN at row " + std::to_string(r.value("first_bad_seq", 0)) + ": " +
                           r.value("reason", "");
                });
                if (rc != 0)
                    return rc;
                // A broken chain is a failure for scripts too.
                return s.client().request("verify", json::object())["result"].value("ok", false) ? 0 : 3;
            };
        });
    }
}

} // namespace motcua::ctl
