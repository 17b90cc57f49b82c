// motcuactl web cert: the desk console's certificate as the daemon serves it — the SHA-256
// fingerprint a technician compares with the one the browser shows before trusting it.

#include "ctl/cli.hpp"

namespace motcua::ctl
{

void add_web_commands(CLI::App& app, Session& s)
{
    auto* web = app.add_subcommand("web", "The web face: the desk console's HTTPS certificate");
    web->require_subcommand(1);
    auto* cert = web->add_subcommand("cert", "Print the console certificate's SHA-256 fingerprint, subject, validity and file");
    on_run(cert, s, "web.cert", [] { return json::object(); }, [](const json& r) {
        std::string names;
        for (const auto& n : r.value("names", json::array()))
            names += (names.empty() ? "" : ", ") + n.get<std::string>();
        return "SHA-256 fingerprint: " + r.value("sha256", "") + "\n" +
               "Subject:             " + r.value("subject", "") + (r.value("self_signed", false) ? " (self-signed)" : "") +
               "\n" + "Valid:               " + r.value("not_before", "") + " to " + r.value("not_after", "") + "\n" +
               "For:                 " + names + "\n" + "File:                " + r.value("path", "") + "\n" +
               "Console:             " + r.value("url", "");
    });
}

} // namespace motcua::ctl
