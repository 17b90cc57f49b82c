#include "app/application.hpp"

#include "app/accounts.hpp"
#include "app/devices.hpp"
#include "app/journal_guard.hpp"
#include "app/printing.hpp"
#include "app/voice.hpp"
#include "outbox/uploader.hpp"
#include "store/queue_rows.hpp"
#include "store/ratings.hpp"
#include "web/site.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <utility>

namespace motcua::app
{

namespace fs = std::filesystem;

namespace
{
std::string env_dir(const char* name, const char* fallback)
{
    // systemd passes colon-separated lists; the first entry is ours.
    if (const char* v = std::getenv(name); v && *v)
    {
        std::string s(v);
        return s.substr(0, s.find(':'));
    }
    return fallback;
}

std::string under(const std::string& dir, const std::string& path)
{
    if (path.empty() || fs::path(path).is_absolute())
        return path;
    return (fs::path(dir) / path).string();
}
} // namespace

Paths resolve_paths(const config::Config& cfg, const std::string& state_dir_override,
                    const std::string& socket_override)
{
    Paths p;
    if (!state_dir_override.empty())
        p.database = (fs::path(state_dir_override) / fs::path(cfg.reg.database).filename()).string();
    else
        p.database = under(env_dir("STATE_DIRECTORY", "/var/lib/motcua"), cfg.reg.database);
    if (!socket_override.empty())
        p.control_socket = socket_override;
    else
        p.control_socket = under(env_dir("RUNTIME_DIRECTORY", "/run/motcua"), cfg.control.socket);
    return p;
}

Application::Application(boost::asio::io_context& io, config::Config cfg, Paths paths)
    : io_(io), cfg_(std::make_shared<const config::Config>(std::move(cfg))), paths_(std::move(paths)),
      engine_(*cfg_), control_(io, paths_.control_socket, commands_)
{}

Application::~Application()
{
    stop();
    devices_.reset(); // joins the bus workers while the store is still open
}

namespace
{
// The console's session limits: the idle time from [web] (read at start), the rest default.
accounts::SessionPolicy session_policy(const config::Config& cfg)
{
    accounts::SessionPolicy policy;
    if (cfg.web)
        policy.idle = std::chrono::minutes(cfg.web->console_idle_minutes);
    return policy;
}
} // namespace

Result<void> Application::start()
{
    std::error_code ec;
    auto dir = fs::path(paths_.database).parent_path();
    if (!dir.empty())
        fs::create_directories(dir, ec);
    auto db = store::Database::open(paths_.database);
    if (!db)
        return db.error();
    db_ = std::move(db.value());
    journal_ = std::make_unique<store::Journal>(*db_);
    tickets_ = std::make_unique<store::Tickets>(*db_);
    journal_guard_ = std::make_unique<JournalGuard>(*this);
    if (auto r = journal_guard_->start(); !r)
        return r;
    if (auto r = replay(); !r)
        return r;
    register_journal_commands(*this, *journal_guard_);
    add_status_part([this] { return journal_guard_->status_part(); });
    register_queue_commands(*this);
    register_report_commands(*this, register_register_commands(*this));
    register_form_commands(*this);
    register_console_commands(*this);
    accounts_ = std::make_unique<Accounts>(
        *db_,
        [this](const command::Actor& actor, std::vector<store::JournalRow>& rows,
               const std::function<Result<void>()>& also) { return commit_rows(actor, rows, also); },
        cfg_->office.utc_offset, accounts::LockoutPolicy{}, session_policy(*cfg_));
    accounts_->register_commands(commands_);
    register_web_commands();
    commands_.add("devices", command::Access::read, command::sync([this](command::Call&) -> Result<control::json> {
        control::json j = control::json::object();
        for (const auto& [key, part] : device_reports_)
            j[key] = part();
        return j;
    }));
    register_device_commands(*this);
    register_printing_commands(*this);
    register_voice_commands(*this);
    register_technician_commands(*this);
    register_central_commands();
    if (auto r = start_devices(); !r)
        return r;
    if (auto r = control_.start(); !r)
        return r;
    spdlog::info("Control socket listening path={}", paths_.control_socket);
    apply_central_config();
    return apply_web_config();
}

void Application::free_retired_web()
{
    const auto freed = std::erase_if(retired_web_, [](const auto& site) { return site->idle(); });
    if (freed > 0)
        spdlog::info("Web server freed after its connections ended sites={}", freed);
    if (retired_web_.empty())
        return;
    retired_web_timer_.expires_after(std::chrono::seconds(1));
    retired_web_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec)
            free_retired_web();
    });
}

