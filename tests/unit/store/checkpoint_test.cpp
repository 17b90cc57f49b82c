// The journal's checkpoint and the check run at start (store/checkpoint.hpp,
// docs/journal.md "Checked at start"), on a real database edited as an attacker would:
// through a second connection with the append-only triggers dropped.

#include "store/checkpoint.hpp"
#include "store/schema.hpp"
#include "store_fixture.hpp"

#include <gmock/gmock.h>

namespace motcua::store::testing
{
namespace
{

using ::testing::HasSubstr;

class CheckpointTest : public ::testing::Test
{
  protected:
    TempDir dir;
    std::string path = dir.file("j.db");
    std::unique_ptr<Database> db = open_ok(path);
    Journal journal{*db};
    Checkpoints checkpoints{*db};

    void append(int rows, std::string kind = "issued")
    {
        auto r = db->transaction(
            [&]() -> Result<void>
            {
                for (int i = 0; i < rows; ++i)
                {
                    JournalRow row;
                    row.kind = kind;
                    row.wall = WallTime{std::chrono::milliseconds{1751331600000 + i}};
                    row.payload =
                        R"({"business_day":"2025-07-01","number":)" + std::to_string(i + 1) + "}";
                    if (auto a = journal.append(row); !a)
                        return a;
                }
                return {};
            });
        ASSERT_TRUE(r.ok()) << r.error().message;
    }
    JournalCheck check(std::int64_t must_cover_from)
    {
        auto c = checkpoints.check(journal, must_cover_from);
        EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
        return c.ok() ? *c : JournalCheck{};
    }
    // Runs SQL on a second connection after dropping the triggers: the attacker.
    void tamper(const std::string& sql)
    {
        RawConnection raw(path);
        ASSERT_EQ(raw.exec("DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS "
                           "journal_no_delete; " +
                           sql),
                  "");
    }
    std::int64_t no_cover = std::numeric_limits<std::int64_t>::max();
};

TEST_F(CheckpointTest, WithoutACheckpointTheWholeChainIsChecked)
{
    append(50);
    auto c = check(no_cover);
    EXPECT_TRUE(c.intact);
    EXPECT_FALSE(c.checkpoint_used);
    EXPECT_EQ(c.from_seq, 1);
    EXPECT_EQ(c.rows, 50);
    EXPECT_EQ(c.end.seq, 50);
    EXPECT_EQ(c.end.hash, *journal.hash_at(50).value());
}

TEST_F(CheckpointTest, ACheckpointOfAnEmptyJournalHolds)
{
    ASSERT_TRUE(checkpoints.save(check(no_cover).end).ok());
    EXPECT_TRUE(check(no_cover).intact);
    append(3);
    auto c = check(no_cover);
    EXPECT_TRUE(c.intact);
    EXPECT_EQ(c.rows, 3);
}

TEST_F(CheckpointTest, ACheckpointThatHoldsLimitsTheCheckToTheRowsAfterIt)
{
    append(100);
    ASSERT_TRUE(checkpoints.save(check(no_cover).end).ok());
    append(10);
    auto c = check(no_cover);
    EXPECT_TRUE(c.intact);
    EXPECT_TRUE(c.checkpoint_used);
    EXPECT_EQ(c.from_seq, 100);
    EXPECT_EQ(c.rows, 11);
    EXPECT_EQ(c.end.seq, 110);
    // The rows the queue replays are covered even when they lie before the checkpoint.
    auto covered = check(40);
    EXPECT_EQ(covered.from_seq, 40);
    EXPECT_EQ(covered.rows, 71);
}

TEST_F(CheckpointTest, AnEditedRowInTheCoveredRangeIsNamed)
{
    append(100);
    ASSERT_TRUE(checkpoints.save(check(no_cover).end).ok());
    tamper("UPDATE journal SET payload = replace(payload, '\"number\":60', '\"number\":99') WHERE "
           "seq = 60");
    auto c = check(50);
    EXPECT_FALSE(c.intact);
    EXPECT_EQ(c.first_bad_seq, 60);
    EXPECT_THAT(c.reason, HasSubstr("content changed"));
    // Before the checkpoint and outside the replayed rows, only a full verify sees it.
    EXPECT_TRUE(check(no_cover).intact);
    EXPECT_EQ(journal.verify().first_bad_seq, 60);
}

TEST_F(CheckpointTest, RemovedNewestRowsBreakTheChainAtTheFirstMissingRow)
{
    append(100);
    ASSERT_TRUE(checkpoints.save(check(no_cover).end).ok());
    tamper("DELETE FROM journal WHERE seq > 90");
    auto c = check(no_cover);
    EXPECT_FALSE(c.intact);
    EXPECT_FALSE(c.checkpoint_used);
    EXPECT_EQ(c.first_bad_seq, 91);
    EXPECT_THAT(c.reason, HasSubstr("rows removed"));
}

TEST_F(CheckpointTest, ATailRewrittenWithFreshHashesIsCaughtByTheCheckpoint)
{
    append(100);
    ASSERT_TRUE(checkpoints.save(check(no_cover).end).ok());
    // Remove rows 81.. and append new, validly chained rows in their place.
    tamper("DELETE FROM journal WHERE seq > 80");
    Journal fresh(*db); // the cached tail is stale after the attacker's change
    Database& d = *db;
    ASSERT_TRUE(d.transaction(
                     [&]() -> Result<void>
                     {
                         for (int i = 0; i < 30; ++i)
                         {
                             JournalRow row;
                             row.kind = "issued";
                             row.payload = R"({"business_day":"2025-07-01"})";
                             if (auto a = fresh.append(row); !a)
                                 return a;
                         }
                         return {};
                     })
                    .ok());
    EXPECT_TRUE(journal.verify().ok) << "the chain itself links";
    auto c = check(no_cover);
    EXPECT_FALSE(c.intact);
    EXPECT_EQ(c.first_bad_seq, 100);
    EXPECT_THAT(c.reason, HasSubstr("rows rewritten"));
}

TEST_F(CheckpointTest, AnAcknowledgedBreakIsAcceptedAndTheCheckGoesOnAfterIt)
{
    append(20);
    tamper("UPDATE journal SET payload = replace(payload, '\"number\":5', '\"number\":55') WHERE "
           "seq = 5;"
           "UPDATE journal SET payload = replace(payload, '\"number\":15', '\"number\":56') WHERE "
           "seq = 15");
    EXPECT_EQ(check(1).first_bad_seq, 5);
    ASSERT_TRUE(db->transaction(
                      [&]() -> Result<void>
                      {
                          JournalRow ack;
                          ack.kind = std::string(kind_journal_acknowledged);
                          ack.payload = R"({"first_bad_seq":5,"reason":"content changed"})";
                          return journal.append(ack);
                      })
                    .ok());
    auto c = check(1);
    EXPECT_FALSE(c.intact);
    EXPECT_EQ(c.first_bad_seq, 15) << "the next break is still named";
}

TEST_F(CheckpointTest, DroppedTriggersAreRestored)
{
    append(3);
    tamper("");
    auto restored = restore_journal_guards(*db);
    ASSERT_TRUE(restored.ok());
    EXPECT_EQ(restored->size(), 2u);
    RawConnection raw(path);
    EXPECT_THAT(raw.exec("UPDATE journal SET kind = 'x' WHERE seq = 1"), HasSubstr("append-only"));
    EXPECT_THAT(raw.exec("DELETE FROM journal WHERE seq = 1"), HasSubstr("append-only"));
    EXPECT_TRUE(restore_journal_guards(*db)->empty());
}

} // namespace
} // namespace motcua::store::testing
