#pragma once

// The validated configuration of one office. Plain data: parsed and checked by
// config::load(), consumed by the core and the drivers. Positions are kept only in
// diagnostics, never here.

#include "config/devices_model.hpp"
#include "config/printers_model.hpp"
#include "config/register_model.hpp"
#include "config/voice_model.hpp"
#include "config/central_model.hpp"
#include "config/web_model.hpp"
#include "util/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace motcua::config
{

struct Office
{
    std::string name;              // "Trung tâm Phục vụ hành chính công xã Yên Sở"
    std::string unit_code;         // opaque, used in dossier codes: "000.17.22.H56"
    std::string timezone = "Asia/Ho_Chi_Minh";
    UtcOffset utc_offset{};
    // Opening hours as intervals within a day, e.g. 07:30-11:30 and 13:30-17:00; working
    // hours for hour-based due dates are counted inside them.
    std::vector<std::pair<TimeOfDay, TimeOfDay>> hours;
    // The business day rolls over on the first event at or after this local time.
    TimeOfDay day_cutoff{0};
};

struct Service
{
    std::string id;         // short key used on the command line: "TP"
    int number = 0;         // kiosk button / keypad transfer target: 1..32
    std::string name;       // "Tư pháp – Hộ tịch"
    std::string field;      // lĩnh vực, for reports
    int first = 1;          // numbers issued today run first..last
    int last = 9999;
    std::string prefix;     // printed before the number: "TP-"
    std::optional<int> daily_cap;
};

struct PriorityClass
{
    std::string id;      // "elderly"
    int number = 0;      // EVT_ARG on the kiosk panel: 1..
    std::string name;    // "Người cao tuổi"
    std::string prefix;  // optional: printed instead of the service prefix, e.g. "UT-"
};

enum class Policy
{
    strict,     // every priority ticket before any normal ticket
    interleave, // at most interleave_normal normal tickets in a row while a priority one waits
    ageing      // like strict, and a normal ticket waiting ageing_minutes counts as priority
};

struct QueueRules
{
    Policy policy = Policy::interleave;
    int interleave_normal = 3;
    int ageing_minutes = 30;
    int recall_limit = 3;               // recalls per ticket per call
    int readmit_tolerance_minutes = 30; // a no-show may be re-admitted within this time
};

struct Counter
{
    int number = 0;                    // quầy number, 1..99
    std::string name;                  // "Quầy 1"
    std::vector<std::string> services; // service ids, most preferred first
};

struct Control
{
    std::string socket = "/run/motcua/control.sock";
};

struct Config
{
    std::string source;   // path the config was read from
    Office office;
    std::vector<Service> services;
    std::vector<PriorityClass> priority_classes;
    QueueRules queue;
    std::vector<Counter> counters;
    Control control;
    Register reg;                  // [register]: database path, procedures, calendar
    Printing printing;             // [[printer]], [[kiosk]], [ticket]
    Devices devices;               // [[bus]], [[device]]
    Voice voice;                   // [voice]: calling numbers aloud
    std::optional<Web> web;        // [web], [[screen]]: the hall board; none: no port is opened
    std::optional<Central> central; // [central]: upload to the province; none: nothing leaves

    const Service* service(std::string_view id) const;
    const Service* service_by_number(int number) const;
    const Counter* counter(int number) const;
    const PriorityClass* priority_class(std::string_view id) const;
    const PriorityClass* priority_class_by_number(int number) const;
};

} // namespace motcua::config
