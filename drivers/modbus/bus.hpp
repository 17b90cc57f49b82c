#pragma once

// One RS-485 Modbus RTU bus: a worker thread owns its libmodbus context (a context is not
// thread-safe and every call blocks, modbus.md §2). What it sends next is the scheduler's
// choice (modbus/scheduler.hpp, the order of docs/bus.md): display writes, event
// acknowledgements, keypad feedback the clerk sees, one-shot writes, then technician
// operations alternating with round-robin polls of the event devices, with a share of the
// bus for background work (heartbeats, presence checks, waiting-count refreshes).
//
// Files: bus.cpp (this API), device_state.hpp (what each device should show), worker.cpp
// (the thread), scheduler.cpp (pure order rules), transport.cpp (libmodbus, t3.5),
// technician.cpp (scan, set-id).
//
// Everything the application sees is posted to its io_context: key events, state changes,
// completions. Methods are called on that io_context's thread.
//
// Lifetime: a Bus may be held by shared ownership (std::make_shared), e.g. by a coroutine
// that waits for a technician operation while a reload replaces the bus. stop() ends the
// worker; a stopped Bus stays safe to call (writes are kept, technician operations fail at
// once). Handlers are not called once the Bus is destroyed; the `done` of a technician
// operation is always called exactly once (with an error if the bus stopped first), so it
// must own what it uses and not refer to the Bus.
//
// Exactly-once key events: on_event receives the event and an EventCommit. The app calls
// commit() once its journal commit is done; only then is EVT_ACK written. Until then the
// device's FIFO head is not delivered again; if every copy of the EventCommit is dropped
// without commit(), the event is delivered again on a later poll. To survive a daemon
// restart, the app journals (device, seq) with the event and passes the last one to
// seed_last_committed() before start().

