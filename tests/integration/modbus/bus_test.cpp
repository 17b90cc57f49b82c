// The bus driver against the simulated bus over a pty, with the real libmodbus.

#include "bus_fixture.hpp"

#include <atomic>
#include <mutex>
#include <set>
#include <tuple>

using namespace motcua;
using namespace motcua::test;
using config::DeviceRole;
using modbus::DeviceState;
using modbus::DisplayImage;
using modbus::DisplayMode;

namespace
{

struct Rig
{
    TempDir dir;
    config::Bus bus_cfg;
    config::Devices devs;
    std::unique_ptr<sim::ModbusSim> sim;
    boost::asio::io_context io;
    EventLog log;
    std::vector<modbus::DeviceStats> transitions;
    int first_contacts = 0;
    std::unique_ptr<modbus::Bus> bus;

    explicit Rig(std::vector<config::Device> devices, const std::string& name = "bus-1")
    {
        bus_cfg = test_bus(name, dir.path() + "/" + name);
        devs.buses.push_back(bus_cfg);
        devs.devices = std::move(devices);
        for (auto& d : devs.devices)
            d.bus = name;
        add_profiles(devs);
        sim = sim::ModbusSim::for_bus(bus_cfg, devs.devices, devs.profiles);
    }

    void start(modbus::HealthPolicy policy = {})
    {
        if (sim)
        {
            auto r = sim->start();
            ASSERT_TRUE(r.ok()) << r.error().message;
        }
        modbus::Handlers h;
        h.on_event = std::ref(log);
        h.on_state = [this](const modbus::DeviceStats& s) { transitions.push_back(s); };
        h.on_first_contact = [this] { ++first_contacts; };
        bus = std::make_unique<modbus::Bus>(io, bus_cfg, devs.devices, devs.profiles, h, policy);
        bus->start();
    }

    modbus::DeviceStats stats(const std::string& name)
    {
        for (const auto& s : bus->devices())
            if (s.name == name)
                return s;
        ADD_FAILURE() << "no device " << name;
        return {};
    }

    bool wait_state(const std::string& name, DeviceState s, std::chrono::milliseconds limit = std::chrono::seconds(10))
    {
        return run_until(io, [&] { return stats(name).state == s; }, limit);
    }

    ~Rig()
    {
        if (bus)
            bus->stop();
        if (sim)
            sim->stop();
    }
};

std::vector<config::Device> counter_devices(int counter, int first_slave)
{
    return {device("", "display-" + std::to_string(counter), first_slave, DeviceRole::display, counter),
            device("", "keypad-" + std::to_string(counter), first_slave + 1, DeviceRole::keypad, counter)};
}

} // namespace

TEST(Bus, EveryKeypadKeyIsDeliveredOnceThenAcknowledged)
{
    Rig rig(counter_devices(1, 1));
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    // NEXT, RECALL, NO_SHOW, TRANSFER to service 2, PAUSE reason 3, RESUME, DONE.
    std::vector<std::pair<int, int>> keys = {{1, 0}, {2, 0}, {3, 0}, {4, 2}, {4, 103}, {5, 3}, {6, 0}, {7, 0}};
    for (auto [k, a] : keys)
        ASSERT_TRUE(rig.sim->press(2, k, a));
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.log.events.size() == keys.size() && rig.sim->panel(2)->pending == 0; }))
        << rig.log.events.size();
    for (std::size_t i = 0; i < keys.size(); ++i)
    {
        EXPECT_EQ(rig.log.events[i].key, keys[i].first);
        EXPECT_EQ(rig.log.events[i].arg, keys[i].second);
        EXPECT_EQ(rig.log.events[i].counter, 1);
        EXPECT_EQ(rig.log.events[i].device, "keypad-1");
        EXPECT_EQ(rig.log.events[i].role, DeviceRole::keypad);
    }
    EXPECT_FALSE(rig.log.doubled());
    EXPECT_EQ(rig.sim->stats(2).acks, keys.size());
}

