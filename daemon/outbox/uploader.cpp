#include "outbox/uploader.hpp"

#include "outbox/context.hpp"
#include "outbox/wire.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <sys/socket.h>
#include <sys/time.h>

namespace motcua::outbox
{

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

namespace
{

constexpr std::chrono::seconds io_timeout{20};
constexpr std::chrono::milliseconds idle_poll{1000};

// An attempt that failed: what the status and the log say.
struct LinkError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

struct Url
{
    std::string host;
    std::string port = "443";
    std::string prefix; // path before /api/v1, without the trailing '/'
};

Url parse_url(const std::string& url)
{
    Url u;
    auto rest = url.substr(std::string_view("https://").size());
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    if (slash != std::string::npos)
        u.prefix = rest.substr(slash);
    while (!u.prefix.empty() && u.prefix.back() == '/')
        u.prefix.pop_back();
    if (!authority.empty() && authority.front() == '[')
    {
        auto close = authority.find(']');
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            u.port = authority.substr(close + 2);
    }
    else if (auto colon = authority.rfind(':'); colon != std::string::npos)
    {
        u.host = authority.substr(0, colon);
        u.port = authority.substr(colon + 1);
    }
    else
        u.host = authority;
    return u;
}

std::string iso(WallTime t) { return format_iso(t, UtcOffset{}); }

WallTime wall_now() { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); }

} // namespace

json UploadStatus::to_json(WallTime now) const
{
    json j{{"url", url},
           {"site", site},
           {"state", state},
           {"acknowledged", acknowledged < 0 ? json(nullptr) : json(acknowledged)},
           {"last_seq", last_seq},
           {"waiting", waiting()},
           {"last_error", last_error},
           {"last_error_at", last_error_at ? json(iso(*last_error_at)) : json(nullptr)},
           {"last_success", last_success ? json(iso(*last_success)) : json(nullptr)},
           {"rows_sent", rows_sent}};
    j["since_success_s"] =
        last_success ? json(std::chrono::duration_cast<std::chrono::seconds>(now - *last_success).count()) : json(nullptr);
    if (state == "retrying")
        j["retry_in_s"] = retry_in_s;
    return j;
}

// One HTTPS connection to the central with this box's certificate, kept alive between
// requests. Blocking, with kernel timeouts on the socket: the thread has nothing else to do.
class Link
{
  public:
    Link(const config::Central& settings, std::atomic<int>& fd_out) : settings_(settings), url_(parse_url(settings.url)), fd_out_(fd_out)
    {
        tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        boost::system::error_code ec;
        tls_.use_certificate_chain_file(settings.cert, ec);
        if (ec)
            throw LinkError("cannot read the box's certificate " + settings.cert + ": " + ec.message());
        tls_.use_private_key_file(settings.key, ssl::context::pem, ec);
        if (ec)
            throw LinkError("cannot read the box's key " + settings.key + ": " + ec.message());
        tls_.load_verify_file(settings.ca, ec);
        if (ec)
            throw LinkError("cannot read the province CA " + settings.ca + ": " + ec.message());
        tls_.set_verify_mode(ssl::verify_peer);
    }

    ~Link() { close(); }

    json request(http::verb verb, const std::string& path, const std::string& body)
    {
        if (!stream_)
            connect();
        http::request<http::string_body> req{verb, url_.prefix + path, 11};
        req.set(http::field::host, url_.host);
        req.set(http::field::user_agent, "motcuad");
        req.keep_alive(true);
        if (!body.empty())
        {
            req.set(http::field::content_type, "application/json");
            req.body() = body;
        }
        req.prepare_payload();
        boost::system::error_code ec;
        http::write(*stream_, req, ec);
        if (ec)
            fail("cannot send to " + settings_.url + ": " + ec.message());
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(4 * 1024 * 1024);
        http::read(*stream_, buffer, parser, ec);
        if (ec)
            fail("no answer from " + settings_.url + ": " + ec.message());
        auto res = parser.release();
        if (!res.keep_alive())
            close();
        auto answer = json::parse(res.body(), nullptr, false);
        if (res.result() != http::status::ok)
        {
            std::string why = "the central answered " + std::to_string(res.result_int());
            if (answer.is_object() && answer.contains("error"))
                why += ": " + answer["error"].value("message", std::string());
            throw LinkError(why);
        }
        if (!answer.is_object())
            fail("the central's answer is not JSON");
        return answer;
    }

