#include "control/request.hpp"

#include <algorithm>

namespace motcua::control
{

namespace
{

using json = nlohmann::json;

// The deepest nesting of arrays and objects in a JSON text, brackets inside strings not
// counted. The text need not be valid JSON: the parser judges that afterwards.
std::size_t nesting_depth(std::string_view text)
{
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text)
    {
        if (in_string)
        {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{')
            deepest = std::max(deepest, ++depth);
        else if ((c == ']' || c == '}') && depth > 0)
            --depth;
    }
    return deepest;
}

Error bad_request(std::string message) { return make_error("bad_request", std::move(message)); }

} // namespace

Result<Request> parse_request(std::string_view line)
{
    if (nesting_depth(line) > max_request_depth)
        return bad_request("A request may nest arrays and objects at most " + std::to_string(max_request_depth) +
                           " deep.");
    auto parsed = json::parse(line, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return bad_request("A request is one JSON object per line.");
    Request request;
    if (auto it = parsed.find("id"); it != parsed.end())
    {
        if (!it->is_null() && !it->is_string() && !it->is_number())
            return bad_request("\"id\" must be a string, a number or null.");
        request.id = std::move(*it);
    }
    auto cmd = parsed.find("cmd");
    if (cmd == parsed.end() || !cmd->is_string() || cmd->get_ref<const std::string&>().empty())
        return bad_request("The request has no \"cmd\" string.");
    request.cmd = cmd->get<std::string>();
    if (auto it = parsed.find("args"); it != parsed.end())
    {
        if (!it->is_object())
            return bad_request("\"args\" must be an object.");
        request.args = std::move(*it);
    }
    else
        request.args = json::object();
    return request;
}

} // namespace motcua::control
