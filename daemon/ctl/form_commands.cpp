// The forms of a dossier (TT 03/2025/TT-VPCP): `dossier receipt CODE [--printer P]` prints
// the receipt and appointment slip on a thermal printer; `dossier form CODE --kind K`
// shows a form's fields, prints it (--printer) or writes its printable page (--html FILE).
// The register book's page is `dossier export --format html` (register_commands.cpp).

#include "ctl/cli.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace motcua::ctl
{

namespace
{

std::string text_of(const json& j, const char* key)
{
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// The form as text: what it says, without the layout.
std::string form_text(const json& f)
{
    std::ostringstream out;
    out << text_of(f, "number") << " (" << text_of(f, "source") << ")\n";
    out << text_of(f, "title") << "\n";
    out << "Mã hồ sơ: " << text_of(f, "code") << "\n";
    out << text_of(f, "date_line") << "\n";
    if (!text_of(f, "addressee").empty())
        out << text_of(f, "addressee") << "\n";
    for (const auto& x : f.value("fields", json::array()))
        out << "  " << text_of(x, "label") << ": " << text_of(x, "value") << "\n";
    for (const auto& l : f.value("lists", json::array()))
    {
        out << "  " << text_of(l, "label") << ":\n";
        int n = 0;
        for (const auto& item : l.value("items", json::array()))
            out << "    " << ++n << ". " << item.get<std::string>() << "\n";
    }
    int n = 0;
    for (const auto& s : f.value("steps", json::array()))
    {
        out << "  " << ++n << ". " << text_of(s, "from") << " -> " << text_of(s, "to") << ", " << text_of(s, "handed");
        if (!text_of(s, "deadline").empty())
            out << "; hạn " << text_of(s, "deadline");
        if (!text_of(s, "finished").empty())
            out << "; xong " << text_of(s, "finished");
        if (!text_of(s, "outcome").empty())
            out << "; " << text_of(s, "outcome");
        out << "\n";
    }
    auto text = out.str();
    text.pop_back();
    return text;
}

std::string printed_text(const json& r)
{
    const auto& p = r["print"];
    return text_of(r, "title") + " of dossier " + text_of(r, "code") + " printed on " + text_of(p, "printer") + " (" +
           std::to_string(p.value("bytes", 0)) + " bytes)";
}

// Sends dossier.form and writes its page to `path` ("-": standard output).
int write_html(Session& s, const json& args, const std::string& path)
{
    auto response = s.client().request("dossier.form", args);
    if (!response.value("ok", false))
    {
        const auto& err = response["error"];
        std::cerr << "motcuactl: " << err.value("message", "failed") << " [" << err.value("code", "error") << "]\n";
        return 1;
    }
    const auto html = text_of(response["result"], "html");
    if (path == "-")
    {
        std::cout << html;
        return 0;
    }
    std::ofstream out(path, std::ios::binary);
    out << html;
    if (!out)
        throw std::runtime_error("cannot write " + path);
    std::cerr << "Wrote " << text_of(response["result"], "title") << " of dossier " << text_of(args, "code") << " to "
              << path << "\n";
    return 0;
}

} // namespace

void add_form_commands(CLI::App& app, Session& s)
{
    auto* dossier = app.get_subcommand("dossier");
    {
        auto* sub = dossier->add_subcommand("receipt", "Print the receipt and appointment slip (Mẫu 01) on a thermal "
                                                       "printer");
        auto code = std::make_shared<std::string>();
        auto printer = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        sub->add_option("--printer", *printer, "The printer (default: [register] forms_printer, else the first)");
        on_run(sub, s, "dossier.print_form",
               [code, printer] {
                   json j{{"code", *code}, {"kind", "receipt"}};
                   if (!printer->empty())
                       j["printer"] = *printer;
                   return j;
               },
               printed_text);
    }
    {
        auto* sub = dossier->add_subcommand(
            "form", "A form of the dossier: shown as text, printed (--printer) or written as a printable page (--html)");
        auto code = std::make_shared<std::string>();
        auto kind = std::make_shared<std::string>("receipt");
        auto printer = std::make_shared<std::string>();
        auto html = std::make_shared<std::string>();
        sub->add_option("CODE", *code, "Dossier code")->required();
        sub->add_option("--kind", *kind,
                        "receipt (Mẫu 01), supplement (02), refusal (03), apology (04), stop (05), control (06)")
            ->check(CLI::IsMember({"receipt", "supplement", "refusal", "apology", "stop", "control"}));
        auto* p = sub->add_option("--printer", *printer, "Print it on this thermal printer");
        auto* h = sub->add_option("--html", *html, "Write the printable A4 page (two A5 copies) to FILE, - for stdout");
        p->excludes(h);
        sub->callback([&s, code, kind, printer, html] {
            s.action = [&s, code, kind, printer, html] {
                json args{{"code", *code}, {"kind", *kind}};
                if (!html->empty())
                    return write_html(s, args, *html);
                if (!printer->empty())
                {
                    args["printer"] = *printer;
                    return s.run("dossier.print_form", args, printed_text);
                }
                return s.run("dossier.form", args, form_text);
            };
        });
    }
}

} // namespace motcua::ctl
