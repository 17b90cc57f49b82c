#pragma once

// Ticket printers and kiosks inside the daemon: one printer::Printer per [[printer]] on the
// application's io_context, and the flows that use them (docs/control-protocol.md,
// "Printers and kiosks"):
//
//   kiosk issue: check the printer (or the kiosk's fallback) → refuse before taking a
//                number, with a journal row, when none can print → commit the ticket →
//                render → print → record printed / print_failed (journal row each)
//   reprint:     print one of today's tickets again, record printed / print_failed
//   print-test:  every Vietnamese letter, the profile and its code tables
//
// A ticket is never silently lost: it is committed before it is printed (with a
// "kiosk.issued" row saying a print is owed), and on start the kiosk tickets of today
// whose print outcome never came are logged (a count and the first few labels) so the
// clerk can reprint them.

#include "app/ports.hpp"
#include "command/actor.hpp"
#include "config/printers_model.hpp"
#include "control/protocol.hpp"
#include "escpos/raster.hpp"
#include "printer/printer.hpp"
#include "queue/engine.hpp"
#include "store/journal.hpp"
#include "store/tickets.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::app
{

// Journal row committed with a kiosk's ticket: {"kiosk": id, "printer": name}.
inline constexpr std::string_view kind_kiosk_issued = "kiosk.issued";

class Application;

// Gets its ports (app/ports.hpp), not the Application.
class Printing
{
  public:
    explicit Printing(Ports ports);
    ~Printing();
    Printing(const Printing&) = delete;
    Printing& operator=(const Printing&) = delete;

    // Creates and starts a printer per [[printer]], logs today's unprinted tickets.
    void start();
    // After a reload (SIGHUP), printer by printer: one whose settings did not change keeps
    // running untouched (its state, counters and jobs); a changed or removed one stops (a
    // flow still using it holds it and ends with an error), a changed or added one starts.
    void reconfigure();
    void stop();
    // At most this many labels in the start-up line about unprinted tickets.
    static constexpr int max_labels_logged = 10;

    // Shared: a flow holds its printer while a reload may replace it.
    std::shared_ptr<printer::Printer> printer(std::string_view name) const;
    // Every printer: name, transport, profile, state, reason, stalled, counters.
    control::json printers_json() const;
    // "printers 2/2 ready" for systemd's status line.
    std::string status_part() const;

    // The kiosk flow. args: service, priority?, kiosk. The answer is the ticket (as the
    // queue's "issue" answers it) plus "kiosk" and "print" {ok, printer, bytes | error}.
    // `extra_rows` (e.g. the kiosk panel's key press) commit in the ticket's transaction.
    boost::asio::awaitable<Result<control::json>> issue_at_kiosk(const command::Actor& actor, const control::json& args,
                                                                 std::vector<store::JournalRow> extra_rows = {});
    // args: ticket (label, number, #id or integer id), printer? or kiosk?.
    boost::asio::awaitable<Result<control::json>> reprint(const command::Actor& actor, const control::json& args);
    // args: printer.
    boost::asio::awaitable<Result<control::json>> print_test(const control::json& args);

    // Prints a document other than a ticket (a dossier's form) on the printer named
    // `printer_name`: its status is checked first, then `render` builds the job for its
    // profile (with the raster font when the profile needs one). The answer: {printer,
    // profile, bytes}. Errors: unknown_printer, printer_unavailable, print_failed.
    using RenderJob = std::function<std::vector<std::uint8_t>(const escpos::Profile&, const escpos::Font*)>;
    boost::asio::awaitable<Result<control::json>> print_document(const std::string& printer_name,
                                                                 const RenderJob& render);

    // The job for one of today's tickets, as it is printed on `printer` (also for tests).
    std::vector<std::uint8_t> render(const queue::Ticket& t, const config::Printer& printer);

  private:
    struct Choice
    {
        std::shared_ptr<printer::Printer> printer; // null: none can print
        bool fallback = false;
        std::string refusal; // why none can print
    };
    // Refreshes the printer (then the fallback) and returns the first that can print.
    boost::asio::awaitable<Choice> choose(const std::string& primary, const std::string& fallback);
    // Prints a committed ticket and records the outcome (print state + journal row).
    boost::asio::awaitable<control::json> print_ticket(const command::Actor& actor, std::int64_t ticket, printer::Printer& p, bool reprint,
                                                       const std::string& kiosk);
    Result<void> record(const command::Actor& actor, std::int64_t ticket, store::PrintState state, const std::string& kind, control::json payload);
    const escpos::Font* font_for(const escpos::Profile& profile);
    void warn_unprinted_tickets();
    void add_printer(const config::Printer& cfg);

    // A printer of the running config and its start-up step.
    struct RunningPrinter
    {
        std::shared_ptr<printer::Printer> printer;
        std::function<void()> first_attempt;
    };
    Ports ports_;
    std::vector<RunningPrinter> printers_;
    std::unique_ptr<escpos::Font> font_;
    bool font_tried_ = false;
};

// Registers printer and kiosk commands (reprint, print-test, devices) and the device
// report "printers" (printing_commands.cpp).
void register_printing_commands(Application& app);

} // namespace motcua::app