Result<void> Application::apply_web_config()
{
    if (!cfg_->web)
    {
        if (web_)
        {
            // Its connections' coroutines end on the next turns of the loop: freed after.
            web_->stop();
            retired_web_.push_back(std::move(web_));
            free_retired_web();
        }
        return {};
    }
    if (web_)
    {
        web_->reconfigure();
        return {};
    }
    auto state_dir = fs::path(paths_.database).parent_path().string();
    web_ = std::make_unique<web::Site>(
        web::Port{io_, [this]() -> const config::Config& { return *cfg_; }, engine_, *journal_, commands_, state_dir,
                  [this](std::int64_t ticket) { return store::ticket_rated(*db_, ticket); }, console_accounts()});
    if (auto r = web_->start(); !r)
    {
        web_.reset();
        return r;
    }
    if (!web_listening_)
    {
        web_listening_ = true;
        on_queue_event([this](const queue::Event& e) {
            if (web_)
                web_->on_queue_event(e);
        });
    }
    return {};
}

std::function<void()> Application::startup_step(std::string what)
{
    startup_pending_.push_back(what);
    // Called on the io thread by the buses and printers this Application owns.
    return [this, what] {
        auto it = std::find(startup_pending_.begin(), startup_pending_.end(), what);
        if (it == startup_pending_.end())
            return;
        startup_pending_.erase(it);
        finish_startup_if_done();
    };
}

void Application::finish_startup_if_done()
{
    if (startup_pending_.empty() && started_)
        std::exchange(started_, nullptr)();
}

void Application::when_started(std::function<void()> done)
{
    if (startup_pending_.empty())
        done();
    else
        started_ = std::move(done);
}

std::string Application::pending_startup_steps() const
{
    std::string out;
    for (const auto& s : startup_pending_)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

void Application::stop()
{
    if (devices_)
        devices_->stop();
    if (printing_)
        printing_->stop();
    if (voice_)
        voice_->stop();
    control_.stop();
    if (web_)
        web_->stop();
    uploader_.reset();
    if (journal_guard_)
        journal_guard_->stop();
}

void Application::reconfigure(config::Config cfg)
{
    auto fresh = std::make_shared<const config::Config>(std::move(cfg));
    engine_.reconfigure(*fresh);
    // The old config is freed once no coroutine holds it (QueueView::shared_config()).
    cfg_ = std::move(fresh);
    // Device by device: a bus or printer whose settings did not change keeps running
    // untouched; a changed, added or removed one stops or starts (a device added, moved or
    // re-addressed by the technician works without a restart). Displays show what they
    // showed; presses made meanwhile wait in the devices' FIFOs.
    devices_->reconfigure();
    printing_->reconfigure();
    if (!voice_->same_setup(cfg_->voice))
    {
        voice_.reset(); // the announcement being said ends; the waiting ones are logged as dropped
        voice_ = std::make_unique<Voice>(*this);
        voice_->start();
        spdlog::info("Voice restarted by the reload");
    }
    for (const auto& l : reload_listeners_)
        l();
    finish_startup_if_done(); // a reload before READY=1: the new devices' steps count
    apply_central_config();
    if (auto r = apply_web_config(); !r)
        spdlog::error("Web server not started after the reload error={} message=\"{}\"", r.error().code,
                      r.error().message);
}

Result<void> Application::start_devices()
{
    devices_ = std::make_unique<Devices>(ports());
    if (auto r = devices_->start(); !r)
        return r;
    printing_ = std::make_unique<Printing>(ports());
    printing_->start();
    voice_ = std::make_unique<Voice>(*this);
    voice_->start();
    // One subscription for the daemon's life: a reload may replace the Voice.
    on_queue_event([this](const queue::Event& e) {
        if (voice_)
            voice_->on_queue_event(e);
    });
    return {};
}

Result<void> Application::replay()
{
    auto max_id = tickets_->max_ticket_id();
    if (!max_id)
        return max_id.error();
    engine_.set_next_ticket_id(*max_id + 1);
    // A journal someone edited (the guard found the chain broken) must not stop the office:
    // the rows that cannot be replayed are passed over and named. In a chain that holds,
    // such a row is a defect of motcuad itself, and the start stops.
    const bool lenient = !journal_guard_->intact();
    std::vector<Error> skipped;
    auto events = store::events_since_last_day_opened(*journal_, lenient ? &skipped : nullptr);
    if (!events)
        return events.error();
    for (const auto& e : *events)
    {
        try
        {
            engine_.apply(e);
        }
        catch (const std::exception& ex)
        {
            if (!lenient)
                return make_error("journal_corrupt",
                                  std::string("Cannot rebuild the queue from the journal: ") + ex.what());
            skipped.push_back(make_error("journal_corrupt", ex.what()));
        }
    }
    for (const auto& e : skipped)
        spdlog::critical("Journal row passed over in the replay of a broken journal error=\"{}\"", e.message);
    if (auto r = continue_numbering(); !r)
        return r;
    watch_clock_at_start(events->empty() ? std::nullopt : std::optional<WallTime>(events->back().at.wall));
    int waiting = 0;
    for (const auto& s : cfg_->services)
        waiting += static_cast<int>(engine_.waiting(s.id).size());
    spdlog::info("Queue rebuilt from the journal events={} business_day={} waiting={} next_ticket={}",
                 events->size(), engine_.business_day() ? format_date(*engine_.business_day()) : "none",
                 waiting, *max_id + 1);
    return {};
}

namespace
{
// Who caused a row, in its payload (hashed with it): "socket:uid=1000", "device:bus-1/q3"…
void stamp_actor(store::JournalRow& row, const std::string& actor_label)
{
    auto payload = control::json::parse(row.payload, nullptr, false);
    if (!payload.is_object() || payload.contains("actor"))
        return;
    payload["actor"] = actor_label;
    row.payload = payload.dump(-1, ' ', false, control::json::error_handler_t::replace);
}
} // namespace

Result<void> Application::continue_numbering()
{
    auto day = engine_.business_day();
    if (!day)
        return {};
    auto used = tickets_->numbers_of_day(*day);
    if (!used)
        return used.error();
    engine_.continue_numbering(*used);
    return {};
}

void Application::watch_clock_at_start(std::optional<WallTime> last_event)
{
    clock_seen_ = now_from_clocks();
    if (last_event && clock_seen_.wall + clock_jump_threshold < *last_event)
        spdlog::warn("Wall clock is earlier than the journal's last event last_event={} now={}",
                     format_iso(*last_event, cfg_->office.utc_offset),
                     format_iso(clock_seen_.wall, cfg_->office.utc_offset));
}

void Application::watch_clock(const Now& now)
{
    // Between two readings the wall clock should move as the monotonic one does; more than
    // a minute apart is a jump (NTP step, a wrong RTC, a hand-set clock).
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now.mono - clock_seen_.mono);
    const auto expected = clock_seen_.wall + elapsed;
    const auto drift = now.wall - expected;
    if (clock_seen_.mono.count() != 0 && (drift > clock_jump_threshold || -drift > clock_jump_threshold))
        spdlog::warn("Wall clock jumped seconds={} from={} to={}; the business day follows the clock, numbers continue",
                     std::chrono::duration_cast<std::chrono::seconds>(drift).count(),
                     format_iso(expected, cfg_->office.utc_offset), format_iso(now.wall, cfg_->office.utc_offset));
    clock_seen_ = now;
}

