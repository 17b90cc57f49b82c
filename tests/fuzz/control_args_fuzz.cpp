// The command argument accessors of control/protocol.hpp over arbitrary JSON arguments:
// each either returns the argument exactly as the client sent it or throws BadArgument,
// which the server turns into a bad_request answer. Any other exception escapes and
// aborts.

#include "control/protocol.hpp"
#include "fuzz_check.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace
{

using motcua::control::BadArgument;
using motcua::control::json;

void check_int(const json& args, const char* key)
{
    try
    {
        auto value = motcua::control::int_arg(args, key);
        const auto& sent = args.at(key);
        FUZZ_CHECK(sent.is_number_integer());
        // The value the client sent, not a wrapped one.
        if (sent.is_number_unsigned())
            FUZZ_CHECK(value >= 0 && static_cast<std::uint64_t>(value) == sent.get<std::uint64_t>());
        else
            FUZZ_CHECK(value == sent.get<std::int64_t>());
    }
    catch (const BadArgument& e)
    {
        FUZZ_CHECK(std::string(e.what()).find(key) != std::string::npos);
    }
}

void check_string(const json& args, const char* key)
{
    try
    {
        auto value = motcua::control::string_arg(args, key);
        FUZZ_CHECK(args.at(key).is_string() && value == args.at(key).get_ref<const std::string&>());
    }
    catch (const BadArgument& e)
    {
        FUZZ_CHECK(std::string(e.what()).find(key) != std::string::npos);
    }
    try
    {
        auto value = motcua::control::optional_string_arg(args, key);
        if (!args.contains(key) || args.at(key).is_null())
            FUZZ_CHECK(value.empty());
    }
    catch (const BadArgument&)
    {
        FUZZ_CHECK(args.contains(key) && !args.at(key).is_string());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto args = json::parse(data, data + size, nullptr, false);
    if (args.is_discarded())
        return 0;
    // Handlers get an object, but the accessors must not trust that.
    static const std::array<const char*, 9> keys = {"counter", "service", "ticket", "reason", "officer",
                                                    "to_counter", "score", "first", ""};
    for (const char* key : keys)
    {
        check_int(args, key);
        check_string(args, key);
    }
    if (args.is_object())
        for (const auto& [key, value] : args.items())
        {
            check_int(args, key.c_str());
            check_string(args, key.c_str());
        }
    return 0;
}
