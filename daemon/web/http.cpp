#include "web/http.hpp"

namespace motcua::web
{

std::string Request::param(std::string_view name) const
{
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
}

std::string Request::header(std::string_view lower_case_name) const
{
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string() : it->second;
}

bool Request::has_header(std::string_view lower_case_name) const { return headers.contains(lower_case_name); }

Response Response::json_body(const json& body, int status)
{
    Response r;
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

Response Response::text(int status, std::string text)
{
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(text);
    return r;
}

Response Response::html(std::string html, int status)
{
    Response r;
    r.status = status;
    r.body = std::move(html);
    return r;
}

namespace
{
const char* vietnamese_reason(int status)
{
    switch (status)
    {
    case 400: return "Yêu cầu không hợp lệ";
    case 404: return "Không tìm thấy trang này";
    case 405: return "Phương thức không được hỗ trợ";
    case 408: return "Hết thời gian chờ yêu cầu";
    case 413: return "Yêu cầu quá lớn";
    case 429: return "Quá nhiều yêu cầu, vui lòng thử lại sau";
    case 431: return "Tiêu đề yêu cầu quá lớn";
    case 503: return "Máy chủ đang bận, vui lòng thử lại sau";
    default: return status >= 500 ? "Lỗi máy chủ" : "Lỗi";
    }
}
} // namespace

Response Response::error(int status)
{
    const std::string reason = vietnamese_reason(status);
    // No stylesheet: an error page must show even when nothing else does.
    return html("<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>" + reason + "</title></head><body><h1>" + reason + "</h1><p>Mã lỗi " +
                    std::to_string(status) + ".</p></body></html>\n",
                status);
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space)
{
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '%')
        {
            if (i + 2 >= text.size())
                return std::nullopt;
            const int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        }
        else if (c == '+' && plus_is_space)
            out.push_back(' ');
        else
            out.push_back(c);
    }
    return out;
}

std::map<std::string, std::string, std::less<>> parse_query(std::string_view query)
{
    std::map<std::string, std::string, std::less<>> out;
    while (!query.empty())
    {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty())
            continue;
        auto eq = pair.find('=');
        auto key = percent_decode(pair.substr(0, eq), true);
        auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if (key && value && !key->empty())
            out[*key] = *value;
    }
    return out;
}


} // namespace motcua::web
