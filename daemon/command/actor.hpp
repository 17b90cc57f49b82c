#pragma once

// Who asks for a command. Every command runs for an actor; the access policy decides
// whether that actor may run it, and every journal row it writes names the actor.

#include <cstdint>
#include <set>
#include <string>
#include <sys/types.h>

namespace motcua::command
{

// What an actor may do, widest last. Socket peers are administrators: the control socket
// is mode 0660, so only root and the motcua group reach it (docs/control-protocol.md).
enum class Role
{
    none,       // anonymous (the hall board, the citizen's phone): reads and own-ticket ratings
    device,     // a bus device: a keypad acts only for its own counter
    clerk,      // her own counters, the register desk
    supervisor, // every counter, the register, reports
    technician, // devices and tools, reads
    admin,      // everything, accounts
};

struct Actor
{
    enum class Kind
    {
        system,      // motcuad itself (day roll-over, start-up)
        socket_peer, // a control-socket client, identified by SO_PEERCRED
        device,      // a keypad, rating panel or kiosk panel on a bus
        web,         // a web session's user (the desk console)
        phone,       // the citizen's phone page, for one ticket
    };

    Kind kind = Kind::system;
    Role role = Role::none;
    std::string name;         // "uid:1000", "bus-1/q3", a user name, "motcuad"
    int counter = 0;          // a device's counter (0 for kiosk panels)
    std::set<int> counters;   // a clerk's counters
    uid_t uid = 0;            // socket peers
    pid_t pid = 0;            // socket peers, for the log
    std::int64_t ticket = 0;  // a phone: the one ticket its link's token names

    // "socket:uid=1000", "device:bus-1/q3", "user:lan", "phone", "system": what the
    // journal's "actor" field holds.
    std::string label() const;

    static Actor system();
    static Actor socket_peer(uid_t uid, pid_t pid);
    static Actor device(const std::string& bus, const std::string& device, int counter);
    static Actor web_user(const std::string& user, Role role, std::set<int> counters);
    // The citizen's phone page of one ticket (anonymous: it may rate that ticket only).
    static Actor phone(std::int64_t ticket);
};

std::string to_string(Role role);

} // namespace motcua::command
