#include "dossier/forms_escpos.hpp"

#include "dossier/form_qr.hpp"
#include "escpos/encoder.hpp"
#include "escpos/text.hpp"

#include <algorithm>
#include <string>

namespace motcua::dossier
{

namespace
{

using escpos::Align;
using escpos::Style;

constexpr int qr_module_dots = 6;

// The QR as an image for a printer without GS ( k: each module a square of dots, with the
// standard quiet zone, never wider than the paper.
escpos::Bitmap qr_image(const QrMatrix& qr, int paper_dots)
{
    const int quiet = 4;
    const int side = qr.size + 2 * quiet;
    const int scale = std::max(1, std::min(qr_module_dots, paper_dots / side));
    escpos::Bitmap b(side * scale, side * scale);
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size; ++x)
            if (qr.dark(x, y))
                for (int dy = 0; dy < scale; ++dy)
                    for (int dx = 0; dx < scale; ++dx)
                        b.set((x + quiet) * scale + dx, (y + quiet) * scale + dy);
    return b;
}

} // namespace

std::vector<std::uint8_t> render_form_escpos(const Form& f, const escpos::Profile& profile, const escpos::Font* font)
{
    escpos::Encoder e{profile, font};
    const Style centre{Align::center, false, 1, 1};
    const Style centre_bold{Align::center, true, 1, 1};
    const Style bold{Align::left, true, 1, 1};
    const std::string rule(static_cast<std::size_t>(std::max(8, profile.columns)), '-');
    e.initialize();
    if (!f.office.authority.empty())
        e.line(f.office.authority, centre);
    e.line(f.office.name, centre_bold);
    e.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", centre_bold);
    e.line("Độc lập - Tự do - Hạnh phúc", centre);
    e.line(f.date_line, centre);
    e.feed(1);
    e.line(f.title, centre_bold);
    e.line("Mã hồ sơ: " + f.code, centre_bold);
    if (!e.qr(f.code, qr_module_dots))
        if (auto m = qr_matrix(f.code))
            e.image(qr_image(*m, profile.paper_dots), Align::center);
    e.line(rule);
    if (!f.addressee.empty())
        e.line(f.addressee, bold);
    for (const auto& p : f.intro)
        e.line(p);
    auto print_list = [&e](const FormList& l) {
        e.line(l.label + ":");
        int n = 0;
        for (const auto& item : l.items)
            e.line(std::to_string(++n) + ". " + item);
        if (l.items.empty())
            e.line("(không ghi)");
    };
    for (const auto& field : f.fields)
    {
        // "Label: value" when it fits a line; otherwise the label, then the value on its
        // own lines, so that a date is never split from its time.
        const auto text = field.label + ": " + field.value;
        const Style style{Align::left, field.strong, 1, 1};
        if (static_cast<int>(escpos::utf8_to_u32(text).size()) <= profile.columns)
            e.line(text, style);
        else
        {
            e.line(field.label + ":");
            e.line(field.value, style);
        }
        for (const auto& l : f.lists)
            if (l.after == field.key)
                print_list(l);
    }
    for (const auto& l : f.lists)
        if (l.after.empty() || !f.field(l.after))
            print_list(l);
    int n = 0;
    for (const auto& s : f.steps)
    {
        e.line(std::to_string(++n) + ". " + s.from + " -> " + s.to, bold);
        e.line("   Giao, nhận: " + s.handed);
        if (!s.deadline.empty())
            e.line("   Hạn của bước: " + s.deadline);
        e.line("   Hoàn thành: " + (s.finished.empty() ? std::string("chưa") : s.finished));
        if (!s.outcome.empty())
            e.line("   Kết quả: " + s.outcome);
    }
    for (const auto& p : f.closing)
        e.line(p);
    for (const auto& s : f.signatures)
    {
        e.feed(1);
        e.line(s.title, centre_bold);
        e.line("(Ký, ghi rõ họ tên)", centre);
        e.feed(3);
        if (!s.name.empty())
            e.line(s.name, centre);
    }
    e.line(rule);
    e.line(f.number + " - " + f.source, centre);
    e.cut();
    return e.take();
}

} // namespace motcua::dossier
