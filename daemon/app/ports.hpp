#pragma once

// The narrow ports of the application's modules. Devices, Printing and the register
// commands get what they use — a read-only view of the queue, a committer, the event
// publisher, the command registry, the io_context, the start-up steps and the store's
// gateways — instead of the whole Application. Application implements every port
// (application.hpp); tests/unit/app builds Devices against fakes of them.

#include "command/actor.hpp"
#include "command/registry.hpp"
#include "config/model.hpp"
#include "control/protocol.hpp"
#include "queue/engine.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "store/tickets.hpp"
#include "util/result.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace motcua::app
{

// The queue as it is now and the running config, read-only. A reload (SIGHUP) replaces the
// config: a coroutine that needs it across a suspension copies what it uses or holds
// shared_config().
class QueueView
{
  public:
    virtual const config::Config& config() const = 0;
    virtual std::shared_ptr<const config::Config> shared_config() const = 0;
    virtual const queue::Engine& engine() const = 0;

    // The JSON of a ticket, as every command answers it (application.cpp).
    control::json ticket_json(const queue::Ticket& t) const;
    // The answer to `issue` (at a desk or a kiosk): ticket_json, the people waiting before
    // it, its service's name and, with [web], its phone link "status_url". The link opens
    // the ticket's page and rating: only who issued the ticket gets it (never in status).
    control::json issued_ticket_json(const queue::Ticket& t) const;
    // The ticket's phone link; none without the web face.
    virtual std::string status_url(const queue::Ticket&) const { return {}; }

  protected:
    ~QueueView() = default;
};

// Writes journal rows in one transaction (journal + projections, synchronous=FULL) and
// applies what they change; every row names its actor (payload field "actor").
class Committer
{
  public:
    using Decide = std::function<Result<queue::Event>(const queue::Engine&, const Now&)>;
    using Also = std::function<Result<void>()>;

    // Decides a queue event with `decide`, commits it, applies it to the engine, then tells
    // the queue-event listeners. A new business day is committed first when the clock has
    // passed the cut-off. `extra_rows` (e.g. the "device.key" row of the key press that
    // caused it) commit in the same transaction.
    Result<queue::Event> commit(const command::Actor& actor, const Decide& decide,
                                std::vector<store::JournalRow> extra_rows = {})
    {
        return commit_event(actor, decide, std::move(extra_rows));
    }
    // Commits other modules' journal rows (dossiers, ratings, print outcomes) with `also`, a
    // body writing their own tables, in the same transaction. The rows get seq and hash.
    Result<void> commit_rows(const command::Actor& actor, std::vector<store::JournalRow>& rows,
                             const Also& also = {})
    {
        return commit_journal_rows(actor.label(), rows, also);
    }
    // The same for a command that outlives its Call (an import across suspensions): the
    // actor by its label.
    Result<void> commit_rows(const std::string& actor_label, std::vector<store::JournalRow>& rows,
                             const Also& also = {})
    {
        return commit_journal_rows(actor_label, rows, also);
    }

  protected:
    ~Committer() = default;
    virtual Result<queue::Event> commit_event(const command::Actor& actor, const Decide& decide,
                                              std::vector<store::JournalRow> extra_rows) = 0;
    virtual Result<void> commit_journal_rows(const std::string& actor_label, std::vector<store::JournalRow>& rows,
                                             const Also& also) = 0;
};

// Who hears what happened.
class Events
{
  public:
    // Called after every committed queue event, in commit order (displays, keypads, voice…).
    virtual void on_queue_event(std::function<void(const queue::Event&)> listener) = 0;
    // Called after a reload (SIGHUP) applied a new config.
    virtual void on_reload(std::function<void()> listener) = 0;
    // Sends an event to the watchers of `topic` ("keys", "devices", "journal"…).
    virtual void publish(const std::string& topic, const control::json& event) = 0;

  protected:
    ~Events() = default;
};

// What READY=1 waits for: the first attempt at every device. A module takes a step before it
// starts the device and calls the returned function (once or more) when the attempt is
// over, whatever its outcome.
class StartupSteps
{
  public:
    virtual std::function<void()> startup_step(std::string what) = 0;

  protected:
    ~StartupSteps() = default;
};

// The store's gateways (daemon/store): typed reads at any time; writes only inside a
// Committer's transaction (the `also` body of commit_rows).
struct Store
{
    store::Database& db;
    store::Journal& journal;
    store::Tickets& tickets;
};

// Everything a module of the application may use.
struct Ports
{
    boost::asio::io_context& io;
    const QueueView& queue;
    Committer& committer;
    Events& events;
    command::Registry& commands;
    StartupSteps& startup;
    Store store;
};

} // namespace motcua::app
