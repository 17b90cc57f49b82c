#include "util/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace motcua
{

namespace
{
// journald reads "<N>" at the start of a line as the priority (sd-daemon(3)).
class JournalPrefixFormatter final : public spdlog::formatter
{
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override
    {
        static constexpr const char* prefixes[] = {"<7>", "<7>", "<6>", "<4>", "<3>", "<2>", ""};
        const char* prefix = prefixes[static_cast<int>(msg.level)];
        dest.append(prefix, prefix + std::char_traits<char>::length(prefix));
        dest.append(msg.payload.begin(), msg.payload.end());
        dest.push_back('\n');
    }
    std::unique_ptr<spdlog::formatter> clone() const override
    {
        return std::make_unique<JournalPrefixFormatter>();
    }
};
} // namespace

void setup_logging(bool verbose)
{
    // _mt: the bus workers and the announcer log from their own threads.
    auto logger = spdlog::stderr_logger_mt("motcua");
    logger->set_formatter(std::make_unique<JournalPrefixFormatter>());
    logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

} // namespace motcua
