// The dossier's life as pure decisions (dossier/lifecycle.hpp): every transition and every
// refusal code, in the order of the lifecycle in docs/register.md.

#include "dossier/lifecycle.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier
{
namespace
{

LocalDateTime at(const char* text) { return *parse_local_date_time(text); }

// 2025 as a plain Monday-Friday year is enough for the due times here.
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
    reg.procedures.push_back(birth);
    return reg;
}

ReceiveInput input()
{
    ReceiveInput in;
    in.procedure_code = "2.000001.H38";
    in.applicant.name = "Trần Thị Bích";
    return in;
}

// A dossier received Mon 10/03/2025 09:00, due Thu 13/03 (3 working days).
Dossier fresh()
{
    auto d = receive(input(), catalogue(), "Trung tâm xã", at("2025-03-10 09:00"), due_context());
    EXPECT_TRUE(d.ok()) << (d ? "" : d.error().message);
    d->code = "000.17.22.H56-250310-0001";
    return *d;
}

template <class T>
std::string code_of(const Result<T>& r)
{
    return r ? std::string("ok") : r.error().code;
}

Dossier after(Dossier d, const Result<Change>& c)
{
    EXPECT_TRUE(c.ok()) << (c ? "" : c.error().message);
    if (c)
        apply(d, *c);
    return d;
}

const LocalDateTime now = at("2025-03-11 10:00");

TEST(Receive, BuildsTheRowFromTheCatalogueAndTheCalendar)
{
    auto d = fresh();
    EXPECT_EQ(d.status, Status::received);
    EXPECT_EQ(d.procedure_name, "Đăng ký khai sinh");
    EXPECT_EQ(d.deciding_agency, "UBND xã");
    EXPECT_EQ(d.receiving_unit, "Trung tâm xã");
    EXPECT_EQ(d.processing_days, 3);
    ASSERT_TRUE(d.due_at);
    EXPECT_EQ(format_local_minute(*d.due_at), "2025-03-13 17:00"); // Tue, Wed, Thu
    EXPECT_FALSE(d.submitted_at); // direct: no separate submission time
}

TEST(Receive, NormalisesTheNameToNfc)
{
    auto in = input();
    in.applicant.name = "Nguye\xCC\x82\xCC\x83n"; // "Nguyễn" in NFD: e + circumflex + tilde
    auto d = receive(in, catalogue(), "", at("2025-03-10 09:00"), due_context());
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->applicant.name, "Nguy\xE1\xBB\x85n"); // precomposed ễ
}

TEST(Receive, DocumentsAndFeeFromTheCatalogueUnlessTheDeskSaysOtherwise)
{
    // The receipt (Mẫu 01) lists the documents received and the fees: by default what the
    // catalogue lists for the procedure, else exactly what the desk recorded.
    auto cat = catalogue();
    cat.procedures[0].documents = {"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"};
    cat.procedures[0].fee = "Miễn lệ phí";
    auto d = receive(input(), cat, "", at("2025-03-10 09:00"), due_context());
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->documents, cat.procedures[0].documents);
    EXPECT_EQ(d->fee, "Miễn lệ phí");
    auto in = input();
    in.documents = {"Tờ khai đăng ký khai sinh", "", "Văn bản xác nhận của người làm chứng"};
    in.fee = "8.000 đồng";
    d = receive(in, cat, "", at("2025-03-10 09:00"), due_context());
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->documents,
              (std::vector<std::string>{"Tờ khai đăng ký khai sinh", "Văn bản xác nhận của người làm chứng"}));
    EXPECT_EQ(d->fee, "8.000 đồng");
    in.documents = {"A" "B"}; // an ESC must never reach the printer
    EXPECT_EQ(code_of(receive(in, cat, "", at("2025-03-10 09:00"), due_context())), "bad_text");
}

