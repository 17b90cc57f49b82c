#pragma once

// The ESC/POS command builder. Pure: it appends bytes to a buffer, reads no clock and
// touches no device. Every piece of user text goes through clean_user_text() (NFC, no
// control characters), so only this class ever emits command bytes.
//
//   Encoder e{profile, font};
//   e.initialize().line("Trung tâm Phục vụ hành chính công", {Align::center, true})
//    .line("TP-012", {Align::center, false, 4, 4}).qr(url).cut();
//   auto bytes = e.take();

#include "escpos/profile.hpp"
#include "escpos/raster.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::escpos
{

struct Style
{
    Align align = Align::left;
    bool bold = false;
    int width = 1;  // character size 1..8
    int height = 1; // character size 1..8
};

enum class QrLevel : std::uint8_t
{
    low = 0x30,
    medium = 0x31,
    quartile = 0x32,
    high = 0x33
};

// Rows per GS v 0 command: printers overflow their buffer on taller images.
inline constexpr int max_band_rows = 256;

class Encoder
{
  public:
    // `font` is needed on the raster path (and for raster_line()); it must outlive the encoder.
    Encoder(const Profile& profile, const Font* font);

    // ESC @ (and FS . when the profile says); forgets the selected table and styles.
    Encoder& initialize();
    // User text, wrapped to the paper width, each wrapped line ended by LF. Text mode or
    // raster per the profile.
    Encoder& line(std::string_view utf8, const Style& style = {});
    // The same line drawn as an image even on a text-mode profile.
    Encoder& raster_line(std::string_view utf8, const Style& style = {});
    Encoder& feed(int lines);
    // Native QR (model 2). Returns false, and emits nothing, when the profile has no
    // native QR or the data is too long (> 7089 bytes).
    bool qr(std::string_view data, int module = 6, QrLevel level = QrLevel::medium);
    // GS v 0 in bands of at most max_band_rows rows; the code table is selected again after it.
    Encoder& image(const Bitmap& bitmap, Align align = Align::center);
    // Feed and cut as the profile says.
    Encoder& cut();
    // Raw bytes of a command the caller built (never user text).
    Encoder& command(std::initializer_list<std::uint8_t> bytes);

    const std::vector<std::uint8_t>& bytes() const { return out_; }
    std::vector<std::uint8_t> take() { return std::move(out_); }
    // Characters that the code page lacked and were replaced by ASCII.
    int fallbacks() const { return fallbacks_; }
    // Text lines that needed a font on the raster path but had none (then they are skipped).
    int missing_font() const { return missing_font_; }

    // Text of one line encoded for the profile's code page, selecting tables as needed
    // (no wrapping, no LF). Exposed for the print-test page and for tests.
    void encode_text(std::u32string_view text);

  private:
    void put(std::uint8_t b) { out_.push_back(b); }
    void select_table(int table);
    void set_style(const Style& style);
    void put_fallback(char32_t c);
    void encode_tcvn3(char32_t c);
    void encode_cp1258(char32_t c);
    void draw_lines(std::u32string_view text, const Style& style);

    const Profile& profile_;
    const Font* font_;
    std::vector<std::uint8_t> out_;
    int table_ = -1; // -1: unknown (after ESC @ or an image)
    int align_ = 0;
    bool bold_ = false;
    int size_ = 0; // GS ! value
    int fallbacks_ = 0;
    int missing_font_ = 0;
};

} // namespace motcua::escpos
