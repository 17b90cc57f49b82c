#pragma once

// Import files larger than one control request arrive in chunks: the first chunk
// ({"chunk", "more": true}) opens an upload and answers its id; later chunks name it; the
// last one ("more": false) hands the whole text to the import. The uploads are bounded:
//  - the id is 128 random bits (getrandom) in hex: not guessable, not sequential;
//  - an upload belongs to the actor who opened it (the socket peer's label); another
//    actor's chunk is refused as if the id were unknown;
//  - at most `max_uploads` open at once and `max_total_bytes` held in all of them;
//  - an upload idle for `idle_limit` is dropped by a timer on the io_context, whether or
//    not anyone sends another chunk.

#include "util/result.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace motcua::app
{

struct UploadLimits
{
    std::size_t max_uploads = 8;
    std::size_t max_total_bytes = 128 * 1024 * 1024;
    std::size_t max_file_bytes = 64 * 1024 * 1024;
    std::chrono::steady_clock::duration idle_limit = std::chrono::minutes(10);
};

class ImportUploads
{
  public:
    ImportUploads(boost::asio::io_context& io, UploadLimits limits = {});
    ~ImportUploads();
    ImportUploads(const ImportUploads&) = delete;
    ImportUploads& operator=(const ImportUploads&) = delete;

    struct Step
    {
        std::string upload;                 // the id (new or continued)
        std::size_t bytes = 0;              // held so far
        std::optional<std::string> complete; // the whole file once the last chunk arrived
    };

    // Adds a chunk. `upload` empty opens a new upload. Errors: "unknown_upload" (unknown,
    // expired or another actor's), "too_many_uploads", "import_too_large".
    Result<Step> add(const std::string& actor, const std::string& upload, std::string chunk, bool more);

    std::size_t open_uploads() const { return uploads_.size(); }
    std::size_t held_bytes() const { return held_; }

  private:
    struct Upload
    {
        std::string actor;
        std::string text;
        std::unique_ptr<boost::asio::steady_timer> expiry;
    };
    void arm(const std::string& id, Upload& u);
    void drop(const std::string& id);

    boost::asio::io_context& io_;
    UploadLimits limits_;
    std::map<std::string, Upload> uploads_;
    std::size_t held_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// 32 lowercase hex digits from the kernel's random source.
std::string random_upload_id();

} // namespace motcua::app
