#pragma once

// A file written whole or not at all: `text` goes to a temporary file beside `path` with
// `mode` (fchmod, whatever the umask), is synced, then moved to the name, and the folder is
// synced so the new name survives a power cut. Keys and certificates use it (the console's,
// web/certificate.cpp; the province CA's and a box's, central/pki.cpp).

#include "util/result.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace motcua
{

enum class Overwrite
{
    replace, // rename(2) over an existing file
    never    // link(2): an existing file, even one that appeared meanwhile, is left as it is
};

// Errors: "file_exists" (Overwrite::never and the name exists), "file_io" naming the file
// and the system's reason.
Result<void> write_file_atomically(const std::filesystem::path& path, const std::string& text, mode_t mode,
                                   Overwrite overwrite);

} // namespace motcua
