#include "sim/escpos_decoder.hpp"

#include <iconv.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <map>
#include <mutex>

namespace motcua::sim
{

namespace
{

// Decodes one byte with glibc iconv. glibc's TCVN5712-1 and CP1258 converters are
// stateful: they hold a base letter back waiting for a combining mark, so the byte comes
// out only after the flush call iconv(cd, NULL, NULL, &out, &left) (printers.md §3).
char32_t iconv_byte(iconv_t cd, std::uint8_t b)
{
    iconv(cd, nullptr, nullptr, nullptr, nullptr); // reset the shift state
    char in = static_cast<char>(b);
    char* inp = &in;
    std::size_t inleft = 1;
    char32_t out[4] = {};
    char* outp = reinterpret_cast<char*>(out);
    std::size_t outleft = sizeof(out);
    if (iconv(cd, &inp, &inleft, &outp, &outleft) == static_cast<std::size_t>(-1))
        return 0;
    iconv(cd, nullptr, nullptr, &outp, &outleft); // flush the held-back letter
    const auto produced = (sizeof(out) - outleft) / sizeof(char32_t);
    return produced == 1 ? out[0] : 0;
}

std::vector<char32_t> build_iconv(const char* charset)
{
    std::vector<char32_t> t(256, 0);
    iconv_t cd = iconv_open("UTF-32LE", charset);
    assert(cd != reinterpret_cast<iconv_t>(-1));
    for (int b = 0; b < 256; ++b)
        t[static_cast<std::size_t>(b)] = iconv_byte(cd, static_cast<std::uint8_t>(b));
    iconv_close(cd);
    return t;
}

struct Tables
{
    std::vector<char32_t> lower = std::vector<char32_t>(256, 0);
    std::vector<char32_t> upper = std::vector<char32_t>(256, 0);
    std::vector<char32_t> cp1258 = std::vector<char32_t>(256, 0);
    std::vector<char32_t> single = std::vector<char32_t>(256, 0);
};

// Epson table 30: ASCII plus the lower-case letters of VN1 in 0x80..0xFF.
// Epson table 31: each capital at its lower-case letter's byte, except Ă, Â and Đ, which
// sit where VN1 itself has them (0xA1, 0xA2, 0xA7); Ê Ô Ơ Ư share ê ô ơ ư's bytes.
Tables build_tables()
{
    Tables t;
    const auto& vn = EscposDecoder::iconv_table("TCVN5712-1");
    for (int b = 0x20; b < 0x7F; ++b)
        t.lower[static_cast<std::size_t>(b)] = t.upper[static_cast<std::size_t>(b)] = static_cast<char32_t>(b);
    std::map<char32_t, int> vn_capital_at;
    for (int b = 0xA1; b <= 0xA7; ++b)
        vn_capital_at[vn[static_cast<std::size_t>(b)]] = b;
    for (int b = 0x80; b < 0x100; ++b)
    {
        char32_t c = vn[static_cast<std::size_t>(b)];
        if (c == 0 || !u_islower(static_cast<UChar32>(c)))
            continue;
        t.lower[static_cast<std::size_t>(b)] = c;
        auto cap = static_cast<char32_t>(u_toupper(static_cast<UChar32>(c)));
        auto at = vn_capital_at.find(cap);
        bool moved = at != vn_capital_at.end() && (cap == U'\u0102' || cap == U'\u00C2' || cap == U'\u0110');
        t.upper[static_cast<std::size_t>(moved ? at->second : b)] = cap;
    }
    // A plain VN3 table: VN1's lower case plus its untoned capitals at 0xA1..0xA7.
    t.single = t.lower;
    for (int b = 0xA1; b <= 0xA7; ++b)
        t.single[static_cast<std::size_t>(b)] = vn[static_cast<std::size_t>(b)];
    const auto& cp = EscposDecoder::iconv_table("CP1258");
    for (int b = 0x20; b < 0x100; ++b)
        if (b != 0x7F)
            t.cp1258[static_cast<std::size_t>(b)] = cp[static_cast<std::size_t>(b)];
    return t;
}

const Tables& tables()
{
    static const Tables t = build_tables();
    return t;
}

std::string to_utf8(const std::u32string& s)
{
    auto u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()),
                                           static_cast<std::int32_t>(s.size()));
    UErrorCode status = U_ZERO_ERROR;
    const auto* nfc = icu::Normalizer2::getNFCInstance(status);
    auto n = nfc->normalize(u, status);
    std::string out;
    n.toUTF8String(out);
    return out;
}

