#include "figures/xlsx.hpp"

#include <xlsxwriter.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace motcua::figures
{

namespace
{

namespace fs = std::filesystem;

Error failed(const std::string& what) { return Error{"export_failed", "Cannot build the workbook: " + what}; }

// A directory only this process uses, removed with everything in it when the call ends.
class PrivateDir
{
  public:
    PrivateDir()
    {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/motcua-xlsx-XXXXXX";
        if (::mkdtemp(pattern.data()))
            path_ = pattern;
        else
            error_ = std::strerror(errno);
    }
    ~PrivateDir()
    {
        if (!path_.empty())
        {
            std::error_code ec;
            fs::remove_all(path_, ec);
        }
    }
    PrivateDir(const PrivateDir&) = delete;
    PrivateDir& operator=(const PrivateDir&) = delete;

    const std::string& path() const { return path_; }
    const std::string& error() const { return error_; }

  private:
    std::string path_;
    std::string error_;
};

struct Formats
{
    lxw_format* office = nullptr;
    lxw_format* title = nullptr;
    lxw_format* period = nullptr;
    lxw_format* header = nullptr;
    lxw_format* number_row = nullptr;
    lxw_format* cell[2][4] = {}; // [total?][Kind]
};

lxw_format* bordered(lxw_workbook* wb, bool total, const char* number_format)
{
    auto* f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_font_name(f, "Times New Roman");
    format_set_font_size(f, 12);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (total)
        format_set_bold(f);
    if (number_format)
        format_set_num_format(f, number_format);
    else
        format_set_text_wrap(f);
    return f;
}

Formats make_formats(lxw_workbook* wb)
{
    Formats f;
    auto big = [wb](double size, bool bold) {
        auto* x = workbook_add_format(wb);
        format_set_font_name(x, "Times New Roman");
        format_set_font_size(x, size);
        format_set_align(x, LXW_ALIGN_CENTER);
        if (bold)
            format_set_bold(x);
        return x;
    };
    f.office = big(12, true);
    f.title = big(14, true);
    f.period = big(12, false);
    format_set_italic(f.period);
    f.header = bordered(wb, true, nullptr);
    format_set_align(f.header, LXW_ALIGN_CENTER);
    format_set_bg_color(f.header, 0xDDEBF7);
    f.number_row = bordered(wb, false, nullptr);
    format_set_align(f.number_row, LXW_ALIGN_CENTER);
    format_set_italic(f.number_row);
    for (int total = 0; total < 2; ++total)
    {
        f.cell[total][static_cast<int>(Kind::text)] = bordered(wb, total, nullptr);
        f.cell[total][static_cast<int>(Kind::count)] = bordered(wb, total, "#,##0");
        f.cell[total][static_cast<int>(Kind::percent)] = bordered(wb, total, "0.0%");
        f.cell[total][static_cast<int>(Kind::minutes)] = bordered(wb, total, "0.0");
    }
    return f;
}

// The first error of the writes to one sheet (libxlsxwriter reports each call).
struct Writer
{
    lxw_worksheet* ws;
    lxw_error error = LXW_NO_ERROR;
    void check(lxw_error e)
    {
        if (error == LXW_NO_ERROR && e != LXW_NO_ERROR)
            error = e;
    }
    void text(lxw_row_t r, lxw_col_t c, const std::string& s, lxw_format* f)
    {
        check(worksheet_write_string(ws, r, c, s.c_str(), f));
    }
    void merged(lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, const std::string& s, lxw_format* f)
    {
        if (r1 == r2 && c1 == c2)
            text(r1, c1, s, f);
        else
            check(worksheet_merge_range(ws, r1, c1, r2, c2, s.c_str(), f));
    }
};

double column_width(const Table& t, std::size_t col)
{
    const auto& c = t.columns[col];
    if (t.numbered && col == 0)
        return 6;
    if (c.kind == Kind::text)
        return 30;
    return 14;
}

lxw_error write_sheet(lxw_workbook* wb, const Formats& f, const Document& d, const Table& t)
{
    auto* ws = workbook_add_worksheet(wb, t.sheet.c_str());
    if (!ws)
        return LXW_ERROR_SHEETNAME_ALREADY_USED; // an invalid or repeated name
    Writer w{ws};
    const auto last_col = static_cast<lxw_col_t>(t.columns.size() - 1);
    w.merged(0, 0, 0, last_col, d.office, f.office);
    w.merged(1, 0, 1, last_col, t.title, f.title);
    w.merged(2, 0, 2, last_col, period_line(d.from, d.to), f.period);
    lxw_row_t row = 4;
    bool grouped = false;
    for (const auto& c : t.columns)
        grouped = grouped || !c.group.empty();
    for (std::size_t i = 0; i < t.columns.size();)
    {
        const auto& c = t.columns[i];
        const auto col = static_cast<lxw_col_t>(i);
        if (!grouped)
        {
            w.text(row, col, c.name, f.header);
            ++i;
            continue;
        }
        if (c.group.empty())
        {
            w.merged(row, col, row + 1, col, c.name, f.header);
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end + 1 < t.columns.size() && t.columns[end + 1].group == c.group)
            ++end;
        w.merged(row, col, row, static_cast<lxw_col_t>(end), c.group, f.header);
        for (std::size_t k = i; k <= end; ++k)
            w.text(row + 1, static_cast<lxw_col_t>(k), t.columns[k].name, f.header);
        i = end + 1;
    }
    row += grouped ? 2 : 1;
    if (t.numbered)
    {
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            w.text(row, static_cast<lxw_col_t>(i), "(" + std::to_string(i + 1) + ")", f.number_row);
        ++row;
    }
    worksheet_freeze_panes(ws, row, 0);
    for (std::size_t r = 0; r < t.rows.size(); ++r, ++row)
    {
        const int total = r + 1 == t.rows.size() ? 1 : 0;
        for (std::size_t i = 0; i < t.rows[r].size() && i < t.columns.size(); ++i)
        {
            const auto col = static_cast<lxw_col_t>(i);
            auto* format = f.cell[total][static_cast<int>(t.columns[i].kind)];
            if (const auto* text = std::get_if<std::string>(&t.rows[r][i]))
                w.text(row, col, *text, f.cell[total][static_cast<int>(Kind::text)]);
            else
                w.check(worksheet_write_number(ws, row, col, std::get<double>(t.rows[r][i]), format));
        }
    }
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        w.check(worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), column_width(t, i),
                                     nullptr));
    w.check(worksheet_set_row(ws, grouped ? 5 : 4, grouped ? 48 : 36, nullptr));
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    return w.error;
}

} // namespace

