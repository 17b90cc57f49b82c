#pragma once

// A simulated ESC/POS printer for tests and motcua-sim: a pseudo-terminal (its slave linked
// at a configured path, like a /dev/ttyUSB0 or /dev/usb/lp0) or a TCP listener on
// loopback (like port 9100). It records every byte, decodes tickets with EscposDecoder and
// answers DLE EOT / GS r / ASB as a printer in the scripted state would.
//
//   PrinterSim sim{io, {.name = "kiosk-1", .link_path = dir + "/lp0"}};
//   if (auto r = sim.start(); !r) ...
//   sim.set_state(SimState::paper_out);
//   ... io.run_for(...) ...
//   for (const auto& t : sim.tickets()) std::cout << t.text;

#include "sim/escpos_decoder.hpp"
#include "util/result.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::sim
{

enum class SimState
{
    ok,
    paper_near_end,
    paper_out,
    cover_open,
    cutter_error,
    silent,       // answers no status query at all, still prints
    stops_reading // reads nothing more: the sender's writes block (flow control held)
};

std::string_view to_string(SimState s);
std::optional<SimState> sim_state_from_string(std::string_view s);

struct PrinterSimConfig
{
    std::string name = "printer";
    bool tcp = false;          // false: pseudo-terminal
    std::string link_path;     // pty: symlink to the slave here (a stale symlink is replaced)
    std::string tcp_host = "127.0.0.1";
    std::uint16_t tcp_port = 0; // 0: an ephemeral port, see port()
    DecoderTables tables{};
    bool asb = true; // the model supports GS a (automatic status back)
};

class PrinterSim
{
  public:
    PrinterSim(boost::asio::io_context& io, PrinterSimConfig config);
    ~PrinterSim();
    PrinterSim(const PrinterSim&) = delete;
    PrinterSim& operator=(const PrinterSim&) = delete;

    // Opens the pty (and its link) or the listener.
    Result<void> start();
    void stop();

    const PrinterSimConfig& config() const;
    // The pty slave's own path (/dev/pts/N); the link points here.
    std::string device_path() const;
    std::uint16_t port() const;

    void set_state(SimState s);
    SimState state() const;

    std::vector<DecodedTicket> tickets() const;
    DecodedTicket pending() const;
    const std::vector<std::uint8_t>& bytes() const;
    int status_queries() const;   // DLE EOT / GS r received
    int replies_sent() const;
    void clear();

    // Called for every ticket completed by a cut.
    void on_ticket(std::function<void(const DecodedTicket&)> f);

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace motcua::sim
