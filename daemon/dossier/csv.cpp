#include "dossier/csv.hpp"

namespace motcua::dossier::csv
{

Result<std::vector<Record>> parse(std::string_view text)
{
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    std::vector<Record> out;
    int line = 1;
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n)
    {
        Record rec;
        rec.line = line;
        std::string cur;
        bool end_of_record = false;
        while (!end_of_record)
        {
            cur.clear();
            if (i < n && text[i] == '"')
            {
                ++i;
                for (;;)
                {
                    if (i >= n)
                        return make_error("csv_syntax", "line " + std::to_string(rec.line) +
                                                            ": a quoted field is never closed");
                    char c = text[i++];
                    if (c == '"')
                    {
                        if (i < n && text[i] == '"')
                        {
                            cur += '"';
                            ++i;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n')
                        ++line;
                    cur += c;
                }
                if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    return make_error("csv_syntax", "line " + std::to_string(line) +
                                                        ": text after the closing quote of a field");
            }
            else
            {
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    cur += text[i++];
            }
            rec.fields.push_back(cur);
            if (i < n && text[i] == ',')
            {
                ++i;
                continue;
            }
            if (i < n && text[i] == '\r')
                ++i;
            if (i < n && text[i] == '\n')
                ++i;
            ++line;
            end_of_record = true;
        }
        bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
        if (!blank)
            out.push_back(std::move(rec));
    }
    return out;
}

std::string field(std::string_view value)
{
    if (value.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(value);
    std::string out = "\"";
    for (char c : value)
    {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string record(const std::vector<std::string>& fields)
{
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i)
    {
        if (i)
            out += ',';
        out += field(fields[i]);
    }
    out += "\r\n";
    return out;
}

} // namespace motcua::dossier::csv
