// The one translation unit that compiles toml++'s implementation.
//
// toml++ 3.3 (Debian 12) checks some of its parser's own expectations with assert(): on
// malformed input such as a table header `[~` it aborts there in a build without NDEBUG,
// where the shipped build (NDEBUG, and g++ has no __builtin_assume) goes on and reports a
// syntax error. Our fuzzers run those inputs under ASan+UBSan without a finding. The
// assertions are left out in every build type, so that Debug and sanitizer builds parse
// as the shipped daemon does (tests/fuzz/corpus/config and calendar_year hold such input).
#define TOML_ASSERT(expr) static_assert(true)
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
