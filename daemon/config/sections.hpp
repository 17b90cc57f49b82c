#pragma once

// Parsers of the config's sections, one file each. Each reads its keys from the root
// table, records errors in the context, and fills its part of the Config. They run in
// this order, so later ones may check references into earlier ones.

#include "config/model.hpp"
#include "config/reader.hpp"

#include <string>
#include <vector>

namespace motcua::config
{

struct SectionContext
{
    Context& ctx;
    const std::vector<std::string>& search_dirs;
};

void parse_core(Table& root, Config& cfg, SectionContext& sc);      // core.cpp
void parse_register(Table& root, Config& cfg, SectionContext& sc);  // register.cpp
void parse_printing(Table& root, Config& cfg, SectionContext& sc);  // printing.cpp
void parse_devices(Table& root, Config& cfg, SectionContext& sc);   // devices.cpp
void parse_voice(Table& root, Config& cfg, SectionContext& sc);     // voice.cpp
void parse_web(Table& root, Config& cfg, SectionContext& sc);       // web.cpp
void parse_central(Table& root, Config& cfg, SectionContext& sc);   // central.cpp

// Finds `dir/name` in the search dirs; empty when absent.
std::string find_data_file(const std::vector<std::string>& search_dirs, const std::string& dir,
                           const std::string& name);

} // namespace motcua::config