Result<void> Application::commit_events(const command::Actor& actor, const std::vector<queue::Event>& events,
                                         std::vector<store::JournalRow>* extra_rows)
{
    auto r = db_->transaction([&]() -> Result<void> {
        for (const auto& e : events)
        {
            auto row = store::to_row(e);
            stamp_actor(row, actor.label());
            if (auto a = journal_->append(row); !a)
                return a;
            if (auto t = tickets_->apply(e); !t)
                return t;
        }
        if (extra_rows)
            for (auto& row : *extra_rows)
            {
                stamp_actor(row, actor.label());
                if (auto a = journal_->append(row); !a)
                    return a;
            }
        return {};
    });
    if (!r)
    {
        spdlog::error("Journal commit failed error={}", r.error().message);
        return r;
    }
    for (const auto& e : events)
    {
        engine_.apply(e);
        for (const auto& l : listeners_)
            l(e);
    }
    return {};
}

Result<queue::Event> Application::commit_event(const command::Actor& actor, const Decide& decide,
                                               std::vector<store::JournalRow> extra_rows)
{
    auto now = now_from_clocks();
    watch_clock(now);
    if (auto roll = engine_.rollover(now))
    {
        if (auto r = commit_events(command::Actor::system(), {*roll}); !r)
            return r.error();
        spdlog::info("New business day day={}", format_date(roll->business_day));
        if (auto r = continue_numbering(); !r)
            return r.error();
    }
    auto decided = decide(engine_, now);
    if (!decided)
        return decided;
    // Rows caused by the event (a key press) belong to its ticket.
    for (auto& row : extra_rows)
        if (row.ticket == 0)
            row.ticket = decided->ticket;
    if (auto r = commit_events(actor, {decided.value()}, extra_rows.empty() ? nullptr : &extra_rows); !r)
        return r.error();
    return decided;
}

