// Read commands the desk console needs that no other command answers: the procedure
// catalogue, searched as the clerk types (procedure.search), and a dossier's journal rows,
// its timeline (dossier.journal). The matching is the pure core's
// (dossier/catalogue_search.hpp), the query the store's (store/dossier_journal.hpp);
// docs/control-protocol.md lists the commands.

#include "app/application.hpp"
#include "dossier/catalogue_search.hpp"
#include "dossier/code.hpp"
#include "store/dossier_journal.hpp"

namespace motcua::app
{

namespace
{
using command::Access;
using command::Call;
using control::json;

constexpr std::int64_t default_matches = 20;
constexpr std::int64_t max_matches = 500;
constexpr std::int64_t default_rows = 200;
constexpr std::int64_t max_rows = 1000;

json optional_json(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }

json procedure_json(const config::Procedure& p)
{
    return {{"code", p.code},
            {"name", p.name},
            {"field", p.field},
            {"days", optional_json(p.days)},
            {"hours", optional_json(p.hours)},
            {"calendar_days", optional_json(p.calendar_days)},
            {"same_day", p.same_day},
            {"effective_from", p.effective_from ? json(format_date(*p.effective_from)) : json(nullptr)},
            {"deciding_agency", p.deciding_agency},
            {"documents", p.documents},
            {"fee", p.fee}};
}

// procedure.search: `query`? (code or words of the name, diacritics optional), `limit`?,
// `on`? (the day whose versions apply; default today). `now` is the office's local time,
// which a page passes on as calendar.due's `received`.
Result<json> procedure_search(const Application& app, const Call& call)
{
    const auto& cfg = app.config();
    const auto query = command::optional_string_arg(call.args, "query", 200);
    const auto limit = command::optional_int_arg(call.args, "limit", default_matches, 1, max_matches);
    const auto wall = now_from_clocks().wall;
    const auto now = to_local(wall, cfg.office.utc_offset);
    Date on = now.date;
    if (command::has_arg(call.args, "on"))
    {
        auto text = command::string_arg(call.args, "on", 10);
        auto d = parse_date(text);
        if (!d)
            throw command::BadArgument("argument \"on\" must be a date YYYY-MM-DD, not \"" + text + "\"");
        on = *d;
    }
    json found = json::array();
    for (const auto* p : dossier::search_procedures(cfg.reg, query, on, static_cast<std::size_t>(limit)))
        found.push_back(procedure_json(*p));
    return json{{"query", query},
                {"on", format_date(on)},
                {"now", format_local(wall, cfg.office.utc_offset).substr(0, 16)},
                {"count", found.size()},
                {"procedures", found}};
}
// A receipt row carries the whole register row: the timeline needs only what it says.
json row_details(const std::string& kind, const json& payload)
{
    if (!payload.is_object())
        return json::object();
    if (kind != "dossier.received" && kind != "dossier.imported")
        return payload;
    json j = json::object();
    for (const char* key : {"code", "procedure_code", "procedure_name", "received_at", "due_at", "documents"})
        if (payload.contains(key))
            j[key] = payload.at(key);
    return j;
}

// dossier.journal: `code`, `limit`? → the dossier's journal rows, oldest first.
Result<json> dossier_journal(Application& app, const Call& call)
{
    const auto& cfg = app.config();
    const auto code = command::string_arg(call.args, "code", 100);
    const auto limit = command::optional_int_arg(call.args, "limit", default_rows, 1, max_rows);
    WallTime since{};
    if (auto parsed = dossier::parse_code(code))
        since = from_local(parsed->date, TimeOfDay{0}, cfg.office.utc_offset) - std::chrono::days{1};
    auto rows = store::dossier_journal(app.ports().store.db, code, since, limit);
    if (!rows)
        return rows.error();
    json out = json::array();
    for (const auto& r : *rows)
    {
        auto payload = json::parse(r.payload, nullptr, false);
        out.push_back({{"seq", r.seq},
                       {"kind", r.kind},
                       {"at", format_local(r.wall, cfg.office.utc_offset)},
                       {"counter", r.counter},
                       {"officer", r.officer},
                       {"actor", r.actor},
                       {"details", row_details(r.kind, payload)}});
    }
    return json{{"code", code}, {"count", out.size()}, {"rows", out}};
}
} // namespace

void register_console_commands(Application& app)
{
    app.commands().add("procedure.search", Access::desk,
                       command::sync([&app](Call& call) { return procedure_search(app, call); }));
    app.commands().add("dossier.journal", Access::desk,
                       command::sync([&app](Call& call) { return dossier_journal(app, call); }));
}

} // namespace motcua::app
