#pragma once

// The application: everything the daemon owns, on one io_context. It opens the store,
// rebuilds the queue from the journal, serves the control socket, and commits every
// queue event to the journal before the engine applies it and anyone is told.

#include "app/ports.hpp"
#include "command/registry.hpp"
#include "config/model.hpp"
#include "control/server.hpp"
#include "phone/links.hpp"
#include "queue/engine.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "store/tickets.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace motcua::outbox
{
class Uploader;
}

namespace motcua::web
{
class Site;
struct ConsoleAccounts;
}

namespace motcua::app
{

class Accounts;
class Devices;
class JournalGuard;

struct Paths
{
    std::string database;       // SQLite file
    std::string control_socket; // Unix socket
};

// Where the database and the socket go: --state-dir and --socket win over the config;
// a relative path in the config is taken relative to the state (or runtime) directory.
Paths resolve_paths(const config::Config& cfg, const std::string& state_dir_override,
                    const std::string& socket_override);

class Printing;
class Voice;

// The composition root: it implements the ports (app/ports.hpp) its modules get.
class Application final : public QueueView, public Committer, public Events, public StartupSteps
{
  public:
    Application(boost::asio::io_context& io, config::Config cfg, Paths paths);
    ~Application();

    // Opens the database, replays today's queue, listens on the control socket.
    Result<void> start();
    void stop();
    // Applies a new, already validated config without losing the queue.
    void reconfigure(config::Config cfg);

    // Committing: commit() and commit_rows() (Committer, app/ports.hpp).

    // Events: called after every committed queue event (displays, keypads, the web board…).
    void on_queue_event(std::function<void(const queue::Event&)> listener) override;
    // Called after reconfigure() applied a new config.
    void on_reload(std::function<void()> listener) override;
    // To the control socket's watchers of `topic`.
    void publish(const std::string& topic, const control::json& event) override;

    const config::Config& config() const override { return *cfg_; }
    std::shared_ptr<const config::Config> shared_config() const override { return cfg_; }
    const queue::Engine& engine() const override { return engine_; }
    // What Devices, Printing and the register commands get (valid after start() opened the store).
    Ports ports();
    store::Database& database() { return *db_; }
    store::Journal& journal() { return *journal_; }
    store::Tickets& tickets() { return *tickets_; }
    control::Server& control() { return control_; }
    // Every command, whichever transport runs it (control socket, web, bus devices).
    command::Registry& commands() { return commands_; }
    boost::asio::io_context& io() { return io_; }
    const Paths& paths() const { return paths_; }

    // The JSON view of the whole queue, shared by the control API and the CLI (a ticket's:
    // QueueView::ticket_json).
    // The phone links of tickets (phone/links.hpp, made by the web face); null without [web].
    const phone::Links* phone_links() const;
    // The ticket's phone link for issue's answer (QueueView::issued_ticket_json).
    std::string status_url(const queue::Ticket& t) const override;
    control::json status_json() const;
    // One line for systemd's STATUS=: queue and device summary.
    std::string status_line() const;
    // Modules add their part of the status line (e.g. "devices 30/32 online").
    void add_status_part(std::function<std::string()> part);
    // Modules add their part of the control command "devices" ({"printers": [...],
    // "buses": [...]}): `key` names it, `part` builds it when asked.
    void add_device_report(std::string key, std::function<control::json()> part);
    // Start-up steps that READY=1 waits for: the first attempt at every device (a bus's
    // first contact with each of its devices, a printer's first status query). A module
    // takes a step before it starts the device and calls the returned function (once or
    // more) when the attempt is over, whatever its outcome.
    std::function<void()> startup_step(std::string what) override;
    // `done` runs once every step is over (at once when there are none).
    void when_started(std::function<void()> done);
    // The steps not over yet, e.g. "bus bus-2, printer kiosk-1".
    std::string pending_startup_steps() const;

    // The RS-485 buses and their devices (null before start()).
    Devices* devices() { return devices_.get(); }
    // The ticket printers and kiosks (null before start()).
    Printing* printing() { return printing_.get(); }
    // The announcer (null before start()).
    Voice* voice() { return voice_.get(); }
    // The desk console's accounts and sign-in (null before start()).
    Accounts* accounts() { return accounts_.get(); }
    // The web face: hall board and phone pages (null without [web], web/site.hpp).
    web::Site* web() { return web_.get(); }

