#pragma once

// Personal data in journal rows, and the commitment that lets a row travel without it.
//
// A dossier's applicant (name, address, phone, ID number, e-mail) and its notes are personal
// data (Nghị định 13/2023/NĐ-CP). The province's figures do not need them, so by default they
// do not leave the box (docs/central.md). A row must still verify without them: since hash
// scheme 2 the hash covers the row's *redacted* payload, in which each personal value is
// replaced by {"redacted": SHA-256(salt, key, value)}. The salt is random per row and kept
// in the full payload ("personal_salt"), so a 12-digit ID number cannot be found from its
// commitment by trying every number.
//
// Personal values: the top-level "applicant" and "notes" of any payload, and "old"/"new" of a
// "dossier.corrected" row that corrects an applicant field or the notes.

#include <string>
#include <string_view>

namespace motcua::store
{

// Whether the payload holds a personal value (a redacted one counts as none).
bool has_personal_data(std::string_view kind, std::string_view payload);

// The payload with a fresh random "personal_salt" when it holds personal data and has none;
// otherwise unchanged. Journal::append calls it before it hashes a scheme-2 row.
std::string with_personal_salt(std::string_view kind, std::string payload);

// The payload without personal data: each personal value replaced by its commitment, the salt
// removed. A payload without personal data, or already redacted, comes back unchanged, byte
// for byte. A payload that is not a JSON object comes back unchanged too (the hash then
// covers it as it is).
std::string redacted_payload(std::string_view kind, std::string_view payload);

} // namespace motcua::store
