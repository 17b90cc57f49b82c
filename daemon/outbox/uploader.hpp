#pragma once

// The box's side of the link to the province (docs/central.md): a thread of its own, off
// the daemon's io_context, that sends the journal's rows in order, in batches, over HTTPS
// with this box's client certificate, and keeps going until the central has them all.
//
// The journal is the outbox. Nothing is deleted or marked on the box: the central answers
// with the highest row it has stored ("stored_through"), and the next batch starts after
// it. So whatever fails — this process killed mid-batch, the central killed, a batch sent
// twice, the line down for days — the next attempt asks where the central stands and goes
// on from there. The thread reads through its own SQLite connection (WAL readers do not
// block the writer).

#include "config/central_model.hpp"
#include "util/time.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

namespace motcua::outbox
{

struct UploadStatus
{
    std::string url;
    std::string site;
    std::string state = "starting";  // starting, uploading, up_to_date, retrying
    std::int64_t acknowledged = -1;  // the central's stored_through; -1 before the first answer
    std::int64_t last_seq = 0;       // the box's newest row
    std::string last_error;          // "" when the last attempt worked
    std::optional<WallTime> last_error_at;
    std::optional<WallTime> last_success; // the last answer that acknowledged rows
    std::int64_t rows_sent = 0;           // since the daemon started
    int retry_in_s = 0;                   // while retrying

    std::int64_t waiting() const { return acknowledged < 0 ? last_seq : std::max<std::int64_t>(0, last_seq - acknowledged); }
    nlohmann::json to_json(WallTime now) const;
};

class Uploader
{
  public:
    // `context`: outbox::site_context of the running config.
    Uploader(config::Central settings, std::string database_path, nlohmann::json context);
    ~Uploader(); // stops and joins
    Uploader(const Uploader&) = delete;
    Uploader& operator=(const Uploader&) = delete;

    void start();
    void stop();
    UploadStatus status() const;
    const config::Central& settings() const { return settings_; }
    const nlohmann::json& context() const { return context_; }

  private:
    void run();
    // One connection's life: ask the position, send until caught up or an error is thrown.
    void session(class Link& link, class JournalReader& reader);
    bool wait_for(std::chrono::milliseconds d); // false when stopping (stop() wakes it)
    void set_state(const std::string& state);

    const config::Central settings_;
    const std::string database_path_;
    const nlohmann::json context_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    UploadStatus status_;
    std::atomic<int> socket_fd_{-1}; // shut down by stop() to end a blocked read
    std::thread thread_;
};

} // namespace motcua::outbox
