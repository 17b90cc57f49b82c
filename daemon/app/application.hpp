#pragma once

// The application: everything the daemon owns, on one io_context. It opens the store,
// rebuilds the queue from the journal, serves the control socket, and commits every
// queue event to the journal before the engine applies it and anyone is told.

#include "command/registry.hpp"
#include "config/model.hpp"
#include "control/server.hpp"
#include "phone/links.hpp"
#include "queue/engine.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "store/tickets.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace motcua::web
{
class Site;
}

namespace motcua::app
{

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

class Application
{
  public:
    Application(boost::asio::io_context& io, config::Config cfg, Paths paths);
    ~Application();

    // Opens the database, replays today's queue, listens on the control socket.
    Result<void> start();
    void stop();
    // Applies a new, already validated config without losing the queue.
    void reconfigure(config::Config cfg);

    // Decides a queue event with `decide`, commits it (journal + tickets, one transaction,
    // synchronous=FULL), applies it, then tells the listeners. A new business day is
    // committed first when the clock has passed the cut-off. `extra_rows` (e.g. the
    // "device.key" row of the key press that caused it) commit in the same transaction.
    // Every row names `actor` (payload field "actor").
    using Decide = std::function<Result<queue::Event>(const queue::Engine&, const Now&)>;
    Result<queue::Event> commit(const command::Actor& actor, const Decide& decide,
                                std::vector<store::JournalRow> extra_rows = {});
    // Commits other modules' journal rows (dossiers, ratings) with an extra body in the same
    // transaction. The rows get their seq, hash and actor.
    Result<void> commit_rows(const command::Actor& actor, std::vector<store::JournalRow>& rows,
                             const std::function<Result<void>()>& also = {});
    // The same for a command that outlives its Call (an import across suspensions): the
    // actor by its label.
    Result<void> commit_rows(const std::string& actor_label, std::vector<store::JournalRow>& rows,
                             const std::function<Result<void>()>& also = {});

    // Called after every committed queue event (displays, keypads, the web board…).
    void on_queue_event(std::function<void(const queue::Event&)> listener);

    const config::Config& config() const { return *cfg_; }
    const queue::Engine& engine() const { return engine_; }
    store::Database& database() { return *db_; }
    store::Journal& journal() { return *journal_; }
    store::Tickets& tickets() { return *tickets_; }
    control::Server& control() { return control_; }
    // Every command, whichever transport runs it (control socket, web, bus devices).
    command::Registry& commands() { return commands_; }
    boost::asio::io_context& io() { return io_; }
    const Paths& paths() const { return paths_; }

    // The JSON view of a ticket / the whole queue, shared by the control API and the CLI.
    control::json ticket_json(const queue::Ticket& t) const;
    // The answer to `issue` (at a desk or a kiosk): ticket_json, the people waiting before
    // it, its service's name and, with [web], its phone link "status_url". The link opens
    // the ticket's page and rating: only who issued the ticket gets it (never in status).
    control::json issued_ticket_json(const queue::Ticket& t) const;
    // The phone links of tickets (phone/links.hpp, made by the web face); null without [web].
    const phone::Links* phone_links() const;
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
    std::function<void()> startup_step(std::string what);
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
    // The web face: hall board and phone pages (null without [web], web/site.hpp).
    web::Site* web() { return web_.get(); }

  private:
    Result<void> replay();
    Result<void> start_devices();
    void stop_devices();
    void finish_startup_if_done();
    // Creates, starts, stops or reconfigures the web face as [web] says (one place).
    Result<void> apply_web_config();
    Result<void> commit_events(const command::Actor& actor, const std::vector<queue::Event>& events,
                               std::vector<store::JournalRow>* extra_rows = nullptr);

    boost::asio::io_context& io_;
    std::unique_ptr<config::Config> cfg_;
    std::vector<std::unique_ptr<config::Config>> retired_configs_; // see reconfigure()
    Paths paths_;
    queue::Engine engine_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<store::Journal> journal_;
    std::unique_ptr<store::Tickets> tickets_;
    std::unique_ptr<JournalGuard> journal_guard_;
    command::Registry commands_;
    control::Server control_;
    std::vector<std::function<void(const queue::Event&)>> listeners_;
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
    std::vector<std::unique_ptr<Printing>> retired_printing_; // see stop_devices()
    std::unique_ptr<Voice> voice_;
    std::unique_ptr<web::Site> web_;
    std::vector<std::unique_ptr<web::Site>> retired_web_; // see apply_web_config()
    bool web_listening_ = false; // the queue-event listener that feeds web_ is added once
    std::vector<std::string> startup_pending_;
    std::function<void()> started_;
};

// Registers the queue commands (issue, open, call, …, status, verify) on the control socket.
void register_queue_commands(Application& app);
// Registers the dossier register's commands (dossier.*, calendar.*, report, rate) and loads
// the working calendar (register_commands.cpp).
void register_register_commands(Application& app);
// Registers the printers' commands (reprint, print-test), their "devices" report and status
// part (printing_commands.cpp).
void register_printing_commands(Application& app);
// Registers the bus commands (bus.scan, bus.set_id, display.test), the buses' "devices"
// report and status part (device_commands.cpp).
void register_device_commands(Application& app);
// Registers voice.text, voice.clips, the announcer's "devices" report and status part
// (voice_commands.cpp).
void register_voice_commands(Application& app);

} // namespace motcua::app
