// spe::gen: bodies and strings generated from the model and its pattern
// automata -- for the property suite (props/), the structured fuzzer (fuzz/),
// labelled corpora (`spe gen`) and the benchmark corpus (bench/).
//
// Nothing here is written per field: strings come from the very syntax tree
// the validator compiles, bounds from the model, and every generated body
// carries the verdict and errors the specification predicts for it, so a
// consumer can check any validator -- ours or another -- against it.
//
// Randomness comes from a `source`, one draw at a time. Draw 0 is always
// the simplest choice (shortest length, first alternative, lowest code
// point, no fault), so a shrinker that pushes draws toward 0 -- RapidCheck
// when the draws are rc::gen values, libFuzzer when they are input bytes --
// shrinks a body toward a simple one. Same source state, same output,
// bit for bit, on every platform (no std:: distributions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spe/model.hpp"
#include "spe/pattern.hpp"
#include "spe/validate.hpp"

namespace spe::gen {

class source {
 public:
  virtual ~source() = default;
  // A value in [0, n); n >= 1. 0 is the simplest.
  virtual std::uint64_t choice(std::uint64_t n) = 0;
  // True with probability 1/n; the simplest draw (0) gives false.
  bool one_in(std::uint64_t n) { return choice(n) == n - 1; }
};

// splitmix64 with Lemire's bounded draw: stable across platforms/compilers.
class seeded_source final : public source {
 public:
  explicit seeded_source(std::uint64_t seed) : state_(seed) {}
  std::uint64_t choice(std::uint64_t n) override;
  std::uint64_t next();

 private:
  std::uint64_t state_;
};

// Draws from a byte buffer (a fuzzer's input); 0 once it is exhausted.
class bytes_source final : public source {
 public:
  explicit bytes_source(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::uint64_t choice(std::uint64_t n) override;

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

// ---- text ---------------------------------------------------------------

// One Unicode scalar value, drawn across ASCII, 2-, 3- and 4-byte UTF-8,
// the five Java line terminators, NUL and C0 controls.
char32_t code_point(source& s);
void append_utf8(std::string& out, char32_t cp);
// n code points of code_point(s).
std::string text(source& s, std::size_t n);

// ---- strings from a pattern ----------------------------------------------

// A string that fully matches `p`, whose length in code points lies in
// [min_len, max_len] and is biased toward the ends of that range (min,
// min+1, max-1, max) as well as drawn uniformly. nullopt when the pattern
// has no match of such a length (checked with the automaton).
std::optional<std::string> matching(const pattern::compiled& p, source& s, std::size_t min_len,
                                    std::size_t max_len);
// The same, of exactly `len` code points.
std::optional<std::string> matching_exact(const pattern::compiled& p, source& s, std::size_t len);

enum class edit : std::uint8_t { drop, insert, swap_outside_class, line_terminator };
struct near_miss {
  std::string text;
  edit how;
};
// A string one edit away from a match that no longer matches (checked with
// the automaton); nullopt when no edit of a match breaks it (e.g. `.*`
// against every edit but a line terminator).
std::optional<near_miss> near_miss_of(const pattern::compiled& p, source& s, std::size_t min_len,
                                      std::size_t max_len);

// ---- requests from the model ---------------------------------------------

// The kinds of single fault of SPEC.md section 2.
enum class fault : std::uint8_t {
  none,
  required_missing,
  required_null,
  length_below,
  length_above,
  pattern,
  count_below,
  count_above,
  value_below,
  value_above,
  wrong_type,
  duplicate_member,
  unknown_member,  // an error only under --strict; a note otherwise
};
inline constexpr std::size_t fault_count = 13;
std::string_view to_string(fault f) noexcept;

struct expected_error {
  std::string pointer;
  constraint kind = constraint::required;
  std::string bound;
  friend bool operator==(const expected_error&, const expected_error&) = default;
};

// How a value is spelled on the wire; none of it changes what it means.
struct spelling {
  bool whitespace = false;   // random insignificant whitespace
  bool escapes = false;      // random \u escapes of any character
  bool reorder = false;      // members in random order
};

struct body {
  std::string json;
  verdict expect = verdict::valid;
  std::string_view exception;          // as judgement::exception
  std::vector<expected_error> errors;  // exactly these (as a set), in model order
  std::string message_phrase;          // a phrase the AWS message must contain
  std::string why;                     // one line, for manifests and failures
  fault injected = fault::none;
  bool needs_strict = false;           // judge with options::strict
};

// A valid body of `shape` (the operation's input, output or an error shape):
// each optional member present or absent by a draw, strings from the
// patterns at biased lengths, lists at biased counts.
body valid(const model::service_model& m, const model::shape& shape, source& s,
           const spelling& how = {});

// A body that breaks exactly one constraint of kind `f` somewhere in an
// otherwise valid body, with the errors the specification predicts. nullopt
// when the model has no place for such a fault (e.g. count_above on a model
// without bounded lists).
std::optional<body> single_fault(const model::service_model& m, const model::shape& shape,
                                 fault f, source& s, const spelling& how = {});

// Writes a JSON value spelled per `how` (whitespace, escapes, order).
std::string spell(std::string_view canonical_json, source& s, const spelling& how);

}  // namespace spe::gen
