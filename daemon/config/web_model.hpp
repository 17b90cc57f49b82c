#pragma once

// [web], [web.board], [[screen]]: the hall board and the pages motcuad serves on the
// office LAN (docs/hall.md). Without [web] no port is opened.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::config
{

// "0.0.0.0:8080", "[::]:8080", "192.168.1.10:80", "127.0.0.1:0" (port 0: any free one).
struct ListenAddress
{
    std::string text; // as written
    std::string host; // an IP address: "0.0.0.0", "::", "192.168.1.10"
    int port = 0;
};
// Pure syntax check; `why` says what is wrong.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* why = nullptr);

struct Board
{
    int recent_calls = 8;      // rows of last calls, newest first
    int min_row_seconds = 10;  // a call stays listed at least this long, even in a burst
    int flash_seconds = 5;     // a new call flashes this long
    std::string notice;        // the scrolling line at the bottom; "" for none
    std::string office_name;   // the heading; "" takes [office] name
};

enum class Orientation
{
    landscape, // 1920×1080
    portrait,  // 1080×1920
};

// One screen of the hall (a floor with its own counters): /board?screen=NAME.
struct Screen
{
    std::string name;                  // [a-z0-9_-], in the URL
    std::string title;                 // shown under the office name, "" for none
    std::vector<std::string> services; // the services it shows; empty: all
    std::vector<int> counters;         // the counters it shows; empty: all
    Orientation orientation = Orientation::landscape;
};

struct Web
{
    std::vector<ListenAddress> listen;
    // What the ticket's QR code and the logs point at: "http://192.168.1.10:8080". Empty:
    // derived at start from the first non-loopback address and the first listen port.
    std::string public_url;
    // Where the pages, scripts and styles are; empty: /usr/share/motcua/web, else the
    // source tree's daemon/web/pages/ (a build that is not installed).
    std::string static_dir;
    int max_connections = 1000;  // more are answered 503 and closed
    int idle_timeout_s = 30;     // a keep-alive connection with no request is closed
    int request_timeout_s = 10;  // a request must arrive whole within this (slow clients)
    Board board;
    std::vector<Screen> screens;

    // The desk console (docs/console.md): HTTPS only, on its own addresses; none: no console.
    std::vector<ListenAddress> console_listen;
    // PEM files of its certificate and key (both or neither); empty: a self-signed pair made
    // at first start in the state directory.
    std::string console_cert;
    std::string console_key;
    // A signed-in session with no request for this long ends (read at start).
    int console_idle_minutes = 30;

    const Screen* screen(std::string_view name) const;
};

} // namespace motcua::config
