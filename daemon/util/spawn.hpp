#pragma once

// Completion handlers for coroutines started with co_spawn. `asio::detached` drops an
// exception that ends a coroutine without a word; log_failure("what") logs it with what the
// coroutine was doing:
//   boost::asio::co_spawn(io, print(job), util::log_failure("kiosk print"));

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace motcua::util
{

inline auto log_failure(std::string what)
{
    return [what = std::move(what)](std::exception_ptr e) {
        if (!e)
            return;
        try
        {
            std::rethrow_exception(e);
        }
        catch (const std::exception& ex)
        {
            spdlog::error("Coroutine ended with an exception what=\"{}\" error=\"{}\"", what, ex.what());
        }
        catch (...)
        {
            spdlog::error("Coroutine ended with an exception what=\"{}\" error=\"unknown\"", what);
        }
    };
}

} // namespace motcua::util
