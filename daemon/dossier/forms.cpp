#include "dossier/forms.hpp"

#include "dossier/lifecycle.hpp"

#include <cstdio>

namespace motcua::dossier
{

namespace
{

constexpr std::string_view tt03 = "Phụ lục I, Thông tư 03/2025/TT-VPCP";

std::string two(unsigned v)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02u", v);
    return buf;
}

std::string date_text(Date d)
{
    return two(static_cast<unsigned>(d.day())) + "/" + two(static_cast<unsigned>(d.month())) + "/" +
           std::to_string(static_cast<int>(d.year()));
}

Error not_applicable(const std::string& why) { return make_error("form_not_applicable", why); }

// "3 ngày làm việc", "15 ngày", "8 giờ làm việc", "Trong ngày".
std::string period_text(const Dossier& d, const config::Register* catalogue)
{
    if (d.same_day)
        return "Trong ngày";
    if (d.processing_hours)
        return std::to_string(*d.processing_hours) + " giờ làm việc";
    if (!d.processing_days)
        return {};
    const config::Procedure* p = catalogue ? catalogue->procedure(d.procedure_code, d.received_at.date) : nullptr;
    const bool calendar_days = p && p->calendar_days && !p->days;
    return std::to_string(*d.processing_days) + (calendar_days ? " ngày" : " ngày làm việc");
}

std::string applicant_line(const Dossier& d) { return "Ông/Bà " + d.applicant.name; }

std::string contact(const Dossier& d)
{
    std::string out = d.applicant.address;
    if (!d.applicant.phone.empty())
        out += (out.empty() ? "" : "; ") + std::string("điện thoại ") + d.applicant.phone;
    if (!d.applicant.email.empty())
        out += (out.empty() ? "" : "; ") + std::string("thư điện tử ") + d.applicant.email;
    return out;
}

std::string officer_of(const Dossier& d) { return d.officer; }

Form base(FormKind kind, const Dossier& d, const FormInput& in, std::string number, std::string title, Date dated)
{
    Form f;
    f.kind = kind;
    f.number = std::move(number);
    f.source = std::string(tt03);
    f.title = std::move(title);
    f.office = in.office;
    if (f.office.name.empty())
        f.office.name = d.receiving_unit;
    f.code = d.code;
    f.date_line = form_date_line(f.office.place, dated);
    return f;
}

void add(Form& f, std::string key, std::string label, std::string value, bool strong = false)
{
    f.fields.push_back(FormField{std::move(key), std::move(label), std::move(value), strong});
}

// The lines that identify the dossier on the letters to the applicant.
void add_dossier_lines(Form& f, const Dossier& d)
{
    add(f, "applicant", "Tổ chức, cá nhân", d.applicant.name);
    if (auto c = contact(d); !c.empty())
        add(f, "contact", "Địa chỉ, liên hệ", c);
    add(f, "procedure", "Nội dung yêu cầu giải quyết", d.procedure_name);
    add(f, "received", "Thời gian nhận hồ sơ", form_time(d.received_at));
}

Form receipt(const Dossier& d, const FormInput& in)
{
    auto f = base(FormKind::receipt, d, in, "Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", d.received_at.date);
    f.intro.push_back(f.office.name + " tiếp nhận hồ sơ của:");
    add(f, "applicant", "Tổ chức, cá nhân", d.applicant.name);
    if (!d.applicant.id_number.empty())
        add(f, "id_number", "Số định danh cá nhân", d.applicant.id_number);
    if (!d.applicant.address.empty())
        add(f, "address", "Địa chỉ", d.applicant.address);
    if (!d.applicant.phone.empty())
        add(f, "phone", "Số điện thoại", d.applicant.phone);
    if (!d.applicant.email.empty())
        add(f, "email", "Thư điện tử", d.applicant.email);
    add(f, "procedure", "Nội dung yêu cầu giải quyết", d.procedure_name);
    add(f, "procedure_code", "Mã thủ tục hành chính", d.procedure_code);
    f.lists.push_back(FormList{"documents", "Thành phần hồ sơ nộp gồm", d.documents, "procedure_code"});
    add(f, "sets", "Số lượng hồ sơ", std::to_string(d.sets) + " bộ");
    if (auto p = period_text(d, in.catalogue); !p.empty())
        add(f, "period", "Thời gian giải quyết theo quy định", p);
    add(f, "received", "Thời gian nhận hồ sơ", form_time(d.received_at));
    add(f, "due", "Thời gian hẹn trả kết quả", d.due_at ? form_time(*d.due_at) : std::string("(chưa hẹn)"), true);
    add(f, "delivery", "Đăng ký nhận kết quả", delivery_text(d));
    add(f, "fee", "Phí, lệ phí", d.fee.empty() ? "Không" : d.fee);
    add(f, "book", "Vào Sổ theo dõi hồ sơ",
        "Quyển số " + std::to_string(d.book) + ", số thứ tự " + std::to_string(d.row));
    add(f, "officer", "Người tiếp nhận", officer_of(d));
    f.signatures = {{"NGƯỜI NỘP HỒ SƠ", d.applicant.name}, {"NGƯỜI TIẾP NHẬN HỒ SƠ", officer_of(d)}};
    return f;
}

Result<Form> supplement(const Dossier& d, const FormInput& in)
{
    if (d.supplements.empty())
        return not_applicable("Dossier " + d.code + " has no supplement request: no Mẫu 02 to print.");
    const auto& s = d.supplements.back();
    auto f = base(FormKind::supplement, d, in, "Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                  s.requested_at.date);
    f.addressee = "Kính gửi: " + applicant_line(d);
    f.intro.push_back(f.office.name + " đã tiếp nhận hồ sơ của " + applicant_line(d) + ", mã hồ sơ " + d.code +
                      ".");
    add_dossier_lines(f, d);
    f.intro.push_back("Sau khi xem xét, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ như sau.");
    f.lists.push_back(FormList{"missing", "Nội dung cần bổ sung, hoàn thiện", s.missing, "received"});
    if (!s.reason.empty())
        add(f, "reason", "Lý do", s.reason);
    add(f, "requested", "Thời gian yêu cầu", form_time(s.requested_at));
    add(f, "deadline", "Thời hạn bổ sung", s.deadline ? form_time(*s.deadline) : std::string("(không ghi)"), true);
    f.closing.push_back("Thời gian chờ bổ sung không tính vào thời hạn giải quyết hồ sơ. Trong quá trình hoàn "
                        "thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ " + f.office.name + " để được hướng dẫn.");
    f.signatures = {{"NGƯỜI HƯỚNG DẪN", officer_of(d)}};
    return f;
}

Result<Form> refusal(const Dossier& d, const FormInput& in)
{
    if (d.status != Status::refused || !d.closed_at)
        return not_applicable("Dossier " + d.code + " was not refused: no Mẫu 03 to print.");
    auto f = base(FormKind::refusal, d, in, "Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                  d.closed_at->date);
    f.addressee = "Kính gửi: " + applicant_line(d);
    f.intro.push_back(f.office.name + " đã nhận hồ sơ của " + applicant_line(d) + ", mã hồ sơ " + d.code + ".");
    add_dossier_lines(f, d);
    f.intro.push_back("Qua nghiên cứu, xem xét, " + f.office.name +
                      " thông báo không tiếp nhận, giải quyết hồ sơ này.");
    add(f, "reason", "Lý do từ chối", d.close_reason, true);
    add(f, "closed", "Thời gian từ chối", form_time(*d.closed_at));
    f.closing.push_back("Xin thông báo để Ông/Bà biết và thực hiện.");
    f.signatures = {{"NGƯỜI TIẾP NHẬN HỒ SƠ", officer_of(d)}};
    return f;
}

Result<Form> apology(const Dossier& d, const FormInput& in)
{
    if (d.apologies.empty())
        return not_applicable("Dossier " + d.code + " has no apology recorded: no Mẫu 04 to print.");
    const auto& a = d.apologies.back();
    auto f = base(FormKind::apology, d, in, "Mẫu số 04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                  a.at.date);
    f.addressee = "Kính gửi: " + applicant_line(d);
    f.intro.push_back(f.office.name + " đã tiếp nhận hồ sơ của " + applicant_line(d) + ", mã hồ sơ " + d.code +
                      ".");
    add_dossier_lines(f, d);
    add(f, "due", "Thời gian hẹn trả kết quả", d.due_at ? form_time(*d.due_at) : std::string("(chưa hẹn)"));
    f.intro.push_back("Đến nay hồ sơ của Ông/Bà chưa được giải quyết xong đúng hẹn.");
    add(f, "reason", "Lý do", a.reason.empty() ? std::string("(không ghi)") : a.reason);
    add(f, "new_due", "Đề nghị gia hạn, hẹn lại trả kết quả", form_time(a.new_due), true);
    f.closing.push_back("Sự chậm trễ này đã gây phiền hà cho Ông/Bà. " + f.office.name +
                        " xin lỗi Ông/Bà và sẽ trả kết quả vào thời gian hẹn lại nêu trên.");
    f.signatures = {{"THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", ""}};
    return f;
}

Result<Form> stop(const Dossier& d, const FormInput& in)
{
    if ((d.status != Status::stopped && d.status != Status::withdrawn) || !d.closed_at)
        return not_applicable("Dossier " + d.code + " was neither stopped nor withdrawn: no Mẫu 05 to print.");
    auto f = base(FormKind::stop, d, in, "Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", d.closed_at->date);
    f.addressee = "Kính gửi: " + applicant_line(d);
    f.intro.push_back(f.office.name + " đã tiếp nhận hồ sơ của " + applicant_line(d) + ", mã hồ sơ " + d.code +
                      ".");
    add_dossier_lines(f, d);
    f.intro.push_back(d.status == Status::withdrawn
                          ? "Theo đề nghị rút hồ sơ của Ông/Bà, việc giải quyết hồ sơ được dừng lại."
                          : "Việc giải quyết hồ sơ được dừng lại.");
    add(f, "reason", "Lý do", d.close_reason, true);
    add(f, "closed", "Thời gian dừng giải quyết", form_time(*d.closed_at));
    f.closing.push_back("Xin thông báo để Ông/Bà biết.");
    f.signatures = {{"THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", ""}};
    return f;
}

Form control(const Dossier& d, const FormInput& in)
{
    auto f = base(FormKind::control, d, in, "Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", in.now.date);
    f.two_copies = false;
    add(f, "applicant", "Tổ chức, cá nhân", d.applicant.name);
    add(f, "procedure", "Nội dung yêu cầu giải quyết", d.procedure_name);
    add(f, "deciding_agency", "Cơ quan chủ trì giải quyết", d.deciding_agency);
    add(f, "received", "Thời gian nhận hồ sơ", form_time(d.received_at));
    add(f, "due", "Thời gian hẹn trả kết quả", d.due_at ? form_time(*d.due_at) : std::string("(chưa hẹn)"));
    for (const auto& s : judge_steps(d, in.now, in.rules))
        f.steps.push_back(FormStep{s.from, s.to, form_time(s.start), s.deadline ? form_time(*s.deadline) : "",
                                   s.end ? form_time(*s.end) : "", s.outcome ? outcome_text(*s.outcome) : ""});
    auto t = classify(d, in.now, in.rules);
    add(f, "outcome", "Kết quả giải quyết hồ sơ", outcome_text(t.outcome));
    f.signatures = {};
    return f;
}

} // namespace

std::string_view to_string(FormKind k)
{
    switch (k)
    {
    case FormKind::receipt: return "receipt";
    case FormKind::supplement: return "supplement";
    case FormKind::refusal: return "refusal";
    case FormKind::apology: return "apology";
    case FormKind::stop: return "stop";
    case FormKind::control: return "control";
    }
    return "receipt";
}

const std::vector<FormKind>& all_form_kinds()
{
    static const std::vector<FormKind> kinds = {FormKind::receipt, FormKind::supplement, FormKind::refusal,
                                                FormKind::apology, FormKind::stop,       FormKind::control};
    return kinds;
}

std::optional<FormKind> form_kind_from(std::string_view s)
{
    for (auto k : all_form_kinds())
        if (to_string(k) == s)
            return k;
    return std::nullopt;
}

const FormField* Form::field(std::string_view key) const
{
    for (const auto& f : fields)
        if (f.key == key)
            return &f;
    return nullptr;
}

const FormList* Form::list(std::string_view key) const
{
    for (const auto& l : lists)
        if (l.key == key)
            return &l;
    return nullptr;
}

std::string form_time(LocalDateTime t)
{
    return two(static_cast<unsigned>(t.time.minutes / 60)) + " giờ " + two(static_cast<unsigned>(t.time.minutes % 60)) +
           " phút, ngày " + date_text(t.date);
}

std::string form_date(Date d) { return date_text(d); }

std::string status_text(Status s)
{
    switch (s)
    {
    case Status::submitted_online: return "Nộp trực tuyến";
    case Status::received: return "Đã tiếp nhận";
    case Status::refused: return "Từ chối";
    case Status::processing: return "Đang giải quyết";
    case Status::supplement_requested: return "Chờ bổ sung";
    case Status::financial_obligation: return "Chờ thực hiện nghĩa vụ tài chính";
    case Status::withdrawn: return "Rút hồ sơ";
    case Status::stopped: return "Dừng giải quyết";
    case Status::decided: return "Đã có kết quả";
    case Status::returned: return "Đã trả kết quả";
    }
    return {};
}

std::string form_date_line(std::string_view place, Date d)
{
    std::string tail = "ngày " + two(static_cast<unsigned>(d.day())) + " tháng " +
                       two(static_cast<unsigned>(d.month())) + " năm " + std::to_string(static_cast<int>(d.year()));
    if (place.empty())
        return "N" + tail.substr(1);
    return std::string(place) + ", " + tail;
}

std::string delivery_text(const Dossier& d)
{
    switch (d.delivery)
    {
    case Delivery::desk: return "Tại Bộ phận Một cửa";
    case Delivery::post:
        return "Qua dịch vụ bưu chính công ích" + (d.waybill.empty() ? std::string() : " (vận đơn " + d.waybill + ")");
    case Delivery::online: return "Trực tuyến";
    }
    return {};
}

std::string outcome_text(Outcome o)
{
    switch (o)
    {
    case Outcome::early: return "Trước hạn";
    case Outcome::on_time: return "Đúng hạn";
    case Outcome::late: return "Quá hạn";
    case Outcome::open_within_due: return "Đang giải quyết, còn hạn";
    case Outcome::open_over_due: return "Đang giải quyết, quá hạn";
    case Outcome::closed: return "Dừng, không có kết quả";
    }
    return {};
}

Result<Form> make_form(FormKind kind, const Dossier& d, const FormInput& in)
{
    switch (kind)
    {
    case FormKind::receipt: return receipt(d, in);
    case FormKind::supplement: return supplement(d, in);
    case FormKind::refusal: return refusal(d, in);
    case FormKind::apology: return apology(d, in);
    case FormKind::stop: return stop(d, in);
    case FormKind::control: return control(d, in);
    }
    return not_applicable("unknown form");
}

} // namespace motcua::dossier
