#pragma once

// The web face of motcuad: the HTTP server, the live event hub, the static files and the
// routes (the hall board here; the phone page adds its own in site.cpp). Application
// creates one when the config has [web], tells it each committed queue event, and stops
// or reconfigures it with the rest. It reads the queue and the journal; anything that
// changes state goes through the command layer (port.commands) with an anonymous actor.

#include "command/registry.hpp"
#include "config/model.hpp"
#include "queue/engine.hpp"
#include "store/journal.hpp"
#include "util/result.hpp"
#include "web/console.hpp"
#include "web/events.hpp"
#include "web/server.hpp"
#include "web/static_files.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>

namespace motcua::phone
{
class Links;
}

namespace motcua::web
{

class PhonePages;

// What the web may use of the daemon (the narrow port, not the whole Application).
struct Port
{
    boost::asio::io_context& io;
    std::function<const config::Config&()> config; // the running config (changes on reload)
    const queue::Engine& engine;
    store::Journal& journal;
    command::Registry& commands;
    std::string state_dir; // the database's folder (per-installation secrets)
    // Whether a ticket has its one rating (store::ticket_rated), for the phone page.
    std::function<Result<bool>(std::int64_t ticket)> ticket_rated = {};
    // Sign-in and sessions for the desk console (web/console.hpp).
    ConsoleAccounts accounts = {};
};

class Site
{
  public:
    explicit Site(Port port);
    ~Site();
    Site(const Site&) = delete;
    Site& operator=(const Site&) = delete;

    // Loads the web files and listens on [web] listen; logs the addresses and public URL.
    Result<void> start();
    // Closes the listeners, the connections and the streams.
    void stop();
    // Stopped and no coroutine of it runs any more: it may be destroyed.
    bool idle() const;
    // After a reload: new board settings apply to the next snapshot; open boards are told
    // to reload; changed listen addresses are bound again.
    void reconfigure();
    // After every committed queue event (Application::on_queue_event).
    void on_queue_event(const queue::Event& event);
    // Events the control socket's watchers get too ("devices": device and printer states).
    void publish(const std::string& topic, const json& event);

    Server& server() { return server_; }
    const Server& server() const { return server_; }
    EventHub& events() { return hub_; }
    const StaticFiles& files() const { return files_; }
    const Port& port() const { return port_; }
    const config::Web& settings() const { return *port_.config().web; }
    // "http://192.168.1.10:8080": [web] public_url, or derived at start.
    const std::string& public_url() const { return public_url_; }
    // The tickets' phone links (web/phone.hpp); null before start().
    const phone::Links* phone_links() const;
    // The desk console on [web] console_listen (HTTPS); null when it has none.
    Console* console() { return console_.get(); }

  private:
    void add_routes();
    void add_board_routes();
    void add_phone_routes();  // web/phone.cpp
    Result<void> start_phone(); // web/phone.cpp: the secret, after the public URL is known
    std::string derive_public_url() const;

    Port port_;
    Server server_;
    EventHub hub_;
    StaticFiles files_;
    std::string public_url_;
    std::vector<std::string> listening_; // the listen texts bound now
    std::unique_ptr<PhonePages> phone_;
    std::unique_ptr<Console> console_;
    // Consoles a reload turned off, until their connections' coroutines have ended.
    std::vector<std::unique_ptr<Console>> retired_consoles_;
    // Starts, stops or rebinds the console as [web] console_listen says.
    Result<void> apply_console();
};

// "http://192.168.1.10:8080" from the host's first non-loopback IPv4 address (or the
// listen address itself when it names one) and the port; "http://127.0.0.1:PORT" when
// the machine has no other address.
std::string derive_public_url(const std::string& listen_host, unsigned short port);

} // namespace motcua::web
