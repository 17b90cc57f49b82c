#include "figures/svg.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace motcua::figures
{

namespace
{

constexpr const char* font = "DejaVu Sans, Arial, sans-serif";
constexpr const char* ink = "#222222";
constexpr const char* grid = "#d0d0d0";

// Colours told apart also without colour vision: the legend and <desc> carry the meaning.
constexpr const char* blue = "#1f5fa8";
constexpr const char* orange = "#e07b00";
constexpr const char* green_dark = "#1b7a3a";
constexpr const char* green_light = "#8cc98f";
constexpr const char* red = "#c0392b";

std::string num(double v) // coordinates: at most one decimal, a point
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    std::string s = buf;
    if (s.size() > 2 && s.ends_with(".0"))
        s.resize(s.size() - 2);
    return s;
}

std::string percent_vi(double share) { return decimal_vi(share * 100.0) + " %"; }
std::string minutes_vi(double minutes) { return decimal_vi(minutes) + " phút"; }

// Code points of UTF-8 `s`.
std::size_t length(std::string_view s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

// At most `max` code points, "…" marking a cut (the full text stays in the <title>).
std::string shorten(std::string_view s, std::size_t max)
{
    if (length(s) <= max)
        return std::string(s);
    std::size_t n = 0, i = 0;
    for (; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > max - 1)
            break;
    return std::string(s.substr(0, i)) + "…";
}

double number_of(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

double seconds_of(const json& j, const char* stats, const char* key)
{
    auto it = j.find(stats);
    return it != j.end() && it->is_object() ? number_of(*it, key) : 0.0;
}

std::string label_of(std::string_view by, const json& row)
{
    auto it = row.find("key");
    std::string key = it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
    if (key.empty())
        return "(chưa xác định)";
    if (by == "counter")
        return "Quầy " + key;
    if (by == "hour")
        return key + " giờ";
    return key;
}

// The groups of a section, then the total when there is more than one group.
std::vector<std::pair<std::string, const json*>> groups(const json& section, std::string_view by)
{
    std::vector<std::pair<std::string, const json*>> out;
    for (const auto& row : section.at("rows"))
        out.emplace_back(label_of(by, row), &row);
    if (out.size() != 1)
        out.emplace_back("Tổng cộng", &section.at("total"));
    return out;
}

std::string by_words(std::string_view by)
{
    if (by == "field")
        return "theo lĩnh vực";
    if (by == "procedure")
        return "theo thủ tục";
    if (by == "officer")
        return "theo cán bộ";
    if (by == "counter")
        return "theo quầy";
    if (by == "service")
        return "theo dịch vụ";
    if (by == "hour")
        return "theo giờ trong ngày";
    return "toàn đơn vị";
}

struct Svg
{
    std::string body;
    void text(double x, double y, std::string_view s, const char* anchor = "start", int size = 12, bool bold = false,
              const char* fill = ink)
    {
        body += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + std::to_string(size) +
                "\" text-anchor=\"" + anchor + "\" fill=\"" + fill + "\"" + (bold ? " font-weight=\"bold\"" : "") +
                ">" + text::escape_markup(s) + "</text>\n";
    }
    void rect(double x, double y, double w, double h, const char* fill, std::string_view tip = {})
    {
        body += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 0.0)) + "\" height=\"" +
                num(h) + "\" fill=\"" + fill + "\"";
        if (tip.empty())
            body += "/>\n";
        else
            body += "><title>" + text::escape_markup(tip) + "</title></rect>\n";
    }
    void line(double x1, double y1, double x2, double y2, const char* stroke)
    {
        body += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
                "\" stroke=\"" + stroke + "\" stroke-width=\"1\"/>\n";
    }
    void legend(double x, double y, const std::vector<std::pair<const char*, std::string>>& items)
    {
        for (const auto& [colour, name] : items)
        {
            rect(x, y - 10, 12, 12, colour);
            text(x + 17, y, name);
            x += 30 + 7.0 * static_cast<double>(length(name));
        }
    }
    // The whole document: the title and description first, as screen readers expect.
    std::string finish(double width, double height, const std::string& title, const std::string& desc) const
    {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(width) + " " + num(height) +
               "\" width=\"" + num(width) + "\" height=\"" + num(height) +
               "\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" font-family=\"" + font + "\">\n" +
               "<title id=\"chart-title\">" + text::escape_markup(title) + "</title>\n<desc id=\"chart-desc\">" +
               text::escape_markup(desc) + "</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n" + body +
               "</svg>\n";
    }
};

std::string heading(const Reports& r, const std::string& what, std::string_view by)
{
    return what + " " + by_words(by) + ", " + r.office() + ", " + period_line(r.from_date(), r.to_date());
}

// The chart's heading on two lines: what is drawn, then the office and the period.
void draw_heading(Svg& s, double width, const Reports& r, const std::string& what, std::string_view by)
{
    s.text(width / 2, 24, what + " " + by_words(by), "middle", 15, true);
    s.text(width / 2, 44, r.office() + " · " + period_line(r.from_date(), r.to_date()), "middle", 12);
}

constexpr double label_width = 270; // the group names left of horizontal bars
constexpr std::size_t label_chars = 36;

std::string on_time_chart(const Reports& r, const json& answer, std::string_view by)
{
    const auto rows = groups(answer.at("dossiers"), by);
    const double width = 860, plot = 480, top = 96, group_h = 46, bar_h = 15;
    const double height = top + group_h * static_cast<double>(rows.size()) + 44;
    const std::string what = "Tỷ lệ giải quyết hồ sơ đúng hạn";
    const auto title = heading(r, what, by);
    Svg s;
    draw_heading(s, width, r, what, by);
    s.legend(label_width, 72, {{blue, "Đúng hạn (trước hạn và đúng hạn / đã giải quyết)"}, {orange, "Theo QĐ 766"}});
    const double bottom = top + group_h * static_cast<double>(rows.size());
    for (int tick = 0; tick <= 100; tick += 25)
    {
        const double x = label_width + plot * tick / 100.0;
        s.line(x, top - 6, x, bottom, grid);
        s.text(x, bottom + 18, std::to_string(tick) + " %", "middle", 11);
    }
    std::string desc = "Biểu đồ thanh ngang: với mỗi nhóm, tỷ lệ đúng hạn và tỷ lệ đúng hạn theo QĐ 766.";
    double y = top;
    for (const auto& [label, c] : rows)
    {
        const double on_time = number_of(*c, "on_time_rate"), qd766 = number_of(*c, "qd766_rate");
        const double resolved = number_of(*c, "resolved");
        const std::string figures = "đúng hạn " + percent_vi(on_time) + " của " + decimal_vi(resolved, 0) +
                                    " hồ sơ đã giải quyết, theo QĐ 766 " + percent_vi(qd766);
        desc += " " + label + ": " + figures + ".";
        s.text(label_width - 8, y + bar_h + 6, shorten(label, label_chars), "end", 12, label == "Tổng cộng");
        s.rect(label_width, y + 4, plot * std::clamp(on_time, 0.0, 1.0), bar_h, blue,
               label + ": đúng hạn " + percent_vi(on_time));
        s.text(label_width + plot * std::clamp(on_time, 0.0, 1.0) + 5, y + 4 + bar_h - 3, percent_vi(on_time), "start",
               11);
        s.rect(label_width, y + 6 + bar_h, plot * std::clamp(qd766, 0.0, 1.0), bar_h, orange,
               label + ": theo QĐ 766 " + percent_vi(qd766));
        s.text(label_width + plot * std::clamp(qd766, 0.0, 1.0) + 5, y + 6 + 2 * bar_h - 3, percent_vi(qd766), "start",
               11);
        y += group_h;
    }
    return s.finish(width, height, title, desc);
}

std::string satisfaction_chart(const Reports& r, const json& answer, std::string_view by)
{
    const auto rows = groups(answer.at("satisfaction"), by);
    const double width = 900, plot = 440, top = 96, row_h = 34, bar_h = 22;
    const double height = top + row_h * static_cast<double>(rows.size()) + 20;
    const std::string what = "Mức độ hài lòng";
    const auto title = heading(r, what, by);
    Svg s;
    draw_heading(s, width, r, what, by);
    s.legend(label_width, 72, {{green_dark, "Rất hài lòng"}, {green_light, "Hài lòng"}, {red, "Không hài lòng"}});
    std::string desc = "Biểu đồ thanh xếp chồng: với mỗi nhóm, phần lượt đánh giá rất hài lòng, hài lòng và không hài "
                       "lòng.";
    double y = top;
    for (const auto& [label, c] : rows)
    {
        const double votes = number_of(*c, "votes");
        s.text(label_width - 8, y + bar_h - 6, shorten(label, label_chars), "end", 12, label == "Tổng cộng");
        if (votes <= 0)
        {
            s.body += "<rect x=\"" + num(label_width) + "\" y=\"" + num(y) + "\" width=\"" + num(plot) +
                      "\" height=\"" + num(bar_h) + "\" fill=\"none\" stroke=\"" + grid + "\"/>\n";
            s.text(label_width + 8, y + bar_h - 6, "chưa có đánh giá", "start", 11);
            desc += " " + label + ": chưa có đánh giá.";
            y += row_h;
            continue;
        }
        struct Part
        {
            const char* key;
            const char* colour;
            const char* name;
            const char* text_fill;
        };
        const Part parts[] = {{"very_satisfied", green_dark, "rất hài lòng", "#ffffff"},
                              {"satisfied", green_light, "hài lòng", ink},
                              {"dissatisfied", red, "không hài lòng", "#ffffff"}};
        double x = label_width;
        desc += " " + label + ": " + decimal_vi(votes, 0) + " lượt;";
        for (const auto& p : parts)
        {
            const double n = number_of(*c, p.key);
            const double w = plot * n / votes;
            const auto share = percent_vi(n / votes);
            s.rect(x, y, w, bar_h, p.colour, label + ": " + p.name + " " + decimal_vi(n, 0) + " lượt (" + share + ")");
            if (w >= 44)
                s.text(x + w / 2, y + bar_h - 6, share, "middle", 11, false, p.text_fill);
            desc += " " + std::string(p.name) + " " + decimal_vi(n, 0) + " (" + share + ")";
            desc += p.key == std::string_view("dissatisfied") ? "." : ",";
            x += w;
        }
        s.text(label_width + plot + 8, y + bar_h - 6,
               decimal_vi(votes, 0) + " lượt, hài lòng " + percent_vi(number_of(*c, "satisfied_share")), "start", 11);
        y += row_h;
    }
    return s.finish(width, height, title, desc);
}

// The smallest 1, 2 or 5 × 10^k at or above `v` (at least 1).
double nice_ceiling(double v)
{
    if (!(v > 1))
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= v - 1e-9)
            return m * p;
    return 10 * p;
}

