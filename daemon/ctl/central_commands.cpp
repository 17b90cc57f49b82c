// motcuactl central enroll: the box's half of joining the province's central service
// (docs/central.md "Enrolling a box"). It needs no daemon: it makes the box's private key
// and a signing request for its site code, then says what the province and the technician
// do next. The key never leaves the box; the request holds no secret.

#include "central/pki.hpp"
#include "ctl/cli.hpp"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

namespace motcua::ctl
{

namespace
{
namespace fs = std::filesystem;

struct Enrol
{
    std::string url;
    std::string site;
    std::string dir = "/var/lib/motcua/central";
    bool force = false;
};

// A TOML basic string.
std::string toml_string(const std::string& text)
{
    std::string out = "\"";
    for (char c : text)
    {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

// motcuad runs as the user motcua and must read the key: when root enrols, the folder and
// the files are given to that user (if it exists: on a development machine it may not).
void give_to_daemon_user(const fs::path& dir, const std::vector<fs::path>& files)
{
    if (::geteuid() != 0)
        return;
    const passwd* user = ::getpwnam("motcua");
    if (!user)
        return;
    for (const auto& path : files)
        if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
            std::cerr << "motcuactl: cannot give " << path.string() << " to the user motcua\n";
    if (::chown(dir.c_str(), user->pw_uid, user->pw_gid) != 0)
        std::cerr << "motcuactl: cannot give " << dir.string() << " to the user motcua\n";
}

int enrol(const Enrol& e, bool json_output)
{
    if (e.url.rfind("https://", 0) != 0 || e.url.size() <= 8 ||
        e.url.find_first_of(" \t\r\n\"\\") != std::string::npos)
    {
        std::cerr << "motcuactl: --url must be the central's https:// address (such as "
                     "https://central.example.gov.vn), not \""
                  << e.url << "\" [bad_url]\n";
        return 1;
    }
    std::error_code ec;
    const fs::path dir = fs::absolute(e.dir, ec).lexically_normal();
    if (!fs::is_directory(dir, ec))
    {
        fs::create_directories(dir, ec);
        if (ec)
        {
            std::cerr << "motcuactl: cannot create " << dir.string() << ": " << ec.message() << " [pki_io]\n";
            return 1;
        }
        // The box's private key lives here: nobody else may list or read it.
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    const fs::path key = dir / "site.key", csr = dir / "site.csr";
    if (fs::exists(key, ec) && !e.force)
    {
        std::cerr << "motcuactl: " << key.string()
                  << " already exists: this box is enrolled or half-way. Give --force to make a new key "
                     "(the certificate signed for the old one stops working) [key_exists]\n";
        return 1;
    }
    if (e.force)
    {
        fs::remove(key, ec);
        fs::remove(csr, ec);
    }
    else
        fs::remove(csr, ec); // a request without its key is useless: make both anew
    if (auto made = central::pki::create_key_and_request(key, csr, e.site); !made)
    {
        std::cerr << "motcuactl: " << made.error().message << " [" << made.error().code << "]\n";
        return 1;
    }
    give_to_daemon_user(dir, {key, csr});

    const fs::path cert = dir / "site.crt", ca = dir / "ca.crt";
    const std::string snippet = "[central]\nurl = " + toml_string(e.url) + "\nsite = " + toml_string(e.site) +
                                "\ncert = " + toml_string(cert.string()) + "\nkey = " + toml_string(key.string()) +
                                "\nca = " + toml_string(ca.string()) + "\n";
    if (json_output)
    {
        std::cout << json{{"site", e.site},       {"url", e.url},          {"key", key.string()},
                          {"csr", csr.string()},  {"cert", cert.string()}, {"ca", ca.string()},
                          {"config", snippet}}
                         .dump()
                  << "\n";
        return 0;
    }
    std::cout << "Made the private key " << key.string() << " (mode 0600; it never leaves this box)\n"
              << "and the signing request " << csr.string() << " for the site " << e.site << ".\n\n"
              << "Next:\n"
              << "1. Send " << csr.string() << " to the province (it holds no secret).\n"
              << "2. The province signs it on the central:\n"
              << "     motcua-central site add " << e.site << " --csr " << csr.filename().string() << "\n"
              << "   and sends back the box's certificate and the province's CA certificate.\n"
              << "3. Put them at " << cert.string() << " and " << ca.string() << ".\n"
              << "4. Add this to /etc/motcua/motcua.toml:\n\n"
              << snippet << "\n"
              << "5. systemctl restart motcuad, then motcuactl central status.\n";
    return 0;
}
// "3 rows waiting, last acknowledged 1204, last upload 12 s ago; last error: …"
std::string status_line(const json& st)
{
    if (!st.value("enabled", false))
        return "No upload to the province: motcua.toml has no [central] section.";
    std::string line = st.value("url", "") + " as site " + st.value("site", "") + ": " + st.value("state", "");
    line += ", " + std::to_string(st.value("waiting", 0)) + " rows waiting";
    if (st.contains("acknowledged") && !st["acknowledged"].is_null())
        line += ", last acknowledged row " + std::to_string(st["acknowledged"].get<long long>());
    if (st.contains("since_success_s") && !st["since_success_s"].is_null())
        line += ", last upload " + std::to_string(st["since_success_s"].get<long long>()) + " s ago";
    else
        line += ", nothing uploaded since the daemon started";
    if (!st.value("last_error", "").empty())
        line += "\nlast error: " + st.value("last_error", "");
    line += "\npersonal data: " + st.value("personal_data", "");
    return line;
}
} // namespace

void add_central_commands(CLI::App& app, Session& s)
{
    auto* central = app.add_subcommand("central", "The province's central service: enrol this box, see the upload");
    auto* status = central->add_subcommand(
        "status", "Rows waiting, the last acknowledged row, the last error, time since the last upload");
    on_run(status, s, "central.status", [] { return json::object(); }, status_line);
    central->require_subcommand(1);

    auto e = std::make_shared<Enrol>();
    auto* enroll = central->add_subcommand(
        "enroll", "Make this box's key and certificate signing request for the central (needs no daemon)");
    enroll->add_option("--url", e->url, "The central's address, https://…")->required();
    enroll->add_option("--site", e->site, "This office's site code, as the province gave it (such as H56.01)")
        ->required();
    enroll->add_option("--dir", e->dir, "Where the key, request and certificates live")->capture_default_str();
    enroll->add_flag("--force", e->force, "Replace an existing key (the old certificate stops working)");
    enroll->callback([&s, e] { s.action = [&s, e] { return enrol(*e, s.json_output); }; });
}

} // namespace motcua::ctl