TEST(Bus, RatingAndKioskPanelsDeliverTheirKeys)
{
    Rig rig({device("", "rating-1", 3, DeviceRole::rating, 1), device("", "kiosk-panel", 4, DeviceRole::kiosk_panel, 0)});
    rig.start();
    ASSERT_TRUE(rig.wait_state("kiosk-panel", DeviceState::online));
    for (int k = 1; k <= 3; ++k)
        ASSERT_TRUE(rig.sim->press(3, k));
    for (int k = 1; k <= 12; ++k)
        ASSERT_TRUE(rig.sim->press(4, k, k % 3));
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.log.events.size() == 15; }));
    std::vector<int> rating, kiosk;
    for (const auto& e : rig.log.events)
        (e.device == "rating-1" ? rating : kiosk).push_back(e.key * 10 + e.arg);
    EXPECT_EQ(rating, (std::vector<int>{10, 20, 30}));
    ASSERT_EQ(kiosk.size(), 12u);
    EXPECT_EQ(kiosk[4], 52);
    EXPECT_EQ(rig.log.events.back().kiosk, "kiosk-1");
    EXPECT_FALSE(rig.log.doubled());
}

TEST(Bus, EveryDisplayStateReachesTheDisplay)
{
    Rig rig({device("", "display-1", 1, DeviceRole::display, 1), device("", "led", 2, DeviceRole::display, 2, "led-485"),
             device("", "tube", 3, DeviceRole::display, 3, "dm56a04")});
    rig.start();
    ASSERT_TRUE(rig.wait_state("tube", DeviceState::online));

    auto shows = [&](int slave, const std::string& text) {
        return run_until(rig.io, [&] { return rig.sim->display(slave)->text == text; });
    };
    // Called with a blink, as on NEXT.
    ASSERT_TRUE(rig.bus->show("display-1", DisplayImage{DisplayMode::number, 42, 1, 3, 5, 12}));
    ASSERT_TRUE(shows(1, "42"));
    auto v = *rig.sim->display(1);
    EXPECT_EQ(v.counter, 1);
    EXPECT_EQ(v.blinks, 3);
    EXPECT_EQ(v.blink_period, 5);
    EXPECT_EQ(v.brightness, 12);
    // Paused or closed: dashes; then blank.
    rig.bus->show("display-1", DisplayImage{DisplayMode::dashes, 0, 1, 0, 5, 12});
    ASSERT_TRUE(shows(1, "----"));
    EXPECT_EQ(rig.sim->display(1)->blinks, 0);
    rig.bus->show("display-1", DisplayImage{DisplayMode::blank, 0, 1, 0, 5, 12});
    ASSERT_TRUE(shows(1, ""));

    rig.bus->show("led", DisplayImage{DisplayMode::number, 317, 2, 0, 5, 15});
    ASSERT_TRUE(shows(2, "317"));
    rig.bus->show("tube", DisplayImage{DisplayMode::number, 9, 3, 0, 5, 15});
    ASSERT_TRUE(shows(3, "9"));
    rig.bus->show("tube", DisplayImage{DisplayMode::dashes, 0, 3, 0, 5, 15});
    ASSERT_TRUE(shows(3, "----"));
    EXPECT_FALSE(rig.bus->show("nobody", DisplayImage{}));
}

TEST(Bus, KeypadFeedbackBeepAndHeartbeat)
{
    Rig rig(counter_devices(1, 1));
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    ASSERT_TRUE(rig.bus->feedback("keypad-1", modbus::FeedbackImage{17, 4, modbus::Led::green}));
    ASSERT_TRUE(rig.bus->beep("keypad-1", 1));
    ASSERT_TRUE(run_until(rig.io, [&] {
        auto p = *rig.sim->panel(2);
        return p.show_number == 17 && p.waiting == 4 && p.led == 1 && p.beeps == 1;
    }));
    rig.bus->feedback("keypad-1", modbus::FeedbackImage{std::nullopt, 0, modbus::Led::red});
    ASSERT_TRUE(run_until(rig.io, [&] { auto p = *rig.sim->panel(2); return !p.show_number && p.led == 2; }));
    // The heartbeat keeps going up.
    auto hb = rig.sim->panel(2)->heartbeat;
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->panel(2)->heartbeat >= hb + 2; }));
}

