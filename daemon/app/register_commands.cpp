// The dossier register's control commands (dossier.*, calendar.*, report, rate). Each change
// of a dossier is written with its journal row in one transaction (Application::commit_rows)
// before the answer; reads go straight to the store. docs/control-protocol.md lists them.

#include "app/application.hpp"
#include "calendar/calendar.hpp"
#include "dossier/code.hpp"
#include "dossier/csv.hpp"
#include "dossier/import_export.hpp"
#include "dossier/report.hpp"
#include "dossier/timing.hpp"
#include "store/dossiers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

namespace motcua::app
{

namespace
{
using boost::asio::awaitable;
using control::json;
using dossier::Dossier;

constexpr std::size_t max_upload_bytes = 64 * 1024 * 1024;      // one import file
constexpr auto upload_idle_limit = std::chrono::minutes(10);     // an abandoned upload is dropped
constexpr std::size_t max_listed_errors = 50;                    // in one import error message
constexpr std::string_view desk_name = "Bộ phận Một cửa";


std::int64_t optional_int(const json& args, const char* key, std::int64_t fallback)
{
    return args.contains(key) && !args.at(key).is_null() ? control::int_arg(args, key) : fallback;
}

Date date_arg(const json& args, const char* key)
{
    auto text = control::string_arg(args, key);
    auto d = parse_date(text);
    if (!d)
        throw control::BadArgument(std::string("argument \"") + key + "\" must be a date YYYY-MM-DD, not \"" + text +
                                   "\"");
    return *d;
}

LocalDateTime local_time_arg(const json& args, const char* key)
{
    auto text = control::string_arg(args, key);
    auto t = parse_local_date_time(text);
    if (!t)
        throw control::BadArgument(std::string("argument \"") + key + "\" must be a local time \"YYYY-MM-DD HH:MM\", not \"" +
                                   text + "\"");
    return *t;
}

dossier::Period period_args(const json& args)
{
    dossier::Period p{date_arg(args, "from"), date_arg(args, "to")};
    if (std::chrono::sys_days{p.to} < std::chrono::sys_days{p.from})
        throw control::BadArgument("\"to\" is before \"from\"");
    return p;
}

bool finished(const Dossier& d) { return d.result_at || d.returned_at || d.closed_at; }

struct Upload
{
    std::string text;
    std::chrono::steady_clock::time_point touched;
};

// What the register commands share: the store view, the calendar, pending import uploads.
class Register
{
  public:
    explicit Register(Application& app)
        : app_(app), dossiers_(app.database(), app.journal()), calendar_(load_calendar(app.config()))
    {}

    static void add_commands(const std::shared_ptr<Register>& self);

  private:
    static Result<calendar::Calendar> load_calendar(const config::Config& cfg);
    Result<const calendar::Calendar*> cal() const;
    calendar::DueRules due_rules() const;
    dossier::TimingRules timing_rules() const;
    LocalDateTime local(WallTime t) const { return to_local(t, app_.config().office.utc_offset); }
    Result<LocalDateTime> due_for(const config::Procedure& p, LocalDateTime received) const;
    json dossier_json(const Dossier& d) const;

    Result<json> receive(const json& args);
    using Mutate = std::function<Result<json>(Dossier&, LocalDateTime now)>;
    Result<json> change(const json& args, std::string_view kind, std::string_view event, const Mutate& mutate);
    Result<json> show(const json& args);
    Result<json> list(const json& args);
    Result<json> export_register(const json& args);
    Result<json> import(const json& args);
    Result<json> import_text(std::string_view text);
    Result<json> calendar_due(const json& args);
    Result<json> calendar_workdays(const json& args);
    Result<json> report(const json& args);
    Result<json> rate(const json& args);

    // The actor of the command running now (set by add_commands for its synchronous body).
    const command::Actor& actor() const
    {
        static const auto system = command::Actor::system();
        return actor_ ? *actor_ : system;
    }

