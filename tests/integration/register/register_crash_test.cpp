// kill -9 during a storm of receipts: after a restart every acknowledged dossier code is in
// the register, no code is handed out twice, and the journal's chain is intact.

#include "register_fixture.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace motcua::testing;
using json = nlohmann::json;

namespace
{

// A minimal JSON-lines client: one request, one answer, bounded waits; empty on failure.
class LineClient
{
  public:
    explicit LineClient(const std::string& path)
    {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        path.copy(addr.sun_path, sizeof addr.sun_path - 1);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        {
            ::close(fd_);
            fd_ = -1;
        }
    }
    ~LineClient()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    LineClient(const LineClient&) = delete;
    LineClient& operator=(const LineClient&) = delete;

    std::optional<json> request(const json& req)
    {
        if (fd_ < 0)
            return std::nullopt;
        auto line = req.dump() + "\n";
        for (std::size_t sent = 0; sent < line.size();)
        {
            auto n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return std::nullopt;
            sent += static_cast<std::size_t>(n);
        }
        while (true)
        {
            if (auto nl = buffer_.find('\n'); nl != std::string::npos)
            {
                auto text = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return json::parse(text, nullptr, false);
            }
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 10000) <= 0)
                return std::nullopt;
            char chunk[4096];
            auto n = ::read(fd_, chunk, sizeof chunk);
            if (n <= 0)
                return std::nullopt;
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }

  private:
    int fd_ = -1;
    std::string buffer_;
};

TEST_F(RegisterProcess, KillDuringReceiptsNeverReusesACode)
{
    start();
    std::mutex mutex;
    std::vector<std::string> acknowledged;
    std::atomic<int> acks{0};
    auto storm = [&](int worker) {
        LineClient client(socket());
        for (int i = 0; i < 100000; ++i)
        {
            json req{{"id", i},
                     {"cmd", "dossier.receive"},
                     {"args", {{"procedure", "2.000001.H38"}, {"name", "Người nộp " + std::to_string(worker) + "-" + std::to_string(i)}}}};
            auto answer = client.request(req);
            if (!answer || !answer->value("ok", false))
                return; // the daemon is gone
            std::lock_guard lock(mutex);
            acknowledged.push_back((*answer)["result"]["code"]);
            ++acks;
        }
    };
    std::thread a(storm, 1), b(storm, 2);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (acks < 40 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
    daemon->signal(SIGKILL);
    EXPECT_EQ(daemon->wait(std::chrono::seconds(10)), 128 + SIGKILL);
    a.join();
    b.join();
    ASSERT_GE(acknowledged.size(), 40u);
    std::set<std::string> unique(acknowledged.begin(), acknowledged.end());
    EXPECT_EQ(unique.size(), acknowledged.size()) << "a code was acknowledged twice";

    start();
    const std::string today = ctl_json({"dossier", "show", acknowledged.front()})["received_at"].get<std::string>().substr(0, 10);
    // Every acknowledged code survived.
    auto list = ctl_json({"dossier", "list", "--from", today, "--to", today});
    std::set<std::string> stored;
    std::set<int> rows;
    for (const auto& d : list["dossiers"])
    {
        stored.insert(d["code"].get<std::string>());
        rows.insert(d["row"].get<int>());
    }
    for (const auto& code : acknowledged)
        EXPECT_TRUE(stored.contains(code)) << code << " was acknowledged but is gone";
    EXPECT_EQ(stored.size(), list["dossiers"].size());
    EXPECT_EQ(rows.size(), list["dossiers"].size());
    // New receipts continue after everything stored: no code and no row is reused.
    for (int i = 0; i < 3; ++i)
    {
        auto d = ctl_json({"dossier", "receive", "--procedure", "2.000001.H38", "--name", "Sau khi khởi động lại"});
        EXPECT_FALSE(stored.contains(d["code"].get<std::string>())) << d["code"];
        EXPECT_GT(d["code"].get<std::string>(), *stored.rbegin());
        EXPECT_FALSE(rows.contains(d["row"].get<int>()));
    }
    auto verify = ctl_json({"verify"});
    EXPECT_EQ(verify["ok"], true) << verify.dump();
}

} // namespace
