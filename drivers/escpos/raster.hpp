#pragma once

// One-bit images and text drawn with FreeType (DejaVu Sans has every precomposed
// Vietnamese letter, so after NFC no shaping engine is needed). Glyphs are rendered in
// FreeType's monochrome mode, so a dot is either black or white, as on thermal paper.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::escpos
{

inline constexpr const char* default_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

struct Bitmap
{
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> dots; // row-major, one byte per dot: 1 black, 0 white

    Bitmap() = default;
    Bitmap(int w, int h) : width(w), height(h), dots(static_cast<std::size_t>(w) * h, 0) {}
    bool at(int x, int y) const { return dots[static_cast<std::size_t>(y) * width + x] != 0; }
    void set(int x, int y) { dots[static_cast<std::size_t>(y) * width + x] = 1; }
    int bytes_per_row() const { return (width + 7) / 8; }
    std::size_t ink() const; // number of black dots
    // Rows [y0, y0 + rows) packed as GS v 0 wants them: MSB leftmost, 1 = black.
    std::vector<std::uint8_t> packed(int y0, int rows) const;
    // Appends `other` below this one (widths must match, or this one is empty).
    void append_below(const Bitmap& other);
};

enum class Align
{
    left,
    center,
    right
};

class Font
{
  public:
    // Empty pointer and a message in `error` when the font cannot be loaded.
    static std::unique_ptr<Font> open(const std::string& path, std::string& error);
    ~Font();
    Font(const Font&) = delete;
    Font& operator=(const Font&) = delete;

    // Width in dots of `text` at pixel size `px`.
    int measure(std::u32string_view text, int px) const;
    // One line of text on a canvas `width` dots wide, aligned; its height fits the tallest
    // glyph (stacked Vietnamese marks included). Text wider than the canvas is clipped:
    // callers wrap first.
    Bitmap render_line(std::u32string_view text, int px, int width, Align align, bool bold) const;
    // A single glyph's own monochrome bitmap ink (for tests and the print-test page).
    std::size_t glyph_ink(char32_t c, int px) const;

  private:
    Font() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace motcua::escpos
