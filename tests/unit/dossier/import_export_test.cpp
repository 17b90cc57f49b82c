#include "dossier/import_export.hpp"

#include "dossier/csv.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier
{
namespace
{

const std::string header =
    "received_at,procedure_code,applicant_name,channel,code,applicant_phone,applicant_id,delivery,waybill,sets,notes\n";

config::Register catalogue()
{
    config::Register reg;
    config::Procedure old_rule{"1.000948.H38", "Chứng thực bản sao từ bản chính", "Tư pháp – Hộ tịch", std::nullopt, 8,
                               false, std::nullopt, "UBND xã", std::nullopt, std::nullopt, {}, {}};
    config::Procedure new_rule = old_rule;
    new_rule.hours.reset();
    new_rule.same_day = true;
    new_rule.effective_from = parse_date("2025-07-01");
    reg.procedures = {old_rule, new_rule};
    return reg;
}

TEST(Import, ReadsRowsAndFillsFromTheCatalogue)
{
    auto reg = catalogue();
    std::string text = "\xEF\xBB\xBF" + header +
                       "2025-06-30 10:00,1.000948.H38,Nguyễn Văn A,2,000.17.22.H56-250630-0001,0912 345 678,"
                       "001085012345,post,EV123456789VN,2,\"nộp qua cổng, bản giấy gửi sau\"\r\n"
                       "\r\n"
                       "2025-07-01 08:00,1.000948.H38,\"Trần Thị \"\"Bé\"\"\",1,,,,,,,\n";
    auto r = parse_import(text, &reg);
    ASSERT_TRUE(r.ok()) << r.errors.front().str();
    ASSERT_EQ(r.dossiers.size(), 2u);
    const auto& a = r.dossiers[0];
    EXPECT_EQ(a.applicant.name, "Nguyễn Văn A");
    EXPECT_EQ(a.channel, Channel::online);
    EXPECT_EQ(a.delivery, Delivery::post);
    EXPECT_EQ(a.waybill, "EV123456789VN");
    EXPECT_EQ(a.sets, 2);
    EXPECT_EQ(a.notes, "nộp qua cổng, bản giấy gửi sau");
    EXPECT_EQ(a.procedure_name, "Chứng thực bản sao từ bản chính");
    EXPECT_EQ(a.field, "Tư pháp – Hộ tịch");
    // Received the day before NĐ 118/2025: the old 8-hour rule applies; the day after, same day.
    EXPECT_EQ(a.processing_hours, 8);
    EXPECT_FALSE(a.same_day);
    const auto& b = r.dossiers[1];
    EXPECT_EQ(b.applicant.name, "Trần Thị \"Bé\"");
    EXPECT_TRUE(b.same_day);
    EXPECT_FALSE(b.processing_hours.has_value());
    EXPECT_EQ(b.status, Status::received);
}

TEST(Import, EveryBadRowIsReportedWithItsLineAndNothingIsImported)
{
    auto reg = catalogue();
    std::string text = header +
                       "2025-07-01 08:00,1.000948.H38,Good Row,1,,,,,,,\n"           // line 2: fine
                       "2025-07-01 25:00,1.000948.H38,Bad Time,1,,,,,,,\n"           // line 3
                       "2025-07-01 08:00,9.999999.X,Unknown,1,,,,,,,\n"              // line 4
                       "2025-07-01 08:00,1.000948.H38,Bad Channel,4,,,,,,,\n"        // line 5
                       "2025-07-01 08:00,1.000948.H38,Bad Phone,1,,12ab,123,,,,\n"   // line 6: 2 errors
                       "2025-07-01 08:00,1.000948.H38,Code Date,1,U-250702-0001,,,,,,\n" // line 7
                       "2025-07-01 08:00,1.000948.H38,Short,1\n"                     // line 8
                       "2025-07-01 08:00,1.000948.H38,Waybill,1,,,,desk,EV1,,\n"     // line 9
                       "2025-07-01 08:00,1.000948.H38,,1,,,,,,0,\n";                 // line 10: 2 errors
    auto r = parse_import(text, &reg);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.dossiers.empty());
    std::vector<std::string> got;
    for (const auto& e : r.errors)
        got.push_back(std::to_string(e.line) + ":" + e.column);
    EXPECT_EQ(got, (std::vector<std::string>{"3:received_at", "4:procedure_code", "5:channel", "6:applicant_phone",
                                             "6:applicant_id", "7:code", "8:", "9:waybill", "10:sets",
                                             "10:applicant_name"}));
    EXPECT_EQ(r.errors[1].str(), "line 4, column procedure_code: procedure 9.999999.X is not in the catalogue on 2025-07-01");
}

TEST(Import, AnOnlineCodeMayCarryTheSubmissionDay)
{
    // An online submission gets its code on the portal when submitted (Thursday evening),
    // the desk receives it the next morning: the code's date is the submission's, between
    // the submission date and the receipt date; never after the receipt.
    const std::string cols = "received_at,procedure_code,applicant_name,channel,code,submitted_at\n";
    auto ok = parse_import(cols + "2025-07-04 08:00,P,A,2,U-250703-0001,2025-07-03 21:40\n");
    EXPECT_TRUE(ok.ok()) << (ok.errors.empty() ? "" : ok.errors[0].str());
    auto after = parse_import(cols + "2025-07-04 08:00,P,A,2,U-250705-0001,2025-07-03 21:40\n");
    ASSERT_EQ(after.errors.size(), 1u);
    EXPECT_EQ(after.errors[0].column, "code");
    EXPECT_NE(after.errors[0].message.find("after the receipt date 2025-07-04"), std::string::npos);
    auto before_submission = parse_import(cols + "2025-07-04 08:00,P,A,2,U-250702-0001,2025-07-03 21:40\n");
    ASSERT_EQ(before_submission.errors.size(), 1u);
    EXPECT_NE(before_submission.errors[0].message.find("before the submission date"), std::string::npos);
    // Without a submission time a code dated before the receipt cannot be explained.
    auto unexplained = parse_import(cols + "2025-07-04 08:00,P,A,2,U-250703-0001,\n");
    ASSERT_EQ(unexplained.errors.size(), 1u);
    EXPECT_NE(unexplained.errors[0].message.find("give submitted_at"), std::string::npos);
}

TEST(Import, ReceiptDocumentsAndFeeAsRecorded)
{
    // The documents of an old receipt, separated by ";", and its fee: as recorded, never
    // filled in from today's catalogue.
    const std::string cols = "received_at,procedure_code,applicant_name,channel,documents,fee\n";
    auto r = parse_import(cols + "2025-07-04 08:00,P,A,1,Tờ khai; Giấy chứng sinh ;,8.000 đồng\n"
                                 "2025-07-04 09:00,P,B,1,,\n");
    ASSERT_TRUE(r.ok()) << r.errors[0].str();
    EXPECT_EQ(r.dossiers[0].documents, (std::vector<std::string>{"Tờ khai", "Giấy chứng sinh"}));
    EXPECT_EQ(r.dossiers[0].fee, "8.000 đồng");
    EXPECT_TRUE(r.dossiers[1].documents.empty());
    EXPECT_TRUE(r.dossiers[1].fee.empty());
}

TEST(Import, HeaderProblems)
{
    auto r = parse_import("received_at,procedure_code,applicant_name,chanel\n");
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_EQ(r.errors[0].str(), "line 1, column chanel: unknown column \"chanel\"");
    EXPECT_EQ(r.errors[1].str(), "line 1, column channel: required column \"channel\" is missing");
    EXPECT_EQ(parse_import("").errors.at(0).line, 1);
    auto unterminated = parse_import(header + "2025-07-01 08:00,X,\"never closed,1\n");
    ASSERT_EQ(unterminated.errors.size(), 1u);
    EXPECT_EQ(unterminated.errors[0].line, 2);
}

TEST(Import, DuplicateCodesInOneFile)
{
    std::string text = header + "2025-07-01 08:00,P,A,1,U-250701-0001,,,,,,\n2025-07-01 09:00,P,B,1,U-250701-0001,,,,,,\n";
    auto r = parse_import(text);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].str(), "line 3, column code: dossier code U-250701-0001 already appears on line 2");
}

