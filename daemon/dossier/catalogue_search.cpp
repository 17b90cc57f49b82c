#include "dossier/catalogue_search.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <string>

namespace motcua::dossier
{

namespace
{
std::vector<std::string> words_of(const std::string& folded)
{
    std::vector<std::string> words;
    std::istringstream in(folded);
    for (std::string w; in >> w;)
        words.push_back(w);
    return words;
}

// Lower rank is a better match; none when it does not match at all.
std::optional<int> rank_of(const config::Procedure& p, const std::string& folded_query,
                           const std::vector<std::string>& words)
{
    if (words.empty())
        return 0;
    const auto code = text::fold_for_search(p.code);
    const auto name = text::fold_for_search(p.name);
    if (code.starts_with(folded_query))
        return 0;
    if (code.find(folded_query) != std::string::npos)
        return 1;
    if (name.starts_with(folded_query))
        return 2;
    const auto holds = [&name](const std::string& w) { return name.find(w) != std::string::npos; };
    if (std::all_of(words.begin(), words.end(), holds))
        return 3;
    return std::nullopt;
}
} // namespace

std::vector<const config::Procedure*> search_procedures(const config::Register& reg, std::string_view query, Date on,
                                                        std::size_t limit)
{
    const auto words = words_of(text::fold_for_search(query));
    std::string folded_query;
    for (const auto& w : words)
        folded_query += (folded_query.empty() ? "" : " ") + w;

    struct Match
    {
        int rank;
        std::size_t order;
        const config::Procedure* procedure;
    };
    std::vector<Match> matches;
    std::set<std::string_view> seen; // a code listed in several versions is one procedure
    for (std::size_t i = 0; i < reg.procedures.size(); ++i)
    {
        const auto& code = reg.procedures[i].code;
        if (!seen.insert(code).second)
            continue;
        const auto* in_force = reg.procedure(code, on);
        if (!in_force)
            continue;
        if (auto rank = rank_of(*in_force, folded_query, words))
            matches.push_back({*rank, i, in_force});
    }
    std::stable_sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.order < b.order;
    });
    std::vector<const config::Procedure*> out;
    for (const auto& m : matches)
    {
        if (out.size() == limit)
            break;
        out.push_back(m.procedure);
    }
    return out;
}

} // namespace motcua::dossier
