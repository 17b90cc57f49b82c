#include "util/clock.hpp"

#include <charconv>
#include <fstream>
#include <string>

namespace motcua
{

namespace
{
std::string& offset_file()
{
    static std::string path;
    return path;
}
} // namespace

void use_test_clock(std::string path)
{
    offset_file() = std::move(path);
}

std::chrono::seconds test_clock_offset()
{
    const auto& path = offset_file();
    if (path.empty())
        return std::chrono::seconds{0};
    std::ifstream in(path);
    std::string text;
    in >> text;
    long long seconds = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size())
        return std::chrono::seconds{0};
    return std::chrono::seconds{seconds};
}

} // namespace motcua
