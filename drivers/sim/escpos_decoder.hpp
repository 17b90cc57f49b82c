#pragma once

// Turns the bytes a printer received back into what it would print: text lines, images,
// QR payloads and cuts. Built independently of the encoder: its code tables come from
// glibc iconv (TCVN5712-1 and CP1258), not from drivers/escpos, so a mistake shared by
// both sides cannot hide. Status queries in the stream are reported through a callback.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace motcua::sim
{

// Which ESC t numbers mean what on the simulated model (from its profile).
struct DecoderTables
{
    int tcvn_lower = 30;
    int tcvn_upper = 31; // -1: one plain VN3 table (lower case + 0xA1..0xA7 capitals)
    int cp1258 = 52;
};

struct DecodedImage
{
    int width = 0;  // dots
    int height = 0; // rows
    std::vector<std::uint8_t> dots; // row-major, 1 black
    int bands = 0;         // GS v 0 commands it came in
    int max_band_rows = 0; // tallest band
    std::size_t ink() const;
};

struct DecodedTicket
{
    std::string text;                  // UTF-8 (NFC), one '\n' per LF
    std::vector<DecodedImage> images;  // GS v 0 images, consecutive bands joined
    std::vector<std::string> qr;       // QR payloads printed
    std::vector<int> tables;           // every ESC t n, in order
    std::vector<std::string> problems; // unknown commands, bytes a table lacks, bad QR blocks
    bool cut = false; // false: ended by the next job's ESC @ (a printer without cutter)
    std::string state_at_cut; // the simulated printer's state when the cut arrived
};

enum class QueryKind
{
    dle_eot, // DLE EOT n
    gs_r,    // GS r n
    asb      // GS a n (n = 0 disables)
};

class EscposDecoder
{
  public:
    explicit EscposDecoder(DecoderTables tables = {});

    // Called for each status query met in the stream, in order.
    std::function<void(QueryKind, int n)> on_query;
    // Called when a cut completes a ticket.
    std::function<void(DecodedTicket&)> on_ticket;

    void feed(std::span<const std::uint8_t> bytes);

    const std::vector<DecodedTicket>& tickets() const { return tickets_; }
    // What arrived after the last cut.
    DecodedTicket pending() const;
    void clear();

    // The tables as built from iconv: byte -> code point, 0 for an empty slot.
    static const std::vector<char32_t>& iconv_table(const char* charset);

  private:
    std::size_t parse_one(); // bytes consumed, 0 when the command is incomplete
    void text_byte(std::uint8_t b);
    void problem(std::string what);
    void finish_ticket();

    DecoderTables tables_;
    std::vector<std::uint8_t> buf_;
    std::size_t pos_ = 0;
    int table_ = 0;
    bool last_was_image_ = false;
    std::u32string text_;
    DecodedTicket current_;
    std::vector<DecodedTicket> tickets_;
    std::string pending_qr_;
};

} // namespace motcua::sim
