// motcua-sim's printers part: a sim::PrinterSim per [[printer]] of the config, its pty
// linked at the printer's device path (or listening on the printer's TCP port on
// loopback), each decoded ticket echoed on stdout, and the commands `tickets` and
// `printer-state`.

#include "sim/printer_sim.hpp"
#include "sim_parts.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <vector>

namespace motcua::sim
{

namespace
{

using nlohmann::json;

struct SimPrinter
{
    std::string name;
    std::string where; // "pty /dev/pts/5 at dev/printer-kiosk-1" or "tcp 127.0.0.1:9100"
    std::unique_ptr<PrinterSim> sim;
};

std::vector<SimPrinter>& printers()
{
    static std::vector<SimPrinter> list;
    return list;
}

SimPrinter* find(const std::string& name)
{
    for (auto& p : printers())
        if (p.name == name)
            return &p;
    return nullptr;
}

json ticket_json(const std::string& printer, const DecodedTicket& t)
{
    return json{{"printer", printer},         {"text", t.text},        {"qr", t.qr},
                {"images", t.images.size()},  {"tables", t.tables},    {"problems", t.problems},
                {"cut", t.cut},               {"state_at_cut", t.state_at_cut}};
}

void echo_ticket(const std::string& printer, const DecodedTicket& t)
{
    std::ostringstream out;
    out << "----- ticket on " << printer << (t.cut ? "" : " (no cut)") << " -----\n" << t.text;
    if (!t.text.empty() && t.text.back() != '\n')
        out << "\n";
    for (const auto& q : t.qr)
        out << "[QR " << q << "]\n";
    if (!t.images.empty())
        out << "[" << t.images.size() << " raster image(s)]\n";
    for (const auto& p : t.problems)
        out << "[problem: " << p << "]\n";
    std::cout << out.str() << std::flush;
}

Result<json> tickets_command(const json& args)
{
    std::string only = args.contains("printer") && args["printer"].is_string() ? args["printer"].get<std::string>() : "";
    if (!only.empty() && !find(only))
        return make_error("unknown_printer", "There is no simulated printer \"" + only + "\".");
    json list = json::array();
    for (const auto& p : printers())
        if (only.empty() || p.name == only)
            for (const auto& t : p.sim->tickets())
                list.push_back(ticket_json(p.name, t));
    return json{{"tickets", list}};
}

Result<json> state_command(const json& args)
{
    auto name = control::string_arg(args, "printer");
    auto* p = find(name);
    if (!p)
        return make_error("unknown_printer", "There is no simulated printer \"" + name + "\".");
    if (!args.contains("state"))
        return json{{"printer", name}, {"state", to_string(p->sim->state())}};
    auto text = control::string_arg(args, "state");
    auto s = sim_state_from_string(text);
    if (!s)
        return make_error("bad_state", "Unknown printer state \"" + text +
                                           "\"; use ok, paper_near_end, paper_out, cover_open, cutter_error, "
                                           "silent or stops_reading.");
    p->sim->set_state(*s);
    spdlog::info("Simulated printer state set printer={} state={}", name, text);
    return json{{"printer", name}, {"state", to_string(p->sim->state())}};
}

} // namespace

bool start_printers(ServeContext& ctx)
{
    for (const auto& cfg : ctx.config.printing.printers)
    {
        PrinterSimConfig sc;
        sc.name = cfg.name;
        sc.asb = cfg.profile.asb;
        sc.tables.tcvn_lower = cfg.profile.tcvn_lower_table;
        sc.tables.tcvn_upper = cfg.profile.tcvn_upper_table;
        sc.tables.cp1258 = cfg.profile.cp1258_table;
        if (cfg.transport.kind == config::TransportKind::tcp)
        {
            sc.tcp = true;
            sc.tcp_host = "127.0.0.1";
            sc.tcp_port = static_cast<std::uint16_t>(cfg.transport.port);
        }
        else
        {
            sc.link_path = cfg.transport.device;
            std::error_code ec;
            auto dir = std::filesystem::path(sc.link_path).parent_path();
            if (!dir.empty())
                std::filesystem::create_directories(dir, ec);
        }
        auto sim = std::make_unique<PrinterSim>(ctx.io, sc);
        if (auto r = sim->start(); !r)
        {
            spdlog::error("Cannot start a simulated printer printer={} error=\"{}\"", cfg.name, r.error().message);
            return false;
        }
        std::string where = sc.tcp ? "tcp 127.0.0.1:" + std::to_string(sim->port())
                                   : "pty " + sim->device_path() + " linked at " + sc.link_path;
        spdlog::info("Simulated printer ready printer={} profile={} at=\"{}\"", cfg.name, cfg.profile_name, where);
        sim->on_ticket([name = cfg.name](const DecodedTicket& t) { echo_ticket(name, t); });
        printers().push_back(SimPrinter{cfg.name, where, std::move(sim)});
    }
    using control::json;
    ctx.commands.add("tickets", command::Access::read, [](command::Call& call) -> boost::asio::awaitable<Result<json>> {
        co_return tickets_command(call.args);
    });
    ctx.commands.add("printer-state", command::Access::read,
                     [](command::Call& call) -> boost::asio::awaitable<Result<json>> {
                         co_return state_command(call.args);
                     });
    return true;
}

void stop_printers()
{
    for (auto& p : printers())
        p.sim->stop();
    printers().clear();
}

void add_printer_commands(CLI::App& app, AskContext& ctx)
{
    {
        auto* sub = app.add_subcommand("tickets", "Every ticket the simulated printers decoded");
        auto printer = std::make_shared<std::string>();
        sub->add_option("--printer,-p", *printer, "Only this printer's tickets");
        sub->callback([&ctx, printer] {
            ctx.action = [&ctx, printer] {
                json args = json::object();
                if (!printer->empty())
                    args["printer"] = *printer;
                return ctx.ask("tickets", args, [](const json& r) {
                    std::ostringstream out;
                    for (const auto& t : r["tickets"])
                    {
                        out << "----- ticket on " << t.value("printer", "") << " -----\n" << t.value("text", "");
                        for (const auto& q : t["qr"])
                            out << "[QR " << q.get<std::string>() << "]\n";
                    }
                    out << r["tickets"].size() << " ticket(s)";
                    return out.str();
                });
            };
        });
    }
    {
        auto* sub = app.add_subcommand("printer-state", "Show or script a simulated printer's state");
        auto printer = std::make_shared<std::string>();
        auto state = std::make_shared<std::string>();
        sub->add_option("PRINTER", *printer, "Printer name")->required();
        sub->add_option("STATE", *state,
                        "ok, paper_near_end, paper_out, cover_open, cutter_error, silent, stops_reading");
        sub->callback([&ctx, printer, state] {
            ctx.action = [&ctx, printer, state] {
                json args{{"printer", *printer}};
                if (!state->empty())
                    args["state"] = *state;
                return ctx.ask("printer-state", args, [](const json& r) {
                    return "Printer " + r.value("printer", "") + " is " + r.value("state", "");
                });
            };
        });
    }
}

} // namespace motcua::sim
