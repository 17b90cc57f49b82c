#pragma once

// Helpers for process-level tests: temporary directories, running a command and reading
// its output, starting a daemon and waiting for its socket, all with bounded deadlines.

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

namespace motcua::testing
{

// A fresh directory under $TMPDIR (mkdtemp), removed with its contents on destruction.
class TempDir
{
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    void write(const std::string& name, const std::string& text) const;

  private:
    std::string path_;
};

// Where the built programs and the sources are: from ctest's environment, else the build
// directory's bin/ and the source tree this was built from.
std::string bin_dir();
std::string source_dir();
// The directory of the running program: benchmarks find motcuad beside themselves.
std::string program_dir();

struct Output
{
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs argv to completion (bounded by `timeout`), capturing stdout and stderr.
Output run(const std::vector<std::string>& argv, std::chrono::seconds timeout = std::chrono::seconds(30),
           const std::vector<std::string>& extra_env = {});

// A child process; killed with SIGKILL on destruction if still running.
class Child
{
  public:
    // stdout and stderr go to `log_path` (appended) when given.
    Child(const std::vector<std::string>& argv, const std::string& log_path = "",
          const std::vector<std::string>& extra_env = {});
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    pid_t pid() const { return pid_; }
    bool running();
    void signal(int signo);
    // Waits for exit; returns the exit code, 128+signal, or -1 on timeout.
    int wait(std::chrono::milliseconds timeout);

  private:
    pid_t pid_ = -1;
    int status_ = -1;
};

// Polls until a Unix socket at `path` accepts a connection.
bool wait_for_socket(const std::string& path, std::chrono::milliseconds timeout);

std::string read_file(const std::string& path);

} // namespace motcua::testing
