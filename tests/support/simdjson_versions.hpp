// What the differential checks against simdjson's DOM must allow for in the
// simdjson versions spe is built with: 3.0.1 on Debian 12, 3.6.4 in the
// Ubuntu 24.04 images of OSS-Fuzz and ClusterFuzzLite.
//   - An integer past uint64 is NUMBER_ERROR in 3.0.1 and BIGINT_ERROR from
//     3.1 on: refuses_number() takes either, where the enum has it.
//   - A leading UTF-8 BOM is refused by 3.0.1 and skipped from 3.6.0 on;
//     spe's reader refuses it (SPEC.md 2.1) whatever simdjson does, so a
//     text that starts with one is not compared with DOM (starts_with_bom).
#pragma once

#include <string_view>

#include <simdjson.h>

namespace spe::testing {

template <typename Code>
bool refuses_number(Code e) {
  if constexpr (requires { Code::BIGINT_ERROR; }) {
    if (e == Code::BIGINT_ERROR) return true;
  }
  return e == Code::NUMBER_ERROR;
}

inline bool starts_with_bom(std::string_view text) { return text.starts_with("\xEF\xBB\xBF"); }

}  // namespace spe::testing
