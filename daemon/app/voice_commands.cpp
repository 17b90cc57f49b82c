// The voice's control commands: voice.text (what will be said) and voice.clips (which
// clips the config needs, and what a pack lacks), so a site checks before the speakers
// are wired. The bodies are named functions; registration is the last few lines.

#include "app/application.hpp"
#include "app/voice.hpp"

#include "util/text.hpp"

namespace motcua::app
{

namespace
{
using control::json;
using boost::asio::awaitable;

voice::Speech speech_with_dialect(const Application& app, const json& args)
{
    auto speech = app.config().voice.speech;
    auto d = control::optional_string_arg(args, "dialect");
    if (!d.empty())
    {
        auto dialect = voice::dialect_from_string(d);
        if (!dialect)
            throw control::BadArgument("argument \"dialect\" must be \"north\" or \"south\"");
        speech.numbers.dialect = *dialect;
    }
    return speech;
}

// args: number (0..999999) [dialect], or ticket (a label) + counter [kind: call|recall] [dialect].
Result<json> voice_text(const Application& app, const json& args)
{
    auto speech = speech_with_dialect(app, args);
    std::string words;
    if (args.contains("ticket"))
    {
        auto label = text::clean(control::string_arg(args, "ticket"), "ticket", {32, false});
        if (!label)
            return label.error();
        auto counter = control::int_arg(args, "counter");
        if (counter < 1 || counter > 99)
            throw control::BadArgument("argument \"counter\" must be a counter number 1..99");
        auto kind = control::optional_string_arg(args, "kind");
        if (!kind.empty() && kind != "call" && kind != "recall")
            throw control::BadArgument("argument \"kind\" must be \"call\" or \"recall\"");
        // The service whose prefix the label carries picks the template.
        std::string service;
        for (const auto& s : app.config().services)
            if (!s.prefix.empty() && label->rfind(s.prefix, 0) == 0)
                service = s.id;
        words = voice::announcement_text(kind == "recall" ? voice::Kind::recall : voice::Kind::call, *label, service,
                                         static_cast<int>(counter), speech);
    }
    else
    {
        auto n = control::int_arg(args, "number");
        if (n < 0 || n > voice::max_whole_number)
            throw control::BadArgument("argument \"number\" must be 0..999999");
        words = voice::number_words(n, speech.numbers);
    }
    return json{{"words", words}, {"syllables", voice::syllables(words)},
                {"dialect", voice::to_string(speech.numbers.dialect)}};
}

// args: check? (a folder to check as a clip pack; default: the configured pack, if any).
Result<json> voice_clips(const Application& app, const json& args)
{
    const auto& cfg = app.config();
    auto j = clip_list_json(cfg);
    auto dir = control::optional_string_arg(args, "check", 4096);
    if (dir.empty())
        dir = cfg.voice.clips_dir;
    if (!dir.empty())
        j["check"] = pack_report_json(voicedrv::check_pack(dir, voice::needed_syllables(cfg.voice.speech), cfg.voice.chime));
    return j;
}

} // namespace

void register_voice_commands(Application& app)
{
    auto& commands = app.commands();
    commands.add("voice.text", command::Access::read,
                 [&app](command::Call& call) -> awaitable<Result<json>> { co_return voice_text(app, call.args); });
    commands.add("voice.clips", command::Access::devices,
                 [&app](command::Call& call) -> awaitable<Result<json>> { co_return voice_clips(app, call.args); });
    app.add_device_report("voice", [&app] { return app.voice() ? app.voice()->report() : json{{"enabled", false}}; });
    app.add_status_part([&app] { return app.voice() ? app.voice()->status_part() : std::string(); });
}

} // namespace motcua::app
