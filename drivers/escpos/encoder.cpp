#include "escpos/encoder.hpp"

#include "escpos/code_tables.hpp"
#include "escpos/text.hpp"

#include <unicode/uchar.h>

#include <algorithm>

namespace motcua::escpos
{

namespace
{
constexpr std::uint8_t ESC = 0x1B;
constexpr std::uint8_t GS = 0x1D;
constexpr std::uint8_t FS = 0x1C;
constexpr std::uint8_t LF = 0x0A;

int align_value(Align a)
{
    return a == Align::left ? 0 : a == Align::center ? 1 : 2;
}
} // namespace

Encoder::Encoder(const Profile& profile, const Font* font) : profile_(profile), font_(font) {}

Encoder& Encoder::command(std::initializer_list<std::uint8_t> bytes)
{
    out_.insert(out_.end(), bytes);
    return *this;
}

Encoder& Encoder::initialize()
{
    command({ESC, '@'});
    if (profile_.cancel_chinese)
        command({FS, '.'});
    table_ = -1;
    align_ = 0;
    bold_ = false;
    size_ = 0;
    return *this;
}

void Encoder::select_table(int table)
{
    if (table_ == table)
        return;
    command({ESC, 't', static_cast<std::uint8_t>(table)});
    table_ = table;
}

void Encoder::set_style(const Style& style)
{
    int a = align_value(style.align);
    if (a != align_)
    {
        command({ESC, 'a', static_cast<std::uint8_t>(a)});
        align_ = a;
    }
    if (style.bold != bold_)
    {
        command({ESC, 'E', static_cast<std::uint8_t>(style.bold ? 1 : 0)});
        bold_ = style.bold;
    }
    int w = std::clamp(style.width, 1, 8);
    int h = std::clamp(style.height, 1, 8);
    int size = (w - 1) * 16 + (h - 1);
    if (size != size_)
    {
        command({GS, '!', static_cast<std::uint8_t>(size)});
        size_ = size;
    }
}

void Encoder::put_fallback(char32_t c)
{
    ++fallbacks_;
    for (char b : ascii_fallback(c))
        put(static_cast<std::uint8_t>(b));
}

void Encoder::encode_tcvn3(char32_t c)
{
    if (c >= 0x20 && c < 0x7F)
    {
        put(static_cast<std::uint8_t>(c)); // ASCII is the same in both tables
        return;
    }
    if (profile_.tcvn_upper_table < 0)
    {
        // One plain VN3 table: a toned capital has no slot; its lower-case letter is the
        // documented substitute (the letter stays right, only its case is lost).
        const auto& t = vn3_single_table();
        auto b = t.encode(c);
        if (!b)
            if ((b = t.encode(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))))))
                ++fallbacks_;
        if (!b)
        {
            put_fallback(c);
            return;
        }
        select_table(profile_.tcvn_lower_table);
        put(*b);
        return;
    }
    if (auto b = tcvn3_lower_table().encode(c))
    {
        select_table(profile_.tcvn_lower_table);
        put(*b);
    }
    else if (auto u = tcvn3_upper_table().encode(c))
    {
        select_table(profile_.tcvn_upper_table);
        put(*u);
    }
    else
        put_fallback(c);
}

void Encoder::encode_cp1258(char32_t c)
{
    if (c >= 0x20 && c < 0x7F)
    {
        put(static_cast<std::uint8_t>(c));
        return;
    }
    const auto& t = cp1258_table();
    if (auto b = t.encode(c))
    {
        select_table(profile_.cp1258_table);
        put(*b);
        return;
    }
    // CP1258 holds the shaped vowels (â ê ô ă ơ ư) and the five tone marks: split the
    // decomposed letter into its shape (base + breve/circumflex/horn) and its tone, send the
    // shape as one byte and the tone as a combining byte ("ộ" = ô + dot below = F4 F2).
    auto d = nfd(std::u32string(1, c));
    std::u32string shape;
    std::u32string tones;
    for (char32_t m : d)
    {
        const bool tone = m == U'\u0300' || m == U'\u0301' || m == U'\u0303' || m == U'\u0309' || m == U'\u0323';
        (tone ? tones : shape).push_back(m);
    }
    auto base = nfc(shape);
    if (base.size() == 1 && !tones.empty())
    {
        std::optional<std::uint8_t> bb;
        if (base[0] >= 0x20 && base[0] < 0x7F)
            bb = static_cast<std::uint8_t>(base[0]);
        else
            bb = t.encode(base[0]);
        std::vector<std::uint8_t> marks;
        for (char32_t m : tones)
            if (auto mb = t.encode(m))
                marks.push_back(*mb);
        if (bb && marks.size() == tones.size())
        {
            select_table(profile_.cp1258_table);
            put(*bb);
            out_.insert(out_.end(), marks.begin(), marks.end());
            return;
        }
    }
    put_fallback(c);
}

