#include "command/access.hpp"

namespace motcua::command
{

namespace
{
Error forbidden(const Actor& actor, std::string_view command, const std::string& why)
{
    return make_error("forbidden", actor.label() + " may not run \"" + std::string(command) + "\": " + why + ".");
}

// The counter a command acts on; 0 when the arguments name none (the handler refuses that).
int counter_of(const nlohmann::json& args)
{
    if (!args.is_object() || !args.contains("counter") || !args.at("counter").is_number_integer())
        return 0;
    auto n = args.at("counter").get<std::int64_t>();
    return n >= 1 && n <= 99 ? static_cast<int>(n) : 0;
}

// The ticket a command names by id; 0 when it names none that way.
std::int64_t ticket_of(const nlohmann::json& args)
{
    if (!args.is_object() || !args.contains("ticket") || !args.at("ticket").is_number_integer())
        return 0;
    return args.at("ticket").get<std::int64_t>();
}
} // namespace

Result<void> authorise(const Actor& actor, Access access, const nlohmann::json& args, std::string_view command)
{
    const Role role = actor.role;
    // A citizen's phone page does one thing, whatever role it was built with.
    if (actor.kind == Actor::Kind::phone && access != Access::rate)
        return forbidden(actor, command, "a phone page only rates its own ticket");
    if (role == Role::admin && actor.kind != Actor::Kind::phone)
        return {};
    switch (access)
    {
    case Access::read:
        if (role != Role::none)
            return {};
        return forbidden(actor, command, "it needs a signed-in user");
    case Access::issue:
        if (role == Role::device || role == Role::clerk || role == Role::supervisor)
            return {};
        return forbidden(actor, command, "tickets are taken at a kiosk or a desk");
    case Access::counter:
    {
        const int counter = counter_of(args);
        if (counter == 0)
            return {}; // the handler refuses the argument itself, with a precise message
        if (role == Role::supervisor)
            return {};
        if (role == Role::device && actor.counter == counter)
            return {};
        if (role == Role::clerk && actor.counters.contains(counter))
            return {};
        return forbidden(actor, command, "it acts only for its own counter" +
                                             std::string(role == Role::clerk ? "s" : "") + ", not counter " +
                                             std::to_string(counter));
    }
    case Access::rate:
        // The rule itself (served, not rated yet) is the register's; here only who may try.
        // A phone holds the token of one ticket: that ticket, by its id, and no other.
        if (actor.kind == Actor::Kind::phone)
        {
            if (actor.ticket > 0 && ticket_of(args) == actor.ticket)
                return {};
            return forbidden(actor, command, "a phone page rates only its own ticket");
        }
        if (role == Role::device || role == Role::clerk || role == Role::supervisor)
            return {};
        return forbidden(actor, command, "ratings come from a rating panel, a phone page or a desk");
    case Access::desk:
        if (role == Role::clerk || role == Role::supervisor)
            return {};
        return forbidden(actor, command, "the register is kept by clerks and supervisors");
    case Access::reports:
        if (role == Role::supervisor)
            return {};
        return forbidden(actor, command, "reports are for supervisors");
    case Access::devices:
        if (role == Role::technician)
            return {};
        return forbidden(actor, command, "device tools are for technicians");
    case Access::accounts:
    case Access::admin: return forbidden(actor, command, "it is for administrators");
    }
    return forbidden(actor, command, "not allowed");
}

} // namespace motcua::command