Result<std::string> xlsx(const Document& document)
{
    PrivateDir dir;
    if (dir.path().empty())
        return failed("no temporary directory (" + dir.error() + ")");
    const std::string file = dir.path() + "/report.xlsx";
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    options.tmpdir = const_cast<char*>(dir.path().c_str()); // libxlsxwriter's parts while it zips
    options.use_zip64 = LXW_FALSE;
    lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
    if (!wb)
        return failed("libxlsxwriter could not start a workbook");
    lxw_doc_properties properties{};
    std::string title = "Báo cáo " + period_line(document.from, document.to);
    properties.title = title.data();
    properties.company = const_cast<char*>(document.office.c_str());
    workbook_set_properties(wb, &properties);
    const auto formats = make_formats(wb);
    lxw_error sheet_error = LXW_NO_ERROR;
    std::string failed_sheet;
    for (const auto& t : document.tables)
    {
        if (t.columns.empty())
            continue;
        if (auto e = write_sheet(wb, formats, document, t); e != LXW_NO_ERROR)
        {
            sheet_error = e;
            failed_sheet = t.sheet;
            break;
        }
    }
    // workbook_close frees the workbook whatever happened: close first, then judge (a file
    // written after a failed sheet goes with the private directory).
    const lxw_error closed = workbook_close(wb);
    if (sheet_error != LXW_NO_ERROR)
        return failed("sheet \"" + failed_sheet + "\": " + lxw_strerror(sheet_error));
    if (closed != LXW_NO_ERROR)
        return failed(lxw_strerror(closed));
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return failed("cannot read back " + file);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

} // namespace motcua::figures
