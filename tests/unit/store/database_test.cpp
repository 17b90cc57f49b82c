#include "store/schema.hpp"
#include "store_fixture.hpp"

#include <gmock/gmock.h>

#include <fstream>

namespace motcua::store::testing
{
namespace
{

using ::testing::HasSubstr;

std::int64_t single_int(Database& db, const std::string& sql)
{
    auto& st = db.prepare(sql);
    auto r = st.step();
    EXPECT_TRUE(r.ok() && *r) << sql;
    auto v = st.column_int64(0);
    st.reset();
    return v;
}

std::string single_text(Database& db, const std::string& sql)
{
    auto& st = db.prepare(sql);
    auto r = st.step();
    EXPECT_TRUE(r.ok() && *r) << sql;
    auto v = st.column_text(0);
    st.reset();
    return v;
}

TEST(Database, FreshFileGetsEveryMigrationAndTheDurablePragmas)
{
    TempDir dir;
    auto db = open_ok(dir.file("motcua.db"));
    const int latest = schema_migrations().back().version;
    EXPECT_EQ(db->schema_version(), latest);
    EXPECT_EQ(single_int(*db, "PRAGMA user_version"), latest);
    EXPECT_EQ(single_text(*db, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(single_int(*db, "PRAGMA synchronous"), 2); // FULL
    EXPECT_EQ(single_int(*db, "PRAGMA foreign_keys"), 1);
    EXPECT_EQ(
        single_int(*db, "SELECT count(*) FROM sqlite_master WHERE name IN ('journal', 'tickets')"),
        2);
    EXPECT_EQ(single_int(*db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 2);

    // WAL is a property of the file: another connection sees it.
    RawConnection raw(dir.file("motcua.db"));
    EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST(Database, MemoryDatabaseWorks)
{
    auto db = open_ok(":memory:");
    EXPECT_EQ(db->schema_version(), schema_migrations().back().version);
    EXPECT_TRUE(
        db->exec(
              "INSERT INTO tickets (id, business_day, service, issued_service, number, issued_at) "
              "VALUES (1, '2025-07-01', 'TP', 'TP', 1001, 0)")
            .ok());
}

TEST(Database, EachRowVisitsEveryRowAndLeavesTheStatementReusable)
{
    auto db = open_ok(":memory:");
    ASSERT_TRUE(db->exec("CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3)").ok());
    auto& st = db->prepare("SELECT v FROM n WHERE v >= ? ORDER BY v");
    std::vector<std::int64_t> seen;
    ASSERT_TRUE(st.bind(1, 2).each_row([&](const Statement& row) { seen.push_back(row.column_int64(0)); }).ok());
    EXPECT_EQ(seen, (std::vector<std::int64_t>{2, 3}));
    seen.clear();
    ASSERT_TRUE(st.bind(1, 1).each_row([&](const Statement& row) { seen.push_back(row.column_int64(0)); }).ok());
    EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
}

const std::vector<Migration> v1{
    {1, "t", {"CREATE TABLE t (a INTEGER)", "INSERT INTO t VALUES (1)"}}};
const std::vector<Migration> v2{
    v1[0], {2, "t.b", {"ALTER TABLE t ADD COLUMN b TEXT", "INSERT INTO t VALUES (2, 'x')"}}};

TEST(Database, ReopeningRunsOnlyTheNewMigrations)
{
    TempDir dir;
    const auto path = dir.file("m.db");
    {
        auto db = Database::open(path, v1);
        ASSERT_TRUE(db.ok()) << db.error().message;
        EXPECT_EQ((*db)->schema_version(), 1);
    }
    for (int round = 0; round < 2; ++round)
    {
        auto db = Database::open(path, v2);
        ASSERT_TRUE(db.ok()) << db.error().message;
        EXPECT_EQ((*db)->schema_version(), 2);
        EXPECT_EQ(single_int(**db, "SELECT count(*) FROM t"), 2)
            << "each migration ran exactly once";
        EXPECT_EQ(single_int(**db, "PRAGMA user_version"), 2);
    }
}

TEST(Database, AFailedMigrationLeavesNothingOfItself)
{
    TempDir dir;
    const auto path = dir.file("m.db");
    const std::vector<Migration> broken{
        v1[0], {2, "broken", {"CREATE TABLE u (a)", "INSERT INTO nowhere VALUES (1)"}}};
    ASSERT_TRUE(Database::open(path, v1).ok());
    auto db = Database::open(path, broken);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, "database");
    EXPECT_THAT(db.error().message, HasSubstr("schema version 2 (broken)"));
    EXPECT_THAT(db.error().message, HasSubstr("no such table: nowhere"));

    auto again = Database::open(path, v1);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ((*again)->schema_version(), 1);
    EXPECT_EQ(single_int(**again, "SELECT count(*) FROM sqlite_master WHERE name = 'u'"), 0);
}

TEST(Database, ANewerDatabaseIsRefusedNamingBothVersions)
{
    TempDir dir;
    const auto path = dir.file("m.db");
    ASSERT_TRUE(Database::open(path, v1).ok());
    {
        RawConnection raw(path);
        ASSERT_EQ(raw.exec("PRAGMA user_version = 7"), "");
    }
    auto db = Database::open(path, v2);
    ASSERT_FALSE(db.ok());
    EXPECT_THAT(db.error().message, HasSubstr("schema version 7"));
    EXPECT_THAT(db.error().message, HasSubstr("program's version 2"));
}

TEST(Database, OpeningAFileInAMissingDirectoryIsAnError)
{
    TempDir dir;
    auto db = Database::open(dir.file("missing/m.db"));
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, "database_disk");
    EXPECT_TRUE(is_database_error(db.error()));
    EXPECT_THAT(db.error().message, HasSubstr("missing/m.db"));
}

TEST(Database, ADamagedFileIsAValueNamingItNotAnException)
{
    TempDir dir;
    const auto path = dir.file("m.db");
    {
        auto db = open_ok(path);
        ASSERT_TRUE(db->exec("CREATE TABLE t (a); INSERT INTO t VALUES (1)").ok());
    }
    {
        // Garbage over the first page's b-tree, where SQLite reads the schema.
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        std::string junk(3000, '\xa5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    Result<std::unique_ptr<Database>> db = make_error("none", "");
    EXPECT_NO_THROW(db = Database::open(path));
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, "database_damaged") << db.error().message;
    EXPECT_THAT(db.error().message, HasSubstr("malformed"));
}

TEST(Database, NotADatabaseIsDamagedToo)
{
    TempDir dir;
    const auto path = dir.file("m.db");
    std::ofstream(path) << std::string(8192, 'x');
    auto db = Database::open(path);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, "database_damaged") << db.error().message;
}

TEST(Database, PreparedStatementsAreCachedAndReset)
{
    auto db = open_ok(":memory:");
    auto& a = db->prepare("SELECT ?1 + 1");
    a.bind(1, 41);
    auto r = a.step();
    ASSERT_TRUE(r.ok() && *r);
    EXPECT_EQ(a.column_int64(0), 42);
    auto& b = db->prepare("SELECT ?1 + 1");
    EXPECT_EQ(&a, &b);
    r = b.step();
    ASSERT_TRUE(r.ok() && *r);
    EXPECT_TRUE(b.is_null(0)) << "bindings are cleared on reuse";
    b.reset();
    auto& c = db->prepare("SELECT ?, ?, ?");
    c.bind(1, 2.5).bind(2, "text").bind(3, nullptr);
    r = c.step();
    ASSERT_TRUE(r.ok() && *r);
    EXPECT_DOUBLE_EQ(c.column_double(0), 2.5);
    EXPECT_EQ(c.column_text(1), "text");
    EXPECT_TRUE(c.is_null(2));
    c.reset();
    EXPECT_THROW(db->prepare("SELEKT nonsense"), std::logic_error);
}

TEST(Database, StepErrorsNameTheStatementAndSqlitesMessage)
{
    auto db = open_ok(":memory:");
    ASSERT_TRUE(db->exec("CREATE TABLE k (a INTEGER PRIMARY KEY)").ok());
    auto& st = db->prepare("INSERT INTO k (a) VALUES (?)");
    ASSERT_TRUE(st.bind(1, 1).run().ok());
    auto r = st.bind(1, 1).run();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "database");
    EXPECT_THAT(r.error().message, HasSubstr("\"INSERT INTO k"));
    EXPECT_THAT(r.error().message, HasSubstr("UNIQUE constraint failed"));
    EXPECT_TRUE(st.bind(1, 2).run().ok()) << "the statement is usable after an error";
}

TEST(Database, TransactionCommitsOrRollsBack)
{
    auto db = open_ok(":memory:");
    ASSERT_TRUE(db->exec("CREATE TABLE k (a INTEGER)").ok());
    auto insert = [&](int v) { return db->prepare("INSERT INTO k VALUES (?)").bind(1, v).run(); };

    ASSERT_TRUE(db->transaction([&] { return insert(1); }).ok());
    EXPECT_FALSE(db->in_transaction());

    auto gen = db->rollback_generation();
    auto failed = db->transaction(
        [&]() -> Result<void>
        {
            if (auto r = insert(2); !r)
                return r;
            return make_error("nothing_waiting", "Nothing is waiting.");
        });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, "nothing_waiting");
    EXPECT_NE(db->rollback_generation(), gen);

    EXPECT_THROW((void)db->transaction(
                     [&]() -> Result<void>
                     {
                         (void)insert(3);
                         throw std::runtime_error("boom");
                     }),
                 std::runtime_error);
    EXPECT_FALSE(db->in_transaction());

    // Nested: the inner failure undoes only the inner part.
    ASSERT_TRUE(db->transaction(
                      [&]() -> Result<void>
                      {
                          if (auto r = insert(4); !r)
                              return r;
                          auto inner = db->transaction(
                              [&]() -> Result<void>
                              {
                                  (void)insert(5);
                                  return make_error("x", "inner fails");
                              });
                          EXPECT_FALSE(inner.ok());
                          return {};
                      })
                    .ok());
    EXPECT_EQ(single_text(*db, "SELECT group_concat(a) FROM (SELECT a FROM k ORDER BY a)"), "1,4");
}

} // namespace
} // namespace motcua::store::testing
