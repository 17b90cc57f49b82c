#pragma once

// motcuactl's side of the control protocol: a blocking Unix-socket client.

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace motcua::ctl
{

using json = nlohmann::json;

class Client
{
  public:
    explicit Client(std::string socket_path);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Sends one request and returns the response object ({"ok":…}); throws
    // std::runtime_error with a clear message when the daemon cannot be reached.
    json request(const std::string& cmd, const json& args, int timeout_s = 30);
    // Asks for a stream of events and calls `on_event` for each until it returns false.
    void watch(const json& topics, const std::function<bool(const json&)>& on_event);

  private:
    void connect();
    void send_line(const std::string& line);
    std::optional<std::string> read_line(int timeout_s);

    std::string path_;
    int fd_ = -1;
    std::string buffer_;
    int next_id_ = 1;
};

} // namespace motcua::ctl
