#pragma once

// Fakes of the application's ports (app/ports.hpp) and of a bus, so that Devices can be run
// without a daemon, a serial line or a clock: the office decides and applies queue events
// on a real engine and appends the rows to a real in-memory journal; the bus remembers what
// it was asked to show and lets the test press its devices' keys.

#include "app/ports.hpp"
#include "config/load.hpp"
#include "modbus/bus.hpp"
#include "modbus/device_state.hpp"
#include "process.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "store/tickets.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace motcua::app::testing
{

using motcua::testing::source_dir;

// A config from TOML text, through the real loader (device names, profiles).
inline config::Config load_config(const std::string& text)
{
    auto loaded = config::load_string(text, "office.toml", {source_dir() + "/config"});
    EXPECT_TRUE(loaded.diags.ok()) << loaded.diags.str();
    return loaded.config.value_or(config::Config{});
}

// The composition root's part: queue view, committer, events, start-up steps.
class FakeOffice final : public QueueView, public Committer, public Events, public StartupSteps
{
  public:
    explicit FakeOffice(config::Config cfg)
        : cfg_(std::make_shared<const config::Config>(std::move(cfg))), engine_(*cfg_)
    {
        auto db = store::Database::open(":memory:");
        EXPECT_TRUE(db.ok());
        db_ = std::move(db.value());
        journal_ = std::make_unique<store::Journal>(*db_);
        tickets_ = std::make_unique<store::Tickets>(*db_);
    }

    // QueueView
    const config::Config& config() const override { return *cfg_; }
    std::shared_ptr<const config::Config> shared_config() const override { return cfg_; }
    const queue::Engine& engine() const override { return engine_; }

    // Events
    void on_queue_event(std::function<void(const queue::Event&)> listener) override
    {
        listeners_.push_back(std::move(listener));
    }
    void on_reload(std::function<void()> listener) override { reload_listeners_.push_back(std::move(listener)); }
    void publish(const std::string& topic, const control::json& event) override
    {
        published.emplace_back(topic, event);
    }

    // StartupSteps
    std::function<void()> startup_step(std::string what) override
    {
        steps.push_back(what);
        return [this, what] { steps_over.push_back(what); };
    }

    // A new config, as Application::reconfigure() swaps it in.
    void replace_config(config::Config cfg)
    {
        cfg_ = std::make_shared<const config::Config>(std::move(cfg));
        engine_.reconfigure(*cfg_);
        for (const auto& l : reload_listeners_)
            l();
    }

    // Each commit happens one second after the previous one, on 2025-07-01 from 08:00.
    Now tick()
    {
        ++seconds_;
        auto wall = from_local(Date{std::chrono::year{2025}, std::chrono::July, std::chrono::day{1}}, TimeOfDay{8 * 60},
                               cfg_->office.utc_offset) +
                    std::chrono::seconds(seconds_);
        return Now{wall, std::chrono::seconds(1000 + seconds_)};
    }

    // A queue event from the test itself (a clerk at the control socket).
    queue::Event commit_ok(const Decide& decide)
    {
        auto e = commit(command::Actor::system(), decide);
        EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message);
        return e.ok() ? e.value() : queue::Event{};
    }

    // The journal as committed: kind and actor label of each row.
    std::vector<store::JournalRow> rows() const
    {
        std::vector<store::JournalRow> out;
        auto all = journal_->read(1, 100000);
        EXPECT_TRUE(all.ok());
        if (all)
            out = *all;
        return out;
    }
    std::vector<store::JournalRow> rows_of_kind(const std::string& kind) const
    {
        std::vector<store::JournalRow> out;
        for (auto& r : rows())
            if (r.kind == kind)
                out.push_back(r);
        return out;
    }

    Store store() { return Store{*db_, *journal_, *tickets_}; }
    store::Journal& journal() { return *journal_; }

    // What the test can inspect or break.
    std::vector<std::pair<std::string, control::json>> published;
    std::vector<std::string> steps, steps_over;
    bool disk_full = false; // every commit fails as a full disk does

  protected:
    Result<queue::Event> commit_event(const command::Actor& actor, const Decide& decide,
                                      std::vector<store::JournalRow> extra_rows) override
    {
        auto now = tick();
        if (auto roll = engine_.rollover(now))
        {
            engine_.apply(*roll);
            for (const auto& l : listeners_)
                l(*roll);
        }
        auto decided = decide(engine_, now);
        if (!decided)
            return decided;
        for (auto& row : extra_rows)
            if (row.ticket == 0)
                row.ticket = decided->ticket;
        store::JournalRow event_row;
        event_row.kind = queue::to_string(decided->kind);
        event_row.wall = now.wall;
        event_row.ticket = decided->ticket;
        event_row.counter = decided->counter;
        extra_rows.insert(extra_rows.begin(), event_row);
        if (auto r = commit_journal_rows(actor.label(), extra_rows, {}); !r)
            return r.error();
        engine_.apply(*decided);
        for (const auto& l : listeners_)
            l(*decided);
        return decided;
    }

    Result<void> commit_journal_rows(const std::string& actor_label, std::vector<store::JournalRow>& rows,
                                     const Also& also) override
    {
        if (disk_full)
            return make_error(std::string(store::database_disk_code), "disk full (fake)");
        return db_->transaction([&]() -> Result<void> {
            for (auto& row : rows)
            {
                auto payload = control::json::parse(row.payload, nullptr, false);
                if (payload.is_object())
                {
                    payload["actor"] = actor_label;
                    row.payload = payload.dump();
                }
                if (auto a = journal_->append(row); !a)
                    return a;
            }
            return also ? also() : Result<void>{};
        });
    }

  private:
    std::shared_ptr<const config::Config> cfg_;
    queue::Engine engine_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<store::Journal> journal_;
    std::unique_ptr<store::Tickets> tickets_;
    std::vector<std::function<void(const queue::Event&)>> listeners_;
    std::vector<std::function<void()>> reload_listeners_;
    int seconds_ = 0;
};

