#include "dossier/import_export.hpp"

#include "dossier/code.hpp"
#include "dossier/csv.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
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
    // Free text: UTF-8, NFC, no control characters, at most `max` characters.
    std::string text(const std::string& column, std::size_t max, bool newlines = false) const
    {
        auto raw = get(column);
        auto clean = text::clean(raw, column, text::Limits{max, newlines});
        if (!clean)
        {
            error(column, clean.error().message);
            return raw;
        }
        return *clean;
    }
    std::optional<bool> flag(const std::string& column) const
    {
        auto v = get(column);
        if (v.empty() || v == "0" || v == "false" || v == "no")
            return false;
        if (v == "1" || v == "true" || v == "yes")
            return true;
        error(column, "\"" + v + "\" is not 0 or 1");
        return std::nullopt;
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

// A dossier handled elsewhere: its transfer, result, return or closing, each not before
// the receipt; the status follows from them when the status column leaves it open.
void read_lifecycle(const RowReader& r, Dossier& d, const std::optional<LocalDateTime>& received)
{
    const bool status_given = !r.get("status").empty();
    struct Step
    {
        const char* column;
        std::optional<LocalDateTime> Dossier::*member;
    };
    for (auto step : {Step{"transferred_at", &Dossier::transferred_at}, Step{"result_at", &Dossier::result_at},
                      Step{"returned_at", &Dossier::returned_at}, Step{"closed_at", &Dossier::closed_at}})
    {
        auto t = r.time(step.column);
        if (t && received && to_minutes(*t) < to_minutes(*received))
        {
            r.error(step.column, "the time is before the receipt time");
            continue;
        }
        d.*step.member = t;
    }
    d.close_reason = r.text("close_reason", 500);
    if (d.closed_at && (d.result_at || d.returned_at))
        r.error("closed_at", "a dossier with a result is not also refused, withdrawn or stopped");
    if (d.closed_at && status_given && !is_closed_status(d.status))
        r.error("closed_at", "closed_at is given but the status is not 3 (refused), 7 (withdrawn) or 8 (stopped)");
    if (!d.closed_at && status_given && is_closed_status(d.status))
        r.error("status", "status " + std::to_string(static_cast<int>(d.status)) +
                              " closes the dossier: give its closed_at time");
    if (!status_given)
    {
        if (d.closed_at)
            r.error("status", "closed_at is given: give the status 3 (refused), 7 (withdrawn) or 8 (stopped)");
        else if (d.returned_at)
            d.status = Status::returned;
        else if (d.result_at)
            d.status = Status::decided;
        else if (d.transferred_at)
            d.status = Status::processing;
    }
    if (d.transferred_at && !d.deciding_agency.empty())
        d.handoffs.push_back(Handoff{std::string(desk_name), d.deciding_agency, *d.transferred_at, std::nullopt,
                                     std::nullopt, {}});
}

void read_row(const RowReader& r, Dossier& d, const ImportOptions& options)
{
    const auto* catalogue = options.catalogue;
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
    if (received && options.now && to_minutes(*received) > to_minutes(*options.now) + 24 * 60)
        r.error("received_at", "the receipt time " + format_local_minute(*received) +
                                   " is more than a day in the future");

    d.procedure_code = r.get("procedure_code");
    d.procedure_name = r.text("procedure_name", 500);
    d.field = r.text("field", 200);
    d.deciding_agency = r.text("deciding_agency", 200);
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
            d.processing_days = p->days ? p->days : p->calendar_days;
            d.processing_hours = p->hours;
            d.same_day = p->same_day;
            if (!d.due_at && options.due && received)
            {
                auto due = due_for(*p, *received, *options.due);
                if (!due)
                    r.error("received_at", "cannot compute the due time: " + due.error().message);
                else
                    d.due_at = *due;
            }
        }
    }

    if (auto v = r.get("sets"); !v.empty())
    {
        if (auto n = to_int(v, 1, 99))
            d.sets = *n;
        else
            r.error("sets", "\"" + v + "\" is not a number of sets 1..99");
    }
    d.applicant.name = r.text("applicant_name", 200);
    if (d.applicant.name.empty())
        r.error("applicant_name", "the applicant's name is required");
    d.applicant.address = r.text("applicant_address", 300);
    d.applicant.phone = r.get("applicant_phone");
    if (!d.applicant.phone.empty() && !valid_phone(d.applicant.phone))
        r.error("applicant_phone", "\"" + d.applicant.phone + "\" is not a phone number (8 to 15 digits)");
    d.applicant.id_number = r.get("applicant_id");
    if (!d.applicant.id_number.empty() && !valid_id_number(d.applicant.id_number))
        r.error("applicant_id", "\"" + d.applicant.id_number + "\" is not an ID number (12 digits, or 9 for an old CMND)");
    d.applicant.email = r.text("applicant_email", 254);
    d.receiving_unit = r.text("receiving_unit", 200);
    if (d.receiving_unit.empty())
        d.receiving_unit = options.receiving_unit;
    d.officer = r.text("officer", 200);

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
    d.waybill = r.text("waybill", 64);
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
    d.notes = r.text("notes", 2000, true);
    // The receipt's documents, separated by ";", and its fee text: as recorded, never
    // filled in from today's catalogue (an old receipt listed what it listed).
    const auto documents = r.text("documents", 2000);
    for (std::string_view rest = documents; !rest.empty();)
    {
        auto cut = rest.find(';');
        auto doc = trim(rest.substr(0, cut));
        if (!doc.empty())
            d.documents.push_back(doc);
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
    }
    d.fee = r.text("fee", 200);
    read_lifecycle(r, d, received);
    if (auto v = r.get("online"); !v.empty())
    {
        if (auto o = online_from(v))
            d.online = *o;
        else
            r.error("online", "\"" + v + "\" is not an online submission: none, partial or full (0, 1, 2)");
    }
    d.online_payment = r.flag("online_payment").value_or(false);
    d.digitised = r.flag("digitised").value_or(false);
    d.result_electronic = r.flag("result_electronic").value_or(false);

    if (!d.code.empty())
    {
        auto code = parse_code(d.code);
        if (!code)
            r.error("code", code.error().message);
        else if (received)
        {
            // The code is dated when the dossier was first submitted: an online submission gets
            // its code on the portal, maybe the day before the desk receives it.
            const auto first = d.submitted_at ? d.submitted_at->date : received->date;
            const auto day = std::chrono::sys_days{code->date};
            if (day > std::chrono::sys_days{received->date})
                r.error("code", "dossier code " + d.code + " carries the date " + format_date(code->date) +
                                    ", after the receipt date " + format_date(received->date));
            else if (day < std::chrono::sys_days{first})
                r.error("code", "dossier code " + d.code + " carries the date " + format_date(code->date) +
                                    (d.submitted_at ? ", before the submission date " + format_date(first)
                                                    : ", before the receipt date " + format_date(first) +
                                                          ": give submitted_at when the code was given on submission"));
        }
    }
}

