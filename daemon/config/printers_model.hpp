#pragma once

#include "config/serial_model.hpp"

// [[printer]], [[kiosk]] and [ticket] (issue: tickets on paper). A printer's model
// profile is a data file (config/printers/<profile>.toml) read into escpos::Profile.

#include "escpos/layout.hpp"
#include "escpos/profile.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::config
{

enum class TransportKind
{
    serial, // /dev/ttyUSB0, /dev/ttyS0 ...
    usb,    // USB printer class, /dev/usb/lp0
    tcp     // raw TCP, port 9100
};

// Parity: config/serial_model.hpp (shared with the other serial devices).

enum class FlowControl
{
    none,
    rtscts,
    xonxoff
};

struct PrinterTransport
{
    TransportKind kind = TransportKind::serial;
    std::string device;      // serial and usb
    int baud = 19200;        // serial
    Parity parity = Parity::none;
    FlowControl flow = FlowControl::none;
    std::string host;        // tcp
    int port = 9100;         // tcp
    friend bool operator==(const PrinterTransport&, const PrinterTransport&) = default;
};

struct Printer
{
    std::string name;         // "kiosk-1"
    std::string profile_name; // "epson-tm-t20"
    escpos::Profile profile;
    PrinterTransport transport;
    int write_timeout_ms = 5000;  // plus the job's wire time on serial lines
    int status_timeout_ms = 500;  // per DLE EOT reply
    int retry_ms = 5000;          // reopen / re-query a faulty printer this often
    int poll_ms = 30000;          // status poll of a healthy idle printer
    friend bool operator==(const Printer&, const Printer&) = default;
};

struct Kiosk
{
    std::string id;                    // "kiosk-1"
    std::string printer;               // a [[printer]] name
    std::string fallback_printer;      // optional: used when the first cannot print
    std::vector<std::string> services; // service ids; button n issues services[n-1]
};

struct Printing
{
    std::vector<Printer> printers;
    std::vector<Kiosk> kiosks;
    escpos::TicketLayout ticket; // [ticket]; office_name defaults to [office] name

    const Printer* printer(std::string_view name) const
    {
        for (const auto& p : printers)
            if (p.name == name)
                return &p;
        return nullptr;
    }
    const Kiosk* kiosk(std::string_view id) const
    {
        for (const auto& k : kiosks)
            if (k.id == id)
                return &k;
        return nullptr;
    }
};

class Diagnostics;

// Reads one model profile file (config/printers/<name>.toml). Every error is recorded with
// the profile file's own line and column; nullopt when there was any.
std::optional<escpos::Profile> load_printer_profile(const std::string& path, const std::string& name,
                                                    Diagnostics& diags);

} // namespace motcua::config
