#pragma once

// motcua-sim is one process with two parts, each in its own file: the printers
// (sim_printers.cpp) and the Modbus buses (sim_modbus.cpp). sim_main.cpp wires them.
//
// Serving:  motcua-sim --config FILE [--socket PATH] [--pace]
//   starts every simulated device of FILE and answers on its own control socket
//   (same JSON-lines protocol as motcuad, daemon/control).
// Asking:   motcua-sim [--socket PATH] <subcommand> …   e.g. `press 1 next`, `tickets`
//   talks to a running simulator over that socket.

#include "config/model.hpp"
#include "control/server.hpp"
#include "ctl/client.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <string>

namespace motcua::sim
{

struct ServeContext
{
    boost::asio::io_context& io;
    const config::Config& config;
    command::Registry& commands; // add the part's commands here (served on the control socket)
    bool pace = false;        // pace replies to the configured baud
};

struct AskContext
{
    std::string socket;
    bool json_output = false;
    std::function<int()> action; // set by the chosen subcommand
    // Sends one command to the running simulator; prints human(result) or JSON.
    int ask(const std::string& cmd, const nlohmann::json& args,
            const std::function<std::string(const nlohmann::json&)>& human);
};

// Each part starts its devices (returns false after logging when it cannot) and adds the
// subcommands that ask about them.
bool start_printers(ServeContext& ctx);
void stop_printers();
void add_printer_commands(CLI::App& app, AskContext& ctx);

bool start_modbus(ServeContext& ctx);
void stop_modbus();
void add_modbus_commands(CLI::App& app, AskContext& ctx);

} // namespace motcua::sim
