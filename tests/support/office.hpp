#pragma once

// One office for the process tests: a temporary directory holding office.toml, motcua-sim
// playing its hardware, motcuad on it, motcuactl and the simulator's CLI to drive and watch
// them, and the daemon's database read beside it. Nothing here asserts: each call says
// whether it worked and the test decides (benchmarks use it without GoogleTest).
//
// The files: office.toml, motcuad.log, sim.log, control.sock, sim.sock, motcua.db — all in
// dir, which the daemon takes as its state directory. A test fixture holds an OfficeHarness and
// may name its parts (TempDir& dir = office.dir;) so that test bodies read as before.

#include "process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace motcua::testing
{

class OfficeHarness
{
  public:
    // A fresh directory; starts nothing. With `config`: written as office.toml.
    OfficeHarness() = default;
    explicit OfficeHarness(const std::string& config) { write_config(config); }
    void write_config(const std::string& config) const { dir.write("office.toml", config); }

    TempDir dir;
    std::unique_ptr<Child> sim;
    std::unique_ptr<Child> daemon;

    std::string config_path() const { return dir.file("office.toml"); }
    std::string socket() const { return dir.file("control.sock"); }
    std::string sim_socket() const { return dir.file("sim.sock"); }
    std::string database() const { return dir.file("motcua.db"); }
    // What motcuad and motcua-sim wrote so far.
    std::string log() const { return read_file(dir.file("motcuad.log")); }
    std::string sim_log() const { return read_file(dir.file("sim.log")); }
    // How many times `what` stands in motcuad's output.
    int log_count(const std::string& what) const;

    // motcua-sim on `sim_config` (office.toml when empty); true once its socket answers.
    bool start_sim(const std::string& sim_config = "");
    // motcuad's command line on office.toml, this directory and socket.
    std::vector<std::string> daemon_argv() const;
    // motcuad; true once its control socket answers. `env`: e.g. "NOTIFY_SOCKET=…".
    bool start_daemon(const std::vector<std::string>& env = {});
    // Sends `signo` and waits for the exit; the exit code, or -1 when it did not end.
    int stop_daemon(int signo, std::chrono::milliseconds limit = std::chrono::seconds(10));

    // motcuactl with `args`; its exit code and output.
    Output ctl(std::vector<std::string> args) const;
    // motcuactl --json: the answer object, {} when there is none (exit code != 0).
    nlohmann::json ctl_json(std::vector<std::string> args) const;
    // motcua-sim's CLI with `args`, and its --json answer ({} when there is none).
    Output sim_ctl(std::vector<std::string> args) const;
    nlohmann::json sim_json(std::vector<std::string> args) const;

    // One value from the daemon's database (query_value): "" for no row.
    std::string sql(const std::string& query) const;
    // COUNT(*) of journal rows matching `where`.
    int journal_count(const std::string& where) const;

    // Polls `ok` every 20 ms until it holds or `limit` passes; returns whether it held.
    static bool eventually(const std::function<bool()>& ok,
                           std::chrono::milliseconds limit = std::chrono::seconds(10));
};

// Config fragments the process tests share. Devices named by motcua-sim's pseudo-terminals
// beside the config (dev/…); ptys carry no parity, hence 8N2.
namespace fragment
{

// Two RS-485 buses with fast polls and heartbeats, and [devices] rating_window_s = 20.
inline constexpr const char* two_buses = R"(
[devices]
rating_window_s = 20

[[bus]]
name = "bus-1"
device = "dev/bus-1"
baud = 19200
parity = "N"
stop_bits = 2
min_poll_period_ms = 20
heartbeat_period_ms = 300

[[bus]]
name = "bus-2"
device = "dev/bus-2"
baud = 19200
parity = "N"
stop_bits = 2
min_poll_period_ms = 20
heartbeat_period_ms = 300
)";

// Counter 1's display (slave 1, brightness 9), keypad (11) and rating panel (21) on bus-1;
// counter 2's display (2) and keypad (12) on bus-2.
inline constexpr const char* counter_devices = R"(
[[device]]
bus = "bus-1"
slave = 1
role = "display"
counter = 1
brightness = 9

[[device]]
bus = "bus-1"
slave = 11
role = "keypad"
counter = 1

[[device]]
bus = "bus-1"
slave = 21
role = "rating"
counter = 1

[[device]]
bus = "bus-2"
slave = 2
role = "display"
counter = 2

[[device]]
bus = "bus-2"
slave = 12
role = "keypad"
counter = 2
)";

// Counter 2's rating panel (slave 22, bus-2).
inline constexpr const char* counter2_rating = R"(
[[device]]
bus = "bus-2"
slave = 22
role = "rating"
counter = 2
)";

// Kiosk K1's button panel (slave 31, bus-1); the config needs a [[kiosk]] K1.
inline constexpr const char* kiosk_panel_k1 = R"(
[[device]]
bus = "bus-1"
slave = 31
role = "kiosk_panel"
kiosk = "K1"
)";

} // namespace fragment

} // namespace motcua::testing
