// The technician's reads (the console's technician screen):
//  - config.show: the running configuration as motcuad applies it, defaults filled in;
//  - config.check: the configuration file on disk checked by the same validator as
//    `motcuad --check-config`, every error with its file:line:col, before a reload;
//  - keys.recent: the key events handled since a journal seq (the keypad watch), read from
//    the journal's `device.key` rows, so a refused key shows as well as an accepted one.
// All only read; all are device tools (Access::devices: technicians and administrators).

#include "app/application.hpp"
#include "app/devices.hpp"
#include "config/load.hpp"

#include <limits>
#include <string>

namespace motcua::app
{

namespace
{
using control::json;

std::string hours_text(const std::vector<std::pair<TimeOfDay, TimeOfDay>>& hours)
{
    std::string text;
    for (const auto& [from, to] : hours)
    {
        if (!text.empty())
            text += ", ";
        text += format_time_of_day(from) + "-" + format_time_of_day(to);
    }
    return text;
}

std::string_view policy_text(config::Policy p)
{
    switch (p)
    {
    case config::Policy::strict: return "strict";
    case config::Policy::interleave: return "interleave";
    case config::Policy::ageing: return "ageing";
    }
    return "interleave";
}

std::string_view parity_text(modbus::Parity p)
{
    switch (p)
    {
    case modbus::Parity::none: return "N";
    case modbus::Parity::even: return "E";
    case modbus::Parity::odd: return "O";
    }
    return "N";
}

std::string_view transport_text(config::TransportKind k)
{
    switch (k)
    {
    case config::TransportKind::serial: return "serial";
    case config::TransportKind::usb: return "usb";
    case config::TransportKind::tcp: return "tcp";
    }
    return "serial";
}

template <class T>
json optional_json(const std::optional<T>& v)
{
    return v ? json(*v) : json(nullptr);
}

json office_json(const config::Config& cfg)
{
    const auto& o = cfg.office;
    return {{"name", o.name},
            {"unit_code", o.unit_code},
            {"timezone", o.timezone},
            {"hours", hours_text(o.hours)},
            {"day_cutoff", format_time_of_day(o.day_cutoff)}};
}

json queue_json(const config::Config& cfg)
{
    const auto& q = cfg.queue;
    json services = json::array();
    for (const auto& s : cfg.services)
        services.push_back({{"id", s.id},
                            {"number", s.number},
                            {"name", s.name},
                            {"field", s.field},
                            {"first", s.first},
                            {"last", s.last},
                            {"prefix", s.prefix},
                            {"daily_cap", optional_json(s.daily_cap)}});
    json priorities = json::array();
    for (const auto& p : cfg.priority_classes)
        priorities.push_back({{"id", p.id}, {"number", p.number}, {"name", p.name}, {"prefix", p.prefix}});
    json counters = json::array();
    for (const auto& c : cfg.counters)
        counters.push_back({{"number", c.number}, {"name", c.name}, {"services", c.services}});
    return {{"rules",
             {{"policy", policy_text(q.policy)},
              {"interleave_normal", q.interleave_normal},
              {"ageing_minutes", q.ageing_minutes},
              {"recall_limit", q.recall_limit},
              {"readmit_tolerance_minutes", q.readmit_tolerance_minutes}}},
            {"services", services},
            {"priority_classes", priorities},
            {"counters", counters}};
}

json devices_json(const config::Devices& d)
{
    json buses = json::array();
    for (const auto& b : d.buses)
        buses.push_back({{"name", b.name},
                         {"device", b.device},
                         {"baud", b.baud},
                         {"parity", parity_text(b.parity)},
                         {"data_bits", b.data_bits},
                         {"stop_bits", b.stop_bits},
                         {"response_timeout_ms", b.response_timeout_ms},
                         {"byte_timeout_ms", b.byte_timeout_ms},
                         {"min_poll_period_ms", b.min_poll_period_ms},
                         {"rs485", b.rs485},
                         {"host_watchdog_s", b.host_watchdog_s},
                         {"heartbeat_period_ms", b.heartbeat_period_ms}});
    json devices = json::array();
    for (const auto& v : d.devices)
    {
        json j{{"name", v.name},     {"bus", v.bus},         {"slave", v.slave},
               {"role", to_string(v.role)}, {"profile", v.profile}, {"response_timeout_ms", optional_json(v.response_timeout_ms)}};
        if (v.role == config::DeviceRole::kiosk_panel)
            j["kiosk"] = v.kiosk;
        else
            j["counter"] = v.counter;
        if (v.role == config::DeviceRole::display)
            j["brightness"] = v.brightness;
        devices.push_back(j);
    }
    return {{"rating_window_s", d.rating_window_s},
            {"dashes_on_exit", d.dashes_on_exit},
            {"buses", buses},
            {"devices", devices}};
}

json printing_json(const config::Printing& p)
{
    json printers = json::array();
    for (const auto& pr : p.printers)
    {
        const auto& t = pr.transport;
        json j{{"name", pr.name},
               {"profile", pr.profile_name},
               {"description", pr.profile.description},
               {"transport", transport_text(t.kind)},
               {"write_timeout_ms", pr.write_timeout_ms},
               {"status_timeout_ms", pr.status_timeout_ms},
               {"retry_ms", pr.retry_ms},
               {"poll_ms", pr.poll_ms}};
        if (t.kind == config::TransportKind::tcp)
            j["address"] = t.host + ":" + std::to_string(t.port);
        else
            j["address"] = t.device;
        if (t.kind == config::TransportKind::serial)
            j["baud"] = t.baud;
        printers.push_back(j);
    }
    json kiosks = json::array();
    for (const auto& k : p.kiosks)
        kiosks.push_back({{"id", k.id},
                          {"printer", k.printer},
                          {"fallback_printer", k.fallback_printer},
                          {"services", k.services}});
    return {{"printers", printers}, {"kiosks", kiosks}};
}

json register_json(const config::Register& r)
{
    return {{"database", r.database},
            {"calendar_dir", r.calendar_dir},
            {"same_day_cutoff", format_time_of_day(r.same_day_cutoff)},
            {"procedures", r.procedures.size()},
            {"authority", r.authority},
            {"place", r.place},
            {"forms_printer", r.forms_printer}};
}

json voice_json(const config::Voice& v)
{
    return {{"enabled", v.enabled},
            {"clips_dir", v.clips_dir},
            {"espeak_voice", v.espeak_voice},
            {"alsa_device", v.alsa_device},
            {"record_dir", v.record_dir},
            {"chime", v.chime},
            {"repeat", v.repeat},
            {"quiet_hours", hours_text(v.quiet_hours)}};
}

json web_json(const std::optional<config::Web>& w)
{
    if (!w)
        return nullptr;
    json listen = json::array();
    for (const auto& l : w->listen)
        listen.push_back(l.text);
    json screens = json::array();
    for (const auto& s : w->screens)
        screens.push_back(s.name);
    return {{"listen", listen},
            {"public_url", w->public_url},
            {"static_dir", w->static_dir},
            {"max_connections", w->max_connections},
            {"screens", screens}};
}

// The running configuration, section by section, as the daemon applies it.
json effective_config_json(const config::Config& cfg)
{
    json j = queue_json(cfg);
    j["file"] = cfg.source;
    j["office"] = office_json(cfg);
    j["control_socket"] = cfg.control.socket;
    j["devices"] = devices_json(cfg.devices);
    j["printing"] = printing_json(cfg.printing);
    j["register"] = register_json(cfg.reg);
    j["voice"] = voice_json(cfg.voice);
    j["web"] = web_json(cfg.web);
    return j;
}

// The file on disk through the validator of `motcuad --check-config`: what a reload
// (SIGHUP) or a restart would say about it now.
json config_check_json(const std::string& path)
{
    auto loaded = config::load_file(path);
    loaded.diags.sort();
    json diagnostics = json::array();
    for (const auto& d : loaded.diags.list())
        diagnostics.push_back({{"file", d.file},
                               {"line", d.line},
                               {"column", d.column},
                               {"message", d.message},
                               {"text", d.str()}});
    json j{{"file", path}, {"ok", loaded.diags.ok()}, {"diagnostics", diagnostics}};
    if (loaded.config)
    {
        j["services"] = loaded.config->services.size();
        j["counters"] = loaded.config->counters.size();
    }
    return j;
}
// A page of the journal is read per call: a watch polling every second never needs more,
// and a burst beyond it is read on the next call.
constexpr std::int64_t keys_page_rows = 2000;

// `device.key` rows after `after` (a journal seq); without `after`, only where the journal
// ends now, so a watch starts with what happens next and never scans the past.
Result<json> keys_recent(Application& app, const json& args)
{
    auto& journal = app.journal();
    if (!args.contains("after") || args["after"].is_null())
    {
        auto last = journal.last_seq();
        if (!last)
            return last.error();
        return json{{"last_seq", *last}, {"keys", json::array()}};
    }
    const auto after = command::int_arg(args, "after", 0, std::numeric_limits<std::int64_t>::max() - 1);
    auto rows = journal.read(after + 1, keys_page_rows);
    if (!rows)
        return rows.error();
    const auto& cfg = app.config();
    json keys = json::array();
    for (const auto& row : *rows)
    {
        if (row.kind != "device.key")
            continue;
        auto payload = json::parse(row.payload, nullptr, false);
        if (!payload.is_object())
            continue;
        json key{{"seq", row.seq},
                 {"at", format_iso(row.wall, cfg.office.utc_offset)},
                 {"bus", payload.value("bus", "")},
                 {"device", payload.value("device", "")},
                 {"key", payload.value("key", 0)},
                 {"arg", payload.value("arg", 0)},
                 {"outcome", payload.value("outcome", "")}};
        if (row.counter)
            key["counter"] = row.counter;
        if (payload.contains("kiosk"))
            key["kiosk"] = payload["kiosk"];
        if (const auto* device = cfg.devices.device(key["device"].get<std::string>()))
        {
            key["role"] = to_string(device->role);
            key["key_name"] = key_name(device->role, key["key"].get<int>());
        }
        keys.push_back(key);
    }
    const auto last = rows->empty() ? after : rows->back().seq;
    return json{{"last_seq", last}, {"keys", keys}};
}
} // namespace

void register_technician_commands(Application& app)
{
    using command::Access;
    auto& commands = app.commands();
    commands.add("config.show", Access::devices, command::sync([&app](command::Call&) -> Result<json> {
                     return effective_config_json(app.config());
                 }));
    commands.add("config.check", Access::devices, command::sync([&app](command::Call&) -> Result<json> {
                     if (app.config().source.empty())
                         return make_error("no_config_file", "The running configuration was not read from a file.");
                     return config_check_json(app.config().source);
                 }));
    commands.add("keys.recent", Access::devices,
                 command::sync([&app](command::Call& call) { return keys_recent(app, call.args); }));
}

} // namespace motcua::app
