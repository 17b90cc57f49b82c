#pragma once

// Watches the journal's hash chain while motcuad runs (docs/journal.md, "Checked at
// start"): restores the append-only triggers, checks the chain from the last checkpoint at
// start (covering every row the queue replays), every few minutes and at a clean stop,
// and moves the checkpoint forward while the chain holds. A broken chain does not stop
// the office: it is logged at critical level, shown in STATUS=, in `status` and to
// control clients watching "journal", until an administrator acknowledges it
// (`motcuactl journal acknowledge`), which is journaled as its own row.

#include "command/actor.hpp"
#include "control/protocol.hpp"
#include "store/checkpoint.hpp"
#include "util/result.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <string>

namespace motcua::app
{

class Application;

class JournalGuard
{
  public:
    static constexpr std::chrono::minutes check_period{10};

    explicit JournalGuard(Application& app);

    // At start, before the queue is replayed. A failing database is an Error (the daemon
    // stops); a broken chain is a state.
    Result<void> start();
    // A clean stop: a last check, and the checkpoint moves to the end when it holds.
    void stop();

    bool intact() const { return check_.intact; }
    // {"intact": true|false, "first_bad_seq": N|null, "reason": "…" when broken}
    control::json status_json() const;
    // "" while intact; else a short warning for STATUS=.
    std::string status_part() const;

    // journal.acknowledge: records the break as seen (a "journal.acknowledged" row naming
    // it), checks again and clears the alarm when nothing else is broken.
    Result<control::json> acknowledge(const command::Actor& actor);

  private:
    Result<void> restore_triggers();
    Result<void> run_check(const char* when);
    void schedule();
    void periodic_check();

    Application& app_;
    store::Checkpoints checkpoints_;
    store::JournalCheck check_;
    boost::asio::steady_timer timer_;
    bool started_ = false;
    bool stopped_ = false;
};

// Registers journal.acknowledge (administrators only) on the command registry.
void register_journal_commands(Application& app, JournalGuard& guard);

} // namespace motcua::app
