#include "command/registry.hpp"

#include <spdlog/spdlog.h>

namespace motcua::command
{

void Registry::add(std::string name, Access access, Handler handler)
{
    commands_[std::move(name)] = Command{access, std::move(handler)};
}

std::vector<std::pair<std::string, Access>> Registry::list() const
{
    std::vector<std::pair<std::string, Access>> out;
    for (const auto& [name, c] : commands_)
        out.emplace_back(name, c.access);
    return out;
}

boost::asio::awaitable<Result<json>> Registry::run(std::string_view name, Call& call) const
{
    auto it = commands_.find(name);
    if (it == commands_.end())
        co_return make_error("unknown_command", "Unknown command \"" + std::string(name) + "\".");
    if (!call.args.is_object())
        co_return make_error("bad_request", "\"args\" must be an object.");
    if (auto allowed = authorise(call.actor, it->second.access, call.args, name); !allowed)
    {
        spdlog::warn("Command refused command={} actor={} reason=\"{}\"", name, call.actor.label(),
                     allowed.error().message);
        co_return allowed.error();
    }
    // co_await is not allowed inside a catch block: note the failure, answer after it.
    std::optional<Error> failed;
    try
    {
        co_return co_await it->second.handler(call);
    }
    catch (const BadArgument& e)
    {
        failed = make_error("bad_request", std::string("Bad arguments: ") + e.what() + ".");
    }
    catch (const json::exception& e)
    {
        // A wrongly typed argument deep in a handler ("counter": "three"): the client's mistake.
        failed = make_error("bad_request", std::string("Bad arguments: ") + e.what());
    }
    catch (const std::exception& e)
    {
        spdlog::error("Command failed command={} actor={} error=\"{}\"", name, call.actor.label(), e.what());
        failed = make_error("internal_error", "The command failed inside motcuad: " + std::string(e.what()) +
                                                  ". It is logged; the request can be tried again.");
    }
    co_return *failed;
}

} // namespace motcua::command
