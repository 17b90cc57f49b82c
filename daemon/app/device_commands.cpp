// Technician commands for the RS-485 buses: bus.scan, bus.set_id, display.test. Each runs
// on the bus's worker between polls; the handler waits for the posted result.

#include "app/application.hpp"
#include "app/devices.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <optional>

namespace motcua::app
{

namespace
{
using boost::asio::awaitable;
using control::json;

// Starts an operation that reports once through a callback (posted on the io_context by
// the bus) and resumes the coroutine with its value.
template <class T, class Start>
awaitable<T> wait_for(Start start)
{
    auto ex = co_await boost::asio::this_coro::executor;
    auto signal = std::make_shared<boost::asio::steady_timer>(ex, boost::asio::steady_timer::time_point::max());
    auto result = std::make_shared<std::optional<T>>();
    start([signal, result](T value) {
        *result = std::move(value);
        signal->cancel();
    });
    boost::system::error_code ec;
    while (!*result)
        co_await signal->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    co_return std::move(**result);
}

// The bus of the running config. Shared: a reload may stop and replace it while the
// operation waits, and the operation then ends with an error.
std::shared_ptr<modbus::BusInterface> bus_arg(Application& app, const json& args)
{
    auto name = command::string_arg(args, "bus", 64);
    auto b = app.devices()->bus(name);
    if (!b)
        throw control::BadArgument("no bus named \"" + name + "\" in the config");
    return b;
}
} // namespace

void register_device_commands(Application& app)
{
    auto& commands = app.commands();
    using command::Access;
    app.add_device_report("buses", [&app] { return app.devices()->report(); });
    app.add_status_part([&app] { return app.config().devices.buses.empty() ? "" : app.devices()->status_part(); });
    commands.add("bus.scan", Access::devices, [&app](command::Call& call) -> awaitable<Result<json>> {
        const json& args = call.args;
        const auto bus = bus_arg(app, args);
        int first = static_cast<int>(command::optional_int_arg(args, "first", 1, 1, 247));
        int last = static_cast<int>(command::optional_int_arg(args, "last", 247, 1, 247));
        if (first < 1 || last > 247 || first > last)
            throw control::BadArgument("ids must satisfy 1 <= first <= last <= 247");
        // A reload may stop and drop the bus meanwhile: the scan then ends with an error.
        auto name = bus->name();
        auto found = co_await wait_for<Result<std::vector<modbus::ScanEntry>>>(
            [&bus, first, last](auto done) { bus->scan(first, last, std::move(done)); });
        if (!found)
            co_return found.error();
        json list = json::array();
        for (const auto& e : *found)
        {
            json j{{"slave", e.slave}, {"note", e.note}};
            j["role"] = e.role ? json(*e.role) : json(nullptr);
            if (e.role && *e.role >= 1 && *e.role <= 4)
                j["role_name"] = config::to_string(static_cast<config::DeviceRole>(*e.role));
            j["firmware"] = e.firmware ? json(*e.firmware) : json(nullptr);
            list.push_back(j);
        }
        co_return json{{"bus", name}, {"first", first}, {"last", last}, {"found", list}};
    });
    commands.add("bus.set_id", Access::devices, [&app](command::Call& call) -> awaitable<Result<json>> {
        const json& args = call.args;
        const auto bus = bus_arg(app, args);
        int from = static_cast<int>(command::int_arg(args, "from", 1, 247));
        int to = static_cast<int>(command::int_arg(args, "to", 1, 247));
        if (from < 1 || from > 247 || to < 1 || to > 247)
            throw control::BadArgument("slave ids are 1..247");
        std::optional<int> baud;
        if (args.contains("baud") && !args["baud"].is_null())
            baud = static_cast<int>(command::int_arg(args, "baud", 1200, 115200));
        auto name = bus->name();
        auto r = co_await wait_for<Result<void>>(
            [&bus, from, to, baud](auto done) { bus->set_id(from, to, baud, std::move(done)); });
        if (!r)
            co_return r.error();
        co_return json{{"bus", name}, {"from", from}, {"to", to}, {"baud", baud ? json(*baud) : json(nullptr)}};
    });
    commands.add("display.test", Access::devices, [&app](command::Call& call) -> awaitable<Result<json>> {
        const json& args = call.args;
        int counter = static_cast<int>(command::int_arg(args, "counter", 1, 99));
        auto where = app.devices()->display_of(counter);
        if (!where)
            co_return make_error("no_display", "Counter " + std::to_string(counter) + " has no display on a bus.");
        const auto bus = where->first;
        const std::string device = where->second;
        // The lambda captures by reference only: GCC 12 destroys a coroutine argument's
        // captures twice when they own memory.
        auto r = co_await wait_for<Result<void>>([&bus, &device](auto done) {
            if (!bus->display_test(device, done, std::chrono::milliseconds(700)))
                done(make_error("no_display", "No display " + device + " on bus " + bus->name() + "."));
        });
        if (!r)
            co_return r.error();
        co_return json{{"counter", counter}, {"device", device}, {"event", "display_tested"}};
    });
}

} // namespace motcua::app
