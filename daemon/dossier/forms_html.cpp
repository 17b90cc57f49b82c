#include "dossier/forms_html.hpp"

#include "util/text.hpp"

#include "dossier/form_qr.hpp"
#include "dossier/import_export.hpp"

namespace motcua::dossier
{

namespace
{

// Print first: millimetres, a serif face every office machine has, black on white.
constexpr std::string_view form_css = R"css(
@page { size: A4 landscape; margin: 8mm; }
@page slip { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 12pt;
       color: #000; background: #fff; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; width: 281mm; margin: 0 auto; }
.sheet.one { grid-template-columns: 1fr; width: 186mm; page: slip; }
.copy { padding: 4mm 7mm; min-height: 190mm; display: flex; flex-direction: column; }
.sheet.two .copy + .copy { border-left: 1px dashed #000; }
.head { display: grid; grid-template-columns: 42% 58%; text-align: center; font-size: 10pt; }
.head .strong, .nation .strong { font-weight: bold; }
.head .rule { width: 30%; margin: 1mm auto 0; border-top: 1px solid #000; }
.date { font-style: italic; text-align: right; margin: 2mm 0 0; font-size: 11pt; }
.number { margin: 1mm 0 0; font-size: 9pt; text-align: right; }
h1 { font-size: 13pt; text-align: center; margin: 3mm 0 1mm; }
.code { display: flex; align-items: center; justify-content: center; gap: 4mm; margin: 1mm 0 2mm; }
.code b { font-size: 12pt; }
.addressee { text-align: center; font-weight: bold; margin: 1mm 0 2mm; }
p { margin: 1mm 0; text-align: justify; }
table.fields { border-collapse: collapse; width: 100%; margin: 1mm 0; }
table.fields th { text-align: left; font-weight: normal; vertical-align: top; padding: 0.6mm 2mm 0.6mm 0; width: 42%; }
table.fields td { vertical-align: top; padding: 0.6mm 0; }
table.fields tr.strong td { font-weight: bold; font-size: 13pt; }
table.fields ol { margin: 0 0 0.5mm 4mm; padding: 0 0 0 4mm; }
table.fields ol li { font-weight: normal; }
table.steps { border-collapse: collapse; width: 100%; font-size: 10.5pt; margin: 2mm 0; }
table.steps th, table.steps td { border: 1px solid #000; padding: 1mm; vertical-align: top; }
.signs { display: flex; justify-content: space-around; margin-top: auto; padding-top: 4mm; text-align: center; }
.signs div { min-width: 40%; }
.signs .hint { font-style: italic; font-size: 10pt; }
.signs .name { margin-top: 18mm; font-weight: bold; }
.which { text-align: center; font-size: 9pt; font-style: italic; margin-top: 3mm; }
@media screen { body { background: #eee; } .sheet { background: #fff; margin: 4mm auto; box-shadow: 0 0 2mm #999; } }
)css";

constexpr std::string_view book_css = R"css(
@page { size: A4 landscape; margin: 10mm; }
body { margin: 0; font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 10pt;
       color: #000; background: #fff; }
.head { display: grid; grid-template-columns: 40% 60%; text-align: center; }
.head .strong { font-weight: bold; }
h1 { font-size: 14pt; text-align: center; margin: 4mm 0 1mm; }
.period, .date { text-align: center; margin: 0 0 3mm; }
.date { font-style: italic; text-align: right; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 1mm; vertical-align: top; }
th { font-weight: bold; text-align: center; }
td.n { text-align: center; }
.number { text-align: right; font-size: 9pt; }
)css";

std::string esc(std::string_view s) { return text::escape_markup(s); }

std::string header(const FormOffice& office, const std::string& date_line)
{
    std::string h = "<header class=\"head\"><div>";
    if (!office.authority.empty())
        h += "<div>" + esc(office.authority) + "</div>";
    h += "<div class=\"strong\">" + esc(office.name) + "</div><div class=\"rule\"></div></div>";
    h += "<div class=\"nation\"><div class=\"strong\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
         "<div class=\"strong\">Độc lập - Tự do - Hạnh phúc</div><div class=\"rule\"></div></div></header>";
    h += "<p class=\"date\">" + esc(date_line) + "</p>";
    return h;
}

std::string copy(const Form& f, const std::string& qr, std::string_view which)
{
    std::string h = "<article class=\"copy\" aria-label=\"" + esc(which) + "\">";
    h += header(f.office, f.date_line);
    h += "<p class=\"number\">" + esc(f.number) + " (" + esc(f.source) + ")</p>";
    h += "<h1>" + esc(f.title) + "</h1>";
    h += "<div class=\"code\"><span>Mã hồ sơ: <b>" + esc(f.code) + "</b></span>" + qr + "</div>";
    if (!f.addressee.empty())
        h += "<p class=\"addressee\">" + esc(f.addressee) + "</p>";
    for (const auto& p : f.intro)
        h += "<p>" + esc(p) + "</p>";
    auto list_html = [](const FormList& l) {
        std::string out = "<tr><th colspan=\"2\">" + esc(l.label) + ":</th></tr><tr><td colspan=\"2\"><ol data-key=\"" +
                          esc(l.key) + "\">";
        for (const auto& item : l.items)
            out += "<li>" + esc(item) + "</li>";
        if (l.items.empty())
            out += "<li>(không ghi)</li>";
        return out + "</ol></td></tr>";
    };
    if (!f.fields.empty() || !f.lists.empty())
    {
        h += "<table class=\"fields\">";
        for (const auto& field : f.fields)
        {
            h += "<tr data-key=\"" + esc(field.key) + "\"" + (field.strong ? " class=\"strong\"" : "") + "><th>" +
                 esc(field.label) + ":</th><td>" + esc(field.value) + "</td></tr>";
            for (const auto& l : f.lists)
                if (l.after == field.key)
                    h += list_html(l);
        }
        for (const auto& l : f.lists)
            if (l.after.empty() || !f.field(l.after))
                h += list_html(l);
        h += "</table>";
    }
    if (!f.steps.empty() || f.kind == FormKind::control)
    {
        h += "<table class=\"steps\"><thead><tr><th>STT</th><th>Giao</th><th>Nhận</th><th>Thời gian giao, nhận</th>"
             "<th>Hạn giải quyết của bước</th><th>Hoàn thành</th><th>Kết quả (trước hạn / đúng hạn / quá hạn)</th>"
             "</tr></thead><tbody>";
        int n = 0;
        for (const auto& s : f.steps)
            h += "<tr><td>" + std::to_string(++n) + "</td><td>" + esc(s.from) + "</td><td>" + esc(s.to) + "</td><td>" +
                 esc(s.handed) + "</td><td>" + esc(s.deadline) + "</td><td>" + esc(s.finished) + "</td><td>" +
                 esc(s.outcome) + "</td></tr>";
        if (f.steps.empty())
            h += "<tr><td colspan=\"7\">Hồ sơ chưa được chuyển.</td></tr>";
        h += "</tbody></table>";
    }
    for (const auto& p : f.closing)
        h += "<p>" + esc(p) + "</p>";
    if (!f.signatures.empty())
    {
        h += "<div class=\"signs\">";
        for (const auto& s : f.signatures)
            h += "<div><div><b>" + esc(s.title) + "</b></div><div class=\"hint\">(Ký, ghi rõ họ tên)</div>"
                 "<div class=\"name\">" + esc(s.name) + "</div></div>";
        h += "</div>";
    }
    h += "<p class=\"which\">" + esc(which) + "</p></article>";
    return h;
}

std::string opt_time(const std::optional<LocalDateTime>& t) { return t ? format_form_time(*t) : std::string(); }

} // namespace


std::string render_form_html(const Form& f)
{
    std::string qr;
    if (auto m = qr_matrix(f.code); m)
        qr = qr_svg(*m, 24);
    std::string h = "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + esc(f.title) + " – " +
                    esc(f.code) + "</title><style>" + std::string(form_css) + "</style></head><body>";
    if (f.two_copies)
        h += "<main class=\"sheet two\">" + copy(f, qr, "Bản giao tổ chức, cá nhân") + copy(f, qr, "Bản lưu hồ sơ") +
             "</main>";
    else
        h += "<main class=\"sheet one\">" + copy(f, qr, "Bản lưu hồ sơ") + "</main>";
    h += "</body></html>\n";
    return h;
}

std::string render_register_html(const std::vector<Dossier>& dossiers, const FormOffice& office, const Period& period,
                                 Date made)
{
    std::string h = "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Sổ theo dõi hồ sơ – " +
                    esc(office.name) + "</title><style>" + std::string(book_css) + "</style></head><body>";
    h += "<header class=\"head\"><div>";
    if (!office.authority.empty())
        h += "<div>" + esc(office.authority) + "</div>";
    h += "<div class=\"strong\">" + esc(office.name) + "</div></div><div><div class=\"strong\">CỘNG HÒA XÃ HỘI CHỦ "
         "NGHĨA VIỆT NAM</div><div class=\"strong\">Độc lập - Tự do - Hạnh phúc</div></div></header>";
    h += "<p class=\"number\">Mẫu số 07 (Phụ lục I, Thông tư 03/2025/TT-VPCP)</p>";
    h += "<h1>SỔ THEO DÕI HỒ SƠ</h1>";
    h += "<p class=\"period\">Từ ngày " + form_date(period.from) + " đến ngày " + form_date(period.to) + "</p>";
    h += "<p class=\"date\">" + esc(form_date_line(office.place, made)) + "</p>";
    h += "<table><thead><tr><th>STT</th><th>Mã hồ sơ</th><th>Tên thủ tục hành chính</th><th>Số lượng hồ sơ (bộ)</th>"
         "<th>Tên tổ chức, cá nhân</th><th>Địa chỉ, số điện thoại</th><th>Cơ quan chủ trì giải quyết</th>"
         "<th>Nhận hồ sơ</th><th>Hẹn trả kết quả</th><th>Chuyển hồ sơ đến cơ quan giải quyết</th>"
         "<th>Nhận kết quả từ cơ quan giải quyết</th><th>Trả kết quả cho tổ chức, cá nhân</th>"
         "<th>Phương thức nhận kết quả</th><th>Ký nhận</th><th>Ghi chú</th></tr></thead><tbody>";
    int index = 0;
    for (const auto& d : dossiers)
    {
        ++index;
        std::string contact = d.applicant.address;
        if (!d.applicant.phone.empty())
            contact += (contact.empty() ? "" : "; ") + d.applicant.phone;
        std::string notes = d.notes;
        if (d.closed_at)
            notes += (notes.empty() ? "" : "; ") + status_text(d.status) + " " +
                     format_form_time(*d.closed_at) + (d.close_reason.empty() ? "" : ": " + d.close_reason);
        for (const auto& a : d.apologies)
            notes += (notes.empty() ? "" : "; ") + std::string("Xin lỗi, hẹn lại ") + format_form_time(a.new_due);
        h += "<tr><td class=\"n\">" + std::to_string(d.row ? d.row : index) + "</td><td>" + esc(d.code) + "</td><td>" +
             esc(d.procedure_name) + "</td><td class=\"n\">" + std::to_string(d.sets) + "</td><td>" +
             esc(d.applicant.name) + "</td><td>" + esc(contact) + "</td><td>" + esc(d.deciding_agency) + "</td><td>" +
             esc(format_form_time(d.received_at)) + "</td><td>" + esc(opt_time(d.due_at)) + "</td><td>" +
             esc(opt_time(d.transferred_at)) + "</td><td>" + esc(opt_time(d.result_at)) + "</td><td>" +
             esc(opt_time(d.returned_at)) + "</td><td>" + esc(delivery_text(d)) + "</td><td></td><td>" + esc(notes) +
             "</td></tr>";
    }
    if (dossiers.empty())
        h += "<tr><td colspan=\"15\">Không có hồ sơ trong kỳ.</td></tr>";
    h += "</tbody></table></body></html>\n";
    return h;
}

} // namespace motcua::dossier
