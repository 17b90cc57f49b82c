// motcuactl journal acknowledge: an administrator has seen a break of the journal's chain.

#include "ctl/cli.hpp"

namespace motcua::ctl
{

void add_journal_commands(CLI::App& app, Session& s)
{
    auto* journal = app.add_subcommand("journal", "The journal's hash chain");
    journal->require_subcommand(1);
    auto* ack = journal->add_subcommand(
        "acknowledge",
        "Record that an administrator has seen the break motcuad reports (after motcuactl verify)");
    on_run(
        ack, s, "journal.acknowledge", [] { return json::object(); },
        [](const json& r)
        {
            const auto& a = r["acknowledged"];
            std::string line = "Break at row " + std::to_string(a.value("first_bad_seq", 0)) +
                               " acknowledged (journal row " + std::to_string(r.value("seq", 0)) +
                               ")";
            const auto& j = r["journal"];
            if (!j.value("intact", true))
                line += "; the chain is also broken at row " +
                        std::to_string(j.value("first_bad_seq", 0)) + ": " + j.value("reason", "");
            return line;
        });
}

} // namespace motcua::ctl
