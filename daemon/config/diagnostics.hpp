#pragma once

#include <string>
#include <vector>

namespace motcua::config
{

// One configuration error, printed as FILE:LINE:COL: message.
struct Diagnostic
{
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;
    std::string str() const;
};

// Every error found in one pass: the technician fixes them all at once, not one per run.
class Diagnostics
{
  public:
    void error(std::string file, int line, int column, std::string message);
    bool ok() const { return list_.empty(); }
    const std::vector<Diagnostic>& list() const { return list_; }
    std::string str() const; // one line per error
    // Orders the errors by position within each file (stable), as a compiler lists them;
    // files stay in the order they first appear.
    void sort();

  private:
    std::vector<Diagnostic> list_;
};

// Exit status for configuration errors (sysexits.h EX_CONFIG); systemd does not restart on it.
inline constexpr int exit_config_error = 78;

} // namespace motcua::config
