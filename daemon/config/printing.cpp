// [[printer]], [[kiosk]], [ticket], and the printer model profiles they name.

#include "config/sections.hpp"
#include "config/toml_text.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace motcua::config
{

namespace
{

void parse_status(Table& t, escpos::Profile& p)
{
    auto s = t.table("status", Need::optional);
    if (!s)
        return;
    p.status = s->boolean("dle_eot", Need::optional).value_or(p.status);
    p.asb = s->boolean("asb", Need::optional).value_or(p.asb);
    auto mask = [&](const char* key, std::uint8_t& m) {
        if (auto v = s->integer(key, Need::optional, 0, 255))
            m = static_cast<std::uint8_t>(*v);
    };
    mask("offline_mask", p.masks.offline);
    mask("cover_open_mask", p.masks.cover_open);
    mask("paper_stop_mask", p.masks.paper_stop);
    mask("error_mask", p.masks.error);
    mask("cutter_mask", p.masks.cutter);
    mask("unrecoverable_mask", p.masks.unrecoverable);
    mask("near_end_mask", p.masks.near_end);
    mask("paper_end_mask", p.masks.paper_end);
    s->finish();
    if (p.asb && !p.status)
        s->error("asb", "status.asb needs status.dle_eot: a model with ASB answers DLE EOT too");
}

std::optional<escpos::Profile> parse_profile(Table& t, const std::string& name)
{
    escpos::Profile p;
    p.name = name;
    p.description = t.string("description", Need::optional).value_or("");
    if (auto e = t.choice("encoding", Need::required, {"tcvn3", "cp1258", "raster"}))
        p.encoding = *e == "tcvn3" ? escpos::Encoding::tcvn3
                     : *e == "cp1258" ? escpos::Encoding::cp1258 : escpos::Encoding::raster;
    if (auto tables = t.integers("tcvn_tables", p.encoding == escpos::Encoding::tcvn3 ? Need::required : Need::optional, 0, 255))
    {
        if (tables->size() == 2)
        {
            p.tcvn_lower_table = static_cast<int>((*tables)[0]);
            p.tcvn_upper_table = static_cast<int>((*tables)[1]);
        }
        else if (tables->size() == 1)
        {
            p.tcvn_lower_table = static_cast<int>((*tables)[0]);
            p.tcvn_upper_table = -1; // one plain VN3 table
        }
        else
            t.error("tcvn_tables", "tcvn_tables must be [lower-case table, capitals table], e.g. [30, 31], "
                                   "or [n] for one plain VN3 table");
    }
    p.cp1258_table = static_cast<int>(t.integer("cp1258_table", p.encoding == escpos::Encoding::cp1258 ? Need::required : Need::optional, 0, 255).value_or(p.cp1258_table));
    p.cancel_chinese = t.boolean("cancel_chinese", Need::optional).value_or(p.cancel_chinese);
    p.native_qr = t.boolean("native_qr", Need::optional).value_or(p.native_qr);
    p.paper_dots = static_cast<int>(t.integer("paper_dots", Need::required, 64, 2048).value_or(p.paper_dots));
    p.columns = static_cast<int>(t.integer("columns", Need::required, 16, 128).value_or(p.columns));
    if (auto c = t.choice("cut", Need::optional, {"full", "partial", "feed_full", "feed_partial", "none"}))
        p.cut = *c == "full" ? escpos::CutMode::full
                : *c == "partial" ? escpos::CutMode::partial
                : *c == "feed_full" ? escpos::CutMode::feed_full
                : *c == "feed_partial" ? escpos::CutMode::feed_partial : escpos::CutMode::none;
    p.cut_feed = static_cast<int>(t.integer("cut_feed", Need::optional, 0, 255).value_or(p.cut_feed));
    p.feed_before_cut = static_cast<int>(t.integer("feed_before_cut", Need::optional, 0, 255).value_or(p.feed_before_cut));
    p.raster_font_px = static_cast<int>(t.integer("raster_font_px", Need::optional, 8, 64).value_or(p.raster_font_px));
    parse_status(t, p);
    t.finish();
    return p;
}

std::optional<escpos::Profile> find_profile(Table& t, const std::string& name, SectionContext& sc,
                                             std::map<std::string, std::optional<escpos::Profile>>& cache)
{
    if (auto it = cache.find(name); it != cache.end())
    {
        if (!it->second)
            t.error("profile", "printer profile \"" + name + "\" has errors (reported above)");
        return it->second;
    }
    auto path = find_data_file(sc.search_dirs, "printers", name + ".toml");
    if (path.empty())
    {
        std::string dirs;
        for (const auto& d : sc.search_dirs)
            dirs += (dirs.empty() ? "" : ", ") + d + "/printers";
        t.error("profile", "unknown printer profile \"" + name + "\": no " + name + ".toml in " + dirs);
        cache[name] = std::nullopt;
        return std::nullopt;
    }
    auto p = load_printer_profile(path, name, sc.ctx.diags);
    if (!p)
        t.error("profile", "printer profile \"" + name + "\" (" + path + ") has errors");
    cache[name] = p;
    return p;
}

void parse_transport(Table& t, Printer& p, const std::string& config_source)
{
    auto kind = t.choice("transport", Need::required, {"serial", "usb", "tcp"});
    auto& tr = p.transport;
    if (kind == "serial")
    {
        tr.kind = TransportKind::serial;
        tr.device = t.string("device", Need::required).value_or("");
        if (auto b = t.integer("baud", Need::optional, 1200, 921600))
        {
            static const std::vector<std::int64_t> rates{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600};
            if (std::find(rates.begin(), rates.end(), *b) == rates.end())
                t.error("baud", "printer " + p.name + ": baud " + std::to_string(*b) + " is not a standard rate");
            else
                tr.baud = static_cast<int>(*b);
        }
        if (auto par = t.choice("parity", Need::optional, {"none", "odd", "even"}))
            tr.parity = *par == "none" ? Parity::none : *par == "odd" ? Parity::odd : Parity::even;
        if (auto f = t.choice("flow", Need::optional, {"none", "rtscts", "xonxoff"}))
            tr.flow = *f == "none" ? FlowControl::none : *f == "rtscts" ? FlowControl::rtscts : FlowControl::xonxoff;
    }
    else if (kind == "usb")
    {
        tr.kind = TransportKind::usb;
        tr.device = t.string("device", Need::required).value_or("");
    }
    else if (kind == "tcp")
    {
        tr.kind = TransportKind::tcp;
        tr.host = t.string("host", Need::required).value_or("");
        tr.port = static_cast<int>(t.integer("port", Need::optional, 1, 65535).value_or(9100));
    }
    // A relative device path is taken beside the config file, so that motcuad and
    // motcua-sim given the same file meet at the same pseudo-terminal link.
    if (kind && *kind != "tcp" && !tr.device.empty() && tr.device[0] != '/')
    {
        std::error_code ec;
        auto base = std::filesystem::absolute(std::filesystem::path(config_source), ec).parent_path();
        tr.device = (base / tr.device).lexically_normal().string();
    }
    if (kind && *kind == "tcp" && t.node().contains("device"))
        t.error("device", "printer " + p.name + ": 'device' applies only to transport = \"serial\" or \"usb\"");
    if (kind && *kind != "serial")
        for (const char* key : {"baud", "parity", "flow"})
            if (t.node().contains(key))
                t.error(key, "printer " + p.name + ": '" + key + "' applies only to transport = \"serial\"");
    if (kind && *kind != "tcp")
        for (const char* key : {"host", "port"})
            if (t.node().contains(key))
                t.error(key, "printer " + p.name + ": '" + key + "' applies only to transport = \"tcp\"");
    // Mark them read: their misuse is reported above, not as unknown keys.
    for (const char* key : {"baud", "parity", "flow", "host", "port", "device"})
        t.raw_table(key);
}

void parse_printers(Table& root, Config& cfg, SectionContext& sc)
{
    std::map<std::string, std::optional<escpos::Profile>> cache;
    for (auto& t : root.tables("printer", Need::optional))
    {
        Printer p;
        p.name = t.string("name", Need::required).value_or("");
        p.profile_name = t.string("profile", Need::required).value_or("");
        parse_transport(t, p, cfg.source);
        p.write_timeout_ms = static_cast<int>(t.integer("write_timeout_ms", Need::optional, 100, 600000).value_or(p.write_timeout_ms));
        p.status_timeout_ms = static_cast<int>(t.integer("status_timeout_ms", Need::optional, 10, 10000).value_or(p.status_timeout_ms));
        p.retry_ms = static_cast<int>(t.integer("retry_ms", Need::optional, 100, 600000).value_or(p.retry_ms));
        p.poll_ms = static_cast<int>(t.integer("poll_ms", Need::optional, 100, 3600000).value_or(p.poll_ms));
        t.finish();
        if (!p.profile_name.empty())
        {
            bool safe = p.profile_name.find('/') == std::string::npos && p.profile_name.find("..") == std::string::npos;
            if (!safe)
                t.error("profile", "printer " + p.name + ": profile \"" + p.profile_name + "\" must be a plain name");
            else if (auto prof = find_profile(t, p.profile_name, sc, cache))
                p.profile = *prof;
        }
        for (const auto& other : cfg.printing.printers)
            if (!p.name.empty() && other.name == p.name)
                t.error("name", "duplicate printer name \"" + p.name + "\"");
        cfg.printing.printers.push_back(std::move(p));
    }
}

void parse_kiosks(Table& root, Config& cfg)
{
    for (auto& t : root.tables("kiosk", Need::optional))
    {
        Kiosk k;
        k.id = t.string("id", Need::required).value_or("");
        k.printer = t.string("printer", Need::required).value_or("");
        k.fallback_printer = t.string("fallback_printer", Need::optional).value_or("");
        k.services = t.strings("services", Need::optional).value_or(std::vector<std::string>{});
        t.finish();
        if (!k.printer.empty() && !cfg.printing.printer(k.printer))
            t.error("printer", "kiosk " + k.id + " names unknown printer \"" + k.printer + "\"");
        if (!k.fallback_printer.empty())
        {
            if (!cfg.printing.printer(k.fallback_printer))
                t.error("fallback_printer", "kiosk " + k.id + " names unknown fallback printer \"" + k.fallback_printer + "\"");
            else if (k.fallback_printer == k.printer)
                t.error("fallback_printer", "kiosk " + k.id + ": the fallback printer is its own printer");
        }
        for (const auto& s : k.services)
            if (!cfg.service(s))
                t.error("services", "kiosk " + k.id + " names unknown service \"" + s + "\"");
        if (k.services.size() > 32)
            t.error("services", "kiosk " + k.id + " has more than 32 buttons");
        for (const auto& other : cfg.printing.kiosks)
            if (!k.id.empty() && other.id == k.id)
                t.error("id", "duplicate kiosk id \"" + k.id + "\"");
        cfg.printing.kiosks.push_back(std::move(k));
    }
}

void parse_ticket(Table& root, Config& cfg)
{
    auto& l = cfg.printing.ticket;
    l.office_name = cfg.office.name;
    auto t = root.table("ticket", Need::optional);
    if (!t)
        return;
    l.office_name = t->string("office_name", Need::optional).value_or(l.office_name);
    l.number_size = static_cast<int>(t->integer("number_size", Need::optional, 1, 8).value_or(l.number_size));
    l.show_waiting = t->boolean("show_waiting", Need::optional).value_or(l.show_waiting);
    l.show_time = t->boolean("show_time", Need::optional).value_or(l.show_time);
    l.qr_module = static_cast<int>(t->integer("qr_module", Need::optional, 1, 16).value_or(l.qr_module));
    if (auto url = t->string("qr_url", Need::optional))
    {
        if (!url->empty() && url->find("{ticket_id}") == std::string::npos)
            t->error("qr_url", "ticket.qr_url must contain {ticket_id}");
        for (char c : *url)
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F)
            {
                t->error("qr_url", "ticket.qr_url must be printable ASCII (percent-encode other characters)");
                break;
            }
        l.qr_url = *url;
    }
    l.footer = t->strings("footer", Need::optional).value_or(l.footer);
    t->finish();
}

} // namespace

std::optional<escpos::Profile> load_printer_profile(const std::string& path, const std::string& name,
                                                    Diagnostics& diags)
{
    auto parsed = parse_toml_file(path, diags);
    if (!parsed)
        return std::nullopt;
    const auto count = diags.list().size();
    Context ctx{path, diags};
    Table t{*parsed, "", ctx};
    auto p = parse_profile(t, name);
    if (diags.list().size() != count)
        return std::nullopt;
    return p;
}

void parse_printing(Table& root, Config& cfg, SectionContext& sc)
{
    parse_printers(root, cfg, sc);
    parse_kiosks(root, cfg);
    parse_ticket(root, cfg);
}

} // namespace motcua::config