    Application& app_;
    const command::Actor* actor_ = nullptr;
    store::Dossiers dossiers_;
    Result<calendar::Calendar> calendar_;
    std::map<std::int64_t, Upload> uploads_;
    std::int64_t next_upload_ = 1;
};

Result<calendar::Calendar> Register::load_calendar(const config::Config& cfg)
{
    const auto& dir = cfg.reg.calendar_dir;
    if (dir.empty())
    {
        auto e = make_error("calendar_missing", "No working calendar directory was found: set [register] calendar_dir "
                                                "to a directory of YYYY.toml files.");
        spdlog::error("Working calendar not loaded error={}", e.message);
        return e;
    }
    auto c = calendar::load_directory(dir);
    if (!c)
    {
        spdlog::error("Working calendar not loaded dir={} error={}", dir, c.error().message);
        return c;
    }
    auto years = c->years();
    spdlog::info("Working calendar loaded dir={} first_year={} last_year={}", dir, years.front(), years.back());
    return c;
}

Result<const calendar::Calendar*> Register::cal() const
{
    if (!calendar_)
        return calendar_.error();
    return &calendar_.value();
}

calendar::DueRules Register::due_rules() const
{
    calendar::DueRules r;
    r.office_hours = app_.config().office.hours;
    if (r.office_hours.empty())
        r.office_hours = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}}, {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}};
    r.same_day_cutoff = app_.config().reg.same_day_cutoff;
    return r;
}

dossier::TimingRules Register::timing_rules() const
{
    return dossier::TimingRules{std::chrono::minutes(std::int64_t{app_.config().reg.early_margin_hours} * 60)};
}

Result<LocalDateTime> Register::due_for(const config::Procedure& p, LocalDateTime received) const
{
    auto c = cal();
    if (!c)
        return c.error();
    auto duration = p.hours ? calendar::Duration::hours(*p.hours) : calendar::Duration::days(p.days.value_or(0));
    return (*c)->due(received, duration, p.same_day, due_rules());
}

json Register::dossier_json(const Dossier& d) const
{
    auto j = json::parse(store::Dossiers::to_json(d));
    auto t = dossier::classify(d, local(now_from_clocks().wall), timing_rules());
    j["timing"] = {{"outcome", dossier::to_string(t.outcome)},
                   {"resolved", t.resolved},
                   {"paused_minutes", t.paused_minutes},
                   {"supplement_requests", t.supplement_requests}};
    if (d.due_at)
        j["due_form"] = dossier::format_form_time(*d.due_at);
    j["received_form"] = dossier::format_form_time(d.received_at);
    return j;
}