Result<void> Application::commit_journal_rows(const std::string& actor_label, std::vector<store::JournalRow>& rows,
                                              const Also& also)
{
    return db_->transaction([&]() -> Result<void> {
        for (auto& row : rows)
        {
            stamp_actor(row, actor_label);
            if (auto a = journal_->append(row); !a)
                return a;
        }
        if (also)
            return also();
        return {};
    });
}

void Application::on_queue_event(std::function<void(const queue::Event&)> listener)
{
    listeners_.push_back(std::move(listener));
}

std::string Application::status_url(const queue::Ticket& t) const
{
    const auto* links = phone_links();
    return links ? links->status_url(engine_, t) : std::string();
}

const phone::Links* Application::phone_links() const { return web_ ? web_->phone_links() : nullptr; }

void Application::on_reload(std::function<void()> listener)
{
    reload_listeners_.push_back(std::move(listener));
}

void Application::publish(const std::string& topic, const control::json& event)
{
    control_.publish(topic, event);
    if (web_)
        web_->publish(topic, event);
}

Ports Application::ports()
{
    return Ports{io_, *this, *this, *this, commands_, *this, Store{*db_, *journal_, *tickets_}};
}

control::json QueueView::issued_ticket_json(const queue::Ticket& t) const
{
    auto j = ticket_json(t);
    j["waiting_ahead"] = engine().waiting_ahead(t.id);
    if (const auto* svc = config().service(t.service))
        j["service_name"] = svc->name;
    if (auto url = status_url(t); !url.empty())
        j["status_url"] = url;
    return j;
}

control::json QueueView::ticket_json(const queue::Ticket& t) const
{
    const auto tz = config().office.utc_offset;
    control::json j{{"ticket", t.id},
                    {"label", engine().label(t)},
                    {"number", t.number},
                    {"service", t.service},
                    {"issued_service", t.issued_service},
                    {"priority", t.priority.empty() ? control::json(nullptr) : control::json(t.priority)},
                    {"state", queue::to_string(t.state)},
                    {"issued_at", format_iso(t.issued_at, tz)}};
    if (t.counter)
        j["counter"] = t.counter;
    if (t.directed_to)
        j["directed_to"] = t.directed_to;
    if (t.called_at)
        j["called_at"] = format_iso(*t.called_at, tz);
    return j;
}

void Application::add_status_part(std::function<std::string()> part)
{
    status_parts_.push_back(std::move(part));
}

void Application::add_device_report(std::string key, std::function<control::json()> part)
{
    device_reports_.emplace_back(std::move(key), std::move(part));
}

std::string Application::status_line() const
{
    int waiting = 0;
    for (const auto& s : cfg_->services)
        waiting += static_cast<int>(engine_.waiting(s.id).size());
    int open = 0;
    for (const auto& c : engine_.counters())
        open += c.state != queue::CounterState::closed;
    std::string line = std::to_string(waiting) + " waiting, " + std::to_string(open) + " counters open";
    for (const auto& part : status_parts_)
        if (auto text = part(); !text.empty())
            line += ", " + text;
    return line;
}

control::json Application::status_json() const
{
    control::json services = control::json::array();
    for (const auto& s : cfg_->services)
    {
        control::json waiting = control::json::array();
        for (const auto* t : engine_.waiting(s.id))
            waiting.push_back(ticket_json(*t));
        services.push_back({{"id", s.id}, {"number", s.number}, {"name", s.name}, {"waiting", waiting}});
    }
    control::json counters = control::json::array();
    for (const auto& c : engine_.counters())
    {
        control::json j{{"number", c.number},
                        {"state", queue::to_string(c.state)},
                        {"officer", c.officer.empty() ? control::json(nullptr) : control::json(c.officer)},
                        {"ticket", nullptr},
                        {"waiting", engine_.waiting_for_counter(c.number)}};
        if (const auto* t = engine_.ticket(c.ticket); t && c.ticket)
            j["ticket"] = ticket_json(*t);
        if (c.state == queue::CounterState::paused)
            j["pause_reason"] = c.pause_reason;
        counters.push_back(j);
    }
    auto day = engine_.business_day();
    return {{"office", cfg_->office.name},
            {"business_day", day ? control::json(format_date(*day)) : control::json(nullptr)},
            {"services", services},
            {"counters", counters},
            {"journal", journal_guard_ ? journal_guard_->status_json() : control::json(nullptr)}};
}

} // namespace motcua::app
