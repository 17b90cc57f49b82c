#pragma once

// A plain HTTP/1.1 client over a blocking socket for the web tests: what goes on the wire
// is exactly what the test writes, so limits and malformed requests can be tried.

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace motcua::testing
{

struct HttpResponse
{
    int status = 0; // 0: no response (closed, timed out)
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

class HttpConnection
{
  public:
    // Connects to 127.0.0.1:port (throws on failure).
    explicit HttpConnection(int port);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    void send(const std::string& bytes);
    // Reads one response (headers, then Content-Length bytes); status 0 when the server
    // closes or nothing comes within `timeout`.
    // A response to HEAD has no body whatever its Content-Length says.
    HttpResponse read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10), bool head = false);
    // Reads whatever arrives until `until` is in the received text or `timeout` passes;
    // returns all received so far (for streams).
    std::string read_until(const std::string& until, std::chrono::milliseconds timeout);
    // Whether the server closed the connection (EOF) within `timeout`.
    bool closed_within(std::chrono::milliseconds timeout);
    // Reads what arrives within `timeout` (at least one chunk when something comes).
    void read_some(std::chrono::milliseconds timeout) { fill(timeout); }
    std::string& received() { return buffer_; }

  private:
    bool fill(std::chrono::milliseconds timeout);

    int fd_ = -1;
    bool eof_ = false;
    std::string buffer_;
};

// One request on its own connection.
HttpResponse http_get(int port, const std::string& target, const std::string& extra_headers = "");

} // namespace motcua::testing
