#include "command/actor.hpp"

namespace motcua::command
{

std::string to_string(Role role)
{
    switch (role)
    {
    case Role::none: return "none";
    case Role::device: return "device";
    case Role::clerk: return "clerk";
    case Role::supervisor: return "supervisor";
    case Role::technician: return "technician";
    case Role::admin: return "admin";
    }
    return "none";
}

std::string Actor::label() const
{
    switch (kind)
    {
    case Kind::system: return "system";
    case Kind::socket_peer: return "socket:uid=" + std::to_string(uid);
    case Kind::device: return "device:" + name;
    case Kind::web: return "user:" + name;
    case Kind::phone: return "phone";
    }
    return "system";
}

Actor Actor::system()
{
    Actor a;
    a.kind = Kind::system;
    a.role = Role::admin;
    a.name = "motcuad";
    return a;
}

Actor Actor::socket_peer(uid_t uid, pid_t pid)
{
    Actor a;
    a.kind = Kind::socket_peer;
    a.role = Role::admin;
    a.name = "uid:" + std::to_string(uid);
    a.uid = uid;
    a.pid = pid;
    return a;
}

Actor Actor::device(const std::string& bus, const std::string& device, int counter)
{
    Actor a;
    a.kind = Kind::device;
    a.role = Role::device;
    a.name = bus + "/" + device;
    a.counter = counter;
    return a;
}

Actor Actor::web_user(const std::string& user, Role role, std::set<int> counters)
{
    Actor a;
    a.kind = Kind::web;
    a.role = role;
    a.name = user;
    a.counters = std::move(counters);
    return a;
}

Actor Actor::phone(std::int64_t ticket)
{
    Actor a;
    a.kind = Kind::phone;
    a.role = Role::none;
    a.name = "phone";
    a.ticket = ticket;
    return a;
}

} // namespace motcua::command
