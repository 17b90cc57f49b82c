#include "app/devices.hpp"

#include "app/application.hpp"
#include "dossier/json.hpp"
#include "dossier/rating.hpp"
#include "store/dossiers.hpp"
#include "store/lookups.hpp"
#include "store/ratings.hpp"

#include "app/printing.hpp"
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

Devices::Devices(Application& app) : app_(app) {}

Devices::~Devices()
{
    *alive_ = false;
    for (auto& b : buses_)
        b->stop();
}

Result<void> Devices::start()
{
    const auto& devs = app_.config().devices;
    for (const auto& b : devs.buses)
    {
        modbus::Handlers h;
        std::weak_ptr<bool> alive = alive_;
        h.on_event = [this, alive](const modbus::KeyEvent& ev, modbus::EventCommit commit) {
            if (auto a = alive.lock(); a && *a)
                on_key(ev, std::move(commit));
        };
        h.on_state = [this, alive](const modbus::DeviceStats& st) {
            if (auto a = alive.lock(); a && *a)
                on_state(st);
        };
        h.on_first_contact = app_.startup_step("bus " + b.name);
        buses_.push_back(std::make_unique<modbus::Bus>(app_.io(), b, devs.devices, devs.profiles, std::move(h)));
    }
    for (const auto& d : devs.devices)
    {
        if (d.role == DeviceRole::kiosk_panel)
            continue;
        Where w{bus(d.bus), d.name, d.brightness};
        if (!w.bus)
            continue;
        auto& cd = counters_[d.counter];
        (d.role == DeviceRole::display ? cd.display : d.role == DeviceRole::keypad ? cd.keypad : cd.rating) = w;
    }
    if (auto r = seed(); !r)
        return r;
    for (auto& [n, cd] : counters_)
        refresh(n, cd, 0);
    app_.on_queue_event([this, alive = std::weak_ptr<bool>(alive_)](const queue::Event& e) {
        if (auto a = alive.lock(); a && *a)
            on_queue_event(e);
    });
    for (auto& b : buses_)
        b->start();
    if (!buses_.empty())
        spdlog::info("RS-485 devices started buses={} devices={} rating_window_s={}", buses_.size(),
                     devs.devices.size(), devs.rating_window_s);
    return {};
}

Result<void> Devices::seed()
{
    // The newest handled sequence number of every device, from the journal.
    auto last = store::last_key_sequences(app_.database());
    if (!last)
        return last.error();
    int seeded = 0;
    for (const auto& k : *last)
        if (auto* b = bus(k.bus))
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
    if (!app_.config().devices.dashes_on_exit)
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

modbus::Bus* Devices::bus(std::string_view name)
{
    for (auto& b : buses_)
        if (b->name() == name)
            return b.get();
    return nullptr;
}

std::optional<std::pair<modbus::Bus*, std::string>> Devices::display_of(int counter)
{
    auto it = counters_.find(counter);
    if (it == counters_.end() || !it->second.display)
        return std::nullopt;
    return std::pair{it->second.display->bus, it->second.display->device};
}

void Devices::refresh(int counter, CounterDevices& cd, int blinks)
{
    refresh_display(counter, cd, blinks);
    refresh_feedback(counter, cd);
}

void Devices::refresh_feedback(int counter, CounterDevices& cd)
{
    const auto& engine = app_.engine();
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
    const auto& engine = app_.engine();
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
        int waiting = app_.engine().waiting_for_counter(n);
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
            feedback_timer_ = std::make_unique<boost::asio::steady_timer>(app_.io());
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
    open_rating_window(counter, cd, ticket, std::chrono::seconds(app_.config().devices.rating_window_s));
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
        cd.rating_timer = std::make_unique<boost::asio::steady_timer>(app_.io());
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

void Devices::on_key(const modbus::KeyEvent& ev, modbus::EventCommit commit)
{
    if (stopping_)
        return; // not acknowledged: the device keeps it for the next run
    boost::asio::co_spawn(app_.io(), handle_key(ev, std::move(commit), key_row(ev), alive_),
                          log_failure("key event of " + ev.bus + "/" + ev.device));
}

boost::asio::awaitable<void> Devices::handle_key(modbus::KeyEvent ev, modbus::EventCommit commit,
                                                 store::JournalRow row, std::shared_ptr<bool> alive)
{
    const auto actor = command::Actor::device(ev.bus, ev.device, ev.counter);
    auto handled = co_await run_key(actor, ev, row);
    if (!*alive)
        co_return; // a reload replaced us: not acknowledged unless committed, then delivered again
    finish(actor, ev, std::move(commit), std::move(row), std::move(handled));
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
    app_.control().publish("keys", published);
}

void Devices::finish(const command::Actor& actor, const modbus::KeyEvent& ev, modbus::EventCommit commit, store::JournalRow row,
                     Result<json> handled)
{
    if (handled)
    {
        commit.commit();
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
    if (auto r = app_.commit_rows(actor, rows); !r)
    {
        spdlog::error("Key event not committed bus={} device={} seq={} error=\"{}\"", ev.bus, ev.device, ev.seq,
                      r.error().message);
        return;
    }
    commit.commit();
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
        else if (const auto* s = app_.config().service_by_number(ev.arg))
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
    auto e = co_await app_.commands().run(command, call);
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
    const auto* t = app_.engine().ticket(ticket);
    if (!t)
        return make_error("unknown_ticket", "The rated ticket is no longer known.");
    auto rated = store::ticket_rated(app_.database(), ticket);
    if (!rated)
        return rated.error();
    // Panel keys: 1 rất hài lòng, 2 hài lòng, 3 không hài lòng; journal scores: 3, 2, 1.
    dossier::RatingSubject subject{true,       t->called_at.has_value(), t->state == queue::TicketState::done,
                                   t->state == queue::TicketState::no_show, t->counter, t->officer, t->service,
                                   *rated};
    const auto* s = app_.config().service(t->service);
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
    if (auto r = app_.commit_rows(actor, rows); !r)
        return r.error();
    close_rating_window(cd);
    spdlog::info("Rating given counter={} ticket={} score={}", t->counter, ticket, score);
    payload["event"] = "rated";
    return payload;
}

boost::asio::awaitable<Result<json>> Devices::kiosk_key(const command::Actor& actor, const modbus::KeyEvent& ev,
                                                       store::JournalRow row)
{
    const auto& cfg = app_.config();
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
    if (kiosk && !kiosk->printer.empty() && app_.printing())
        args["kiosk"] = ev.kiosk;
    set_outcome(row, "ok");
    command::Call call{actor, args, {row}};
    auto issued = co_await app_.commands().run("issue", call);
    if (!issued)
        co_return issued.error();
    json j = *issued;
    j["event"] = "issued";
    j["kiosk"] = ev.kiosk;
    co_return j;
}

void Devices::on_state(const modbus::DeviceStats& st)
{
    app_.control().publish("devices", json{{"event", "device_state"},
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
    for (const auto& b : buses_)
    {
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
        const auto* cfg = app_.config().devices.bus(b->name());
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
        for (const auto& d : b->devices())
        {
            ++total;
            online += d.state != modbus::DeviceState::offline;
        }
    return "devices " + std::to_string(online) + "/" + std::to_string(total) + " online";
}

} // namespace motcua::app