void Encoder::encode_text(std::u32string_view text)
{
    for (char32_t c : text)
    {
        if (is_control(c))
            continue;
        if (profile_.encoding == Encoding::cp1258)
            encode_cp1258(c);
        else
            encode_tcvn3(c);
    }
}

Encoder& Encoder::line(std::string_view utf8, const Style& style)
{
    auto text = clean_user_text(utf8);
    if (profile_.encoding == Encoding::raster)
    {
        draw_lines(text, style);
        return *this;
    }
    set_style(style);
    const int columns = std::max(1, profile_.columns / std::clamp(style.width, 1, 8));
    for (const auto& l : wrap(text, columns, [](std::u32string_view s) { return static_cast<int>(s.size()); }))
    {
        encode_text(l);
        put(LF);
    }
    return *this;
}

Encoder& Encoder::raster_line(std::string_view utf8, const Style& style)
{
    draw_lines(clean_user_text(utf8), style);
    return *this;
}

void Encoder::draw_lines(std::u32string_view text, const Style& style)
{
    if (!font_)
    {
        ++missing_font_;
        return;
    }
    const int px = profile_.raster_font_px * std::clamp(std::max(style.width, style.height), 1, 8);
    const int width = profile_.paper_dots;
    Bitmap all;
    for (const auto& l : wrap(text, width, [&](std::u32string_view s) { return font_->measure(s, px); }))
        all.append_below(font_->render_line(l, px, width, style.align, style.bold));
    image(all, Align::left);
}

Encoder& Encoder::feed(int lines)
{
    if (lines > 0)
        command({ESC, 'd', static_cast<std::uint8_t>(std::min(lines, 255))});
    return *this;
}

bool Encoder::qr(std::string_view data, int module, QrLevel level)
{
    if (!profile_.native_qr || data.empty() || data.size() > 7089)
        return false;
    const std::size_t store = data.size() + 3; // counts the three bytes 31 50 30
    command({GS, '(', 'k', 4, 0, 0x31, 0x41, 0x32, 0x00});
    command({GS, '(', 'k', 3, 0, 0x31, 0x43, static_cast<std::uint8_t>(std::clamp(module, 1, 16))});
    command({GS, '(', 'k', 3, 0, 0x31, 0x45, static_cast<std::uint8_t>(level)});
    command({GS, '(', 'k', static_cast<std::uint8_t>(store & 0xFF), static_cast<std::uint8_t>(store >> 8),
             0x31, 0x50, 0x30});
    // QR data is bytes, not text: a URL is ASCII; anything else is stored as UTF-8 bytes.
    for (char c : data)
        put(static_cast<std::uint8_t>(c));
    command({GS, '(', 'k', 3, 0, 0x31, 0x51, 0x30});
    return true;
}

Encoder& Encoder::image(const Bitmap& bitmap, Align align)
{
    if (bitmap.width == 0 || bitmap.height == 0)
        return *this;
    // Images print at the current justification; the bitmap already carries its layout.
    if (align_value(align) != align_)
    {
        command({ESC, 'a', static_cast<std::uint8_t>(align_value(align))});
        align_ = align_value(align);
    }
    const int bpr = bitmap.bytes_per_row();
    for (int y0 = 0; y0 < bitmap.height; y0 += max_band_rows)
    {
        const int rows = std::min(max_band_rows, bitmap.height - y0);
        command({GS, 'v', '0', 0, static_cast<std::uint8_t>(bpr & 0xFF), static_cast<std::uint8_t>(bpr >> 8),
                 static_cast<std::uint8_t>(rows & 0xFF), static_cast<std::uint8_t>(rows >> 8)});
        auto data = bitmap.packed(y0, rows);
        out_.insert(out_.end(), data.begin(), data.end());
    }
    table_ = -1; // some printers reset the code table after an image
    return *this;
}

Encoder& Encoder::cut()
{
    const auto n = static_cast<std::uint8_t>(std::clamp(profile_.cut_feed, 0, 255));
    switch (profile_.cut)
    {
    case CutMode::full:
        feed(profile_.feed_before_cut);
        command({GS, 'V', 0});
        break;
    case CutMode::partial:
        feed(profile_.feed_before_cut);
        command({GS, 'V', 1});
        break;
    case CutMode::feed_full:
        command({GS, 'V', 'A', n});
        break;
    case CutMode::feed_partial:
        command({GS, 'V', 'B', n});
        break;
    case CutMode::none:
        feed(profile_.feed_before_cut);
        break;
    }
    return *this;
}

} // namespace motcua::escpos