// A bus without a line: it keeps what it was asked to show, and the test plays its devices.
class FakeBus final : public modbus::BusInterface
{
  public:
    FakeBus(const modbus::BusConfig& bus, const config::Devices& devices, modbus::Handlers handlers)
        : bus_(bus), handlers_(std::move(handlers))
    {
        for (const auto& d : devices.devices)
            if (d.bus == bus.name)
            {
                devices_.push_back(d);
                modbus::DeviceStats st;
                st.bus = bus.name;
                st.name = d.name;
                st.slave = d.slave;
                st.role = d.role;
                st.profile = d.profile;
                st.state = modbus::DeviceState::online;
                stats_.push_back(st);
            }
        all_devices_ = devices.devices;
        profiles_ = devices.profiles;
    }

    void start() override { started = true; }
    void stop() override
    {
        stopped = true;
        for (auto& done : pending_scans_)
            done(make_error("bus_stopped", "Bus " + bus_.name + " stopped (fake)."));
        pending_scans_.clear();
    }
    const std::string& name() const override { return bus_.name; }
    bool same_setup(const modbus::BusConfig& bus, const std::vector<modbus::DeviceConfig>& devices,
                    const std::vector<modbus::DeviceProfile>& profiles) const override
    {
        std::vector<modbus::DeviceConfig> mine, theirs;
        for (const auto& d : all_devices_)
            if (d.bus == bus_.name)
                mine.push_back(d);
        for (const auto& d : devices)
            if (d.bus == bus.name)
                theirs.push_back(d);
        return bus == bus_ && mine == theirs && profiles == profiles_;
    }