std::string queue_chart(const Reports& r, const json& answer, std::string_view by)
{
    const auto& section = answer.at("queue");
    std::vector<std::pair<std::string, const json*>> rows;
    for (const auto& row : section.at("rows"))
        rows.emplace_back(label_of(by, row), &row);
    if (rows.empty())
        rows.emplace_back("Tổng cộng", &section.at("total"));
    const double left = 64, top = 100, plot_h = 240, slot = by == "hour" ? 58 : 110, bar_w = by == "hour" ? 18 : 30;
    const double width = std::max(720.0, left + slot * static_cast<double>(rows.size()) + 30);
    const double height = top + plot_h + 60;
    double peak = 0;
    for (const auto& [label, c] : rows)
        peak = std::max({peak, seconds_of(*c, "wait", "mean_s") / 60.0, seconds_of(*c, "service", "mean_s") / 60.0});
    const double y_max = 4 * nice_ceiling(peak / 4); // four steps of a round size
    const std::string what = "Thời gian chờ và thời gian phục vụ trung bình";
    const auto title = heading(r, what, by);
    Svg s;
    draw_heading(s, width, r, what, by);
    s.legend(left, 72, {{blue, "Chờ trung bình (phút)"}, {orange, "Phục vụ trung bình (phút)"}});
    const double bottom = top + plot_h;
    for (int i = 0; i <= 4; ++i)
    {
        const double v = y_max * i / 4, y = bottom - plot_h * i / 4;
        s.line(left, y, width - 20, y, grid);
        s.text(left - 6, y + 4, decimal_vi(v, v == std::floor(v) ? 0 : 1), "end", 11);
    }
    s.text(14, top - 12, "phút", "start", 11);
    std::string desc = "Biểu đồ cột: với mỗi nhóm, thời gian chờ trung bình (từ lấy số đến khi được gọi) và thời gian "
                       "phục vụ trung bình, tính bằng phút.";
    double x = left + 10;
    for (const auto& [label, c] : rows)
    {
        const double wait = seconds_of(*c, "wait", "mean_s") / 60.0, service = seconds_of(*c, "service", "mean_s") / 60.0;
        const double issued = number_of(*c, "issued");
        const double hw = plot_h * wait / y_max, hs = plot_h * service / y_max;
        s.rect(x, bottom - hw, bar_w, hw, blue, label + ": chờ trung bình " + minutes_vi(wait));
        s.rect(x + bar_w + 2, bottom - hs, bar_w, hs, orange, label + ": phục vụ trung bình " + minutes_vi(service));
        s.text(x + bar_w + 1, bottom + 16, shorten(label, by == "hour" ? 8 : 14), "middle", 11);
        s.text(x + bar_w + 1, bottom + 31, decimal_vi(issued, 0) + " số", "middle", 10);
        desc += " " + label + ": " + decimal_vi(issued, 0) + " số đã cấp, chờ " + minutes_vi(wait) + ", phục vụ " +
                minutes_vi(service) + ".";
        x += slot;
    }
    s.line(left, bottom, width - 20, bottom, ink);
    return s.finish(width, height, title, desc);
}

} // namespace

