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
    auto& s = app.control();
    s.add("reprint", [&app](const json& args) -> awaitable<Result<json>> {
        co_return co_await app.printing()->reprint(args);
    });
    s.add("print-test", [&app](const json& args) -> awaitable<Result<json>> {
        co_return co_await app.printing()->print_test(args);
    });
    app.add_device_report("printers", [&app] { return app.printing()->printers_json(); });
    app.add_status_part([&app] { return app.config().printing.printers.empty() ? "" : app.printing()->status_part(); });
}

} // namespace motcua::app
