#pragma once

// motcuactl's building blocks: each area (queue, dossier, devices…) adds its subcommands
// in its own *_commands.cpp with add_<area>_commands(app, session).

#include "ctl/client.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

namespace motcua::ctl
{

struct Session
{
    std::string socket;
    bool json_output = false;
    std::function<int()> action; // set by the chosen subcommand, run after parsing
    std::unique_ptr<Client> connection;

    Client& client();
    // Sends one command. On success prints human(result) (or the JSON result with --json)
    // and returns 0; on error prints "motcuactl: <message>" on stderr and returns 1.
    // `timeout_s`: how long to wait for the answer (long for an import).
    int run(const std::string& cmd, const json& args, const std::function<std::string(const json&)>& human,
            int timeout_s = 30);
};

void add_queue_commands(CLI::App& app, Session& s);
void add_register_commands(CLI::App& app, Session& s); // dossier, calendar, report, rate
void add_form_commands(CLI::App& app, Session& s);     // dossier receipt, dossier form (after "dossier")
void add_device_commands(CLI::App& app, Session& s);   // devices, bus, display, keypad
void add_printing_commands(CLI::App& app, Session& s); // reprint, print-test
void add_voice_commands(CLI::App& app, Session& s);    // voice text, voice clips
void add_journal_commands(CLI::App& app, Session& s);  // journal acknowledge
void add_user_commands(CLI::App& app, Session& s);     // user add, passwd, disable, enable, list
void add_web_commands(CLI::App& app, Session& s);      // web cert
void add_central_commands(CLI::App& app, Session& s);  // central enroll (needs no daemon)

// Sets s.action to send `cmd` with the args built at run time (after parsing).
void on_run(CLI::App* sub, Session& s, const std::string& cmd, std::function<json()> args,
            std::function<std::string(const json&)> human);

} // namespace motcua::ctl
