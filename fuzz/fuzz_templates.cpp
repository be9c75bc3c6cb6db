// libFuzzer target: see run_templates() in fuzz/harness.h for what it covers.
#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    kefu_fuzz::run_templates(kefu_fuzz::as_view(data, size));
    return 0;
}
