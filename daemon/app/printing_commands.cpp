// The printers' control commands: reprint, print-test, and the "printers" part of
// "devices". The kiosk flow itself is reached through "issue" with a "kiosk" argument
// (queue_commands.cpp).

#include "app/application.hpp"
#include "app/printing.hpp"

namespace motcua::app
{

void register_printing_commands(Application& app)
{
    using control::json;
    using boost::asio::awaitable;
    auto& commands = app.commands();
    commands.add("reprint", command::Access::issue, [&app](command::Call& call) -> awaitable<Result<json>> {
        co_return co_await app.printing()->reprint(call.actor, call.args);
    });
    commands.add("print-test", command::Access::devices, [&app](command::Call& call) -> awaitable<Result<json>> {
        co_return co_await app.printing()->print_test(call.args);
    });
    app.add_device_report("printers", [&app] { return app.printing()->printers_json(); });
    app.add_status_part([&app] { return app.config().printing.printers.empty() ? "" : app.printing()->status_part(); });
}

} // namespace motcua::app
