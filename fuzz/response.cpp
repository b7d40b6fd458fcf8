// Fuzz target `response`: arbitrary bytes as a StartPipelineExecution
// response body (options::body = response), judged against every built-in
// revision with the invariants of judge_checks.hpp.
#include <cstdint>
#include <string_view>

#include "judge_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  spe::fuzz::judge_everywhere(body, spe::body_kind::response);
  spe::fuzz::end_input();
  return 0;
}
