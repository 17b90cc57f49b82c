#pragma once

// motcuad as a process on a temporary config, socket and state dir, driven by motcuactl.

#include "office_test.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <memory>

namespace motcua::testing
{

inline const char* office_config = R"(
[office]
name = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
unit_code = "000.00.00.H99"

[queue]
policy = "strict"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 8999
prefix = "TP-"

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 9000
last = 9000
prefix = "DD-"

[[priority_class]]
id = "cao-tuoi"
number = 1
name = "Người cao tuổi"

[[counter]]
number = 1
services = ["TP"]

[[counter]]
number = 2
services = ["DD", "TP"]

[register]
database = "motcua.db"
)";

class DaemonProcess : public OfficeTest
{
  protected:
    void SetUp() override { office.write_config(office_config); }
};

// A client of the control socket that speaks raw bytes, as a bad client would; -1 on failure.
inline int connect_raw(const std::string& path)
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One line from `fd`, without its newline; what came before a timeout or EOF otherwise.
inline std::string read_line(int fd, int timeout_ms)
{
    std::string line;
    char ch = 0;
    while (true)
    {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0 || ::read(fd, &ch, 1) != 1)
            return line;
        if (ch == '\n')
            return line;
        line += ch;
    }
}

} // namespace motcua::testing