TEST(Receive, RefusalCodes)
{
    auto refuse = [](auto change, const DueContext& due = due_context()) {
        auto in = input();
        change(in);
        return code_of(receive(in, catalogue(), "", at("2025-03-10 09:00"), due));
    };
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.applicant.name = ""; }), "bad_text");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.applicant.name = "A\x01" "B"; }), "bad_text");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.applicant.name = std::string(201, 'a'); }), "bad_text");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.applicant.name = "\xC3\x28"; }), "bad_text");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.applicant.phone = "12 34"; }), "bad_phone");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.applicant.id_number = "12345"; }), "bad_id_number");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.sets = 0; }), "bad_sets");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.waybill = "EB1VN"; }), "waybill_not_postal");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.procedure_code = "9.999999"; }), "unknown_procedure");
    EXPECT_EQ(refuse([](ReceiveInput&) {}, DueContext{}), "calendar_missing");
    EXPECT_EQ(refuse([](ReceiveInput& in) { in.applicant.name = std::string(200, 'a'); }), "ok");
}

TEST(Supplement, RequestPausesAndCompletionResumes)
{
    auto c = request_supplement(fresh(), now, {"Tờ khai", ""}, at("2025-03-20 17:00"), "");
    auto d = after(fresh(), c);
    EXPECT_EQ(d.status, Status::supplement_requested);
    ASSERT_EQ(d.supplements.size(), 1u);
    EXPECT_EQ(d.supplements[0].missing, std::vector<std::string>{"Tờ khai"}); // empty names dropped
    EXPECT_EQ(format_local_minute(*d.supplements[0].deadline), "2025-03-20 17:00");
    EXPECT_EQ(code_of(request_supplement(d, now, {"x"}, std::nullopt, "")), "supplement_open");

    d = after(d, complete_supplement(d, at("2025-03-12 08:00")));
    EXPECT_EQ(d.status, Status::processing);
    EXPECT_EQ(format_local_minute(*d.supplements[0].completed_at), "2025-03-12 08:00");
    EXPECT_EQ(code_of(complete_supplement(d, now)), "no_supplement_open");
}

TEST(Supplement, RefusalCodes)
{
    auto d = fresh();
    EXPECT_EQ(code_of(request_supplement(d, now, {}, std::nullopt, "")), "nothing_missing");
    EXPECT_EQ(code_of(request_supplement(d, now, {}, std::nullopt, "thiếu bản chính")), "ok");
    EXPECT_EQ(code_of(request_supplement(d, now, {"x"}, at("2025-03-11 10:00"), "")), "deadline_past");
    auto paying = after(d, start_obligation(d, now, "lệ phí"));
    EXPECT_EQ(code_of(request_supplement(paying, now, {"x"}, std::nullopt, "")), "obligation_open");
    auto decided = after(d, record_result(d, now, {}));
    EXPECT_EQ(code_of(request_supplement(decided, now, {"x"}, std::nullopt, "")), "dossier_finished");
    auto refused = after(d, close(d, now, Status::refused, "không thuộc thẩm quyền"));
    EXPECT_EQ(code_of(request_supplement(refused, now, {"x"}, std::nullopt, "")), "dossier_closed");
    EXPECT_EQ(code_of(complete_supplement(refused, now)), "dossier_closed");
}

TEST(Transfer, EachHandOffWithItsOwnDeadline)
{
    auto d = after(fresh(), transfer(fresh(), now, "Phòng Tư pháp", at("2025-03-12 17:00")));
    EXPECT_EQ(d.status, Status::processing);
    EXPECT_EQ(format_local_minute(*d.transferred_at), "2025-03-11 10:00");
    ASSERT_EQ(d.handoffs.size(), 1u);
    EXPECT_EQ(d.handoffs[0].from, desk_name);
    EXPECT_EQ(d.handoffs[0].to, "Phòng Tư pháp");
    EXPECT_EQ(format_local_minute(*d.handoffs[0].due), "2025-03-12 17:00");
    d = after(d, transfer(d, at("2025-03-12 09:00"), "Chủ tịch UBND", at("2025-03-13 11:00")));
    ASSERT_EQ(d.handoffs.size(), 2u);
    EXPECT_EQ(d.handoffs[1].from, "Phòng Tư pháp"); // from where the last step went
    EXPECT_EQ(format_local_minute(*d.transferred_at), "2025-03-11 10:00"); // the first transfer stays

    EXPECT_EQ(code_of(transfer(fresh(), now, "", std::nullopt)), "empty_target");
    EXPECT_EQ(code_of(transfer(fresh(), now, "X", at("2025-03-10 09:00"))), "deadline_past");
    auto returned = after(fresh(), return_result(fresh(), now, ""));
    EXPECT_EQ(code_of(transfer(returned, now, "X", std::nullopt)), "dossier_finished");
}

