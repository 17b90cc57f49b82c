#pragma once

// motcuad's exit statuses (from sysexits.h where one fits), documented in
// docs/operations.md. systemd/motcuad.service lists the ones a restart cannot cure in
// RestartPreventExitStatus=, so a broken database or a full disk is not a crash loop.

namespace motcua::service
{

inline constexpr int exit_ok = 0;
inline constexpr int exit_start_failed = 1;      // e.g. the socket cannot be bound: retried
inline constexpr int exit_database_damaged = 65; // EX_DATAERR: restore a backup
inline constexpr int exit_internal_error = 70;   // EX_SOFTWARE: a bug; restarted
inline constexpr int exit_disk_error = 74;       // EX_IOERR: disk full or failing
inline constexpr int exit_already_running = 75;  // EX_TEMPFAIL: the state dir is taken
inline constexpr int exit_config_error = 78;     // EX_CONFIG: as config::exit_config_error

} // namespace motcua::service
