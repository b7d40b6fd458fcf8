// Fuzz target `error`: arbitrary bytes as an error body
// ({"__type": ..., "Message": ...}, options::body = error), judged against
// every built-in revision with the invariants of judge_checks.hpp --
// including the canonical round trip, which must keep the error's type.
#include <cstdint>
#include <string_view>

#include "judge_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  spe::fuzz::judge_everywhere(body, spe::body_kind::error);
  spe::fuzz::end_input();
  return 0;
}
