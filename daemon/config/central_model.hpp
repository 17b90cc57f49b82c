#pragma once

// [central]: the link to the province's central service (docs/central.md). Without it the
// box uploads nothing.

#include <string>

namespace motcua::config
{

struct Central
{
    std::string url;  // "https://central.tinh.gov.vn:8600" (https only)
    std::string site; // this box's site code, as in its certificate ("H56.01")
    // PEM files: this box's key and certificate (motcuactl central enroll, then the
    // province's `motcua-central site add`), and the province CA that signed the central's.
    std::string cert;
    std::string key;
    std::string ca;
    // The applicant's name, address, phone, ID number, e-mail and the notes stay on the box
    // unless the province's rules require them centrally (Nghị định 13/2023/NĐ-CP).
    bool send_personal_data = false;
    int batch_rows = 500;         // journal rows per upload request
    int retry_max_seconds = 300;  // the back-off while the line is down grows to this

    friend bool operator==(const Central&, const Central&) = default;
};

} // namespace motcua::config
