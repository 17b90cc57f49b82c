#pragma once

// The RS-485 devices in the daemon: one modbus::Bus per [[bus]] on the application's
// io_context. Keeps counter displays, keypads and rating panels showing the queue, and
// turns key events into queue commands, ratings and tickets, each committed exactly once:
// the event's (bus, device, seq) goes into a "device.key" journal row in the same
// transaction as its effect, and the device is acknowledged only after that commit.
//
// It gets its ports (app/ports.hpp) and a bus factory, not the Application: the unit tests
// (tests/unit/app) run it against fakes of both.

#include "app/ports.hpp"
#include "command/actor.hpp"
#include "config/model.hpp"
#include "control/protocol.hpp"
#include "modbus/bus.hpp"
#include "queue/event.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace motcua::app
{

// Journal kind of a handled key press: payload {bus, device, seq, key, arg, outcome}.
inline constexpr std::string_view kind_device_key = "device.key";

class Devices
{
  public:
    // Makes the bus of one [[bus]] with the devices of `devices` that name it. The default
    // (an empty factory) makes a modbus::Bus on the ports' io_context.
    using BusFactory = std::function<std::shared_ptr<modbus::BusInterface>(
        const modbus::BusConfig& bus, const config::Devices& devices, modbus::Handlers handlers)>;
    explicit Devices(Ports ports, BusFactory make_bus = {});
    ~Devices();
    Devices(const Devices&) = delete;
    Devices& operator=(const Devices&) = delete;

    // Seeds the buses from the journal, shows the replayed queue, starts polling.
    Result<void> start();
    // After a reload (SIGHUP), bus by bus: a bus whose settings did not change keeps running
    // untouched (its devices' states, counters and keys in flight); a changed or removed one
    // stops, a changed or added one starts. Displays show what they showed; rating windows
    // go on until they were due to end.
    void reconfigure();
    // Shows "----" on every display (dashes_on_exit) and stops taking key events; the
    // bus workers keep writing until destruction, so the dashes go out during the grace.
    void stop();

    // Shared: a technician's operation holds its bus while a reload may replace it.
    std::shared_ptr<modbus::BusInterface> bus(std::string_view name) const;
    // The display of a counter: its bus and device name.
    std::optional<std::pair<std::shared_ptr<modbus::BusInterface>, std::string>> display_of(int counter) const;
    // {"name", "device", "open", "error", "devices": [...]} per bus.
    control::json report() const;
    std::string status_part() const;

  private:
    // Rating windows open now, carried across a new mapping of the counters' devices.
    struct RatingWindow
    {
        int counter = 0;
        queue::TicketId ticket = 0;
        std::chrono::steady_clock::time_point until{};
    };
    std::vector<RatingWindow> rating_windows() const;
    void resume_rating_windows(const std::vector<RatingWindow>& windows);

    // A bus of the running config. `current` turns false when a reload retires it: its
    // handlers then ignore what it still posts.
    struct RunningBus
    {
        std::shared_ptr<modbus::BusInterface> bus;
        std::shared_ptr<bool> current;
        std::function<void()> first_contact; // its start-up step
    };
    using KeyId = std::tuple<std::string, std::string, std::uint16_t>; // bus, device, seq

    struct Where
    {
        modbus::BusInterface* bus = nullptr; // one of buses_
        std::string device;
        int brightness = 15;
    };
    struct CounterDevices
    {
        std::optional<Where> display, keypad, rating;
        int last_waiting = -1;
        // The rating window after DONE: which ticket may be rated until when.
        queue::TicketId rating_ticket = 0;
        std::chrono::steady_clock::time_point rating_until{};
        std::unique_ptr<boost::asio::steady_timer> rating_timer;
    };

    void on_queue_event(const queue::Event& e);
    void refresh(int counter, CounterDevices& cd, int blinks);
    void refresh_display(int counter, CounterDevices& cd, int blinks);
    void refresh_feedback(int counter, CounterDevices& cd);
    std::shared_ptr<modbus::BusInterface> add_bus(const modbus::BusConfig& bus);
    void retire(RunningBus& bus, std::string_view why);
    // Which display, keypad and rating panel each counter has, from the running config.
    void map_counters();
    void on_key(const modbus::KeyEvent& ev, modbus::EventCommit commit, const std::shared_ptr<bool>& current);
    void on_state(const modbus::DeviceStats& st);
    void acknowledge(const modbus::KeyEvent& ev, const modbus::EventCommit& commit, bool bus_replaced);
    void finish(const command::Actor& actor, const modbus::KeyEvent& ev, modbus::EventCommit commit, store::JournalRow row,
                Result<control::json> handled, bool bus_replaced);
    void publish_key(const modbus::KeyEvent& ev, const Result<control::json>& handled);
    boost::asio::awaitable<void> handle_key(modbus::KeyEvent ev, modbus::EventCommit commit, store::JournalRow row,
                                            std::shared_ptr<bool> alive, std::shared_ptr<bool> current);
    boost::asio::awaitable<Result<control::json>> run_key(const command::Actor& actor, const modbus::KeyEvent& ev,
                                                          const store::JournalRow& row);
    // A keypad or kiosk-panel key runs the same command as the control socket and the web
    // console ("next", "recall", "issue" …), as its device: a keypad acts for its counter.
    boost::asio::awaitable<Result<control::json>> keypad_key(const command::Actor& actor, const modbus::KeyEvent& ev,
                                                             store::JournalRow row);
    Result<control::json> rating_key(const command::Actor& actor, const modbus::KeyEvent& ev, store::JournalRow row);
    boost::asio::awaitable<Result<control::json>> kiosk_key(const command::Actor& actor, const modbus::KeyEvent& ev,
                                                            store::JournalRow row);
    void open_rating_window(int counter, CounterDevices& cd, queue::TicketId ticket);
    void open_rating_window(int counter, CounterDevices& cd, queue::TicketId ticket, std::chrono::milliseconds window);
    void close_rating_window(CounterDevices& cd);
    // Seeds `buses` with the newest handled sequence number of their devices (journal).
    Result<void> seed(const std::vector<std::shared_ptr<modbus::BusInterface>>& buses);

    Ports ports_;
    BusFactory make_bus_;
    std::vector<RunningBus> buses_;
    std::map<int, CounterDevices> counters_;
    std::set<KeyId> handling_; // presses being handled
    bool stopping_ = false;
    int quiet_counter_ = 0; // NEXT at this counter: its finish is not shown, the call that follows is
    std::unique_ptr<boost::asio::steady_timer> feedback_timer_;
    bool feedback_timer_pending_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Names of register-map.md key codes for a role ("next", "recall", …; "1".. for panels).
std::string key_name(config::DeviceRole role, int key);

} // namespace motcua::app
