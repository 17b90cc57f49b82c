#include "config/diagnostics.hpp"

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

} // namespace motcua::config
