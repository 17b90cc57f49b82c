// A dossier's timeline from the journal: its rows only, oldest first, with the actor.

#include "store/dossier_journal.hpp"
#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace motcua::store::testing
{
namespace
{

WallTime at(std::int64_t ms) { return WallTime{std::chrono::milliseconds(ms)}; }

void add(Database& db, Journal& j, const std::string& kind, std::int64_t ms, const std::string& payload)
{
    auto r = db.transaction([&]() -> Result<void> {
        JournalRow row;
        row.kind = kind;
        row.wall = at(ms);
        row.counter = kind == "dossier.received" ? 1 : 0;
        row.officer = kind == "dossier.received" ? "Lan" : "";
        row.payload = payload;
        return j.append(row);
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST(DossierJournal, TheRowsOfOneDossierOldestFirstWithTheirActor)
{
    TempDir dir;
    auto db = open_ok(dir.file("j.db"));
    Journal j(*db);
    const std::string a = "000.00.00.H99-251201-0001", b = "000.00.00.H99-251201-0002";
    add(*db, j, "dossier.received", 1000, R"({"code":")" + a + R"(","actor":"user:lan"})");
    add(*db, j, "called", 1500, R"({"ticket":1})");
    add(*db, j, "dossier.received", 2000, R"({"code":")" + b + R"(","actor":"user:lan"})");
    add(*db, j, "dossier.form_printed", 3000, R"({"code":")" + a + R"(","form":"receipt","actor":"user:binh"})");
    add(*db, j, "dossier.supplement_requested", 4000, R"({"code":")" + a + R"(","reason":"thiếu"})");

    auto rows = dossier_journal(*db, a, at(0), 100);
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0].kind, "dossier.received");
    EXPECT_EQ((*rows)[0].counter, 1);
    EXPECT_EQ((*rows)[0].officer, "Lan");
    EXPECT_EQ((*rows)[0].actor, "user:lan");
    EXPECT_EQ((*rows)[1].kind, "dossier.form_printed");
    EXPECT_EQ((*rows)[1].actor, "user:binh");
    EXPECT_EQ((*rows)[2].actor, ""); // a row written without one
    EXPECT_LT((*rows)[0].seq, (*rows)[1].seq);

    // The limit, and rows before `since` are not looked at.
    EXPECT_EQ(dossier_journal(*db, a, at(0), 1)->size(), 1u);
    EXPECT_EQ(dossier_journal(*db, a, at(2500), 100)->size(), 2u);
    EXPECT_TRUE(dossier_journal(*db, "000.00.00.H99-251201-0009", at(0), 100)->empty());
}

} // namespace
} // namespace motcua::store::testing
