#include "dossier/import_export.hpp"

#include "dossier/code.hpp"
#include "dossier/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>

namespace motcua::dossier
{

namespace
{

const std::set<std::string, std::less<>> required_columns = {"received_at", "procedure_code", "applicant_name",
                                                              "channel"};

std::optional<int> to_int(std::string_view s, int min, int max)
{
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < min || v > max)
        return std::nullopt;
    return v;
}

std::string trim(std::string_view s)
{
    auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos)
        return {};
    auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

class RowReader
{
  public:
    RowReader(const std::map<std::string, std::size_t>& columns, const csv::Record& rec,
              std::vector<ImportError>& errors)
        : columns_(columns), rec_(rec), errors_(errors)
    {}

    std::string get(const std::string& column) const
    {
        auto it = columns_.find(column);
        return it == columns_.end() ? std::string() : trim(rec_.fields[it->second]);
    }
    void error(const std::string& column, const std::string& message) const
    {
        errors_.push_back(ImportError{rec_.line, column, message});
    }
    std::optional<LocalDateTime> time(const std::string& column) const
    {
        auto text = get(column);
        if (text.empty())
            return std::nullopt;
        auto t = parse_local_date_time(text);
        if (!t)
            error(column, "\"" + text + "\" is not a local time \"YYYY-MM-DD HH:MM\"");
        return t;
    }

  private:
    const std::map<std::string, std::size_t>& columns_;
    const csv::Record& rec_;
    std::vector<ImportError>& errors_;
};

void read_row(const RowReader& r, Dossier& d, const config::Register* catalogue)
{
    d.code = r.get("code");
    if (auto v = r.get("book"); !v.empty())
    {
        if (auto n = to_int(v, 1, 1000000))
            d.book = *n;
        else
            r.error("book", "\"" + v + "\" is not a book number (1 or more)");
    }
    if (auto v = r.get("row"); !v.empty())
    {
        if (auto n = to_int(v, 1, 100000000))
            d.row = *n;
        else
            r.error("row", "\"" + v + "\" is not a row number (1 or more)");
    }
    auto received = r.time("received_at");
    if (received)
        d.received_at = *received;
    else if (r.get("received_at").empty())
        r.error("received_at", "the receipt time is required");
    d.submitted_at = r.time("submitted_at");
    d.due_at = r.time("due_at");
    if (received && d.submitted_at && to_minutes(*d.submitted_at) > to_minutes(*received))
        r.error("submitted_at", "the submission time is after the receipt time");
    if (received && d.due_at && to_minutes(*d.due_at) < to_minutes(*received))
        r.error("due_at", "the due time is before the receipt time");

    d.procedure_code = r.get("procedure_code");
    d.procedure_name = r.get("procedure_name");
    d.field = r.get("field");
    d.deciding_agency = r.get("deciding_agency");
    if (d.procedure_code.empty())
        r.error("procedure_code", "the procedure code is required");
    else if (catalogue && received)
    {
        const auto* p = catalogue->procedure(d.procedure_code, received->date);
        if (!p)
            r.error("procedure_code", "procedure " + d.procedure_code + " is not in the catalogue on " +
                                          format_date(received->date));
        else
        {
            if (d.procedure_name.empty())
                d.procedure_name = p->name;
            if (d.field.empty())
                d.field = p->field;
            if (d.deciding_agency.empty())
                d.deciding_agency = p->deciding_agency;
            d.processing_days = p->days;
            d.processing_hours = p->hours;
            d.same_day = p->same_day;
        }
    }

    if (auto v = r.get("sets"); !v.empty())
    {
        if (auto n = to_int(v, 1, 99))
            d.sets = *n;
        else
            r.error("sets", "\"" + v + "\" is not a number of sets 1..99");
    }
    d.applicant.name = r.get("applicant_name");
    if (d.applicant.name.empty())
        r.error("applicant_name", "the applicant's name is required");
    d.applicant.address = r.get("applicant_address");
    d.applicant.phone = r.get("applicant_phone");
    if (!d.applicant.phone.empty() && !valid_phone(d.applicant.phone))
        r.error("applicant_phone", "\"" + d.applicant.phone + "\" is not a phone number (8 to 15 digits)");
    d.applicant.id_number = r.get("applicant_id");
    if (!d.applicant.id_number.empty() && !valid_id_number(d.applicant.id_number))
        r.error("applicant_id", "\"" + d.applicant.id_number + "\" is not an ID number (12 digits, or 9 for an old CMND)");
    d.applicant.email = r.get("applicant_email");
    d.receiving_unit = r.get("receiving_unit");
    d.officer = r.get("officer");

    auto channel = r.get("channel");
    if (auto c = channel_from(channel))
        d.channel = *c;
    else
        r.error("channel", "\"" + channel + "\" is not a channel: 1 (direct), 2 (online) or 3 (postal)");
    if (auto v = r.get("delivery"); !v.empty())
    {
        if (auto dl = delivery_from(v))
            d.delivery = *dl;
        else
            r.error("delivery", "\"" + v + "\" is not a delivery: desk, post or online");
    }
    d.waybill = r.get("waybill");
    if (!d.waybill.empty() && d.delivery != Delivery::post)
        r.error("waybill", "a waybill is given but the delivery is not post");
    if (auto v = r.get("status"); !v.empty())
    {
        auto n = to_int(v, 1, 10);
        if (n)
            d.status = *status_from_code(*n);
        else
            r.error("status", "\"" + v + "\" is not a status code 1..10");
    }
    else
        d.status = Status::received;
    d.notes = r.get("notes");

    if (!d.code.empty())
    {
        auto code = parse_code(d.code);
        if (!code)
            r.error("code", code.error().message);
        else if (received && code->date != received->date)
            r.error("code", "dossier code " + d.code + " carries the date " + format_date(code->date) +
                                " but the receipt date is " + format_date(received->date));
    }
}

} // namespace

