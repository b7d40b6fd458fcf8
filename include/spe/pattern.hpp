// spe::pattern: the regular expressions of AWS models, as linear-time automata.
//
// AWS models write their `pattern` traits in Java regex syntax, and the service
// checks them with Java's Matcher.matches(): a full match of the whole string,
// where `.` is any code point except the line terminators \n \r \u0085 \u2028
// \u2029. spe takes that subset of Java syntax through three stages, one file
// each, in the manner of RE2:
//
//   parse    (src/pattern/parse.cpp)    pattern text -> syntax_tree
//   compile  (src/pattern/compile.cpp)  syntax_tree  -> automaton
//   match    (src/pattern/match.cpp)    automaton x UTF-8 -> bool, no backtracking
//
// The syntax tree is public because the generators (props/, fuzz/, `spe gen`)
// derive matching strings and near misses from the very tree the validator
// compiles: one source of truth per pattern.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spe/result.hpp"

namespace spe::pattern {

// The line terminators Java's `.` does not match (java.util.regex without
// DOTALL or UNIX_LINES). The parser, the generators and the corpora read
// them from here.
inline constexpr std::array<char32_t, 5> java_line_terminators = {U'\n', U'\r', U'\u0085', U'\u2028',
                                                                  U'\u2029'};

// {m,n} counts above this are rejected at parse time. Counted repetition is
// expanded into copies of its operand when compiling, so the automaton grows
// linearly with the count; the StartPipelineExecution models use at most
// {0,255} (other SageMaker operations have [\S]{1,2048}, refused), and 1000 keeps a
// hostile pattern such as (((a{1000}){1000}){1000}) from being accepted only
// to exhaust memory later: nesting is also bounded by max_nfa_states.
inline constexpr std::uint32_t max_repeat = 1000;

// Groups nested deeper than this are rejected (too_complex): parsing,
// compiling and printing recurse once per level, so this bounds their stack
// use; AWS models nest groups at most 2 deep.
inline constexpr std::size_t max_nesting = 100;

// Bound on the number of NFA states a compiled pattern may have. Matching
// keeps its working set on the stack (no heap), so this also bounds the stack
// a match uses.
inline constexpr std::size_t max_nfa_states = 16384;

// Bound on the states of the precomputed DFA. Beyond it the automaton falls
// back to simulating the NFA, still linear in the input.
inline constexpr std::size_t max_dfa_states = 8192;

// Simulating the NFA costs about 2.5 ns per NFA state per byte, so a
// pattern with no DFA and a large NFA is linear but slow: [ab]*a([ab]{1000}){14}
// (14005 states) takes ~35 us a byte, minutes for a value near the 8 MiB
// body bound. compile(string_view), the entry for models and `spe pattern`,
// refuses such a pattern (too_complex) when its NFA has more states than
// this, which bounds the worst case near 0.7 us a byte. Every pattern of the
// SageMaker service model that spe supports gets a DFA, so none is refused.
inline constexpr std::size_t max_simulated_states = 256;

enum class error_code : std::uint8_t {
  ok = 0,
  unexpected_end,        // pattern ends inside an escape, class, group or count
  unbalanced_paren,      // ')' without '(' or '(' without ')'
  bad_escape,            // an escape Java does not define, or a bad \uXXXX
  bad_class,             // empty class, reversed range a-Z, ...
  bad_repeat,            // quantifier with nothing to repeat, or {n,m} with n > m
  repeat_too_large,      // count above max_repeat
  too_complex,           // more than max_nfa_states after expansion
  unsupported,           // valid Java, outside spe's subset: `construct` names it
  invalid_utf8,          // the pattern text itself is not UTF-8
};

struct error {
  error_code code = error_code::ok;
  std::size_t offset = 0;        // byte offset in the pattern text
  std::string construct;         // what was found, e.g. "backreference \\1"
};

// "unsupported construct 'lookahead (?=' at offset 4", and so on.
std::string to_string(const error& e);

// An inclusive range of Unicode scalar values.
struct code_range {
  char32_t lo;
  char32_t hi;
  friend bool operator==(const code_range&, const code_range&) = default;
};

enum class node_kind : std::uint8_t {
  empty,        // matches the empty string (e.g. an empty alternative)
  literal,      // one code point: `ch`
  char_class,   // one code point from `ranges` (sorted, disjoint, negation resolved)
  any,          // `.`: the Java line terminators excluded; `ranges` holds the set
  concat,       // children in order
  alternate,    // any one child
  repeat,       // child repeated min..max times (max == unbounded for * and +)
  group,        // (...) or (?:...): `capturing` tells which
  begin_text,   // ^
  end_text,     // $
};

inline constexpr std::uint32_t unbounded = UINT32_MAX;

struct node {
  node_kind kind = node_kind::empty;
  char32_t ch = 0;                    // literal
  std::vector<code_range> ranges;     // char_class and any
  std::uint32_t min = 0;              // repeat
  std::uint32_t max = 0;              // repeat (unbounded for * and +)
  bool capturing = false;             // group
  std::size_t offset = 0;             // where it starts in the pattern text
  std::vector<node> children;         // concat, alternate: 2+; repeat, group: 1
};

class syntax_tree {
 public:
  const node& root() const noexcept { return root_; }
  std::string_view source() const noexcept { return source_; }
  // A readable, stable rendering for tests and `spe pattern --tree`, e.g.
  // (concat (class 0x41-0x5a) (repeat 0 255 (group (...)))).
  std::string to_string() const;

