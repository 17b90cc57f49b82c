#pragma once

// A form on the counter's thermal printer (80 mm, or 58 mm: the profile's width): the same
// fields as the A5 page, one copy, through the ESC/POS encoder the queue tickets use, so
// Vietnamese goes through the profile's code tables or the raster font exactly like a
// ticket. The dossier code is printed as text and as a QR (the printer's native QR, or
// drawn as an image on a model without one).

#include "dossier/forms.hpp"
#include "escpos/profile.hpp"
#include "escpos/raster.hpp"

#include <cstdint>
#include <vector>

namespace motcua::dossier
{

// The complete job: ESC @, the form, feed and cut. `font` may be null on text profiles.
std::vector<std::uint8_t> render_form_escpos(const Form& form, const escpos::Profile& profile, const escpos::Font* font);

} // namespace motcua::dossier
