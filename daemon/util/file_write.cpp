#include "util/file_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace motcua
{

namespace
{
Error io_error(const std::string& what, int e) { return make_error("file_io", what + ": " + std::strerror(e)); }
} // namespace

Result<void> write_file_atomically(const std::filesystem::path& path, const std::string& text, mode_t mode,
                                   Overwrite overwrite)
{
    const std::string target = path.string();
    const std::string temporary = target + ".tmp";
    ::unlink(temporary.c_str()); // left by a power cut: never the real file
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return io_error("Cannot create " + temporary, errno);
    std::size_t done = 0;
    while (done < text.size())
    {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
        {
            const int e = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            return io_error("Cannot write " + temporary, e);
        }
        done += static_cast<std::size_t>(n);
    }
    // fchmod: the umask may have taken bits off `mode` at open.
    const bool synced = ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
    const int sync_errno = errno;
    ::close(fd);
    if (!synced)
    {
        ::unlink(temporary.c_str());
        return io_error("Cannot write " + temporary, sync_errno);
    }
    const bool moved = overwrite == Overwrite::replace ? ::rename(temporary.c_str(), target.c_str()) == 0
                                                       : ::link(temporary.c_str(), target.c_str()) == 0;
    if (!moved)
    {
        const int e = errno;
        ::unlink(temporary.c_str());
        if (e == EEXIST)
            return make_error("file_exists", target + " already exists; it was left as it is");
        return io_error("Cannot write " + target, e);
    }
    if (overwrite == Overwrite::never)
        ::unlink(temporary.c_str());
    const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0)
    {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

} // namespace motcua