 private:
  friend result<syntax_tree, error> parse(std::string_view);
  node root_;
  std::string source_;
};

// Parses Java regex text. Returns the tree, or an error naming the offending
// construct and its byte offset; never throws, never aborts.
result<syntax_tree, error> parse(std::string_view pattern);

// Counters for tests that show matching is linear: one step is one transition
// of the automaton (one byte through the DFA, or one state update of the NFA).
struct match_stats {
  std::uint64_t steps = 0;
};

class automaton {
 public:
  automaton();
  ~automaton();
  automaton(automaton&&) noexcept;
  automaton& operator=(automaton&&) noexcept;
  automaton(const automaton&) = delete;
  automaton& operator=(const automaton&) = delete;

  // True when all of `utf8` matches the pattern (Java Matcher.matches()).
  // Invalid UTF-8 never matches. Time is linear in utf8.size(); no heap
  // allocation; safe to call from many threads on one automaton.
  bool full_match(std::string_view utf8) const noexcept;
  bool full_match(std::string_view utf8, match_stats& stats) const noexcept;
  // The same verdict for text that is known to be valid UTF-8 (every string
  // of a json::document is), found faster on long text: where the pattern
  // is `.*` or a starred class, the characters that cannot end the star
  // are looked for 16 bytes at a time. Given invalid UTF-8 it reads nothing
  // outside the text, but its verdict is unspecified. One step counts a
  // byte skipped or a character walked.
  bool full_match_valid_utf8(std::string_view valid_utf8) const noexcept;
  bool full_match_valid_utf8(std::string_view valid_utf8, match_stats& stats) const noexcept;

  // True when the DFA was built; false when matching simulates the NFA.
  bool deterministic() const noexcept;
  // The DFA's states when deterministic(), else the NFA's instructions.
  std::size_t state_count() const noexcept;

  struct impl;

 private:
  friend result<automaton, error> compile(const syntax_tree&, std::size_t);
  std::unique_ptr<impl> impl_;
};

// Compiles a tree into an automaton. dfa_limit caps the DFA (tests pass 0 to
// force the NFA path). Errors: too_complex.
result<automaton, error> compile(const syntax_tree& tree,
                                 std::size_t dfa_limit = max_dfa_states);

// parse + compile, keeping both (the validator matches, the generators walk).
// Also too_complex: no DFA within max_dfa_states and an NFA of more than
// max_simulated_states.
struct compiled {
  syntax_tree tree;
  automaton matcher;
};
result<compiled, error> compile(std::string_view pattern);

}  // namespace spe::pattern
