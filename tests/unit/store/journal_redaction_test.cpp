// Scheme 2 of the journal's hash: a row whose personal data is replaced by commitments
// verifies with the same hash as the full row, and a changed personal value does not.
#include "store/journal_redaction.hpp"
#include "store_fixture.hpp"
#include "util/sha256.hpp"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace motcua::store::testing
{
namespace
{

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string received_payload =
    json{{"code", "000.17.22.H56-261201-0001"},
         {"applicant", {{"name", "Nguyễn Văn An"}, {"phone", "0912345678"}, {"id_number", "001090012345"}}},
         {"notes", "gọi trước khi trả"},
         {"field", "Tư pháp – Hộ tịch"},
         {"channel", 1}}
        .dump();

JournalRow appended(Database& db, Journal& journal, std::string kind, std::string payload)
{
    JournalRow row;
    row.kind = std::move(kind);
    row.wall = WallTime{std::chrono::milliseconds{1764547200000}};
    row.payload = std::move(payload);
    EXPECT_TRUE(db.transaction([&]() -> Result<void> { return journal.append(row); }).ok());
    return row;
}

TEST(JournalRedaction, ARowWithoutPersonalDataIsLeftByteForByte)
{
    const std::string payload = R"({"business_day":"2026-12-01","service":"hotich","number":7})";
    EXPECT_FALSE(has_personal_data("issued", payload));
    EXPECT_EQ(with_personal_salt("issued", payload), payload);
    EXPECT_EQ(redacted_payload("issued", payload), payload);
}

TEST(JournalRedaction, PersonalValuesBecomeSaltedCommitmentsAndTheSaltStaysHome)
{
    auto salted = with_personal_salt("dossier.received", received_payload);
    ASSERT_NE(salted, received_payload);
    auto full = json::parse(salted);
    ASSERT_TRUE(full.contains("personal_salt"));
    EXPECT_EQ(full["personal_salt"].get<std::string>().size(), 32u);
    EXPECT_NE(json::parse(with_personal_salt("dossier.received", received_payload))["personal_salt"],
              full["personal_salt"]); // a fresh salt per row

    auto redacted = redacted_payload("dossier.received", salted);
    EXPECT_THAT(redacted, Not(HasSubstr("Nguyễn")));
    EXPECT_THAT(redacted, Not(HasSubstr("0912345678")));
    EXPECT_THAT(redacted, Not(HasSubstr("001090012345")));
    EXPECT_THAT(redacted, Not(HasSubstr("personal_salt")));
    EXPECT_THAT(redacted, Not(HasSubstr("gọi trước")));
    auto r = json::parse(redacted);
    EXPECT_EQ(r["field"], "Tư pháp – Hộ tịch"); // what the figures need stays
    const auto salt = full["personal_salt"].get<std::string>();
    EXPECT_EQ(r["applicant"]["redacted"], sha256_hex(salt + "\napplicant\n" + full["applicant"].dump()));
    EXPECT_EQ(r["notes"]["redacted"], sha256_hex(salt + "\nnotes\n" + full["notes"].dump()));
    EXPECT_FALSE(has_personal_data("dossier.received", redacted));
    EXPECT_EQ(redacted_payload("dossier.received", redacted), redacted); // idempotent
}

TEST(JournalRedaction, ACorrectionOfAnApplicantFieldHidesBothValues)
{
    const std::string payload =
        json{{"code", "X"}, {"field", "applicant_phone"}, {"old", "0912345678"}, {"new", "0987654321"}}.dump();
    auto redacted = redacted_payload("dossier.corrected", with_personal_salt("dossier.corrected", payload));
    EXPECT_THAT(redacted, Not(HasSubstr("0912345678")));
    EXPECT_THAT(redacted, Not(HasSubstr("0987654321")));
    EXPECT_THAT(redacted, HasSubstr("applicant_phone"));

    const std::string sets = json{{"code", "X"}, {"field", "sets"}, {"old", "1"}, {"new", "2"}}.dump();
    EXPECT_EQ(redacted_payload("dossier.corrected", sets), sets);
}

TEST(JournalRedaction, ARedactedCopyOfAScheme2RowVerifiesWithTheSameHash)
{
    TempDir dir;
    auto db = open_ok(dir.file("j.db"));
    Journal journal(*db);
    auto row = appended(*db, journal, "dossier.received", received_payload);
    EXPECT_EQ(row.scheme, 2);
    EXPECT_TRUE(json::parse(row.payload).contains("personal_salt"));

    auto copy = row;
    copy.payload = redacted_payload(copy.kind, copy.payload);
    EXPECT_EQ(sha256_hex(Journal::canonical(copy)), row.hash);
    EXPECT_TRUE(journal.verify().ok);

    // Another name under the same commitment does not verify.
    auto forged = json::parse(row.payload);
    forged["applicant"]["name"] = "Trần Thị Bình";
    auto changed = row;
    changed.payload = forged.dump();
    EXPECT_NE(sha256_hex(Journal::canonical(changed)), row.hash);
}

TEST(JournalRedaction, RowsOfSchemeOneKeepVerifyingAfterTheUpgrade)
{
    TempDir dir;
    auto db = open_ok(dir.file("j.db"));
    Journal journal(*db);
    appended(*db, journal, "issued", R"({"n":1})");
    RawConnection raw(dir.file("j.db"));
    // A row as a box before the upgrade wrote it: scheme 1, hashed over the full payload.
    JournalRow old;
    old.seq = 2;
    old.kind = "dossier.received";
    old.wall = WallTime{std::chrono::milliseconds{1764547200000}};
    old.payload = received_payload;
    old.prev_hash = *journal.hash_at(1).value();
    old.scheme = 1;
    old.hash = sha256_hex(Journal::canonical(old));
    ASSERT_EQ(raw.exec("INSERT INTO journal (seq, kind, wall_ms, mono_ns, payload, prev_hash, hash, scheme) "
                        "VALUES (2, 'dossier.received', 1764547200000, 0, '" +
                        received_payload + "', '" + old.prev_hash + "', '" + old.hash + "', 1)"),
              "");
    Journal reopened(*db);
    auto next = appended(*db, reopened, "issued", R"({"n":3})");
    EXPECT_EQ(next.prev_hash, old.hash);
    auto report = reopened.verify();
    EXPECT_TRUE(report.ok) << report.reason;
    EXPECT_EQ(report.rows, 3);
}

} // namespace
} // namespace motcua::store::testing
