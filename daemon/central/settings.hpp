#pragma once

// motcua-central's configuration (/etc/motcua/central.toml, docs/central.md), read with the
// box's checked TOML reader: a wrong or unknown key is an error at file:line:col.
//
//   [central]
//   province = "Tỉnh Hưng Yên"
//   listen = ["0.0.0.0:8600"]                # the boxes' uploads: HTTPS, client certificates
//   database = "postgresql:///motcua_central" # libpq connection string
//   state_dir = "/var/lib/motcua-central"    # ca/ (the province CA) and the server's key
//   server_names = ["central.tinh.gov.vn"]    # names in the server certificate `init` makes
//   workers = 4                              # threads, each with its own database connection
//   [web]
//   listen = ["127.0.0.1:8601"]              # the report pages (plain HTTP, behind the proxy)

#include "config/web_model.hpp"
#include "util/result.hpp"

#include <string>
#include <vector>

namespace motcua::central
{

struct Settings
{
    std::string province = "";
    std::vector<config::ListenAddress> listen;
    std::string database = "postgresql:///motcua_central";
    std::string state_dir = "/var/lib/motcua-central";
    std::vector<std::string> server_names;
    int workers = 4;
    std::vector<config::ListenAddress> web_listen;

    std::string ca_dir() const { return state_dir + "/ca"; }
    std::string server_cert() const { return state_dir + "/server.crt"; }
    std::string server_key() const { return state_dir + "/server.key"; }
};

// Errors: "config", the message listing every problem as file:line:col: what.
Result<Settings> load_settings(const std::string& path);

} // namespace motcua::central