Result<json> Register::receive(const json& args)
{
    const auto& cfg = app_.config();
    auto now = now_from_clocks();
    auto at = local(now.wall);
    Dossier d;
    d.procedure_code = control::string_arg(args, "procedure");
    d.applicant.name = control::string_arg(args, "name");
    d.applicant.address = control::optional_string_arg(args, "address");
    d.applicant.phone = control::optional_string_arg(args, "phone");
    d.applicant.id_number = control::optional_string_arg(args, "id_number");
    d.applicant.email = control::optional_string_arg(args, "email");
    d.notes = control::optional_string_arg(args, "notes");
    if (d.applicant.name.empty())
        throw control::BadArgument("the applicant's name is empty");
    if (!d.applicant.phone.empty() && !dossier::valid_phone(d.applicant.phone))
        throw control::BadArgument("\"" + d.applicant.phone + "\" is not a phone number (8 to 15 digits)");
    if (!d.applicant.id_number.empty() && !dossier::valid_id_number(d.applicant.id_number))
        throw control::BadArgument("\"" + d.applicant.id_number + "\" is not an ID number (12 digits, or 9 for a CMND)");
    auto channel = dossier::channel_from(std::to_string(optional_int(args, "channel", 1)));
    if (!channel)
        throw control::BadArgument("argument \"channel\" must be 1 (direct), 2 (online) or 3 (postal)");
    d.channel = *channel;
    if (auto text = control::optional_string_arg(args, "delivery"); !text.empty())
    {
        auto dl = dossier::delivery_from(text);
        if (!dl)
            throw control::BadArgument("argument \"delivery\" must be desk, post or online");
        d.delivery = *dl;
    }
    d.waybill = control::optional_string_arg(args, "waybill");
    if (!d.waybill.empty() && d.delivery != dossier::Delivery::post)
        throw control::BadArgument("a waybill is given but the delivery is not post");
    auto sets = optional_int(args, "sets", 1);
    if (sets < 1 || sets > 99)
        throw control::BadArgument("argument \"sets\" must be 1..99");
    d.sets = static_cast<int>(sets);

    const auto* proc = cfg.reg.procedure(d.procedure_code, at.date);
    if (!proc)
        return make_error("unknown_procedure", "Procedure " + d.procedure_code + " is not in the catalogue on " +
                                                   format_date(at.date) + ".");
    d.procedure_name = proc->name;
    d.field = proc->field;
    d.deciding_agency = proc->deciding_agency;
    d.processing_days = proc->days;
    d.processing_hours = proc->hours;
    d.same_day = proc->same_day;
    d.receiving_unit = cfg.office.name;
    d.received_at = at;
    if (d.channel != dossier::Channel::direct)
        d.submitted_at = at;

    store::Stamp stamp{now.wall, now.mono.count(), 0, {}};
    if (args.contains("counter") && !args.at("counter").is_null())
    {
        auto number = control::int_arg(args, "counter");
        const auto* c = app_.engine().counter(static_cast<int>(number));
        if (!c)
            return make_error("unknown_counter", "There is no counter " + std::to_string(number) + ".");
        if (c->state == queue::CounterState::closed)
            return make_error("counter_closed", "Counter " + std::to_string(number) + " is closed: open it first.");
        d.counter = c->number;
        d.officer = c->officer;
        if (c->ticket)
            d.ticket_id = c->ticket;
        if (const auto* t = app_.engine().ticket(c->ticket); t && c->ticket)
            d.service = t->service;
    }
    else if (args.contains("ticket") && !args.at("ticket").is_null())
    {
        auto id = control::int_arg(args, "ticket");
        auto row = app_.tickets().find(id);
        if (!row)
            return row.error();
        if (!*row)
            return make_error("unknown_ticket", "There is no ticket #" + std::to_string(id) + ".");
        d.ticket_id = id;
        d.counter = (*row)->counter;
        d.officer = (*row)->officer;
        d.service = (*row)->service;
    }
    stamp.counter = d.counter;
    stamp.officer = d.officer;

    auto due = due_for(*proc, at);
    if (!due)
        return due.error();
    d.due_at = *due;

    std::optional<Dossier> saved;
    std::vector<store::JournalRow> none;
    auto r = app_.commit_rows(actor(), none, [&]() -> Result<void> {
        auto s = dossiers_.receive(d, cfg.office.unit_code, stamp);
        if (!s)
            return s.error();
        saved = std::move(s.value());
        return {};
    });
    if (!r)
        return r.error();
    spdlog::info("Dossier received code={} procedure={} counter={} ticket={}", saved->code, saved->procedure_code,
                 saved->counter, saved->ticket_id.value_or(0));
    auto j = dossier_json(*saved);
    j["event"] = "received";
    return j;
}

Result<json> Register::change(const json& args, std::string_view kind, std::string_view event, const Mutate& mutate)
{
    auto code = control::string_arg(args, "code");
    auto found = dossiers_.find(code);
    if (!found)
        return found.error();
    if (!*found)
        return make_error("unknown_dossier", "There is no dossier " + code + " in the register.");
    auto d = std::move(**found);
    auto now = now_from_clocks();
    auto extra = mutate(d, local(now.wall));
    if (!extra)
        return extra.error();
    json payload = extra.value();
    payload["code"] = d.code;
    payload["status"] = static_cast<int>(d.status);
    store::Stamp stamp{now.wall, now.mono.count(), 0, {}};
    std::vector<store::JournalRow> none;
    auto r = app_.commit_rows(actor(), none, [&] { return dossiers_.change(d, kind, payload.dump(), stamp); });
    if (!r)
        return r.error();
    auto j = dossier_json(d);
    j["event"] = event;
    return j;
}

Result<json> Register::show(const json& args)
{
    auto code = control::string_arg(args, "code");
    auto found = dossiers_.find(code);
    if (!found)
        return found.error();
    if (!*found)
        return make_error("unknown_dossier", "There is no dossier " + code + " in the register.");
    return dossier_json(**found);
}

Result<json> Register::list(const json& args)
{
    auto p = period_args(args);
    auto list = dossiers_.received_between(p.from, p.to);
    if (!list)
        return list.error();
    json out = json::array();
    for (const auto& d : *list)
        out.push_back(dossier_json(d));
    return json{{"from", format_date(p.from)}, {"to", format_date(p.to)}, {"count", list->size()}, {"dossiers", out}};
}

