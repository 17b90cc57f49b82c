// motcua-sim: simulated printers and Modbus devices on pseudo-terminals, for the demo and
// the tests. See sim_parts.hpp for the two ways to run it.

#include "config/load.hpp"
#include "sim_parts.hpp"
#include "util/log.hpp"

#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

namespace motcua::sim
{

int AskContext::ask(const std::string& cmd, const nlohmann::json& args,
                    const std::function<std::string(const nlohmann::json&)>& human)
{
    ctl::Client client(socket);
    auto response = client.request(cmd, args);
    if (!response.value("ok", false))
    {
        std::cerr << "motcua-sim: " << response["error"].value("message", "failed") << "\n";
        return 1;
    }
    std::cout << (json_output ? response["result"].dump() : human(response["result"])) << "\n";
    return 0;
}

} // namespace motcua::sim

namespace
{

std::string default_socket(const std::string& config_path)
{
    if (const char* env = std::getenv("MOTCUA_SIM_SOCKET"); env && *env)
        return env;
    if (config_path.empty())
        return "motcua-sim.sock";
    auto dir = std::filesystem::path(config_path).parent_path();
    return (dir.empty() ? std::filesystem::path("motcua-sim.sock") : dir / "motcua-sim.sock").string();
}

int serve(const std::string& config_path, const std::string& socket, bool pace, bool verbose)
{
    using namespace motcua;
    setup_logging(verbose);
    auto loaded = config::load_file(config_path);
    if (!loaded.diags.ok())
    {
        std::cerr << loaded.diags.str();
        return config::exit_config_error;
    }
    boost::asio::io_context io;
    command::Registry commands;
    control::Server server(io, socket, commands);
    sim::ServeContext ctx{io, *loaded.config, commands, pace};
    if (!sim::start_printers(ctx) || !sim::start_modbus(ctx))
        return 1;
    if (auto r = server.start(); !r)
    {
        spdlog::error("{}", r.error().message);
        return 1;
    }
    spdlog::info("motcua-sim ready socket={}", socket);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
        server.stop();
        sim::stop_modbus();
        sim::stop_printers();
        io.stop();
    });
    io.run();
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"motcua-sim: simulated printers and Modbus devices for a motcua config"};
    std::string config_path;
    std::string socket;
    bool pace = false;
    bool verbose = false;
    motcua::sim::AskContext ask;
    app.add_option("--config,-c", config_path, "Serve every simulated device of this config");
    app.add_option("--socket,-s", socket, "The simulator's control socket (default: beside the config, or MOTCUA_SIM_SOCKET)");
    app.add_flag("--pace", pace, "Pace Modbus replies to the configured baud rate (11 bits per character)");
    app.add_flag("--json", ask.json_output, "Print JSON");
    app.add_flag("--verbose,-v", verbose, "Debug logging");
    motcua::sim::add_printer_commands(app, ask);
    motcua::sim::add_modbus_commands(app, ask);
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        return app.exit(e);
    }
    ask.socket = socket.empty() ? default_socket(config_path) : socket;
    try
    {
        if (ask.action)
            return ask.action();
        if (config_path.empty())
        {
            std::cerr << app.help();
            return 2;
        }
        return serve(config_path, ask.socket, pace, verbose);
    }
    catch (const std::exception& e)
    {
        std::cerr << "motcua-sim: " << e.what() << "\n";
        return 2;
    }
}
