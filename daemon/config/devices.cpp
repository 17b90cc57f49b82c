// [[bus]], [[device]] and the device profiles they name (config/devices/<profile>.toml).

#include "config/sections.hpp"
#include "config/toml_text.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace motcua::config
{

const Bus* Devices::bus(std::string_view name) const
{
    for (const auto& b : buses)
        if (b.name == name)
            return &b;
    return nullptr;
}

const modbus::DeviceProfile* Devices::profile(std::string_view name) const
{
    for (const auto& p : profiles)
        if (p.name == name)
            return &p;
    return nullptr;
}

const Device* Devices::device(std::string_view name) const
{
    for (const auto& d : devices)
        if (d.name == name)
            return &d;
    return nullptr;
}

const Device* Devices::for_counter(int counter, DeviceRole role) const
{
    for (const auto& d : devices)
        if (d.role == role && d.counter == counter)
            return &d;
    return nullptr;
}

namespace
{

using modbus::Codec;
using modbus::DeviceProfile;
using modbus::Parity;
using modbus::WriteFunction;
using modbus::device_role_from_string;
using modbus::is_event_role;

std::optional<std::uint16_t> address(Table& t, std::string_view key, Need need = Need::optional)
{
    if (auto v = t.integer(key, need, 0, 0xFFFF))
        return static_cast<std::uint16_t>(*v);
    return std::nullopt;
}

void parse_profile_display(Table& root, DeviceProfile& p)
{
    auto t = root.table("display", Need::optional);
    if (!t)
        return;
    auto& d = p.display;
    d.present = true;
    d.number = address(*t, "number", Need::required).value_or(0);
    if (auto c = t->choice("codec", Need::optional, {"u16", "int16", "ascii"}))
        d.codec = *c == "u16" ? Codec::u16 : *c == "int16" ? Codec::int16 : Codec::ascii;
    d.width = static_cast<int>(t->integer("width", Need::optional, 1, 16).value_or(4));
    if (auto v = t->integer("blank_value", Need::optional, -32768, 0xFFFF))
        d.blank_value = static_cast<std::int32_t>(*v);
    if (auto v = t->integer("dashes_value", Need::optional, -32768, 0xFFFF))
        d.dashes_value = static_cast<std::int32_t>(*v);
    d.counter = address(*t, "counter");
    d.mode = address(*t, "mode");
    d.mode_blank = static_cast<int>(t->integer("mode_blank", Need::optional, 0, 0xFFFF).value_or(0));
    d.mode_number = static_cast<int>(t->integer("mode_number", Need::optional, 0, 0xFFFF).value_or(1));
    d.mode_dashes = static_cast<int>(t->integer("mode_dashes", Need::optional, 0, 0xFFFF).value_or(2));
    d.blink = address(*t, "blink");
    d.brightness = address(*t, "brightness");
    t->finish();

    if (d.codec != Codec::ascii && !d.mode && !d.blank_value)
        t->error_here("profile " + p.name +
                      ": a display without a mode register needs blank_value (what to write "
                      "when the display is blank)");
    if (p.write == WriteFunction::fc16)
    {
        // One FC16 covers the display's registers: they must be contiguous.
        std::vector<int> regs;
        int n = d.codec == Codec::ascii ? d.width : 1;
        for (int i = 0; i < n; ++i)
            regs.push_back(d.number + i);
        for (auto a : {d.counter, d.mode, d.blink, d.brightness})
            if (a)
                regs.push_back(*a);
        std::sort(regs.begin(), regs.end());
        for (std::size_t i = 1; i < regs.size(); ++i)
            if (regs[i] != regs[i - 1] + 1)
            {
                t->error_here("profile " + p.name +
                              ": with write = \"fc16\" the display registers must form one "
                              "block without gaps or overlaps");
                break;
            }
    }
}

void parse_profile(const toml::table& doc, DeviceProfile& p, Context& ctx)
{
    Table t{doc, "", ctx};
    p.description = t.string("description", Need::optional).value_or("");
    if (auto roles = t.strings("roles", Need::required))
        for (const auto& r : *roles)
        {
            if (auto role = device_role_from_string(r))
                p.roles.push_back(*role);
            else
                t.error("roles", "profile " + p.name + ": unknown role \"" + r +
                                     "\" (display, keypad, rating, kiosk_panel)");
        }
    if (auto w = t.choice("write", Need::optional, {"fc06", "fc16"}))
        p.write = *w == "fc06" ? WriteFunction::fc06 : WriteFunction::fc16;
    // One register alone: FC06 or FC16 of one (what the device's firmware takes).
    p.write_single = p.write;
    if (auto w = t.choice("write_single", Need::optional, {"fc06", "fc16"}))
        p.write_single = *w == "fc06" ? WriteFunction::fc06 : WriteFunction::fc16;

    if (auto id = t.table("identity", Need::optional))
    {
        p.identity.role = address(*id, "role");
        p.identity.firmware = address(*id, "firmware");
        p.identity.status = address(*id, "status");
        p.identity.heartbeat = address(*id, "heartbeat");
        p.identity.watchdog = address(*id, "watchdog");
        id->finish();
    }
    parse_profile_display(t, p);
    if (auto ev = t.table("events", Need::optional))
    {
        p.events.present = true;
        p.events.block = address(*ev, "block", Need::required).value_or(0x0200);
        p.events.ack = address(*ev, "ack", Need::required).value_or(0x0204);
        ev->finish();
    }
    if (auto fb = t.table("feedback", Need::optional))
    {
        p.feedback.show_number = address(*fb, "show_number");
        p.feedback.show_waiting = address(*fb, "show_waiting");
        p.feedback.led = address(*fb, "led");
        p.feedback.beep = address(*fb, "beep");
        fb->finish();
    }
    if (auto su = t.table("setup", Need::optional))
    {
        p.setup.slave_id = address(*su, "slave_id");
        p.setup.baud_code = address(*su, "baud_code");
        p.setup.parity = address(*su, "parity");
        p.setup.commit = address(*su, "commit");
        p.setup.commit_value =
            static_cast<std::uint16_t>(su->integer("commit_value", Need::optional, 0, 0xFFFF).value_or(0xA5A5));
        if (auto bauds = su->integers("bauds", Need::optional, 1200, 921600))
            for (std::size_t i = 0; i < bauds->size(); ++i)
                p.setup.baud_codes.emplace_back(static_cast<int>((*bauds)[i]), static_cast<int>(i));
        su->finish();
    }
    t.finish();

    for (auto r : p.roles)
    {
        if (r == DeviceRole::display && !p.display.present)
            t.error_here("profile " + p.name + " claims role display but has no [display] table");
        if (is_event_role(r) && !p.events.present)
            t.error_here("profile " + p.name + " claims role " + std::string(to_string(r)) +
                         " but has no [events] table");
    }
}

// Loads profile `name` once; returns its index in devs.profiles or nullopt (error recorded).
std::optional<std::size_t> load_profile(const std::string& name, Devices& devs, SectionContext& sc,
                                        Table& where, std::map<std::string, bool>& tried)
{
    for (std::size_t i = 0; i < devs.profiles.size(); ++i)
        if (devs.profiles[i].name == name)
            return i;
    if (tried.contains(name))
        return std::nullopt;
    tried[name] = false;
    bool valid_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    auto path = valid_name ? find_data_file(sc.search_dirs, "devices", name + ".toml") : std::string();
    if (path.empty())
    {
        where.error("profile", "unknown device profile \"" + name + "\": no devices/" + name +
                                   ".toml in the config's directory or the data directories");
        return std::nullopt;
    }
    auto p = load_device_profile(path, sc.ctx.diags);
    if (!p)
        return std::nullopt;
    p->name = name;
    devs.profiles.push_back(std::move(*p));
    tried[name] = true;
    return devs.profiles.size() - 1;
}

void parse_buses(Table& root, Devices& devs)
{
    std::map<std::string, Where> paths;
    for (auto& t : root.tables("bus", Need::optional))
    {
        Bus b;
        b.name = t.string("name", Need::required).value_or("");
        b.device = t.string("device", Need::required).value_or("");
        b.baud = static_cast<int>(t.integer("baud", Need::optional, 1200, 921600).value_or(b.baud));
        if (auto p = t.choice("parity", Need::optional, {"N", "E", "O"}))
            b.parity = *p == "N" ? Parity::none : *p == "E" ? Parity::even : Parity::odd;
        b.data_bits = static_cast<int>(t.integer("data_bits", Need::optional, 7, 8).value_or(b.data_bits));
        b.stop_bits = static_cast<int>(t.integer("stop_bits", Need::optional, 1, 2).value_or(b.stop_bits));
        b.response_timeout_ms = static_cast<int>(
            t.integer("response_timeout_ms", Need::optional, 5, 5000).value_or(b.response_timeout_ms));
        b.byte_timeout_ms =
            static_cast<int>(t.integer("byte_timeout_ms", Need::optional, 1, 1000).value_or(b.byte_timeout_ms));
        b.min_poll_period_ms =
            static_cast<int>(t.integer("min_poll_period_ms", Need::optional, 0, 10000).value_or(b.min_poll_period_ms));
        b.rs485 = t.boolean("rs485", Need::optional).value_or(false);
        b.host_watchdog_s =
            static_cast<int>(t.integer("host_watchdog_s", Need::optional, 0, 3600).value_or(b.host_watchdog_s));
        auto heartbeat = t.integer("heartbeat_period_ms", Need::optional, 100, 600000);
        b.heartbeat_period_ms = heartbeat ? static_cast<int>(*heartbeat)
                                : b.host_watchdog_s > 0 ? b.host_watchdog_s * 1000 / 4
                                                        : b.heartbeat_period_ms;
        b.think_time_ms = static_cast<int>(t.integer("think_time_ms", Need::optional, 0, 1000).value_or(b.think_time_ms));
        t.finish();
        if (!b.name.empty() && devs.bus(b.name))
            t.error("name", "duplicate bus name \"" + b.name + "\"");
        if (!b.device.empty())
            if (auto [it, fresh] = paths.emplace(b.device, t.where("device")); !fresh)
                t.error("device", "bus " + b.name + ": device " + b.device +
                                      " is already used by another bus (line " +
                                      std::to_string(it->second.line) + ")");
        if (heartbeat && b.host_watchdog_s > 0 && b.heartbeat_period_ms * 2 > b.host_watchdog_s * 1000)
            t.error("heartbeat_period_ms", "bus " + b.name + ": heartbeat_period_ms = " +
                                               std::to_string(b.heartbeat_period_ms) +
                                               " is too slow for host_watchdog_s = " +
                                               std::to_string(b.host_watchdog_s) +
                                               ": one lost write would blank every display (at most " +
                                               std::to_string(b.host_watchdog_s * 500) + ")");
        if (b.parity == Parity::none && b.stop_bits == 1)
            t.error("stop_bits", "bus " + b.name +
                                     ": Modbus RTU wants 11-bit characters: without parity use "
                                     "stop_bits = 2");
        devs.buses.push_back(std::move(b));
    }
}

void parse_device_list(Table& root, Config& cfg, SectionContext& sc)
{
    auto& devs = cfg.devices;
    std::map<std::string, bool> tried;
    std::map<std::pair<std::string, int>, std::string> slaves;
    for (auto& t : root.tables("device", Need::optional))
    {
        Device d;
        auto name = t.string("name", Need::optional);
        d.bus = t.string("bus", Need::required).value_or("");
        d.slave = static_cast<int>(t.integer("slave", Need::required, 1, 247).value_or(0));
        d.profile = t.string("profile", Need::optional).value_or(d.profile);
        if (auto r = t.choice("role", Need::required, {"display", "keypad", "rating", "kiosk_panel"}))
            d.role = *device_role_from_string(*r);
        auto counter = t.integer("counter", Need::optional, 1, 99);
        auto kiosk = t.string("kiosk", Need::optional);
        auto brightness = t.integer("brightness", Need::optional, 0, 15);
        if (auto rt = t.integer("response_timeout_ms", Need::optional, 5, 5000))
            d.response_timeout_ms = static_cast<int>(*rt);
        t.finish();

        bool on_counter = d.role != DeviceRole::kiosk_panel;
        if (on_counter)
        {
            if (!counter)
            {
                if (!t.node().contains("counter"))
                    t.error_here(t.path() + ": a " + std::string(to_string(d.role)) +
                                 " needs counter = N (the counter it belongs to)");
            }
            else
            {
                d.counter = static_cast<int>(*counter);
                if (!cfg.counter(d.counter))
                    t.error("counter", t.path() + ": counter " + std::to_string(d.counter) +
                                           " is not a [[counter]] of this config");
            }
            if (kiosk)
                t.error("kiosk", t.path() + ": kiosk = applies only to role kiosk_panel");
        }
        else
        {
            if (!kiosk)
                t.error_here(t.path() + ": a kiosk_panel needs kiosk = \"ID\" (the kiosk it belongs to)");
            else
            {
                d.kiosk = *kiosk;
                if (!cfg.printing.kiosk(d.kiosk))
                    t.error("kiosk", t.path() + ": kiosk \"" + d.kiosk + "\" is not a [[kiosk]] of this config");
            }
            if (counter)
                t.error("counter", t.path() + ": counter = does not apply to a kiosk_panel");
        }
        if (brightness)
        {
            if (d.role != DeviceRole::display)
                t.error("brightness", t.path() + ": brightness applies only to a display");
            d.brightness = static_cast<int>(*brightness);
        }
        d.name = name.value_or(std::string(to_string(d.role)) + "-" +
                               (on_counter ? std::to_string(d.counter) : d.kiosk));
        if (devs.device(d.name))
            t.error(name ? "name" : "role", "duplicate device name \"" + d.name + "\"" +
                                                (name ? "" : " (give each device a name =)"));

        if (!d.bus.empty() && !devs.bus(d.bus))
            t.error("bus", "device " + d.name + " names unknown bus \"" + d.bus + "\"");
        if (d.slave != 0 && !d.bus.empty())
            if (auto [it, fresh] = slaves.emplace(std::pair{d.bus, d.slave}, d.name); !fresh)
                t.error("slave", "device " + d.name + ": slave id " + std::to_string(d.slave) +
                                     " is already taken on bus " + d.bus + " by " + it->second);
        if (on_counter && d.role != DeviceRole::display && d.counter != 0)
            if (const auto* other = devs.for_counter(d.counter, d.role))
                t.error("counter", "counter " + std::to_string(d.counter) + " already has a " +
                                       std::string(to_string(d.role)) + " (" + other->name + ")");
        if (auto idx = load_profile(d.profile, devs, sc, t, tried))
        {
            const auto& p = devs.profiles[*idx];
            if (!p.supports(d.role))
                t.error("profile", "device " + d.name + ": profile " + p.name + " cannot act as a " +
                                       std::string(to_string(d.role)));
        }
        devs.devices.push_back(std::move(d));
    }
}

} // namespace

std::optional<modbus::DeviceProfile> load_device_profile(const std::string& path, Diagnostics& diags)
{
    auto parsed = parse_toml_file(path, diags);
    if (!parsed)
        return std::nullopt;
    DeviceProfile p;
    auto file = std::filesystem::path(path);
    p.name = file.stem().string();
    p.source = path;
    Context ctx{path, diags};
    auto before = diags.list().size();
    parse_profile(*parsed, p, ctx);
    if (diags.list().size() != before)
        return std::nullopt;
    return p;
}

void parse_devices(Table& root, Config& cfg, SectionContext& sc)
{
    if (auto t = root.table("devices", Need::optional))
    {
        cfg.devices.rating_window_s = static_cast<int>(
            t->integer("rating_window_s", Need::optional, 1, 3600).value_or(cfg.devices.rating_window_s));
        cfg.devices.dashes_on_exit = t->boolean("dashes_on_exit", Need::optional).value_or(cfg.devices.dashes_on_exit);
        t->finish();
    }
    parse_buses(root, cfg.devices);
    // A relative device path is taken relative to the config file's directory, so the
    // daemon and the simulator given the same config meet at the same path.
    std::error_code ec;
    auto base = std::filesystem::absolute(std::filesystem::path(cfg.source), ec).parent_path();
    for (auto& b : cfg.devices.buses)
        if (!b.device.empty() && std::filesystem::path(b.device).is_relative() && !cfg.source.empty() && !ec)
            b.device = (base / b.device).lexically_normal().string();
    parse_device_list(root, cfg, sc);
    // Technician operations on ids no [[device]] names (a new bus, a device at its factory
    // id) use the reference map.
    if (!cfg.devices.buses.empty() && !cfg.devices.profile("motcua-v1"))
        if (auto path = find_data_file(sc.search_dirs, "devices", "motcua-v1.toml"); !path.empty())
            if (auto p = load_device_profile(path, sc.ctx.diags))
                cfg.devices.profiles.push_back(std::move(*p));
}

} // namespace motcua::config
