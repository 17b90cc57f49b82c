#include "app/import_uploads.hpp"

#include <spdlog/spdlog.h>

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <stdexcept>

namespace motcua::app
{

std::string random_upload_id()
{
    std::array<std::uint8_t, 16> bytes{};
    std::size_t got = 0;
    while (got < bytes.size())
    {
        auto n = getrandom(bytes.data() + got, bytes.size() - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw std::runtime_error("getrandom failed"); // the kernel's entropy source is gone: not recoverable
        got += static_cast<std::size_t>(n);
    }
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (auto b : bytes)
    {
        id += hex[b >> 4];
        id += hex[b & 0xF];
    }
    return id;
}

ImportUploads::ImportUploads(boost::asio::io_context& io, UploadLimits limits) : io_(io), limits_(limits) {}

ImportUploads::~ImportUploads() { *alive_ = false; }

void ImportUploads::drop(const std::string& id)
{
    auto it = uploads_.find(id);
    if (it == uploads_.end())
        return;
    held_ -= it->second.text.size();
    uploads_.erase(it);
}

void ImportUploads::arm(const std::string& id, Upload& u)
{
    if (!u.expiry)
        u.expiry = std::make_unique<boost::asio::steady_timer>(io_);
    u.expiry->expires_after(limits_.idle_limit);
    u.expiry->async_wait([this, id, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
        auto a = alive.lock();
        if (ec || !a || !*a)
            return; // re-armed by a new chunk, or finished
        if (auto it = uploads_.find(id); it != uploads_.end())
        {
            spdlog::info("Import upload dropped after idling actor={} bytes={}", it->second.actor,
                         it->second.text.size());
            drop(id);
        }
    });
}

Result<ImportUploads::Step> ImportUploads::add(const std::string& actor, const std::string& upload, std::string chunk,
                                               bool more)
{
    std::string id = upload;
    if (id.empty())
    {
        if (uploads_.size() >= limits_.max_uploads)
            return make_error("too_many_uploads", "Too many imports are being uploaded (" +
                                                      std::to_string(limits_.max_uploads) +
                                                      "); finish one or wait until an idle one is dropped.");
        id = random_upload_id();
        uploads_[id].actor = actor;
    }
    auto it = uploads_.find(id);
    if (it == uploads_.end() || it->second.actor != actor)
        return make_error("unknown_upload", "Import upload " + id + " is unknown or was dropped after " +
                                                "10 minutes without a chunk; send the file again.");
    auto& u = it->second;
    if (u.text.size() + chunk.size() > limits_.max_file_bytes)
    {
        drop(id);
        return make_error("import_too_large", "The import file is larger than " +
                                                  std::to_string(limits_.max_file_bytes >> 20) + " MiB; split it.");
    }
    if (held_ + chunk.size() > limits_.max_total_bytes)
    {
        drop(id);
        return make_error("import_too_large", "The uploads in progress hold more than " +
                                                  std::to_string(limits_.max_total_bytes >> 20) +
                                                  " MiB; wait until they are imported.");
    }
    held_ += chunk.size();
    u.text += chunk;
    Step step{id, u.text.size(), std::nullopt};
    if (more)
    {
        arm(id, u);
        return step;
    }
    held_ -= u.text.size();
    step.complete = std::move(u.text);
    uploads_.erase(it);
    return step;
}

} // namespace motcua::app