Result<json> Register::export_register(const json& args)
{
    auto p = period_args(args);
    auto format = control::optional_string_arg(args, "format");
    if (format.empty())
        format = "csv";
    if (format != "csv" && format != "json")
        throw control::BadArgument("argument \"format\" must be csv or json");
    auto list = dossiers_.received_between(p.from, p.to);
    if (!list)
        return list.error();
    json j{{"from", format_date(p.from)}, {"to", format_date(p.to)}, {"count", list->size()}, {"format", format}};
    if (format == "csv")
        j["text"] = dossier::format_register_csv(*list);
    else
    {
        json rows = json::array();
        for (const auto& d : *list)
            rows.push_back(json::parse(store::Dossiers::to_json(d)));
        j["dossiers"] = rows;
    }
    return j;
}

Result<json> Register::import(const json& args)
{
    if (args.contains("text"))
        return import_text(command::bulk_arg(args, "text", max_upload_bytes));
    // Files larger than one request arrive in chunks: {"chunk", "more": true} starts an
    // upload and answers its id; later chunks name it; the last one ("more": false) imports.
    auto steady = std::chrono::steady_clock::now();
    std::erase_if(uploads_, [&](const auto& u) { return steady - u.second.touched > upload_idle_limit; });
    auto chunk = command::bulk_arg(args, "chunk", max_upload_bytes);
    bool more = args.contains("more") && args.at("more").is_boolean() && args.at("more").get<bool>();
    std::int64_t id = optional_int(args, "upload", 0);
    if (id == 0)
        id = next_upload_++;
    else if (!uploads_.contains(id))
        return make_error("unknown_upload", "Import upload " + std::to_string(id) + " is unknown or was dropped after " +
                                                "10 minutes without a chunk; send the file again.");
    auto& u = uploads_[id];
    if (u.text.size() + chunk.size() > max_upload_bytes)
    {
        uploads_.erase(id);
        return make_error("import_too_large", "The import file is larger than 64 MiB; split it.");
    }
    u.text += chunk;
    u.touched = steady;
    if (more)
        return json{{"upload", id}, {"bytes", u.text.size()}};
    auto text = std::move(u.text);
    uploads_.erase(id);
    return import_text(text);
}

