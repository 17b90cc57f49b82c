// The desk console's link to the application: the accounts it signs in with (as the
// functions web::ConsoleAccounts names) and `web.cert`, what `motcuactl web cert` prints.

#include "app/accounts.hpp"
#include "app/application.hpp"
#include "web/site.hpp"

namespace motcua::app
{

web::ConsoleAccounts Application::console_accounts()
{
    // Each function reaches the accounts through `this`: they live as long as the Application.
    web::ConsoleAccounts a;
    a.sign_in = [this](const std::string& user, const std::string& password, const std::string& from) {
        return accounts_->sign_in(user, password, from);
    };
    a.start_session = [this](const accounts::Account& account, const std::string& from) {
        return accounts_->start_session(account, from);
    };
    a.session = [this](const std::string& cookie) { return accounts_->session(cookie); };
    a.end_session = [this](const std::string& cookie) { accounts_->end_session(cookie); };
    a.expires_at = [this](const accounts::Session& s) { return accounts_->session_expires_at(s); };
    return a;
}

void Application::register_web_commands()
{
    // The certificate is no secret (every browser is shown it): anyone signed in may read it.
    commands_.add("web.cert", command::Access::read, command::sync([this](command::Call&) -> Result<control::json> {
        auto* console = web_ ? web_->console() : nullptr;
        if (!console)
            return make_error("no_console", "The desk console is not configured: add [web] console_listen "
                                            "(e.g. [\"0.0.0.0:8443\"]) to the config and reload.");
        const auto& c = console->certificate();
        return control::json{{"path", c.path},
                             {"sha256", c.fingerprint},
                             {"subject", c.subject},
                             {"not_before", c.not_before},
                             {"not_after", c.not_after},
                             {"names", c.names},
                             {"self_signed", c.self_signed},
                             {"url", console->url()}};
    }));
}

} // namespace motcua::app
