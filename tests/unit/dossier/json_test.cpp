// The way back from journal payloads (dossier/json.hpp): dossier_from_json and
// change_from_json are the exact inverses of to_json, accept older and redacted payloads,
// and name the key that is wrong.

#include "dossier/json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace motcua::dossier
{
namespace
{

using json = nlohmann::json;
using ::testing::HasSubstr;

LocalDateTime at(const char* text) { return *parse_local_date_time(text); }

const calendar::Calendar& plain_2025()
{
    static const calendar::Calendar cal = [] {
        calendar::YearTable y;
        y.year = 2025;
        return *calendar::Calendar::from_years({y});
    }();
    return cal;
}

DueContext due_context()
{
    DueContext c;
    c.calendar = &plain_2025();
    c.rules.office_hours = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}},
                            {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}};
    return c;
}

config::Register catalogue()
{
    config::Register reg;
    config::Procedure birth;
    birth.code = "2.000001.H38";
    birth.name = "Đăng ký khai sinh";
    birth.field = "Tư pháp – Hộ tịch";
    birth.days = 3;
    birth.deciding_agency = "UBND xã";
    birth.documents = {"Tờ khai", "Giấy chứng sinh"};
    birth.fee = "Miễn lệ phí";
    reg.procedures.push_back(birth);
    return reg;
}

// A postal dossier with every optional part of the record filled.
Dossier received()
{
    ReceiveInput in;
    in.procedure_code = "2.000001.H38";
    in.applicant = {"Trần Thị Bích", "Thôn 3, xã Hòa Phú", "0905123456", "048190000123", "bich@example.vn"};
    in.notes = "Bản sao có chứng thực";
    in.channel = Channel::postal;
    in.delivery = Delivery::post;
    in.waybill = "EB123456789VN";
    in.sets = 2;
    in.online = OnlineSubmission::partial;
    in.online_payment = true;
    in.digitised = true;
    auto d = receive(in, catalogue(), "Trung tâm xã", at("2025-03-10 09:00"), due_context());
    EXPECT_TRUE(d.ok()) << (d ? "" : d.error().message);
    d->code = "000.17.22.H56-250310-0001";
    d->book = 1;
    d->row = 17;
    d->officer = "cb.lan";
    d->counter = 2;
    d->service = "TP";
    d->ticket_id = 42;
    d->submitted_at = at("2025-03-09 20:15");
    return *d;
}

Dossier read_back(const Dossier& d)
{
    auto back = dossier_from_json(to_json(d));
    EXPECT_TRUE(back.ok()) << (back ? "" : back.error().message);
    return back ? *back : Dossier{};
}

json change_fields(const Change& c)
{
    return {{"kind", event_name(c.kind)},
            {"code", c.code},
            {"at", format_local_minute(c.at)},
            {"officer", c.officer},
            {"reason", c.reason},
            {"missing", c.missing},
            {"deadline", c.deadline ? format_local_minute(*c.deadline) : ""},
            {"from", c.from},
            {"to", c.to},
            {"waybill", c.waybill},
            {"punctuality", c.punctuality ? std::string(to_string(*c.punctuality)) : ""},
            {"field", c.field},
            {"old", c.old_value},
            {"new", c.new_value}};
}

// Applies the decided change `c` to `d` as the register does, and checks that the change
// read back from its journal payload (completed from the dossier before it) is the same
// change and leads to the same dossier.
void step(Dossier& d, const Result<Change>& decided, std::string officer = "cb.lan")
{
    ASSERT_TRUE(decided.ok()) << decided.error().message;
    auto c = *decided;
    c.officer = std::move(officer);
    auto before = d;
    apply(d, c);
    auto payload = to_json(c, d);
    payload["actor"] = "user:lan";

    auto back = change_from_json(journal_kind(c.kind), payload);
    ASSERT_TRUE(back.ok()) << back.error().message;
    complete_change(*back, before);
    EXPECT_EQ(change_fields(*back), change_fields(c)) << journal_kind(c.kind);
    apply(before, *back);
    EXPECT_EQ(to_json(before), to_json(d)) << journal_kind(c.kind);
    EXPECT_EQ(to_json(read_back(d)), to_json(d)) << journal_kind(c.kind);
}