std::string ImportError::str() const
{
    return "line " + std::to_string(line) + (column.empty() ? std::string() : ", column " + column) + ": " + message;
}

const std::vector<std::string>& import_columns()
{
    static const std::vector<std::string> columns = {
        "received_at",       "procedure_code",  "applicant_name", "channel",        "code",
        "book",              "row",             "submitted_at",   "due_at",         "procedure_name",
        "field",             "sets",            "applicant_address", "applicant_phone", "applicant_id",
        "applicant_email",   "receiving_unit",  "deciding_agency", "officer",       "delivery",
        "waybill",           "status",          "notes"};
    return columns;
}

ImportResult parse_import(std::string_view csv_text, const config::Register* catalogue)
{
    ImportResult result;
    auto records = csv::parse(csv_text);
    if (!records)
    {
        // The message starts with "line N: ".
        auto& msg = records.error().message;
        int line = 0;
        if (msg.starts_with("line "))
            line = to_int(std::string_view(msg).substr(5, msg.find(':') - 5), 0, 1 << 30).value_or(0);
        result.errors.push_back(ImportError{line, "", msg.substr(msg.find(": ") + 2)});
        return result;
    }
    if (records->empty())
    {
        result.errors.push_back(ImportError{1, "", "the file is empty: the first line must name the columns"});
        return result;
    }
    const auto& header = records->front();
    const auto& known = import_columns();
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < header.fields.size(); ++i)
    {
        auto name = trim(header.fields[i]);
        if (std::find(known.begin(), known.end(), name) == known.end())
            result.errors.push_back(ImportError{header.line, name, "unknown column \"" + name + "\""});
        else if (!columns.emplace(name, i).second)
            result.errors.push_back(ImportError{header.line, name, "column \"" + name + "\" appears twice"});
    }
    for (const auto& req : required_columns)
        if (!columns.contains(req))
            result.errors.push_back(ImportError{header.line, req, "required column \"" + req + "\" is missing"});
    if (!result.errors.empty())
        return result;

    std::map<std::string, int> codes; // code -> line
    std::vector<Dossier> dossiers;
    dossiers.reserve(records->size() - 1);
    for (std::size_t i = 1; i < records->size(); ++i)
    {
        const auto& rec = (*records)[i];
        if (rec.fields.size() != header.fields.size())
        {
            result.errors.push_back(ImportError{rec.line, "", "the record has " + std::to_string(rec.fields.size()) +
                                                                  " fields; the header names " +
                                                                  std::to_string(header.fields.size())});
            continue;
        }
        RowReader reader(columns, rec, result.errors);
        Dossier d;
        read_row(reader, d, catalogue);
        if (!d.code.empty())
            if (auto [it, fresh] = codes.emplace(d.code, rec.line); !fresh)
                reader.error("code", "dossier code " + d.code + " already appears on line " + std::to_string(it->second));
        dossiers.push_back(std::move(d));
    }
    if (result.errors.empty())
        result.dossiers = std::move(dossiers);
    return result;
}

std::string format_form_time(LocalDateTime t)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d %02u/%02u/%04d", t.time.minutes / 60, t.time.minutes % 60,
                  static_cast<unsigned>(t.date.day()), static_cast<unsigned>(t.date.month()),
                  static_cast<int>(t.date.year()));
    return buf;
}

std::string format_register_csv(const std::vector<Dossier>& dossiers, const ExportOptions& options)
{
    auto opt = [](const std::optional<LocalDateTime>& t) { return t ? format_form_time(*t) : std::string(); };
    std::string out = options.bom ? "\xEF\xBB\xBF" : "";
    out += csv::record({"STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số bộ hồ sơ", "Tên tổ chức, cá nhân",
                        "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
                        "Chuyển hồ sơ đến cơ quan giải quyết", "Nhận kết quả từ cơ quan giải quyết",
                        "Trả kết quả cho tổ chức, cá nhân", "Phương thức nhận kết quả", "Ký nhận", "Ghi chú"});
    int index = 0;
    for (const auto& d : dossiers)
    {
        ++index;
        std::string contact = d.applicant.address;
        if (!d.applicant.phone.empty())
            contact += (contact.empty() ? "" : "; ") + d.applicant.phone;
        std::string delivery;
        switch (d.delivery)
        {
        case Delivery::desk: delivery = "Tại Bộ phận Một cửa"; break;
        case Delivery::post:
            delivery = "Qua dịch vụ bưu chính công ích";
            if (!d.waybill.empty())
                delivery += " (vận đơn " + d.waybill + ")";
            break;
        case Delivery::online: delivery = "Trực tuyến"; break;
        }
        std::string notes = d.notes;
        for (const auto& a : d.apologies)
            notes += (notes.empty() ? "" : "; ") + std::string("Xin lỗi, hẹn lại ") + format_form_time(a.new_due);
        out += csv::record({std::to_string(d.row ? d.row : index), d.code, d.procedure_name, std::to_string(d.sets),
                            d.applicant.name, contact, d.deciding_agency, format_form_time(d.received_at),
                            opt(d.due_at), opt(d.transferred_at), opt(d.result_at), opt(d.returned_at), delivery, "",
                            notes});
    }
    return out;
}

} // namespace motcua::dossier