TEST(Bus, NextShowsTheNumberOnTheCountersDisplay)
{
    Rig rig(counter_devices(1, 1));
    int number = 100;
    rig.log.also = [&](const modbus::KeyEvent& ev) {
        if (ev.key == 1)
            rig.bus->show("display-1", DisplayImage{DisplayMode::number, ++number, 1, 3, 5, 15});
    };
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    for (int i = 0; i < 5; ++i)
    {
        ASSERT_TRUE(rig.sim->press(2, 1));
        auto want = std::to_string(101 + i);
        ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->display(1)->text == want; })) << want;
    }
}

TEST(Bus, AckWaitsForTheApplicationsCommit)
{
    Rig rig(counter_devices(1, 1));
    rig.log.hold = true;
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    ASSERT_TRUE(rig.sim->press(2, 1));
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.log.events.size() == 1; }));
    // Many polls later the event is still in the device's FIFO and was delivered once.
    auto before = rig.sim->stats(2).requests;
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->stats(2).requests >= before + 5; }));
    EXPECT_EQ(rig.sim->panel(2)->pending, 1);
    EXPECT_EQ(rig.log.events.size(), 1u);
    rig.log.held.front().commit();
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->panel(2)->pending == 0; }));
    EXPECT_EQ(rig.log.events.size(), 1u);
}

TEST(Bus, DroppedEventIsDeliveredAgain)
{
    Rig rig(counter_devices(1, 1));
    rig.log.hold = true;
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    ASSERT_TRUE(rig.sim->press(2, 7));
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.log.events.size() == 1; }));
    rig.log.held.clear(); // the application failed to commit it
    rig.log.hold = false;
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.log.events.size() == 2 && rig.sim->panel(2)->pending == 0; }));
    EXPECT_EQ(rig.log.events[1].seq, rig.log.events[0].seq);
}

TEST(Bus, DisplayGoingOfflineIsRewrittenWhenItComesBack)
{
    Rig rig(counter_devices(1, 1));
    rig.start(modbus::HealthPolicy{3, std::chrono::milliseconds(50), std::chrono::milliseconds(200)});
    ASSERT_TRUE(rig.wait_state("display-1", DeviceState::online));
    rig.bus->show("display-1", DisplayImage{DisplayMode::number, 12, 1, 0, 5, 15});
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->display(1)->text == "12"; }));

    // Unplugged: it goes offline (on heartbeats), and while away the counter calls 13.
    rig.sim->set_faults(1, sim::ModbusFaults{.silent = true});
    ASSERT_TRUE(rig.wait_state("display-1", DeviceState::offline));
    rig.bus->show("display-1", DisplayImage{DisplayMode::number, 13, 1, 2, 5, 15});
    // The keypad keeps working meanwhile.
    ASSERT_TRUE(rig.sim->press(2, 1));
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.log.events.size() == 1; }));
    // Power-cycled while away: it lost its image.
    rig.sim->reboot(1);
    EXPECT_EQ(rig.sim->display(1)->text, "");
    rig.sim->set_faults(1, sim::ModbusFaults{});
    ASSERT_TRUE(rig.wait_state("display-1", DeviceState::online));
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->display(1)->text == "13"; }));

    bool saw_offline = false, saw_online_again = false;
    for (const auto& t : rig.transitions)
        if (t.name == "display-1")
        {
            saw_online_again = saw_offline && t.state == DeviceState::online;
            saw_offline = saw_offline || t.state == DeviceState::offline;
        }
    EXPECT_TRUE(saw_offline);
    EXPECT_TRUE(saw_online_again);
    auto st = rig.stats("display-1");
    EXPECT_GT(st.timeouts, 0u);
    EXPECT_FALSE(st.last_error.empty());
}

