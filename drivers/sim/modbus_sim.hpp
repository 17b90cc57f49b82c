#pragma once

// The simulated RS-485 bus: every Modbus device of one bus served on one pseudo-terminal,
// each id answering from its own register image per its profile (motcua-v1, LED-485,
// DM56A04, any profile file). It frames requests itself (length from the function code,
// CRC check, resynchronising byte by byte), stays silent for ids it does not serve, and
// keeps the event FIFO semantics of register-map.md: an event leaves the FIFO only when
// EVT_ACK is written with its EVT_SEQ.
//
// Threading: the simulator runs on its own thread (start() .. stop()), blocking in poll()
// on the pty master. Every public method is thread-safe; on_write callbacks run on the
// simulator's thread.
//
// Pacing (optional): a reply is written only after the request's and the reply's
// transmission times at the configured baud (11 bits per character), the silent interval
// t3.5 and the device think time have passed, since a pty carries bytes at memory speed.
// Faults per device: silent, bad CRC, garbage bytes before the reply, late replies.

#include "modbus/bus_config.hpp"
#include "util/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace motcua::sim
{

struct ModbusSimOptions
{
    std::string link;  // symlink created at this path to the pty (the bus's device path); "" = none
    int baud = 19200;
    bool pace = false;
    std::chrono::microseconds think{5000}; // device think time Tp when pacing
    int fifo_depth = 16;
};

struct ModbusFaults
{
    bool silent = false;        // never answers (unplugged)
    int bad_crc_next = 0;       // the next n replies carry a wrong CRC
    int garbage_next = 0;       // the next n replies are preceded by garbage bytes
    int late_next = 0;          // the next n replies come `late` after the request
    std::chrono::milliseconds late{0};
    double bad_crc_rate = 0;    // probability of a wrong CRC on any reply (0..1)
};

// What a person reads off a display.
struct DisplayView
{
    std::string text;   // "42", "----", "" (blank); leading spaces trimmed
    int counter = 0;
    int blinks = 0;     // BLINK high byte of the last write
    int blink_period = 0;
    int brightness = 0;
    std::uint64_t writes = 0; // write requests that touched the display registers
    bool host_gone = false;   // HOST_HEARTBEAT unchanged for WATCHDOG_S: shows "----"
};

// A keypad's or panel's feedback.
struct PanelView
{
    std::optional<int> show_number;
    int waiting = 0;
    int led = 0;
    int beeps = 0; // sum of all BEEP writes
    int pending = 0;
    std::uint16_t heartbeat = 0;
    bool host_gone = false; // HOST_HEARTBEAT unchanged for WATCHDOG_S (LED blinks red)
};

struct ModbusSimStats
{
    std::uint64_t requests = 0; // well-formed requests addressed to this id
    std::uint64_t replies = 0;
    std::uint64_t acks = 0;     // EVT_ACK writes that removed an event
    std::uint64_t broadcasts = 0; // requests to slave 0 this device applied (no reply)
    std::uint64_t fc06_writes = 0; // Write Single Register requests applied
    std::uint64_t fc16_writes = 0; // Write Multiple Registers requests applied
};

class ModbusSim
{
  public:
    explicit ModbusSim(ModbusSimOptions options);
    ~ModbusSim();
    ModbusSim(const ModbusSim&) = delete;
    ModbusSim& operator=(const ModbusSim&) = delete;

    // Every device of `bus` in `devices`, link at the bus's device path, at the bus's baud.
    static std::unique_ptr<ModbusSim> for_bus(const modbus::BusConfig& bus,
                                              const std::vector<modbus::DeviceConfig>& devices,
                                              const std::vector<modbus::DeviceProfile>& profiles, bool pace = false);

    void add_device(int slave, modbus::DeviceRole role, const modbus::DeviceProfile& profile);

    Result<void> start(); // openpty, symlink, thread
    void stop();
    std::string pty_path() const; // the slave side, e.g. /dev/pts/7

    // Queues a key event; false when `slave` has no event FIFO or it is full.
    bool press(int slave, int key, int arg = 0);
    std::optional<DisplayView> display(int slave) const;
    std::optional<PanelView> panel(int slave) const;
    std::optional<std::uint16_t> reg(int slave, std::uint16_t address) const;
    void set_reg(int slave, std::uint16_t address, std::uint16_t value);
    ModbusSimStats stats(int slave) const;
    std::optional<int> slave_of_role(modbus::DeviceRole role) const;

    void set_faults(int slave, const ModbusFaults& faults);
    // The device forgets its FIFO and registers, as after a power cycle.
    void reboot(int slave);

    // Called on the simulator thread after a write request to `slave` was applied;
    // `function` is 0x06 or 0x10 as it came over the line.
    using WriteHook =
        std::function<void(int slave, int function, std::uint16_t address, std::span<const std::uint16_t> values)>;
    void on_write(WriteHook hook);

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

} // namespace motcua::sim
