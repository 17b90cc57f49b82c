// Register subcommands: dossier (receive, supplement-request, supplement-done, transfer,
// result, return, apologize, refuse, withdraw, stop, obligation-start, obligation-end,
// correct, show, list, import, export; the forms in form_commands.cpp), calendar (due,
// workdays), report, rate. A thin client: the daemon does all the work; this file builds arguments and prints.

#include "ctl/cli.hpp"
#include "util/base64.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace motcua::ctl
{

namespace
{

// Raw CSV bytes per import request, well under the daemon's 64 KiB line limit even when
// JSON escaping grows the text.
constexpr std::size_t import_chunk_bytes = 24 * 1024;

std::string str(const json& j, const char* key)
{
    if (!j.contains(key) || j[key].is_null())
        return {};
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::string percent(double ratio)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", ratio * 100.0);
    return buf;
}

std::string minutes_text(double seconds)
{
    auto s = static_cast<long long>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

const char* channel_name(int c)
{
    switch (c)
    {
    case 1: return "direct";
    case 2: return "online";
    case 3: return "postal";
    default: return "?";
    }
}

std::string dossier_line(const json& d)
{
    return str(d, "code") + "  received " + str(d, "received_at") + "  due " + str(d, "due_at") + "  " +
           str(d, "status_name") + "  " + str(d, "procedure_name") + "  " + d["applicant"].value("name", "");
}

std::string dossier_text(const json& d)
{
    std::ostringstream out;
    out << "Dossier " << str(d, "code") << " (book " << d.value("book", 0) << ", row " << d.value("row", 0) << ")\n";
    out << "  Procedure:  " << str(d, "procedure_code") << "  " << str(d, "procedure_name") << " (" << str(d, "field")
        << ")\n";
    const auto& a = d["applicant"];
    out << "  Applicant:  " << a.value("name", "");
    if (!a.value("address", "").empty())
        out << ", " << a.value("address", "");
    if (!a.value("phone", "").empty())
        out << ", phone " << a.value("phone", "");
    if (!a.value("id_number", "").empty())
        out << ", ID " << a.value("id_number", "");
    out << "\n  Channel:    " << channel_name(d.value("channel", 0)) << ", result " << str(d, "delivery");
    if (!str(d, "waybill").empty())
        out << " (waybill " << str(d, "waybill") << ")";
    out << ", " << d.value("sets", 1) << " set(s)\n";
    out << "  Status:     " << d.value("status", 0) << " " << str(d, "status_name");
    if (d.contains("timing"))
    {
        out << " (" << d["timing"].value("outcome", "") << ")";
        if (d["timing"].value("supplement_lapsed", false))
            out << "; the supplement deadline has passed: stop or refuse the dossier";
    }
    out << "\n  Received:   " << str(d, "received_at") << " at " << str(d, "receiving_unit") << "\n";
    out << "  Due:        " << str(d, "due_at") << "\n";
    for (const auto* key : {"transferred_at", "result_at", "returned_at", "closed_at", "close_reason"})
        if (!str(d, key).empty())
            out << "  " << key << ": " << str(d, key) << "\n";
    out << "  QĐ 766:     online " << str(d, "online") << ", paid online " << str(d, "online_payment")
        << ", digitised " << str(d, "digitised") << ", electronic result " << str(d, "result_electronic") << "\n";
    if (!str(d, "deciding_agency").empty())
        out << "  Deciding agency: " << str(d, "deciding_agency") << "\n";
    if (d["ticket"].is_number())
        out << "  Ticket:     #" << d["ticket"].get<long long>() << ", counter " << d.value("counter", 0)
            << ", officer " << str(d, "officer") << "\n";
    // The control slip's steps, each judged against its own deadline (older daemons: the
    // hand-offs as recorded).
    const auto& steps = d.contains("steps") ? d["steps"] : d["handoffs"];
    for (const auto& h : steps)
    {
        out << "  Hand-off:   " << (h.contains("start") ? str(h, "start") : str(h, "at")) << "  " << str(h, "from")
            << " -> " << str(h, "to");
        if (!str(h, "deadline").empty())
            out << ", step deadline " << str(h, "deadline");
        if (!str(h, "end").empty())
            out << ", done " << str(h, "end");
        auto outcome = h.contains("outcome") ? str(h, "outcome") : str(h, "punctuality");
        if (!outcome.empty())
            out << " (" << outcome << ")";
        out << "\n";
    }
    for (const auto& sp : d["supplements"])
    {
        out << "  Supplement: requested " << str(sp, "requested_at") << ", completed "
            << (str(sp, "completed_at").empty() ? "not yet" : str(sp, "completed_at"));
        if (!str(sp, "deadline").empty())
            out << ", deadline " << str(sp, "deadline");
        for (const auto& m : sp.value("missing", json::array()))
            out << "\n    missing: " << m.get<std::string>();
        out << "\n";
    }
    if (d.contains("obligations"))
        for (const auto& o : d["obligations"])
            out << "  Fee/tax:    from " << str(o, "from") << " to " << (str(o, "to").empty() ? "not yet" : str(o, "to"))
                << "\n";
    for (const auto& ap : d["apologies"])
        out << "  Apology:    " << str(ap, "at") << ", new appointment " << str(ap, "new_due") << "\n";
    if (!str(d, "notes").empty())
        out << "  Notes:      " << str(d, "notes") << "\n";
    auto text = out.str();
    text.pop_back();
    return text;
}

std::string event_text(const json& r)
{
    auto code = str(r, "code");
    auto event = str(r, "event");
    if (event == "supplement_requested")
        return "Dossier " + code + ": supplement requested; the clock is paused";
    if (event == "supplement_completed")
        return "Dossier " + code + ": supplement complete; the clock runs again";
    if (event == "transferred")
    {
        const auto& h = r["handoffs"].back();
        return "Dossier " + code + " transferred to " + str(h, "to");
    }
    if (event == "result_received")
    {
        const auto& h = r["handoffs"].back();
        return "Dossier " + code + ": result received (" + str(h, "punctuality") + ", due " + str(r, "due_at") + ")";
    }
    if (event == "returned")
        return "Dossier " + code + ": result returned to " + r["applicant"].value("name", "");
    if (event == "refused" || event == "withdrawn" || event == "stopped")
        return "Dossier " + code + " " + event + " at " + str(r, "closed_at") + ": " + str(r, "close_reason");
    if (event == "obligation_started")
        return "Dossier " + code + ": waits for a financial obligation; the clock is paused";
    if (event == "obligation_ended")
        return "Dossier " + code + ": financial obligation met; the clock runs again";
    if (event == "corrected")
    {
        const auto& c = r["change"];
        return "Dossier " + code + ": " + str(c, "field") + " corrected from \"" + str(c, "old") + "\" to \"" +
               str(c, "new") + "\"";
    }
    if (event == "apologized")
        return "Dossier " + code + ": apology recorded, new appointment " + str(r["apologies"].back(), "new_due") +
               " (the original due time " + str(r, "due_at") + " stays the basis of the statistics)";
    return r.dump();
}

std::string counts_text(const json& c, const std::string& indent)
{
    std::ostringstream out;
    out << indent << "Received " << c.value("received_total", 0) << ": this period " << c.value("received", 0)
        << " (online " << c.value("received_online", 0) << ", direct and postal " << c.value("received_direct_postal", 0)
        << "), carried over " << c.value("carried_over", 0) << "\n";
    out << indent << "Resolved " << c.value("resolved", 0) << ": early " << c.value("early", 0) << ", on time "
        << c.value("on_time", 0) << ", late " << c.value("late", 0) << "\n";
    out << indent << "In progress " << c.value("in_progress", 0) << ": within due " << c.value("within_due", 0)
        << ", over due " << c.value("over_due", 0) << "\n";
    out << indent << "Closed without a result: refused " << c.value("refused", 0) << ", withdrawn "
        << c.value("withdrawn", 0) << ", stopped " << c.value("stopped", 0) << "\n";
    out << indent << "Apologies sent " << c.value("apologies", 0) << "; waiting for a supplement past its deadline "
        << c.value("supplement_lapsed", 0) << "\n";
    out << indent << "Online share " << percent(c.value("online_share", 0.0)) << "; early or on time "
        << percent(c.value("on_time_rate", 0.0)) << " of resolved; QĐ 766 on-time rate "
        << percent(c.value("qd766_rate", 0.0)) << "\n";
    out << indent << "QĐ 766 fields of the received: online full " << c.value("online_full", 0) << ", partial "
        << c.value("online_partial", 0) << "; paid online " << c.value("paid_online", 0) << " ("
        << percent(c.value("paid_online_share", 0.0)) << "); digitised " << c.value("digitised", 0) << " ("
        << percent(c.value("digitised_share", 0.0)) << "); electronic result " << c.value("result_electronic", 0)
        << " (" << percent(c.value("result_electronic_share", 0.0)) << ")\n";
    return out.str();
}

std::string queue_text(const json& c)
{
    const auto& w = c["wait"];
    const auto& s = c["service"];
    return std::to_string(c.value("issued", 0)) + " tickets issued, " + std::to_string(c.value("served", 0)) +
           " served, " + std::to_string(c.value("no_show", 0)) + " no-show; wait mean " +
           minutes_text(w.value("mean_s", 0.0)) + ", p90 " + minutes_text(w.value("p90_s", 0.0)) +
           "; service mean " + minutes_text(s.value("mean_s", 0.0)) + ", p90 " + minutes_text(s.value("p90_s", 0.0));
}

std::string satisfaction_text(const json& c)
{
    return std::to_string(c.value("votes", 0)) + " votes (very satisfied " + std::to_string(c.value("very_satisfied", 0)) +
           ", satisfied " + std::to_string(c.value("satisfied", 0)) + ", dissatisfied " +
           std::to_string(c.value("dissatisfied", 0)) + "; " + std::to_string(c.value("from_phone", 0)) +
           " from phones), " + percent(c.value("satisfied_share", 0.0)) + " satisfied";
}

std::string report_text(const json& r)
{
    std::ostringstream out;
    bool grouped = str(r, "by") != "none";
    out << "Report " << str(r, "office") << ", " << str(r, "from") << " to " << str(r, "to") << "\n";
    out << "Queue: " << queue_text(r["queue"]["total"]) << "\n";
    if (grouped)
        for (const auto& row : r["queue"]["rows"])
            out << "  " << (str(row, "key").empty() ? "(none)" : str(row, "key")) << ": " << queue_text(row) << "\n";
    out << "Dossiers (form II.06a):\n" << counts_text(r["dossiers"]["total"], "  ");
    if (grouped)
        for (const auto& row : r["dossiers"]["rows"])
            out << "  " << (str(row, "key").empty() ? "(none)" : str(row, "key")) << ":\n" << counts_text(row, "    ");
    out << "Satisfaction: " << satisfaction_text(r["satisfaction"]["total"]) << "\n";
    if (grouped)
        for (const auto& row : r["satisfaction"]["rows"])
            out << "  " << (str(row, "key").empty() ? "(none)" : str(row, "key")) << ": " << satisfaction_text(row)
                << "\n";
    auto text = out.str();
    text.pop_back();
    return text;
}

// Sends one request; on failure prints the error as Session::run does and returns nullopt.
std::optional<json> request(Session& s, const std::string& cmd, const json& args)
{
    auto response = s.client().request(cmd, args);
    if (response.value("ok", false))
        return response["result"];
    const auto& err = response["error"];
    if (s.json_output)
        std::cout << response.dump() << "\n";
    std::cerr << "motcuactl: " << err.value("message", "failed") << " [" << err.value("code", "error") << "]\n";
    return std::nullopt;
}

std::string read_whole_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The next piece of `text` from `pos`: ends after a line break when one is near, never
// inside a UTF-8 sequence, and fits one request once escaped as JSON.
std::size_t chunk_end(const std::string& text, std::size_t pos)
{
    std::size_t limit = import_chunk_bytes;
    while (true)
    {
        std::size_t end = std::min(text.size(), pos + limit);
        if (end < text.size())
        {
            auto nl = text.rfind('\n', end - 1);
            if (nl != std::string::npos && nl >= pos + limit / 2)
                end = nl + 1;
            else
                while (end > pos + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
                    --end;
        }
        if (json(text.substr(pos, end - pos)).dump().size() < 60000 || limit < 1024)
            return end;
        limit /= 2;
    }
}

// A year's register is parsed, checked and committed in chunks while the office keeps
// being served: on a slow box that takes minutes, not the usual 30 s.
constexpr int import_timeout_s = 600;
// A year's export runs the report once per grouping (six of them) before it renders.
constexpr int report_export_timeout_s = 120;

int import_file(Session& s, const std::string& path)
{
    auto text = read_whole_file(path);
    auto human = [](const json& r) {
        auto n = r.value("imported", 0);
        std::string line = "Imported " + std::to_string(n) + " dossier" + (n == 1 ? "" : "s");
        if (n > 0)
            line += " (" + str(r, "first_code") + " … " + str(r, "last_code") + ")";
        return line;
    };
    if (text.size() <= import_chunk_bytes)
        return s.run("dossier.import", json{{"text", text}}, human, import_timeout_s);
    std::size_t pos = 0;
    json upload = nullptr;
    while (true)
    {
        auto end = chunk_end(text, pos);
        bool last = end >= text.size();
        json args{{"chunk", text.substr(pos, end - pos)}, {"more", !last}};
        if (!upload.is_null())
            args["upload"] = upload;
        if (last)
            return s.run("dossier.import", args, human, import_timeout_s);
        auto r = request(s, "dossier.import", args);
        if (!r)
            return 1;
        upload = (*r)["upload"];
        pos = end;
    }
}

struct Period
{
    std::string from;
    std::string to;
};

void add_period(CLI::App* sub, Period& p)
{
    sub->add_option("--from", p.from, "First day, YYYY-MM-DD")->required();
    sub->add_option("--to", p.to, "Last day, YYYY-MM-DD")->required();
}

void add_dossier_commands(CLI::App& app, Session& s)
{
    auto* dossier = app.add_subcommand("dossier", "The dossier register (sổ theo dõi hồ sơ)");
    dossier->require_subcommand(1);
    {
        auto* sub = dossier->add_subcommand("receive", "Receive a dossier; prints its code and due time");
        struct Args
        {
            long long ticket = 0;
            int counter = 0;
            std::string procedure, name, address, phone, id_number, email, delivery, waybill, notes, online, fee;
            std::vector<std::string> documents;
            int channel = 1;
            int sets = 1;
            bool online_payment = false, digitised = false, result_electronic = false;
        };
        auto a = std::make_shared<Args>();
        auto* t = sub->add_option("--ticket", a->ticket, "The queue ticket id it came from");
        auto* c = sub->add_option("--counter", a->counter, "The counter receiving it (links the ticket it holds)");
        t->excludes(c);
        sub->add_option("--procedure", a->procedure, "Procedure code (mã TTHC)")->required();
        sub->add_option("--name", a->name, "Applicant's name")->required();
        sub->add_option("--address", a->address, "Applicant's address");
        sub->add_option("--phone", a->phone, "Applicant's phone");
        sub->add_option("--id-number", a->id_number, "CCCD (12 digits) or CMND (9 digits)");
        sub->add_option("--email", a->email, "Applicant's e-mail");
        sub->add_option("--channel", a->channel, "1 direct, 2 online, 3 postal")->check(CLI::Range(1, 3));
        sub->add_option("--delivery", a->delivery, "Result delivery: desk, post or online")
            ->check(CLI::IsMember({"desk", "post", "online"}));
        sub->add_option("--waybill", a->waybill, "Postal waybill number (with --delivery post)");
        sub->add_option("--sets", a->sets, "Number of sets")->check(CLI::Range(1, 99));
        sub->add_option("--notes", a->notes, "Notes (ghi chú)");
        sub->add_option("--online", a->online, "Online submission (QĐ 766): none, partial or full")
            ->check(CLI::IsMember({"none", "partial", "full"}));
        sub->add_flag("--online-payment", a->online_payment, "Fees were paid online");
        sub->add_flag("--digitised", a->digitised, "The dossier was digitised at receipt");
        sub->add_flag("--result-electronic", a->result_electronic, "The result is issued electronically");
        sub->add_option("--document", a->documents,
                        "A document received (repeat for each; default: the catalogue's list for the procedure)");
        sub->add_option("--fee", a->fee, "The fees due, as the receipt prints them (default: the catalogue's)");
        on_run(sub, s, "dossier.receive",
               [a] {
                   json j{{"procedure", a->procedure}, {"name", a->name}, {"channel", a->channel}, {"sets", a->sets},
                          {"online_payment", a->online_payment}, {"digitised", a->digitised},
                          {"result_electronic", a->result_electronic}};
                   if (a->ticket > 0)
                       j["ticket"] = a->ticket;
                   if (a->counter > 0)
                       j["counter"] = a->counter;
                   if (!a->documents.empty())
                       j["documents"] = a->documents;
                   for (const auto& [key, value] :
                        {std::pair<const char*, const std::string*>{"address", &a->address},
                         {"phone", &a->phone},
                         {"id_number", &a->id_number},
                         {"email", &a->email},
                         {"delivery", &a->delivery},
                         {"waybill", &a->waybill},
                         {"online", &a->online},
                         {"fee", &a->fee},
                         {"notes", &a->notes}})
                       if (!value->empty())
                           j[key] = *value;
                   return j;
               },
               [](const json& d) {
                   std::string text = "Dossier " + str(d, "code") + " received: " + str(d, "procedure_name") +
                                      "\n  Applicant: " + d["applicant"].value("name", "") + "\n  Due: " +
                                      str(d, "due_form") + "  (book " + std::to_string(d.value("book", 0)) + ", row " +
                                      std::to_string(d.value("row", 0)) + ")";
                   if (d["ticket"].is_number())
                       text += "\n  Ticket #" + std::to_string(d["ticket"].get<long long>()) + " at counter " +
                               std::to_string(d.value("counter", 0)) + ", officer " + str(d, "officer");
                   return text;
               });
    }
    struct Simple
    {
        const char* name;
        const char* cmd;
        const char* help;
    };
    for (const auto& x : {Simple{"supplement-request", "dossier.supplement_request", "Ask the applicant to supplement (pauses the clock)"},
                          Simple{"supplement-done", "dossier.supplement_done", "The supplement is complete (the clock runs again)"},
                          Simple{"result", "dossier.result", "The result came back from the deciding agency"}})
    {
        auto* sub = dossier->add_subcommand(x.name, x.help);
        auto code = std::make_shared<std::string>();
        auto reason = std::make_shared<std::string>();
        auto deadline = std::make_shared<std::string>();
        auto officer = std::make_shared<std::string>();
        auto missing = std::make_shared<std::vector<std::string>>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        sub->add_option("--officer", *officer, "Who records it (journal)");
        if (std::string(x.name) == "supplement-request")
        {
            sub->add_option("--missing", *missing, "A missing document (repeat for each)");
            sub->add_option("--deadline", *deadline, "By when, \"YYYY-MM-DD HH:MM\"");
            sub->add_option("--reason", *reason, "Why");
        }
        on_run(sub, s, x.cmd,
               [code, reason, deadline, officer, missing] {
                   json j{{"code", *code}};
                   if (!reason->empty())
                       j["reason"] = *reason;
                   if (!deadline->empty())
                       j["deadline"] = *deadline;
                   if (!officer->empty())
                       j["officer"] = *officer;
                   if (!missing->empty())
                       j["missing"] = *missing;
                   return j;
               },
               event_text);
    }
    {
        auto* sub = dossier->add_subcommand("return", "The result was returned to the applicant");
        auto code = std::make_shared<std::string>();
        auto waybill = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        sub->add_option("--waybill", *waybill, "Postal waybill number of the result");
        on_run(sub, s, "dossier.return",
               [code, waybill] {
                   json j{{"code", *code}};
                   if (!waybill->empty())
                       j["waybill"] = *waybill;
                   return j;
               },
               event_text);
    }
    {
        auto* sub = dossier->add_subcommand("transfer", "Hand the dossier to an agency");
        auto code = std::make_shared<std::string>();
        auto to = std::make_shared<std::string>();
        auto deadline = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        sub->add_option("--to", *to, "The receiving agency or desk")->required();
        sub->add_option("--deadline", *deadline, "This step's deadline, \"YYYY-MM-DD HH:MM\"");
        on_run(sub, s, "dossier.transfer",
               [code, to, deadline] {
                   json j{{"code", *code}, {"to", *to}};
                   if (!deadline->empty())
                       j["deadline"] = *deadline;
                   return j;
               },
               event_text);
    }
    for (const auto& x : {Simple{"refuse", "dossier.refuse", "Refuse the dossier (status 3, Mẫu 03)"},
                          Simple{"withdraw", "dossier.withdraw", "The applicant withdrew the dossier (status 7)"},
                          Simple{"stop", "dossier.stop", "Stop processing the dossier (status 8)"},
                          Simple{"obligation-start", "dossier.obligation_start",
                                 "A fee or tax is due (status 6; pauses the clock)"},
                          Simple{"obligation-end", "dossier.obligation_end",
                                 "The fee or tax was paid (the clock runs again)"}})
    {
        auto* sub = dossier->add_subcommand(x.name, x.help);
        auto code = std::make_shared<std::string>();
        auto reason = std::make_shared<std::string>();
        auto officer = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        const bool closing = std::string(x.cmd).find("obligation") == std::string::npos;
        auto* r = sub->add_option("--reason", *reason, closing ? "Why (recorded in the journal)" : "What is due");
        if (closing)
            r->required();
        sub->add_option("--officer", *officer, "Who records it (journal)");
        on_run(sub, s, x.cmd,
               [code, reason, officer] {
                   json j{{"code", *code}};
                   if (!reason->empty())
                       j["reason"] = *reason;
                   if (!officer->empty())
                       j["officer"] = *officer;
                   return j;
               },
               event_text);
    }
    {
        auto* sub = dossier->add_subcommand("correct", "Correct a recorded value (a correction event, never an edit)");
        auto code = std::make_shared<std::string>();
        auto field = std::make_shared<std::string>();
        auto value = std::make_shared<std::string>();
        auto reason = std::make_shared<std::string>();
        auto officer = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        sub->add_option("--field", *field, "applicant_name, applicant_address, applicant_phone, applicant_id, "
                                           "applicant_email, notes, sets, delivery, waybill, online, online_payment, "
                                           "digitised, result_electronic")
            ->required();
        sub->add_option("--value", *value, "The right value")->required();
        sub->add_option("--reason", *reason, "Why it was wrong")->required();
        sub->add_option("--officer", *officer, "Who corrects it (journal)");
        on_run(sub, s, "dossier.correct",
               [=] {
                   json j{{"code", *code}, {"field", *field}, {"value", *value}, {"reason", *reason}};
                   if (!officer->empty())
                       j["officer"] = *officer;
                   return j;
               },
               event_text);
    }
    {
        auto* sub = dossier->add_subcommand("apologize", "Record an apology (Mẫu 04) with a new appointment");
        auto code = std::make_shared<std::string>();
        auto due = std::make_shared<std::string>();
        auto reason = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        sub->add_option("--new-due", *due, "New appointment, \"YYYY-MM-DD HH:MM\"")->required();
        sub->add_option("--reason", *reason, "Reason for the delay");
        on_run(sub, s, "dossier.apologize",
               [code, due, reason] {
                   json j{{"code", *code}, {"new_due", *due}};
                   if (!reason->empty())
                       j["reason"] = *reason;
                   return j;
               },
               event_text);
    }
    {
        auto* sub = dossier->add_subcommand("show", "Show one dossier");
        auto code = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        on_run(sub, s, "dossier.show", [code] { return json{{"code", *code}}; }, dossier_text);
    }
    {
        auto* sub = dossier->add_subcommand("list", "Dossiers received in a period");
        auto p = std::make_shared<Period>();
        add_period(sub, *p);
        on_run(sub, s, "dossier.list", [p] { return json{{"from", p->from}, {"to", p->to}}; },
               [](const json& r) {
                   std::string text = std::to_string(r.value("count", 0)) + " dossiers received " + str(r, "from") +
                                      " to " + str(r, "to");
                   for (const auto& d : r["dossiers"])
                       text += "\n" + dossier_line(d);
                   return text;
               });
    }
    {
        auto* sub = dossier->add_subcommand("import", "Import dossiers received elsewhere from a CSV file (all or nothing)");
        auto file = std::make_shared<std::string>();
        sub->add_option("FILE", *file, "CSV file (docs/register.md lists the columns)")->required();
        sub->callback([&s, file] { s.action = [&s, file] { return import_file(s, *file); }; });
    }
    {
        auto* sub = dossier->add_subcommand("export", "The register book (sổ theo dõi, Mẫu 07), one row per dossier");
        auto p = std::make_shared<Period>();
        auto format = std::make_shared<std::string>("csv");
        auto output = std::make_shared<std::string>();
        add_period(sub, *p);
        sub->add_option("--format", *format, "csv, json, or html (the printable register book, Mẫu 07)")
            ->check(CLI::IsMember({"csv", "json", "html"}));
        sub->add_option("--output,-o", *output, "Write to this file instead of standard output");
        sub->callback([&s, p, format, output] {
            s.action = [&s, p, format, output] {
                const bool html = *format == "html";
                auto r = html ? request(s, "dossier.book", json{{"from", p->from}, {"to", p->to}})
                              : request(s, "dossier.export", json{{"from", p->from}, {"to", p->to}, {"format", *format}});
                if (!r)
                    return 1;
                std::string text = s.json_output ? r->dump() + "\n"
                                   : html        ? str(*r, "html")
                                   : *format == "csv" ? str(*r, "text")
                                                      : r->dump() + "\n";
                if (output->empty())
                    std::cout << text;
                else
                {
                    std::ofstream out(*output, std::ios::binary);
                    out << text;
                    if (!out)
                        throw std::runtime_error("cannot write " + *output);
                    std::cerr << "Wrote " << r->value("count", 0) << " dossiers to " << *output << "\n";
                }
                return 0;
            };
        });
    }
}

void add_calendar_commands(CLI::App& app, Session& s)
{
    auto* cal = app.add_subcommand("calendar", "The working calendar and due dates");
    cal->require_subcommand(1);
    {
        auto* sub = cal->add_subcommand("due", "Due time of a dossier received at a given time");
        auto received = std::make_shared<std::string>();
        auto days = std::make_shared<int>(0);
        auto hours = std::make_shared<int>(0);
        auto same_day = std::make_shared<bool>(false);
        sub->add_option("--received", *received, "Receipt time, \"YYYY-MM-DD HH:MM\"")->required();
        auto calendar_days = std::make_shared<int>(0);
        auto* d = sub->add_option("--days", *days, "Processing time in working days");
        auto* h = sub->add_option("--hours", *hours, "Processing time in working hours");
        auto* cd = sub->add_option("--calendar-days", *calendar_days,
                                   "Processing time in calendar days (\"ngày\"; ends on a working day)");
        d->excludes(h);
        cd->excludes(d)->excludes(h);
        sub->add_flag("--same-day", *same_day, "A same-day procedure (after the cut-off: next working day)");
        on_run(sub, s, "calendar.due",
               [=] {
                   json j{{"received", *received}, {"same_day", *same_day}};
                   if (*days > 0)
                       j["days"] = *days;
                   if (*hours > 0)
                       j["hours"] = *hours;
                   if (*calendar_days > 0)
                       j["calendar_days"] = *calendar_days;
                   return j;
               },
               [](const json& r) { return "Due " + str(r, "due_form") + " (" + str(r, "due") + ")"; });
    }
    {
        auto* sub = cal->add_subcommand("workdays", "Count working days, both ends included");
        auto p = std::make_shared<Period>();
        add_period(sub, *p);
        on_run(sub, s, "calendar.workdays", [p] { return json{{"from", p->from}, {"to", p->to}}; },
               [](const json& r) {
                   std::string text = std::to_string(r.value("workdays", 0)) + " working days from " + str(r, "from") +
                                      " to " + str(r, "to");
                   for (const auto& d : r["special_days"])
                       text += "\n  " + str(d, "date") + "  " + str(d, "kind") + "  " + str(d, "name") +
                               (d.value("provisional", false) ? "  (provisional)" : "");
                   return text;
               });
    }
}

// The files `report` writes instead of printing (one of them).
struct ReportFiles
{
    std::string xlsx, csv, svg, chart;
};

// report.export into the file asked for; a summary line (or, with --json, the answer
// without its content) on standard output.
int export_report(Session& s, json args, const ReportFiles& files)
{
    std::string path = files.xlsx;
    args["format"] = "xlsx";
    if (!files.csv.empty())
    {
        path = files.csv;
        args["format"] = "csv";
    }
    if (!files.svg.empty())
    {
        path = files.svg;
        args["format"] = "svg";
        args["chart"] = files.chart;
    }
    auto response = s.client().request("report.export", args, report_export_timeout_s);
    if (!response.value("ok", false))
    {
        const auto& err = response["error"];
        if (s.json_output)
            std::cout << response.dump() << "\n";
        std::cerr << "motcuactl: " << err.value("message", "failed") << " [" << err.value("code", "error") << "]\n";
        return 1;
    }
    auto& r = response["result"];
    std::string bytes;
    if (r.contains("base64"))
    {
        auto decoded = base64::decode(r.value("base64", ""));
        if (!decoded)
        {
            std::cerr << "motcuactl: the daemon's answer holds no valid base64 content\n";
            return 1;
        }
        bytes = std::move(*decoded);
        r.erase("base64");
    }
    else
    {
        bytes = r.value("text", "");
        r.erase("text");
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file)
    {
        std::cerr << "motcuactl: cannot write " << path << "\n";
        return 1;
    }
    r["path"] = path;
    r["bytes"] = bytes.size();
    if (s.json_output)
        std::cout << r.dump() << "\n";
    else
        std::cout << "Wrote " << str(r, "filename") << " (" << bytes.size() << " bytes) to " << path << "\n";
    return 0;
}

} // namespace

void add_register_commands(CLI::App& app, Session& s)
{
    add_dossier_commands(app, s);
    add_form_commands(app, s);
    add_calendar_commands(app, s);
    {
        auto* sub = app.add_subcommand("report", "Queue, dossier (form II.06a) and satisfaction figures for a period, "
                                                 "or their export (--xlsx, --csv, --svg)");
        auto p = std::make_shared<Period>();
        auto by = std::make_shared<std::string>();
        auto out = std::make_shared<ReportFiles>();
        add_period(sub, *p);
        sub->add_option("--by", *by, "Group by field, procedure, officer, counter, service or hour (of the day)")
            ->check(CLI::IsMember({"none", "field", "procedure", "officer", "counter", "service", "hour"}));
        auto* xlsx = sub->add_option("--xlsx", out->xlsx, "Write the report as an Excel workbook to this file");
        auto* csv = sub->add_option("--csv", out->csv, "Write the report's tables as one CSV file");
        auto* svg = sub->add_option("--svg", out->svg, "Write one chart (--chart) as an SVG image");
        auto* chart = sub->add_option("--chart", out->chart, "The chart for --svg: dossiers, satisfaction or hourly")
                          ->check(CLI::IsMember({"dossiers", "satisfaction", "hourly"}));
        xlsx->excludes(csv)->excludes(svg);
        csv->excludes(svg);
        svg->needs(chart);
        chart->needs(svg);
        sub->callback([&s, p, by, out] {
            s.action = [&s, p, by, out] {
                json args{{"from", p->from}, {"to", p->to}};
                if (!by->empty())
                    args["by"] = *by;
                if (out->xlsx.empty() && out->csv.empty() && out->svg.empty())
                    return s.run("report", args, report_text);
                return export_report(s, args, *out);
            };
        });
    }
    {
        auto* sub = app.add_subcommand("rate", "Record a citizen's rating of a served ticket (once per ticket)");
        auto ticket = std::make_shared<long long>(0);
        auto score = std::make_shared<int>(0);
        sub->add_option("TICKET", *ticket, "Ticket id")->required();
        sub->add_option("SCORE", *score, "3 rất hài lòng, 2 hài lòng, 1 không hài lòng")->required()->check(CLI::Range(1, 3));
        on_run(sub, s, "rate", [ticket, score] { return json{{"ticket", *ticket}, {"score", *score}}; },
               [](const json& r) {
                   static const char* names[] = {"", "không hài lòng", "hài lòng", "rất hài lòng"};
                   int sc = r.value("score", 0);
                   return "Ticket #" + std::to_string(r.value("ticket", 0LL)) + " rated " + std::to_string(sc) + " (" +
                          (sc >= 1 && sc <= 3 ? names[sc] : "?") + ") at counter " + std::to_string(r.value("counter", 0));
               });
    }
}

} // namespace motcua::ctl
