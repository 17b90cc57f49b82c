// [central]: the uploader to the province's central service (outbox/uploader.hpp), its
// `central.status` command, and its part of the status line. The uploader runs on its own
// thread; here it is only created, replaced when a reload changes [central], and asked.

#include "app/application.hpp"
#include "command/access.hpp"
#include "outbox/context.hpp"
#include "outbox/uploader.hpp"

#include <spdlog/spdlog.h>

namespace motcua::app
{

void Application::apply_central_config()
{
    const auto& wanted = cfg_->central;
    auto context = wanted ? outbox::site_context(*cfg_, outbox::read_calendar_years(cfg_->reg.calendar_dir))
                          : control::json();
    if (uploader_ && wanted && uploader_->settings() == *wanted && uploader_->context() == context)
        return;
    if (uploader_)
    {
        uploader_.reset(); // stops and joins; the central keeps what it acknowledged
        spdlog::info("Central upload stopped by the reload");
    }
    if (!wanted)
        return;
    uploader_ = std::make_unique<outbox::Uploader>(*wanted, paths_.database, std::move(context));
    uploader_->start();
    spdlog::info("Central upload started url={} site={} personal_data={}", wanted->url, wanted->site,
                 wanted->send_personal_data ? "sent" : "kept on the box");
}

control::json Application::central_status_json() const
{
    if (!uploader_)
        return {{"enabled", false}};
    auto j = uploader_->status().to_json(now_from_clocks().wall);
    j["enabled"] = true;
    j["personal_data"] = uploader_->settings().send_personal_data ? "sent" : "kept on the box";
    return j;
}

void Application::register_central_commands()
{
    commands_.add("central.status", command::Access::read,
                  command::sync([this](command::Call&) -> Result<control::json> { return central_status_json(); }));
    add_status_part([this]() -> std::string {
        if (!uploader_)
            return {};
        auto s = uploader_->status();
        if (s.state == "retrying")
            return "central: " + std::to_string(s.waiting()) + " rows waiting (" + s.last_error + ")";
        if (s.waiting() > 0)
            return "central: " + std::to_string(s.waiting()) + " rows waiting";
        return {};
    });
}

} // namespace motcua::app