TEST(Result, DecidedWithItsPunctuality)
{
    auto d = after(fresh(), record_result(fresh(), at("2025-03-12 15:00"), {}));
    EXPECT_EQ(d.status, Status::decided);
    EXPECT_EQ(format_local_minute(*d.result_at), "2025-03-12 15:00");
    ASSERT_EQ(d.handoffs.size(), 1u);
    EXPECT_EQ(d.handoffs[0].to, desk_name);
    EXPECT_EQ(d.handoffs[0].punctuality, Punctuality::early); // the day before the due day
    auto late = after(fresh(), record_result(fresh(), at("2025-03-14 08:00"), {}));
    EXPECT_EQ(late.handoffs[0].punctuality, Punctuality::late);

    EXPECT_EQ(code_of(record_result(d, now, {})), "already_decided");
    auto waiting = after(fresh(), request_supplement(fresh(), now, {"x"}, std::nullopt, ""));
    EXPECT_EQ(code_of(record_result(waiting, now, {})), "supplement_open");
    auto stopped = after(fresh(), close(fresh(), now, Status::stopped, "quá hạn bổ sung"));
    EXPECT_EQ(code_of(record_result(stopped, now, {})), "dossier_closed");
}

TEST(Return, ReturnedOnceAndByPostWithAWaybill)
{
    auto d = after(fresh(), return_result(fresh(), now, ""));
    EXPECT_EQ(d.status, Status::returned);
    EXPECT_EQ(code_of(return_result(d, now, "")), "already_returned");
    EXPECT_EQ(code_of(return_result(fresh(), now, "EB123456789VN")), "not_postal");
    auto postal = fresh();
    postal.delivery = Delivery::post;
    auto sent = after(postal, return_result(postal, now, "EB123456789VN"));
    EXPECT_EQ(sent.waybill, "EB123456789VN");
    auto paying = after(fresh(), start_obligation(fresh(), now, "thuế"));
    EXPECT_EQ(code_of(return_result(paying, now, "")), "obligation_open");
    auto withdrawn = after(fresh(), close(fresh(), now, Status::withdrawn, "công dân rút"));
    EXPECT_EQ(code_of(return_result(withdrawn, now, "")), "dossier_closed");
}

TEST(Apology, NewAppointmentLeavesTheDueTime)
{
    auto d = after(fresh(), apologize(fresh(), now, at("2025-03-20 17:00"), "chờ xác minh"));
    ASSERT_EQ(d.apologies.size(), 1u);
    EXPECT_EQ(format_local_minute(d.apologies[0].new_due), "2025-03-20 17:00");
    EXPECT_EQ(format_local_minute(*d.due_at), "2025-03-13 17:00");
    EXPECT_EQ(code_of(apologize(fresh(), now, now, "")), "new_due_past");
    auto decided = after(fresh(), record_result(fresh(), now, {}));
    EXPECT_EQ(code_of(apologize(decided, now, at("2025-03-20 17:00"), "")), "dossier_finished");
}

TEST(Close, RefusedWithdrawnStoppedWithReasonAndTime)
{
    const std::pair<Status, ChangeKind> cases[] = {{Status::refused, ChangeKind::refused},
                                                   {Status::withdrawn, ChangeKind::withdrawn},
                                                   {Status::stopped, ChangeKind::stopped}};
    for (auto [status, kind] : cases)
    {
        auto c = close(fresh(), now, status, "lý do");
        ASSERT_TRUE(c.ok());
        EXPECT_EQ(c->kind, kind);
        auto d = after(fresh(), c);
        EXPECT_EQ(d.status, status);
        EXPECT_EQ(format_local_minute(*d.closed_at), "2025-03-11 10:00");
        EXPECT_EQ(d.close_reason, "lý do");
        EXPECT_EQ(code_of(close(d, now, Status::refused, "again")), "dossier_closed");
    }
    EXPECT_EQ(code_of(close(fresh(), now, Status::decided, "x")), "not_a_closing_status");
    EXPECT_EQ(code_of(close(fresh(), now, Status::refused, "")), "reason_required");
    auto decided = after(fresh(), record_result(fresh(), now, {}));
    EXPECT_EQ(code_of(close(decided, now, Status::stopped, "x")), "dossier_finished");
    // A withdrawal while waiting for a supplement is allowed.
    auto waiting = after(fresh(), request_supplement(fresh(), now, {"x"}, std::nullopt, ""));
    EXPECT_EQ(code_of(close(waiting, now, Status::withdrawn, "không bổ sung")), "ok");
}

