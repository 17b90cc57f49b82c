// The only I/O of the calendar: read the year files of one directory.

#include "calendar/calendar.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace motcua::calendar
{

namespace fs = std::filesystem;

namespace
{
bool year_file_name(const fs::path& p)
{
    auto name = p.filename().string();
    return name.size() == 9 && name.ends_with(".toml") &&
           std::all_of(name.begin(), name.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
}
} // namespace

Result<Calendar> load_directory(const std::string& dir)
{
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file() && year_file_name(it->path()))
            files.push_back(it->path());
    if (ec)
        return make_error("calendar_unreadable", "cannot read the calendar directory " + dir + ": " + ec.message());
    if (files.empty())
        return make_error("calendar_empty", "the calendar directory " + dir + " holds no YYYY.toml file");
    std::sort(files.begin(), files.end());

    std::vector<YearTable> years;
    std::string errors;
    for (const auto& p : files)
    {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in)
        {
            errors += p.string() + ":0:0: cannot read the file\n";
            continue;
        }
        auto y = parse_year(text.str(), p.string());
        if (!y)
        {
            errors += y.error().message;
            continue;
        }
        if (std::to_string(y->year) != p.stem().string())
        {
            errors += p.string() + ":1:1: the file holds year " + std::to_string(y->year) +
                      "; name it " + std::to_string(y->year) + ".toml\n";
            continue;
        }
        years.push_back(std::move(*y));
    }
    if (!errors.empty())
        return make_error("calendar_invalid", errors);
    return Calendar::from_years(std::move(years));
}

} // namespace motcua::calendar
