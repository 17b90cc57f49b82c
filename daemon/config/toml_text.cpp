#include "config/toml_text.hpp"

#include "config/reader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace motcua::config
{

namespace
{

// A cursor over the text that keeps toml++'s line and column.
class Cursor
{
  public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool done() const { return i_ >= text_.size(); }
    char peek(std::size_t ahead = 0) const { return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0'; }
    bool starts_with(std::string_view s) const { return text_.substr(i_).starts_with(s); }
    TextPosition position() const { return pos_; }

    void advance(std::size_t n = 1)
    {
        for (; n > 0 && i_ < text_.size(); --n)
        {
            auto c = static_cast<unsigned char>(text_[i_++]);
            if (c == '\n')
                pos_ = {pos_.line + 1, 1};
            else if ((c & 0xC0) != 0x80) // a column per character, not per continuation byte
                ++pos_.column;
        }
    }

  private:
    std::string_view text_;
    std::size_t i_ = 0;
    TextPosition pos_;
};

bool non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

TomlTrap outside_quotes(TextPosition at)
{
    return {at, "text outside quotes must be ASCII: put names and other Vietnamese text in \"quotes\" "
                "(a file in a legacy encoding such as TCVN3 or Windows-1258 must be saved as UTF-8)"};
}

TomlTrap after_line_ending_backslash(TextPosition at)
{
    return {at, "a line-ending backslash in a multi-line string must not be followed by a non-ASCII "
                "character (toml++ 3.3 cannot read it): drop the backslash or start the line with a space "
                "inside the text"};
}

// Past the closing quotes of a multi-line string: three, plus up to two that belong to
// the text. False when the text ends first (toml++ reports that).
bool close_multi_line(Cursor& c, char quote)
{
    int run = 0;
    while (c.peek(static_cast<std::size_t>(run)) == quote && run < 5)
        ++run;
    c.advance(static_cast<std::size_t>(run));
    return run >= 3;
}

std::optional<TomlTrap> skip_multi_line_basic(Cursor& c, bool& stop)
{
    c.advance(3);
    while (!c.done())
    {
        if (c.starts_with("\"\"\""))
        {
            close_multi_line(c, '"');
            return std::nullopt;
        }
        if (c.peek() != '\\')
        {
            c.advance();
            continue;
        }
        c.advance();
        // toml++ asks whether the escaped character, and each one after a line-ending
        // backslash, is whitespace.
        auto escaped = c.peek();
        if (escaped == ' ' || escaped == '\t' || escaped == '\r' || escaped == '\n')
        {
            while (c.peek() == ' ' || c.peek() == '\t' || c.peek() == '\r' || c.peek() == '\n')
                c.advance();
            if (non_ascii(c.peek()))
                return after_line_ending_backslash(c.position());
            continue;
        }
        if (non_ascii(escaped))
            return after_line_ending_backslash(c.position());
        c.advance();
    }
    stop = true;
    return std::nullopt;
}

void skip_multi_line_literal(Cursor& c, bool& stop)
{
    c.advance(3);
    while (!c.done())
    {
        if (c.starts_with("'''"))
        {
            close_multi_line(c, '\'');
            return;
        }
        c.advance();
    }
    stop = true;
}

// A one-line string; a line end inside it is toml++'s error to report.
void skip_single_line(Cursor& c, char quote, bool& stop)
{
    c.advance();
    while (!c.done() && c.peek() != '\n')
    {
        if (c.peek() == quote)
        {
            c.advance();
            return;
        }
        if (quote == '"' && c.peek() == '\\')
        {
            c.advance();
            if (c.done() || c.peek() == '\n')
                break;
        }
        c.advance();
    }
    stop = true;
}

} // namespace

std::optional<TomlTrap> find_toml_trap(std::string_view text)
{
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    Cursor c(text);
    bool stop = false;
    // Where a key may start (line start, inside { }) or a value (after =, inside [ ]): a
    // quote there opens a string. A value that starts with anything else is a bare word
    // (number, date, true …) that toml++ scans to its end, a space, ] } , or #, quotes
    // and brackets included.
    bool value = false;
    bool bare_word = false;
    std::vector<char> nesting; // [ of arrays and { of inline tables inside a value
    while (!c.done() && !stop)
    {
        char ch = c.peek();
        if (bare_word)
        {
            if (std::string_view(" \t\r\n]},#").find(ch) != std::string_view::npos)
                bare_word = false;
            else if (non_ascii(ch))
                return outside_quotes(c.position());
            else
            {
                c.advance();
                continue;
            }
        }
        if (ch == '#')
        {
            while (!c.done() && c.peek() != '\n')
                c.advance();
        }
        else if (c.starts_with("\"\"\""))
        {
            if (auto trap = skip_multi_line_basic(c, stop))
                return trap;
        }
        else if (c.starts_with("'''"))
            skip_multi_line_literal(c, stop);
        else if (ch == '"' || ch == '\'')
            skip_single_line(c, ch, stop);
        else if (non_ascii(ch))
            return outside_quotes(c.position());
        else
        {
            c.advance();
            if (ch == '\n' && nesting.empty())
                value = false;
            else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
                ;
            else if (ch == ']' || ch == '}')
            {
                if (!nesting.empty() && nesting.back() == (ch == ']' ? '[' : '{'))
                    nesting.pop_back();
            }
            else if (!value)
                value = ch == '=';
            else if (ch == '[' || ch == '{')
            {
                nesting.push_back(ch);
                value = ch == '[';
            }
            else if (ch == ',')
                value = nesting.empty() || nesting.back() == '[';
            else
                bare_word = true;
        }
    }
    return std::nullopt;
}

namespace
{
// TOML allows no raw control character anywhere but tab and the line break (in strings they
// must be escaped); toml++ 3.3 trips its own assertions on some (a NUL after a value).
std::optional<TomlTrap> find_control_character(std::string_view text)
{
    TextPosition at;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
        if ((c < 0x20 && c != '\t' && c != '\n' && !crlf) || c == 0x7F)
            return TomlTrap{at, "control character (code " + std::to_string(c) +
                                    ") in the file: TOML allows none but tab and line breaks"};
        if (c == '\n')
        {
            ++at.line;
            at.column = 1;
        }
        else if ((c & 0xC0) != 0x80)
            ++at.column;
    }
    return std::nullopt;
}
} // namespace

std::optional<toml::table> parse_toml(std::string_view text, const std::string& file, Diagnostics& diags)
{
    if (auto control = find_control_character(text))
    {
        diags.error(file, control->at.line, control->at.column, "TOML syntax error: " + control->message);
        return std::nullopt;
    }
    if (auto trap = find_toml_trap(text))
    {
        diags.error(file, trap->at.line, trap->at.column, "TOML syntax error: " + trap->message);
        return std::nullopt;
    }
    auto parsed = toml::parse(text, file);
    if (!parsed)
    {
        report_syntax_error(parsed.error(), file, diags);
        return std::nullopt;
    }
    return std::move(parsed).table();
}

std::optional<toml::table> parse_toml_file(const std::string& path, Diagnostics& diags)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        diags.error(path, 0, 0, "cannot read the file: " + std::string(std::strerror(errno)));
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_toml(text.str(), path, diags);
}

} // namespace motcua::config
