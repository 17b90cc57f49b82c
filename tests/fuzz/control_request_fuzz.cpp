// The control protocol's request line: control::parse_request must turn any bytes into a
// Request or an Error, never throw, and a Request it returns must be well-formed and
// survive being written back and read again.

#include "control/request.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace motcua::control;
    std::string_view line(reinterpret_cast<const char*>(data), size);
    auto request = parse_request(line);
    if (!request)
    {
        FUZZ_CHECK(request.error().code == "bad_request");
        FUZZ_CHECK(!request.error().message.empty());
        return 0;
    }
    FUZZ_CHECK(!request->cmd.empty());
    FUZZ_CHECK(request->args.is_object());
    FUZZ_CHECK(request->id.is_null() || request->id.is_string() || request->id.is_number());

    // What a client would send for this request reads back as the same request.
    nlohmann::json again{{"id", request->id}, {"cmd", request->cmd}, {"args", request->args}};
    auto reread = parse_request(again.dump());
    FUZZ_CHECK(reread.ok());
    FUZZ_CHECK(reread->cmd == request->cmd);
    FUZZ_CHECK(reread->args == request->args);
    // NaN cannot come out of a JSON text, so ids compare equal to themselves.
    FUZZ_CHECK(reread->id == request->id);
    return 0;
}