TEST(Import, TextThatIsNotUtf8NamesLineColumnAndTheCodePage)
{
    // "Nguyễn" typed in Windows-1258 / TCVN3 is not UTF-8: the byte 0xEA after "Nguy" on
    // line 3 (column 24: "2025-07-01 08:00,P,Nguy" is 23 characters before it).
    std::string text = header + "2025-07-01 08:00,P,Tran Van A,1,,,,,,,\n" + "2025-07-01 08:00,P,Nguy\xEAn,1,,,,,,,\n";
    auto r = parse_import(text);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 3);
    EXPECT_EQ(r.errors[0].column, "24");
    EXPECT_NE(r.errors[0].str().find("byte 0xEA is not UTF-8"), std::string::npos) << r.errors[0].str();
    EXPECT_NE(r.errors[0].str().find("Windows-1258"), std::string::npos);
}

TEST(Import, NamesAreNormalisedToNfc)
{
    std::string text = header + "2025-07-01 08:00,P,Nguye\xCC\x82\xCC\x83n Va\xCC\x86n A,1,,,,,,,\n";
    auto r = parse_import(text);
    ASSERT_TRUE(r.ok()) << r.errors.front().str();
    EXPECT_EQ(r.dossiers[0].applicant.name, "Nguyễn Văn A"); // precomposed
}

