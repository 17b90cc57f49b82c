// Read commands the desk console needs that no other command answers: the procedure
// catalogue, searched as the clerk types (procedure.search). The matching itself is the
// pure core's (dossier/catalogue_search.hpp); docs/control-protocol.md lists the command.

#include "app/application.hpp"
#include "dossier/catalogue_search.hpp"

namespace motcua::app
{

namespace
{
using command::Access;
using command::Call;
using control::json;

constexpr std::int64_t default_matches = 20;
constexpr std::int64_t max_matches = 500;

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
} // namespace

void register_console_commands(Application& app)
{
    app.commands().add("procedure.search", Access::desk,
                       command::sync([&app](Call& call) { return procedure_search(app, call); }));
}

} // namespace motcua::app
