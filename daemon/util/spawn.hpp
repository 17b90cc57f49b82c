#pragma once

// Completion handlers for co_spawn: a coroutine that fails never vanishes. Instead of
// asio::detached (which swallows the exception), pass log_failure("what it was doing").

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace motcua
{

inline auto log_failure(std::string what)
{
    return [what = std::move(what)](std::exception_ptr failure) {
        if (!failure)
            return;
        try
        {
            std::rethrow_exception(failure);
        }
        catch (const std::exception& e)
        {
            spdlog::error("Task failed task=\"{}\" error=\"{}\"", what, e.what());
        }
        catch (...)
        {
            spdlog::error("Task failed task=\"{}\" error=unknown", what);
        }
    };
}

} // namespace motcua