  private:
    Result<queue::Event> commit_event(const command::Actor& actor, const Decide& decide,
                                      std::vector<store::JournalRow> extra_rows) override;
    Result<void> commit_journal_rows(const std::string& actor_label, std::vector<store::JournalRow>& rows,
                                     const Also& also) override;
    Result<void> replay();
    Result<void> start_devices();
    void finish_startup_if_done();
    // Starts, replaces or stops the upload to the province as [central] says (central_link.cpp).
    void apply_central_config();
    void register_central_commands();
    control::json central_status_json() const;
    // Creates, starts, stops or reconfigures the web face as [web] says (one place).
    Result<void> apply_web_config();
    // The desk console's use of the accounts (app/web_commands.cpp), and `web.cert`.
    web::ConsoleAccounts console_accounts();
    void register_web_commands();
    Result<void> commit_events(const command::Actor& actor, const std::vector<queue::Event>& events,
                               std::vector<store::JournalRow>* extra_rows = nullptr);

    boost::asio::io_context& io_;
    // Shared: a coroutine may hold the config it started with while a reload replaces it.
    std::shared_ptr<const config::Config> cfg_;
    Paths paths_;
    queue::Engine engine_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<store::Journal> journal_;
    std::unique_ptr<store::Tickets> tickets_;
    std::unique_ptr<JournalGuard> journal_guard_;
    command::Registry commands_;
    control::Server control_;
    std::vector<std::function<void(const queue::Event&)>> listeners_;
    std::vector<std::function<void()>> reload_listeners_;
    // The business day and the wall clock (application.cpp, next to replay()).
    static constexpr std::chrono::minutes clock_jump_threshold{1};
    Result<void> continue_numbering();
    void watch_clock_at_start(std::optional<WallTime> last_event);
    void watch_clock(const Now& now);
    Now clock_seen_{};
    std::vector<std::function<std::string()>> status_parts_;
    std::vector<std::pair<std::string, std::function<control::json()>>> device_reports_;
    std::unique_ptr<Devices> devices_;
    std::unique_ptr<Printing> printing_;
    std::unique_ptr<Voice> voice_;
    std::unique_ptr<Accounts> accounts_;
    std::unique_ptr<web::Site> web_;
    std::unique_ptr<outbox::Uploader> uploader_; // [central]; null without it
    std::vector<std::unique_ptr<web::Site>> retired_web_; // see apply_web_config()
    boost::asio::steady_timer retired_web_timer_{io_};
    void free_retired_web();
    bool web_listening_ = false; // the queue-event listener that feeds web_ is added once
    std::vector<std::string> startup_pending_;
    std::function<void()> started_;
};

// Registers the queue commands (issue, open, call, …, status, verify) on the control socket.
void register_queue_commands(Application& app);
// The `report` command's answers for each grouping of the period in `args` ({from, to}),
// the records read once; throws BadArgument for a bad period or grouping.
using ReportRunner = std::function<Result<std::vector<control::json>>(const control::json& args,
                                                                      const std::vector<std::string>& groupings)>;
// Registers the dossier register's commands (dossier.*, calendar.*, report, rate) and loads
// the working calendar (register_commands.cpp); returns the report's runner.
ReportRunner register_register_commands(Application& app);
// report.export: the report as an .xlsx workbook, CSV or SVG chart (report_commands.cpp).
void register_report_commands(Application& app, ReportRunner reports);
// dossier.form, dossier.print_form, dossier.book: the one-stop forms (form_commands.cpp).
void register_form_commands(Application& app);
// procedure.search and dossier.journal: the desk console's reads (console_commands.cpp).
void register_console_commands(Application& app);
// Registers the printers' commands (reprint, print-test), their "devices" report and status
// part (printing_commands.cpp).
void register_printing_commands(Application& app);
// Registers the bus commands (bus.scan, bus.set_id, display.test), the buses' "devices"
// report and status part (device_commands.cpp).
void register_device_commands(Application& app);
// Registers voice.text, voice.clips, the announcer's "devices" report and status part
// (voice_commands.cpp).
void register_voice_commands(Application& app);
// config.show and config.check, the technician's reads of the config (technician_commands.cpp).
void register_technician_commands(Application& app);

} // namespace motcua::app