TEST(Obligation, PausesFromStartToEnd)
{
    auto d = after(fresh(), start_obligation(fresh(), now, "lệ phí trước bạ"));
    EXPECT_EQ(d.status, Status::financial_obligation);
    EXPECT_EQ(code_of(start_obligation(d, now, "")), "obligation_open");
    d = after(d, end_obligation(d, at("2025-03-12 09:00")));
    EXPECT_EQ(d.status, Status::processing);
    ASSERT_EQ(d.obligations.size(), 1u);
    EXPECT_EQ(format_local_minute(*d.obligations[0].to), "2025-03-12 09:00");
    EXPECT_EQ(code_of(end_obligation(d, now)), "no_obligation_open");
    // After the decision a fee may still be due before the return; the status goes back to 9.
    auto decided = after(fresh(), record_result(fresh(), now, {}));
    auto paying = after(decided, start_obligation(decided, now, "phí"));
    EXPECT_EQ(after(paying, end_obligation(paying, now)).status, Status::decided);

    auto waiting = after(fresh(), request_supplement(fresh(), now, {"x"}, std::nullopt, ""));
    EXPECT_EQ(code_of(start_obligation(waiting, now, "")), "supplement_open");
    auto returned = after(fresh(), return_result(fresh(), now, ""));
    EXPECT_EQ(code_of(start_obligation(returned, now, "")), "dossier_finished");
    auto refused = after(fresh(), close(fresh(), now, Status::refused, "x"));
    EXPECT_EQ(code_of(end_obligation(refused, now)), "dossier_closed");
}

TEST(Correction, RecordsOldAndNewValue)
{
    auto c = correct(fresh(), now, "applicant_name", "Trần Thị Bích Ngọc", "viết thiếu tên");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->old_value, "Trần Thị Bích");
    EXPECT_EQ(c->new_value, "Trần Thị Bích Ngọc");
    EXPECT_EQ(after(fresh(), c).applicant.name, "Trần Thị Bích Ngọc");
    auto digitised = after(fresh(), correct(fresh(), now, "digitised", "1", "đã số hóa"));
    EXPECT_TRUE(digitised.digitised);

    EXPECT_EQ(code_of(correct(fresh(), now, "received_at", "x", "r")), "unknown_field");
    EXPECT_EQ(code_of(correct(fresh(), now, "notes", "x", "")), "reason_required");
    EXPECT_EQ(code_of(correct(fresh(), now, "applicant_phone", "12", "r")), "bad_value");
    EXPECT_EQ(code_of(correct(fresh(), now, "sets", "0", "r")), "bad_value");
    EXPECT_EQ(code_of(correct(fresh(), now, "applicant_name", "Trần Thị Bích", "r")), "no_change");
    EXPECT_EQ(code_of(correct(fresh(), now, "waybill", "EB1VN", "r")), "bad_value"); // not by post
}

TEST(Journal, KindsNameTheChange)
{
    EXPECT_EQ(journal_kind(ChangeKind::supplement_requested), "dossier.supplement_requested");
    EXPECT_EQ(journal_kind(ChangeKind::supplement_completed), "dossier.supplement_completed");
    EXPECT_EQ(journal_kind(ChangeKind::refused), "dossier.refused");
    EXPECT_EQ(journal_kind(ChangeKind::corrected), "dossier.corrected");
}

} // namespace
} // namespace motcua::dossier
