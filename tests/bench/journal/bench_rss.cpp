// motcua-bench-rss MOTCUAD CONFIG: starts motcuad with the config in a temporary state
// directory, lets it settle idle, and prints its peak and current resident memory from
// /proc/<pid>/status against the 16 MB goal. The daemon is stopped afterwards.
// Beside it: the private dirty memory (heap, stacks, written data: what only motcuad
// costs) and the proportional set, from /proc/<pid>/smaps_rollup. Most of the rest is
// clean pages of shared libraries (libstdc++, OpenSSL, SQLite, ICU, espeak-ng's audio
// stack), shared with every other process using them and given back under pressure.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <signal.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace
{

using namespace std::chrono_literals;
constexpr double goal_mib = 16.0;

// "VmHWM:     6208 kB" -> 6208
std::optional<long> proc_kib(pid_t pid, const std::string& file, const std::string& key)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0)
            return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
    return std::nullopt;
}

bool alive(pid_t pid, int& status)
{
    return waitpid(pid, &status, WNOHANG) == 0;
}

void stop(pid_t pid)
{
    int status = 0;
    if (!alive(pid, status))
        return;
    kill(pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline)
    {
        if (!alive(pid, status))
            return;
        std::this_thread::sleep_for(20ms);
    }
    std::fprintf(stderr, "motcuad did not stop on SIGTERM within 5 s; killing it\n");
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
}

void print_log(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        std::fprintf(stderr, "  motcuad: %s\n", line.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Peak resident memory of an idle motcuad"};
    std::string motcuad;
    std::string config;
    double settle = 2.0;
    app.add_option("motcuad", motcuad, "the motcuad program")->required()->check(CLI::ExistingFile);
    app.add_option("config", config, "the office config (e.g. config/demo.toml)")
        ->required()
        ->check(CLI::ExistingFile);
    app.add_option("--settle", settle, "seconds to wait once the socket is up")
        ->check(CLI::Range(0.0, 600.0));
    CLI11_PARSE(app, argc, argv);

    std::string tmpl = std::filesystem::temp_directory_path().string() + "/motcua-rss-XXXXXX";
    if (!::mkdtemp(tmpl.data()))
    {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = tmpl;
    const std::string socket = dir + "/s";
    const std::string log = dir + "/motcuad.log";
    auto cleanup = [&]
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    };

    pid_t pid = fork();
    if (pid < 0)
    {
        std::perror("fork");
        cleanup();
        return 1;
    }
    if (pid == 0)
    {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0)
        {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execl(motcuad.c_str(), motcuad.c_str(), "--config", config.c_str(), "--state-dir",
              dir.c_str(), "--socket", socket.c_str(), static_cast<char*>(nullptr));
        std::perror("exec motcuad");
        _exit(127);
    }

    // Ready when the control socket exists; give up after 15 s.
    int status = 0;
    bool ready = false;
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (std::chrono::steady_clock::now() < deadline && alive(pid, status))
    {
        struct stat st
        {
        };
        if (::stat(socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
        {
            ready = true;
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    if (!ready)
    {
        std::fprintf(stderr, "motcuad did not open its socket %s (%s)\n", socket.c_str(),
                     alive(pid, status) ? "still running after 15 s" : "it exited");
        print_log(log);
        stop(pid);
        cleanup();
        return 1;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(settle));
    auto hwm = proc_kib(pid, "status", "VmHWM");
    auto rss = proc_kib(pid, "status", "VmRSS");
    auto private_dirty = proc_kib(pid, "smaps_rollup", "Private_Dirty");
    auto pss = proc_kib(pid, "smaps_rollup", "Pss");
    bool still = alive(pid, status);
    stop(pid);
    if (!still || !hwm || !rss)
    {
        std::fprintf(stderr, "motcuad exited while settling; its output:\n");
        print_log(log);
        cleanup();
        return 1;
    }
    double hwm_mib = static_cast<double>(*hwm) / 1024.0;
    std::printf("motcua-bench-rss: motcuad idle with %s after %.1f s\n", config.c_str(), settle);
    std::printf(
        "  peak RSS (VmHWM) %7.1f MiB   current RSS (VmRSS) %7.1f MiB   goal <= %.0f MiB: %s\n",
        hwm_mib, static_cast<double>(*rss) / 1024.0, goal_mib,
        hwm_mib <= goal_mib ? "met" : "NOT met");
    if (private_dirty && pss)
        std::printf("  private dirty    %7.1f MiB   proportional (Pss)  %7.1f MiB   the rest: shared clean library pages\n",
                    static_cast<double>(*private_dirty) / 1024.0, static_cast<double>(*pss) / 1024.0);
    cleanup();
    return 0;
}
