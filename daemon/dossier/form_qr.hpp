#pragma once

// The QR of a dossier code as a module matrix (libqrencode), for the HTML forms (inline SVG)
// and for thermal printers without a native QR command (drawn as an image).

#include "util/result.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace motcua::dossier
{

struct QrMatrix
{
    int size = 0;                      // modules per side (21 for version 1, +4 per version)
    std::vector<std::uint8_t> modules; // row-major, 1 dark
    bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y) * size + x] != 0; }
};

// Byte-mode QR, error correction M, the smallest version that fits. Error "qr_failed"
// when the data cannot be encoded (too long).
Result<QrMatrix> qr_matrix(std::string_view data);

// An inline SVG of the matrix with a 4-module quiet zone, `mm` millimetres wide.
std::string qr_svg(const QrMatrix& qr, int mm);

} // namespace motcua::dossier
