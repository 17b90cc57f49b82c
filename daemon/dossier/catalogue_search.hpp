#pragma once

// Finding a procedure in the catalogue ([register] procedures) as a clerk types: by its
// code or by words of its name, with or without diacritics ("chung thuc" finds "Chứng
// thực bản sao"). Pure: the catalogue, the query and the day in, the matches out.

#include "config/register_model.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace motcua::dossier
{

// The versions in force on `on` whose code or name matches `query`, best first:
// a code that starts with the query, then a code that contains it, then a name that starts
// with it, then names holding every word of it (in any order); ties keep catalogue order.
// Case, diacritics and "đ" are ignored. An empty query lists the whole catalogue in force.
// At most `limit` matches.
std::vector<const config::Procedure*> search_procedures(const config::Register& reg, std::string_view query, Date on,
                                                        std::size_t limit);

} // namespace motcua::dossier