    bool show(std::string_view device, const modbus::DisplayImage& image) override
    {
        if (!has(device, modbus::DeviceRole::display))
            return false;
        // As the real bus: the same steady image again is nothing to write.
        auto& now = shown[std::string(device)];
        auto steady = now;
        steady.blinks = 0;
        if (!(image == steady && writes.count(std::string(device))))
            ++writes[std::string(device)];
        now = image;
        return true;
    }
    bool feedback(std::string_view device, const modbus::FeedbackImage& image) override
    {
        fed[std::string(device)] = image;
        return true;
    }
    bool beep(std::string_view device, int beeps) override
    {
        this->beeps[std::string(device)] += beeps;
        return true;
    }
    void seed_last_committed(std::string_view device, std::uint16_t seq) override
    {
        seeded[std::string(device)] = seq;
    }
    std::vector<modbus::DeviceStats> devices() const override { return stats_; }
    modbus::BusStatus status() const override { return {true, ""}; }
    void scan(int, int, std::function<void(Result<std::vector<modbus::ScanEntry>>)> done) override
    {
        pending_scans_.push_back([done](const Error& e) { done(e); });
    }
    void set_id(int, int, std::optional<int>, std::function<void(Result<void>)> done) override
    {
        done(make_error("unsupported", "fake"));
    }
    bool display_test(std::string_view, std::function<void(Result<void>)> done, std::chrono::milliseconds) override
    {
        done(Result<void>{});
        return true;
    }

    // The device `name` sends key `key` (register-map.md codes) with `arg`; returns the
    // event's commit, to see whether the application acknowledged it.
    modbus::EventCommit press(const std::string& device, int key, int arg = 0)
    {
        return deliver(device, key, arg, static_cast<std::uint16_t>(seq_[device] + 1));
    }
    // The same with the event's sequence number: a press delivered again has the same one.
    modbus::EventCommit deliver(const std::string& device, int key, int arg, std::uint16_t seq)
    {
        const modbus::DeviceConfig* d = nullptr;
        for (const auto& c : devices_)
            if (c.name == device)
                d = &c;
        EXPECT_TRUE(d) << "no device " << device << " on " << bus_.name;
        if (!d)
            return {};
        modbus::KeyEvent ev;
        ev.bus = bus_.name;
        ev.device = d->name;
        ev.slave = d->slave;
        ev.role = d->role;
        ev.counter = d->counter;
        ev.kiosk = d->kiosk;
        ev.seq = seq;
        seq_[device] = seq;
        ev.key = key;
        ev.arg = arg;
        ev.pending = 1;
        auto token = std::make_shared<modbus::EventCommit::Token>();
        token->seq = ev.seq;
        modbus::EventCommit commit(token);
        handlers_.on_event(ev, commit);
        return commit;
    }
    // The device `name` changes state (the bus logs it and tells the application).
    void set_state(const std::string& device, modbus::DeviceState state, const std::string& error = "")
    {
        for (auto& st : stats_)
            if (st.name == device)
            {
                st.state = state;
                st.last_error = error;
                handlers_.on_state(st);
            }
    }
    void first_contact() { handlers_.on_first_contact(); }

    std::map<std::string, modbus::DisplayImage> shown;
    std::map<std::string, int> writes; // show() calls that changed the image or blinked
    std::map<std::string, modbus::FeedbackImage> fed;
    std::map<std::string, int> beeps;
    std::map<std::string, std::uint16_t> seeded;
    bool started = false;
    bool stopped = false;

  private:
    bool has(std::string_view device, modbus::DeviceRole role) const
    {
        for (const auto& d : devices_)
            if (d.name == device && d.role == role)
                return true;
        return false;
    }

    modbus::BusConfig bus_;
    modbus::Handlers handlers_;
    std::vector<modbus::DeviceConfig> devices_;
    std::vector<modbus::DeviceConfig> all_devices_;
    std::vector<modbus::DeviceProfile> profiles_;
    std::vector<modbus::DeviceStats> stats_;
    std::map<std::string, std::uint16_t> seq_;
    std::vector<std::function<void(const Error&)>> pending_scans_;
};

} // namespace motcua::app::testing
