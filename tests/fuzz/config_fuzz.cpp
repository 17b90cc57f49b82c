// The config reader: config::load_string on any text gives a Config or diagnostics, never
// both, never neither, and every diagnostic names a file and, for this text, a position.
// Data files a config names (printer and device profiles, calendar years) are looked up
// in the source tree's config/ directory, as for a run from the build tree.

#include "config/load.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace motcua::config;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static const std::vector<std::string> search_dirs{MOTCUA_SOURCE_CONFIG_DIR};
    auto result = load_string(text, "fuzz.toml", search_dirs);
    FUZZ_CHECK(result.config.has_value() == result.diags.ok());
    for (const auto& d : result.diags.list())
    {
        FUZZ_CHECK(!d.file.empty() && !d.message.empty());
        FUZZ_CHECK(d.line >= 0 && d.column >= 0);
        if (d.file == "fuzz.toml")
            FUZZ_CHECK(d.line >= 1);
    }
    (void)result.diags.str();
    return 0;
}