const std::vector<ChartKind>& chart_kinds()
{
    static const std::vector<ChartKind> kinds{{"dossiers", "field", "dung-han", false},
                                              {"satisfaction", "field", "hai-long", false},
                                              {"hourly", "hour", "theo-gio", true}};
    return kinds;
}

const ChartKind* chart_kind(std::string_view name)
{
    for (const auto& k : chart_kinds())
        if (k.name == name)
            return &k;
    return nullptr;
}

Result<std::string> svg_chart(const Reports& reports, std::string_view name, std::string_view by)
{
    const auto* kind = chart_kind(name);
    if (!kind)
        return Error{"unknown_chart", "There is no chart \"" + std::string(name) + "\": dossiers, satisfaction or hourly."};
    if (by.empty())
        by = kind->default_by;
    if (kind->only_default && by != kind->default_by)
        return Error{"bad_report", "The chart " + std::string(name) + " is drawn by " + std::string(kind->default_by) + " only."};
    const auto* answer = reports.by(by);
    if (!answer)
        return Error{"bad_report", "No report grouped by " + std::string(by) + " to draw the chart from."};
    if (name == "dossiers")
        return on_time_chart(reports, *answer, by);
    if (name == "satisfaction")
        return satisfaction_chart(reports, *answer, by);
    return queue_chart(reports, *answer, by);
}


} // namespace motcua::figures