// The first byte that is not UTF-8, as "line N, column C" (C counts characters), with the
// hint the config check gives for files saved in a legacy Vietnamese encoding.
std::optional<ImportError> utf8_error(std::string_view text)
{
    std::size_t offset = 0;
    if (text::valid_utf8(text, &offset))
        return std::nullopt;
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i)
        if (text[i] == '\n')
        {
            ++line;
            line_start = i + 1;
        }
    int column = 1;
    for (std::size_t i = line_start; i < offset; ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++column;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[offset]));
    return ImportError{line, std::to_string(column),
                       std::string("byte ") + byte + " is not UTF-8 (save the file as UTF-8: Vietnamese text in a "
                                                     "legacy encoding such as TCVN3 or Windows-1258 is not accepted)"};
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
        "waybill",           "status",          "notes",          "transferred_at", "result_at",
        "returned_at",       "closed_at",       "close_reason",   "online",         "online_payment",
        "digitised",         "result_electronic", "documents",     "fee"};
    return columns;
}

ImportResult parse_import(std::string_view csv_text, const config::Register* catalogue)
{
    ImportOptions options;
    options.catalogue = catalogue;
    return parse_import(csv_text, options);
}

ImportResult parse_import(std::string_view csv_text, const ImportOptions& options)
{
    ImportResult result;
    if (auto bad = utf8_error(csv_text))
    {
        result.errors.push_back(*bad);
        return result;
    }
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
    std::vector<int> lines;
    lines.reserve(records->size());
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
        read_row(reader, d, options);
        if (!d.code.empty())
            if (auto [it, fresh] = codes.emplace(d.code, rec.line); !fresh)
                reader.error("code", "dossier code " + d.code + " already appears on line " + std::to_string(it->second));
        dossiers.push_back(std::move(d));
        lines.push_back(rec.line);
    }
    if (result.errors.empty())
    {
        result.dossiers = std::move(dossiers);
        result.lines = std::move(lines);
    }
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
