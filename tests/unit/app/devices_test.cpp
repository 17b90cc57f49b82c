// Devices against fakes of its ports and of the buses: what it decides without a line —
// which command a key runs and as whom, which rows commit with it, when a key is
// acknowledged, what the displays, keypads and rating panels are asked to show, and which
// buses a reload restarts.

#include "app_fakes.hpp"

#include "app/devices.hpp"
#include "office.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace motcua::app::testing
{
namespace
{
using control::json;
using command::Access;
using command::Call;
using modbus::DeviceState;
using modbus::DisplayMode;
using modbus::Led;
namespace fragment = motcua::testing::fragment;

const std::string office_toml = std::string(R"(
[office]
name = "Văn phòng thử"
unit_code = "000.00.00.H99"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 899
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 900
last = 999
prefix = "DD-"

[[priority_class]]
id = "cao-tuoi"
number = 1
name = "Người cao tuổi"
prefix = "UT-"

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["TP", "DD"]

[register]
database = "motcua.db"

[[printer]]
name = "kiosk-1"
profile = "epson-tm-t20"
transport = "serial"
device = "dev/printer-kiosk-1"

[[kiosk]]
id = "K1"
printer = "kiosk-1"
services = ["DD", "TP"]
)") + fragment::two_buses + fragment::counter_devices + fragment::kiosk_panel_k1;

// One run of a command, as the registry handed it over.
struct Ran
{
    std::string command;
    std::string actor;
    json args;
    std::vector<std::string> also; // kinds of the rows committed with it
};

class DevicesTest : public ::testing::Test
{
  protected:
    boost::asio::io_context io;
    FakeOffice office{load_config(office_toml)};
    command::Registry commands;
    std::vector<Ran> ran;
    std::map<std::string, std::shared_ptr<FakeBus>> buses; // the newest bus of each name
    int buses_made = 0;
    std::unique_ptr<Devices> devices;

    void SetUp() override { add_queue_commands(); }

    void TearDown() override
    {
        devices.reset();
        settle();
    }

    Ports ports()
    {
        return Ports{io, office, office, office, commands, office, office.store()};
    }

    void start()
    {
        devices = std::make_unique<Devices>(
            ports(), [this](const modbus::BusConfig& bus, const config::Devices& devs, modbus::Handlers h) {
                auto b = std::make_shared<FakeBus>(bus, devs, std::move(h));
                buses[bus.name] = b;
                ++buses_made;
                return b;
            });
        auto r = devices->start();
        ASSERT_TRUE(r.ok()) << r.error().message;
        settle();
    }

    // Runs what is ready on the io_context (key handlers), not the timers.
    void settle()
    {
        io.restart();
        io.poll();
    }

    FakeBus& bus(const std::string& name) { return *buses.at(name); }

    // The queue commands a key may run, reduced to their decision on the real engine.
    void add_queue_commands()
    {
        auto record = [this](const std::string& name, Call& call) {
            Ran r{name, call.actor.label(), call.args, {}};
            for (const auto& row : call.also)
                r.also.push_back(row.kind);
            ran.push_back(r);
        };
        using Decide = std::function<Result<queue::Event>(const queue::Engine&, const Now&, const json&)>;
        auto add = [this, record](const std::string& name, Access access, Decide decide) {
            commands.add(name, access, command::sync([this, name, record, decide](Call& call) -> Result<json> {
                record(name, call);
                auto e = office.commit(
                    call.actor, [&](const queue::Engine& engine, const Now& now) { return decide(engine, now, call.args); },
                    std::move(call.also));
                if (!e)
                    return e.error();
                json j{{"event", queue::to_string(e->kind)}, {"counter", e->counter}};
                if (const auto* t = office.engine().ticket(e->ticket))
                    j["ticket"] = office.ticket_json(*t);
                return j;
            }));
        };
        auto counter = [](const json& args) { return args.at("counter").get<int>(); };
        add("next", Access::counter, [counter](const queue::Engine& e, const Now& now, const json& a) {
            return e.call_next(now, counter(a));
        });
        add("recall", Access::counter,
            [counter](const queue::Engine& e, const Now& now, const json& a) { return e.recall(now, counter(a)); });
        add("no-show", Access::counter,
            [counter](const queue::Engine& e, const Now& now, const json& a) { return e.no_show(now, counter(a)); });
        add("done", Access::counter,
            [counter](const queue::Engine& e, const Now& now, const json& a) { return e.done(now, counter(a)); });
        add("resume", Access::counter,
            [counter](const queue::Engine& e, const Now& now, const json& a) { return e.resume(now, counter(a)); });
        add("pause", Access::counter, [counter](const queue::Engine& e, const Now& now, const json& a) {
            return e.pause(now, counter(a), a.at("reason").get<int>());
        });
        add("transfer", Access::counter, [counter](const queue::Engine& e, const Now& now, const json& a) {
            queue::TransferTarget to;
            to.service = a.value("to_service", "");
            to.counter = a.value("to_counter", 0);
            return e.transfer(now, counter(a), to);
        });
        add("issue", Access::issue, [](const queue::Engine& e, const Now& now, const json& a) {
            return e.issue(now, a.at("service").get<std::string>(), a.value("priority", ""));
        });
    }

    void open(int counter)
    {
        office.commit_ok([&](const queue::Engine& e, const Now& now) { return e.open(now, counter, "an"); });
    }
    void issue(const std::string& service, int n = 1)
    {
        for (int i = 0; i < n; ++i)
            office.commit_ok([&](const queue::Engine& e, const Now& now) { return e.issue(now, service, ""); });
    }

    // Presses a key and lets Devices handle it.
    modbus::EventCommit press(const std::string& bus_name, const std::string& device, int key, int arg = 0)
    {
        auto c = bus(bus_name).press(device, key, arg);
        settle();
        return c;
    }

    std::vector<json> published(const std::string& topic) const
    {
        std::vector<json> out;
        for (const auto& [t, e] : office.published)
            if (t == topic)
                out.push_back(e);
        return out;
    }

    std::string outcome(const store::JournalRow& row) const
    {
        return json::parse(row.payload).value("outcome", "");
    }
    std::string actor(const store::JournalRow& row) const { return json::parse(row.payload).value("actor", ""); }
};

constexpr int key_next = 1, key_recall = 2, key_transfer = 4, key_pause = 5, key_done = 7;

TEST_F(DevicesTest, StartShowsTheQueueAndTakesAStartupStepPerBus)
{
    open(1);
    start();
    ASSERT_EQ(buses.size(), 2u);
    EXPECT_TRUE(bus("bus-1").started);
    EXPECT_TRUE(bus("bus-2").started);
    EXPECT_EQ(office.steps, (std::vector<std::string>{"bus bus-1", "bus bus-2"}));
    // Counter 1 is open and serves nobody: a blank display with its brightness; counter 2
    // is closed: dashes.
    EXPECT_EQ(bus("bus-1").shown.at("display-1").mode, DisplayMode::blank);
    EXPECT_EQ(bus("bus-1").shown.at("display-1").brightness, 9);
    EXPECT_EQ(bus("bus-2").shown.at("display-2").mode, DisplayMode::dashes);
    // Keypads: red while nothing waits at an open counter, off at a closed one.
    EXPECT_EQ(bus("bus-1").fed.at("keypad-1").led, Led::red);
    EXPECT_EQ(bus("bus-2").fed.at("keypad-2").led, Led::off);
}

TEST_F(DevicesTest, KeySequencesAreRestoredFromTheJournal)
{
    // A press handled in an earlier run: its device starts from that sequence number.
    std::vector<store::JournalRow> rows(1);
    rows[0].kind = "device.key";
    rows[0].payload = json{{"bus", "bus-2"}, {"device", "keypad-2"}, {"seq", 41}, {"key", 1}, {"arg", 0}}.dump();
    ASSERT_TRUE(office.commit_rows(command::Actor::system(), rows).ok());
    start();
    EXPECT_EQ(bus("bus-2").seeded.at("keypad-2"), 41);
    EXPECT_TRUE(bus("bus-1").seeded.empty());
}

TEST_F(DevicesTest, KeypadNextRunsTheNextCommandAsItsDeviceAndIsAcknowledgedAfterTheCommit)
{
    open(1);
    issue("TP", 2);
    start();
    auto commit = press("bus-1", "keypad-1", key_next);
    ASSERT_EQ(ran.size(), 1u);
    EXPECT_EQ(ran[0].command, "next");
    EXPECT_EQ(ran[0].actor, "device:bus-1/keypad-1");
    EXPECT_EQ(ran[0].args, (json{{"counter", 1}}));
    // The press's row went with the call, into the same commit.
    EXPECT_EQ(ran[0].also, (std::vector<std::string>{"device.key"}));
    EXPECT_TRUE(commit.committed());
    auto keys = office.rows_of_kind("device.key");
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(outcome(keys[0]), "ok");
    EXPECT_EQ(actor(keys[0]), "device:bus-1/keypad-1");
    EXPECT_EQ(keys[0].ticket, 1); // the called ticket

    // The display shows the number, blinking; the keypad shows it and what still waits.
    const auto& img = bus("bus-1").shown.at("display-1");
    EXPECT_EQ(img.mode, DisplayMode::number);
    EXPECT_EQ(img.number, 1);
    EXPECT_GT(img.blinks, 0);
    EXPECT_EQ(bus("bus-1").fed.at("keypad-1").show_number, 1);
    EXPECT_EQ(bus("bus-1").fed.at("keypad-1").waiting, 1);
    EXPECT_EQ(bus("bus-1").fed.at("keypad-1").led, Led::green);

    // The watchers of "keys" hear it with the ticket's label.
    auto heard = published("keys");
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_TRUE(heard[0].value("ok", false));
    EXPECT_EQ(heard[0].value("key_name", ""), "next");
    EXPECT_EQ(heard[0]["result"].value("ticket", ""), "TP-001");
}

TEST_F(DevicesTest, KeypadKeysMapToTheirCommandsAndArguments)
{
    open(1);
    open(2);
    issue("TP", 3);
    start();
    press("bus-1", "keypad-1", key_next);
    press("bus-1", "keypad-1", key_recall);
    press("bus-1", "keypad-1", key_transfer, 102); // to counter 2
    press("bus-1", "keypad-1", key_next);
    press("bus-1", "keypad-1", key_transfer, 2); // to the service numbered 2 (DD)
    press("bus-1", "keypad-1", key_pause, 4);
    ASSERT_EQ(ran.size(), 6u);
    EXPECT_EQ(ran[1].command, "recall");
    EXPECT_EQ(ran[2].command, "transfer");
    EXPECT_EQ(ran[2].args, (json{{"counter", 1}, {"to_counter", 2}}));
    EXPECT_EQ(ran[4].args, (json{{"counter", 1}, {"to_service", "DD"}}));
    EXPECT_EQ(ran[5].command, "pause");
    EXPECT_EQ(ran[5].args, (json{{"counter", 1}, {"reason", 4}}));
    // Paused: dashes.
    EXPECT_EQ(bus("bus-1").shown.at("display-1").mode, DisplayMode::dashes);
}

TEST_F(DevicesTest, ARefusedKeyIsJournalledAcknowledgedAndBeepedTwice)
{
    open(1);
    start();
    int beeps = bus("bus-1").beeps["keypad-1"];
    // Nothing waits: the engine refuses; the press is handled all the same.
    auto commit = press("bus-1", "keypad-1", key_next);
    EXPECT_TRUE(commit.committed());
    auto keys = office.rows_of_kind("device.key");
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(outcome(keys[0]), "nothing_waiting");
    EXPECT_EQ(actor(keys[0]), "device:bus-1/keypad-1");
    EXPECT_EQ(bus("bus-1").beeps["keypad-1"], beeps + 2);
    auto heard = published("keys");
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_FALSE(heard[0].value("ok", true));
    EXPECT_EQ(heard[0]["error"].value("code", ""), "nothing_waiting");

    // A transfer to a service number nobody has: refused before any command runs.
    ran.clear();
    commit = press("bus-1", "keypad-1", key_transfer, 9);
    EXPECT_TRUE(ran.empty());
    EXPECT_TRUE(commit.committed());
    EXPECT_EQ(outcome(office.rows_of_kind("device.key").back()), "unknown_service");
    // An unknown key.
    commit = press("bus-1", "keypad-1", 12);
    EXPECT_TRUE(commit.committed());
    EXPECT_EQ(outcome(office.rows_of_kind("device.key").back()), "unknown_key");
}

TEST_F(DevicesTest, AKeyThatCannotBeCommittedIsNotAcknowledged)
{
    open(1);
    issue("TP");
    start();
    office.disk_full = true;
    auto commit = press("bus-1", "keypad-1", key_next);
    // Not durable: the device keeps it and delivers it again.
    EXPECT_FALSE(commit.committed());
    EXPECT_TRUE(office.rows_of_kind("device.key").empty());
    EXPECT_TRUE(published("keys").empty());
    office.disk_full = false;
    commit = press("bus-1", "keypad-1", key_next);
    EXPECT_TRUE(commit.committed());
    EXPECT_EQ(office.rows_of_kind("called").size(), 1u);
}

TEST_F(DevicesTest, ARatingPanelPressGivesOneRatingInsideTheWindow)
{
    open(1);
    issue("TP");
    start();
    // Outside a window: ignored (journalled as such, acknowledged).
    auto commit = bus("bus-1").press("rating-1", 1);
    settle();
    EXPECT_TRUE(commit.committed());
    EXPECT_EQ(outcome(office.rows_of_kind("device.key").back()), "no_rating_window");

    press("bus-1", "keypad-1", key_next);
    press("bus-1", "keypad-1", key_done);
    // DONE opens the window: the panel blinks green.
    EXPECT_EQ(bus("bus-1").fed.at("rating-1").led, Led::green_blink);
    commit = press("bus-1", "rating-1", 1); // rất hài lòng
    EXPECT_TRUE(commit.committed());
    auto ratings = office.rows_of_kind("rating.given");
    ASSERT_EQ(ratings.size(), 1u);
    EXPECT_EQ(ratings[0].ticket, 1);
    EXPECT_EQ(json::parse(ratings[0].payload).value("score", 0), 3);
    EXPECT_EQ(actor(ratings[0]), "device:bus-1/rating-1");
    EXPECT_EQ(outcome(office.rows_of_kind("device.key").back()), "ok");
    // The window closed with the rating: the panel's LED is off, a second press is refused.
    EXPECT_EQ(bus("bus-1").fed.at("rating-1").led, Led::off);
    press("bus-1", "rating-1", 3);
    EXPECT_EQ(office.rows_of_kind("rating.given").size(), 1u);
    EXPECT_EQ(outcome(office.rows_of_kind("device.key").back()), "no_rating_window");
}

TEST_F(DevicesTest, AKioskButtonIssuesItsServiceThroughTheIssueCommand)
{
    start();
    // Button 1 is the kiosk's first service (DD), not the service numbered 1; the kiosk
    // has a printer, so "issue" gets the kiosk and prints there.
    auto commit = press("bus-1", "kiosk_panel-K1", 1);
    EXPECT_TRUE(commit.committed());
    ASSERT_EQ(ran.size(), 1u);
    EXPECT_EQ(ran[0].command, "issue");
    EXPECT_EQ(ran[0].actor, "device:bus-1/kiosk_panel-K1");
    EXPECT_EQ(ran[0].args, (json{{"service", "DD"}, {"kiosk", "K1"}}));
    EXPECT_EQ(ran[0].also, (std::vector<std::string>{"device.key"}));
    // EVT_ARG: the priority class by its number.
    press("bus-1", "kiosk_panel-K1", 2, 1);
    ASSERT_EQ(ran.size(), 2u);
    EXPECT_EQ(ran[1].args, (json{{"service", "TP"}, {"priority", "cao-tuoi"}, {"kiosk", "K1"}}));
    // A button the kiosk does not have, a priority nobody has: refused, no command.
    press("bus-1", "kiosk_panel-K1", 3);
    EXPECT_EQ(outcome(office.rows_of_kind("device.key").back()), "unknown_service");
    press("bus-1", "kiosk_panel-K1", 1, 7);
    EXPECT_EQ(outcome(office.rows_of_kind("device.key").back()), "unknown_priority");
    EXPECT_EQ(ran.size(), 2u);
    EXPECT_EQ(office.rows_of_kind("issued").size(), 2u);
}

TEST_F(DevicesTest, DeviceStatesReachTheWatchers)
{
    start();
    bus("bus-2").set_state("display-2", DeviceState::offline, "timeout");
    bus("bus-2").set_state("display-2", DeviceState::online);
    auto heard = published("devices");
    ASSERT_EQ(heard.size(), 2u);
    EXPECT_EQ(heard[0].value("event", ""), "device_state");
    EXPECT_EQ(heard[0].value("device", ""), "display-2");
    EXPECT_EQ(heard[0].value("state", ""), "offline");
    EXPECT_EQ(heard[0].value("error", ""), "timeout");
    EXPECT_EQ(heard[1].value("state", ""), "online");
    EXPECT_EQ(devices->status_part(), "devices 6/6 online");
}

TEST_F(DevicesTest, StopShowsDashesAndLeavesLaterKeysUnacknowledged)
{
    open(1);
    issue("TP");
    start();
    devices->stop();
    EXPECT_EQ(bus("bus-1").shown.at("display-1").mode, DisplayMode::dashes);
    EXPECT_EQ(bus("bus-2").shown.at("display-2").mode, DisplayMode::dashes);
    auto commit = press("bus-1", "keypad-1", key_next);
    EXPECT_FALSE(commit.committed());
    EXPECT_TRUE(ran.empty());
}

TEST_F(DevicesTest, TheKeypadBeepsOnceWhenItsQueueFills)
{
    open(1);
    start();
    int beeps = bus("bus-1").beeps["keypad-1"];
    issue("TP");
    issue("TP");
    EXPECT_EQ(bus("bus-1").beeps["keypad-1"], beeps + 1);
    EXPECT_EQ(bus("bus-1").fed.at("keypad-1").led, Led::green);
}

} // namespace
} // namespace motcua::app::testing

