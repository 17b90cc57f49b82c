#include "escpos/raster.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SYNTHESIS_H

#include <algorithm>
#include <cassert>

namespace motcua::escpos
{

std::size_t Bitmap::ink() const
{
    return static_cast<std::size_t>(std::count(dots.begin(), dots.end(), std::uint8_t{1}));
}

std::vector<std::uint8_t> Bitmap::packed(int y0, int rows) const
{
    const int bpr = bytes_per_row();
    std::vector<std::uint8_t> out(static_cast<std::size_t>(bpr) * rows, 0);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < width; ++x)
            if (at(x, y0 + y))
                out[static_cast<std::size_t>(y) * bpr + x / 8] |= static_cast<std::uint8_t>(0x80 >> (x % 8));
    return out;
}

void Bitmap::append_below(const Bitmap& other)
{
    if (width == 0 && height == 0)
    {
        *this = other;
        return;
    }
    assert(width == other.width);
    dots.insert(dots.end(), other.dots.begin(), other.dots.end());
    height += other.height;
}

struct Font::Impl
{
    FT_Library library = nullptr;
    FT_Face face = nullptr;

    ~Impl()
    {
        if (face)
            FT_Done_Face(face);
        if (library)
            FT_Done_FreeType(library);
    }

    // Loads and renders one glyph in monochrome at `px`; false when it fails.
    bool load(char32_t c, int px, bool bold) const
    {
        if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(px)) != 0)
            return false;
        if (FT_Load_Char(face, c, FT_LOAD_DEFAULT | FT_LOAD_TARGET_MONO) != 0)
            return false;
        if (bold)
            FT_GlyphSlot_Embolden(face->glyph);
        return FT_Render_Glyph(face->glyph, FT_RENDER_MODE_MONO) == 0;
    }
};

std::unique_ptr<Font> Font::open(const std::string& path, std::string& error)
{
    auto impl = std::make_unique<Impl>();
    if (FT_Init_FreeType(&impl->library) != 0)
    {
        error = "FreeType could not be initialised";
        return nullptr;
    }
    if (FT_New_Face(impl->library, path.c_str(), 0, &impl->face) != 0)
    {
        error = "cannot load the font " + path;
        return nullptr;
    }
    std::unique_ptr<Font> font(new Font());
    font->impl_ = std::move(impl);
    return font;
}

Font::~Font() = default;

int Font::measure(std::u32string_view text, int px) const
{
    int w = 0;
    for (char32_t c : text)
        if (impl_->load(c, px, false))
            w += static_cast<int>(impl_->face->glyph->advance.x >> 6);
    return w;
}

std::size_t Font::glyph_ink(char32_t c, int px) const
{
    if (!impl_->load(c, px, false))
        return 0;
    const auto& bm = impl_->face->glyph->bitmap;
    std::size_t n = 0;
    for (unsigned y = 0; y < bm.rows; ++y)
        for (unsigned x = 0; x < bm.width; ++x)
            if (bm.buffer[static_cast<int>(y) * bm.pitch + static_cast<int>(x / 8)] & (0x80 >> (x % 8)))
                ++n;
    return n;
}

Bitmap Font::render_line(std::u32string_view text, int px, int width, Align align, bool bold) const
{
    // First pass: extent above and below the baseline, and the advance.
    FT_Face face = impl_->face;
    int above = 0;
    int below = 0;
    int advance = 0;
    if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(px)) == 0)
    {
        above = static_cast<int>(face->size->metrics.ascender >> 6);
        below = static_cast<int>(-(face->size->metrics.descender >> 6));
    }
    for (char32_t c : text)
    {
        if (!impl_->load(c, px, bold))
            continue;
        const auto* g = face->glyph;
        above = std::max(above, g->bitmap_top);
        below = std::max(below, static_cast<int>(g->bitmap.rows) - g->bitmap_top);
        advance += static_cast<int>(g->advance.x >> 6);
    }
    Bitmap out(width, above + below);
    int pen = align == Align::left ? 0 : align == Align::center ? (width - advance) / 2 : width - advance;
    pen = std::max(pen, 0);
    for (char32_t c : text)
    {
        if (!impl_->load(c, px, bold))
            continue;
        const auto* g = face->glyph;
        const auto& bm = g->bitmap;
        for (unsigned y = 0; y < bm.rows; ++y)
            for (unsigned x = 0; x < bm.width; ++x)
            {
                if (!(bm.buffer[static_cast<int>(y) * bm.pitch + static_cast<int>(x / 8)] & (0x80 >> (x % 8))))
                    continue;
                int dx = pen + g->bitmap_left + static_cast<int>(x);
                int dy = above - g->bitmap_top + static_cast<int>(y);
                if (dx >= 0 && dx < width && dy >= 0 && dy < out.height)
                    out.set(dx, dy);
            }
        pen += static_cast<int>(g->advance.x >> 6);
    }
    return out;
}

} // namespace motcua::escpos