Result<json> Register::import_text(std::string_view text)
{
    const auto& cfg = app_.config();
    std::vector<dossier::ImportError> errors;
    auto records = dossier::csv::parse(text);
    if (!records)
        return make_error("import_invalid", "Nothing was imported: " + records.error().message);

    // Lifecycle columns for dossiers handled elsewhere (a past year): taken out here, the
    // rest goes to dossier::parse_import. Blank lines keep every record on its line.
    static const std::vector<std::string> lifecycle = {"transferred_at", "result_at", "returned_at"};
    std::map<std::string, std::size_t> extra;
    std::string rest;
    std::string_view parse_text = text;
    if (!records->empty())
    {
        const auto& header = records->front().fields;
        for (std::size_t i = 0; i < header.size(); ++i)
        {
            std::string name = header[i];
            name.erase(0, name.find_first_not_of(" \t"));
            name.erase(name.find_last_not_of(" \t") + 1);
            if (std::find(lifecycle.begin(), lifecycle.end(), name) != lifecycle.end())
                extra[name] = i;
        }
    }
    if (!extra.empty())
    {
        int line = 1;
        for (const auto& rec : *records)
        {
            for (; line < rec.line; ++line)
                rest += "\r\n";
            std::vector<std::string> kept;
            for (std::size_t i = 0; i < rec.fields.size(); ++i)
            {
                bool drop = false;
                for (const auto& [name, col] : extra)
                    drop = drop || col == i;
                if (!drop)
                    kept.push_back(rec.fields[i]);
            }
            rest += dossier::csv::record(kept);
            line += 1;
            for (const auto& f : kept)
                line += static_cast<int>(std::count(f.begin(), f.end(), '\n'));
        }
        parse_text = rest;
    }
    auto parsed = dossier::parse_import(parse_text, &cfg.reg);
    errors = parsed.errors;

    // The lifecycle times of every record, checked whether or not the rest parsed.
    std::vector<std::map<std::string, LocalDateTime>> times(records->size());
    for (std::size_t r = 1; r < records->size(); ++r)
    {
        const auto& rec = (*records)[r];
        for (const auto& [name, col] : extra)
        {
            if (col >= rec.fields.size())
                continue; // parse_import reports the short record
            std::string v = rec.fields[col];
            v.erase(0, v.find_first_not_of(" \t"));
            v.erase(v.find_last_not_of(" \t") + 1);
            if (v.empty())
                continue;
            if (auto t = parse_local_date_time(v))
                times[r][name] = *t;
            else
                errors.push_back({rec.line, name, "\"" + v + "\" is not a time YYYY-MM-DD HH:MM"});
        }
    }
    std::vector<int> lines;
    if (parsed.ok())
    {
        for (std::size_t i = 0; i < parsed.dossiers.size(); ++i)
        {
            auto& d = parsed.dossiers[i];
            const auto& rec = (*records)[i + 1];
            lines.push_back(rec.line);
            for (const auto& [name, t] : times[i + 1])
            {
                if (dossier::to_minutes(t) < dossier::to_minutes(d.received_at))
                {
                    errors.push_back({rec.line, name, "the time is before the receipt time"});
                    continue;
                }
                if (name == "transferred_at")
                    d.transferred_at = t;
                else if (name == "result_at")
                    d.result_at = t;
                else
                    d.returned_at = t;
            }
            if (d.status == dossier::Status::received)
            {
                if (d.returned_at)
                    d.status = dossier::Status::returned;
                else if (d.result_at)
                    d.status = dossier::Status::decided;
                else if (d.transferred_at)
                    d.status = dossier::Status::processing;
            }
            if (d.transferred_at && !d.deciding_agency.empty())
                d.handoffs.push_back(dossier::Handoff{std::string(desk_name), d.deciding_agency, *d.transferred_at,
                                                      std::nullopt, std::nullopt, {}});
            if (!d.due_at)
            {
                const auto* p = cfg.reg.procedure(d.procedure_code, d.received_at.date);
                auto due = p ? due_for(*p, d.received_at) : Result<LocalDateTime>(make_error("unknown_procedure", "?"));
                if (!due)
                    errors.push_back({rec.line, "received_at", "cannot compute the due time: " + due.error().message});
                else
                    d.due_at = *due;
            }
            if (d.receiving_unit.empty())
                d.receiving_unit = cfg.office.name;
        }
    }
    if (!errors.empty())
    {
        std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
        std::string msg = "Nothing was imported; the file has " + std::to_string(errors.size()) +
                          (errors.size() == 1 ? " error:" : " errors:");
        for (std::size_t i = 0; i < errors.size() && i < max_listed_errors; ++i)
            msg += "\n" + errors[i].str();
        if (errors.size() > max_listed_errors)
            msg += "\n… and " + std::to_string(errors.size() - max_listed_errors) + " more";
        return make_error("import_invalid", msg);
    }

    auto now = now_from_clocks();
    store::Stamp stamp{now.wall, now.mono.count(), 0, {}};
    std::vector<store::JournalRow> none;
    int imported = 0;
    auto r = app_.commit_rows(actor(), none, [&]() -> Result<void> {
        auto n = dossiers_.import(parsed.dossiers, cfg.office.unit_code, stamp, lines);
        if (!n)
            return n.error();
        imported = *n;
        return {};
    });
    if (!r)
        return make_error(r.error().code, "Nothing was imported: " + r.error().message);
    spdlog::info("Dossiers imported count={}", imported);
    json j{{"imported", imported}};
    if (!parsed.dossiers.empty())
    {
        j["first_code"] = parsed.dossiers.front().code;
        j["last_code"] = parsed.dossiers.back().code;
    }
    return j;
}

Result<json> Register::calendar_due(const json& args)
{
    auto received = local_time_arg(args, "received");
    auto days = optional_int(args, "days", 0);
    auto hours = optional_int(args, "hours", 0);
    bool same_day = args.contains("same_day") && args.at("same_day").is_boolean() && args.at("same_day").get<bool>();
    if ((days > 0) == (hours > 0) && !(same_day && days == 0 && hours == 0))
        throw control::BadArgument("give one of \"days\" or \"hours\" (a positive number), or \"same_day\": true");
    auto c = cal();
    if (!c)
        return c.error();
    auto duration = hours > 0 ? calendar::Duration::hours(static_cast<int>(hours))
                              : calendar::Duration::days(static_cast<int>(days));
    auto due = (*c)->due(received, duration, same_day, due_rules());
    if (!due)
        return due.error();
    return json{{"received", dossier::format_local_minute(received)},
                {"days", days ? json(days) : json(nullptr)},
                {"hours", hours ? json(hours) : json(nullptr)},
                {"same_day", same_day},
                {"due", dossier::format_local_minute(*due)},
                {"due_form", dossier::format_form_time(*due)}};
}