    void close()
    {
        fd_out_ = -1;
        stream_.reset();
    }

  private:
    [[noreturn]] void fail(const std::string& why)
    {
        close();
        throw LinkError(why);
    }

    void connect()
    {
        boost::system::error_code ec;
        tcp::resolver resolver(io_);
        auto endpoints = resolver.resolve(url_.host, url_.port, ec);
        if (ec)
            throw LinkError("cannot resolve " + url_.host + ": " + ec.message());
        stream_ = std::make_unique<ssl::stream<tcp::socket>>(io_, tls_);
        auto& socket = stream_->next_layer();
        for (const auto& e : endpoints)
        {
            socket.close(ec);
            socket.open(e.endpoint().protocol(), ec);
            if (ec)
                continue;
            timeval tv{static_cast<time_t>(io_timeout.count()), 0};
            ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
            fd_out_ = socket.native_handle();
            socket.connect(e.endpoint(), ec);
            if (!ec)
                break;
        }
        if (ec)
            fail("cannot connect to " + settings_.url + ": " + ec.message());
        socket.set_option(tcp::no_delay(true), ec);
        SSL_set_tlsext_host_name(stream_->native_handle(), url_.host.c_str());
        stream_->set_verify_callback(ssl::host_name_verification(url_.host));
        stream_->handshake(ssl::stream_base::client, ec);
        if (ec)
            fail("TLS with " + settings_.url + " failed: " + ec.message());
    }

    const config::Central& settings_;
    const Url url_;
    std::atomic<int>& fd_out_;
    asio::io_context io_;
    ssl::context tls_{ssl::context::tls_client};
    std::unique_ptr<ssl::stream<tcp::socket>> stream_;
};

// The thread's own read connection to the journal.
class JournalReader
{
  public:
    explicit JournalReader(const std::string& path)
    {
        auto db = store::Database::open(path);
        if (!db)
            throw LinkError("cannot open the journal " + path + ": " + db.error().message);
        db_ = std::move(*db);
        journal_ = std::make_unique<store::Journal>(*db_);
    }
    std::int64_t last_seq()
    {
        auto n = journal_->last_seq();
        if (!n)
            throw LinkError("cannot read the journal: " + n.error().message);
        return *n;
    }
    std::vector<store::JournalRow> read(std::int64_t from, std::int64_t limit)
    {
        auto rows = journal_->read(from, limit);
        if (!rows)
            throw LinkError("cannot read the journal: " + rows.error().message);
        return std::move(*rows);
    }
    std::optional<std::string> hash_at(std::int64_t seq)
    {
        auto h = journal_->hash_at(seq);
        if (!h)
            throw LinkError("cannot read the journal: " + h.error().message);
        return *h;
    }

  private:
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<store::Journal> journal_;
};

Uploader::Uploader(config::Central settings, std::string database_path, json context)
    : settings_(std::move(settings)), database_path_(std::move(database_path)), context_(std::move(context))
{
    status_.url = settings_.url;
    status_.site = settings_.site;
}

Uploader::~Uploader() { stop(); }

void Uploader::start()
{
    if (!thread_.joinable())
        thread_ = std::thread([this] { run(); });
}

void Uploader::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (int fd = socket_fd_.load(); fd >= 0)
        ::shutdown(fd, SHUT_RDWR);
    if (thread_.joinable())
        thread_.join();
}

UploadStatus Uploader::status() const
{
    std::lock_guard lock(mutex_);
    return status_;
}

bool Uploader::wait_for(std::chrono::milliseconds d)
{
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, d, [this] { return stopping_; });
    return !stopping_;
}

void Uploader::set_state(const std::string& state)
{
    std::string before;
    std::int64_t acked = 0;
    {
        std::lock_guard lock(mutex_);
        before = status_.state;
        status_.state = state;
        acked = status_.acknowledged;
    }
    if (before == state)
        return;
    if (state == "up_to_date")
        spdlog::info("Central: up to date url={} site={} stored_through={}", settings_.url, settings_.site, acked);
    else if (state == "uploading" && before != "retrying") // a recovery is logged by session()
        spdlog::info("Central: uploading url={} site={} from_seq={}", settings_.url, settings_.site, acked + 1);
}

