// Voice subcommands: `voice text` (what will be said for a number or a whole call) and
// `voice clips` (the clips the config needs, and what a pack lacks).

#include "ctl/cli.hpp"

#include <iostream>

namespace motcua::ctl
{

namespace
{

// Human lines for `voice clips`: the list, then the check's problems.
std::string clips_human(const json& r, bool& problems)
{
    std::string out;
    for (const auto& c : r["clips"])
        out += c.get<std::string>() + "\n";
    if (r.value("chime", false))
        out += "(chime)\n";
    out += std::to_string(r["clips"].size()) + " clips for dialect " + r.value("dialect", "") +
           (r.value("chime", false) ? " and a chime" : "");
    if (!r.contains("check"))
        return out;
    const auto& c = r["check"];
    out += "\nClip pack " + c.value("dir", "") + ": ";
    if (c.contains("error"))
    {
        problems = true;
        return out + c.value("error", "");
    }
    if (c.value("ok", false))
        return out + "complete (" + std::to_string(c.value("present", 0)) + " clips)";
    problems = true;
    out += std::to_string(c["problems"].size()) + " problems";
    for (const auto& p : c["problems"])
        out += "\n  " + p.value("clip", "") + "  " + p.value("file", "") + "  " + p.value("problem", "");
    return out;
}

} // namespace

void add_voice_commands(CLI::App& app, Session& s)
{
    auto* voice = app.add_subcommand("voice", "Check what the loudspeaker will say");
    voice->require_subcommand(1);
    {
        auto* sub = voice->add_subcommand("text", "Print the words for a number, or the whole announcement of a ticket");
        auto number = std::make_shared<long long>(-1);
        auto dialect = std::make_shared<std::string>();
        auto ticket = std::make_shared<std::string>();
        auto counter = std::make_shared<int>(0);
        auto recall = std::make_shared<bool>(false);
        auto* n = sub->add_option("NUMBER", *number, "A number 0..999999");
        sub->add_option("--dialect", *dialect, "north (linh, nghìn) or south (lẻ, ngàn)")
            ->check(CLI::IsMember({"north", "south"}));
        auto* t = sub->add_option("--ticket", *ticket, "A ticket label, e.g. TP-105: the whole announcement");
        auto* c = sub->add_option("--counter", *counter, "The counter that calls it (with --ticket)");
        auto* r = sub->add_flag("--recall", *recall, "The recall's announcement (with --ticket)");
        n->excludes(t);
        t->needs(c);
        c->needs(t);
        r->needs(t);
        sub->callback([sub, n, t, &s] {
            if (n->count() == 0 && t->count() == 0)
                throw CLI::ValidationError("voice text", "give a NUMBER or --ticket LABEL --counter N");
            (void)sub;
        });
        on_run(sub, s, "voice.text",
               [=] {
                   json a = json::object();
                   if (!ticket->empty())
                   {
                       a["ticket"] = *ticket;
                       a["counter"] = *counter;
                       a["kind"] = *recall ? "recall" : "call";
                   }
                   else
                       a["number"] = *number;
                   if (!dialect->empty())
                       a["dialect"] = *dialect;
                   return a;
               },
               [](const json& r) { return r.value("words", ""); });
    }
    {
        auto* sub = voice->add_subcommand("clips", "List every clip the config needs; --check DIR checks a clip pack");
        auto dir = std::make_shared<std::string>();
        sub->add_option("--check", *dir, "A clip pack folder to check (read by motcuad)");
        auto problems = std::make_shared<bool>(false);
        sub->callback([sub, dir, problems, &s] {
            (void)sub;
            s.action = [dir, problems, &s] {
                json a = json::object();
                if (!dir->empty())
                    a["check"] = *dir;
                int rc = s.run("voice.clips", a, [problems](const json& r) { return clips_human(r, *problems); });
                // A pack with problems fails the command, so a script can check it.
                return rc != 0 ? rc : (*problems ? 2 : 0);
            };
        });
    }
}

} // namespace motcua::ctl