Result<json> Register::calendar_workdays(const json& args)
{
    auto p = period_args(args);
    auto c = cal();
    if (!c)
        return c.error();
    auto n = (*c)->workdays_between(p.from, p.to);
    if (!n)
        return n.error();
    json special = json::array();
    for (auto d = std::chrono::sys_days{p.from}; d <= std::chrono::sys_days{p.to}; d += std::chrono::days{1})
        if (const auto* e = (*c)->entry(Date{d}))
            special.push_back({{"date", format_date(e->date)},
                               {"kind", calendar::to_string(e->kind)},
                               {"name", e->name},
                               {"provisional", e->provisional}});
    return json{{"from", format_date(p.from)}, {"to", format_date(p.to)}, {"workdays", *n}, {"special_days", special}};
}

json counts_json(const dossier::DossierCounts& c)
{
    return {{"received_total", c.handled()},
            {"received", c.received},
            {"received_online", c.received_online},
            {"received_direct_postal", c.received_direct_postal},
            {"carried_over", c.carried_over},
            {"resolved", c.resolved},
            {"early", c.early},
            {"on_time", c.on_time},
            {"late", c.late},
            {"in_progress", c.in_progress},
            {"within_due", c.within_due},
            {"over_due", c.over_due},
            {"online_share", c.online_share()},
            {"on_time_rate", c.on_time_rate()},
            {"qd766_rate", c.qd766_rate()}};
}

json stats_json(const dossier::DurationStats& s)
{
    return {{"count", s.count}, {"mean_s", s.mean.count() / 1000.0}, {"p90_s", s.p90.count() / 1000.0}};
}

json counts_json(const dossier::QueueCounts& c)
{
    return {{"issued", c.issued}, {"served", c.served}, {"no_show", c.no_show}, {"wait", stats_json(c.wait)},
            {"service", stats_json(c.service)}};
}

json counts_json(const dossier::SatisfactionCounts& c)
{
    return {{"votes", c.votes},
            {"very_satisfied", c.very_satisfied},
            {"satisfied", c.satisfied},
            {"dissatisfied", c.dissatisfied},
            {"satisfied_share", c.satisfied_share()}};
}

template <class Report>
json report_json(const Report& r)
{
    json rows = json::array();
    for (const auto& row : r.rows)
    {
        auto j = counts_json(row.counts);
        j["key"] = row.key;
        rows.push_back(j);
    }
    return {{"total", counts_json(r.total)}, {"rows", rows}};
}

Result<json> Register::report(const json& args)
{
    const auto& cfg = app_.config();
    auto p = period_args(args);
    auto by_text = control::optional_string_arg(args, "by");
    auto by = by_text.empty() ? std::optional(dossier::GroupBy::none) : dossier::group_by_from(by_text);
    if (!by)
        throw control::BadArgument("argument \"by\" must be field, procedure, officer, counter or service");
    const auto tz = cfg.office.utc_offset;
    auto from = from_local(p.from, TimeOfDay{0}, tz);
    auto to = from_local(p.end().date, TimeOfDay{0}, tz);

    auto tickets = store::report_tickets(app_.database(), from, to);
    if (!tickets)
        return tickets.error();
    std::map<std::string, std::string, std::less<>> field_of;
    for (const auto& s : cfg.services)
        field_of[s.id] = s.field.empty() ? s.name : s.field;
    for (auto& t : *tickets)
        if (auto it = field_of.find(t.service); it != field_of.end())
            t.field = it->second;
    auto queue = dossier::queue_report(*tickets, from, to, *by);

    auto dossiers = dossiers_.for_report(p);
    if (!dossiers)
        return dossiers.error();
    auto register_report = dossier::dossier_report(*dossiers, p, *by, timing_rules());

    auto ratings = store::report_ratings(app_.database(), from, to);
    if (!ratings)
        return ratings.error();
    auto satisfaction = dossier::satisfaction_report(*ratings, from, to, *by);

    return json{{"from", format_date(p.from)},
                {"to", format_date(p.to)},
                {"by", dossier::to_string(*by)},
                {"office", cfg.office.name},
                {"queue", report_json(queue)},
                {"dossiers", report_json(register_report)},
                {"satisfaction", report_json(satisfaction)}};
}

