// Fuzz target `validate`: arbitrary bytes as a StartPipelineExecution
// request, judged against every built-in revision (judge_checks.hpp lists
// the invariants: one verdict, a message whose count word agrees with its
// items and never exceeds 10, two validators that agree, options that change
// only what they may, and the canonical round trip of accepted bodies).
#include <cstdint>
#include <string_view>

#include "judge_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  spe::fuzz::judge_everywhere(body, spe::body_kind::request);
  spe::fuzz::end_input();
  return 0;
}