TEST(Bus, CrcErrorsGarbageAndLateRepliesNeitherLoseNorDoublePresses)
{
    Rig rig(counter_devices(1, 1));
    rig.start(modbus::HealthPolicy{3, std::chrono::milliseconds(20), std::chrono::milliseconds(100)});
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    sim::ModbusFaults f;
    f.bad_crc_rate = 0.2;
    f.garbage_next = 5;
    f.late_next = 6;
    f.late = std::chrono::milliseconds(rig.bus_cfg.response_timeout_ms + 15);
    rig.sim->set_faults(2, f);
    constexpr int kPresses = 40;
    int pressed = 0;
    // Presses arrive while faults are happening, a few at a time.
    ASSERT_TRUE(run_until(rig.io, [&] {
        if (pressed < kPresses && rig.sim->panel(2)->pending < 4)
            pressed += rig.sim->press(2, 1 + pressed % 7, pressed) ? 1 : 0;
        return pressed == kPresses && rig.sim->panel(2)->pending == 0 &&
               static_cast<int>(rig.log.events.size()) == kPresses;
    }, std::chrono::seconds(30)))
        << "delivered " << rig.log.events.size() << " pending " << rig.sim->panel(2)->pending;
    EXPECT_FALSE(rig.log.doubled());
    for (int i = 0; i < kPresses; ++i)
        EXPECT_EQ(rig.log.events[static_cast<std::size_t>(i)].arg, i) << "press order";
    auto st = rig.stats("keypad-1");
    EXPECT_GT(st.crc_errors, 0u);
    EXPECT_GT(st.timeouts + st.other_errors, 0u);
}

TEST(Bus, TwoBusesRunAtOnce)
{
    Rig a(counter_devices(1, 1), "bus-a");
    Rig b(counter_devices(2, 1), "bus-b");
    a.start();
    b.start();
    ASSERT_TRUE(a.wait_state("keypad-1", DeviceState::online));
    ASSERT_TRUE(b.wait_state("keypad-2", DeviceState::online));
    for (int i = 0; i < 10; ++i)
    {
        ASSERT_TRUE(a.sim->press(2, 1, i));
        ASSERT_TRUE(b.sim->press(2, 2, i));
    }
    ASSERT_TRUE(run_until(a.io, [&] {
        b.io.restart();
        b.io.run_for(std::chrono::milliseconds(1));
        return a.log.events.size() == 10 && b.log.events.size() == 10;
    }));
    EXPECT_EQ(a.log.events.back().counter, 1);
    EXPECT_EQ(b.log.events.back().counter, 2);
    EXPECT_EQ(b.log.events.back().key, 2);
}

TEST(Bus, OpenErrorIsReportedAndRetried)
{
    Rig rig(counter_devices(1, 1));
    auto sim = std::move(rig.sim); // nothing at the device path yet
    rig.start();
    ASSERT_TRUE(run_until(rig.io, [&] { return !rig.bus->status().error.empty() && rig.first_contacts == 1; }));
    EXPECT_FALSE(rig.bus->status().open);
    EXPECT_NE(rig.bus->status().error.find("cannot open"), std::string::npos) << rig.bus->status().error;
    rig.sim = std::move(sim);
    ASSERT_TRUE(rig.sim->start().ok());
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.bus->status().open; }));
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    EXPECT_EQ(rig.first_contacts, 1); // once per Bus, not per open
}

