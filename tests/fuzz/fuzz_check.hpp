#pragma once

// A property a fuzz target checks on every input. A failed check aborts, so that libFuzzer
// keeps the input as a crash and the corpus replay test fails on it.

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                           \
    do                                                                                                  \
    {                                                                                                   \
        if (!(condition))                                                                               \
        {                                                                                               \
            std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #condition);     \
            std::abort();                                                                               \
        }                                                                                               \
    } while (0)
