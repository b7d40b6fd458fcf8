// Facts about judgements that the checks outside the library share (the fuzz
// targets' invariants, the properties): when two judgements are the same,
// which kinds make a body malformed, and how many items AWS lists.
#pragma once

#include <cstddef>
#include <vector>

#include "spe/validate.hpp"

namespace spe::testing {

// SPEC.md 2.5: AWS lists at most 10 items. The checks use this number, not
// the library's constant, so that a change of that constant fails to
// compile instead of moving the checks with it.
inline constexpr std::size_t aws_item_cap = 10;
static_assert(message_item_cap == aws_item_cap, "SPEC.md 2.5: AWS lists at most 10 items");

// SPEC.md 2.1's malformed bodies: not JSON, not UTF-8, past a bound.
inline bool is_malformed_kind(constraint k) {
  return k == constraint::syntax || k == constraint::utf8 || k == constraint::depth ||
         k == constraint::size;
}

// Field by field, in order.
inline bool same_diagnostics(const std::vector<diagnostic>& a, const std::vector<diagnostic>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != b[i].kind || a[i].path != b[i].path || a[i].pointer != b[i].pointer ||
        a[i].bound != b[i].bound || a[i].message != b[i].message || a[i].offset != b[i].offset) {
      return false;
    }
  }
  return true;
}

inline bool same_judgement(const judgement& a, const judgement& b) {
  return a.result == b.result && a.exception == b.exception && a.message == b.message &&
         same_diagnostics(a.errors, b.errors) && same_diagnostics(a.notes, b.notes);
}

}  // namespace spe::testing
