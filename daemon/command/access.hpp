#pragma once

// The one access policy: may this actor run a command of this kind with these arguments?
// Transports never decide this themselves; the registry asks here for every command.

#include "command/actor.hpp"
#include "util/result.hpp"

#include <nlohmann/json.hpp>

namespace motcua::command
{

// What a command touches, which decides who may run it.
enum class Access
{
    read,       // status, lists, verify: anyone but the anonymous
    issue,      // take a ticket: kiosks, clerks, supervisors, administrators
    counter,    // act on the counter named by args["counter"]
    rate,       // a citizen's rating of a served ticket
    desk,       // the dossier register's changes and reads
    reports,    // reports and exports for any period
    devices,    // bus scans, addressing, display and printer tests
    accounts,   // users and sessions
    admin,      // journal acknowledgement and other administrator-only acts
};

// Ok, or a "forbidden" error that says who was refused what. `command` is for the message.
Result<void> authorise(const Actor& actor, Access access, const nlohmann::json& args, std::string_view command);

} // namespace motcua::command
