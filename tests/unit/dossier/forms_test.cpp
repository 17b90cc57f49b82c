// The one-stop forms of TT 03/2025/TT-VPCP (docs/register.md "Forms"): what each form says
// for a dossier, when it applies, and that both renderers carry it — the printable page
// (escaped, self-contained, two copies) and the thermal slip, decoded back by the
// simulator's independent ESC/POS decoder.

#include "dossier/form_qr.hpp"
#include "dossier/forms.hpp"
#include "dossier/forms_escpos.hpp"
#include "dossier/forms_html.hpp"
#include "sim/escpos_decoder.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace motcua::dossier
{
namespace
{

LocalDateTime at(const char* text) { return *parse_local_date_time(text); }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Received at the desk on Monday 03/02/2025 08:15, three working days: due Thursday 06/02
// at the close of office hours.
Dossier birth_registration()
{
    Dossier d;
    d.code = "000.17.22.H56-250203-0007";
    d.book = 1;
    d.row = 42;
    d.procedure_code = "2.000001.H38";
    d.procedure_name = "Đăng ký khai sinh";
    d.field = "Tư pháp – Hộ tịch";
    d.applicant = {"Trần Thị Bích", "Thôn 3, xã Thử Nghiệm", "0912 345 678", "001190012345", ""};
    d.receiving_unit = "Trung tâm Phục vụ hành chính công xã Thử Nghiệm";
    d.deciding_agency = "UBND xã Thử Nghiệm";
    d.officer = "Nguyễn Văn Hòa";
    d.received_at = at("2025-02-03 08:15");
    d.due_at = at("2025-02-06 17:00");
    d.processing_days = 3;
    d.documents = {"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"};
    d.fee = "Miễn lệ phí";
    d.delivery = Delivery::post;
    d.waybill = "EB123456789VN";
    return d;
}

FormInput input()
{
    FormInput in;
    in.office = {"UBND xã Thử Nghiệm", "Trung tâm Phục vụ hành chính công xã Thử Nghiệm", "Thử Nghiệm"};
    in.now = at("2025-02-10 09:00");
    return in;
}

std::string value(const Form& f, const char* key)
{
    const auto* x = f.field(key);
    return x ? x->value : "(missing " + std::string(key) + ")";
}

TEST(Forms, ReceiptSaysWhatTheApplicantTakesHome)
{
    auto f = make_form(FormKind::receipt, birth_registration(), input());
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->number, "Mẫu số 01");
    EXPECT_EQ(f->source, "Phụ lục I, Thông tư 03/2025/TT-VPCP");
    EXPECT_EQ(f->title, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
    EXPECT_EQ(f->code, "000.17.22.H56-250203-0007");
    // Dated by the receipt, at the office's place.
    EXPECT_EQ(f->date_line, "Thử Nghiệm, ngày 03 tháng 02 năm 2025");
    EXPECT_EQ(value(*f, "applicant"), "Trần Thị Bích");
    EXPECT_EQ(value(*f, "procedure"), "Đăng ký khai sinh");
    EXPECT_EQ(value(*f, "received"), "08 giờ 15 phút, ngày 03/02/2025");
    EXPECT_EQ(value(*f, "due"), "17 giờ 00 phút, ngày 06/02/2025");
    EXPECT_EQ(value(*f, "period"), "3 ngày làm việc");
    EXPECT_EQ(value(*f, "sets"), "1 bộ");
    EXPECT_EQ(value(*f, "delivery"), "Qua dịch vụ bưu chính công ích (vận đơn EB123456789VN)");
    EXPECT_EQ(value(*f, "fee"), "Miễn lệ phí");
    EXPECT_EQ(value(*f, "book"), "Quyển số 1, số thứ tự 42");
    EXPECT_EQ(value(*f, "officer"), "Nguyễn Văn Hòa");
    ASSERT_NE(f->list("documents"), nullptr);
    EXPECT_EQ(f->list("documents")->items,
              (std::vector<std::string>{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh"}));
    EXPECT_TRUE(f->two_copies);
    ASSERT_EQ(f->signatures.size(), 2u);
    EXPECT_EQ(f->signatures[0].title, "NGƯỜI NỘP HỒ SƠ");
    EXPECT_EQ(f->signatures[1].name, "Nguyễn Văn Hòa");
}

TEST(Forms, ReceiptWordsEachKindOfPeriod)
{
    // "ngày" (calendar days) is not "ngày làm việc": the catalogue tells them apart.
    config::Register catalogue;
    config::Procedure land;
    land.code = "1.004227.H26";
    land.calendar_days = 15;
    catalogue.procedures.push_back(land);
    auto d = birth_registration();
    d.procedure_code = land.code;
    d.processing_days = 15;
    auto in = input();
    in.catalogue = &catalogue;
    EXPECT_EQ(value(*make_form(FormKind::receipt, d, in), "period"), "15 ngày");
    d.processing_days.reset();
    d.processing_hours = 8;
    EXPECT_EQ(value(*make_form(FormKind::receipt, d, in), "period"), "8 giờ làm việc");
    d.processing_hours.reset();
    d.same_day = true;
    EXPECT_EQ(value(*make_form(FormKind::receipt, d, in), "period"), "Trong ngày");
    // No fee recorded: the slip says there is none.
    d.fee.clear();
    d.delivery = Delivery::desk;
    EXPECT_EQ(value(*make_form(FormKind::receipt, d, in), "fee"), "Không");
    EXPECT_EQ(value(*make_form(FormKind::receipt, d, in), "delivery"), "Tại Bộ phận Một cửa");
}

TEST(Forms, EachLetterAppliesOnlyToItsEvent)
{
    auto d = birth_registration();
    for (auto kind : {FormKind::supplement, FormKind::refusal, FormKind::apology, FormKind::stop})
    {
        auto f = make_form(kind, d, input());
        ASSERT_FALSE(f) << to_string(kind);
        EXPECT_EQ(f.error().code, "form_not_applicable");
    }
    // A refused dossier gets a refusal, not a stop notice.
    d.status = Status::refused;
    d.closed_at = at("2025-02-03 08:40");
    d.close_reason = "Hồ sơ không thuộc thẩm quyền";
    EXPECT_TRUE(make_form(FormKind::refusal, d, input()));
    EXPECT_FALSE(make_form(FormKind::stop, d, input()));
    // The receipt and the control slip apply to every dossier.
    EXPECT_TRUE(make_form(FormKind::receipt, d, input()));
    EXPECT_TRUE(make_form(FormKind::control, d, input()));
}

TEST(Forms, SupplementRequestListsTheMissingDocumentsAndTheDeadline)
{
    auto d = birth_registration();
    d.supplements.push_back(SupplementRequest{at("2025-02-04 10:30"), {}, "Giấy chứng sinh là bản chụp",
                                              {"Bản chính giấy chứng sinh"}, at("2025-02-07 17:00")});
    auto f = make_form(FormKind::supplement, d, input());
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->number, "Mẫu số 02");
    EXPECT_EQ(f->title, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ");
    EXPECT_EQ(f->date_line, "Thử Nghiệm, ngày 04 tháng 02 năm 2025"); // the request's day
    EXPECT_EQ(f->addressee, "Kính gửi: Ông/Bà Trần Thị Bích");
    EXPECT_EQ(f->list("missing")->items, std::vector<std::string>{"Bản chính giấy chứng sinh"});
    EXPECT_EQ(value(*f, "deadline"), "17 giờ 00 phút, ngày 07/02/2025");
    EXPECT_EQ(value(*f, "reason"), "Giấy chứng sinh là bản chụp");
}

TEST(Forms, RefusalApologyAndStopCarryTheirReasons)
{
    auto d = birth_registration();
    d.apologies.push_back(Apology{at("2025-02-06 15:00"), at("2025-02-11 17:00"), "Chờ xác minh"});
    auto apology = make_form(FormKind::apology, d, input());
    ASSERT_TRUE(apology);
    EXPECT_EQ(apology->number, "Mẫu số 04");
    EXPECT_EQ(apology->title, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT");
    EXPECT_EQ(value(*apology, "due"), "17 giờ 00 phút, ngày 06/02/2025");      // the original appointment
    EXPECT_EQ(value(*apology, "new_due"), "17 giờ 00 phút, ngày 11/02/2025");  // the new one
    EXPECT_EQ(value(*apology, "reason"), "Chờ xác minh");

    d.status = Status::withdrawn;
    d.closed_at = at("2025-02-05 09:10");
    d.close_reason = "Công dân rút hồ sơ";
    auto stop = make_form(FormKind::stop, d, input());
    ASSERT_TRUE(stop);
    EXPECT_EQ(stop->number, "Mẫu số 05");
    EXPECT_EQ(stop->title, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ");
    EXPECT_EQ(value(*stop, "reason"), "Công dân rút hồ sơ");
    EXPECT_EQ(value(*stop, "closed"), "09 giờ 10 phút, ngày 05/02/2025");
    EXPECT_EQ(stop->date_line, "Thử Nghiệm, ngày 05 tháng 02 năm 2025");

    d.status = Status::refused;
    auto refusal = make_form(FormKind::refusal, d, input());
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->number, "Mẫu số 03");
    EXPECT_EQ(value(*refusal, "reason"), "Công dân rút hồ sơ");
}

TEST(Forms, ControlSlipShowsEveryStepWithItsOwnDeadline)
{
    auto d = birth_registration();
    Handoff a{"Bộ phận Một cửa", "Công chức Tư pháp", at("2025-02-03 09:00"), at("2025-02-04 17:00"), {}, {}};
    Handoff b{"Công chức Tư pháp", "Chủ tịch UBND xã", at("2025-02-05 08:00"), at("2025-02-05 17:00"), {}, {}};
    d.handoffs = {a, b};
    auto f = make_form(FormKind::control, d, input());
    ASSERT_TRUE(f);
    EXPECT_EQ(f->number, "Mẫu số 06");
    EXPECT_FALSE(f->two_copies); // it follows the file
    EXPECT_EQ(f->date_line, "Thử Nghiệm, ngày 10 tháng 02 năm 2025"); // made now
    ASSERT_EQ(f->steps.size(), 2u);
    EXPECT_EQ(f->steps[0].to, "Công chức Tư pháp");
    EXPECT_EQ(f->steps[0].deadline, "17 giờ 00 phút, ngày 04/02/2025");
    EXPECT_EQ(f->steps[0].finished, "08 giờ 00 phút, ngày 05/02/2025");
    EXPECT_EQ(f->steps[0].outcome, "Quá hạn"); // passed on the morning after its deadline
    EXPECT_EQ(f->steps[1].finished, "");
    EXPECT_EQ(f->steps[1].outcome, "Đang giải quyết, quá hạn"); // still there on 10/02
}

TEST(FormsHtml, TwoEscapedSelfContainedCopiesWithTheQr)
{
    auto d = birth_registration();
    d.applicant.name = "Lê <b>\"Tí\"</b> & Co";
    auto f = make_form(FormKind::receipt, d, input());
    ASSERT_TRUE(f);
    auto html = render_form_html(*f);
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
    EXPECT_TRUE(contains(html, "Lê &lt;b&gt;&quot;Tí&quot;&lt;/b&gt; &amp; Co"));
    EXPECT_FALSE(contains(html, "<b>\"Tí\""));
    EXPECT_TRUE(contains(html, "Bản giao tổ chức, cá nhân"));
    EXPECT_TRUE(contains(html, "Bản lưu hồ sơ"));
    std::size_t copies = 0;
    for (auto p = html.find("<article"); p != std::string::npos; p = html.find("<article", p + 1))
        ++copies;
    EXPECT_EQ(copies, 2u);
    EXPECT_TRUE(contains(html, "17 giờ 00 phút, ngày 06/02/2025"));
    EXPECT_TRUE(contains(html, "<li>Giấy chứng sinh</li>"));
    EXPECT_TRUE(contains(html, "size: A4 landscape"));
    // Nothing is fetched: no links, scripts, images or imports (the SVG's xmlns is a name).
    for (const char* fetch : {"src=", "href=", "url(", "@import", "<script", "<link"})
        EXPECT_FALSE(contains(html, fetch)) << fetch;
    // The QR of the 25-character code: byte mode at level M needs version 2 (25 x 25
    // modules, up to 26 bytes), drawn with a 4-module quiet zone: a 33-unit view box.
    EXPECT_TRUE(contains(html, "viewBox=\"0 0 33 33\"")) << html.substr(0, 200);
    std::size_t qrs = 0;
    for (auto p = html.find("<svg"); p != std::string::npos; p = html.find("<svg", p + 1))
        ++qrs;
    EXPECT_EQ(qrs, 2u); // one per copy
}

TEST(FormsHtml, QrMatrixHasTheFinderPatterns)
{
    // ISO/IEC 18004: three 7x7 finder patterns in the corners, dark border, light ring,
    // dark 3x3 centre.
    auto m = qr_matrix("000.17.22.H56-250203-0007");
    ASSERT_TRUE(m);
    ASSERT_EQ(m->size, 25);
    for (auto [ox, oy] : {std::pair{0, 0}, std::pair{m->size - 7, 0}, std::pair{0, m->size - 7}})
        for (int y = 0; y < 7; ++y)
            for (int x = 0; x < 7; ++x)
            {
                bool border = x == 0 || y == 0 || x == 6 || y == 6;
                bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
                EXPECT_EQ(m->dark(ox + x, oy + y), border || centre) << ox << "," << oy << " " << x << "," << y;
            }
}

TEST(FormsHtml, RegisterBookListsTheDossiersOfThePeriod)
{
    auto a = birth_registration();
    auto b = birth_registration();
    b.code = "000.17.22.H56-250203-0008";
    b.row = 43;
    b.applicant.name = "Phạm <Văn> Dũng";
    b.status = Status::refused;
    b.closed_at = at("2025-02-03 10:00");
    b.close_reason = "Sai thẩm quyền";
    auto html = render_register_html({a, b}, input().office, Period{*parse_date("2025-02-01"), *parse_date("2025-02-28")},
                                     *parse_date("2025-03-01"));
    EXPECT_TRUE(contains(html, "SỔ THEO DÕI HỒ SƠ"));
    EXPECT_TRUE(contains(html, "Mẫu số 07"));
    EXPECT_TRUE(contains(html, "Từ ngày 01/02/2025 đến ngày 28/02/2025"));
    EXPECT_TRUE(contains(html, "Thử Nghiệm, ngày 01 tháng 03 năm 2025"));
    EXPECT_TRUE(contains(html, "000.17.22.H56-250203-0007"));
    EXPECT_TRUE(contains(html, "Phạm &lt;Văn&gt; Dũng"));
    EXPECT_TRUE(contains(html, "Từ chối 10:00 03/02/2025: Sai thẩm quyền"));
    EXPECT_TRUE(contains(html, "<thead>")); // repeated on every printed page
    std::size_t rows = 0;
    for (auto p = html.find("<tr><td class=\"n\">"); p != std::string::npos; p = html.find("<tr><td class=\"n\">", p + 1))
        ++rows;
    EXPECT_EQ(rows, 2u);
}

// An Epson-style profile: TCVN-3 in two tables, native QR.
escpos::Profile tcvn_profile()
{
    escpos::Profile p;
    p.name = "test-tcvn3";
    p.encoding = escpos::Encoding::tcvn3;
    return p;
}

TEST(FormsThermal, ReceiptDecodesBackToItsFields)
{
    auto f = make_form(FormKind::receipt, birth_registration(), input());
    ASSERT_TRUE(f);
    auto job = render_form_escpos(*f, tcvn_profile(), nullptr);
    sim::EscposDecoder decoder(sim::DecoderTables{30, 31, 52});
    decoder.feed(job);
    ASSERT_EQ(decoder.tickets().size(), 1u);
    const auto& t = decoder.tickets()[0];
    EXPECT_TRUE(t.problems.empty()) << t.problems.front();
    EXPECT_TRUE(t.cut);
    // Line wrapping may split long values: compare with line breaks read as spaces.
    auto text = std::regex_replace(t.text, std::regex("\n"), " ");
    EXPECT_TRUE(contains(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")) << t.text;
    EXPECT_TRUE(contains(text, "Mã hồ sơ: 000.17.22.H56-250203-0007")) << t.text;
    EXPECT_TRUE(contains(text, "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 06/02/2025")) << t.text;
    EXPECT_TRUE(contains(text, "1. Tờ khai đăng ký khai sinh")) << t.text;
    EXPECT_TRUE(contains(text, "2. Giấy chứng sinh")) << t.text;
    EXPECT_TRUE(contains(text, "Trần Thị Bích")) << t.text;
    EXPECT_TRUE(contains(text, "UBND xã Thử Nghiệm")) << t.text;
    ASSERT_EQ(t.qr.size(), 1u);
    EXPECT_EQ(t.qr[0], "000.17.22.H56-250203-0007");
}

TEST(FormsThermal, WithoutNativeQrTheCodeIsDrawnAsAnImage)
{
    std::string error;
    auto font = escpos::Font::open(escpos::default_font_path, error);
    ASSERT_TRUE(font) << error;
    auto profile = tcvn_profile();
    profile.encoding = escpos::Encoding::raster;
    profile.native_qr = false;
    auto f = make_form(FormKind::refusal, [] {
        auto d = birth_registration();
        d.status = Status::refused;
        d.closed_at = at("2025-02-03 08:40");
        d.close_reason = "Không thuộc thẩm quyền";
        return d;
    }(), input());
    ASSERT_TRUE(f);
    auto job = render_form_escpos(*f, profile, font.get());
    sim::EscposDecoder decoder;
    decoder.feed(job);
    ASSERT_EQ(decoder.tickets().size(), 1u);
    const auto& t = decoder.tickets()[0];
    EXPECT_TRUE(t.qr.empty());
    // The QR image: 33 modules of 6 dots (the 4-module quiet zone included), 198 dots
    // square, sent as 25 bytes a row (200 dots); the text lines are images as wide as the
    // paper. Its first finder module starts after the quiet zone.
    const sim::DecodedImage* qr = nullptr;
    for (const auto& img : t.images)
        if (img.width == 200 && img.height == 198)
            qr = &img;
    ASSERT_NE(qr, nullptr);
    auto dot = [qr](int x, int y) { return qr->dots[static_cast<std::size_t>(y) * qr->width + x] != 0; };
    EXPECT_FALSE(dot(23, 23));
    EXPECT_TRUE(dot(24, 24));
    EXPECT_TRUE(dot(24 + 6 * 6 + 5, 24)); // the finder's top row is 7 modules long
    EXPECT_FALSE(dot(24 + 7 * 6, 24));    // then the separator
}

} // namespace
} // namespace motcua::dossier