TEST(Bus, FirstContactIsReportedOnceEveryDeviceWasTried)
{
    // Slaves 30..39 are configured but absent: the start-up report waits for one attempt at
    // each, and none is retried before all have had theirs (ten first contacts take longer
    // than the first retry's 250 ms back-off).
    auto devices = counter_devices(1, 1);
    for (int slave = 30; slave < 40; ++slave)
        devices.push_back(device("", "display-" + std::to_string(slave), slave, DeviceRole::display, 2));
    Rig rig(devices);
    for (int slave = 30; slave < 40; ++slave)
        rig.sim->set_faults(slave, sim::ModbusFaults{.silent = true});
    rig.start();
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.first_contacts == 1; }));
    for (int slave = 30; slave < 40; ++slave)
    {
        auto absent = rig.stats("display-" + std::to_string(slave));
        EXPECT_EQ(absent.state, DeviceState::offline);
        EXPECT_EQ(absent.requests, 1u) << absent.name;
        EXPECT_EQ(absent.timeouts, 1u) << absent.name;
    }
    EXPECT_EQ(rig.stats("display-1").state, DeviceState::online);
    EXPECT_EQ(rig.stats("keypad-1").state, DeviceState::online);
    // The display write that brought display-1 online is not repeated; WATCHDOG_S follows.
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->reg(1, 0x0004) == 10; }));
    EXPECT_EQ(rig.sim->display(1)->writes, 1u);
    // An absent device comes online at a retry once it answers; first contact is not
    // reported again.
    rig.sim->set_faults(30, sim::ModbusFaults{});
    ASSERT_TRUE(rig.wait_state("display-30", DeviceState::online));
    EXPECT_EQ(rig.first_contacts, 1);
}

TEST(Bus, OneBroadcastFeedsEveryWatchdogOnAUniformBus)
{
    Rig rig(counter_devices(1, 1)); // both motcua-v1: HOST_HEARTBEAT at 0x0003, FC16
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    // WATCHDOG_S is the bus's host_watchdog_s on every device that has it.
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->reg(1, 0x0004) == 10 && rig.sim->reg(2, 0x0004) == 10; }));
    auto hb = rig.sim->panel(2)->heartbeat;
    ASSERT_TRUE(run_until(rig.io, [&] {
        return rig.sim->stats(2).broadcasts >= 2 && rig.sim->panel(2)->heartbeat >= hb + 2;
    }));
    // The display is never polled: its own heartbeat keeps telling us it is there.
    auto requests = rig.stats("display-1").requests;
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.stats("display-1").requests >= requests + 2; }));
    EXPECT_EQ(rig.stats("display-1").state, DeviceState::online);
}

TEST(Bus, ADisplayThatLostPowerForAMomentGetsItsNumberBack)
{
    // Uniform bus: the display's presence check is a read-back (every 4 × 300 ms here).
    // Mixed bus: the same for a display without a heartbeat register.
    for (auto devices : {counter_devices(1, 1), std::vector<config::Device>{device("", "display-1", 1, DeviceRole::display, 1, "led-485"),
                                                                          device("", "keypad-1", 2, DeviceRole::keypad, 1)}})
    {
        Rig rig(devices);
        rig.start();
        ASSERT_TRUE(rig.wait_state("display-1", DeviceState::online));
        rig.bus->show("display-1", DisplayImage{DisplayMode::number, 42, 1, 3, 5, 15});
        ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->display(1)->text == "42"; }));
        auto writes = rig.sim->display(1)->writes;
        // Power blip: the display answers as before but shows its power-on state.
        rig.sim->reboot(1);
        ASSERT_NE(rig.sim->display(1)->text, "42");
        ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->display(1)->text == "42"; })) << devices[0].profile;
        EXPECT_EQ(rig.sim->display(1)->blinks, 0); // a steady rewrite, not a new call
        EXPECT_EQ(rig.stats("display-1").state, DeviceState::online);
        // A display that shows what it should is read, not rewritten.
        writes = rig.sim->display(1)->writes;
        auto requests = rig.sim->stats(1).requests;
        ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->stats(1).requests >= requests + 2; }));
        EXPECT_EQ(rig.sim->display(1)->writes, writes) << devices[0].profile;
    }
}

TEST(Bus, MixedBusWritesEachDevicesHeartbeat)
{
    // A broadcast to 0x0003 would land in another vendor's register: no broadcast here.
    Rig rig({device("", "led", 1, DeviceRole::display, 1, "led-485"), device("", "keypad-1", 2, DeviceRole::keypad, 1)});
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    auto hb = rig.sim->panel(2)->heartbeat;
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->panel(2)->heartbeat >= hb + 2; }));
    EXPECT_EQ(rig.sim->stats(1).broadcasts, 0u);
    EXPECT_EQ(rig.sim->stats(2).broadcasts, 0u);
}

