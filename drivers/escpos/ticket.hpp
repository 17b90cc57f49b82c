#pragma once

// Ticket layouts: the queue ticket from the [ticket] template, and the print-test page.

#include "escpos/layout.hpp"
#include "escpos/profile.hpp"
#include "escpos/raster.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace motcua::escpos
{

// "{ticket_id}" in the template replaced by the id.
std::string expand_qr_url(const std::string& url_template, const std::string& ticket_id);

// Complete job: ESC @, the ticket, feed and cut. `font` may be null on text profiles.
std::vector<std::uint8_t> render_ticket(const Profile& profile, const TicketLayout& layout,
                                        const TicketData& ticket, const Font* font);

// Every Vietnamese letter in both cases, the profile's name and the code tables in use.
std::vector<std::uint8_t> render_test_page(const Profile& profile, const Font* font);

// Human description of the code tables: "TCVN-3: ESC t 30 (lower case), ESC t 31 (capitals)".
std::string describe_tables(const Profile& profile);

} // namespace motcua::escpos
