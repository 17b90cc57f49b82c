// The box's rows on the wire and the site's context: what the central receives verifies
// exactly when the box's journal does, and it rebuilds the box's own on-time rules.

#include "calendar/calendar.hpp"
#include "config/load.hpp"
#include "dossier/register_rules.hpp"
#include "outbox/context.hpp"
#include "outbox/wire.hpp"
#include "store/journal_redaction.hpp"
#include "util/sha256.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace motcua::outbox
{
namespace
{

using json = nlohmann::json;

store::JournalRow dossier_row()
{
    store::JournalRow row;
    row.seq = 12;
    row.kind = "dossier.received";
    row.wall = WallTime{std::chrono::milliseconds{1764547200000}};
    row.mono_ns = 99;
    row.counter = 2;
    row.officer = "cb.an";
    row.payload = store::with_personal_salt(
        row.kind, json{{"code", "X-1"},
                       {"applicant", {{"name", "Nguyễn Văn An"}, {"id_number", "001090012345"}}},
                       {"field", "Đất đai"}}
                      .dump());
    row.prev_hash = std::string(64, 'a');
    row.scheme = 2;
    row.hash = sha256_hex(store::Journal::canonical(row));
    return row;
}

TEST(Wire, ARowTravelsWithoutItsPersonalDataAndStillVerifies)
{
    const auto row = dossier_row();
    auto j = to_wire(row, false);
    EXPECT_TRUE(j["redacted"].get<bool>());
    EXPECT_EQ(j["payload"].get<std::string>().find("Nguyễn"), std::string::npos);
    auto back = from_wire(json::parse(j.dump()));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(back->redacted);
    EXPECT_EQ(back->row.seq, 12);
    EXPECT_EQ(back->row.hash, row.hash);
    EXPECT_TRUE(content_verifies(*back));

    // Sent whole (a province whose rules require it): the same hash.
    auto whole = from_wire(to_wire(row, true));
    ASSERT_TRUE(whole);
    EXPECT_FALSE(whole->redacted);
    EXPECT_EQ(whole->row.payload, row.payload);
    EXPECT_TRUE(content_verifies(*whole));
}

TEST(Wire, AChangedFieldDoesNotVerify)
{
    auto j = to_wire(dossier_row(), false);
    j["officer"] = "someone.else";
    auto w = from_wire(j);
    ASSERT_TRUE(w);
    EXPECT_FALSE(content_verifies(*w));

    auto k = to_wire(dossier_row(), false);
    auto payload = json::parse(k["payload"].get<std::string>());
    payload["field"] = "Tư pháp – Hộ tịch";
    k["payload"] = payload.dump();
    EXPECT_FALSE(content_verifies(*from_wire(k)));
}

TEST(Wire, ARedactedRowOfTheOldSchemeCanOnlyBeCheckedByItsLinks)
{
    auto row = dossier_row();
    row.scheme = 1;
    row.hash = sha256_hex(store::Journal::canonical(row));
    auto w = from_wire(to_wire(row, false));
    ASSERT_TRUE(w);
    EXPECT_TRUE(w->redacted);
    EXPECT_TRUE(content_verifies(*w)); // passes: nothing to recompute it from
    auto whole = from_wire(to_wire(row, true));
    EXPECT_TRUE(content_verifies(*whole));
}

TEST(Wire, ABadRowIsNamed)
{
    auto j = to_wire(dossier_row(), false);
    j.erase("hash");
    auto w = from_wire(j);
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, "bad_row");
    EXPECT_NE(w.error().message.find("hash"), std::string::npos) << w.error().message;
    auto k = to_wire(dossier_row(), false);
    k["scheme"] = 3;
    EXPECT_FALSE(from_wire(k));
}

TEST(Context, TheCentralRebuildsTheBoxsOwnRules)
{
    const std::string source = std::getenv("MOTCUA_SOURCE_DIR") ? std::getenv("MOTCUA_SOURCE_DIR") : ".";
    auto loaded = config::load_string(R"([office]
name = "Trung tâm xã An Bình"
unit_code = "000.00.00.H00"
hours = ["07:00-11:00", "13:00-16:30"]

[[service]]
id = "TP"
number = 1
name = "Tư pháp"
field = "Tư pháp – Hộ tịch"
first = 1
last = 99

[[service]]
id = "DD"
number = 2
name = "Đất đai"
first = 100
last = 199

[[counter]]
number = 1
services = ["TP", "DD"]

[register]
early_margin_hours = 4
)",
                                      "office.toml", {"/etc/motcua"});
    ASSERT_TRUE(loaded.config) << loaded.diags.str();
    const auto& cfg = *loaded.config;
    auto years = read_calendar_years(source + "/config/calendar");
    ASSERT_TRUE(years.contains(2026));
    auto context = site_context(cfg, years);
    auto rules = site_rules(json::parse(context.dump()));
    ASSERT_TRUE(rules) << rules.error().message;
    EXPECT_EQ(rules->office, "Trung tâm xã An Bình");
    EXPECT_EQ(rules->field_of_service.at("TP"), "Tư pháp – Hộ tịch");
    EXPECT_EQ(rules->field_of_service.at("DD"), "Đất đai"); // no field: the service's name
    ASSERT_TRUE(rules->timing.early_margin);
    EXPECT_EQ(rules->timing.early_margin->count(), 240);

    // The same working minutes as the box's own rules on its own calendar: across Tết 2026.
    auto calendar = calendar::load_directory(source + "/config/calendar");
    ASSERT_TRUE(calendar);
    auto box = dossier::register_timing_rules(cfg, std::make_shared<const calendar::Calendar>(std::move(*calendar)));
    const LocalDateTime from{Date{std::chrono::year{2026} / 2 / 10}, TimeOfDay{8 * 60}};
    const LocalDateTime to{Date{std::chrono::year{2026} / 2 / 27}, TimeOfDay{15 * 60}};
    ASSERT_TRUE(box.working_minutes && rules->timing.working_minutes);
    EXPECT_EQ(rules->timing.working_minutes(from, to), box.working_minutes(from, to));
    EXPECT_GT(box.working_minutes(from, to), 0);
    EXPECT_EQ(context_hash(context), context_hash(json::parse(context.dump())));
}

TEST(Context, AnIncompleteContextIsRefusedByName)
{
    auto rules = site_rules(json{{"office", "X"}});
    ASSERT_FALSE(rules);
    EXPECT_EQ(rules.error().code, "bad_context");
    EXPECT_NE(rules.error().message.find("utc_offset_minutes"), std::string::npos) << rules.error().message;
}

} // namespace
} // namespace motcua::outbox
