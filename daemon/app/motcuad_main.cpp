// motcuad: the composition root. Reads arguments and the config, builds the application,
// runs the io_context, maps the outcome to an exit code. Nothing else lives here.

#include "app/application.hpp"
#include "config/load.hpp"
#include "service/notifier.hpp"
#include "service/watchdog.hpp"
#include "util/log.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

namespace
{

int check_config(const std::string& path)
{
    auto loaded = motcua::config::load_file(path);
    if (!loaded.diags.ok())
    {
        std::cerr << loaded.diags.str();
        return motcua::config::exit_config_error;
    }
    std::cout << path << ": configuration is valid (" << loaded.config->services.size() << " services, "
              << loaded.config->counters.size() << " counters)\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App cli{"motcuad: queue tickets, counter displays and the dossier register of a one-stop office"};
    // systemd's ConfigurationDirectory= tells where /etc/motcua is.
    const char* config_dir = std::getenv("CONFIGURATION_DIRECTORY");
    std::string config_path = std::string(config_dir && *config_dir ? config_dir : "/etc/motcua") + "/motcua.toml";
    std::string check_path;
    std::string state_dir;
    std::string socket;
    bool verbose = false;
    cli.add_option("--config,-c", config_path, "Configuration file")->capture_default_str();
    cli.add_option("--check-config", check_path, "Validate a configuration file, print every error, exit 0 or 78");
    cli.add_option("--state-dir", state_dir, "Directory for the database (overrides the config)");
    cli.add_option("--socket", socket, "Control socket path (overrides the config)");
    cli.add_flag("--verbose,-v", verbose, "Debug logging");
    CLI11_PARSE(cli, argc, argv);

    if (!check_path.empty())
        return check_config(check_path);

    motcua::setup_logging(verbose);
    auto loaded = motcua::config::load_file(config_path);
    if (!loaded.diags.ok())
    {
        for (const auto& d : loaded.diags.list())
            spdlog::error("Configuration error {}", d.str());
        return motcua::config::exit_config_error;
    }

    boost::asio::io_context io;
    auto notifier = motcua::service::Notifier::from_environment();
    motcua::service::WatchdogPinger watchdog(io, notifier);
    auto paths = motcua::app::resolve_paths(*loaded.config, state_dir, socket);
    motcua::app::Application app(io, std::move(*loaded.config), paths);
    if (auto r = app.start(); !r)
    {
        spdlog::error("Cannot start error={} message=\"{}\"", r.error().code, r.error().message);
        return 1;
    }

    boost::asio::steady_timer stop_timer(io);
    boost::asio::steady_timer status_timer(io);
    boost::asio::steady_timer ready_timer(io);
    bool ready = false;
    boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec)
            return;
        // The loop is single-threaded: no transaction is half-done when this runs.
        spdlog::info("Stopping signal={}", signo);
        notifier.stopping();
        watchdog.stop();
        status_timer.cancel();
        ready_timer.cancel();
        app.stop();
        // Give devices a moment to show "----", then end even if one hangs.
        stop_timer.expires_after(std::chrono::milliseconds(500));
        stop_timer.async_wait([&](const boost::system::error_code&) { io.stop(); });
    });
    boost::asio::signal_set hup(io, SIGHUP);
    std::function<void()> wait_hup = [&] {
        hup.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec)
                return;
            notifier.reloading();
            auto fresh = motcua::config::load_file(config_path);
            if (!fresh.diags.ok())
            {
                for (const auto& d : fresh.diags.list())
                    spdlog::error("Reload rejected, keeping the running config error={}", d.str());
            }
            else
            {
                app.reconfigure(std::move(*fresh.config));
                spdlog::info("Configuration reloaded path={}", config_path);
            }
            notifier.status(app.status_line());
            if (ready)
                notifier.ready();
            wait_hup();
        });
    };
    wait_hup();

    // Keep `systemctl status` current: send STATUS= when the summary changes.
    std::string last_status;
    std::function<void()> refresh_status = [&] {
        status_timer.expires_after(std::chrono::seconds(5));
        status_timer.async_wait([&](const boost::system::error_code& ec) {
            if (ec)
                return;
            if (auto line = app.status_line(); line != last_status)
            {
                notifier.status(line);
                last_status = line;
            }
            refresh_status();
        });
    };
    // READY=1 once every device has been tried once: systemd's "started" then means the
    // devices' states are known, and absent hardware has been found absent, not waited for.
    const auto started_at = std::chrono::steady_clock::now();
    auto announce_ready = [&] {
        if (ready)
            return;
        ready = true;
        ready_timer.cancel();
        last_status = app.status_line();
        notifier.status(last_status);
        notifier.ready();
        watchdog.start();
        if (notifier.enabled())
            refresh_status();
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_at);
        spdlog::info("motcuad ready office=\"{}\" database={} devices_tried_ms={} status=\"{}\"", app.config().office.name,
                     paths.database, ms.count(), last_status);
    };
    // A device that hangs its first attempt must not keep the service from starting.
    ready_timer.expires_after(std::chrono::seconds(10));
    ready_timer.async_wait([&](const boost::system::error_code& ec) {
        if (ec || ready)
            return;
        spdlog::warn("Ready before every device was tried pending=\"{}\"", app.pending_startup_steps());
        announce_ready();
    });
    app.when_started(announce_ready);
    io.run();
    return 0;
}
