#pragma once

// A printer model profile: what one model understands, as plain data. Profiles are data
// files (config/printers/*.toml) parsed by the daemon's config loader; the encoder, the
// driver and the simulator only read this struct.

#include <cstdint>
#include <string>
#include <vector>

namespace motcua::escpos
{

// How Vietnamese text reaches the paper.
enum class Encoding
{
    tcvn3,  // precomposed TCVN-3 in two tables (lower case / capitals), Epson 30/31
    cp1258, // Windows-1258: base letter + combining tone mark where CP1258 has no precomposed form
    raster  // every text line drawn with FreeType and sent as a GS v 0 image
};

enum class CutMode
{
    full,         // GS V 0
    partial,      // GS V 1
    feed_full,    // GS V A n: feed to the cutter, then cut
    feed_partial, // GS V B n
    none          // no cutter: feed only
};

// Bit masks applied to the DLE EOT n replies (bit meanings vary by vendor).
struct StatusMasks
{
    std::uint8_t offline = 0x08;        // DLE EOT 1
    std::uint8_t cover_open = 0x04;     // DLE EOT 2
    std::uint8_t paper_stop = 0x20;     // DLE EOT 2: stopped by paper end
    std::uint8_t error = 0x40;          // DLE EOT 2: an error occurred
    std::uint8_t cutter = 0x08;         // DLE EOT 3: autocutter error
    std::uint8_t unrecoverable = 0x20;  // DLE EOT 3
    std::uint8_t near_end = 0x0C;       // DLE EOT 4
    std::uint8_t paper_end = 0x60;      // DLE EOT 4
    friend bool operator==(const StatusMasks&, const StatusMasks&) = default;
};

struct Profile
{
    std::string name;        // file stem: "epson-tm-t20"
    std::string description; // free text for people
    Encoding encoding = Encoding::tcvn3;
    int tcvn_lower_table = 30; // ESC t n for the lower-case TCVN-3 table (with ASCII)
    // ESC t n for the capitals table; -1: the model has one plain VN3 table (lower case plus
    // Ă Â Ê Ô Ơ Ư Đ at 0xA1..0xA7), and a toned capital prints as its lower-case letter.
    int tcvn_upper_table = 31;
    int cp1258_table = 52;     // ESC t n for CP1258
    bool cancel_chinese = false; // send FS . after every ESC @
    bool native_qr = true;       // GS ( k model 2; otherwise the QR is left out (see docs)
    int paper_dots = 576;        // printable width in dots
    int columns = 48;            // Font A characters per line at size 1
    CutMode cut = CutMode::feed_partial;
    int cut_feed = 0;     // n of GS V A/B n
    int feed_before_cut = 3; // ESC d n before a plain GS V 0/1
    bool status = true;   // answers DLE EOT n (a silent model: false)
    bool asb = false;     // automatic status back (GS a n)
    StatusMasks masks{};
    int raster_font_px = 24; // pixel height of size-1 text on the raster path
    friend bool operator==(const Profile&, const Profile&) = default;
};

} // namespace motcua::escpos