TEST(Import, ControlCharactersLongNamesAndFutureReceiptsAreRefused)
{
    std::string long_name(201, 'a');
    std::string text = header + "2025-07-01 08:00,P,A\tB,1,,,,,,,\n" +          // line 2: a tab in a name
                       "2025-07-01 08:00,P," + long_name + ",1,,,,,,,\n" +      // line 3: 201 characters
                       "2025-07-01 08:00,P," + std::string(200, 'a') + ",1,,,,,,,\n" + // line 4: 200 is fine
                       "2025-07-02 08:01,P,Tomorrow,1,,,,,,,\n" +               // line 5: > 1 day ahead
                       "2025-07-02 08:00,P,Exactly a day,1,,,,,,,\n" +          // line 6: fine
                       "2025-07-01 08:00,P,Nul,1,,,,,,,\"a" + std::string(1, '\0') + "b\"\n"; // line 7
    ImportOptions options;
    options.now = *parse_local_date_time("2025-07-01 08:00");
    auto r = parse_import(text, options);
    std::vector<std::string> got;
    for (const auto& e : r.errors)
        got.push_back(std::to_string(e.line) + ":" + e.column);
    EXPECT_EQ(got, (std::vector<std::string>{"2:applicant_name", "3:applicant_name", "5:received_at", "7:notes"}));
}

TEST(Import, ClosedStatusesNeedTheirClosingTime)
{
    const std::string h = "received_at,procedure_code,applicant_name,channel,status,closed_at,close_reason\n";
    auto ok = parse_import(h + "2025-07-01 08:00,P,A,1,3,2025-07-02 09:00,không đủ điều kiện\n");
    ASSERT_TRUE(ok.ok()) << ok.errors.front().str();
    EXPECT_EQ(ok.dossiers[0].status, Status::refused);
    EXPECT_EQ(format_local_minute(*ok.dossiers[0].closed_at), "2025-07-02 09:00");
    EXPECT_EQ(ok.dossiers[0].close_reason, "không đủ điều kiện");
    auto r = parse_import(h + "2025-07-01 08:00,P,A,1,7,,\n" +   // line 2: withdrawn without a time
                          "2025-07-01 08:00,P,A,1,4,2025-07-02 09:00,\n" + // line 3: closed_at, status 4
                          "2025-07-01 08:00,P,A,1,,2025-07-02 09:00,\n" +  // line 4: closed_at, no status
                          "2025-07-01 08:00,P,A,1,8,2025-06-30 09:00,\n");  // line 5: before receipt
    std::vector<std::string> got;
    for (const auto& e : r.errors)
        got.push_back(std::to_string(e.line) + ":" + e.column);
    EXPECT_EQ(got, (std::vector<std::string>{"2:status", "3:closed_at", "4:status", "5:closed_at", "5:status"}));
}