void Uploader::run()
{
    std::chrono::seconds backoff{1};
    std::unique_ptr<JournalReader> reader;
    std::unique_ptr<Link> link;
    std::string logged_error;
    for (;;)
    {
        try
        {
            if (!reader)
                reader = std::make_unique<JournalReader>(database_path_);
            if (!link)
                link = std::make_unique<Link>(settings_, socket_fd_);
            session(*link, *reader);
            return; // stopping
        }
        catch (const std::exception& e)
        {
            if (link)
                link->close();
            const std::string why = e.what();
            {
                std::lock_guard lock(mutex_);
                if (stopping_)
                    return;
                status_.last_error = why;
                status_.last_error_at = wall_now();
                status_.retry_in_s = static_cast<int>(backoff.count());
                status_.state = "retrying";
            }
            // A line that stays down logs once, not at every retry.
            if (why != logged_error)
                spdlog::warn("Central: upload failed url={} site={} error=\"{}\" retry_in={}s", settings_.url,
                             settings_.site, why, backoff.count());
            logged_error = why;
            if (!wait_for(backoff))
                return;
            backoff = std::min<std::chrono::seconds>(backoff * 2, std::chrono::seconds(settings_.retry_max_seconds));
            continue;
        }
    }
}

void Uploader::session(Link& link, JournalReader& reader)
{
    auto position = link.request(http::verb::get, "/api/v1/position", "");
    std::int64_t acked = position.value("stored_through", std::int64_t{0});
    bool send_context = position.value("context_hash", std::string()) != context_hash(context_);
    {
        std::lock_guard lock(mutex_);
        status_.acknowledged = acked;
    }
    // The central's last row must be ours: else this box's history differs from what it
    // sent before (restored from an older backup, or edited). The box then sends its rows
    // from that point again, so the central compares them with what it stored, refuses what
    // differs and raises an alert for the site; and the box says so in its status.
    if (acked > 0)
    {
        const auto last = reader.last_seq();
        auto mine = acked <= last ? reader.hash_at(acked) : std::nullopt;
        if (!mine || *mine != position.value("hash", std::string()))
        {
            if (last >= 1)
            {
                json probe{{"site", settings_.site}, {"rows", json::array()}};
                for (const auto& row : reader.read(std::min(acked, last), 1))
                    probe["rows"].push_back(to_wire(row, settings_.send_personal_data));
                link.request(http::verb::post, "/api/v1/rows", probe.dump());
            }
            throw LinkError(mine ? "the central's row " + std::to_string(acked) +
                                       " differs from this box's: the box's history changed since it was sent"
                                 : "the central holds rows up to " + std::to_string(acked) +
                                       " but this box's journal ends at " + std::to_string(last) +
                                       ": was the box restored from an older backup?");
        }
    }
    for (;;)
    {
        const auto last = reader.last_seq();
        {
            std::lock_guard lock(mutex_);
            status_.last_seq = last;
            if (stopping_)
                return;
        }
        if (last <= acked)
        {
            set_state("up_to_date");
            {
                std::lock_guard lock(mutex_);
                status_.last_error.clear();
            }
            if (!wait_for(idle_poll))
                return;
            continue;
        }
        set_state("uploading");
        auto rows = reader.read(acked + 1, settings_.batch_rows);
        json body{{"site", settings_.site}, {"rows", json::array()}};
        for (const auto& row : rows)
            body["rows"].push_back(to_wire(row, settings_.send_personal_data));
        if (send_context)
            body["context"] = context_;
        auto answer = link.request(http::verb::post, "/api/v1/rows", body.dump());
        const auto stored = answer.value("stored_through", std::int64_t{-1});
        if (stored < 0)
            throw LinkError("the central's answer has no stored_through");
        send_context = false;
        std::lock_guard lock(mutex_);
        if (!status_.last_error.empty())
            spdlog::info("Central: upload resumed url={} site={} stored_through={}", settings_.url, settings_.site,
                         stored);
        status_.rows_sent += std::max<std::int64_t>(0, stored - acked);
        status_.acknowledged = acked = stored;
        status_.last_success = wall_now();
        status_.last_error.clear();
    }
}

} // namespace motcua::outbox