Result<json> Register::rate(const json& args)
{
    const auto& cfg = app_.config();
    auto ticket = control::int_arg(args, "ticket");
    auto score = control::int_arg(args, "score");
    if (!store::vote_from_score(static_cast<int>(score)))
        throw control::BadArgument("argument \"score\" must be 3 (rất hài lòng), 2 (hài lòng) or 1 (không hài lòng)");
    auto row = app_.tickets().find(ticket);
    if (!row)
        return row.error();
    if (!*row)
        return make_error("unknown_ticket", "There is no ticket #" + std::to_string(ticket) + ".");
    auto rated = store::ticket_rated(app_.database(), ticket);
    if (!rated)
        return rated.error();
    if (*rated)
        return make_error("already_rated", "Ticket #" + std::to_string(ticket) + " has already been rated.");
    const auto& t = **row;
    std::string field;
    if (const auto* s = cfg.service(t.service))
        field = s->field.empty() ? s->name : s->field;
    json payload{{"ticket", ticket}, {"counter", t.counter}, {"officer", t.officer},
                 {"service", t.service}, {"field", field},   {"score", score}};
    auto now = now_from_clocks();
    std::vector<store::JournalRow> rows(1);
    rows[0].kind = std::string(store::kind_rating_given);
    rows[0].wall = now.wall;
    rows[0].mono_ns = now.mono.count();
    rows[0].counter = t.counter;
    rows[0].officer = t.officer;
    rows[0].ticket = ticket;
    rows[0].payload = payload.dump();
    if (auto r = app_.commit_rows(actor(), rows); !r)
        return r.error();
    payload["event"] = "rated";
    return payload;
}

