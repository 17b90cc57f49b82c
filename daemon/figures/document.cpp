#include "figures/document.hpp"

#include "util/time.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace motcua::figures
{

namespace
{

constexpr std::array<std::string_view, 7> groupings = {"none", "field", "procedure", "officer", "counter", "service",
                                                       "hour"};

Error bad(const std::string& message) { return Error{"bad_report", message}; }

bool is_section(const json& answer, const char* name)
{
    auto it = answer.find(name);
    return it != answer.end() && it->is_object() && it->contains("total") && it->at("total").is_object() &&
           it->contains("rows") && it->at("rows").is_array();
}

std::string text_of(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number_of(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

// The label of a group's row: the header of the first column, and each key as shown.
std::string group_header(std::string_view by)
{
    if (by == "field")
        return "Lĩnh vực";
    if (by == "procedure")
        return "Thủ tục hành chính";
    if (by == "officer")
        return "Cán bộ";
    if (by == "counter")
        return "Quầy";
    if (by == "service")
        return "Dịch vụ";
    if (by == "hour")
        return "Giờ trong ngày";
    return "Đơn vị";
}

std::string key_label(std::string_view by, const std::string& key)
{
    if (key.empty())
        return "(chưa xác định)";
    if (by == "counter")
        return "Quầy " + key;
    if (by == "hour")
        return key + ":00–" + key + ":59";
    return key;
}

constexpr const char* total_label = "Tổng cộng";

// One row per group, then the total: `cells(counts)` gives the figures after the label.
template <class Cells>
std::vector<std::vector<Cell>> rows_of(const json& section, std::string_view by, bool numbered, Cells cells)
{
    std::vector<std::vector<Cell>> rows;
    int n = 0;
    for (const auto& row : section.at("rows"))
    {
        std::vector<Cell> r;
        if (numbered)
            r.emplace_back(std::to_string(++n));
        r.emplace_back(key_label(by, text_of(row, "key")));
        for (double v : cells(row))
            r.emplace_back(v);
        rows.push_back(std::move(r));
    }
    std::vector<Cell> total;
    if (numbered)
        total.emplace_back(std::string());
    total.emplace_back(std::string(total_label));
    for (double v : cells(section.at("total")))
        total.emplace_back(v);
    rows.push_back(std::move(total));
    return rows;
}

Table form_ii06a(const json& answer, std::string_view by)
{
    Table t;
    t.sheet = "Mẫu II.06a";
    t.title = "Tình hình, kết quả giải quyết thủ tục hành chính (Mẫu II.06a/VPCP/KSTT)";
    t.numbered = true;
    const std::string received = "Số hồ sơ nhận giải quyết";
    const std::string resolved = "Số hồ sơ đã giải quyết";
    const std::string open = "Số hồ sơ đang giải quyết";
    t.columns = {{"", "STT", Kind::text},
                 {"", by == "none" || by == "field" ? "Lĩnh vực giải quyết" : group_header(by), Kind::text},
                 {received, "Tổng số"},
                 {received, "Số kỳ trước chuyển qua"},
                 {received, "Số mới tiếp nhận trực tuyến"},
                 {received, "Số mới tiếp nhận trực tiếp và qua dịch vụ bưu chính"},
                 {resolved, "Tổng số"},
                 {resolved, "Trả trước hạn"},
                 {resolved, "Trả đúng hạn"},
                 {resolved, "Trả quá hạn"},
                 {open, "Tổng số"},
                 {open, "Trong hạn"},
                 {open, "Quá hạn"}};
    t.rows = rows_of(answer.at("dossiers"), by, true, [](const json& c) {
        return std::vector<double>{number_of(c, "received_total"), number_of(c, "carried_over"),
                                   number_of(c, "received_online"), number_of(c, "received_direct_postal"),
                                   number_of(c, "resolved"),       number_of(c, "early"),
                                   number_of(c, "on_time"),        number_of(c, "late"),
                                   number_of(c, "in_progress"),    number_of(c, "within_due"),
                                   number_of(c, "over_due")};
    });
    return t;
}

Table rates(const json& answer, std::string_view by)
{
    Table t;
    t.sheet = "Tỷ lệ đúng hạn";
    t.title = "Tỷ lệ giải quyết đúng hạn, theo QĐ 766 và tỷ lệ trực tuyến";
    const std::string closed = "Kết thúc không có kết quả";
    const std::string online = "Chỉ tiêu QĐ 766 (hồ sơ tiếp nhận trong kỳ)";
    t.columns = {{"", group_header(by), Kind::text},
                 {"", "Hồ sơ tiếp nhận trong kỳ"},
                 {"", "Tiếp nhận trực tuyến"},
                 {"", "Tỷ lệ trực tuyến", Kind::percent},
                 {"", "Hồ sơ đã giải quyết"},
                 {"", "Trước hạn và đúng hạn"},
                 {"", "Tỷ lệ đúng hạn", Kind::percent},
                 {"", "Tỷ lệ đúng hạn theo QĐ 766", Kind::percent},
                 {closed, "Từ chối"},
                 {closed, "Rút hồ sơ"},
                 {closed, "Dừng xử lý"},
                 {"", "Thư xin lỗi (Mẫu 04)"},
                 {"", "Quá hạn bổ sung"},
                 {online, "Trực tuyến toàn trình"},
                 {online, "Trực tuyến một phần"},
                 {online, "Thanh toán trực tuyến", Kind::percent},
                 {online, "Số hóa khi tiếp nhận", Kind::percent},
                 {online, "Trả kết quả điện tử", Kind::percent}};
    t.rows = rows_of(answer.at("dossiers"), by, false, [](const json& c) {
        return std::vector<double>{number_of(c, "received"),
                                   number_of(c, "received_online"),
                                   number_of(c, "online_share"),
                                   number_of(c, "resolved"),
                                   number_of(c, "early") + number_of(c, "on_time"),
                                   number_of(c, "on_time_rate"),
                                   number_of(c, "qd766_rate"),
                                   number_of(c, "refused"),
                                   number_of(c, "withdrawn"),
                                   number_of(c, "stopped"),
                                   number_of(c, "apologies"),
                                   number_of(c, "supplement_lapsed"),
                                   number_of(c, "online_full"),
                                   number_of(c, "online_partial"),
                                   number_of(c, "paid_online_share"),
                                   number_of(c, "digitised_share"),
                                   number_of(c, "result_electronic_share")};
    });
    return t;
}

Table satisfaction(const json& answer, std::string_view by, std::string sheet, std::string title)
{
    Table t;
    t.sheet = std::move(sheet);
    t.title = std::move(title);
    t.columns = {{"", group_header(by), Kind::text},
                 {"", "Lượt đánh giá"},
                 {"", "Rất hài lòng"},
                 {"", "Hài lòng"},
                 {"", "Không hài lòng"},
                 {"", "Qua điện thoại"},
                 {"", "Tỷ lệ hài lòng", Kind::percent}};
    t.rows = rows_of(answer.at("satisfaction"), by, false, [](const json& c) {
        return std::vector<double>{number_of(c, "votes"),        number_of(c, "very_satisfied"),
                                   number_of(c, "satisfied"),    number_of(c, "dissatisfied"),
                                   number_of(c, "from_phone"),   number_of(c, "satisfied_share")};
    });
    return t;
}

double minutes(const json& counts, const char* stats, const char* key)
{
    auto it = counts.find(stats);
    return it != counts.end() && it->is_object() ? number_of(*it, key) / 60.0 : 0.0;
}

Table queue(const json& answer, std::string_view by, std::string sheet, std::string title)
{
    Table t;
    t.sheet = std::move(sheet);
    t.title = std::move(title);
    const std::string wait = "Thời gian chờ (phút)";
    const std::string service = "Thời gian phục vụ (phút)";
    t.columns = {{"", group_header(by), Kind::text},
                 {"", "Số phiếu đã cấp"},
                 {"", "Đã phục vụ"},
                 {"", "Vắng mặt"},
                 {wait, "Trung bình", Kind::minutes},
                 {wait, "90 % không quá", Kind::minutes},
                 {service, "Trung bình", Kind::minutes},
                 {service, "90 % không quá", Kind::minutes}};
    t.rows = rows_of(answer.at("queue"), by, false, [](const json& c) {
        return std::vector<double>{number_of(c, "issued"),          number_of(c, "served"),
                                   number_of(c, "no_show"),         minutes(c, "wait", "mean_s"),
                                   minutes(c, "wait", "p90_s"),     minutes(c, "service", "mean_s"),
                                   minutes(c, "service", "p90_s")};
    });
    return t;
}

std::string day_month_year(const std::string& iso) // 2026-11-30 -> 30/11/2026
{
    if (iso.size() != 10)
        return iso;
    return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

} // namespace

Result<Reports> Reports::from(std::vector<json> answers)
{
    if (answers.empty())
        return bad("no report answer to render");
    Reports r;
    for (std::size_t i = 0; i < answers.size(); ++i)
    {
        const auto& a = answers[i];
        const std::string where = "report answer " + std::to_string(i + 1);
        if (!a.is_object())
            return bad(where + " is not an object");
        for (const char* key : {"from", "to", "by", "office"})
            if (!a.contains(key) || !a.at(key).is_string())
                return bad(where + " has no \"" + key + "\" string");
        for (const char* section : {"queue", "dossiers", "satisfaction"})
            if (!is_section(a, section))
                return bad(where + " has no \"" + section + "\" section with \"total\" and \"rows\"");
        const auto by = a.at("by").get<std::string>();
        bool known = false;
        for (auto g : groupings)
            known = known || g == by;
        if (!known)
            return bad(where + " is grouped by an unknown \"" + by + "\"");
        if (i == 0)
        {
            r.from_ = a.at("from").get<std::string>();
            r.to_ = a.at("to").get<std::string>();
            r.office_ = a.at("office").get<std::string>();
        }
        else if (a.at("from") != r.from_ || a.at("to") != r.to_ || a.at("office") != r.office_)
            return bad(where + " is for another period or office than the first");
    }
    r.answers_ = std::move(answers);
    return r;
}

const json* Reports::by(std::string_view by) const
{
    for (const auto& a : answers_)
        if (a.at("by").get_ref<const std::string&>() == by)
            return &a;
    return nullptr;
}

std::vector<std::string> groupings_for_document(std::string_view dossier_by)
{
    std::vector<std::string> out{std::string(dossier_by)};
    for (const char* g : {"field", "officer", "counter", "service", "hour"})
        if (g != dossier_by)
            out.emplace_back(g);
    return out;
}

Document document(const Reports& reports, std::string_view dossier_by)
{
    Document d{reports.office(), reports.from_date(), reports.to_date(), {}};
    if (const auto* a = reports.by(dossier_by))
    {
        d.tables.push_back(form_ii06a(*a, dossier_by));
        d.tables.push_back(rates(*a, dossier_by));
    }
    if (const auto* a = reports.by("field"))
        d.tables.push_back(satisfaction(*a, "field", "Hài lòng theo lĩnh vực", "Mức độ hài lòng theo lĩnh vực"));
    if (const auto* a = reports.by("officer"))
        d.tables.push_back(satisfaction(*a, "officer", "Hài lòng theo cán bộ", "Mức độ hài lòng theo cán bộ"));
    if (const auto* a = reports.by("counter"))
        d.tables.push_back(satisfaction(*a, "counter", "Hài lòng theo quầy", "Mức độ hài lòng theo quầy"));
    if (const auto* a = reports.by("service"))
        d.tables.push_back(queue(*a, "service", "Hàng đợi theo dịch vụ", "Lấy số và thời gian chờ theo dịch vụ"));
    if (const auto* a = reports.by("hour"))
        d.tables.push_back(queue(*a, "hour", "Hàng đợi theo giờ", "Lấy số và thời gian chờ theo giờ trong ngày"));
    return d;
}

std::string period_line(const std::string& from, const std::string& to)
{
    return "Kỳ báo cáo: từ ngày " + day_month_year(from) + " đến ngày " + day_month_year(to);
}

std::string file_stem(const std::string& from, const std::string& to)
{
    auto f = parse_date(from);
    auto t = parse_date(to);
    if (f && t && f->day() == std::chrono::day{1})
    {
        const auto last = std::chrono::year_month_day_last{f->year(), std::chrono::month_day_last{f->month()}};
        if (*t == std::chrono::year_month_day{last})
            return "bao-cao-" + from.substr(0, 7);
        if (f->month() == std::chrono::January && t->month() == std::chrono::December && t->day() == std::chrono::day{31} &&
            t->year() == f->year())
            return "bao-cao-" + from.substr(0, 4);
    }
    return "bao-cao-" + from + "-den-" + to;
}

std::string decimal_vi(double value, int decimals)
{
    if (!std::isfinite(value))
        return "—";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    std::string s = buf;
    for (auto& c : s)
        if (c == '.')
            c = ',';
    return s;
}

} // namespace motcua::figures