TEST(Bus, ParityOnAPtyIsReportedClearlyOrWorks)
{
    // Linux ptys drop parity; opening one with even parity may fail with EINVAL. Either
    // way the bus must not crash, and a failure must say what to do.
    Rig rig(counter_devices(1, 1));
    rig.bus_cfg.parity = modbus::Parity::even;
    rig.bus_cfg.stop_bits = 1;
    rig.start();
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.bus->status().open || !rig.bus->status().error.empty(); }));
    if (!rig.bus->status().open && rig.bus->status().error.find("Invalid argument") != std::string::npos)
    {
        EXPECT_NE(rig.bus->status().error.find("parity = \"N\""), std::string::npos);
    }
}

TEST(Bus, ScanSetIdAndDisplayTest)
{
    Rig rig(counter_devices(1, 1));
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    std::optional<std::vector<modbus::ScanEntry>> found;
    rig.bus->scan(1, 6, [&](Result<std::vector<modbus::ScanEntry>> r) {
        ASSERT_TRUE(r.ok()) << r.error().message;
        found = std::move(*r);
    });
    ASSERT_TRUE(run_until(rig.io, [&] { return found.has_value(); }));
    ASSERT_EQ(found->size(), 2u);
    EXPECT_EQ((*found)[0].slave, 1);
    EXPECT_EQ((*found)[0].role, 1);
    EXPECT_EQ((*found)[0].firmware, 0x0102);
    EXPECT_EQ((*found)[1].role, 2);

    // An unconfigured device at factory id 9 is re-addressed to 5.
    rig.sim->add_device(9, DeviceRole::display, shipped_profile("motcua-v1"));
    std::optional<Result<void>> moved;
    rig.bus->set_id(9, 5, std::nullopt, [&](Result<void> r) { moved = r; });
    ASSERT_TRUE(run_until(rig.io, [&] { return moved.has_value(); }));
    ASSERT_TRUE(moved->ok()) << moved->error().message;
    EXPECT_TRUE(rig.sim->reg(5, 0x0000).has_value());
    EXPECT_FALSE(rig.sim->reg(9, 0x0000).has_value());

    rig.bus->show("display-1", DisplayImage{DisplayMode::number, 7, 1, 0, 5, 15});
    std::optional<Result<void>> tested;
    std::vector<std::string> seen;
    ASSERT_TRUE(rig.bus->display_test("display-1", [&](Result<void> r) { tested = r; }, std::chrono::milliseconds(30)));
    ASSERT_TRUE(run_until(rig.io, [&] {
        auto t = rig.sim->display(1)->text;
        if (seen.empty() || seen.back() != t)
            seen.push_back(t);
        return tested.has_value() && t == "7";
    }));
    EXPECT_TRUE(tested->ok());
    EXPECT_NE(std::find(seen.begin(), seen.end(), "8888"), seen.end());
}

namespace
{
// Every write the simulator applied: (slave, function code, first register).
struct WireLog
{
    std::mutex m;
    std::vector<std::tuple<int, int, std::uint16_t, std::vector<std::uint16_t>>> writes;
    void attach(sim::ModbusSim& sim)
    {
        sim.on_write([this](int slave, int function, std::uint16_t address, std::span<const std::uint16_t> values) {
            std::lock_guard lock(m);
            writes.emplace_back(slave, function, address, std::vector<std::uint16_t>(values.begin(), values.end()));
        });
    }
    // Functions seen for writes starting at `address` of `slave`.
    std::set<int> functions(int slave, std::uint16_t address)
    {
        std::lock_guard lock(m);
        std::set<int> out;
        for (const auto& [s, f, a, v] : writes)
            if (s == slave && a == address)
                out.insert(f);
        return out;
    }
    int count(int slave, std::uint16_t address)
    {
        std::lock_guard lock(m);
        return static_cast<int>(std::count_if(writes.begin(), writes.end(), [&](const auto& w) {
            return std::get<0>(w) == slave && std::get<2>(w) == address;
        }));
    }
};
} // namespace