TEST(DossierFromJson, AReceivedDossierReadsBackFieldForField)
{
    auto d = received();
    auto back = read_back(d);
    EXPECT_EQ(to_json(back), to_json(d));
    EXPECT_EQ(back.applicant.id_number, "048190000123");
    EXPECT_EQ(back.documents, (std::vector<std::string>{"Tờ khai", "Giấy chứng sinh"}));
    EXPECT_EQ(back.ticket_id, 42);
    EXPECT_EQ(back.channel, Channel::postal);
    EXPECT_EQ(back.online, OnlineSubmission::partial);
    EXPECT_EQ(back.processing_days, 3);
    EXPECT_FALSE(back.processing_hours);
}

TEST(ChangeFromJson, EveryChangeOfALongLifeReadsBackAndAppliesTheSame)
{
    auto d = received();
    step(d, transfer(d, at("2025-03-10 10:00"), "Phòng Tư pháp", at("2025-03-11 17:00")));
    step(d, request_supplement(d, at("2025-03-10 11:00"), {"Giấy chứng sinh bản chính"}, at("2025-03-14 17:00"),
                               "Thiếu bản chính"));
    step(d, complete_supplement(d, at("2025-03-11 08:00")));
    step(d, transfer(d, at("2025-03-11 09:00"), "UBND xã", std::nullopt));
    step(d, start_obligation(d, at("2025-03-11 10:00"), "Lệ phí"));
    step(d, end_obligation(d, at("2025-03-11 10:30")));
    step(d, apologize(d, at("2025-03-11 11:00"), at("2025-03-17 17:00"), "Chờ xác minh"));
    step(d, correct(d, at("2025-03-11 11:10"), "applicant_phone", "0905999888", "Gõ nhầm"));
    step(d, correct(d, at("2025-03-11 11:20"), "online", "full", "Nộp toàn trình"));
    step(d, record_result(d, at("2025-03-12 15:00"), {}));
    step(d, return_result(d, at("2025-03-12 16:00"), "EB987654321VN"));
    EXPECT_EQ(d.status, Status::returned);
    EXPECT_EQ(d.handoffs.size(), 3u);
    EXPECT_EQ(d.handoffs.back().from, "UBND xã");
    EXPECT_EQ(d.handoffs.back().to, desk_name);
}

TEST(ChangeFromJson, TheClosingChangesReadBack)
{
    for (auto status : {Status::refused, Status::withdrawn, Status::stopped})
    {
        auto d = received();
        step(d, close(d, at("2025-03-10 10:00"), status, "Không đủ điều kiện"), "");
        EXPECT_EQ(d.status, status);
        EXPECT_EQ(d.close_reason, "Không đủ điều kiện");
    }
}

TEST(ChangeFromJson, AResultStraightFromReceiptGoesBackFromTheDecidingAgency)
{
    auto d = received();
    step(d, record_result(d, at("2025-03-20 15:00"), {}));
    ASSERT_EQ(d.handoffs.size(), 1u);
    EXPECT_EQ(d.handoffs[0].from, "UBND xã");
    EXPECT_EQ(d.handoffs[0].punctuality, Punctuality::late);
}

TEST(DossierFromJson, OlderRowsWithoutOptionalKeysTakeTheDefaults)
{
    auto j = to_json(received());
    for (auto key : {"documents", "fee", "online", "online_payment", "digitised", "result_electronic", "obligations",
                     "apologies", "supplements", "handoffs", "processing_hours", "submitted_at", "close_reason",
                     "sets", "book", "row", "service", "ticket", "status_name"})
        j.erase(key);
    j["import"] = 7;
    j["actor"] = "socket:uid=0";
    auto d = dossier_from_json(j);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d->code, "000.17.22.H56-250310-0001");
    EXPECT_TRUE(d->documents.empty());
    EXPECT_EQ(d->online, OnlineSubmission::none);
    EXPECT_EQ(d->sets, 1);
    EXPECT_FALSE(d->ticket_id);
    EXPECT_FALSE(d->submitted_at);
    EXPECT_EQ(d->processing_days, 3);
}

