// The doctest runner for core's unit tests; test cases live in test_<dir>_<file>.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
