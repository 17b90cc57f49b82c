#include "phone/secret.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace motcua::phone
{

namespace
{
constexpr std::size_t secret_bytes = 32;

std::string errno_text(int e) { return std::strerror(e); }

Error secret_error(const std::string& path, const std::string& what)
{
    return make_error("phone_secret", "The phone-link secret " + path + " " + what +
                                          ". Fix its owner and mode (motcua, 0600), or remove it to make a new "
                                          "one (the QR codes printed before then stop working).");
}

class Fd
{
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

Result<std::string> read_secret(const std::string& path, int fd)
{
    char text[2 * secret_bytes + 2];
    ssize_t n = 0;
    std::size_t got = 0;
    while (got < sizeof text && (n = ::read(fd, text + got, sizeof text - got)) != 0)
    {
        if (n < 0)
        {
            if (errno == EINTR)
                continue;
            return secret_error(path, "cannot be read: " + errno_text(errno));
        }
        got += static_cast<std::size_t>(n);
    }
    if (got == 2 * secret_bytes + 1 && text[2 * secret_bytes] == '\n')
        --got;
    if (got != 2 * secret_bytes)
        return secret_error(path, "is damaged: it must hold 64 hexadecimal digits");
    std::string secret(secret_bytes, '\0');
    for (std::size_t i = 0; i < secret_bytes; ++i)
    {
        int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return secret_error(path, "is damaged: it must hold 64 hexadecimal digits");
        secret[i] = static_cast<char>(hi * 16 + lo);
    }
    return secret;
}

Result<void> write_all(int fd, const std::string& text)
{
    std::size_t done = 0;
    while (done < text.size())
    {
        auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return make_error("io", errno_text(errno));
        done += static_cast<std::size_t>(n);
    }
    return {};
}

// Writes a fresh secret to a temporary file, then links it into place: the name exists only
// with its full content (a power cut leaves no half-written key), and link() refuses to
// replace a secret that appeared meanwhile.
Result<void> create_secret(const std::string& dir, const std::string& path)
{
    unsigned char bytes[secret_bytes];
    std::size_t got = 0;
    while (got < secret_bytes)
    {
        auto n = ::getrandom(bytes + got, secret_bytes - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return make_error("phone_secret", "No random bytes for the phone-link secret: " + errno_text(errno));
        got += static_cast<std::size_t>(n);
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (auto b : bytes)
    {
        text.push_back(digits[b >> 4]);
        text.push_back(digits[b & 0x0F]);
    }
    text.push_back('\n');

    const auto tmp = path + ".tmp-" + std::to_string(::getpid());
    ::unlink(tmp.c_str()); // left over by a crash of a process with the same pid
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        return make_error("phone_secret", "Cannot create the phone-link secret in " + dir + ": " + errno_text(errno) +
                                              ". The state directory must be writable by motcuad.");
    auto written = write_all(fd.get(), text);
    if (written && ::fsync(fd.get()) != 0)
        written = make_error("io", errno_text(errno));
    if (!written)
    {
        ::unlink(tmp.c_str());
        return make_error("phone_secret", "Cannot write the phone-link secret " + tmp + ": " + written.error().message);
    }
    const bool linked = ::link(tmp.c_str(), path.c_str()) == 0;
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (!linked && link_errno != EEXIST)
        return make_error("phone_secret", "Cannot create the phone-link secret " + path + ": " + errno_text(link_errno));
    Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir_fd.get() >= 0)
        ::fsync(dir_fd.get());
    if (linked)
        spdlog::info("Phone-link secret created path={}", path);
    return {};
}
} // namespace

Result<std::string> load_or_create_secret(const std::string& dir)
{
    const auto path = (std::filesystem::path(dir.empty() ? "." : dir) / secret_file_name).string();
    for (int attempt = 0; attempt < 2; ++attempt)
    {
        Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
        if (fd.get() >= 0)
        {
            struct stat st{};
            if (::fstat(fd.get(), &st) == 0 && (st.st_mode & 077) != 0)
                spdlog::warn("The phone-link secret can be read by others than motcuad path={} mode={:o}; "
                             "chmod 600 it",
                             path, st.st_mode & 0777);
            return read_secret(path, fd.get());
        }
        if (errno != ENOENT)
            return secret_error(path, "cannot be opened: " + errno_text(errno));
        if (auto r = create_secret(dir.empty() ? "." : dir, path); !r)
            return r.error();
    }
    return secret_error(path, "vanished while it was being created");
}

} // namespace motcua::phone