std::string hex(std::uint8_t b)
{
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

} // namespace

std::size_t DecodedImage::ink() const
{
    return static_cast<std::size_t>(std::count(dots.begin(), dots.end(), std::uint8_t{1}));
}

const std::vector<char32_t>& EscposDecoder::iconv_table(const char* charset)
{
    static std::mutex mutex;
    static std::map<std::string, std::vector<char32_t>> cache;
    std::lock_guard lock(mutex);
    auto it = cache.find(charset);
    if (it == cache.end())
        it = cache.emplace(charset, build_iconv(charset)).first;
    return it->second;
}

EscposDecoder::EscposDecoder(DecoderTables tables) : tables_(tables) {}

void EscposDecoder::feed(std::span<const std::uint8_t> bytes)
{
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    while (pos_ < buf_.size())
    {
        auto n = parse_one();
        if (n == 0)
            break;
        pos_ += n;
    }
    if (pos_ > 4096)
    {
        buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
        pos_ = 0;
    }
}

void EscposDecoder::problem(std::string what)
{
    if (current_.problems.size() < 100)
        current_.problems.push_back(std::move(what));
}

void EscposDecoder::text_byte(std::uint8_t b)
{
    last_was_image_ = false;
    if (b == 0x0A)
    {
        text_.push_back(U'\n');
        return;
    }
    char32_t c = 0;
    if (b < 0x80)
        c = b;
    else if (table_ == tables_.tcvn_lower)
        c = tables_.tcvn_upper < 0 ? tables().single[b] : tables().lower[b];
    else if (table_ == tables_.tcvn_upper)
        c = tables().upper[b];
    else if (table_ == tables_.cp1258)
        c = tables().cp1258[b];
    if (c == 0)
    {
        problem("byte " + hex(b) + " has no character in table " + std::to_string(table_));
        c = U'\uFFFD';
    }
    text_.push_back(c);
}

void EscposDecoder::finish_ticket()
{
    current_.text = to_utf8(text_);
    current_.cut = true;
    if (on_ticket)
        on_ticket(current_);
    tickets_.push_back(std::move(current_));
    current_ = DecodedTicket{};
    text_.clear();
    last_was_image_ = false;
}

DecodedTicket EscposDecoder::pending() const
{
    DecodedTicket t = current_;
    t.text = to_utf8(text_);
    return t;
}

void EscposDecoder::clear()
{
    tickets_.clear();
    current_ = DecodedTicket{};
    text_.clear();
}

