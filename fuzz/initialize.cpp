// Linked into every fuzz target: libFuzzer calls this once before the first input.

#include "infra/crypto/crypto.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  janji::crypto::init();
  return 0;
}
