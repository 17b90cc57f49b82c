// motcuad: the composition root. Reads arguments and the config, builds the application,
// runs the io_context, maps the outcome to an exit code. Nothing else lives here.

#include "app/application.hpp"
#include "config/load.hpp"
#include "service/exit_codes.hpp"
#include "service/instance_lock.hpp"
#include "service/notifier.hpp"
#include "service/watchdog.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"
#include "util/log.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
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

// A database or journal that motcuad cannot run on: says what is wrong and what to do, in
// the log and in STATUS=, and exits with a status that systemd does not restart blindly
// (RestartPreventExitStatus= in motcuad.service).
int stop_on(const motcua::Error& e, const std::string& database, motcua::service::Notifier& notifier)
{
    namespace svc = motcua::service;
    namespace store = motcua::store;
    const auto dir = std::filesystem::path(database).parent_path().string();
    if (e.code == store::database_damaged_code || e.code == "journal_corrupt")
    {
        spdlog::critical("The database is damaged; motcuad stops database={} error=\"{}\" what_to_do=\"keep the damaged "
                         "file, restore the last backup as docs/operations.md says (Restoring a backup), then "
                         "systemctl start motcuad\"",
                         database, e.message);
        notifier.status("Stopped: the database " + database +
                        " is damaged; restore the last backup (journalctl -u motcuad says how)");
        return svc::exit_database_damaged;
    }
    if (e.code == store::database_newer_code)
    {
        spdlog::critical("The database is newer than this motcuad; motcuad stops database={} error=\"{}\"", database,
                         e.message);
        notifier.status("Stopped: the database " + database + " is newer than this motcuad (journalctl -u motcuad)");
        return svc::exit_database_damaged;
    }
    if (e.code == store::database_disk_code)
    {
        spdlog::critical("The disk of the database is full or failing; motcuad stops database={} error=\"{}\" "
                         "what_to_do=\"free space (df -h {}) or check the disk (dmesg), then systemctl start motcuad; "
                         "if the database is damaged after that, restore the last backup (docs/operations.md)\"",
                         database, e.message, dir);
        notifier.status("Stopped: the disk of " + database + " is full or failing; free space or check the disk " +
                        "(journalctl -u motcuad)");
        return svc::exit_disk_error;
    }
    spdlog::error("Cannot start error={} message=\"{}\"", e.code, e.message);
    notifier.status("Stopped: " + e.message);
    return svc::exit_start_failed;
}

struct Options
{
    std::string config_path;
    motcua::app::Paths paths;
};

int serve(const Options& opt, motcua::config::Config cfg, motcua::service::Notifier& notifier);

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
    std::string test_clock;
    bool verbose = false;
    cli.add_option("--config,-c", config_path, "Configuration file")->capture_default_str();
    cli.add_option("--check-config", check_path, "Validate a configuration file, print every error, exit 0 or 78");
    cli.add_option("--state-dir", state_dir, "Directory for the database (overrides the config)");
    cli.add_option("--socket", socket, "Control socket path (overrides the config)");
    cli.add_flag("--verbose,-v", verbose, "Debug logging");
    // Tests only (util/clock.hpp); hidden from --help.
    cli.add_option("--test-clock", test_clock, "File holding seconds added to the wall clock")->group("");
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

    if (!test_clock.empty())
    {
        motcua::use_test_clock(test_clock);
        spdlog::warn("Test clock in use: the wall clock is shifted by the seconds in file={}", test_clock);
    }

    auto notifier = motcua::service::Notifier::from_environment();
    Options opt{config_path, motcua::app::resolve_paths(*loaded.config, state_dir, socket)};
    // One motcuad per state directory, checked before the database or the socket is touched.
    const auto state = std::filesystem::path(opt.paths.database).parent_path();
    std::error_code ec;
    if (!state.empty())
        std::filesystem::create_directories(state, ec);
    auto lock = motcua::service::InstanceLock::acquire(state.empty() ? "." : state.string());
    if (!lock)
    {
        spdlog::error("Not started error={} message=\"{}\"", lock.error().code, lock.error().message);
        if (lock.error().code == "already_running")
            return motcua::service::exit_already_running;
        return stop_on(lock.error(), opt.paths.database, notifier);
    }
    // Nothing SQLite (or anything else) throws ends as std::terminate: it is named, STATUS=
    // says it, and the exit status tells systemd whether a restart can help.
    try
    {
        return serve(opt, std::move(*loaded.config), notifier);
    }
    catch (const motcua::store::DatabaseFault& fault)
    {
        return stop_on(fault.error(), opt.paths.database, notifier);
    }
    catch (const std::exception& e)
    {
        spdlog::critical("motcuad stops on an unexpected error error=\"{}\"", e.what());
        notifier.status(std::string("Stopped on an unexpected error: ") + e.what());
        return motcua::service::exit_internal_error;
    }
}

namespace
{

int serve(const Options& opt, motcua::config::Config cfg, motcua::service::Notifier& notifier)
{
    const auto& config_path = opt.config_path;
    const auto& paths = opt.paths;
    boost::asio::io_context io;
    motcua::service::WatchdogPinger watchdog(io, notifier);
    motcua::app::Application app(io, std::move(cfg), paths);
    if (auto r = app.start(); !r)
        return stop_on(r.error(), paths.database, notifier);

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

} // namespace