std::size_t EscposDecoder::parse_one()
{
    const std::size_t avail = buf_.size() - pos_;
    const std::uint8_t* p = buf_.data() + pos_;
    auto need = [&](std::size_t n) { return avail >= n; };
    const std::uint8_t b = p[0];

    if (b >= 0x20 || b == 0x0A)
    {
        text_byte(b);
        return 1;
    }
    if (b == 0x0D || b == 0x00)
        return 1;
    if (b == 0x10) // DLE
    {
        if (!need(3))
            return 0;
        if (p[1] == 0x04)
        {
            if (on_query)
                on_query(QueryKind::dle_eot, p[2]);
            return 3;
        }
        if (p[1] == 0x05 || p[1] == 0x14)
            return 3;
        problem("unknown command DLE " + hex(p[1]));
        return 2;
    }
    if (b == 0x1C) // FS
    {
        if (!need(2))
            return 0;
        if (p[1] == '.' || p[1] == '&')
            return 2;
        problem("unknown command FS " + hex(p[1]));
        return 2;
    }
    if (b == 0x1B) // ESC
    {
        if (!need(2))
            return 0;
        switch (p[1])
        {
        case '@':
            // A printer without a cutter: the next job's ESC @ ends the previous ticket.
            if (!text_.empty() || !current_.images.empty() || !current_.qr.empty())
            {
                finish_ticket();
                tickets_.back().cut = false;
            }
            table_ = 0;
            last_was_image_ = false;
            return 2;
        case '2':
            return 2;
        case 't':
            if (!need(3))
                return 0;
            table_ = p[2];
            current_.tables.push_back(p[2]);
            return 3;
        case 'a': case 'E': case 'd': case '!': case '-': case '3': case 'J': case 'M': case 'G':
        case 'R': case 'e':
            return need(3) ? 3 : 0;
        default:
            problem("unknown command ESC " + hex(p[1]));
            return 2;
        }
    }
    if (b == 0x1D) // GS
    {
        if (!need(2))
            return 0;
        switch (p[1])
        {
        case '!': case 'B': case 'H': case 'f': case 'h': case 'w':
            return need(3) ? 3 : 0;
        case 'L':
            return need(4) ? 4 : 0;
        case 'a':
            if (!need(3))
                return 0;
            if (on_query)
                on_query(QueryKind::asb, p[2]);
            return 3;
        case 'r':
            if (!need(3))
                return 0;
            if (on_query)
                on_query(QueryKind::gs_r, p[2]);
            return 3;
        case 'V':
        {
            if (!need(3))
                return 0;
            std::size_t len = (p[2] == 'A' || p[2] == 'B' || p[2] == 0x41 || p[2] == 0x42 || p[2] == 0x61 ||
                               p[2] == 0x62 || p[2] == 0x67 || p[2] == 0x68)
                                  ? 4
                                  : 3;
            if (!need(len))
                return 0;
            finish_ticket();
            return len;
        }
        case 'v':
        {
            if (!need(8))
                return 0;
            if (p[2] != '0')
            {
                problem("unknown command GS v " + hex(p[2]));
                return 3;
            }
            const int bpr = p[4] | (p[5] << 8);
            const int rows = p[6] | (p[7] << 8);
            const std::size_t size = static_cast<std::size_t>(bpr) * static_cast<std::size_t>(rows);
            if (!need(8 + size))
                return 0;
            if (!last_was_image_ || current_.images.empty() || current_.images.back().width != bpr * 8)
            {
                current_.images.push_back(DecodedImage{bpr * 8, 0, {}, 0, 0});
            }
            auto& img = current_.images.back();
            img.bands += 1;
            img.max_band_rows = std::max(img.max_band_rows, rows);
            for (int y = 0; y < rows; ++y)
                for (int x = 0; x < bpr * 8; ++x)
                    img.dots.push_back((p[8 + static_cast<std::size_t>(y) * bpr + x / 8] >> (7 - x % 8)) & 1);
            img.height += rows;
            last_was_image_ = true;
            return 8 + size;
        }
        case '(':
        {
            if (!need(5))
                return 0;
            const std::size_t len = p[3] | (p[4] << 8);
            if (!need(5 + len))
                return 0;
            if (p[2] == 'k' && len >= 3 && p[5] == 0x31)
            {
                if (p[6] == 0x50 && p[7] == 0x30)
                    pending_qr_.assign(reinterpret_cast<const char*>(p + 8), len - 3);
                else if (p[6] == 0x51)
                {
                    current_.qr.push_back(pending_qr_);
                    pending_qr_.clear();
                }
                else if (p[6] != 0x41 && p[6] != 0x43 && p[6] != 0x45)
                    problem("unknown QR function " + hex(p[6]));
            }
            else if (p[2] == 'k')
                problem("bad GS ( k block");
            last_was_image_ = false;
            return 5 + len;
        }
        default:
            problem("unknown command GS " + hex(p[1]));
            return 2;
        }
    }
    problem("unexpected control byte " + hex(b));
    return 1;
}

} // namespace motcua::sim
