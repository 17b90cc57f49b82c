// [[bus]] and [[device]] through the real config loader, with the shipped profiles.

#include "config/load.hpp"
#include "profiles.hpp"

#include <gtest/gtest.h>

using namespace motcua;

namespace
{

const char* kHead = R"(
[office]
name = "Test"
unit_code = "000.00.00.H00"

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
first = 1
last = 299

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["TP"]
)";

config::LoadResult load(const std::string& tail)
{
    return config::load_string(std::string(kHead) + tail, "office.toml", {test::source_dir() + "/config"});
}

bool has_error(const config::LoadResult& r, const std::string& text, int line = 0)
{
    for (const auto& d : r.diags.list())
        if (d.message.find(text) != std::string::npos && (line == 0 || d.line == line))
            return true;
    return false;
}

int line_of(const std::string& tail, const std::string& needle)
{
    auto full = std::string(kHead) + tail;
    auto pos = full.find(needle);
    return static_cast<int>(std::count(full.begin(), full.begin() + static_cast<long>(pos), '\n')) + 1;
}

} // namespace

TEST(DevicesConfig, ParsesBusesDevicesAndProfiles)
{
    auto r = load(R"(
[[bus]]
name = "bus-1"
device = "/dev/ttyUSB-motcua-1"
baud = 9600
parity = "N"
stop_bits = 2
response_timeout_ms = 80
min_poll_period_ms = 20
heartbeat_period_ms = 3000

[[device]]
bus = "bus-1"
slave = 1
role = "display"
counter = 1
brightness = 9

[[device]]
bus = "bus-1"
slave = 2
role = "keypad"
counter = 1

[[device]]
name = "tube-2"
bus = "bus-1"
slave = 3
role = "display"
profile = "dm56a04"
counter = 2
)");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    const auto& d = r.config->devices;
    ASSERT_EQ(d.buses.size(), 1u);
    EXPECT_EQ(d.buses[0].baud, 9600);
    EXPECT_EQ(d.buses[0].parity, modbus::Parity::none);
    EXPECT_EQ(d.buses[0].stop_bits, 2);
    EXPECT_EQ(d.buses[0].response_timeout_ms, 80);
    ASSERT_EQ(d.devices.size(), 3u);
    EXPECT_EQ(d.devices[0].name, "display-1");
    EXPECT_EQ(d.devices[0].brightness, 9);
    EXPECT_EQ(d.devices[1].role, config::DeviceRole::keypad);
    EXPECT_EQ(d.devices[2].name, "tube-2");
    ASSERT_EQ(d.profiles.size(), 2u);
    const auto* v1 = d.profile("motcua-v1");
    ASSERT_NE(v1, nullptr);
    EXPECT_EQ(v1->events.block, 0x0200);
    EXPECT_EQ(v1->setup.commit_value, 0xA5A5);
    EXPECT_EQ(d.for_counter(1, config::DeviceRole::keypad)->slave, 2);
    EXPECT_EQ(d.profile("dm56a04")->display.codec, modbus::Codec::ascii);
}

TEST(DevicesConfig, ReportsEveryErrorWithItsLine)
{
    std::string tail = R"(
[[bus]]
name = "bus-1"
device = "/dev/a"
parity = "X"

[[device]]
bus = "bus-9"
slave = 1
role = "display"
counter = 1

[[device]]
bus = "bus-1"
slave = 4
role = "keypad"
counter = 7

[[device]]
name = "dup"
bus = "bus-1"
slave = 4
role = "display"
counter = 1
profile = "no-such-vendor"

[[device]]
bus = "bus-1"
slave = 5
role = "keypad"
counter = 2
profile = "led-485"
)";
    auto r = load(tail);
    ASSERT_FALSE(r.diags.ok());
    EXPECT_TRUE(has_error(r, "is not one of: N, E, O", line_of(tail, "parity = \"X\""))) << r.diags.str();
    EXPECT_TRUE(has_error(r, "unknown bus \"bus-9\"", line_of(tail, "bus = \"bus-9\""))) << r.diags.str();
    EXPECT_TRUE(has_error(r, "counter 7 is not a [[counter]]", line_of(tail, "counter = 7"))) << r.diags.str();
    EXPECT_TRUE(has_error(r, "slave id 4 is already taken on bus bus-1", line_of(tail, "slave = 4\nrole = \"display\"")))
        << r.diags.str();
    EXPECT_TRUE(has_error(r, "unknown device profile \"no-such-vendor\"")) << r.diags.str();
    EXPECT_TRUE(has_error(r, "profile led-485 cannot act as a keypad")) << r.diags.str();
    for (const auto& d : r.diags.list())
        EXPECT_EQ(d.file, "office.toml") << d.str();
}

TEST(DevicesConfig, RejectsUnknownKeysAndMissingAttachments)
{
    auto r = load(R"(
[[bus]]
name = "bus-1"
device = "/dev/a"
baudrate = 9600

[[device]]
bus = "bus-1"
slave = 1
role = "kiosk_panel"
counter = 1
)");
    EXPECT_TRUE(has_error(r, "unknown key 'baudrate'")) << r.diags.str();
    EXPECT_TRUE(has_error(r, "kiosk_panel needs kiosk")) << r.diags.str();
    EXPECT_TRUE(has_error(r, "counter = does not apply")) << r.diags.str();
}

TEST(DevicesConfig, RequiresTwoStopBitsWithoutParity)
{
    auto r = load(R"(
[[bus]]
name = "bus-1"
device = "/dev/a"
parity = "N"
)");
    EXPECT_TRUE(has_error(r, "stop_bits = 2")) << r.diags.str();
}

TEST(DevicesConfig, HeartbeatFollowsTheHostWatchdog)
{
    // Default: a quarter of host_watchdog_s.
    auto r = load("\n[[bus]]\nname = \"bus-1\"\ndevice = \"/dev/a\"\nhost_watchdog_s = 8\n");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    EXPECT_EQ(r.config->devices.buses[0].host_watchdog_s, 8);
    EXPECT_EQ(r.config->devices.buses[0].heartbeat_period_ms, 2000);
    // A heartbeat that one lost write would let the watchdog expire is refused, at its line.
    std::string tail = "\n[[bus]]\nname = \"bus-1\"\ndevice = \"/dev/a\"\nhost_watchdog_s = 4\n"
                       "heartbeat_period_ms = 3000\n";
    r = load(tail);
    EXPECT_TRUE(has_error(r, "too slow for host_watchdog_s = 4", line_of(tail, "heartbeat_period_ms"))) << r.diags.str();
    // Off: the devices keep their own setting; heartbeats still go out.
    r = load("\n[[bus]]\nname = \"bus-1\"\ndevice = \"/dev/a\"\nhost_watchdog_s = 0\nheartbeat_period_ms = 3000\n");
    EXPECT_TRUE(r.diags.ok()) << r.diags.str();
}

TEST(DevicesConfig, ShippedProfilesLoad)
{
    for (auto name : {"motcua-v1", "led-485", "dm56a04"})
    {
        auto p = test::shipped_profile(name);
        EXPECT_FALSE(p.roles.empty()) << name;
    }
    auto led = test::shipped_profile("led-485");
    EXPECT_EQ(led.write, modbus::WriteFunction::fc06);
    EXPECT_EQ(led.display.codec, modbus::Codec::int16);
}
