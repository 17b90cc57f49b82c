#pragma once

// The installation's secret for the phone links' tokens (phone/token.hpp): 32 random bytes,
// made at the first start in the state directory as `phone-token.key` (64 hex digits,
// mode 0600) and read on every later start, so tickets printed before a restart keep
// working. Removing the file makes a new secret: every link printed before stops working.

#include "util/result.hpp"

#include <string>

namespace motcua::phone
{

inline constexpr const char* secret_file_name = "phone-token.key";

// The secret of the state directory `dir` (raw bytes), created when the file does not
// exist yet. Errors ("phone_secret") name the file, what went wrong and what to do.
Result<std::string> load_or_create_secret(const std::string& dir);

} // namespace motcua::phone
