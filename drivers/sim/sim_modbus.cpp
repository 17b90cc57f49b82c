// motcua-sim's Modbus part: one sim::ModbusSim per [[bus]] of the config, commands on the
// simulator's control socket to press keys and read displays, and a line on stdout for
// every change of a display ("display counter 2: 305 (blink)").

#include "sim/modbus_sim.hpp"
#include "sim_parts.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

namespace motcua::sim
{

namespace
{
using boost::asio::awaitable;
using control::json;

struct Served
{
    const config::Config* cfg = nullptr;
    std::map<std::string, std::unique_ptr<ModbusSim>, std::less<>> buses;
    // Last text printed per (bus, slave), to print changes only.
    std::map<std::pair<std::string, int>, std::string> shown;
    std::map<std::pair<std::string, int>, std::uint64_t> writes;
};

Served* served = nullptr;

const std::vector<std::pair<const char*, int>> keypad_keys = {
    {"next", 1}, {"recall", 2}, {"no-show", 3}, {"transfer", 4}, {"pause", 5}, {"resume", 6}, {"done", 7},
};

int keypad_key(const std::string& name)
{
    for (const auto& [n, k] : keypad_keys)
        if (name == n || (name == "no_show" && k == 3))
            return k;
    throw control::BadArgument("unknown key \"" + name + "\" (next recall no-show transfer pause resume done)");
}

// The simulated device of a config device, or a BadArgument naming what is missing.
std::pair<ModbusSim*, const config::Device*> find_device(const config::Device* d, const std::string& what)
{
    if (!d)
        throw control::BadArgument("the config has no " + what);
    auto it = served->buses.find(d->bus);
    if (it == served->buses.end())
        throw control::BadArgument("bus " + d->bus + " is not simulated");
    return {it->second.get(), d};
}

std::pair<ModbusSim*, const config::Device*> counter_device(int counter, config::DeviceRole role)
{
    return find_device(served->cfg->devices.for_counter(counter, role),
                       std::string(config::to_string(role)) + " for counter " + std::to_string(counter));
}

std::pair<ModbusSim*, const config::Device*> kiosk_panel(const std::string& kiosk)
{
    for (const auto& d : served->cfg->devices.devices)
        if (d.role == config::DeviceRole::kiosk_panel && d.kiosk == kiosk)
            return find_device(&d, "");
    return find_device(nullptr, "kiosk panel for kiosk " + kiosk);
}

std::pair<ModbusSim*, const config::Device*> named_device(const std::string& name)
{
    return find_device(served->cfg->devices.device(name), "device named " + name);
}

bool is_number(const std::string& s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

json press(ModbusSim* sim, const config::Device* d, int key, int arg)
{
    if (!sim->press(d->slave, key, arg))
        throw control::BadArgument("device " + d->name + " cannot take a key now (no FIFO or full)");
    auto panel = sim->panel(d->slave);
    return json{{"device", d->name}, {"bus", d->bus}, {"slave", d->slave}, {"key", key}, {"arg", arg},
                {"pending", panel ? panel->pending : 0}};
}

json display_json(const config::Device& d, const DisplayView& v)
{
    return json{{"device", d.name},   {"counter", d.counter},       {"text", v.text},
                {"shown_counter", v.counter}, {"blinks", v.blinks}, {"blink_period", v.blink_period},
                {"brightness", v.brightness}, {"writes", v.writes}, {"host_gone", v.host_gone}};
}

json panel_json(const config::Device& d, const PanelView& v)
{
    return json{{"device", d.name},
                {"role", config::to_string(d.role)},
                {"show_number", v.show_number ? json(*v.show_number) : json(nullptr)},
                {"waiting", v.waiting},
                {"led", v.led},
                {"beeps", v.beeps},
                {"pending", v.pending},
                {"heartbeat", v.heartbeat},
                {"host_gone", v.host_gone}};
}

template <class F>
command::Handler sync(F body)
{
    return [body](command::Call& call) -> awaitable<Result<json>> { co_return body(call.args); };
}

void print_display(const std::string& bus, int slave)
{
    auto it = served->buses.find(bus);
    if (it == served->buses.end())
        return;
    auto view = it->second->display(slave);
    if (!view)
        return;
    const config::Device* dev = nullptr;
    for (const auto& d : served->cfg->devices.devices)
        if (d.bus == bus && d.slave == slave)
            dev = &d;
    if (!dev)
        return;
    // Only writes to the display's own registers count (not heartbeats).
    auto& writes = served->writes[{bus, slave}];
    if (view->writes == writes)
        return;
    writes = view->writes;
    auto& last = served->shown[{bus, slave}];
    if (view->text == last && view->blinks == 0)
        return;
    last = view->text;
    std::cout << "display counter " << dev->counter << ": " << (view->text.empty() ? "(blank)" : view->text)
              << (view->blinks ? " (blink)" : "") << std::endl;
}

void add_serve_commands(command::Registry& s)
{
    s.add("press", command::Access::read, sync([](const json& a) -> Result<json> {
        auto target = a.contains("target") && a["target"].is_number_integer()
                          ? std::to_string(a["target"].get<int>())
                          : control::string_arg(a, "target");
        int arg = a.contains("arg") ? static_cast<int>(control::int_arg(a, "arg")) : 0;
        const auto& k = control::arg(a, "key");
        if (is_number(target))
        {
            int key = k.is_number_integer() ? k.get<int>() : keypad_key(k.get<std::string>());
            auto [sim, d] = counter_device(std::stoi(target), config::DeviceRole::keypad);
            return press(sim, d, key, arg);
        }
        int key = k.is_number_integer() ? k.get<int>() : (is_number(k.get<std::string>()) ? std::stoi(k.get<std::string>()) : 0);
        if (key < 1 || key > 32)
            throw control::BadArgument("a kiosk button is 1..32");
        auto [sim, d] = kiosk_panel(target);
        return press(sim, d, key, arg);
    }));
    s.add("rate", command::Access::read, sync([](const json& a) -> Result<json> {
        int counter = static_cast<int>(control::int_arg(a, "counter"));
        int key = static_cast<int>(control::int_arg(a, "key"));
        if (key < 1 || key > 3)
            throw control::BadArgument("a rating key is 1 (rất hài lòng), 2 (hài lòng) or 3 (không hài lòng)");
        auto [sim, d] = counter_device(counter, config::DeviceRole::rating);
        return press(sim, d, key, 0);
    }));
    s.add("display", command::Access::read, sync([](const json& a) -> Result<json> {
        json list = json::array();
        for (const auto& d : served->cfg->devices.devices)
        {
            if (d.role != config::DeviceRole::display)
                continue;
            if (a.contains("counter") && d.counter != control::int_arg(a, "counter"))
                continue;
            auto [sim, dev] = find_device(&d, "");
            if (auto v = sim->display(dev->slave))
                list.push_back(display_json(d, *v));
        }
        if (a.contains("counter"))
        {
            if (list.empty())
                throw control::BadArgument("the config has no display for counter " +
                                           std::to_string(control::int_arg(a, "counter")));
            return list[0];
        }
        return json{{"displays", list}};
    }));
    s.add("panel", command::Access::read, sync([](const json& a) -> Result<json> {
        std::pair<ModbusSim*, const config::Device*> where;
        if (a.contains("device"))
            where = named_device(control::string_arg(a, "device"));
        else
        {
            auto role = modbus::device_role_from_string(a.value("role", "keypad"));
            if (!role)
                throw control::BadArgument("role is keypad, rating or kiosk_panel");
            where = counter_device(static_cast<int>(control::int_arg(a, "counter")), *role);
        }
        auto v = where.first->panel(where.second->slave);
        if (!v)
            throw control::BadArgument("device " + where.second->name + " has no panel");
        return panel_json(*where.second, *v);
    }));
    s.add("fault", command::Access::read, sync([](const json& a) -> Result<json> {
        auto [sim, d] = named_device(control::string_arg(a, "device"));
        ModbusFaults f;
        f.silent = a.value("silent", false);
        f.bad_crc_next = a.value("bad_crc_next", 0);
        f.garbage_next = a.value("garbage_next", 0);
        f.late_next = a.value("late_next", 0);
        f.late = std::chrono::milliseconds(a.value("late_ms", 0));
        f.bad_crc_rate = a.value("bad_crc_rate", 0.0);
        sim->set_faults(d->slave, f);
        return json{{"device", d->name}, {"silent", f.silent}, {"bad_crc_next", f.bad_crc_next},
                    {"garbage_next", f.garbage_next}, {"late_next", f.late_next}};
    }));
    s.add("reboot", command::Access::read, sync([](const json& a) -> Result<json> {
        auto [sim, d] = named_device(control::string_arg(a, "device"));
        sim->reboot(d->slave);
        return json{{"device", d->name}, {"event", "rebooted"}};
    }));
    s.add("modbus.stats", command::Access::read, sync([](const json&) -> Result<json> {
        json list = json::array();
        for (const auto& d : served->cfg->devices.devices)
        {
            auto it = served->buses.find(d.bus);
            if (it == served->buses.end())
                continue;
            auto st = it->second->stats(d.slave);
            list.push_back({{"device", d.name}, {"requests", st.requests}, {"replies", st.replies}, {"acks", st.acks}});
        }
        return json{{"devices", list}};
    }));
}
} // namespace

bool start_modbus(ServeContext& ctx)
{
    served = new Served;
    served->cfg = &ctx.config;
    for (const auto& b : ctx.config.devices.buses)
    {
        std::error_code ec;
        if (auto dir = std::filesystem::path(b.device).parent_path(); !dir.empty())
            std::filesystem::create_directories(dir, ec);
        auto sim = ModbusSim::for_bus(b, ctx.config.devices.devices, ctx.config.devices.profiles, ctx.pace);
        auto& io = ctx.io;
        std::string bus = b.name;
        sim->on_write([&io, bus](int slave, int, std::uint16_t, std::span<const std::uint16_t>) {
            boost::asio::post(io, [bus, slave] {
                if (served)
                    print_display(bus, slave);
            });
        });
        if (auto r = sim->start(); !r)
        {
            spdlog::error("Simulated bus cannot start bus={} device={} error=\"{}\"", b.name, b.device, r.error().message);
            return false;
        }
        spdlog::info("Simulated bus ready bus={} link={} pty={} baud={} pace={}", b.name, b.device, sim->pty_path(),
                     b.baud, ctx.pace);
        served->buses.emplace(b.name, std::move(sim));
    }
    add_serve_commands(ctx.commands);
    return true;
}

void stop_modbus()
{
    if (!served)
        return;
    for (auto& [name, sim] : served->buses)
        sim->stop();
    delete served;
    served = nullptr;
}

void add_modbus_commands(CLI::App& app, AskContext& ctx)
{
    {
        auto* sub = app.add_subcommand("press", "Press a key: `press COUNTER next` (clerk keypad) or `press KIOSK N` (kiosk panel)");
        auto target = std::make_shared<std::string>();
        auto key = std::make_shared<std::string>();
        auto arg = std::make_shared<int>(0);
        sub->add_option("TARGET", *target, "Counter number, or kiosk id")->required();
        sub->add_option("KEY", *key, "next recall no-show transfer pause resume done, or a kiosk button number")->required();
        sub->add_option("--arg,-a,--priority,-p", *arg, "Number typed before the key (transfer target, pause reason, priority class)");
        sub->callback([&ctx, target, key, arg] {
            ctx.action = [&ctx, target, key, arg] {
                return ctx.ask("press", {{"target", *target}, {"key", *key}, {"arg", *arg}}, [](const json& r) {
                    return "pressed " + std::to_string(r.value("key", 0)) + " on " + r.value("device", "") + " (" +
                           std::to_string(r.value("pending", 0)) + " pending)";
                });
            };
        });
    }
    {
        auto* sub = app.add_subcommand("press-kiosk", "Press a kiosk button: `press-kiosk K1 2 [--priority P]`");
        auto kiosk = std::make_shared<std::string>();
        auto button = std::make_shared<int>(0);
        auto priority = std::make_shared<int>(0);
        sub->add_option("KIOSK", *kiosk, "Kiosk id")->required();
        sub->add_option("BUTTON", *button, "Service button 1..32")->required();
        sub->add_option("--priority,-p", *priority, "Priority class number chosen first");
        sub->callback([&ctx, kiosk, button, priority] {
            ctx.action = [&ctx, kiosk, button, priority] {
                return ctx.ask("press", {{"target", *kiosk}, {"key", *button}, {"arg", *priority}}, [](const json& r) {
                    return "pressed button " + std::to_string(r.value("key", 0)) + " on " + r.value("device", "");
                });
            };
        });
    }
    {
        auto* sub = app.add_subcommand("rate", "Press a rating key: `rate COUNTER 1|2|3` (1 rất hài lòng … 3 không hài lòng)");
        auto counter = std::make_shared<int>(0);
        auto key = std::make_shared<int>(0);
        sub->add_option("COUNTER", *counter, "Counter number")->required();
        sub->add_option("KEY", *key, "1 rất hài lòng, 2 hài lòng, 3 không hài lòng")->required()->check(CLI::Range(1, 3));
        sub->callback([&ctx, counter, key] {
            ctx.action = [&ctx, counter, key] {
                return ctx.ask("rate", {{"counter", *counter}, {"key", *key}}, [](const json& r) {
                    return "rated " + std::to_string(r.value("key", 0)) + " on " + r.value("device", "");
                });
            };
        });
    }
    {
        auto* sub = app.add_subcommand("display", "What a counter's display shows: `display COUNTER`");
        auto counter = std::make_shared<int>(0);
        sub->add_option("COUNTER", *counter, "Counter number (all displays when omitted)");
        sub->callback([&ctx, counter] {
            ctx.action = [&ctx, counter] {
                json args = json::object();
                if (*counter)
                    args["counter"] = *counter;
                return ctx.ask("display", args, [](const json& r) {
                    auto line = [](const json& d) {
                        auto text = d.value("text", "");
                        return "display counter " + std::to_string(d.value("counter", 0)) + ": " +
                               (text.empty() ? "(blank)" : text) + (d.value("blinks", 0) ? " (blink)" : "");
                    };
                    if (!r.contains("displays"))
                        return line(r);
                    std::string out;
                    for (const auto& d : r["displays"])
                        out += (out.empty() ? "" : "\n") + line(d);
                    return out;
                });
            };
        });
    }
    {
        auto* sub = app.add_subcommand("panel", "A keypad's or panel's feedback: `panel COUNTER [--role rating]`");
        auto counter = std::make_shared<int>(0);
        auto role = std::make_shared<std::string>("keypad");
        sub->add_option("COUNTER", *counter, "Counter number")->required();
        sub->add_option("--role", *role, "keypad or rating");
        sub->callback([&ctx, counter, role] {
            ctx.action = [&ctx, counter, role] {
                return ctx.ask("panel", {{"counter", *counter}, {"role", *role}}, [](const json& r) { return r.dump(); });
            };
        });
    }
    {
        auto* sub = app.add_subcommand("reboot", "Power-cycle one simulated device: it forgets its registers and FIFO");
        auto device = std::make_shared<std::string>();
        sub->add_option("DEVICE", *device, "Device name, e.g. display-1")->required();
        sub->callback([=, &ctx] {
            ctx.action = [=, &ctx] {
                return ctx.ask("reboot", {{"device", *device}}, [](const json& r) { return r.value("device", "") + " rebooted"; });
            };
        });
    }
    {
        auto* sub = app.add_subcommand("fault", "Inject faults into one simulated device: `fault DEVICE --silent`");
        auto device = std::make_shared<std::string>();
        auto silent = std::make_shared<bool>(false);
        auto crc = std::make_shared<int>(0);
        auto garbage = std::make_shared<int>(0);
        auto late = std::make_shared<int>(0);
        auto late_ms = std::make_shared<int>(300);
        sub->add_option("DEVICE", *device, "Device name, e.g. display-1")->required();
        sub->add_flag("--silent", *silent, "Stop answering (unplugged); without it the device answers again");
        sub->add_option("--bad-crc", *crc, "The next N replies carry a wrong CRC");
        sub->add_option("--garbage", *garbage, "The next N replies are preceded by garbage");
        sub->add_option("--late", *late, "The next N replies come late");
        sub->add_option("--late-ms", *late_ms, "How late");
        sub->callback([=, &ctx] {
            ctx.action = [=, &ctx] {
                return ctx.ask("fault",
                               {{"device", *device}, {"silent", *silent}, {"bad_crc_next", *crc}, {"garbage_next", *garbage},
                                {"late_next", *late}, {"late_ms", *late_ms}},
                               [](const json& r) { return r.dump(); });
            };
        });
    }
}

} // namespace motcua::sim