TEST(Import, DueTimesComeFromTheCalendarWhenTheColumnIsEmpty)
{
    calendar::YearTable y;
    y.year = 2025;
    auto cal = *calendar::Calendar::from_years({y});
    DueContext due{&cal, {}};
    due.rules.office_hours = {{TimeOfDay{7 * 60 + 30}, TimeOfDay{11 * 60 + 30}}, {TimeOfDay{13 * 60 + 30}, TimeOfDay{17 * 60}}};
    auto reg = catalogue();
    ImportOptions options;
    options.catalogue = &reg;
    options.due = &due;
    // Same-day procedure from 2025-07-01: received Tue 01/07 16:00, after the 15:00 cut-off.
    auto r = parse_import(header + "2025-07-01 16:00,1.000948.H38,A,1,,,,,,,\n", options);
    ASSERT_TRUE(r.ok()) << r.errors.front().str();
    EXPECT_EQ(format_local_minute(*r.dossiers[0].due_at), "2025-07-02 17:00");
}

TEST(Export, RegisterCsvHasTheFormColumns)
{
    Dossier d;
    d.code = "000.17.22.H56-250303-0007";
    d.row = 7;
    d.procedure_name = "Đăng ký khai sinh";
    d.sets = 1;
    d.applicant = {"Lê Văn C", "Thôn 1, xã Yên Sở", "0912345678", "", ""};
    d.deciding_agency = "UBND xã Yên Sở";
    d.received_at = *parse_local_date_time("2025-03-03 08:15");
    d.due_at = *parse_local_date_time("2025-03-04 17:00");
    d.result_at = *parse_local_date_time("2025-03-04 10:00");
    d.delivery = Delivery::post;
    d.waybill = "EV1VN";
    d.apologies.push_back({*parse_local_date_time("2025-03-04 09:00"), *parse_local_date_time("2025-03-05 17:00"), ""});
    auto text = format_register_csv({d}, ExportOptions{false});
    auto parsed = csv::parse(text);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->size(), 2u);
    const auto& h = (*parsed)[0].fields;
    ASSERT_EQ(h.size(), 15u);
    EXPECT_EQ(h[1], "Mã hồ sơ");
    EXPECT_EQ(h[8], "Hẹn trả kết quả");
    const auto& row = (*parsed)[1].fields;
    EXPECT_EQ(row, (std::vector<std::string>{"7", "000.17.22.H56-250303-0007", "Đăng ký khai sinh", "1", "Lê Văn C",
                                             "Thôn 1, xã Yên Sở; 0912345678", "UBND xã Yên Sở", "08:15 03/03/2025",
                                             "17:00 04/03/2025", "", "10:00 04/03/2025", "",
                                             "Qua dịch vụ bưu chính công ích (vận đơn EV1VN)", "",
                                             "Xin lỗi, hẹn lại 17:00 05/03/2025"}));
    EXPECT_NE(text.find("\"Thôn 1, xã Yên Sở; 0912345678\""), std::string::npos);
    EXPECT_EQ(text.substr(text.size() - 2), "\r\n");
    EXPECT_TRUE(format_register_csv({}).starts_with("\xEF\xBB\xBF" "STT,"));
}

} // namespace
} // namespace motcua::dossier
