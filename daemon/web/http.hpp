#pragma once

// The typed request and response that route handlers see (web/server.hpp). Handlers never
// touch Beast: the server parses and limits the request, the handler answers with data,
// and the server adds the security and cache headers every answer carries.

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua::web
{

using json = nlohmann::json;

class EventStream;

struct Request
{
    std::string method;  // "GET", "POST", "HEAD" (a HEAD is routed as its GET)
    std::string target;  // as sent: "/board?screen=tang-1"
    std::string path;    // percent-decoded, without the query: "/board"
    std::string rest;    // for a prefix route, the part of `path` after the prefix
    std::map<std::string, std::string, std::less<>> query; // decoded; a repeated key keeps the last
    std::map<std::string, std::string, std::less<>> headers; // names in lower case
    std::string body;
    boost::asio::ip::address peer; // the client's address (no proxy in between: the office LAN)

    // The value of a query parameter / header (name in lower case), "" when absent.
    std::string param(std::string_view name) const;
    std::string header(std::string_view lower_case_name) const;
    bool has_header(std::string_view lower_case_name) const;
};

// How long a browser may keep an answer. Live data is never stored; files under the
// versioned static path never change and are kept for a year.
enum class Cache
{
    no_store,
    immutable,
};

struct Response
{
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
    Cache cache = Cache::no_store;
    std::vector<std::pair<std::string, std::string>> headers; // extra ones, e.g. Location
    // Set by EventHub::open_stream(): after the headers the connection becomes this
    // Server-Sent Events stream and stays open until either side ends it.
    std::shared_ptr<EventStream> stream;

    static Response json_body(const json& body, int status = 200);
    static Response text(int status, std::string text);
    static Response html(std::string html, int status = 200);
    // The plain Vietnamese error pages: 404 "Không tìm thấy" and others by status.
    static Response error(int status);
};

// "%C3%A1" → "á", "+" → " " in a query; nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// "a=1&b=x%20y" → {a: 1, b: "x y"}; malformed pairs are dropped.
std::map<std::string, std::string, std::less<>> parse_query(std::string_view query);

} // namespace motcua::web
