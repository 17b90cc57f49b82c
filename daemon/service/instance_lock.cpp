#include "service/instance_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace motcua::service
{

namespace
{
// The pid written by the holder; "" when it cannot be read (it may be writing it now).
std::string read_holder(int fd)
{
    char buf[32] = {};
    auto n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
        pid.pop_back();
    return pid;
}
} // namespace

Result<InstanceLock> InstanceLock::acquire(const std::string& state_dir)
{
    std::string path = state_dir + "/motcuad.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0)
        return make_error("lock_failed", "Cannot create the lock file " + path + ": " +
                                             std::strerror(errno) + ".");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    {
        int err = errno;
        std::string holder = err == EWOULDBLOCK ? read_holder(fd) : std::string();
        ::close(fd);
        if (err != EWOULDBLOCK)
            return make_error("lock_failed",
                              "Cannot lock " + path + ": " + std::strerror(err) + ".");
        return make_error("already_running", "motcuad is already running (pid " +
                                                 (holder.empty() ? "?" : holder) +
                                                 ") on the state directory " + state_dir +
                                                 "; this one changes nothing and exits.");
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size()))
    {
        // The lock is what counts; the pid is only for the message of a second start.
    }
    return InstanceLock(fd, std::move(path));
}

InstanceLock::InstanceLock(InstanceLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_))
{
}

InstanceLock& InstanceLock::operator=(InstanceLock&& other) noexcept
{
    if (this != &other)
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

InstanceLock::~InstanceLock()
{
    // The file stays: removing it would let a third process lock a fresh inode while a
    // second one still waits on the old one.
    if (fd_ >= 0)
        ::close(fd_);
}

} // namespace motcua::service