TEST(DossierFromJson, ARedactedApplicantAndNotesReadEmpty)
{
    auto d = received();
    auto j = to_json(d);
    j["applicant"] = {{"redacted", std::string(64, 'a')}};
    j["notes"] = {{"redacted", std::string(64, 'b')}};
    auto back = dossier_from_json(j);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->applicant.name, "");
    EXPECT_EQ(back->applicant.phone, "");
    EXPECT_EQ(back->notes, "");
    d.applicant = {};
    d.notes.clear();
    EXPECT_EQ(to_json(*back), to_json(d)) << "everything else is kept";
}

TEST(DossierFromJson, ErrorsNameTheKey)
{
    auto bad = [](auto&& edit) {
        auto j = to_json(received());
        edit(j);
        auto d = dossier_from_json(j);
        EXPECT_FALSE(d.ok());
        return d ? std::string() : d.error().code + ": " + d.error().message;
    };
    EXPECT_THAT(bad([](json& j) { j.erase("code"); }), HasSubstr("code: is missing"));
    EXPECT_THAT(bad([](json& j) { j["received_at"] = "10/03/2025"; }), HasSubstr("received_at: must be a local time"));
    EXPECT_THAT(bad([](json& j) { j["channel"] = 7; }), HasSubstr("channel: must be 1, 2 or 3"));
    EXPECT_THAT(bad([](json& j) { j["status"] = "received"; }), HasSubstr("status: must be an integer"));
    EXPECT_THAT(bad([](json& j) { j["sets"] = 2.5; }), HasSubstr("sets: must be an integer"));
    EXPECT_THAT(bad([](json& j) { j["applicant"]["phone"] = 905123456; }), HasSubstr("applicant.phone: must be a string"));
    EXPECT_THAT(bad([](json& j) { j["documents"] = {"a", 1}; }), HasSubstr("documents: must be a list of strings"));
    EXPECT_THAT(bad([](json& j) {
                    j["handoffs"] = json::array({{{"from", "a"}, {"to", "b"}, {"at", "2025-03-10 10:00"}},
                                                 {{"from", "b"}, {"to", "c"}, {"at", "later"}}});
                }),
                HasSubstr("handoffs[1].at: must be a local time"));
    EXPECT_THAT(bad([](json& j) { j["supplements"] = json::array({{{"reason", "x"}}}); }),
                HasSubstr("supplements[0].requested_at: is missing"));
    EXPECT_THAT(bad([](json& j) { j = json::array(); }), HasSubstr("bad_payload: A dossier payload is not valid: the payload: must be an object"));
}

TEST(ChangeFromJson, ErrorsNameTheKindAndTheKey)
{
    auto d = received();
    auto c = apologize(d, at("2025-03-11 11:00"), at("2025-03-17 17:00"), "x");
    ASSERT_TRUE(c.ok());
    auto j = to_json(*c, d);
    j.erase("new_due");
    auto r = change_from_json("dossier.apologized", j);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "bad_payload");
    EXPECT_THAT(r.error().message, HasSubstr("\"dossier.apologized\" payload is not valid: new_due: is missing"));

    j["new_due"] = "2025-03-17 17:00";
    j["at"] = 5;
    r = change_from_json("dossier.apologized", j);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("at: must be a string"));

    r = change_from_json("dossier.received", j);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "unknown_change");
    r = change_from_json("dossier.result_received", json{{"code", "x"}, {"at", "2025-03-12 15:00"}, {"punctuality", "soon"}});
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.error().message, HasSubstr("punctuality: must be early, on_time or late"));
}

} // namespace
} // namespace motcua::dossier
