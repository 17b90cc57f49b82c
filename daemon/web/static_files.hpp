#pragma once

// The pages, scripts, styles and fonts of the web folder (installed under
// /usr/share/motcua/web), read into memory at start and served under
// /static/<version>/<file>, where <version> is a hash of their contents: a browser may
// keep them a year, and a changed file has another address.

#include "util/result.hpp"

#include <map>
#include <optional>
#include <string>

namespace motcua::web
{

struct StaticFile
{
    std::string content_type;
    std::string body;
};

class StaticFiles
{
  public:
    // Reads every file under `dir` (sub-folders too; at most max_total_bytes).
    static Result<StaticFiles> load(const std::string& dir);

    const std::string& dir() const { return dir_; }
    // The first 12 hex digits of the SHA-256 of every name and content.
    const std::string& version() const { return version_; }
    // "/static/<version>"
    std::string prefix() const { return "/static/" + version_; }
    // A file by its path below the folder ("board.js", "fonts/x.woff2").
    const StaticFile* find(const std::string& name) const;

    static constexpr std::size_t max_total_bytes = 16 * 1024 * 1024;

  private:
    std::string dir_;
    std::string version_;
    std::map<std::string, StaticFile, std::less<>> files_;
};

// "text/css; charset=utf-8" for "x.css", application/octet-stream when unknown.
std::string content_type_of(const std::string& name);

// The folder to serve: `configured` when set, else the installed one when it exists, else
// the source tree's daemon/web/pages/ (a build run before `make install`: tests, the demo).
std::string static_dir_for(const std::string& configured);

} // namespace motcua::web
