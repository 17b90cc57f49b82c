// A process killed with SIGKILL in the middle of its transactions leaves every committed
// transaction whole and nothing of the one in flight.

#include "store_fixture.hpp"

#include <chrono>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace motcua::store::testing
{
namespace
{

constexpr int rows_per_transaction = 5;

queue::Event event(queue::EventKind kind, std::int64_t id)
{
    queue::Event e;
    e.kind = kind;
    e.at = at(static_cast<int>(id));
    e.business_day = Date{std::chrono::year{2025}, std::chrono::July, std::chrono::day{1}};
    e.ticket = kind == queue::EventKind::paused ? 0 : id;
    e.counter = kind == queue::EventKind::issued ? 0 : 1;
    e.officer = kind == queue::EventKind::issued ? "" : "cb.lan";
    if (kind == queue::EventKind::issued)
    {
        e.service = "TP";
        e.number = static_cast<int>(id);
    }
    if (kind == queue::EventKind::paused)
        e.reason = 1;
    return e;
}

// The child: appends one ticket's whole life per transaction, forever, and writes the
// ticket id to `ack` after each commit. It never returns.
[[noreturn]] void append_forever(const std::string& path, int ack)
{
    auto opened = Database::open(path);
    if (!opened)
        _exit(2);
    auto& db = **opened;
    Journal journal(db);
    Tickets tickets(db);
    auto max = tickets.max_ticket_id();
    if (!max)
        _exit(3);
    using K = queue::EventKind;
    for (std::int64_t id = *max + 1;; ++id)
    {
        auto r = db.transaction(
            [&]() -> Result<void>
            {
                for (auto kind : {K::issued, K::called, K::recalled, K::done, K::paused})
                {
                    auto e = event(kind, id);
                    auto row = to_row(e);
                    if (auto a = journal.append(row); !a)
                        return a;
                    if (auto t = tickets.apply(e); !t)
                        return t;
                }
                return {};
            });
        if (!r)
            _exit(4);
        if (write(ack, &id, sizeof id) != sizeof id)
            _exit(5);
    }
}

// Starts the child, waits for `acks` acknowledged transactions, kills it with SIGKILL.
// Returns the last acknowledged ticket id.
std::int64_t run_and_kill(const std::string& path, int acks)
{
    int fds[2];
    if (pipe(fds) != 0)
        throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0)
    {
        close(fds[0]);
        append_forever(path, fds[1]);
    }
    close(fds[1]);
    std::int64_t last = 0;
    int seen = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
    while (seen < acks && std::chrono::steady_clock::now() < deadline)
    {
        pollfd p{fds[0], POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        std::int64_t id = 0;
        if (read(fds[0], &id, sizeof id) != sizeof id)
            break; // the child died
        last = id;
        ++seen;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    EXPECT_EQ(seen, acks) << "the child stopped early";
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
    return last;
}

TEST(Crash, KilledMidTransactionLeavesWholeTransactionsOnly)
{
    TempDir dir;
    const auto path = dir.file("motcua.db");
    std::int64_t acknowledged = 0;
    for (int round = 0; round < 3; ++round)
    {
        acknowledged = run_and_kill(path, 40);
        ASSERT_GT(acknowledged, 0);

        auto db = open_ok(path);
        Journal journal(*db);
        auto report = journal.verify();
        EXPECT_TRUE(report.ok) << "seq " << report.first_bad_seq << ": " << report.reason;
        EXPECT_EQ(report.rows % rows_per_transaction, 0) << "a transaction was half-written";
        Tickets tickets(*db);
        auto max = tickets.max_ticket_id();
        ASSERT_TRUE(max.ok());
        EXPECT_GE(*max, acknowledged) << "an acknowledged ticket is missing";
        EXPECT_EQ(report.rows, *max * rows_per_transaction);
        auto t = tickets.find(acknowledged);
        ASSERT_TRUE(t.ok() && t->has_value());
        EXPECT_EQ((*t)->status, "done");
        auto rows = journal.read(report.rows - rows_per_transaction + 1, rows_per_transaction);
        ASSERT_TRUE(rows.ok());
        ASSERT_EQ(rows->size(), static_cast<std::size_t>(rows_per_transaction));
        EXPECT_EQ(rows->front().kind, "issued");
        EXPECT_EQ(rows->back().kind, "paused");
    }
}

} // namespace
} // namespace motcua::store::testing
