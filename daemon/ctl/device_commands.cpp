// Device and technician subcommands: devices, bus scan, bus set-id, display test,
// keypad watch.

#include "ctl/cli.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

namespace motcua::ctl
{

namespace
{
std::string devices_text(const json& r)
{
    std::ostringstream out;
    if (r.contains("buses"))
        for (const auto& b : r["buses"])
        {
            out << "bus " << b.value("name", "") << "  " << b.value("device", "") << "  "
                << (b.value("open", false) ? "open" : "closed: " + b.value("error", "")) << "\n";
            for (const auto& d : b["devices"])
            {
                char mean[32];
                std::snprintf(mean, sizeof mean, "%.1f", d.value("mean_reply_ms", 0.0));
                out << "  " << d.value("name", "") << "  id " << d.value("slave", 0) << "  " << d.value("role", "")
                    << "  " << d.value("state", "") << "  requests " << d.value("requests", 0) << "  timeouts "
                    << d.value("timeouts", 0) << "  crc " << d.value("crc_errors", 0) << "  mean " << mean << " ms";
                if (!d.value("last_error", "").empty())
                    out << "  last error: " << d.value("last_error", "");
                out << "\n";
            }
        }
    if (r.contains("printers"))
        for (const auto& p : r["printers"])
            out << "printer " << p.value("name", "") << "  " << p.value("state", "") << "\n";
    for (const auto& [key, value] : r.items())
        if (key != "buses" && key != "printers")
            out << key << ": " << value.dump() << "\n";
    auto text = out.str();
    if (text.empty())
        return "no devices";
    text.pop_back();
    return text;
}

// "1-247" or "5" -> first, last
std::pair<int, int> id_range(const std::string& text)
{
    auto dash = text.find('-');
    int first = std::stoi(text.substr(0, dash));
    int last = dash == std::string::npos ? first : std::stoi(text.substr(dash + 1));
    return {first, last};
}
} // namespace

void add_device_commands(CLI::App& app, Session& s)
{
    {
        auto* sub = app.add_subcommand("devices", "Every device: state, last error, requests, timeouts, CRC errors, mean reply time");
        on_run(sub, s, "devices", [] { return json::object(); }, devices_text);
    }
    auto* bus = app.add_subcommand("bus", "RS-485 bus tools for technicians");
    bus->require_subcommand(1);
    {
        auto* sub = bus->add_subcommand("scan", "Which ids answer on a bus, with role and firmware");
        auto name = std::make_shared<std::string>();
        auto ids = std::make_shared<std::string>("1-247");
        sub->add_option("BUS", *name, "Bus name")->required();
        sub->add_option("--ids", *ids, "Id range, e.g. 1-247")->capture_default_str();
        on_run(sub, s, "bus.scan",
               [=] {
                   auto [first, last] = id_range(*ids);
                   return json{{"bus", *name}, {"first", first}, {"last", last}};
               },
               [](const json& r) {
                   std::ostringstream out;
                   out << "bus " << r.value("bus", "") << ": " << r["found"].size() << " answering in "
                       << r.value("first", 0) << "-" << r.value("last", 0);
                   for (const auto& e : r["found"])
                   {
                       out << "\n  id " << e.value("slave", 0) << "  role "
                           << (e.contains("role_name") ? e["role_name"].get<std::string>()
                                                       : e["role"].is_null() ? "?" : e["role"].dump());
                       if (e["firmware"].is_number_integer())
                       {
                           int fw = e["firmware"].get<int>();
                           out << "  firmware " << ((fw >> 12) & 15) * 10 + ((fw >> 8) & 15) << "." << ((fw >> 4) & 15) * 10 + (fw & 15);
                       }
                       if (!e.value("note", "").empty())
                           out << "  (" << e.value("note", "") << ")";
                   }
                   return out.str();
               });
    }
    {
        auto* sub = bus->add_subcommand("set-id", "Re-address a device through its configuration registers and COMMIT");
        auto name = std::make_shared<std::string>();
        auto from = std::make_shared<int>(0);
        auto to = std::make_shared<int>(0);
        auto baud = std::make_shared<int>(0);
        sub->add_option("BUS", *name, "Bus name")->required();
        sub->add_option("--from", *from, "Current slave id")->required()->check(CLI::Range(1, 247));
        sub->add_option("--to", *to, "New slave id")->required()->check(CLI::Range(1, 247));
        sub->add_option("--baud", *baud, "New baud rate");
        on_run(sub, s, "bus.set_id",
               [=] {
                   json a{{"bus", *name}, {"from", *from}, {"to", *to}};
                   if (*baud)
                       a["baud"] = *baud;
                   return a;
               },
               [](const json& r) {
                   return "bus " + r.value("bus", "") + ": device " + std::to_string(r.value("from", 0)) +
                          " now answers as " + std::to_string(r.value("to", 0));
               });
    }
    {
        auto* display = app.add_subcommand("display", "Counter display tools");
        display->require_subcommand(1);
        auto* sub = display->add_subcommand("test", "Show digit patterns and a blink on a counter's display, then restore it");
        auto counter = std::make_shared<int>(0);
        sub->add_option("COUNTER", *counter, "Counter number")->required();
        on_run(sub, s, "display.test", [=] { return json{{"counter", *counter}}; },
               [](const json& r) { return "display " + r.value("device", "") + " tested and restored"; });
    }
    {
        auto* keypad = app.add_subcommand("keypad", "Clerk keypad tools");
        keypad->require_subcommand(1);
        auto* sub = keypad->add_subcommand("watch", "Print a counter's key events live (Ctrl-C to stop)");
        auto counter = std::make_shared<int>(0);
        sub->add_option("COUNTER", *counter, "Counter number (0: every device)")->required();
        sub->callback([&s, counter] {
            s.action = [&s, counter] {
                s.client().watch(json::array({"keys"}), [&s, counter](const json& e) {
                    if (*counter && e.value("counter", 0) != *counter)
                        return true;
                    if (s.json_output)
                        std::cout << e.dump() << std::endl;
                    else
                    {
                        std::cout << e.value("device", "") << " seq " << e.value("seq", 0) << ": "
                                  << e.value("key_name", "") << (e.value("arg", 0) ? " " + std::to_string(e.value("arg", 0)) : "");
                        if (e.value("ok", false))
                            std::cout << " -> " << e["result"].value("event", "ok");
                        else if (e.contains("error"))
                            std::cout << " -> refused: " << e["error"].value("message", "");
                        std::cout << std::endl;
                    }
                    return true;
                });
                return 0;
            };
        });
    }
}

} // namespace motcua::ctl