void Register::add_commands(const std::shared_ptr<Register>& self)
{
    auto& commands = self->app_.commands();
    // The register's handlers are synchronous: the caller's actor is valid for the whole
    // body, and the rows they commit name it.
    auto add = [&commands, self](const char* name, command::Access access, std::function<Result<json>(const json&)> body) {
        commands.add(name, access, [self, body = std::move(body)](command::Call& call) -> awaitable<Result<json>> {
            self->actor_ = &call.actor;
            struct Reset { const command::Actor*& a; ~Reset() { a = nullptr; } } reset{self->actor_};
            co_return body(call.args);
        });
    };
    using command::Access;
    add("dossier.receive", Access::desk, [self](const json& a) { return self->receive(a); });
    add("dossier.supplement_request", Access::desk, [self](const json& a) {
        auto reason = control::optional_string_arg(a, "reason");
        return self->change(a, "dossier.supplement_requested", "supplement_requested",
                      [reason](Dossier& d, LocalDateTime now) -> Result<json> {
                          if (finished(d))
                              return make_error("dossier_finished", "Dossier " + d.code + " is already finished.");
                          for (const auto& s : d.supplements)
                              if (!s.completed_at)
                                  return make_error("supplement_open", "Dossier " + d.code +
                                                                           " already waits for a supplement.");
                          d.supplements.push_back({now, std::nullopt, reason});
                          d.status = dossier::Status::supplement_requested;
                          return json{{"requested_at", dossier::format_local_minute(now)}, {"reason", reason}};
                      });
    });
    add("dossier.supplement_done", Access::desk, [self](const json& a) {
        return self->change(a, "dossier.supplement_completed", "supplement_completed",
                      [](Dossier& d, LocalDateTime now) -> Result<json> {
                          for (auto& s : d.supplements)
                              if (!s.completed_at)
                              {
                                  s.completed_at = now;
                                  d.status = dossier::Status::processing;
                                  return json{{"completed_at", dossier::format_local_minute(now)}};
                              }
                          return make_error("no_supplement_open",
                                            "Dossier " + d.code + " does not wait for a supplement.");
                      });
    });
    add("dossier.transfer", Access::desk, [self](const json& a) {
        auto to = control::string_arg(a, "to");
        if (to.empty())
            throw control::BadArgument("argument \"to\" is empty");
        return self->change(a, "dossier.transferred", "transferred", [to](Dossier& d, LocalDateTime now) -> Result<json> {
            if (finished(d))
                return make_error("dossier_finished", "Dossier " + d.code + " is already finished.");
            std::string from = d.handoffs.empty() ? std::string(desk_name) : d.handoffs.back().to;
            d.handoffs.push_back(dossier::Handoff{from, to, now, std::nullopt, std::nullopt, {}});
            if (!d.transferred_at)
                d.transferred_at = now;
            if (d.deciding_agency.empty())
                d.deciding_agency = to;
            if (d.status != dossier::Status::supplement_requested)
                d.status = dossier::Status::processing;
            return json{{"from", from}, {"to", to}, {"at", dossier::format_local_minute(now)}};
        });
    });
    add("dossier.result", Access::desk, [self](const json& a) {
        auto rules = self->timing_rules();
        return self->change(a, "dossier.result_received", "result_received",
                      [rules](Dossier& d, LocalDateTime now) -> Result<json> {
                          if (d.result_at)
                              return make_error("already_decided", "Dossier " + d.code + " already has its result.");
                          if (d.closed_at)
                              return make_error("dossier_finished", "Dossier " + d.code + " is closed.");
                          d.result_at = now;
                          d.status = dossier::Status::decided;
                          auto t = dossier::classify(d, now, rules);
                          auto p = t.outcome == dossier::Outcome::early     ? dossier::Punctuality::early
                                   : t.outcome == dossier::Outcome::on_time ? dossier::Punctuality::on_time
                                                                            : dossier::Punctuality::late;
                          std::string from = d.handoffs.empty() ? d.deciding_agency : d.handoffs.back().to;
                          d.handoffs.push_back(dossier::Handoff{from, std::string(desk_name), now, d.due_at, p, {}});
                          return json{{"result_at", dossier::format_local_minute(now)},
                                      {"punctuality", dossier::to_string(p)}};
                      });
    });
    add("dossier.return", Access::desk, [self](const json& a) {
        auto waybill = control::optional_string_arg(a, "waybill");
        return self->change(a, "dossier.returned", "returned", [waybill](Dossier& d, LocalDateTime now) -> Result<json> {
            if (d.returned_at)
                return make_error("already_returned", "Dossier " + d.code + " was already returned.");
            if (d.closed_at)
                return make_error("dossier_finished", "Dossier " + d.code + " is closed.");
            if (!waybill.empty())
            {
                if (d.delivery != dossier::Delivery::post)
                    return make_error("not_postal", "Dossier " + d.code + " is not returned by post: no waybill.");
                d.waybill = waybill;
            }
            d.returned_at = now;
            d.status = dossier::Status::returned;
            return json{{"returned_at", dossier::format_local_minute(now)}, {"waybill", d.waybill}};
        });
    });
    add("dossier.apologize", Access::desk, [self](const json& a) {
        auto new_due = local_time_arg(a, "new_due");
        auto reason = control::optional_string_arg(a, "reason");
        return self->change(a, "dossier.apologized", "apologized",
                      [new_due, reason](Dossier& d, LocalDateTime now) -> Result<json> {
                          if (finished(d))
                              return make_error("dossier_finished", "Dossier " + d.code + " is already finished.");
                          if (dossier::to_minutes(new_due) <= dossier::to_minutes(now))
                              return make_error("new_due_past", "The new appointment must be in the future.");
                          d.apologies.push_back(dossier::Apology{now, new_due, reason});
                          return json{{"new_due", dossier::format_local_minute(new_due)}, {"reason", reason}};
                      });
    });
    add("dossier.show", Access::desk, [self](const json& a) { return self->show(a); });
    add("dossier.list", Access::desk, [self](const json& a) { return self->list(a); });
    add("dossier.export", Access::reports, [self](const json& a) { return self->export_register(a); });
    add("dossier.import", Access::reports, [self](const json& a) { return self->import(a); });
    add("calendar.due", Access::read, [self](const json& a) { return self->calendar_due(a); });
    add("calendar.workdays", Access::read, [self](const json& a) { return self->calendar_workdays(a); });
    add("report", Access::reports, [self](const json& a) { return self->report(a); });
    add("rate", Access::rate, [self](const json& a) { return self->rate(a); });
}

} // namespace

void register_register_commands(Application& app)
{
    // The handlers share the register state; it lives as long as they do.
    Register::add_commands(std::make_shared<Register>(app));
}

} // namespace motcua::app
