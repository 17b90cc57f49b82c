#pragma once

// A test clock for process tests: motcuad --test-clock FILE makes now_from_clocks() add
// the whole number of seconds written in FILE (e.g. "15552000" or "-3600") to the wall
// clock, re-reading the file at every reading, so a test moves the daemon's wall clock
// forwards and back without libfaketime. Only that command-line flag turns it on; it is
// for tests and never belongs in a unit file. The monotonic clock is never shifted.

#include <chrono>
#include <string>

namespace motcua
{

// Called once at start, before any thread reads the clock.
void use_test_clock(std::string offset_file);

// The current offset: zero without a test clock, or when the file is missing or unreadable.
std::chrono::seconds test_clock_offset();

} // namespace motcua
