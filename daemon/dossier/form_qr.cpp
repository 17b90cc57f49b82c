#include "dossier/form_qr.hpp"

#include <qrencode.h>

#include <memory>
#include <string>

namespace motcua::dossier
{

Result<QrMatrix> qr_matrix(std::string_view data)
{
    if (data.empty() || data.size() > 2000)
        return make_error("qr_failed", "A QR holds 1 to 2000 bytes here; got " + std::to_string(data.size()) + ".");
    const std::string text(data); // NUL-terminated for libqrencode; the code holds no NUL
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M),
                                                         &QRcode_free);
    if (!code)
        return make_error("qr_failed", "The QR of \"" + text + "\" could not be encoded.");
    QrMatrix m;
    m.size = code->width;
    m.modules.resize(static_cast<std::size_t>(m.size) * m.size);
    for (std::size_t i = 0; i < m.modules.size(); ++i)
        m.modules[i] = code->data[i] & 1; // bit 0: dark module
    return m;
}

std::string qr_svg(const QrMatrix& qr, int mm)
{
    const int quiet = 4;
    const int side = qr.size + 2 * quiet;
    std::string path;
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size; ++x)
            if (qr.dark(x, y))
                path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"" + std::to_string(mm) + "mm\" height=\"" +
           std::to_string(mm) + "mm\" viewBox=\"0 0 " + std::to_string(side) + " " + std::to_string(side) +
           "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\"><rect width=\"" + std::to_string(side) +
           "\" height=\"" + std::to_string(side) + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

} // namespace motcua::dossier
