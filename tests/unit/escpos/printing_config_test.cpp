// [[printer]], [[kiosk]], [ticket] and the profile files, through the real config loader.

#include "config/load.hpp"
#include "helpers.hpp"

#include <gtest/gtest.h>

namespace motcua::config
{
namespace
{

const std::string core = R"(
[office]
name = "UBND xã Yên Sở"
unit_code = "000.17.22.H56"

[[service]]
id = "TP"
number = 1
name = "Tư pháp – Hộ tịch"
first = 1
last = 999
)";

LoadResult load(const std::string& extra)
{
    return load_string(core + extra, "office.toml", {test::source_dir() + "/config"});
}

TEST(PrintingConfig, ValidPrintersKiosksAndTicket)
{
    auto r = load(R"(
[[printer]]
name = "kiosk-1"
profile = "epson-tm-t20"
transport = "serial"
device = "/dev/ttyUSB0"
baud = 9600
parity = "none"
flow = "rtscts"
write_timeout_ms = 3000

[[printer]]
name = "lobby"
profile = "raster-only"
transport = "tcp"
host = "192.168.1.50"

[[printer]]
name = "usb"
profile = "xprinter-r200"
transport = "usb"
device = "/dev/usb/lp0"

[[kiosk]]
id = "k1"
printer = "kiosk-1"
fallback_printer = "lobby"
services = ["TP"]

[ticket]
number_size = 5
qr_url = "https://dvc.example.vn/t/{ticket_id}"
footer = ["Xin cảm ơn!"]
)");
    ASSERT_TRUE(r.diags.ok()) << r.diags.str();
    const auto& p = r.config->printing;
    ASSERT_EQ(p.printers.size(), 3u);
    EXPECT_EQ(p.printers[0].transport.baud, 9600);
    EXPECT_EQ(p.printers[0].transport.flow, FlowControl::rtscts);
    EXPECT_EQ(p.printers[0].profile.tcvn_lower_table, 30);
    EXPECT_TRUE(p.printers[0].profile.asb);
    EXPECT_EQ(p.printers[1].transport.port, 9100);
    EXPECT_EQ(p.printers[1].profile.encoding, escpos::Encoding::raster);
    EXPECT_EQ(p.printers[2].profile.tcvn_upper_table, -1);
    EXPECT_EQ(p.kiosk("k1")->fallback_printer, "lobby");
    EXPECT_EQ(p.ticket.number_size, 5);
    EXPECT_EQ(p.ticket.office_name, "UBND xã Yên Sở");
}

TEST(PrintingConfig, ErrorsCarryLineAndColumn)
{
    auto r = load(R"(
[[printer]]
name = "kiosk-1"
profile = "no-such-model"
transport = "serial"
device = "/dev/ttyUSB0"
baud = 9601
host = "x"

[[kiosk]]
id = "k1"
printer = "kiosk-9"
services = ["XX"]

[ticket]
qr_url = "https://dvc.example.vn/t/"
)");
    ASSERT_FALSE(r.diags.ok());
    const auto text = r.diags.str();
    EXPECT_NE(text.find("office.toml:15:11: unknown printer profile \"no-such-model\""), std::string::npos) << text;
    EXPECT_NE(text.find("office.toml:18:8: printer kiosk-1: baud 9601 is not a standard rate"), std::string::npos) << text;
    EXPECT_NE(text.find("office.toml:19:8: printer kiosk-1: 'host' applies only"), std::string::npos) << text;
    EXPECT_NE(text.find("office.toml:23:11: kiosk k1 names unknown printer \"kiosk-9\""), std::string::npos) << text;
    EXPECT_NE(text.find("kiosk k1 names unknown service \"XX\""), std::string::npos) << text;
    EXPECT_NE(text.find("ticket.qr_url must contain {ticket_id}"), std::string::npos) << text;
}

TEST(PrintingConfig, EveryShippedProfileLoads)
{
    for (const char* name : {"epson-tm-t20", "generic-58mm-cp1258", "xprinter-r200", "raster-only"})
    {
        auto p = test::load_profile(name);
        EXPECT_EQ(p.name, name);
        EXPECT_FALSE(p.description.empty());
    }
}

} // namespace
} // namespace motcua::config
