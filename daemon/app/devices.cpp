#include "app/devices.hpp"

#include "dossier/json.hpp"
#include "dossier/rating.hpp"
#include "store/lookups.hpp"
#include "store/ratings.hpp"
#include "util/spawn.hpp"

#include <boost/asio/co_spawn.hpp>
#include <spdlog/spdlog.h>

#include <set>

namespace motcua::app
{

using control::json;
using config::DeviceRole;

namespace
{
constexpr int kCallBlinks = 3;
constexpr int kBlinkPeriod = 5; // 100 ms units
constexpr std::chrono::milliseconds kFeedbackBatch{1000};

store::JournalRow key_row(const modbus::KeyEvent& ev)
{
    auto now = now_from_clocks();
    store::JournalRow row;
    row.kind = std::string(kind_device_key);
    row.wall = now.wall;
    row.mono_ns = now.mono.count();
    row.counter = ev.counter;
    json payload{{"bus", ev.bus}, {"device", ev.device}, {"seq", ev.seq}, {"key", ev.key}, {"arg", ev.arg}};
    if (!ev.kiosk.empty())
        payload["kiosk"] = ev.kiosk;
    row.payload = payload.dump();
    return row;
}

void set_outcome(store::JournalRow& row, const std::string& outcome)
{
    auto payload = json::parse(row.payload);
    payload["outcome"] = outcome;
    row.payload = payload.dump();
}
} // namespace

std::string key_name(DeviceRole role, int key)
{
    if (role == DeviceRole::keypad)
    {
        static const char* names[] = {"?", "next", "recall", "no-show", "transfer", "pause", "resume", "done"};
        if (key >= 1 && key <= 7)
            return names[key];
        return "key-" + std::to_string(key);
    }
    return std::to_string(key);
}

Devices::Devices(Ports ports, BusFactory make_bus) : ports_(ports), make_bus_(std::move(make_bus))
{
    if (!make_bus_)
        make_bus_ = [&io = ports_.io](const modbus::BusConfig& bus, const config::Devices& devices,
                                      modbus::Handlers handlers) -> std::shared_ptr<modbus::BusInterface> {
            return std::make_shared<modbus::Bus>(io, bus, devices.devices, devices.profiles, std::move(handlers));
        };
}

Devices::~Devices()
{
    *alive_ = false;
    for (auto& b : buses_)
        b.bus->stop();
}

Result<void> Devices::start()
{
    const auto& devs = ports_.queue.config().devices;
    std::vector<std::shared_ptr<modbus::BusInterface>> made;
    for (const auto& b : devs.buses)
        made.push_back(add_bus(b));
    map_counters();
    if (auto r = seed(made); !r)
        return r;
    for (auto& [n, cd] : counters_)
        refresh(n, cd, 0);
    ports_.events.on_queue_event([this, alive = std::weak_ptr<bool>(alive_)](const queue::Event& e) {
        if (auto a = alive.lock(); a && *a)
            on_queue_event(e);
    });
    for (auto& b : made)
        b->start();
    if (!buses_.empty())
        spdlog::info("RS-485 devices started buses={} devices={} rating_window_s={}", buses_.size(),
                     devs.devices.size(), devs.rating_window_s);
    return {};
}

std::shared_ptr<modbus::BusInterface> Devices::add_bus(const modbus::BusConfig& b)
{
    // Events of a bus that a reload retired are not taken: its devices keep them for the new one.
    auto current = std::make_shared<bool>(true);
    modbus::Handlers h;
    std::weak_ptr<bool> alive = alive_;
    h.on_event = [this, alive, current](const modbus::KeyEvent& ev, modbus::EventCommit commit) {
        if (auto a = alive.lock(); a && *a && *current)
            on_key(ev, std::move(commit), current);
    };
    h.on_state = [this, alive, current](const modbus::DeviceStats& st) {
        if (auto a = alive.lock(); a && *a && *current)
            on_state(st);
    };
    auto first_contact = ports_.startup.startup_step("bus " + b.name);
    h.on_first_contact = first_contact;
    auto made = make_bus_(b, ports_.queue.config().devices, std::move(h));
    buses_.push_back(RunningBus{made, current, std::move(first_contact)});
    return made;
}

void Devices::retire(RunningBus& b, std::string_view why)
{
    *b.current = false;
    // Joins the worker: it finishes its transaction in flight (at most one response
    // timeout) and closes its port before a new bus opens it. A technician's operation
    // still waiting ends with "bus_stopped"; whoever holds the bus frees it.
    b.bus->stop();
    b.first_contact(); // its first contact will never be reported
    spdlog::info("Bus stopped by the reload bus={} reason={}", b.bus->name(), why);
}

void Devices::map_counters()
{
    // Counter state outlives the mapping: the rating windows go on until they were due to end.
    auto windows = rating_windows();
    counters_.clear();
    for (const auto& d : ports_.queue.config().devices.devices)
    {
        if (d.role == DeviceRole::kiosk_panel)
            continue;
        Where w{bus(d.bus).get(), d.name, d.brightness};
        if (!w.bus)
            continue;
        auto& cd = counters_[d.counter];
        (d.role == DeviceRole::display ? cd.display : d.role == DeviceRole::keypad ? cd.keypad : cd.rating) = w;
    }
    resume_rating_windows(windows);
}

void Devices::reconfigure()
{
    if (stopping_)
        return;
    const auto& devs = ports_.queue.config().devices;
    std::vector<RunningBus> kept;
    for (auto& b : buses_)
    {
        const auto* now = devs.bus(b.bus->name());
        if (now && b.bus->same_setup(*now, devs.devices, devs.profiles))
            kept.push_back(std::move(b));
        else
            retire(b, now ? "changed" : "removed");
    }
    buses_ = std::move(kept);
    const auto untouched = buses_.size();
    std::vector<std::shared_ptr<modbus::BusInterface>> made;
    for (const auto& b : devs.buses)
        if (!bus(b.name))
            made.push_back(add_bus(b));
    map_counters();
    if (auto r = seed(made); !r)
        spdlog::error("Key event sequence numbers not restored after the reload error=\"{}\"", r.error().message);
    // Displays and keypads show what they showed: a kept bus finds nothing new to write,
    // a new one writes it once; presses made meanwhile waited in the devices' FIFOs.
    for (auto& [n, cd] : counters_)
        refresh(n, cd, 0);
    for (auto& b : made)
        b->start();
    spdlog::info("RS-485 devices reloaded buses={} untouched={} started={}", buses_.size(), untouched, made.size());
}

Result<void> Devices::seed(const std::vector<std::shared_ptr<modbus::BusInterface>>& buses)
{
    if (buses.empty())
        return {};
    // The newest handled sequence number of every device, from the journal.
    auto last = store::last_key_sequences(ports_.store.db);
    if (!last)
        return last.error();
    int seeded = 0;
    for (const auto& k : *last)
        for (const auto& b : buses)
            if (b->name() == k.bus)
            {
                b->seed_last_committed(k.device, k.seq);
                ++seeded;
            }
    if (seeded)
        spdlog::info("Key event sequence numbers restored from the journal devices={}", seeded);
    return {};
}

void Devices::stop()
{
    if (stopping_)
        return;
    stopping_ = true;
    if (!ports_.queue.config().devices.dashes_on_exit)
        return;
    modbus::DisplayImage dashes;
    dashes.mode = modbus::DisplayMode::dashes;
    for (auto& [n, cd] : counters_)
        if (cd.display)
        {
            auto img = dashes;
            img.counter = n;
            img.brightness = cd.display->brightness;
            cd.display->bus->show(cd.display->device, img);
        }
}

std::shared_ptr<modbus::BusInterface> Devices::bus(std::string_view name) const
{
    for (const auto& b : buses_)
        if (b.bus->name() == name)
            return b.bus;
    return nullptr;
}

std::optional<std::pair<std::shared_ptr<modbus::BusInterface>, std::string>> Devices::display_of(int counter) const
{
    auto it = counters_.find(counter);
    if (it == counters_.end() || !it->second.display)
        return std::nullopt;
    auto b = bus(it->second.display->bus->name());
    if (!b)
        return std::nullopt;
    return std::pair{b, it->second.display->device};
}

void Devices::refresh(int counter, CounterDevices& cd, int blinks)
{
    refresh_display(counter, cd, blinks);
    refresh_feedback(counter, cd);
}

void Devices::refresh_feedback(int counter, CounterDevices& cd)
{
    const auto& engine = ports_.queue.engine();
    const auto* c = engine.counter(counter);
    auto state = c ? c->state : queue::CounterState::closed;
    const queue::Ticket* held = c && c->ticket ? engine.ticket(c->ticket) : nullptr;
    int waiting = state == queue::CounterState::closed ? 0 : engine.waiting_for_counter(counter);
    if (cd.keypad)
    {
        modbus::FeedbackImage fb;
        if (held)
            fb.show_number = held->number % 10000;
        fb.waiting = waiting;
        if (state == queue::CounterState::closed)
            fb.led = modbus::Led::off;
        else
            fb.led = waiting == 0 ? modbus::Led::red : modbus::Led::green;
        cd.keypad->bus->feedback(cd.keypad->device, fb);
        if (cd.last_waiting == 0 && waiting > 0)
            cd.keypad->bus->beep(cd.keypad->device, 1);
    }
    cd.last_waiting = waiting;
}

void Devices::refresh_display(int counter, CounterDevices& cd, int blinks)
{
    const auto& engine = ports_.queue.engine();
    const auto* c = engine.counter(counter);
    auto state = c ? c->state : queue::CounterState::closed;
    const queue::Ticket* held = c && c->ticket ? engine.ticket(c->ticket) : nullptr;
    if (cd.display)
    {
        modbus::DisplayImage img;
        img.counter = counter;
        img.brightness = cd.display->brightness;
        if (state == queue::CounterState::closed || state == queue::CounterState::paused)
            img.mode = modbus::DisplayMode::dashes;
        else if (held)
        {
            img.mode = modbus::DisplayMode::number;
            img.number = held->number % 10000;
            img.blinks = blinks;
            img.blink_period = kBlinkPeriod;
        }
        cd.display->bus->show(cd.display->device, img);
    }
}

void Devices::on_queue_event(const queue::Event& e)
{
    using queue::EventKind;
    bool others_stale = false;
    for (auto& [n, cd] : counters_)
    {
        bool blink = n == e.counter && (e.kind == EventKind::called || e.kind == EventKind::recalled);
        int waiting = ports_.queue.engine().waiting_for_counter(n);
        // Another counter's keypad only needs a new SHOW_WAITING: batched (kFeedbackBatch),
        // so a busy office does not fill the bus with feedback writes ahead of the polls.
        // Its LED and beep (empty <-> not empty) and everything of this counter go now.
        if (n == quiet_counter_ && e.kind == EventKind::done)
            continue;
        if (n == e.counter || cd.last_waiting < 0 || (cd.last_waiting == 0) != (waiting == 0))
            refresh(n, cd, blink ? kCallBlinks : 0);
        else
        {
            refresh_display(n, cd, 0);
            others_stale = true;
        }
    }
    if (others_stale && !feedback_timer_pending_)
    {
        feedback_timer_pending_ = true;
        if (!feedback_timer_)
            feedback_timer_ = std::make_unique<boost::asio::steady_timer>(ports_.io);
        feedback_timer_->expires_after(kFeedbackBatch);
        feedback_timer_->async_wait([this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
            auto a = alive.lock();
            if (ec || !a || !*a)
                return;
            feedback_timer_pending_ = false;
            // Feedback only: rewriting a display here could replace a call's blink.
            for (auto& [n, cd] : counters_)
                refresh_feedback(n, cd);
        });
    }
    if (e.kind == EventKind::done && e.ticket)
        if (auto it = counters_.find(e.counter); it != counters_.end() && it->second.rating)
            open_rating_window(e.counter, it->second, e.ticket);
}

std::vector<Devices::RatingWindow> Devices::rating_windows() const
{
    std::vector<RatingWindow> out;
    for (const auto& [n, cd] : counters_)
        if (cd.rating_ticket)
            out.push_back(RatingWindow{n, cd.rating_ticket, cd.rating_until});
    return out;
}

void Devices::resume_rating_windows(const std::vector<RatingWindow>& windows)
{
    auto now = std::chrono::steady_clock::now();
    for (const auto& w : windows)
        if (auto it = counters_.find(w.counter); it != counters_.end() && it->second.rating && w.until > now)
            open_rating_window(w.counter, it->second, w.ticket,
                               std::chrono::duration_cast<std::chrono::milliseconds>(w.until - now));
}

void Devices::open_rating_window(int counter, CounterDevices& cd, queue::TicketId ticket)
{
    open_rating_window(counter, cd, ticket, std::chrono::seconds(ports_.queue.config().devices.rating_window_s));
}

void Devices::open_rating_window(int counter, CounterDevices& cd, queue::TicketId ticket,
                                 std::chrono::milliseconds window)
{
    cd.rating_ticket = ticket;
    cd.rating_until = std::chrono::steady_clock::now() + window;
    modbus::FeedbackImage fb;
    fb.led = modbus::Led::green_blink;
    cd.rating->bus->feedback(cd.rating->device, fb);
    if (!cd.rating_timer)
        cd.rating_timer = std::make_unique<boost::asio::steady_timer>(ports_.io);
    cd.rating_timer->expires_after(window);
    cd.rating_timer->async_wait([this, counter, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
        auto a = alive.lock();
        if (ec || !a || !*a)
            return;
        auto it = counters_.find(counter);
        if (it != counters_.end() && it->second.rating_ticket &&
            std::chrono::steady_clock::now() >= it->second.rating_until)
            close_rating_window(it->second);
    });
}

void Devices::close_rating_window(CounterDevices& cd)
{
    cd.rating_ticket = 0;
    if (cd.rating)
        cd.rating->bus->feedback(cd.rating->device, modbus::FeedbackImage{});
}

void Devices::on_key(const modbus::KeyEvent& ev, modbus::EventCommit commit, const std::shared_ptr<bool>& current)
{
    if (stopping_)
        return; // not acknowledged: the device keeps it for the next run
    // The same press delivered again while it is handled (a reload restarted its bus): not
    // taken now; it comes back and is acknowledged once the first delivery is committed.
    if (!handling_.insert(KeyId{ev.bus, ev.device, ev.seq}).second)
        return;
    boost::asio::co_spawn(ports_.io, handle_key(ev, std::move(commit), key_row(ev), alive_, current),
                          log_failure("key event of " + ev.bus + "/" + ev.device));
}

namespace
{
// Ends a press's "being handled" mark however its handling ends (an exception included),
// unless the Devices that held it is gone.
struct HandlingMark
{
    std::set<std::tuple<std::string, std::string, std::uint16_t>>& keys;
    std::weak_ptr<bool> alive;
    std::tuple<std::string, std::string, std::uint16_t> key;
    ~HandlingMark()
    {
        if (auto a = alive.lock(); a && *a)
            keys.erase(key);
    }
};
} // namespace

boost::asio::awaitable<void> Devices::handle_key(modbus::KeyEvent ev, modbus::EventCommit commit,
                                                 store::JournalRow row, std::shared_ptr<bool> alive,
                                                 std::shared_ptr<bool> current)
{
    HandlingMark mark{handling_, alive, KeyId{ev.bus, ev.device, ev.seq}};
    const auto actor = command::Actor::device(ev.bus, ev.device, ev.counter);
    auto handled = co_await run_key(actor, ev, row);
    if (!*alive)
        co_return; // the daemon stops: not acknowledged unless committed, then delivered again
    finish(actor, ev, std::move(commit), std::move(row), std::move(handled), !*current);
}

boost::asio::awaitable<Result<json>> Devices::run_key(const command::Actor& actor, const modbus::KeyEvent& ev,
                                                     const store::JournalRow& row)
{
    if (ev.role == DeviceRole::keypad)
        co_return co_await keypad_key(actor, ev, row);
    if (ev.role == DeviceRole::kiosk_panel)
        co_return co_await kiosk_key(actor, ev, row);
    if (ev.role == DeviceRole::rating)
        co_return rating_key(actor, ev, row);
    co_return make_error("unknown_role", "A display has no keys.");
}

void Devices::publish_key(const modbus::KeyEvent& ev, const Result<json>& handled)
{
    json published{{"event", "key"},    {"bus", ev.bus},
                   {"device", ev.device}, {"role", config::to_string(ev.role)},
                   {"seq", ev.seq},       {"key", ev.key},
                   {"key_name", key_name(ev.role, ev.key)}, {"arg", ev.arg}};
    if (ev.counter)
        published["counter"] = ev.counter;
    if (!ev.kiosk.empty())
        published["kiosk"] = ev.kiosk;
    if (handled)
    {
        published["ok"] = true;
        published["result"] = *handled;
    }
    else
    {
        published["ok"] = false;
        published["error"] = {{"code", handled.error().code}, {"message", handled.error().message}};
    }
    ports_.events.publish("keys", published);
}

void Devices::acknowledge(const modbus::KeyEvent& ev, const modbus::EventCommit& commit, bool bus_replaced)
{
    commit.commit();
    // A reload replaced the bus that delivered the press while it was handled: the new bus
    // (seeded from the journal before this commit) must acknowledge it, not deliver it again.
    if (bus_replaced)
        if (auto b = bus(ev.bus))
            b->seed_last_committed(ev.device, ev.seq);
}

void Devices::finish(const command::Actor& actor, const modbus::KeyEvent& ev, modbus::EventCommit commit, store::JournalRow row,
                     Result<json> handled, bool bus_replaced)
{
    if (handled)
    {
        acknowledge(ev, commit, bus_replaced);
        publish_key(ev, handled);
        return;
    }
    if (store::is_database_error(handled.error()))
    {
        // Not durable: leave it unacknowledged; the device delivers it again.
        spdlog::error("Key event not committed bus={} device={} seq={} error=\"{}\"", ev.bus, ev.device, ev.seq,
                      handled.error().message);
        return;
    }
    // Refused by the engine (nothing waiting, counter closed …): handled all the same.
    set_outcome(row, handled.error().code);
    std::vector<store::JournalRow> rows{row};
    if (auto r = ports_.committer.commit_rows(actor, rows); !r)
    {
        spdlog::error("Key event not committed bus={} device={} seq={} error=\"{}\"", ev.bus, ev.device, ev.seq,
                      r.error().message);
        return;
    }
    acknowledge(ev, commit, bus_replaced);
    spdlog::info("Key refused bus={} device={} key={} arg={} reason={}", ev.bus, ev.device, key_name(ev.role, ev.key),
                 ev.arg, handled.error().code);
    if (ev.role == DeviceRole::keypad)
        if (auto it = counters_.find(ev.counter); it != counters_.end() && it->second.keypad)
            it->second.keypad->bus->beep(it->second.keypad->device, 2);
    publish_key(ev, handled);
}

boost::asio::awaitable<Result<json>> Devices::keypad_key(const command::Actor& actor, const modbus::KeyEvent& ev,
                                                        store::JournalRow row)
{
    const int counter = ev.counter;
    json args{{"counter", counter}};
    const char* command = nullptr;
    switch (ev.key)
    {
    case 1: command = "next"; break;
    case 2: command = "recall"; break;
    case 3: command = "no-show"; break;
    case 4:
        command = "transfer";
        if (ev.arg > 100)
            args["to_counter"] = ev.arg - 100;
        else if (const auto* s = ports_.queue.config().service_by_number(ev.arg))
            args["to_service"] = s->id;
        else
            co_return make_error("unknown_service", "No service has number " + std::to_string(ev.arg) + ".");
        break;
    case 5:
        command = "pause";
        args["reason"] = ev.arg;
        break;
    case 6: command = "resume"; break;
    case 7: command = "done"; break;
    default: co_return make_error("unknown_key", "Keypad key " + std::to_string(ev.key) + " means nothing.");
    }
    set_outcome(row, "ok");
    command::Call call{actor, args, {row}};
    quiet_counter_ = ev.key == 1 ? counter : 0;
    auto e = co_await ports_.commands.run(command, call);
    quiet_counter_ = 0;
    if (!e)
    {
        if (auto it = counters_.find(counter); it != counters_.end())
            refresh(counter, it->second, 0); // NEXT's finish may not be shown yet
        co_return e.error();
    }
    // What the keypad's "keys" watchers see: the event and the ticket's label.
    json j{{"event", e->value("event", "")}, {"counter", counter}};
    if (e->contains("ticket") && e->at("ticket").is_object())
        j["ticket"] = e->at("ticket").value("label", "");
    co_return j;
}

Result<json> Devices::rating_key(const command::Actor& actor, const modbus::KeyEvent& ev, store::JournalRow row)
{
    auto it = counters_.find(ev.counter);
    if (ev.key < 1 || ev.key > 3)
        return make_error("unknown_key", "Rating key " + std::to_string(ev.key) + " means nothing.");
    if (it == counters_.end() || !it->second.rating_ticket ||
        std::chrono::steady_clock::now() >= it->second.rating_until)
    {
        spdlog::info("Rating key ignored outside the rating window counter={} device={} key={}", ev.counter,
                     ev.device, ev.key);
        return make_error("no_rating_window", "No ticket waits for a rating at counter " +
                                                  std::to_string(ev.counter) + ".");
    }
    auto& cd = it->second;
    auto ticket = cd.rating_ticket;
    const auto* t = ports_.queue.engine().ticket(ticket);
    if (!t)
        return make_error("unknown_ticket", "The rated ticket is no longer known.");
    auto rated = store::ticket_rated(ports_.store.db, ticket);
    if (!rated)
        return rated.error();
    // Panel keys: 1 rất hài lòng, 2 hài lòng, 3 không hài lòng; journal scores: 3, 2, 1.
    dossier::RatingSubject subject{true,       t->called_at.has_value(), t->state == queue::TicketState::done,
                                   t->state == queue::TicketState::no_show, t->counter, t->officer, t->service,
                                   *rated};
    const auto* s = ports_.queue.config().service(t->service);
    auto decided = dossier::decide_rating(ticket, subject, 4 - ev.key, s ? (s->field.empty() ? s->name : s->field) : "");
    if (!decided)
    {
        close_rating_window(cd);
        return decided.error();
    }
    auto rating = store::rating_row(*decided, dossier::RatingSource::panel, row.wall, row.mono_ns);
    int score = decided->score;
    json payload = dossier::to_json(*decided);
    payload["source"] = "panel";
    set_outcome(row, "ok");
    row.ticket = ticket;
    std::vector<store::JournalRow> rows{rating, row};
    if (auto r = ports_.committer.commit_rows(actor, rows); !r)
        return r.error();
    close_rating_window(cd);
    spdlog::info("Rating given counter={} ticket={} score={}", t->counter, ticket, score);
    payload["event"] = "rated";
    return payload;
}

boost::asio::awaitable<Result<json>> Devices::kiosk_key(const command::Actor& actor, const modbus::KeyEvent& ev,
                                                       store::JournalRow row)
{
    const auto& cfg = ports_.queue.config();
    const config::Service* service = nullptr;
    const auto* kiosk = cfg.printing.kiosk(ev.kiosk);
    if (kiosk && !kiosk->services.empty())
    {
        if (ev.key >= 1 && ev.key <= static_cast<int>(kiosk->services.size()))
            service = cfg.service(kiosk->services[static_cast<std::size_t>(ev.key - 1)]);
    }
    else
        service = cfg.service_by_number(ev.key);
    if (!service)
        co_return make_error("unknown_service", "Kiosk " + ev.kiosk + " has no service button " +
                                                    std::to_string(ev.key) + ".");
    json args{{"service", service->id}};
    if (ev.arg)
    {
        const auto* pc = cfg.priority_class_by_number(ev.arg);
        if (!pc)
            co_return make_error("unknown_priority", "No priority class has number " + std::to_string(ev.arg) + ".");
        args["priority"] = pc->id;
    }
    // A kiosk with a printer: "issue" checks the printer, commits the ticket with this
    // press's row in one transaction, then prints (app/printing.cpp). Without one, the
    // ticket is only committed.
    if (kiosk && !kiosk->printer.empty())
        args["kiosk"] = ev.kiosk;
    set_outcome(row, "ok");
    command::Call call{actor, args, {row}};
    auto issued = co_await ports_.commands.run("issue", call);
    if (!issued)
        co_return issued.error();
    json j = *issued;
    j["event"] = "issued";
    j["kiosk"] = ev.kiosk;
    co_return j;
}

void Devices::on_state(const modbus::DeviceStats& st)
{
    ports_.events.publish("devices", json{{"event", "device_state"},
                                           {"bus", st.bus},
                                           {"device", st.name},
                                           {"slave", st.slave},
                                           {"role", config::to_string(st.role)},
                                           {"state", modbus::to_string(st.state)},
                                           {"error", st.last_error}});
}

json Devices::report() const
{
    json buses = json::array();
    for (const auto& running : buses_)
    {
        const auto& b = running.bus;
        auto status = b->status();
        json devices = json::array();
        for (const auto& d : b->devices())
        {
            json j{{"name", d.name},
                   {"slave", d.slave},
                   {"role", config::to_string(d.role)},
                   {"profile", d.profile},
                   {"state", modbus::to_string(d.state)},
                   {"last_error", d.last_error},
                   {"requests", d.requests},
                   {"timeouts", d.timeouts},
                   {"crc_errors", d.crc_errors},
                   {"other_errors", d.other_errors},
                   {"mean_reply_ms", d.mean_reply_ms}};
            j["firmware"] = d.firmware ? json(*d.firmware) : json(nullptr);
            devices.push_back(j);
        }
        const auto* cfg = ports_.queue.config().devices.bus(b->name());
        buses.push_back({{"name", b->name()},
                         {"device", cfg ? cfg->device : ""},
                         {"open", status.open},
                         {"error", status.error},
                         {"devices", devices}});
    }
    return buses;
}

std::string Devices::status_part() const
{
    int total = 0, online = 0;
    for (const auto& b : buses_)
        for (const auto& d : b.bus->devices())
        {
            ++total;
            online += d.state != modbus::DeviceState::offline;
        }
    return "devices " + std::to_string(online) + "/" + std::to_string(total) + " online";
}

} // namespace motcua::app
