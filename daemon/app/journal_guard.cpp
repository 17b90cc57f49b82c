#include "app/journal_guard.hpp"

#include "app/application.hpp"
#include "queue/event.hpp"
#include "store/schema.hpp"

#include <spdlog/spdlog.h>

namespace motcua::app
{

using control::json;

JournalGuard::JournalGuard(Application& app)
    : app_(app), checkpoints_(app.database()), timer_(app.io())
{
}

Result<void> JournalGuard::restore_triggers()
{
    auto restored = store::restore_journal_guards(app_.database());
    if (!restored)
        return restored.error();
    for (const auto& name : *restored)
        spdlog::critical(
            "Journal trigger was missing and is restored; someone changed the database trigger={}",
            name);
    return {};
}

Result<void> JournalGuard::start()
{
    if (auto r = restore_triggers(); !r)
        return r;
    const auto t0 = std::chrono::steady_clock::now();
    if (auto r = run_check("start"); !r)
        return r;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    spdlog::info("Journal checked from={} rows={} checkpoint={} intact={} ms={}", check_.from_seq,
                 check_.rows, check_.checkpoint_used ? "used" : "none", check_.intact, ms.count());
    started_ = true;
    schedule();
    return {};
}

void JournalGuard::stop()
{
    if (stopped_ || !started_)
        return;
    stopped_ = true;
    timer_.cancel();
    try
    {
        if (auto r = run_check("stop"); !r)
            spdlog::error("Journal check at stop failed error=\"{}\"", r.error().message);
    }
    catch (const std::exception& e) // also runs from ~Application: nothing may escape
    {
        spdlog::error("Journal check at stop failed error=\"{}\"", e.what());
    }
}

void JournalGuard::schedule()
{
    timer_.expires_after(check_period);
    timer_.async_wait(
        [this](const boost::system::error_code& ec)
        {
            if (!ec && !stopped_)
                periodic_check();
        });
}

void JournalGuard::periodic_check()
{
    auto r = restore_triggers();
    if (r)
        r = run_check("periodic");
    if (!r)
        spdlog::error("Journal check failed error=\"{}\"", r.error().message);
    schedule();
}

// Checks the chain; moves the checkpoint to the end while it holds; raises the alarm once
// per new break.
Result<void> JournalGuard::run_check(const char* when)
{
    // The rows the queue replays are always checked, whatever the checkpoint says.
    auto replay_from =
        app_.journal().last_seq_of_kind(queue::to_string(queue::EventKind::day_opened));
    if (!replay_from)
        return replay_from.error();
    auto check = checkpoints_.check(app_.journal(), replay_from->value_or(1));
    if (!check)
        return check.error();
    const bool new_break =
        !check->intact && (check_.intact || check_.first_bad_seq != check->first_bad_seq);
    check_ = std::move(*check);
    if (check_.intact)
        return checkpoints_.save(check_.end);
    if (new_break)
    {
        spdlog::critical(
            "Journal chain is BROKEN; the office keeps running, an administrator must look at it "
            "first_bad_seq={} reason=\"{}\" found_at={} what_to_do=\"motcuactl verify; compare "
            "with a "
            "backup (docs/operations.md); then motcuactl journal acknowledge\"",
            check_.first_bad_seq, check_.reason, when);
        app_.control().publish("journal",
                               {{"event", "journal.broken"}, {"journal", status_json()}});
    }
    return {};
}

json JournalGuard::status_json() const
{
    json j{{"intact", check_.intact},
           {"first_bad_seq", check_.intact ? json(nullptr) : json(check_.first_bad_seq)}};
    if (!check_.intact)
        j["reason"] = check_.reason;
    return j;
}

std::string JournalGuard::status_part() const
{
    if (check_.intact)
        return {};
    return "JOURNAL BROKEN at row " + std::to_string(check_.first_bad_seq) +
           " (motcuactl journal acknowledge)";
}

Result<json> JournalGuard::acknowledge(const command::Actor& actor)
{
    if (check_.intact)
        return make_error("journal_intact",
                          "The journal is intact; there is no break to acknowledge.");
    const auto acknowledged = check_;
    auto now = now_from_clocks();
    std::vector<store::JournalRow> rows(1);
    rows[0].kind = std::string(store::kind_journal_acknowledged);
    rows[0].wall = now.wall;
    rows[0].mono_ns = now.mono.count();
    rows[0].payload =
        json{{"first_bad_seq", acknowledged.first_bad_seq}, {"reason", acknowledged.reason}}.dump();
    if (auto r = app_.commit_rows(actor, rows); !r)
        return r.error();
    spdlog::warn("Journal break acknowledged seq={} first_bad_seq={} reason=\"{}\"", rows[0].seq,
                 acknowledged.first_bad_seq, acknowledged.reason);
    if (auto r = run_check("acknowledge"); !r)
        return r.error();
    app_.control().publish("journal",
                           {{"event", "journal.acknowledged"}, {"journal", status_json()}});
    return json{{"acknowledged",
                 {{"first_bad_seq", acknowledged.first_bad_seq}, {"reason", acknowledged.reason}}},
                {"seq", rows[0].seq},
                {"journal", status_json()}};
}

void register_journal_commands(Application& app, JournalGuard& guard)
{
    app.commands().add("journal.acknowledge", command::Access::admin,
                       command::sync([&guard](command::Call& call) { return guard.acknowledge(call.actor); }));
}

} // namespace motcua::app
