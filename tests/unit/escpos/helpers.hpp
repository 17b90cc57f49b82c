#pragma once

#include "escpos/profile.hpp"
#include "process.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace motcua::test
{

using motcua::testing::source_dir;
// A shipped profile from config/printers/, through the config loader (so the files are tested too).
escpos::Profile load_profile(const std::string& name);
std::vector<std::uint8_t> read_file(const std::string& path);
void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes);
std::string hex(const std::vector<std::uint8_t>& bytes);

} // namespace motcua::test