namespace motcua::app::testing
{
namespace
{

// The office of office_toml with one edit (a reload's new file).
config::Config edited(const std::string& from, const std::string& to)
{
    std::string text = office_toml;
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos)
        text.replace(at, from.size(), to);
    return load_config(text);
}

const std::string bus1 = "name = \"bus-1\"\ndevice = \"dev/bus-1\"\nbaud = 19200\n";
const std::string bus1_slower = "name = \"bus-1\"\ndevice = \"dev/bus-1\"\nbaud = 9600\n";

class DevicesReload : public DevicesTest
{
  protected:
    void reload(config::Config cfg)
    {
        office.replace_config(std::move(cfg));
        devices->reconfigure();
        settle();
    }
};

TEST_F(DevicesReload, OnlyTheChangedBusRestarts)
{
    open(1);
    open(2);
    issue("TP", 3);
    start();
    press("bus-1", "keypad-1", key_next);
    press("bus-2", "keypad-2", key_next);
    auto old1 = buses.at("bus-1");
    auto old2 = buses.at("bus-2");
    const int writes2 = old2->writes["display-2"];
    const auto fed2 = old2->fed.at("keypad-2");

    // bus-1 runs at another speed now; bus-2 is as it was.
    reload(edited(bus1, bus1_slower));
    EXPECT_EQ(buses_made, 3);
    EXPECT_TRUE(old1->stopped);
    EXPECT_NE(buses.at("bus-1"), old1);
    EXPECT_TRUE(buses.at("bus-1")->started);
    EXPECT_EQ(buses.at("bus-2"), old2);
    EXPECT_FALSE(old2->stopped);
    // Untouched: nothing rewritten on bus-2. The new bus-1 shows what the old one showed and
    // starts from the journal's last press of its keypad.
    EXPECT_EQ(old2->writes["display-2"], writes2);
    EXPECT_EQ(old2->fed.at("keypad-2"), fed2);
    EXPECT_EQ(bus("bus-1").shown.at("display-1").mode, DisplayMode::number);
    EXPECT_EQ(bus("bus-1").shown.at("display-1").number, 1);
    EXPECT_EQ(bus("bus-1").shown.at("display-1").blinks, 0);
    EXPECT_EQ(bus("bus-1").seeded.at("keypad-1"), 1);
    // The retired bus's start-up step is over; the new one took its own.
    EXPECT_EQ(std::count(office.steps.begin(), office.steps.end(), "bus bus-1"), 2);
    EXPECT_EQ(std::count(office.steps_over.begin(), office.steps_over.end(), "bus bus-1"), 1);

    // What the retired bus still posts is not taken; the new one works.
    auto stale = old1->press("keypad-1", key_next);
    settle();
    EXPECT_FALSE(stale.committed());
    EXPECT_EQ(ran.size(), 2u);
    EXPECT_TRUE(press("bus-1", "keypad-1", key_next).committed());
    EXPECT_TRUE(press("bus-2", "keypad-2", key_next).committed());
    EXPECT_EQ(ran.size(), 4u);
    // The technician's view follows the running buses.
    EXPECT_EQ(devices->bus("bus-1"), buses.at("bus-1"));
    EXPECT_EQ(devices->display_of(2)->first, old2);
}

TEST_F(DevicesReload, AnUnchangedConfigTouchesNothing)
{
    open(1);
    start();
    auto before = buses;
    const int writes = bus("bus-1").writes["display-1"];
    reload(load_config(office_toml));
    EXPECT_EQ(buses_made, 2);
    EXPECT_EQ(buses, before);
    EXPECT_FALSE(bus("bus-1").stopped);
    EXPECT_EQ(bus("bus-1").writes["display-1"], writes);
}

TEST_F(DevicesReload, ARemovedBusStopsAndAnAddedOneStarts)
{
    start();
    auto old2 = buses.at("bus-2");
    // bus-2 is renamed bus-3: its devices move with it.
    std::string text = office_toml;
    for (std::size_t at; (at = text.find("bus-2")) != std::string::npos;)
        text.replace(at, 5, "bus-3");
    reload(load_config(text));
    EXPECT_TRUE(old2->stopped);
    ASSERT_TRUE(buses.count("bus-3"));
    EXPECT_TRUE(bus("bus-3").started);
    EXPECT_EQ(bus("bus-3").shown.at("display-2").mode, DisplayMode::dashes);
    EXPECT_EQ(devices->bus("bus-2"), nullptr);
    EXPECT_EQ(devices->report().size(), 2u);
}

TEST_F(DevicesReload, ARatingWindowGoesOnAcrossAReload)
{
    open(1);
    issue("TP");
    start();
    press("bus-1", "keypad-1", key_next);
    press("bus-1", "keypad-1", key_done);
    // Both buses restart (the window is carried, not only kept by an untouched bus).
    std::string text = office_toml;
    for (std::size_t at; (at = text.find("device = \"dev/")) != std::string::npos;)
        text.replace(at, 14, "device = \"/dev/");
    reload(load_config(text));
    EXPECT_EQ(buses_made, 4);
    EXPECT_EQ(bus("bus-1").fed.at("rating-1").led, Led::green_blink);
    press("bus-1", "rating-1", 2);
    ASSERT_EQ(office.rows_of_kind("rating.given").size(), 1u);
    EXPECT_EQ(json::parse(office.rows_of_kind("rating.given")[0].payload).value("score", 0), 2);
}

TEST_F(DevicesReload, APressInFlightWhenItsBusRestartsIsHandledOnceAndAcknowledgedByTheNewBus)
{
    // "issue" waits (as it does for a kiosk's printer) until the test lets it go on.
    boost::asio::steady_timer printer_answer(io, boost::asio::steady_timer::time_point::max());
    int issues = 0;
    commands.add("issue", Access::issue, [&](Call& call) -> boost::asio::awaitable<Result<json>> {
        ++issues;
        boost::system::error_code ec;
        co_await printer_answer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        auto service = call.args.at("service").get<std::string>();
        auto e = office.commit(
            call.actor, [&](const queue::Engine& engine, const Now& now) { return engine.issue(now, service, ""); },
            std::move(call.also));
        if (!e)
            co_return e.error();
        co_return json{{"ticket", e->ticket}};
    });
    start();
    auto first = press("bus-1", "kiosk_panel-K1", 1);
    EXPECT_EQ(issues, 1);
    // The reload restarts bus-1 while the press waits; the new bus has not seen it committed
    // and delivers the same press again: it is not handled a second time.
    reload(edited(bus1, bus1_slower));
    auto again = bus("bus-1").deliver("kiosk_panel-K1", 1, 0, 1);
    settle();
    EXPECT_EQ(issues, 1);
    EXPECT_FALSE(again.committed());
    // The first delivery commits: one ticket, one press row, and the new bus is told the
    // press is done, so it acknowledges the device's FIFO head instead of delivering it.
    printer_answer.cancel();
    settle();
    EXPECT_TRUE(first.committed());
    EXPECT_EQ(office.rows_of_kind("issued").size(), 1u);
    EXPECT_EQ(office.rows_of_kind("device.key").size(), 1u);
    EXPECT_EQ(bus("bus-1").seeded.at("kiosk_panel-K1"), 1);
}

} // namespace
} // namespace motcua::app::testing
