// Exact bytes out of the pure encoder, and the golden tickets in tests/golden/.

#include "escpos/code_tables.hpp"
#include "escpos/encoder.hpp"
#include "escpos/text.hpp"
#include "escpos/ticket.hpp"
#include "helpers.hpp"
#include "sim/escpos_decoder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace motcua::escpos
{
namespace
{

using Bytes = std::vector<std::uint8_t>;

Bytes encode_line(const Profile& p, std::string_view text)
{
    Encoder e{p, nullptr};
    e.line(text);
    return e.take();
}

TEST(Tables, TcvnLowerHas67LettersAndCapitalsMatch)
{
    EXPECT_EQ(vietnamese_lower_letters().size(), 67u);
    EXPECT_EQ(vietnamese_upper_letters().size(), 67u);
    EXPECT_EQ(tcvn3_lower_table().encode(U'ệ'), std::optional<std::uint8_t>(0xD6));
    EXPECT_EQ(tcvn3_upper_table().encode(U'Ệ'), std::optional<std::uint8_t>(0xD6));
    EXPECT_EQ(tcvn3_upper_table().encode(U'Đ'), std::optional<std::uint8_t>(0xA7));
    EXPECT_EQ(tcvn3_upper_table().encode(U'Ă'), std::optional<std::uint8_t>(0xA1));
    EXPECT_EQ(tcvn3_upper_table().encode(U'Ê'), std::optional<std::uint8_t>(0xAA));
    EXPECT_FALSE(tcvn3_upper_table().encode(U'\u00D0').has_value()); // Icelandic eth is not Đ
    EXPECT_EQ(cp1258_table().encode(U'Đ'), std::optional<std::uint8_t>(0xD0));
    EXPECT_EQ(cp1258_table().encode(U'\u0301'), std::optional<std::uint8_t>(0xEC));
}

TEST(Encoder, TcvnSelectsTablesOnlyWhenTheyChange)
{
    const auto p = test::load_profile("epson-tm-t20");
    EXPECT_EQ(encode_line(p, "Việt Nam"),
              (Bytes{'V', 'i', 0x1B, 't', 30, 0xD6, 't', ' ', 'N', 'a', 'm', 0x0A}));
    EXPECT_EQ(encode_line(p, "ĐÀ"), (Bytes{0x1B, 't', 31, 0xA7, 0xB5, 0x0A}));
    EXPECT_EQ(encode_line(p, "Đà"), (Bytes{0x1B, 't', 31, 0xA7, 0x1B, 't', 30, 0xB5, 0x0A}));
    EXPECT_EQ(encode_line(p, "Queue 12"), (Bytes{'Q', 'u', 'e', 'u', 'e', ' ', '1', '2', 0x0A}));
}

TEST(Encoder, TableSentAgainAfterInitializeAndImage)
{
    const auto p = test::load_profile("epson-tm-t20");
    Encoder e{p, nullptr};
    e.line("ệ").line("ệ").initialize().line("ệ");
    e.image(Bitmap(8, 1)).line("ệ");
    const Bytes expected{0x1B, 't', 30, 0xD6, 0x0A, 0xD6, 0x0A, 0x1B, '@', 0x1B, 't', 30, 0xD6, 0x0A,
                         0x1B, 'a', 1, 0x1D, 'v', '0', 0, 1, 0, 1, 0, 0x00, // 8x1 white image
                         0x1B, 'a', 0, 0x1B, 't', 30, 0xD6, 0x0A};
    EXPECT_EQ(e.bytes(), expected) << test::hex(e.bytes());
}

TEST(Encoder, CancelChineseAfterEveryInitialize)
{
    const auto p = test::load_profile("generic-58mm-cp1258");
    Encoder e{p, nullptr};
    e.initialize().initialize();
    EXPECT_EQ(e.bytes(), (Bytes{0x1B, '@', 0x1C, '.', 0x1B, '@', 0x1C, '.'}));
}

TEST(Encoder, NfdInputGivesTheSameBytesAsNfc)
{
    const auto p = test::load_profile("epson-tm-t20");
    EXPECT_EQ(encode_line(p, "Vie\u0302\u0323t Nam"), encode_line(p, "Việt Nam"));
    EXPECT_EQ(encode_line(p, "NGUYE\u0302\u0303N"), encode_line(p, "NGUYỄN"));
}

TEST(Encoder, ControlCharactersInUserTextAreDropped)
{
    const auto p = test::load_profile("epson-tm-t20");
    // ESC @, GS V, NUL, DLE EOT, C1 CSI, DEL: none of them may reach the wire from a name.
    const std::string name = "Nguy\x1B@\x1DV\x01\x10\x04ễn\xC2\x9B\x7FVăn";
    auto bytes = encode_line(p, name);
    for (std::size_t i = 0; i < bytes.size(); ++i)
    {
        if (bytes[i] == 0x1B) // the encoder's own table selection, ESC t 30
        {
            ASSERT_LT(i + 2, bytes.size());
            EXPECT_EQ(bytes[i + 1], 't');
            i += 2;
            continue;
        }
        EXPECT_TRUE(bytes[i] >= 0x20 || bytes[i] == 0x0A) << test::hex(bytes);
    }
    EXPECT_EQ(std::count(bytes.begin(), bytes.end(), 0x1B), 1);
    sim::EscposDecoder d;
    d.feed(bytes);
    EXPECT_EQ(d.pending().text, "Nguy@Vễn" "Văn\n");
    EXPECT_TRUE(d.pending().problems.empty());
}

TEST(Encoder, AsciiFallbackIsDocumentedAndNeverAWrongByte)
{
    const auto p = test::load_profile("epson-tm-t20");
    Encoder e{p, nullptr};
    e.line("a – b … “c” ‘d’ 中 ç");
    EXPECT_EQ(e.bytes(), (Bytes{'a', ' ', '-', ' ', 'b', ' ', '.', '.', '.', ' ', '"', 'c', '"', ' ', '\'', 'd',
                                '\'', ' ', '?', ' ', 'c', 0x0A}));
    EXPECT_EQ(e.fallbacks(), 8);
}

TEST(Encoder, Cp1258UsesPrecomposedOrBasePlusMark)
{
    const auto p = test::load_profile("generic-58mm-cp1258");
    EXPECT_EQ(encode_line(p, "ế"), (Bytes{0x1B, 't', 27, 0xEA, 0xEC, 0x0A}));
    EXPECT_EQ(encode_line(p, "Đà"), (Bytes{0x1B, 't', 27, 0xD0, 0xE0, 0x0A}));
    EXPECT_EQ(encode_line(p, "ộ"), (Bytes{0x1B, 't', 27, 0xF4, 0xF2, 0x0A})); // ô + dot below
    EXPECT_EQ(encode_line(p, "ạở"), (Bytes{0x1B, 't', 27, 'a', 0xF2, 0xF5, 0xD2, 0x0A}));
}

TEST(Encoder, SingleVn3TableKeepsUntonedCapitalsAndLowersTonedOnes)
{
    const auto p = test::load_profile("xprinter-r200");
    ASSERT_EQ(p.tcvn_upper_table, -1);
    Encoder e{p, nullptr};
    e.line("ĐÊẤ");
    EXPECT_EQ(e.bytes(), (Bytes{0x1B, 't', 27, 0xA7, 0xA3, 0xCA, 0x0A}));
    EXPECT_EQ(e.fallbacks(), 1);
}

TEST(Encoder, QrStoreLengthCountsThreeHeaderBytes)
{
    const auto p = test::load_profile("epson-tm-t20");
    Encoder e{p, nullptr};
    ASSERT_TRUE(e.qr("https://x.vn/t/1", 6, QrLevel::medium));
    const Bytes expected{0x1D, '(', 'k', 4, 0, 0x31, 0x41, 0x32, 0,
                         0x1D, '(', 'k', 3, 0, 0x31, 0x43, 6,
                         0x1D, '(', 'k', 3, 0, 0x31, 0x45, 0x31,
                         0x1D, '(', 'k', 19, 0, 0x31, 0x50, 0x30,
                         'h', 't', 't', 'p', 's', ':', '/', '/', 'x', '.', 'v', 'n', '/', 't', '/', '1',
                         0x1D, '(', 'k', 3, 0, 0x31, 0x51, 0x30};
    EXPECT_EQ(e.bytes(), expected) << test::hex(e.bytes());
    const auto raster = test::load_profile("raster-only");
    Encoder r{raster, nullptr};
    EXPECT_FALSE(r.qr("https://x.vn/t/1"));
    EXPECT_TRUE(r.bytes().empty());
}

TEST(Encoder, ImagesGoInBandsOfAtMost256Rows)
{
    const auto p = test::load_profile("epson-tm-t20");
    Bitmap b(16, 600);
    b.set(0, 0);
    b.set(15, 599);
    Encoder e{p, nullptr};
    e.image(b, Align::left);
    const auto& out = e.bytes();
    // 3 headers: 256 + 256 + 88 rows of 2 bytes.
    ASSERT_EQ(out.size(), 3 * 8 + 600 * 2u);
    EXPECT_EQ((Bytes(out.begin(), out.begin() + 8)), (Bytes{0x1D, 'v', '0', 0, 2, 0, 0, 1}));
    EXPECT_EQ(out[8], 0x80);
    const std::size_t second = 8 + 512;
    EXPECT_EQ((Bytes(out.begin() + second, out.begin() + second + 8)), (Bytes{0x1D, 'v', '0', 0, 2, 0, 0, 1}));
    const std::size_t third = 2 * (8 + 512);
    EXPECT_EQ((Bytes(out.begin() + third, out.begin() + third + 8)), (Bytes{0x1D, 'v', '0', 0, 2, 0, 88, 0}));
    EXPECT_EQ(out.back(), 0x01);
}

TEST(Encoder, CutFollowsTheProfile)
{
    auto p = test::load_profile("epson-tm-t20");
    EXPECT_EQ(Encoder(p, nullptr).cut().bytes(), (Bytes{0x1D, 'V', 'B', 0}));
    p.cut = CutMode::full;
    p.feed_before_cut = 3;
    EXPECT_EQ(Encoder(p, nullptr).cut().bytes(), (Bytes{0x1B, 'd', 3, 0x1D, 'V', 0}));
    const auto g = test::load_profile("generic-58mm-cp1258");
    EXPECT_EQ(Encoder(g, nullptr).cut().bytes(), (Bytes{0x1B, 'd', 4}));
}

TEST(Encoder, LinesWrapToThePaperWidth)
{
    auto p = test::load_profile("generic-58mm-cp1258"); // 32 columns
    Encoder e{p, nullptr};
    e.line("Trung tâm Phục vụ hành chính công xã Yên Sở");
    sim::EscposDecoder d{{30, 31, 27}};
    d.feed(e.bytes());
    EXPECT_EQ(d.pending().text, "Trung tâm Phục vụ hành chính\ncông xã Yên Sở\n");
    Encoder big{p, nullptr};
    big.line("ABCDEFGHIJKL", {Align::center, true, 4, 4}); // 8 columns at width 4
    sim::EscposDecoder d2;
    d2.feed(big.bytes());
    EXPECT_EQ(d2.pending().text, "ABCDEFGH\nIJKL\n");
}

TicketData sample_ticket()
{
    TicketData t;
    t.ticket_id = "20250701-TP-012";
    t.number = "TP-012";
    t.service_name = "Tư pháp – Hộ tịch";
    t.priority = "Người cao tuổi";
    t.waiting_ahead = 7;
    t.issued_at = "2025-07-01 07:42";
    return t;
}

TicketLayout sample_layout()
{
    TicketLayout l;
    l.office_name = "Trung tâm Phục vụ hành chính công xã Yên Sở";
    l.number_size = 4;
    l.qr_url = "https://dichvucong.example.vn/t/{ticket_id}";
    l.footer = {"Xin cảm ơn quý khách!", "Vui lòng chờ đến lượt."};
    return l;
}

class Golden : public ::testing::TestWithParam<std::string>
{};

TEST_P(Golden, TicketBytesMatchTheGoldenFile)
{
    const auto p = test::load_profile(GetParam());
    auto bytes = render_ticket(p, sample_layout(), sample_ticket(), nullptr);
    const auto path = test::source_dir() + "/tests/golden/ticket-" + GetParam() + ".bin";
    if (std::getenv("MOTCUA_UPDATE_GOLDEN"))
        test::write_file(path, bytes);
    EXPECT_EQ(bytes, test::read_file(path)) << "regenerate with MOTCUA_UPDATE_GOLDEN=1 after checking the diff";
    EXPECT_LE(bytes.size(), 1024u) << "the default text ticket must stay within 1 KB";

    // And the golden bytes decode back to the ticket's text.
    sim::EscposDecoder d{{p.tcvn_lower_table, p.tcvn_upper_table, p.cp1258_table}};
    d.feed(bytes);
    const auto t = d.tickets().empty() ? d.pending() : d.tickets()[0]; // 58 mm: no cutter
    EXPECT_EQ(d.tickets().size(), p.cut == CutMode::none ? 0u : 1u);
    EXPECT_TRUE(t.problems.empty()) << t.problems.front();
    EXPECT_NE(t.text.find("TP-012"), std::string::npos);
    EXPECT_NE(t.text.find("Số người chờ trước: 7"), std::string::npos) << t.text;
    EXPECT_NE(t.text.find("Hộ tịch"), std::string::npos) << t.text;
    ASSERT_EQ(t.qr.size(), 1u);
    EXPECT_EQ(t.qr[0], "https://dichvucong.example.vn/t/20250701-TP-012");
}

INSTANTIATE_TEST_SUITE_P(Profiles, Golden,
                         ::testing::Values("epson-tm-t20", "generic-58mm-cp1258", "xprinter-r200"));

TEST(Ticket, QrUrlTemplate)
{
    EXPECT_EQ(expand_qr_url("https://a/{ticket_id}?x={ticket_id}", "T1"), "https://a/T1?x=T1");
}

TEST(Ticket, ThePhoneLinkTakesThePlaceOfTheTemplate)
{
    const auto p = test::load_profile("epson-tm-t20");
    auto ticket = sample_ticket();
    ticket.status_url = "http://192.168.1.10:8080/t/AAAAAAA5abcdefghijklmnop";
    for (bool with_template : {true, false})
    {
        auto layout = sample_layout();
        if (!with_template)
            layout.qr_url.clear(); // a site with the web and no template still prints the link
        sim::EscposDecoder d{{p.tcvn_lower_table, p.tcvn_upper_table, p.cp1258_table}};
        d.feed(render_ticket(p, layout, ticket, nullptr));
        ASSERT_EQ(d.tickets().size(), 1u);
        ASSERT_EQ(d.tickets()[0].qr.size(), 1u);
        EXPECT_EQ(d.tickets()[0].qr[0], ticket.status_url);
    }
}

} // namespace
} // namespace motcua::escpos