TEST(Bus, SingleRegisterWritesOfMotcuaV1AreFc06OnTheWire)
{
    // register-map.md: FC06 for one register, FC16 for several.
    Rig rig(counter_devices(1, 1));
    WireLog wire;
    wire.attach(*rig.sim);
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    ASSERT_TRUE(rig.sim->press(2, 1));
    ASSERT_TRUE(rig.bus->beep("keypad-1", 2));
    ASSERT_TRUE(run_until(rig.io, [&] {
        return rig.sim->panel(2)->pending == 0 && rig.sim->panel(2)->beeps == 2 && rig.sim->reg(1, 0x0004) == 10 &&
               rig.sim->stats(2).broadcasts >= 1;
    }));
    EXPECT_EQ(wire.functions(2, 0x0204), std::set<int>{0x06}) << "EVT_ACK";
    EXPECT_EQ(wire.functions(2, 0x0213), std::set<int>{0x06}) << "BEEP";
    EXPECT_EQ(wire.functions(1, 0x0004), std::set<int>{0x06}) << "WATCHDOG_S";
    EXPECT_EQ(wire.functions(2, 0x0003), std::set<int>{0x06}) << "the broadcast HOST_HEARTBEAT";
    // Blocks stay FC16: the display's 5 registers, the keypad's feedback.
    EXPECT_EQ(wire.functions(1, 0x0100), std::set<int>{0x10});
    EXPECT_EQ(wire.functions(2, 0x0210), std::set<int>{0x10});
    EXPECT_GT(rig.sim->stats(2).fc06_writes, 0u);
}

TEST(Bus, AWaitingCountChangeWritesOnlyTheNewestCountWithFc06)
{
    Rig rig(counter_devices(1, 1));
    WireLog wire;
    wire.attach(*rig.sim);
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    ASSERT_TRUE(rig.bus->feedback("keypad-1", modbus::FeedbackImage{17, 4, modbus::Led::green}));
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->panel(2)->show_number == 17 && rig.sim->panel(2)->waiting == 4; }));
    auto blocks = wire.count(2, 0x0210);
    for (int waiting = 5; waiting <= 9; ++waiting)
        rig.bus->feedback("keypad-1", modbus::FeedbackImage{17, waiting, modbus::Led::green});
    ASSERT_TRUE(run_until(rig.io, [&] { return rig.sim->panel(2)->waiting == 9; }));
    EXPECT_EQ(wire.count(2, 0x0210), blocks) << "SHOW_NUMBER and LED are not rewritten";
    EXPECT_EQ(wire.functions(2, 0x0211), std::set<int>{0x06});
    EXPECT_LE(wire.count(2, 0x0211), 5);
    EXPECT_EQ(rig.sim->panel(2)->show_number, 17);
    EXPECT_EQ(rig.sim->panel(2)->led, 1);
}

TEST(Bus, AStoppingBusCompletesPendingTechnicianOperationsWithAnError)
{
    Rig rig(counter_devices(1, 1));
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    // A scan of every id takes 247 × 60 ms of timeouts; a set-id waits behind it; a display
    // test waits for its steps.
    std::optional<Result<std::vector<modbus::ScanEntry>>> scanned;
    std::optional<Result<void>> moved, tested;
    rig.bus->scan(1, 247, [&](Result<std::vector<modbus::ScanEntry>> r) { scanned = std::move(r); });
    rig.bus->set_id(9, 5, std::nullopt, [&](Result<void> r) { moved = r; });
    ASSERT_TRUE(rig.bus->display_test("display-1", [&](Result<void> r) { tested = r; }, std::chrono::seconds(5)));
    run_until(rig.io, [] { return false; }, std::chrono::milliseconds(200));
    rig.bus->stop();
    ASSERT_TRUE(run_until(rig.io, [&] { return scanned && moved && tested; }, std::chrono::seconds(2)));
    ASSERT_FALSE(scanned->ok());
    EXPECT_EQ(scanned->error().code, "bus_stopped");
    ASSERT_FALSE(moved->ok());
    EXPECT_EQ(moved->error().code, "bus_stopped");
    ASSERT_FALSE(tested->ok());
    EXPECT_EQ(tested->error().code, "bus_stopped");
    // A stopped bus refuses new operations the same way, at once.
    std::optional<Result<std::vector<modbus::ScanEntry>>> late;
    rig.bus->scan(1, 2, [&](Result<std::vector<modbus::ScanEntry>> r) { late = std::move(r); });
    ASSERT_TRUE(run_until(rig.io, [&] { return late.has_value(); }, std::chrono::seconds(2)));
    EXPECT_EQ(late->error().code, "bus_stopped");
}

