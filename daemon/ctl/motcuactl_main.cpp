// motcuactl: the command line for clerks, supervisors and technicians.

#include "ctl/cli.hpp"

#include <cstdlib>
#include <iostream>

using namespace motcua::ctl;

namespace motcua::ctl
{

Client& Session::client()
{
    if (!connection)
        connection = std::make_unique<Client>(socket);
    return *connection;
}

int Session::run(const std::string& cmd, const json& args, const std::function<std::string(const json&)>& human,
                 int timeout_s)
{
    auto response = client().request(cmd, args, timeout_s);
    if (!response.value("ok", false))
    {
        const auto& err = response["error"];
        if (json_output)
            std::cout << response.dump() << "\n";
        std::cerr << "motcuactl: " << err.value("message", "failed") << " [" << err.value("code", "error") << "]\n";
        return 1;
    }
    if (json_output)
        std::cout << response["result"].dump() << "\n";
    else
        std::cout << human(response["result"]) << "\n";
    return 0;
}

void on_run(CLI::App* sub, Session& s, const std::string& cmd, std::function<json()> args,
            std::function<std::string(const json&)> human)
{
    sub->callback([&s, cmd, args = std::move(args), human = std::move(human)] {
        s.action = [&s, cmd, args, human] { return s.run(cmd, args(), human); };
    });
}

} // namespace motcua::ctl

int main(int argc, char** argv)
{
    CLI::App app{"motcuactl: drive motcuad, the one-stop office queue daemon"};
    Session session;
    const char* env = std::getenv("MOTCUA_SOCKET");
    session.socket = env && *env ? env : "/run/motcua/control.sock";
    app.add_option("--socket,-s", session.socket, "motcuad's control socket (or MOTCUA_SOCKET)")->capture_default_str();
    app.add_flag("--json", session.json_output, "Print one JSON object instead of a human line");
    app.require_subcommand(1);
    app.fallthrough();
    add_queue_commands(app, session);
    add_register_commands(app, session);
    add_device_commands(app, session);
    add_printing_commands(app, session);
    add_voice_commands(app, session);
    add_journal_commands(app, session);
    add_user_commands(app, session);
    add_web_commands(app, session);
    add_central_commands(app, session);
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        return app.exit(e);
    }
    try
    {
        return session.action ? session.action() : 0;
    }
    catch (const std::exception& e)
    {
        std::cerr << "motcuactl: " << e.what() << "\n";
        return 2;
    }
}
