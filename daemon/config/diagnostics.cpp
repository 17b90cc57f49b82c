#include "config/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace motcua::config
{

std::string Diagnostic::str() const
{
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

void Diagnostics::error(std::string file, int line, int column, std::string message)
{
    list_.push_back(Diagnostic{std::move(file), line, column, std::move(message)});
}

std::string Diagnostics::str() const
{
    std::string out;
    for (const auto& d : list_)
        out += d.str() + "\n";
    return out;
}

void Diagnostics::sort()
{
    // Files keep the order in which they first appear (the config, then the data files it
    // names); within a file, errors go by line and column.
    std::vector<std::string> files;
    for (const auto& d : list_)
        if (std::find(files.begin(), files.end(), d.file) == files.end())
            files.push_back(d.file);
    auto rank = [&files](const Diagnostic& d)
    { return std::find(files.begin(), files.end(), d.file) - files.begin(); };
    std::stable_sort(
        list_.begin(), list_.end(),
        [&rank](const Diagnostic& a, const Diagnostic& b)
        { return std::tuple(rank(a), a.line, a.column) < std::tuple(rank(b), b.line, b.column); });
}

} // namespace motcua::config
