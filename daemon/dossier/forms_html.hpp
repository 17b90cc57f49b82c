#pragma once

// Printable pages of the forms: self-contained HTML with its CSS inline and the QR as an
// inline SVG, nothing fetched from anywhere (the web console serves them as they are).
//  - a form on A4 landscape as two A5 copies side by side, the applicant's and the file's,
//    with a cut line between them (the control slip: one A4 copy, it follows the file);
//  - the register book (sổ theo dõi hồ sơ, Mẫu 07) of a period on A4 landscape, its header
//    row repeated on every printed page.
// Every piece of text is escaped.

#include "dossier/forms.hpp"
#include "dossier/record.hpp"
#include "dossier/report.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace motcua::dossier
{

std::string render_form_html(const Form& form);

// The dossiers in the order given, dated `made` (the date line).
std::string render_register_html(const std::vector<Dossier>& dossiers, const FormOffice& office, const Period& period,
                                 Date made);

} // namespace motcua::dossier
