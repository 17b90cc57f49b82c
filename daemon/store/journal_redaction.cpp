#include "store/journal_redaction.hpp"

#include "util/sha256.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <sys/random.h>

namespace motcua::store
{

namespace
{

using json = nlohmann::json;

constexpr std::string_view salt_key = "personal_salt";
constexpr std::string_view corrected_kind = "dossier.corrected";
constexpr std::array<std::string_view, 2> personal_keys = {"applicant", "notes"};

bool is_commitment(const json& value)
{
    return value.is_object() && value.size() == 1 && value.contains("redacted") && value["redacted"].is_string();
}

// Cheap test before any parsing: most rows (every queue event) hold no personal key at all.
bool may_hold_personal_data(std::string_view kind, std::string_view payload)
{
    if (kind == corrected_kind)
        return true;
    for (auto key : personal_keys)
        if (payload.find("\"" + std::string(key) + "\"") != std::string_view::npos)
            return true;
    return payload.find(salt_key) != std::string_view::npos;
}

bool corrects_personal_field(const json& payload)
{
    auto it = payload.find("field");
    if (it == payload.end() || !it->is_string())
        return false;
    const auto& field = it->get_ref<const std::string&>();
    return field.starts_with("applicant_") || field == "notes";
}

// The keys of `payload` that hold a personal value not yet redacted.
std::vector<std::string> personal_values(std::string_view kind, const json& payload)
{
    std::vector<std::string> keys;
    auto consider = [&](std::string_view key) {
        auto it = payload.find(std::string(key));
        if (it != payload.end() && !is_commitment(*it))
            keys.emplace_back(key);
    };
    for (auto key : personal_keys)
        consider(key);
    if (kind == corrected_kind && corrects_personal_field(payload))
    {
        consider("old");
        consider("new");
    }
    return keys;
}

std::optional<json> parse_object(std::string_view payload)
{
    auto j = json::parse(payload, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::nullopt;
    return j;
}

std::string random_hex(std::size_t bytes)
{
    std::string raw(bytes, '\0');
    std::size_t got = 0;
    while (got < bytes)
    {
        auto n = ::getrandom(raw.data() + got, bytes - got, 0);
        if (n > 0)
            got += static_cast<std::size_t>(n);
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : raw)
    {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

} // namespace

bool has_personal_data(std::string_view kind, std::string_view payload)
{
    if (!may_hold_personal_data(kind, payload))
        return false;
    auto j = parse_object(payload);
    return j && !personal_values(kind, *j).empty();
}

std::string with_personal_salt(std::string_view kind, std::string payload)
{
    if (!may_hold_personal_data(kind, payload))
        return payload;
    auto j = parse_object(payload);
    if (!j || j->contains(salt_key) || personal_values(kind, *j).empty())
        return payload;
    (*j)[std::string(salt_key)] = random_hex(16);
    return j->dump();
}

std::string redacted_payload(std::string_view kind, std::string_view payload)
{
    if (!may_hold_personal_data(kind, payload))
        return std::string(payload);
    auto j = parse_object(payload);
    if (!j)
        return std::string(payload);
    auto keys = personal_values(kind, *j);
    auto salt = j->find(salt_key);
    if (keys.empty() && salt == j->end())
        return std::string(payload);
    const std::string salt_text = salt != j->end() && salt->is_string() ? salt->get<std::string>() : std::string();
    for (const auto& key : keys)
    {
        auto& value = (*j)[key];
        value = json{{"redacted", sha256_hex(salt_text + "\n" + key + "\n" + value.dump())}};
    }
    j->erase(std::string(salt_key));
    return j->dump();
}

} // namespace motcua::store
