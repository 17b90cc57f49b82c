#pragma once

// The command layer: every operation (queue, register, calendar, devices, printing,
// reports) is one named command with one handler. Transports (the control socket, the web
// API, the bus's keypads) build an Actor and a Call and ask the registry to run it; the
// registry checks the access policy, runs the handler and turns every failure — a refused
// argument, a handler's exception — into an error answer. Nothing escapes a run.

#include "command/access.hpp"
#include "command/actor.hpp"
#include "command/args.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::command
{

// One invocation of a command.
struct Call
{
    const Actor& actor;
    const json& args;
    // Journal rows that must commit in the same transaction as the change (a key press's
    // "device.key" row, so a crash cannot apply the press twice).
    std::vector<store::JournalRow> also{};
};

using Handler = std::function<boost::asio::awaitable<Result<json>>(Call&)>;

class Registry
{
  public:
    void add(std::string name, Access access, Handler handler);

    // Authorises and runs `name`. Errors: unknown_command, forbidden, bad_request (a bad
    // argument, naming it), internal_error (a handler threw: logged with the command).
    boost::asio::awaitable<Result<json>> run(std::string_view name, Call& call) const;

    bool has(std::string_view name) const { return commands_.find(name) != commands_.end(); }
    // Name → access, for docs and tests.
    std::vector<std::pair<std::string, Access>> list() const;

  private:
    struct Command
    {
        Access access;
        Handler handler;
    };
    std::map<std::string, Command, std::less<>> commands_;
};

// Wraps a synchronous body as a handler.
template <class F>
Handler sync(F body)
{
    return [body](Call& call) -> boost::asio::awaitable<Result<json>> { co_return body(call); };
}

} // namespace motcua::command
