// The rules of revision `seed` as a hand-written validator holds them: one
// field per member, written out by hand -- what a developer writes in an
// afternoon (peers 2 and 3) -- but with the numbers and patterns read from
// the model, so the bench carries no copy of a rule.
//
// Patterns run on std::wregex (libstdc++'s backtracking std::regex over
// UTF-32 on Linux), matched in full with regex_match as Java's
// Matcher.matches() does. Java's `.` excludes five line terminators;
// ECMAScript's excludes only \n and \r in libstdc++, so `.` outside a class
// is rewritten as an explicit class of the five (java_to_ecma). Strings are
// decoded to UTF-32 for the regex and counted in code points for lengths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "spe/model.hpp"

namespace spe::bench {

// Java regex (the subset AWS models use) -> ECMAScript for std::wregex, or
// nullopt when the pattern holds a construct the rewrite does not know
// (then `why` names it).
std::optional<std::wstring> java_to_ecma(std::string_view java, std::string& why);

// Valid UTF-8 (the JSON parsers guarantee it) -> UTF-32 in `out`.
void decode_utf8(std::string_view s, std::wstring& out);

std::size_t count_code_points(std::string_view s) noexcept;

struct string_rule {
  bool has_min = false;
  bool has_max = false;
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool has_pattern = false;
  std::wregex pattern;

  // True when `s` satisfies every constraint. `scratch` is reused.
  bool check(std::string_view s, std::wstring& scratch) const;
};

struct list_rule {
  bool has_min = false;
  bool has_max = false;
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool check(std::size_t count) const noexcept {
    const auto n = static_cast<std::int64_t>(count);
    return !(has_min && n < min) && !(has_max && n > max);
  }
};

// The members of StartPipelineExecutionRequest (seed), written out.
struct seed_rules {
  string_rule client_request_token;       // required
  string_rule pipeline_name;              // required
  string_rule display_name;
  string_rule description;
  list_rule parameters;
  string_rule parameter_name;             // required in a Parameter
  string_rule parameter_value;            // required in a Parameter
};

// Reads the rules from the model. Returns nullopt (and says why) when the
// model does not have the members a hand-written seed validator knows.
std::optional<seed_rules> load_seed_rules(const model::service_model& m, std::string& why);

}  // namespace spe::bench
