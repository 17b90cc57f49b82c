#include "office.hpp"

#include "database_peek.hpp"

#include <csignal>
#include <thread>

namespace motcua::testing
{

namespace
{
constexpr auto socket_limit = std::chrono::seconds(10);

nlohmann::json object_or_empty(const Output& out)
{
    if (out.exit_code != 0)
        return nlohmann::json::object();
    auto j = nlohmann::json::parse(out.out, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}
} // namespace

int OfficeHarness::log_count(const std::string& what) const
{
    const auto text = log();
    int n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
        ++n;
    return n;
}

bool OfficeHarness::start_sim(const std::string& sim_config)
{
    sim = std::make_unique<Child>(std::vector<std::string>{bin_dir() + "/motcua-sim", "--config",
                                                           sim_config.empty() ? config_path() : sim_config,
                                                           "--socket", sim_socket()},
                                  dir.file("sim.log"));
    return wait_for_socket(sim_socket(), socket_limit);
}

std::vector<std::string> OfficeHarness::daemon_argv() const
{
    return {bin_dir() + "/motcuad", "--config", config_path(), "--state-dir", dir.path(), "--socket", socket()};
}

bool OfficeHarness::start_daemon(const std::vector<std::string>& env)
{
    daemon = std::make_unique<Child>(daemon_argv(), dir.file("motcuad.log"), env);
    return wait_for_socket(socket(), socket_limit);
}

int OfficeHarness::stop_daemon(int signo, std::chrono::milliseconds limit)
{
    if (!daemon)
        return -1;
    daemon->signal(signo);
    return daemon->wait(limit);
}

Output OfficeHarness::ctl(std::vector<std::string> args) const
{
    args.insert(args.begin(), {bin_dir() + "/motcuactl", "--socket", socket()});
    return run(args, std::chrono::seconds(60));
}

nlohmann::json OfficeHarness::ctl_json(std::vector<std::string> args) const
{
    args.insert(args.begin(), "--json");
    return object_or_empty(ctl(std::move(args)));
}

Output OfficeHarness::sim_ctl(std::vector<std::string> args) const
{
    args.insert(args.begin(), {bin_dir() + "/motcua-sim", "--socket", sim_socket()});
    return run(args);
}

nlohmann::json OfficeHarness::sim_json(std::vector<std::string> args) const
{
    args.insert(args.begin(), "--json");
    return object_or_empty(sim_ctl(std::move(args)));
}

std::string OfficeHarness::sql(const std::string& query) const { return query_value(database(), query); }

int OfficeHarness::journal_count(const std::string& where) const
{
    return std::stoi(sql("SELECT COUNT(*) FROM journal WHERE " + where));
}

bool OfficeHarness::eventually(const std::function<bool()>& ok, std::chrono::milliseconds limit)
{
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until)
    {
        if (ok())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ok();
}

} // namespace motcua::testing
