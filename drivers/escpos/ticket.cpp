#include "escpos/ticket.hpp"

#include "escpos/code_tables.hpp"
#include "escpos/encoder.hpp"
#include "escpos/text.hpp"

namespace motcua::escpos
{

std::string expand_qr_url(const std::string& url_template, const std::string& ticket_id)
{
    static const std::string key = "{ticket_id}";
    std::string out = url_template;
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + ticket_id.size()))
        out.replace(pos, key.size(), ticket_id);
    return out;
}

std::vector<std::uint8_t> render_ticket(const Profile& profile, const TicketLayout& layout,
                                        const TicketData& ticket, const Font* font)
{
    Encoder e{profile, font};
    const Style centre{Align::center, false, 1, 1};
    const Style centre_bold{Align::center, true, 1, 1};
    e.initialize();
    if (!layout.office_name.empty())
        e.line(layout.office_name, centre_bold);
    e.line(ticket.service_name, centre);
    if (!ticket.priority.empty())
        e.line("Ưu tiên: " + ticket.priority, centre_bold);
    e.feed(1);
    e.line(ticket.number, {Align::center, true, layout.number_size, layout.number_size});
    e.feed(1);
    if (layout.show_waiting && ticket.waiting_ahead >= 0)
        e.line("Số người chờ trước: " + std::to_string(ticket.waiting_ahead), centre);
    if (layout.show_time && !ticket.issued_at.empty())
        e.line("Giờ lấy số: " + ticket.issued_at, centre);
    if (!ticket.status_url.empty())
        e.qr(ticket.status_url, layout.qr_module);
    else if (!layout.qr_url.empty())
        e.qr(expand_qr_url(layout.qr_url, ticket.ticket_id), layout.qr_module);
    for (const auto& f : layout.footer)
        e.line(f, centre);
    e.cut();
    return e.take();
}

std::string describe_tables(const Profile& profile)
{
    switch (profile.encoding)
    {
    case Encoding::tcvn3:
        return "TCVN-3: ESC t " + std::to_string(profile.tcvn_lower_table) + " (lower case), ESC t " +
               std::to_string(profile.tcvn_upper_table) + " (capitals)";
    case Encoding::cp1258:
        return "CP1258: ESC t " + std::to_string(profile.cp1258_table);
    case Encoding::raster:
        return "raster (GS v 0), no code table";
    }
    return {};
}

std::vector<std::uint8_t> render_test_page(const Profile& profile, const Font* font)
{
    Encoder e{profile, font};
    e.initialize();
    e.line("motcua print test", {Align::center, true, 1, 1});
    e.line("Profile: " + profile.name);
    e.line(describe_tables(profile));
    e.line("Paper: " + std::to_string(profile.paper_dots) + " dots, " + std::to_string(profile.columns) +
           " columns");
    e.line("Chữ thường (lower case):");
    e.line(u32_to_utf8(vietnamese_lower_letters()));
    e.line("CHỮ HOA (capitals):");
    e.line(u32_to_utf8(vietnamese_upper_letters()));
    e.line("Tiếng Việt: Cộng hòa xã hội chủ nghĩa Việt Nam");
    e.cut();
    return e.take();
}

} // namespace motcua::escpos