TEST(Bus, TechnicianCompletionsOutliveTheBus)
{
    // A caller holding the bus by shared ownership may drop it while it waits: the
    // completion still comes, on the io_context.
    Rig rig(counter_devices(1, 1));
    rig.start();
    ASSERT_TRUE(rig.wait_state("keypad-1", DeviceState::online));
    std::optional<Result<std::vector<modbus::ScanEntry>>> scanned;
    rig.bus->scan(1, 247, [&](Result<std::vector<modbus::ScanEntry>> r) { scanned = std::move(r); });
    rig.bus.reset();
    ASSERT_TRUE(run_until(rig.io, [&] { return scanned.has_value(); }, std::chrono::seconds(2)));
    EXPECT_EQ(scanned->error().code, "bus_stopped");
}

TEST(Bus, SetIdUsesTheRegistersOfTheDevicesProfile)
{
    // LED-485 modules keep their slave id at 0x0002 (not motcua-v1's 0x0F00) and take FC06.
    Rig rig({device("", "led", 1, DeviceRole::display, 1, "led-485")});
    WireLog wire;
    wire.attach(*rig.sim);
    rig.sim->add_device(9, DeviceRole::display, shipped_profile("led-485"));
    rig.bus_cfg.response_timeout_ms = 300; // a late reply on a loaded machine is not the point here
    rig.start();
    ASSERT_TRUE(rig.wait_state("led", DeviceState::online));
    std::optional<Result<void>> moved;
    rig.bus->set_id(9, 7, std::nullopt, [&](Result<void> r) { moved = r; });
    ASSERT_TRUE(run_until(rig.io, [&] { return moved.has_value(); }));
    ASSERT_TRUE(moved->ok()) << moved->error().message;
    EXPECT_EQ(wire.functions(9, 0x0002), std::set<int>{0x06});
    EXPECT_EQ(wire.count(9, 0x0F00), 0);
    EXPECT_TRUE(rig.sim->reg(7, 0x0000).has_value());
    EXPECT_FALSE(rig.sim->reg(9, 0x0000).has_value());
}

TEST(Bus, SameSetupTellsWhichBusesAReloadChanges)
{
    Rig rig(counter_devices(1, 1));
    rig.start();
    EXPECT_TRUE(rig.bus->same_setup(rig.bus_cfg, rig.devs.devices, rig.devs.profiles));
    auto slower = rig.bus_cfg;
    slower.baud = 9600;
    EXPECT_FALSE(rig.bus->same_setup(slower, rig.devs.devices, rig.devs.profiles));
    auto moved = rig.devs.devices;
    moved[1].slave = 7;
    EXPECT_FALSE(rig.bus->same_setup(rig.bus_cfg, moved, rig.devs.profiles));
    auto other = rig.devs.devices;
    other.push_back(device("bus-2", "display-9", 9, DeviceRole::display, 9)); // another bus's
    EXPECT_TRUE(rig.bus->same_setup(rig.bus_cfg, other, rig.devs.profiles));
    auto profiles = rig.devs.profiles;
    profiles[0].write_single = modbus::WriteFunction::fc16;
    EXPECT_FALSE(rig.bus->same_setup(rig.bus_cfg, rig.devs.devices, profiles));
}
