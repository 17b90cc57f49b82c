// motcuactl user add|passwd|disable|enable|list: the desk console's accounts. A password is
// read from standard input (--password-stdin, one line, for scripts) or asked twice at the
// terminal with echo off; it never appears on the command line, where `ps` would show it.

#include "ctl/cli.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace motcua::ctl
{

namespace
{

// One line from stdin without its line end.
std::string read_line(std::istream& in)
{
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

std::string ask_hidden(const std::string& prompt)
{
    std::cerr << prompt << std::flush;
    termios old{};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty)
    {
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    auto line = read_line(std::cin);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return line;
}

// The new password: from stdin, or asked twice at a terminal.
std::string new_password(bool from_stdin)
{
    if (from_stdin)
        return read_line(std::cin);
    if (!isatty(STDIN_FILENO))
        throw CLI::ValidationError("password", "standard input is not a terminal: give --password-stdin");
    auto first = ask_hidden("New password: ");
    auto second = ask_hidden("The same password again: ");
    if (first != second)
        throw CLI::ValidationError("password", "the two passwords differ");
    return first;
}

std::string user_line(const json& u)
{
    std::string counters;
    for (const auto& c : u.value("counters", json::array()))
        counters += (counters.empty() ? "" : ",") + std::to_string(c.get<int>());
    std::string line = u.value("name", "") + "  " + u.value("role", "");
    if (!counters.empty())
        line += "  counters " + counters;
    if (u.value("disabled", false))
        line += "  DISABLED";
    if (u.contains("locked_until"))
        line += "  locked until " + u.value("locked_until", "");
    return line;
}

} // namespace

void add_user_commands(CLI::App& app, Session& s)
{
    auto* user = app.add_subcommand("user", "Accounts of the desk console (administrators)");
    user->require_subcommand(1);
    {
        auto* sub = user->add_subcommand("add", "Add an account");
        auto name = std::make_shared<std::string>();
        auto role = std::make_shared<std::string>();
        auto counters = std::make_shared<std::string>();
        auto from_stdin = std::make_shared<bool>(false);
        sub->add_option("NAME", *name, "User name: a-z 0-9 . _ -, e.g. lan.nguyen")->required();
        sub->add_option("--role", *role, "clerk, supervisor, technician or admin")
            ->required()
            ->check(CLI::IsMember({"clerk", "supervisor", "technician", "admin"}));
        sub->add_option("--counters", *counters, "A clerk's counters, e.g. 1,3");
        sub->add_flag("--password-stdin", *from_stdin, "Read the password from standard input (one line)");
        on_run(
            sub, s, "user.add",
            [=] {
                json a{{"name", *name}, {"role", *role}, {"password", new_password(*from_stdin)}};
                if (!counters->empty())
                    a["counters"] = *counters;
                return a;
            },
            [](const json& r) { return "Added " + user_line(r); });
    }
    {
        auto* sub = user->add_subcommand("passwd", "Set an account's password (also lifts a lock)");
        auto name = std::make_shared<std::string>();
        auto from_stdin = std::make_shared<bool>(false);
        sub->add_option("NAME", *name, "User name")->required();
        sub->add_flag("--password-stdin", *from_stdin, "Read the password from standard input (one line)");
        on_run(
            sub, s, "user.passwd", [=] { return json{{"name", *name}, {"password", new_password(*from_stdin)}}; },
            [](const json& r) { return "Password of " + r.value("name", "") + " changed"; });
    }
    for (const auto& [verb, command, help] :
         {std::tuple{"disable", "user.disable", "Disable an account: it can no longer sign in"},
          std::tuple{"enable", "user.enable", "Enable a disabled account again"}})
    {
        auto* sub = user->add_subcommand(verb, help);
        auto name = std::make_shared<std::string>();
        sub->add_option("NAME", *name, "User name")->required();
        on_run(sub, s, command, [=] { return json{{"name", *name}}; }, [](const json& r) { return user_line(r); });
    }
    {
        auto* sub = user->add_subcommand("sessions", "List the signed-in sessions; --end ID or --end-user NAME ends some");
        auto id = std::make_shared<std::string>();
        auto name = std::make_shared<std::string>();
        auto* end = sub->add_option("--end", *id, "End one session (its 12-digit id from the list)");
        sub->add_option("--end-user", *name, "End every session of this user")->excludes(end);
        sub->callback([=, &s] {
            s.action = [=, &s] {
                if (!id->empty())
                    return s.run("user.end_sessions", {{"id", *id}}, [](const json& r) {
                        return r.value("ended", 0) == 1 ? std::string("Session ended") : std::string("No such session");
                    });
                if (!name->empty())
                    return s.run("user.end_sessions", {{"user", *name}}, [](const json& r) {
                        return std::to_string(r.value("ended", 0)) + " sessions ended";
                    });
                return s.run("user.sessions", json::object(), [](const json& r) {
                    std::string out;
                    for (const auto& x : r["sessions"])
                        out += (out.empty() ? "" : "\n") + x.value("id", "") + "  " + x.value("user", "") + "  " +
                               x.value("role", "") + "  from " + x.value("from", "") + "  since " +
                               x.value("started", "") + "  last seen " + x.value("last_seen", "");
                    return out.empty() ? std::string("No sessions") : out;
                });
            };
        });
    }
    {
        auto* sub = user->add_subcommand("list", "List the accounts");
        on_run(
            sub, s, "user.list", [] { return json::object(); },
            [](const json& r) {
                std::string out;
                for (const auto& u : r["users"])
                    out += (out.empty() ? "" : "\n") + user_line(u);
                return out.empty() ? std::string("No accounts") : out;
            });
    }
}

} // namespace motcua::ctl
