// motcua-central: the province's central service (docs/central.md). One program:
//   serve                       run the uploads port and the report pages
//   init                        create the province CA, the server certificate, the schema
//   migrate                     bring the database schema up to date
//   site add CODE --csr FILE    sign a box's request, register the site
//   site revoke CODE | site list
//   report --from --to [--by site|field|…] [--site CODE] [--json]
//   alerts [--json]             rows refused because they did not chain

#include "central/pg.hpp"
#include "central/pki.hpp"
#include "central/reports.hpp"
#include "central/schema.hpp"
#include "central/server.hpp"
#include "central/settings.hpp"
#include "util/log.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

using namespace motcua;
using namespace motcua::central;
using json = nlohmann::json;

namespace
{

int fail(const std::string& what)
{
    std::cerr << "motcua-central: " << what << "\n";
    return 1;
}

Result<std::unique_ptr<pg::Connection>> open_database(const Settings& s)
{
    auto db = pg::Connection::open(s.database);
    if (!db)
        return db.error();
    if (auto v = migrate(**db); !v)
        return v.error();
    return db;
}

std::string read_file(const std::string& path, bool& ok)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    ok = static_cast<bool>(in);
    return text.str();
}

std::string host_name()
{
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

std::string percent(const json& v) { return std::to_string(static_cast<int>(v.get<double>() * 1000 + 0.5) / 10.0).substr(0, 5) + " %"; }

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"motcua-central: the province's service the commune boxes upload their journals to"};
    std::string config_path = "/etc/motcua/central.toml";
    bool verbose = false;
    bool json_output = false;
    app.add_option("--config,-c", config_path, "central.toml")->capture_default_str();
    app.add_flag("--verbose,-v", verbose, "Log debug lines");
    app.add_flag("--json", json_output, "Print JSON");
    app.require_subcommand(1);
    app.fallthrough();

    auto* serve = app.add_subcommand("serve", "Serve the uploads port and the report pages");
    auto* init = app.add_subcommand("init", "Create the province CA, the server certificate and the schema");
    std::string ca_name = "motcua province CA";
    int days = 3650;
    init->add_option("--name", ca_name, "The CA's name (subject CN)")->capture_default_str();
    init->add_option("--days", days, "Validity of the CA and the server certificate")->capture_default_str();
    auto* migrate_cmd = app.add_subcommand("migrate", "Bring the database schema up to date");

    auto* site = app.add_subcommand("site", "Register, revoke and list sites");
    site->require_subcommand(1);
    auto* site_add = site->add_subcommand("add", "Sign a box's certificate request and register its site");
    std::string code, csr_path, out_path, site_name;
    int cert_days = 1825;
    site_add->add_option("code", code, "The site code, as the request names it")->required();
    site_add->add_option("--csr", csr_path, "The box's request (motcuactl central enroll)")->required();
    site_add->add_option("--out", out_path, "Where to write the certificate (default CODE.crt)");
    site_add->add_option("--name", site_name, "The centre's name");
    site_add->add_option("--days", cert_days, "Validity of the certificate")->capture_default_str();
    auto* site_revoke = site->add_subcommand("revoke", "Refuse a site's uploads from now on");
    site_revoke->add_option("code", code, "The site code")->required();
    auto* site_list = site->add_subcommand("list", "The sites and where each stands");

    auto* report = app.add_subcommand("report", "The province's figures for a period");
    std::string from, to, by = "site", only_site;
    report->add_option("--from", from, "First day, YYYY-MM-DD")->required();
    report->add_option("--to", to, "Last day, YYYY-MM-DD")->required();
    report->add_option("--by", by, "site (default), field, procedure, officer, counter, service or hour");
    report->add_option("--site", only_site, "One site only: its figures as the box's own report");
    auto* alerts = app.add_subcommand("alerts", "Rows refused because they did not chain");

    CLI11_PARSE(app, argc, argv);
    setup_logging(verbose);

    auto settings = load_settings(config_path);
    if (!settings)
        return fail(settings.error().message);
    const auto& s = *settings;

    if (*init)
    {
        if (auto r = pki::create_authority(s.ca_dir(), ca_name, days); !r)
            return fail(r.error().message);
        auto names = s.server_names.empty() ? std::vector<std::string>{host_name(), "localhost", "127.0.0.1"}
                                            : s.server_names;
        if (auto r = pki::create_server_certificate(s.ca_dir(), s.server_key(), s.server_cert(), names, days); !r)
            return fail(r.error().message);
        auto db = open_database(s);
        if (!db)
            return fail(db.error().message);
        std::cout << "Province CA: " << s.ca_dir() << "/ca.crt (give it to every box as [central] ca)\n"
                  << "Server certificate: " << s.server_cert() << "\nSchema: up to date\n";
        return 0;
    }
    if (*serve)
    {
        // The schema first, so a service upgraded in place migrates before it answers.
        if (auto db = open_database(s); !db)
            return fail(db.error().message);
        Pool pool(s.database, s.workers);
        Server server(s, pool);
        if (auto r = server.start(); !r)
            return fail(r.error().message);
        spdlog::info("Central: ready workers={} database=\"{}\"", s.workers, s.database);
        server.run();
        return 0;
    }
    auto db = open_database(s);
    if (!db)
        return fail(db.error().message);
    auto& conn = **db;
    if (*migrate_cmd)
    {
        std::cout << "Schema: up to date\n";
        return 0;
    }
    if (*site_add)
    {
        bool ok = false;
        auto csr = read_file(csr_path, ok);
        if (!ok)
            return fail("cannot read " + csr_path);
        auto revoked = conn.exec("SELECT 1 FROM sites WHERE code = $1 AND revoked_at IS NOT NULL", {code});
        if (!revoked)
            return fail(revoked.error().message);
        auto signed_cert = pki::sign_request(s.ca_dir(), csr, code, cert_days);
        if (!signed_cert)
            return fail(signed_cert.error().message);
        // A site enrolled again (a new box, or one revoked and brought back) gets the new
        // certificate; the old one is refused from now on (the serial no longer matches).
        auto r = conn.exec("INSERT INTO sites (code, name, cert_serial, cert_sha256) VALUES ($1, $2, $3, $4) ON "
                           "CONFLICT (code) DO UPDATE SET cert_serial = excluded.cert_serial, cert_sha256 = "
                           "excluded.cert_sha256, revoked_at = NULL, name = CASE WHEN excluded.name <> '' THEN "
                           "excluded.name ELSE sites.name END",
                           {code, site_name, signed_cert->serial_hex, signed_cert->fingerprint_sha256});
        if (!r)
            return fail(r.error().message);
        if (out_path.empty())
            out_path = code + ".crt";
        std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
        out << signed_cert->certificate_pem;
        if (!out)
            return fail("cannot write " + out_path);
        std::cout << "Site " << code << (revoked->size() > 0 ? " reinstated" : " registered") << "; certificate " << out_path << " (serial "
                  << signed_cert->serial_hex << ", until " << signed_cert->not_after << ").\n"
                  << "Copy it to the box as [central] cert, with " << s.ca_dir() << "/ca.crt as [central] ca.\n";
        return 0;
    }
    if (*site_revoke)
    {
        auto r = conn.exec("UPDATE sites SET revoked_at = now() WHERE code = $1 AND revoked_at IS NULL RETURNING 1",
                           {code});
        if (!r)
            return fail(r.error().message);
        if (r->size() == 0)
            return fail("no site " + code + " to revoke (unknown, or revoked already)");
        std::cout << "Site " << code << " revoked: its uploads are refused from now on; its rows stay.\n";
        return 0;
    }
    if (*site_list)
    {
        auto r = conn.exec("SELECT code, name, stored_through, coalesce(to_char(last_upload AT TIME ZONE 'UTC', "
                           "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), revoked_at IS NOT NULL, (SELECT count(*) FROM alerts "
                           "a WHERE a.site = sites.code AND acknowledged_at IS NULL) FROM sites ORDER BY code");
        if (!r)
            return fail(r.error().message);
        json list = json::array();
        for (int i = 0; i < r->size(); ++i)
            list.push_back({{"code", r->string(i, 0)},
                            {"name", r->string(i, 1)},
                            {"stored_through", r->int64(i, 2)},
                            {"last_upload", r->string(i, 3)},
                            {"revoked", r->text(i, 4) == "t"},
                            {"open_alerts", r->int64(i, 5)}});
        if (json_output)
            std::cout << list.dump() << "\n";
        else
            for (const auto& e : list)
                std::cout << e["code"].get<std::string>() << "  rows " << e["stored_through"] << "  last upload "
                          << (e["last_upload"].get<std::string>().empty() ? "never" : e["last_upload"].get<std::string>())
                          << (e["revoked"].get<bool>() ? "  REVOKED" : "")
                          << (e["open_alerts"].get<std::int64_t>() ? "  ALERTS " + e["open_alerts"].dump() : "") << "\n";
        return 0;
    }
    if (*report)
    {
        auto q = report_query(from, to, by, only_site);
        if (!q)
            return fail(q.error().message);
        auto answer = province_report(conn, *q);
        if (!answer)
            return fail(answer.error().message);
        if (json_output)
        {
            std::cout << answer->dump() << "\n";
            return 0;
        }
        const auto& total = (*answer)["dossiers"]["total"];
        std::cout << "From " << from << " to " << to << ": " << total["received_total"] << " dossiers, "
                  << total["resolved"] << " resolved, on time " << percent(total["on_time_rate"]) << ", QĐ 766 "
                  << percent(total["qd766_rate"]) << ", online " << percent(total["online_share"]) << "\n";
        for (const auto& row : answer->value("rows", json::array()))
            std::cout << "  " << row["key"].get<std::string>() << "  " << row["dossiers"]["received_total"]
                      << " dossiers, QĐ 766 " << percent(row["dossiers"]["qd766_rate"]) << "\n";
        return 0;
    }
    if (*alerts)
    {
        auto a = open_alerts(conn);
        if (!a)
            return fail(a.error().message);
        if (json_output)
            std::cout << a->dump() << "\n";
        else if (a->empty())
            std::cout << "No open alerts.\n";
        else
            for (const auto& e : *a)
                std::cout << e["site"].get<std::string>() << " row " << e["seq"] << ": " << e["message"].get<std::string>()
                          << " (" << e["times"] << " times since " << e["raised_at"].get<std::string>() << ")\n";
        return 0;
    }
    return 0;
}
