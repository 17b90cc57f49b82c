// motcua-bench-ticket-size [CONFIG_DIR]: the default ticket's size in bytes for every
// shipped profile, the time its encoding takes, and its time on the wire at 9600 and 19200
// baud (8N1: 10 bits per byte, the physical limit of the line).

#include "config/diagnostics.hpp"
#include "config/printers_model.hpp"
#include "escpos/ticket.hpp"

#include <chrono>
#include <cstdio>
#include <string>

int main(int argc, char** argv)
{
    using namespace motcua;
    const std::string dir = argc > 1 ? argv[1] : std::string(MOTCUA_BENCH_SOURCE_DIR) + "/config";
    std::string error;
    auto font = escpos::Font::open(escpos::default_font_path, error);
    escpos::TicketLayout layout;
    layout.office_name = "Trung tâm Phục vụ hành chính công xã Yên Sở";
    layout.qr_url = "https://dichvucong.example.vn/t/{ticket_id}";
    layout.footer = {"Xin cảm ơn quý khách!", "Vui lòng chờ đến lượt."};
    escpos::TicketData t{"20250701-TP-012", "TP-012", "Tư pháp – Hộ tịch", "", 7, "2025-07-01 07:42", ""};

    std::printf("%-22s %8s %10s %12s %12s\n", "profile", "bytes", "encode_us", "wire_9600_ms", "wire_19200_ms");
    for (const char* name : {"epson-tm-t20", "generic-58mm-cp1258", "xprinter-r200", "raster-only"})
    {
        config::Diagnostics diags;
        auto p = config::load_printer_profile(dir + "/printers/" + name + ".toml", name, diags);
        if (!p)
        {
            std::fprintf(stderr, "%s", diags.str().c_str());
            return 1;
        }
        const int rounds = 200;
        std::size_t size = 0;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < rounds; ++i)
            size = escpos::render_ticket(*p, layout, t, font.get()).size();
        const auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / rounds;
        std::printf("%-22s %8zu %10.1f %12.0f %12.0f\n", name, size, us, size * 10 * 1000.0 / 9600,
                    size * 10 * 1000.0 / 19200);
    }
    std::printf("limit: a serial line at 9600 baud 8N1 carries 960 bytes/s; the text ticket goal is <= 1024 bytes (~1.07 s)\n");
    return 0;
}
