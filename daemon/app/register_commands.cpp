// The dossier register's control commands (dossier.*, calendar.*, report, rate). The rules
// live in the pure core (dossier::receive, the dossier/lifecycle decisions, the rating rule,
// the import parser); these handlers read the arguments, decide, commit the register row
// with its journal row in one transaction (Committer::commit_rows) before answering, and
// apply. They get the application's ports (app/ports.hpp), not the Application. docs/control-protocol.md lists the commands, docs/register.md the rules.

#include "app/application.hpp"
#include "app/import_uploads.hpp"
#include "dossier/register_rules.hpp"
#include "calendar/calendar.hpp"
#include "dossier/code.hpp"
#include "dossier/csv.hpp"
#include "dossier/import_export.hpp"
#include "dossier/json.hpp"
#include "dossier/lifecycle.hpp"
#include "dossier/rating.hpp"
#include "dossier/report.hpp"
#include "dossier/report_json.hpp"
#include "dossier/timing.hpp"
#include "store/dossiers.hpp"
#include "store/ratings.hpp"
#include "util/text.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <span>

namespace motcua::app
{

namespace
{
using boost::asio::awaitable;
using control::json;

constexpr std::size_t max_import_bytes = 64 * 1024 * 1024; // one file, or one chunk of it
using dossier::Dossier;

constexpr std::size_t max_listed_errors = 50;  // in one import error message
constexpr std::size_t import_chunk_rows = 2000; // a file up to this many rows is one transaction
// A larger one is committed in chunks sized to take about this long each, so that a
// request arriving meanwhile (which needs a few turns of the io_context) waits a few
// chunks at most; the chunk size adapts to the machine's speed.
constexpr auto import_chunk_target = std::chrono::milliseconds(40);
constexpr std::size_t min_chunk_rows = 50;
constexpr std::size_t max_chunk_rows = 5000;
constexpr int discard_chunk_rows = 5000;        // rows removed per transaction of a failed import


std::int64_t optional_int(const json& args, const char* key, std::int64_t fallback)
{
    return args.contains(key) && !args.at(key).is_null() ? control::int_arg(args, key) : fallback;
}

bool optional_bool(const json& args, const char* key)
{
    if (!args.contains(key) || args.at(key).is_null())
        return false;
    if (!args.at(key).is_boolean())
        throw control::BadArgument(std::string("argument \"") + key + "\" must be true or false");
    return args.at(key).get<bool>();
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

std::optional<LocalDateTime> optional_time_arg(const json& args, const char* key)
{
    if (!args.contains(key) || args.at(key).is_null())
        return std::nullopt;
    return local_time_arg(args, key);
}

std::vector<std::string> strings_arg(const json& args, const char* key)
{
    std::vector<std::string> out;
    if (!args.contains(key) || args.at(key).is_null())
        return out;
    if (!args.at(key).is_array())
        throw control::BadArgument(std::string("argument \"") + key + "\" must be a list of strings");
    for (const auto& v : args.at(key))
    {
        if (!v.is_string())
            throw control::BadArgument(std::string("argument \"") + key + "\" must be a list of strings");
        auto clean = text::clean(v.get<std::string>(), key, text::Limits{300, false});
        if (!clean)
            throw control::BadArgument(clean.error().message);
        out.push_back(*clean);
    }
    return out;
}

// Free text of a command (reason, notes…): UTF-8, NFC, no control characters.
std::string text_arg(const json& args, const char* key, std::size_t max_chars = 500)
{
    auto clean = text::clean(control::optional_string_arg(args, key), key, text::Limits{max_chars, true});
    if (!clean)
        throw control::BadArgument(clean.error().message);
    return *clean;
}

dossier::Period period_args(const json& args)
{
    dossier::Period p{date_arg(args, "from"), date_arg(args, "to")};
    if (std::chrono::sys_days{p.to} < std::chrono::sys_days{p.from})
        throw control::BadArgument("\"to\" is before \"from\"");
    return p;
}

std::string import_errors_message(std::vector<dossier::ImportError> errors)
{
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
    std::string msg = "Nothing was imported; the file has " + std::to_string(errors.size()) +
                      (errors.size() == 1 ? " error:" : " errors:");
    for (std::size_t i = 0; i < errors.size() && i < max_listed_errors; ++i)
        msg += "\n" + errors[i].str();
    if (errors.size() > max_listed_errors)
        msg += "\n… and " + std::to_string(errors.size() - max_listed_errors) + " more";
    return msg;
}

// What the register commands share: the store view, the calendar, pending import uploads,
// the worker thread that parses imports off the io_context.
class Register : public std::enable_shared_from_this<Register>
{
  public:
    explicit Register(Ports ports)
        : ports_(ports), dossiers_(ports.store.db, ports.store.journal), uploads_(ports.io)
    {
        load_calendar(ports.queue.config());
        discard_unfinished_imports();
    }
    ~Register() { pool_.join(); }

    static void add_commands(const std::shared_ptr<Register>& self);
    // The report's answers for several groupings, the records read once (report.export).
    Result<std::vector<json>> reports(const json& args, const std::vector<std::string>& groupings);

  private:
    using Decide = std::function<Result<dossier::Change>(const Dossier&, LocalDateTime now)>;

    void load_calendar(const config::Config& cfg);
    void reload_calendar();
    static Result<std::shared_ptr<const calendar::Calendar>> read_calendar(const std::string& dir);
    void discard_unfinished_imports();
    Result<const calendar::Calendar*> cal() const;
    calendar::DueRules due_rules() const;
    dossier::DueContext due_context() const { return {calendar_.get(), due_rules()}; }
    dossier::TimingRules timing_rules() const;
    LocalDateTime local(WallTime t) const { return to_local(t, ports_.queue.config().office.utc_offset); }
    json dossier_json(const Dossier& d) const;

    Result<json> receive(const command::Actor& actor, const json& args);
    Result<json> change(const command::Actor& actor, const json& args, const Decide& decide);
    Result<json> supplement_request(const command::Actor& actor, const json& args);
    Result<json> supplement_done(const command::Actor& actor, const json& args);
    Result<json> transfer(const command::Actor& actor, const json& args);
    Result<json> result(const command::Actor& actor, const json& args);
    Result<json> return_result(const command::Actor& actor, const json& args);
    Result<json> apologize(const command::Actor& actor, const json& args);
    Result<json> close(const command::Actor& actor, const json& args, dossier::Status status);
    Result<json> obligation_start(const command::Actor& actor, const json& args);
    Result<json> obligation_end(const command::Actor& actor, const json& args);
    Result<json> correct(const command::Actor& actor, const json& args);
    Result<json> show(const json& args);
    Result<json> list(const json& args);
    Result<json> export_register(const json& args);
    // `actor`: who sends the import (the socket peer's label); an upload belongs to it.
    awaitable<Result<json>> import(std::string actor, json args);
    awaitable<Result<json>> import_text(std::string actor, std::string text);
    awaitable<Result<json>> commit_import(std::string actor, std::vector<Dossier> dossiers, std::vector<int> lines);
    Result<void> discard_import(const std::string& actor, std::int64_t id, const std::string& reason);
    Result<json> calendar_due(const json& args);
    Result<json> calendar_workdays(const json& args);
    Result<json> report(const json& args);
    Result<json> rate(const command::Actor& actor, const json& args);

    Ports ports_;
    store::Dossiers dossiers_;
    std::shared_ptr<const calendar::Calendar> calendar_;
    Error calendar_error_;
    ImportUploads uploads_;
    bool importing_ = false;
    boost::asio::thread_pool pool_{1}; // parses and validates imports off the io_context
};

void Register::load_calendar(const config::Config& cfg)
{
    auto c = read_calendar(cfg.reg.calendar_dir);
    if (!c)
    {
        calendar_error_ = c.error();
        spdlog::error("Working calendar not loaded dir={} error={}", cfg.reg.calendar_dir, c.error().message);
        return;
    }
    calendar_ = std::move(c.value());
}

// On SIGHUP, as at start: a year file added or corrected takes effect. A calendar that no
// longer loads leaves the running one in place (an import in progress keeps its own).
void Register::reload_calendar()
{
    const auto& dir = ports_.queue.config().reg.calendar_dir;
    auto c = read_calendar(dir);
    if (c)
    {
        calendar_ = std::move(c.value());
        return;
    }
    if (!calendar_)
        return load_calendar(ports_.queue.config());
    spdlog::error("Working calendar not reloaded, the running one stays dir={} error={}", dir, c.error().message);
}

Result<std::shared_ptr<const calendar::Calendar>> Register::read_calendar(const std::string& dir)
{
    if (dir.empty())
        return make_error("calendar_missing", "No working calendar directory was found: set [register] "
                                              "calendar_dir to a directory of YYYY.toml files.");
    auto c = calendar::load_directory(dir);
    if (!c)
        return c.error();
    auto years = c->years();
    spdlog::info("Working calendar loaded dir={} first_year={} last_year={}", dir, years.front(), years.back());
    return std::make_shared<const calendar::Calendar>(std::move(c.value()));
}

// An import interrupted by a crash or a stop left rows that never counted: remove them.
void Register::discard_unfinished_imports()
{
    auto ids = dossiers_.unfinished_imports();
    if (!ids)
    {
        spdlog::error("Cannot list unfinished imports error=\"{}\"", ids.error().message);
        return;
    }
    for (auto id : *ids)
        if (auto r = discard_import(command::Actor::system().label(), id, "interrupted"); !r)
            spdlog::error("Cannot remove an unfinished import import={} error=\"{}\"", id, r.error().message);
}

Result<void> Register::discard_import(const std::string& actor, std::int64_t id, const std::string& reason)
{
    int removed = 0;
    for (;;)
    {
        int n = 0;
        std::vector<store::JournalRow> none;
        auto r = ports_.committer.commit_rows(actor, none, [&]() -> Result<void> {
            auto d = dossiers_.discard_import(id, discard_chunk_rows);
            if (!d)
                return d.error();
            n = *d;
            return {};
        });
        if (!r)
            return r;
        removed += n;
        if (n == 0)
            break;
    }
    auto now = now_from_clocks();
    std::vector<store::JournalRow> none;
    auto r = ports_.committer.commit_rows(actor, none, [&] {
        return dossiers_.fail_import(id, reason, store::Stamp{now.wall, now.mono.count(), 0, {}, actor});
    });
    spdlog::warn("Import discarded import={} rows={} reason=\"{}\"", id, removed, reason);
    return r;
}

Result<const calendar::Calendar*> Register::cal() const
{
    if (!calendar_)
        return calendar_error_;
    return calendar_.get();
}

calendar::DueRules Register::due_rules() const { return dossier::register_due_rules(ports_.queue.config()); }

dossier::TimingRules Register::timing_rules() const { return dossier::register_timing_rules(ports_.queue.config(), calendar_); }

json Register::dossier_json(const Dossier& d) const
{
    auto j = dossier::to_json(d);
    const auto now = local(now_from_clocks().wall);
    const auto rules = timing_rules();
    auto t = dossier::classify(d, now, rules);
    j["timing"] = {{"outcome", dossier::to_string(t.outcome)},
                   {"resolved", t.resolved},
                   {"closed", t.closed},
                   {"paused_minutes", t.paused_minutes},
                   {"supplement_requests", t.supplement_requests},
                   {"supplement_lapsed", t.supplement_lapsed}};
    j["steps"] = dossier::steps_json(dossier::judge_steps(d, now, rules));
    if (d.due_at)
        j["due_form"] = dossier::format_form_time(*d.due_at);
    j["received_form"] = dossier::format_form_time(d.received_at);
    return j;
}

Result<json> Register::receive(const command::Actor& actor, const json& args)
{
    const auto& cfg = ports_.queue.config();
    auto now = now_from_clocks();
    dossier::ReceiveInput in;
    in.procedure_code = control::string_arg(args, "procedure");
    in.applicant.name = control::string_arg(args, "name");
    in.applicant.address = control::optional_string_arg(args, "address");
    in.applicant.phone = control::optional_string_arg(args, "phone");
    in.applicant.id_number = control::optional_string_arg(args, "id_number");
    in.applicant.email = control::optional_string_arg(args, "email");
    in.notes = control::optional_string_arg(args, "notes");
    auto channel = dossier::channel_from(std::to_string(optional_int(args, "channel", 1)));
    if (!channel)
        throw control::BadArgument("argument \"channel\" must be 1 (direct), 2 (online) or 3 (postal)");
    in.channel = *channel;
    if (auto text = control::optional_string_arg(args, "delivery"); !text.empty())
    {
        auto dl = dossier::delivery_from(text);
        if (!dl)
            throw control::BadArgument("argument \"delivery\" must be desk, post or online");
        in.delivery = *dl;
    }
    if (auto text = control::optional_string_arg(args, "online"); !text.empty())
    {
        auto o = dossier::online_from(text);
        if (!o)
            throw control::BadArgument("argument \"online\" must be none, partial or full");
        in.online = *o;
    }
    in.online_payment = optional_bool(args, "online_payment");
    in.digitised = optional_bool(args, "digitised");
    in.result_electronic = optional_bool(args, "result_electronic");
    in.waybill = control::optional_string_arg(args, "waybill");
    in.sets = static_cast<int>(std::clamp<std::int64_t>(optional_int(args, "sets", 1), -1, 1000));
    in.documents = strings_arg(args, "documents");
    in.fee = text_arg(args, "fee", 200);

    auto received = dossier::receive(in, cfg.reg, cfg.office.name, local(now.wall), due_context());
    if (!received)
        return received.error();
    Dossier d = std::move(received.value());

    store::Stamp stamp{now.wall, now.mono.count(), 0, {}, actor.label()};
    if (args.contains("counter") && !args.at("counter").is_null())
    {
        auto number = control::int_arg(args, "counter");
        const auto* c = ports_.queue.engine().counter(static_cast<int>(number));
        if (!c)
            return make_error("unknown_counter", "There is no counter " + std::to_string(number) + ".");
        if (c->state == queue::CounterState::closed)
            return make_error("counter_closed", "Counter " + std::to_string(number) + " is closed: open it first.");
        d.counter = c->number;
        d.officer = c->officer;
        if (c->ticket)
            d.ticket_id = c->ticket;
        if (const auto* t = ports_.queue.engine().ticket(c->ticket); t && c->ticket)
            d.service = t->service;
    }
    else if (args.contains("ticket") && !args.at("ticket").is_null())
    {
        auto id = control::int_arg(args, "ticket");
        auto row = ports_.store.tickets.find(id);
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

    std::optional<Dossier> saved;
    std::vector<store::JournalRow> none;
    auto r = ports_.committer.commit_rows(actor, none, [&]() -> Result<void> {
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

// Looks the dossier up, decides, commits the new row with the change's journal row, answers.
Result<json> Register::change(const command::Actor& actor, const json& args, const Decide& decide)
{
    auto code = control::string_arg(args, "code");
    auto officer = text_arg(args, "officer", 200);
    auto found = dossiers_.find(code);
    if (!found)
        return found.error();
    if (!*found)
        return make_error("unknown_dossier", "There is no dossier " + code + " in the register.");
    auto d = std::move(**found);
    auto now = now_from_clocks();
    auto c = decide(d, local(now.wall));
    if (!c)
        return c.error();
    c->officer = officer;
    auto after = d;
    dossier::apply(after, *c);
    store::Stamp stamp{now.wall, now.mono.count(), 0, officer, actor.label()};
    std::vector<store::JournalRow> none;
    auto r = ports_.committer.commit_rows(actor, none, [&] { return dossiers_.change(after, *c, stamp); });
    if (!r)
        return r.error();
    spdlog::info("Dossier changed code={} event={} status={}", after.code, dossier::event_name(c->kind),
                 static_cast<int>(after.status));
    auto j = dossier_json(after);
    j["event"] = dossier::event_name(c->kind);
    j["change"] = dossier::to_json(*c, after);
    return j;
}

Result<json> Register::supplement_request(const command::Actor& actor, const json& args)
{
    auto missing = strings_arg(args, "missing");
    auto deadline = optional_time_arg(args, "deadline");
    auto reason = text_arg(args, "reason");
    return change(actor, args, [&](const Dossier& d, LocalDateTime now) {
        return dossier::request_supplement(d, now, missing, deadline, reason);
    });
}

Result<json> Register::supplement_done(const command::Actor& actor, const json& args)
{
    return change(actor, args, [](const Dossier& d, LocalDateTime now) { return dossier::complete_supplement(d, now); });
}

Result<json> Register::transfer(const command::Actor& actor, const json& args)
{
    auto to = text_arg(args, "to", 200);
    auto deadline = optional_time_arg(args, "deadline");
    return change(actor, args, [&](const Dossier& d, LocalDateTime now) { return dossier::transfer(d, now, to, deadline); });
}

Result<json> Register::result(const command::Actor& actor, const json& args)
{
    auto rules = timing_rules();
    return change(actor, args, [&](const Dossier& d, LocalDateTime now) { return dossier::record_result(d, now, rules); });
}

Result<json> Register::return_result(const command::Actor& actor, const json& args)
{
    auto waybill = text_arg(args, "waybill", 64);
    return change(actor, args, [&](const Dossier& d, LocalDateTime now) { return dossier::return_result(d, now, waybill); });
}

Result<json> Register::apologize(const command::Actor& actor, const json& args)
{
    auto new_due = local_time_arg(args, "new_due");
    auto reason = text_arg(args, "reason");
    return change(actor, args,
                  [&](const Dossier& d, LocalDateTime now) { return dossier::apologize(d, now, new_due, reason); });
}

Result<json> Register::close(const command::Actor& actor, const json& args, dossier::Status status)
{
    auto reason = text_arg(args, "reason");
    return change(actor, args, [&](const Dossier& d, LocalDateTime now) { return dossier::close(d, now, status, reason); });
}

Result<json> Register::obligation_start(const command::Actor& actor, const json& args)
{
    auto reason = text_arg(args, "reason");
    return change(actor, args,
                  [&](const Dossier& d, LocalDateTime now) { return dossier::start_obligation(d, now, reason); });
}

Result<json> Register::obligation_end(const command::Actor& actor, const json& args)
{
    return change(actor, args, [](const Dossier& d, LocalDateTime now) { return dossier::end_obligation(d, now); });
}

Result<json> Register::correct(const command::Actor& actor, const json& args)
{
    auto field = control::string_arg(args, "field");
    auto value = control::string_arg(args, "value");
    auto reason = text_arg(args, "reason");
    return change(actor, args,
                  [&](const Dossier& d, LocalDateTime now) { return dossier::correct(d, now, field, value, reason); });
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
            rows.push_back(dossier::to_json(d));
        j["dossiers"] = rows;
    }
    return j;
}

awaitable<Result<json>> Register::import(std::string actor, json args)
{
    if (args.contains("text"))
        co_return co_await import_text(std::move(actor), command::bulk_arg(args, "text", max_import_bytes));
    auto chunk = command::bulk_arg(args, "chunk", max_import_bytes);
    bool more = args.contains("more") && args.at("more").is_boolean() && args.at("more").get<bool>();
    std::string upload;
    if (args.contains("upload") && !args.at("upload").is_null())
    {
        if (!args.at("upload").is_string())
            throw control::BadArgument("argument \"upload\" must be the upload id string the first chunk answered");
        upload = args.at("upload").get<std::string>();
    }
    auto step = uploads_.add(actor, upload, std::move(chunk), more);
    if (!step)
        co_return step.error();
    if (!step->complete)
        co_return json{{"upload", step->upload}, {"bytes", step->bytes}};
    co_return co_await import_text(std::move(actor), std::move(*step->complete));
}

// Parses and validates the whole file on the worker thread (the io_context keeps serving
// other clients), then commits. Nothing is imported unless every row is valid.
awaitable<Result<json>> Register::import_text(std::string actor, std::string text)
{
    if (importing_)
        co_return make_error("import_running", "Another import is running; send this one when it is done.");
    importing_ = true;
    struct Running
    {
        bool& flag;
        ~Running() { flag = false; }
    } running{importing_};
    auto self = shared_from_this();

    // Everything the worker reads is its own copy or immutable (the calendar).
    struct Job
    {
        std::string text;
        config::Register catalogue;
        std::shared_ptr<const calendar::Calendar> calendar;
        calendar::DueRules rules;
        LocalDateTime now;
        std::string office;
    };
    auto job = std::make_shared<Job>(Job{std::move(text), ports_.queue.config().reg, calendar_, due_rules(),
                                         local(now_from_clocks().wall), ports_.queue.config().office.name});
    // The lambda captures a plain pointer: GCC 12 destroys a coroutine lambda's captures
    // twice when they own memory (seen here as a shared_ptr released twice under ASan).
    // `job` itself lives in this frame until the parse is done.
    const Job* work = job.get();
    auto parsed = co_await boost::asio::co_spawn(
        pool_,
        [work]() -> awaitable<dossier::ImportResult> {
            dossier::DueContext due{work->calendar.get(), work->rules};
            dossier::ImportOptions options;
            options.catalogue = &work->catalogue;
            options.due = &due;
            options.now = work->now;
            options.receiving_unit = work->office;
            co_return dossier::parse_import(work->text, options);
        },
        boost::asio::use_awaitable);
    if (!parsed.ok())
        co_return make_error("import_invalid", import_errors_message(std::move(parsed.errors)));
    co_return co_await commit_import(std::move(actor), std::move(parsed.dossiers), std::move(parsed.lines));
}

// A small file is one transaction. A large one is committed in chunks of
// import_chunk_rows, yielding to the io_context between them, under an import marker: its
// rows count only once the final transaction marks it complete; any failure removes them.
awaitable<Result<json>> Register::commit_import(std::string actor, std::vector<Dossier> dossiers,
                                                std::vector<int> lines)
{
    // A copy: a reload may replace the config while the import is suspended.
    const std::string unit = ports_.queue.config().office.unit_code;
    auto stamp_now = [&actor] {
        auto now = now_from_clocks();
        return store::Stamp{now.wall, now.mono.count(), 0, {}, actor};
    };
    auto summary = [&](int imported) {
        spdlog::info("Dossiers imported count={} actor={}", imported, actor);
        json j{{"imported", imported}};
        if (!dossiers.empty())
        {
            j["first_code"] = dossiers.front().code;
            j["last_code"] = dossiers.back().code;
        }
        return j;
    };
    std::vector<store::JournalRow> none;
    if (dossiers.size() <= import_chunk_rows)
    {
        int imported = 0;
        auto r = ports_.committer.commit_rows(actor, none, [&]() -> Result<void> {
            auto n = dossiers_.import(dossiers, unit, stamp_now(), lines);
            if (!n)
                return n.error();
            imported = *n;
            return {};
        });
        if (!r)
            co_return make_error(r.error().code, "Nothing was imported: " + r.error().message);
        co_return summary(imported);
    }

    std::int64_t id = 0;
    auto begun = ports_.committer.commit_rows(actor, none, [&]() -> Result<void> {
        auto b = dossiers_.begin_import(actor, static_cast<int>(dossiers.size()), stamp_now());
        if (!b)
            return b.error();
        id = *b;
        return {};
    });
    if (!begun)
        co_return make_error(begun.error().code, "Nothing was imported: " + begun.error().message);
    auto executor = co_await boost::asio::this_coro::executor;
    std::span<Dossier> all(dossiers);
    std::span<const int> all_lines(lines);
    std::size_t chunk = 200;
    for (std::size_t first = 0; first < all.size();)
    {
        const auto n = std::min(chunk, all.size() - first);
        auto chunk_start = std::chrono::steady_clock::now();
        auto r = ports_.committer.commit_rows(actor, none, [&]() -> Result<void> {
            auto written = dossiers_.import(all.subspan(first, n), unit, stamp_now(), all_lines.subspan(first, n), id);
            if (!written)
                return written.error();
            return {};
        });
        if (!r)
        {
            if (auto d = discard_import(actor, id, r.error().message); !d)
                spdlog::error("Cannot remove a failed import import={} error=\"{}\"", id, d.error().message);
            co_return make_error(r.error().code, "Nothing was imported: " + r.error().message);
        }
        first += n;
        auto took = std::chrono::steady_clock::now() - chunk_start;
        auto us = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::microseconds>(took).count());
        spdlog::debug("Import chunk committed import={} rows={} us={}", id, n, us);
        chunk = std::clamp<std::size_t>(
            static_cast<std::size_t>(static_cast<double>(n) *
                                     std::chrono::duration_cast<std::chrono::microseconds>(import_chunk_target).count() /
                                     static_cast<double>(us)),
            min_chunk_rows, max_chunk_rows);
        co_await boost::asio::post(executor, boost::asio::use_awaitable); // let other clients in
    }
    auto done = ports_.committer.commit_rows(actor, none, [&] { return dossiers_.finish_import(id, static_cast<int>(all.size()), stamp_now()); });
    if (!done)
    {
        if (auto d = discard_import(actor, id, done.error().message); !d)
            spdlog::error("Cannot remove a failed import import={} error=\"{}\"", id, d.error().message);
        co_return make_error(done.error().code, "Nothing was imported: " + done.error().message);
    }
    co_return summary(static_cast<int>(all.size()));
}

Result<json> Register::calendar_due(const json& args)
{
    auto received = local_time_arg(args, "received");
    auto days = optional_int(args, "days", 0);
    auto hours = optional_int(args, "hours", 0);
    auto calendar_days = optional_int(args, "calendar_days", 0);
    bool same_day = args.contains("same_day") && args.at("same_day").is_boolean() && args.at("same_day").get<bool>();
    const int periods = (days > 0) + (hours > 0) + (calendar_days > 0);
    if (periods > 1 || (periods == 0 && !same_day))
        throw control::BadArgument("give one of \"days\", \"hours\" or \"calendar_days\" (a positive number), or "
                                   "\"same_day\": true");
    auto c = cal();
    if (!c)
        return c.error();
    auto duration = hours > 0           ? calendar::Duration::hours(static_cast<int>(hours))
                    : calendar_days > 0 ? calendar::Duration::calendar_days(static_cast<int>(calendar_days))
                                        : calendar::Duration::days(static_cast<int>(days));
    auto due = (*c)->due(received, duration, same_day, due_rules());
    if (!due)
        return due.error();
    return json{{"received", dossier::format_local_minute(received)},
                {"days", days ? json(days) : json(nullptr)},
                {"hours", hours ? json(hours) : json(nullptr)},
                {"calendar_days", calendar_days ? json(calendar_days) : json(nullptr)},
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

// `by` is one grouping (the answer is that report) or a list of them (the answer is
// {"reports": [...]}, one per grouping, from one read of the period: a page showing the
// year by field, officer, counter and hour asks once).
Result<json> Register::report(const json& args)
{
    if (auto it = args.find("by"); it != args.end() && it->is_array())
    {
        std::vector<std::string> groupings;
        for (const auto& g : *it)
        {
            if (!g.is_string())
                throw control::BadArgument("argument \"by\" must be a grouping or a list of groupings");
            groupings.push_back(g.get<std::string>());
        }
        if (groupings.empty() || groupings.size() > 8)
            throw control::BadArgument("argument \"by\" must list 1 to 8 groupings");
        auto answers = reports(args, groupings);
        if (!answers)
            return answers.error();
        return json{{"reports", std::move(*answers)}};
    }
    auto by = control::optional_string_arg(args, "by");
    auto answers = reports(args, {by.empty() ? std::string("none") : by});
    if (!answers)
        return answers.error();
    return std::move(answers->front());
}

// The period's records are read once and counted for each grouping: an export needs six.
Result<std::vector<json>> Register::reports(const json& args, const std::vector<std::string>& groupings)
{
    const auto& cfg = ports_.queue.config();
    auto p = period_args(args);
    std::vector<dossier::GroupBy> groups;
    for (const auto& text : groupings)
    {
        auto by = dossier::group_by_from(text);
        if (!by)
            throw control::BadArgument("argument \"by\" must be field, procedure, officer, counter, service or hour");
        groups.push_back(*by);
    }
    const auto tz = cfg.office.utc_offset;
    auto from = from_local(p.from, TimeOfDay{0}, tz);
    auto to = from_local(p.end().date, TimeOfDay{0}, tz);

    dossier::ReportRecords records;
    auto tickets = store::report_tickets(ports_.store.db, from, to);
    if (!tickets)
        return tickets.error();
    records.tickets = std::move(*tickets);
    std::map<std::string, std::string, std::less<>> field_of;
    for (const auto& s : cfg.services)
        field_of[s.id] = s.field.empty() ? s.name : s.field;
    for (auto& t : records.tickets)
        if (auto it = field_of.find(t.service); it != field_of.end())
            t.field = it->second;
    auto dossiers = dossiers_.for_report(p);
    if (!dossiers)
        return dossiers.error();
    records.dossiers = std::move(*dossiers);
    auto ratings = store::report_ratings(ports_.store.db, from, to);
    if (!ratings)
        return ratings.error();
    records.ratings = std::move(*ratings);

    std::vector<json> answers;
    for (auto by : groups)
        answers.push_back(dossier::report_answer(records, p, by, timing_rules(), tz, cfg.office.name));
    return answers;
}

Result<json> Register::rate(const command::Actor& actor, const json& args)
{
    const auto& cfg = ports_.queue.config();
    auto ticket = control::int_arg(args, "ticket");
    auto score = control::int_arg(args, "score");
    if (score < 1 || score > 3)
        throw control::BadArgument("argument \"score\" must be 3 (rất hài lòng), 2 (hài lòng) or 1 (không hài lòng)");
    auto row = ports_.store.tickets.find(ticket);
    if (!row)
        return row.error();
    dossier::RatingSubject subject;
    std::string field;
    if (*row)
    {
        const auto& t = **row;
        auto rated = store::ticket_rated(ports_.store.db, ticket);
        if (!rated)
            return rated.error();
        subject = {true, t.called_at.has_value(), t.status == "done", t.status == "no_show", t.counter, t.officer,
                   t.service, *rated};
        if (const auto* s = cfg.service(t.service))
            field = s->field.empty() ? s->name : s->field;
    }
    auto decided = dossier::decide_rating(ticket, subject, static_cast<int>(score), field);
    if (!decided)
        return decided.error();
    auto now = now_from_clocks();
    const auto source = actor.kind == command::Actor::Kind::phone    ? dossier::RatingSource::phone
                        : actor.kind == command::Actor::Kind::device ? dossier::RatingSource::panel
                                                                     : dossier::RatingSource::desk;
    std::vector<store::JournalRow> rows{store::rating_row(*decided, source, now.wall, now.mono.count())};
    if (auto r = ports_.committer.commit_rows(actor, rows); !r)
        return r.error();
    auto payload = dossier::to_json(*decided);
    payload["source"] = std::string(dossier::to_string(source));
    payload["event"] = "rated";
    return payload;
}

void Register::add_commands(const std::shared_ptr<Register>& self)
{
    using command::Access;
    using dossier::Status;
    auto& commands = self->ports_.commands;
    self->ports_.events.on_reload([weak = std::weak_ptr<Register>(self)] {
        if (auto register_state = weak.lock())
            register_state->reload_calendar();
    });
    // A handler that changes the register gets the caller: its journal rows name it.
    commands.add("dossier.receive", Access::desk,
                 command::sync([self](command::Call& c) { return self->receive(c.actor, c.args); }));
    commands.add("dossier.supplement_request", Access::desk,
                 command::sync([self](command::Call& c) { return self->supplement_request(c.actor, c.args); }));
    commands.add("dossier.supplement_done", Access::desk,
                 command::sync([self](command::Call& c) { return self->supplement_done(c.actor, c.args); }));
    commands.add("dossier.transfer", Access::desk,
                 command::sync([self](command::Call& c) { return self->transfer(c.actor, c.args); }));
    commands.add("dossier.result", Access::desk,
                 command::sync([self](command::Call& c) { return self->result(c.actor, c.args); }));
    commands.add("dossier.return", Access::desk,
                 command::sync([self](command::Call& c) { return self->return_result(c.actor, c.args); }));
    commands.add("dossier.apologize", Access::desk,
                 command::sync([self](command::Call& c) { return self->apologize(c.actor, c.args); }));
    commands.add("dossier.refuse", Access::desk,
                 command::sync([self](command::Call& c) { return self->close(c.actor, c.args, Status::refused); }));
    commands.add("dossier.withdraw", Access::desk,
                 command::sync([self](command::Call& c) { return self->close(c.actor, c.args, Status::withdrawn); }));
    commands.add("dossier.stop", Access::desk,
                 command::sync([self](command::Call& c) { return self->close(c.actor, c.args, Status::stopped); }));
    commands.add("dossier.obligation_start", Access::desk,
                 command::sync([self](command::Call& c) { return self->obligation_start(c.actor, c.args); }));
    commands.add("dossier.obligation_end", Access::desk,
                 command::sync([self](command::Call& c) { return self->obligation_end(c.actor, c.args); }));
    commands.add("dossier.correct", Access::desk,
                 command::sync([self](command::Call& c) { return self->correct(c.actor, c.args); }));
    commands.add("dossier.show", Access::desk,
                 command::sync([self](command::Call& c) { return self->show(c.args); }));
    commands.add("dossier.list", Access::desk,
                 command::sync([self](command::Call& c) { return self->list(c.args); }));
    commands.add("dossier.export", Access::reports,
                 command::sync([self](command::Call& c) { return self->export_register(c.args); }));
    commands.add("calendar.due", Access::read,
                 command::sync([self](command::Call& c) { return self->calendar_due(c.args); }));
    commands.add("calendar.workdays", Access::read,
                 command::sync([self](command::Call& c) { return self->calendar_workdays(c.args); }));
    commands.add("report", Access::reports,
                 command::sync([self](command::Call& c) { return self->report(c.args); }));
    commands.add("rate", Access::rate,
                 command::sync([self](command::Call& c) { return self->rate(c.actor, c.args); }));
    // An import suspends (parsing off the io_context, chunked commits): it carries its
    // actor's label, to which its upload also belongs.
    commands.add("dossier.import", Access::reports,
                 [self](command::Call& call) { return self->import(call.actor.label(), call.args); });
}

} // namespace

ReportRunner register_register_commands(Application& app)
{
    // The handlers share the register state; it lives as long as they do.
    auto state = std::make_shared<Register>(app.ports());
    Register::add_commands(state);
    return [state](const json& args, const std::vector<std::string>& groupings) {
        return state->reports(args, groupings);
    };
}

} // namespace motcua::app