#include "modbus/bus_config.hpp"
#include "modbus/codec.hpp"
#include "modbus/health.hpp"
#include "util/result.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace motcua::modbus
{

struct KeyEvent
{
    std::string bus;
    std::string device;
    int slave = 0;
    DeviceRole role = DeviceRole::keypad;
    int counter = 0;   // keypad, rating panel
    std::string kiosk; // kiosk panel
    std::uint16_t seq = 0;
    int key = 0; // register-map.md key codes
    int arg = 0; // EVT_ARG: number typed before the key, priority class, ...
    int pending = 0; // events in the device's FIFO including this one
};

// The application's word that it committed one event. Copies share one state; commit()
// may be called once from any copy, on any thread.
class EventCommit
{
  public:
    struct Token;
    EventCommit() = default;
    explicit EventCommit(std::shared_ptr<Token> token) : token_(std::move(token)) {}
    void commit() const;
    bool committed() const;

  private:
    std::shared_ptr<Token> token_;
};

struct DeviceStats
{
    std::string bus;
    std::string name;
    int slave = 0;
    DeviceRole role = DeviceRole::display;
    std::string profile;
    DeviceState state = DeviceState::offline;
    std::string last_error; // "" when none yet
    std::uint64_t requests = 0;
    std::uint64_t timeouts = 0;
    std::uint64_t crc_errors = 0;
    std::uint64_t other_errors = 0; // exceptions, protocol mismatches, port errors
    double mean_reply_ms = 0;       // over successful transactions
    std::optional<int> firmware;    // BCD, as read from FIRMWARE
    std::optional<int> reported_role;
};

struct BusStatus
{
    bool open = false;
    std::string error; // why it is not open
};

struct ScanEntry
{
    int slave = 0;
    std::optional<int> role;     // DEVICE_ROLE (0x0000), raw
    std::optional<int> firmware; // FIRMWARE (0x0001), BCD
    std::string note;            // e.g. "answers with exception: illegal data address"
};

struct Handlers
{
    std::function<void(const KeyEvent&, EventCommit)> on_event;
    std::function<void(const DeviceStats&)> on_state; // after every state transition
    // Once, when every device has had its first transaction (answered or not), or the port
    // could not be opened: what the bus can tell at start is known.
    std::function<void()> on_first_contact;
};

struct TechnicianOp;

// What the application asks of one bus. Bus is the real one; the daemon's unit tests put a
// fake in its place (tests/unit/app). Methods are called on the io_context's thread.
class BusInterface
{
  public:
    virtual ~BusInterface() = default;

    virtual void start() = 0;
    // Ends the bus's work; idempotent. Pending technician operations and display tests
    // complete with error "bus_stopped".
    virtual void stop() = 0;

    virtual const std::string& name() const = 0;
    // True when a bus built from these settings would run exactly like this one (same line
    // settings, same devices with the same profiles): a reload need not restart it.
    virtual bool same_setup(const BusConfig& bus, const std::vector<DeviceConfig>& devices,
                            const std::vector<DeviceProfile>& profiles) const = 0;

    // The image a display should show from now on; kept and rewritten whenever the display
    // comes back. `blinks` applies once, to this write. False: no such display on this bus.
    virtual bool show(std::string_view device, const DisplayImage& image) = 0;
    // Only the newest image counts: a change of the waiting count alone is background work
    // and goes out as one write of SHOW_WAITING when the bus has time for it.
    virtual bool feedback(std::string_view device, const FeedbackImage& image) = 0;
    virtual bool beep(std::string_view device, int beeps) = 0;
    virtual void seed_last_committed(std::string_view device, std::uint16_t seq) = 0;

    virtual std::vector<DeviceStats> devices() const = 0;
    virtual BusStatus status() const = 0;

    // Technician operations, run between polls; `done` is posted once.
    virtual void scan(int first, int last, std::function<void(Result<std::vector<ScanEntry>>)> done) = 0;
    virtual void set_id(int from, int to, std::optional<int> baud, std::function<void(Result<void>)> done) = 0;
    virtual bool display_test(std::string_view device, std::function<void(Result<void>)> done,
                              std::chrono::milliseconds step) = 0;
};

class Bus final : public BusInterface
{
  public:
    // Takes the devices naming this bus (and their profiles) from `devices`; `profiles` are
    // every profile the config knows (technician operations on ids no device names).
    Bus(boost::asio::io_context& io, const BusConfig& bus, const std::vector<DeviceConfig>& devices,
        const std::vector<DeviceProfile>& profiles, Handlers handlers, HealthPolicy health = {});
    ~Bus() override;
    Bus(const Bus&) = delete;
    Bus& operator=(const Bus&) = delete;

    void start() override;
    // Joins the worker; idempotent. Pending technician operations and display tests
    // complete with error "bus_stopped".
    void stop() override;

    const std::string& name() const override;
    bool same_setup(const BusConfig& bus, const std::vector<DeviceConfig>& devices,
                    const std::vector<DeviceProfile>& profiles) const override;

    bool show(std::string_view device, const DisplayImage& image) override;
    bool feedback(std::string_view device, const FeedbackImage& image) override;
    bool beep(std::string_view device, int beeps) override;
    void seed_last_committed(std::string_view device, std::uint16_t seq) override;

    std::vector<DeviceStats> devices() const override;
    BusStatus status() const override;
    std::optional<DisplayImage> desired_display(std::string_view device) const;

    // Registers come from a profile: the one of the device configured at that id, else the
    // one every device of the bus uses, else motcua-v1.
    void scan(int first, int last, std::function<void(Result<std::vector<ScanEntry>>)> done) override;
    void set_id(int from, int to, std::optional<int> baud, std::function<void(Result<void>)> done) override;
    bool display_test(std::string_view device, std::function<void(Result<void>)> done,
                      std::chrono::milliseconds step = std::chrono::milliseconds{1000}) override;

    struct Core;

  private:
    const DeviceProfile* technician_profile(std::optional<int> slave) const;
    void queue(TechnicianOp op);

    std::shared_ptr<Core> core_;
    std::shared_ptr<bool> alive_;
    HealthPolicy health_policy_;
    std::thread worker_;
};

} // namespace motcua::modbus
