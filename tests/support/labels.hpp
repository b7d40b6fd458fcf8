// A generated body's label against the validator's judgement of it: the
// generator tests, the properties (props/) and the `model` fuzz target all
// hold a label to the same thing through this -- the verdict, the
// exception, the set of (pointer, constraint, bound), and the message
// phrase the generator promised.
#pragma once

#include <set>
#include <string>
#include <tuple>

#include "spe/gen.hpp"
#include "spe/validate.hpp"

namespace spe::testing {

using error_key = std::tuple<std::string, std::string, std::string>;  // pointer, constraint, bound
using error_set = std::set<error_key>;

inline error_set errors_of(const judgement& j) {
  error_set out;
  for (const diagnostic& d : j.errors) out.emplace(d.pointer, std::string(to_string(d.kind)), d.bound);
  return out;
}
inline error_set errors_of(const gen::body& b) {
  error_set out;
  for (const gen::expected_error& e : b.errors) {
    out.emplace(e.pointer, std::string(to_string(e.kind)), e.bound);
  }
  return out;
}

// The options a body is judged with: its kind, and --strict when labelled so.
inline options options_for(const gen::body& b) {
  options o;
  o.body = b.judge_as;
  o.strict = b.needs_strict;
  return o;
}

inline std::string describe(const error_set& errors) {
  std::string out;
  for (const auto& [pointer, kind, bound] : errors) out += " [" + pointer + " " + kind + " " + bound + "]";
  return out.empty() ? " none" : out;
}

// "" when `j` (the judgement of b.json under options_for(b)) is what b's
// label says; else one line for each thing that differs.
inline std::string label_mismatch(const gen::body& b, const judgement& j) {
  std::string out;
  if (j.result != b.expect) {
    out += "verdict: labelled " + std::string(to_string(b.expect)) + ", judged " +
           std::string(to_string(j.result)) + "\n";
  }
  if (j.exception != b.exception) {
    out += "exception: labelled '" + std::string(b.exception) + "', judged '" +
           std::string(j.exception) + "'\n";
  }
  const error_set want = errors_of(b);
  const error_set got = errors_of(j);
  if (want != got) out += "errors: labelled" + describe(want) + ", judged" + describe(got) + "\n";
  if (j.message.find(b.message_phrase) == std::string::npos) {
    out += "message: '" + j.message + "' lacks the phrase '" + b.message_phrase + "'\n";
  }
  return out;
}

}  // namespace spe::testing
