#pragma once

// One motcuad per state directory: an exclusive flock on <state dir>/motcuad.lock, held
// for the life of the process (the kernel drops it when the process ends, even on
// SIGKILL). The file holds the owner's pid so a second start can name it. Taken before
// the database is opened or the control socket is touched, so a second process changes
// nothing of the first's.

#include "util/result.hpp"

#include <string>

namespace motcua::service
{

class InstanceLock
{
  public:
    // Error "already_running" naming the pid that holds it, or "lock_failed" when the
    // file cannot be created (with the reason).
    static Result<InstanceLock> acquire(const std::string& state_dir);

    InstanceLock(InstanceLock&& other) noexcept;
    InstanceLock& operator=(InstanceLock&& other) noexcept;
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;
    ~InstanceLock();

    const std::string& path() const { return path_; }

  private:
    InstanceLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    int fd_ = -1;
    std::string path_;
};

} // namespace motcua::service
