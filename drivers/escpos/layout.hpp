#pragma once

// The ticket template ([ticket] in the config) and what one ticket says, as plain data.

#include <string>
#include <vector>

namespace motcua::escpos
{

struct TicketLayout
{
    std::string office_name;         // printed on top, bold and centred
    int number_size = 4;             // character size of the number, 1..8 (GS ! w/h)
    bool show_waiting = true;        // "Số người chờ trước: N"
    bool show_time = true;           // "Giờ lấy số: 2025-07-01 07:30"
    std::string qr_url;              // "https://dvc.example.vn/t/{ticket_id}"; empty: no QR (unless
                                     // the ticket carries its phone link, TicketData::status_url)
    int qr_module = 6;               // QR module size in dots, 1..16
    std::vector<std::string> footer; // footer lines, centred
};

// One ticket's facts, already formatted: the encoder reads no clock.
struct TicketData
{
    std::string ticket_id;    // for the QR URL: "20250701-TP-012"
    std::string number;       // "TP-012"
    std::string service_name; // "Tư pháp – Hộ tịch"
    std::string priority;     // "Người cao tuổi", empty for none
    int waiting_ahead = -1;   // negative: not shown
    std::string issued_at;    // "2025-07-01 07:30"
    std::string status_url;   // the phone link (with [web]): the QR holds it instead of qr_url's
};

} // namespace motcua::escpos
