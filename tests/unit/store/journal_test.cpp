#include "store_fixture.hpp"
#include "util/sha256.hpp"

#include <gmock/gmock.h>

namespace motcua::store::testing
{
namespace
{

using ::testing::HasSubstr;
using ::testing::StartsWith;

JournalRow make_row(int i, std::string kind = "issued")
{
    JournalRow r;
    r.kind = std::move(kind);
    r.wall = WallTime{std::chrono::milliseconds{1751331600000 + i * 1000}};
    r.mono_ns = 5'000'000'000LL + i;
    r.counter = i % 3;
    r.officer = i % 2 ? "cb.lan" : "";
    r.ticket = 100 + i;
    r.payload = R"({"business_day":"2025-07-01","n":)" + std::to_string(i) + "}";
    return r;
}

void append_rows(Database& db, Journal& j, int from, int to)
{
    auto r = db.transaction(
        [&]() -> Result<void>
        {
            for (int i = from; i <= to; ++i)
            {
                auto row = make_row(i);
                if (auto a = j.append(row); !a)
                    return a;
            }
            return {};
        });
    ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST(Journal, CanonicalFormIsTheDocumentedOne)
{
    JournalRow r;
    r.seq = 7;
    r.kind = "called";
    r.wall = WallTime{std::chrono::milliseconds{1751331600123}};
    r.mono_ns = 42;
    r.counter = 3;
    r.officer = "a\\b\nc";
    r.ticket = 12;
    r.payload = R"({"business_day":"2025-07-01"})";
    r.prev_hash = Journal::genesis_hash;
    r.scheme = 1;
    EXPECT_EQ(Journal::canonical(r),
              "motcua-journal-1\n7\ncalled\n1751331600123\n42\n3\na\\\\b\\nc\n12\n"
              "{\"business_day\":\"2025-07-01\"}\n" +
                  std::string(64, '0'));
}

TEST(Journal, AppendChainsRowsAndReadsThemBack)
{
    TempDir dir;
    auto db = open_ok(dir.file("j.db"));
    Journal j(*db);
    std::vector<JournalRow> written;
    ASSERT_TRUE(db->transaction(
                      [&]() -> Result<void>
                      {
                          for (int i = 1; i <= 3; ++i)
                          {
                              auto row = make_row(i);
                              if (auto a = j.append(row); !a)
                                  return a;
                              written.push_back(row);
                          }
                          return {};
                      })
                    .ok());
    ASSERT_EQ(written.size(), 3u);
    EXPECT_EQ(written[0].seq, 1);
    EXPECT_EQ(written[0].prev_hash, Journal::genesis_hash);
    for (std::size_t i = 0; i < written.size(); ++i)
    {
        EXPECT_EQ(written[i].seq, static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(written[i].hash, sha256_hex(Journal::canonical(written[i])));
        if (i > 0)
        {
            EXPECT_EQ(written[i].prev_hash, written[i - 1].hash);
        }
    }
    auto back = j.read(1, 10);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, written);
    auto tail = j.read(3, 10);
    ASSERT_TRUE(tail.ok());
    ASSERT_EQ(tail->size(), 1u);
    EXPECT_EQ(tail->front(), written[2]);

    auto report = j.verify();
    EXPECT_TRUE(report.ok) << report.reason;
    EXPECT_EQ(report.rows, 3);
    EXPECT_EQ(report.last_hash, written[2].hash);
}

TEST(Journal, AppendNeedsATransaction)
{
    auto db = open_ok(":memory:");
    Journal j(*db);
    auto row = make_row(1);
    auto r = j.append(row);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("transaction"));
}

TEST(Journal, ARolledBackAppendLeavesTheChainIntact)
{
    TempDir dir;
    auto db = open_ok(dir.file("j.db"));
    Journal j(*db);
    append_rows(*db, j, 1, 2);
    auto failed = db->transaction(
        [&]() -> Result<void>
        {
            auto row = make_row(3);
            if (auto a = j.append(row); !a)
                return a;
            return make_error("printer", "The issue failed after the append.");
        });
    ASSERT_FALSE(failed.ok());
    append_rows(*db, j, 3, 4);
    auto report = j.verify();
    EXPECT_TRUE(report.ok) << report.reason;
    EXPECT_EQ(report.rows, 4);
}

TEST(Journal, TheChainContinuesAcrossReopening)
{
    TempDir dir;
    {
        auto db = open_ok(dir.file("j.db"));
        Journal j(*db);
        append_rows(*db, j, 1, 2);
    }
    auto db = open_ok(dir.file("j.db"));
    Journal j(*db);
    append_rows(*db, j, 3, 3);
    auto rows = j.read(1, 10);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[2].seq, 3);
    EXPECT_EQ((*rows)[2].prev_hash, (*rows)[1].hash);
    EXPECT_TRUE(j.verify().ok);
    auto last = j.last_seq();
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(*last, 3);
}

TEST(Journal, LastSeqOfKind)
{
    auto db = open_ok(":memory:");
    Journal j(*db);
    ASSERT_TRUE(db->transaction(
                      [&]() -> Result<void>
                      {
                          for (auto kind :
                               {"day_opened", "issued", "day_opened", "issued", "dossier.received"})
                          {
                              auto row = make_row(1, kind);
                              if (auto a = j.append(row); !a)
                                  return a;
                          }
                          return {};
                      })
                    .ok());
    auto day = j.last_seq_of_kind("day_opened");
    ASSERT_TRUE(day.ok());
    EXPECT_EQ(day->value_or(0), 3);
    auto none = j.last_seq_of_kind("done");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
}

TEST(Journal, TheSchemaRejectsUpdateAndDelete)
{
    TempDir dir;
    auto db = open_ok(dir.file("j.db"));
    Journal j(*db);
    append_rows(*db, j, 1, 3);
    auto upd = db->exec("UPDATE journal SET officer = 'x' WHERE seq = 2");
    ASSERT_FALSE(upd.ok());
    EXPECT_THAT(upd.error().message, HasSubstr("append-only"));
    auto del = db->exec("DELETE FROM journal WHERE seq = 3");
    ASSERT_FALSE(del.ok());
    EXPECT_THAT(del.error().message, HasSubstr("append-only"));

    RawConnection raw(dir.file("j.db"));
    EXPECT_THAT(raw.exec("UPDATE journal SET payload = '{}'"), HasSubstr("append-only"));
    EXPECT_THAT(raw.exec("DELETE FROM journal"), HasSubstr("append-only"));
    auto report = j.verify();
    EXPECT_TRUE(report.ok) << report.reason;
    EXPECT_EQ(report.rows, 3);
}

class Tampered : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        db = open_ok(dir.file("j.db"));
        journal = std::make_unique<Journal>(*db);
        append_rows(*db, *journal, 1, 6);
        raw = std::make_unique<RawConnection>(dir.file("j.db"));
        // An attacker with write access removes the guards first.
        ASSERT_EQ(raw->exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete"), "");
    }

