#pragma once

namespace motcua
{

// Logs go to stderr without timestamps, each line prefixed with its journald priority
// (<3> error, <4> warning, <6> info, <7> debug), so journald files them correctly.
// Messages are a stable sentence plus key=value context:
//   spdlog::warn("Printer went offline device={} error={}", name, err);
void setup_logging(bool verbose);

} // namespace motcua
