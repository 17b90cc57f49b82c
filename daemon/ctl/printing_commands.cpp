// Printer subcommands: reprint, print-test. (`issue --kiosk` is a queue subcommand and
// `devices` lists printers with the other devices.)

#include "ctl/cli.hpp"

namespace motcua::ctl
{

void add_printing_commands(CLI::App& app, Session& s)
{
    {
        auto* sub = app.add_subcommand("reprint", "Print one of today's tickets again");
        auto ticket = std::make_shared<std::string>();
        auto printer = std::make_shared<std::string>();
        auto kiosk = std::make_shared<std::string>();
        sub->add_option("TICKET", *ticket, "Ticket label (TP-012), number, or #id")->required();
        auto* p = sub->add_option("--printer,-p", *printer, "Print on this printer");
        auto* k = sub->add_option("--kiosk,-k", *kiosk, "Print on this kiosk's printer (or its fallback)");
        p->excludes(k);
        on_run(sub, s, "reprint",
               [=] {
                   json a{{"ticket", *ticket}};
                   if (!printer->empty())
                       a["printer"] = *printer;
                   if (!kiosk->empty())
                       a["kiosk"] = *kiosk;
                   return a;
               },
               [](const json& r) {
                   std::string label = r.contains("ticket") ? r["ticket"].value("label", "") : r.value("label", "");
                   return "Ticket " + label + " printed again on printer " + r["print"].value("printer", "") +
                          (r["print"].value("fallback", false) ? " (the kiosk's fallback)" : "");
               });
    }
    {
        auto* sub = app.add_subcommand("print-test", "Print every Vietnamese letter, the profile and its code tables");
        auto printer = std::make_shared<std::string>();
        sub->add_option("PRINTER", *printer, "Printer name")->required();
        on_run(sub, s, "print-test", [=] { return json{{"printer", *printer}}; },
               [](const json& r) {
                   return "Test page printed on " + r.value("printer", "") + ": profile " + r.value("profile", "") +
                          ", " + r.value("tables", "") + ", " + std::to_string(r.value("bytes", 0)) + " bytes";
               });
    }
}

} // namespace motcua::ctl
