#include "helpers.hpp"

#include "config/diagnostics.hpp"
#include "config/printers_model.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace motcua::test
{

escpos::Profile load_profile(const std::string& name)
{
    config::Diagnostics diags;
    auto p = config::load_printer_profile(source_dir() + "/config/printers/" + name + ".toml", name, diags);
    EXPECT_TRUE(diags.ok()) << diags.str();
    return p.value_or(escpos::Profile{});
}

std::vector<std::uint8_t> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string hex(const std::vector<std::uint8_t>& bytes)
{
    std::string s;
    const char* d = "0123456789ABCDEF";
    for (auto b : bytes)
    {
        if (!s.empty())
            s += ' ';
        s += d[b >> 4];
        s += d[b & 15];
    }
    return s;
}

} // namespace motcua::test
