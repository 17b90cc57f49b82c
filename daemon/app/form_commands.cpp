// The one-stop forms of a dossier (TT 03/2025/TT-VPCP, docs/register.md "Forms"):
//   dossier.form        a form's fields and its printable page (HTML, two A5 copies)
//   dossier.print_form  the form on a thermal printer (80 mm), journalled as printed
//   dossier.book        the register book (sổ theo dõi hồ sơ) of a period as a printable page
// The form model and both renderers are pure (dossier/forms*.hpp); these handlers look
// the dossier up, build the form and hand the job to the Printing module.

#include "app/application.hpp"
#include "app/printing.hpp"
#include "dossier/register_rules.hpp"
#include "dossier/forms.hpp"
#include "dossier/forms_escpos.hpp"
#include "dossier/forms_html.hpp"
#include "store/dossiers.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <memory>

namespace motcua::app
{

namespace
{

using boost::asio::awaitable;
using control::json;

// Journal row of a form handed to the applicant on paper: {"code", "form", "printer", "bytes"}.
constexpr std::string_view kind_form_printed = "dossier.form_printed";

json form_json(const dossier::Form& f)
{
    json fields = json::array();
    for (const auto& x : f.fields)
        fields.push_back({{"key", x.key}, {"label", x.label}, {"value", x.value}});
    json lists = json::array();
    for (const auto& l : f.lists)
        lists.push_back({{"key", l.key}, {"label", l.label}, {"items", l.items}});
    json steps = json::array();
    for (const auto& s : f.steps)
        steps.push_back({{"from", s.from},
                         {"to", s.to},
                         {"handed", s.handed},
                         {"deadline", s.deadline},
                         {"finished", s.finished},
                         {"outcome", s.outcome}});
    return {{"kind", dossier::to_string(f.kind)},
            {"number", f.number},
            {"source", f.source},
            {"title", f.title},
            {"code", f.code},
            {"date_line", f.date_line},
            {"addressee", f.addressee},
            {"fields", fields},
            {"lists", lists},
            {"steps", steps}};
}

class Forms : public std::enable_shared_from_this<Forms>
{
  public:
    explicit Forms(Application& app) : app_(app), dossiers_(app.database(), app.journal())
    {
        // The register commands load the same files and log the outcome; the forms only
        // need the calendar to judge the control slip's steps in working time.
        if (const auto& dir = app.config().reg.calendar_dir; !dir.empty())
            if (auto c = calendar::load_directory(dir))
                calendar_ = std::make_shared<const calendar::Calendar>(std::move(c.value()));
    }

    static void add_commands(const std::shared_ptr<Forms>& self)
    {
        using command::Access;
        auto& commands = self->app_.commands();
        commands.add("dossier.form", Access::desk,
                     command::sync([self](command::Call& c) { return self->form(c.args); }));
        commands.add("dossier.book", Access::reports,
                     command::sync([self](command::Call& c) { return self->book(c.args); }));
        // A member coroutine, not a coroutine lambda: GCC 12 destroys a coroutine lambda's
        // owning captures twice.
        commands.add("dossier.print_form", Access::desk,
                     [self](command::Call& c) { return self->print_form(c.actor, c.args); });
    }

  private:
    LocalDateTime now() const { return to_local(now_from_clocks().wall, app_.config().office.utc_offset); }

    dossier::FormOffice office() const
    {
        const auto& cfg = app_.config();
        return {cfg.reg.authority, cfg.office.name, cfg.reg.place};
    }

    Result<dossier::Form> build(const json& args)
    {
        auto code = control::string_arg(args, "code");
        auto kind_text = control::optional_string_arg(args, "kind");
        auto kind = kind_text.empty() ? std::optional(dossier::FormKind::receipt) : dossier::form_kind_from(kind_text);
        if (!kind)
            throw control::BadArgument("argument \"kind\" must be receipt, supplement, refusal, apology, stop or control");
        auto found = dossiers_.find(code);
        if (!found)
            return found.error();
        if (!*found)
            return make_error("unknown_dossier", "There is no dossier " + code + " in the register.");
        dossier::FormInput in;
        in.office = office();
        in.catalogue = &app_.config().reg;
        in.now = now();
        in.rules = dossier::register_timing_rules(app_.config(), calendar_);
        return dossier::make_form(*kind, **found, in);
    }

    Result<json> form(const json& args)
    {
        auto f = build(args);
        if (!f)
            return f.error();
        auto j = form_json(*f);
        j["html"] = dossier::render_form_html(*f);
        return j;
    }

    Result<json> book(const json& args)
    {
        auto from = parse_date(control::string_arg(args, "from"));
        auto to = parse_date(control::string_arg(args, "to"));
        if (!from || !to)
            throw control::BadArgument("arguments \"from\" and \"to\" must be dates YYYY-MM-DD");
        if (std::chrono::sys_days{*to} < std::chrono::sys_days{*from})
            throw control::BadArgument("\"to\" is before \"from\"");
        auto list = dossiers_.received_between(*from, *to);
        if (!list)
            return list.error();
        dossier::Period period{*from, *to};
        return json{{"from", format_date(*from)},
                    {"to", format_date(*to)},
                    {"count", list->size()},
                    {"html", dossier::render_register_html(*list, office(), period, now().date)}};
    }

    // The printer a form goes to: the one named, else [register] forms_printer, else the
    // first configured printer.
    Result<std::string> printer_for(const json& args) const
    {
        auto name = control::optional_string_arg(args, "printer");
        if (!name.empty())
            return name;
        const auto& cfg = app_.config();
        if (!cfg.reg.forms_printer.empty())
            return cfg.reg.forms_printer;
        if (!cfg.printing.printers.empty())
            return cfg.printing.printers.front().name;
        return make_error("no_printer", "No printer is configured: add a [[printer]] to print forms.");
    }

    awaitable<Result<json>> print_form(const command::Actor& actor, const json& args)
    {
        auto f = build(args);
        if (!f)
            co_return f.error();
        auto printer = printer_for(args);
        if (!printer)
            co_return printer.error();
        const dossier::Form& form = *f;
        auto printed = co_await app_.printing()->print_document(
            *printer, [&form](const escpos::Profile& profile, const escpos::Font* font) {
                return dossier::render_form_escpos(form, profile, font);
            });
        if (!printed)
            co_return printed.error();
        auto now = now_from_clocks();
        std::vector<store::JournalRow> rows(1);
        rows[0].kind = std::string(kind_form_printed);
        rows[0].wall = now.wall;
        rows[0].mono_ns = now.mono.count();
        rows[0].payload = json{{"code", form.code},
                               {"form", dossier::to_string(form.kind)},
                               {"printer", *printer},
                               {"bytes", (*printed)["bytes"]}}
                              .dump();
        if (auto r = app_.commit_rows(actor, rows); !r)
            co_return r.error();
        spdlog::info("Dossier form printed code={} form={} printer={}", form.code, dossier::to_string(form.kind),
                     *printer);
        auto j = form_json(form);
        j["print"] = *printed;
        co_return j;
    }

    Application& app_;
    store::Dossiers dossiers_;
    std::shared_ptr<const calendar::Calendar> calendar_;
};

} // namespace

void register_form_commands(Application& app) { Forms::add_commands(std::make_shared<Forms>(app)); }

} // namespace motcua::app
