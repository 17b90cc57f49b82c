#pragma once

// The one-stop forms a dossier gets, as plain data (docs/register.md "Forms"): Thông tư
// 03/2025/TT-VPCP (15/09/2025), Phụ lục I, guiding NĐ 118/2025/NĐ-CP:
//   Mẫu 01 receipt and appointment slip   (giấy tiếp nhận hồ sơ và hẹn trả kết quả)
//   Mẫu 02 supplement request             (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)
//   Mẫu 03 refusal                        (phiếu từ chối tiếp nhận giải quyết hồ sơ)
//   Mẫu 04 apology and extension request  (văn bản xin lỗi và đề nghị gia hạn)
//   Mẫu 05 stop notice                    (thông báo dừng giải quyết hồ sơ)
//   Mẫu 06 process-control slip           (phiếu kiểm soát quá trình giải quyết hồ sơ)
//   Mẫu 07 register book                  (sổ theo dõi hồ sơ; forms_html.hpp)
// Pure: a dossier record, the office and the catalogue in, the fields of the form out,
// already worded and formatted in Vietnamese. The renderers (forms_html.hpp for the A4/A5
// page, forms_escpos.hpp for the 80 mm thermal slip) only lay them out.
//
// A form is dated by the event it records (the receipt, the request, the refusal…), so a
// reprint says what the first print said; only the control slip is dated when it is made.

#include "config/register_model.hpp"
#include "dossier/record.hpp"
#include "dossier/timing.hpp"
#include "util/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::dossier
{

enum class FormKind
{
    receipt,    // Mẫu 01
    supplement, // Mẫu 02
    refusal,    // Mẫu 03
    apology,    // Mẫu 04
    stop,       // Mẫu 05 (also for a dossier withdrawn at the applicant's request)
    control     // Mẫu 06
};

std::string_view to_string(FormKind k);                     // "receipt", …
std::optional<FormKind> form_kind_from(std::string_view s); // "receipt" | "supplement" | …
const std::vector<FormKind>& all_form_kinds();

// Who issues the forms.
struct FormOffice
{
    std::string authority; // the body above the desk, first header line: "UBND xã Thử Nghiệm"
    std::string name;      // the desk: "Trung tâm Phục vụ hành chính công xã Thử Nghiệm"
    std::string place;     // place name of the date line: "Thử Nghiệm"
};

struct FormField
{
    std::string key;   // stable, for tests and the JSON answer: "due", "procedure", …
    std::string label; // as printed: "Thời gian hẹn trả kết quả"
    std::string value;
    bool strong = false; // what the applicant looks for first (the appointment): bold
};

struct FormList
{
    std::string key; // "documents", "missing"
    std::string label;
    std::vector<std::string> items;
    std::string after; // printed after the field with this key; empty: after all fields
};

// One row of the control slip, formatted.
struct FormStep
{
    std::string from;
    std::string to;
    std::string handed;   // "08 giờ 15 phút, ngày 03/02/2025"
    std::string deadline; // empty: the step has none
    std::string finished; // empty: still there
    std::string outcome;  // "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết (còn hạn)", …; empty: not judged
};

struct FormSignature
{
    std::string title; // "NGƯỜI TIẾP NHẬN HỒ SƠ"
    std::string name;  // printed under the space for the signature; may be empty
};

struct Form
{
    FormKind kind = FormKind::receipt;
    std::string number;    // "Mẫu số 01"
    std::string source;    // "Phụ lục I, Thông tư 03/2025/TT-VPCP"
    std::string title;     // "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    FormOffice office;
    std::string code;      // mã hồ sơ; also the QR payload
    std::string date_line; // "Thử Nghiệm, ngày 05 tháng 02 năm 2025"
    std::string addressee; // "Kính gửi: Ông/Bà Trần Thị Bích" (empty on the receipt and the slip)
    std::vector<std::string> intro;   // paragraphs before the fields
    std::vector<FormField> fields;
    std::vector<FormList> lists;
    std::vector<FormStep> steps;      // the control slip's rows
    std::vector<std::string> closing; // paragraphs after the fields
    std::vector<FormSignature> signatures;
    bool two_copies = true; // the applicant's copy and the file's (the slip: one, it follows the file)

    const FormField* field(std::string_view key) const;
    const FormList* list(std::string_view key) const;
};

struct FormInput
{
    FormOffice office;
    // The procedure catalogue: tells a period in calendar days ("ngày") from working days.
    const config::Register* catalogue = nullptr;
    // The control slip is judged and dated at this time.
    LocalDateTime now{};
    // Judges the control slip's steps (working time on the office calendar).
    TimingRules rules;
};

// The form of `kind` for dossier `d`. Errors ("form_not_applicable", naming why): a
// supplement request form without a request, a refusal for a dossier not refused, an
// apology without one, a stop notice for a dossier neither stopped nor withdrawn.
Result<Form> make_form(FormKind kind, const Dossier& d, const FormInput& in);

// Shared wording, also used by the register book.
std::string form_time(LocalDateTime t);                // "08 giờ 15 phút, ngày 03/02/2025"
std::string form_date(Date d);                         // "03/02/2025"
std::string status_text(Status s);                     // "Từ chối", "Rút hồ sơ", "Dừng giải quyết", …
std::string form_date_line(std::string_view place, Date d); // "Thử Nghiệm, ngày 05 tháng 02 năm 2025"
std::string delivery_text(const Dossier& d);           // "Tại Bộ phận Một cửa", "Qua dịch vụ bưu chính công ích …"
std::string outcome_text(Outcome o);                   // "Trước hạn", "Đúng hạn", "Quá hạn", …

} // namespace motcua::dossier