    TempDir dir;
    std::unique_ptr<Database> db;
    std::unique_ptr<Journal> journal;
    std::unique_ptr<RawConnection> raw;
};

TEST_F(Tampered, AChangedFieldIsNamedAsChangedContent)
{
    ASSERT_EQ(raw->exec("UPDATE journal SET officer = 'someone.else' WHERE seq = 4"), "");
    auto report = journal->verify();
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_seq, 4);
    EXPECT_THAT(report.reason, StartsWith("content changed"));
    EXPECT_EQ(report.rows, 4);
}

TEST_F(Tampered, ARehashedRowBreaksTheNextLink)
{
    auto rows = journal->read(3, 1);
    ASSERT_TRUE(rows.ok());
    auto row = rows->front();
    row.payload = R"({"business_day":"2025-07-01","n":999})";
    row.hash = sha256_hex(Journal::canonical(row));
    ASSERT_EQ(raw->exec("UPDATE journal SET payload = '" + row.payload + "', hash = '" + row.hash +
                        "' WHERE seq = 3"),
              "");
    auto report = journal->verify();
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_seq, 4);
    EXPECT_THAT(report.reason, StartsWith("link broken"));
    EXPECT_THAT(report.reason, HasSubstr("row 3"));
}

TEST_F(Tampered, ADeletedRowIsASeqGap)
{
    ASSERT_EQ(raw->exec("DELETE FROM journal WHERE seq = 2"), "");
    auto report = journal->verify();
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_seq, 3);
    EXPECT_EQ(report.reason, "seq gap: row 2 is missing");
}

TEST_F(Tampered, AReplacedFirstRowIsNamed)
{
    ASSERT_EQ(raw->exec("UPDATE journal SET ticket = 555 WHERE seq = 1"), "");
    auto report = journal->verify();
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_seq, 1);
    EXPECT_THAT(report.reason, StartsWith("content changed"));
}

} // namespace
} // namespace motcua::store::testing
