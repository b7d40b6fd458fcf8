// spe::gen: bodies and strings generated from the model and its pattern
// automata -- for the property suite (props/), the structured fuzzers
// (fuzz/), labelled corpora (`spe gen`) and the benchmark corpus (bench/).
//
// Nothing here is written per field: strings come from the very syntax tree
// the validator compiles, bounds from the model, and every generated body
// carries the verdict and errors the specification predicts for it, so a
// consumer can check any validator -- ours or another -- against it.
//
// Randomness comes from a `source`, one draw at a time. Draw 0 is always
// the simplest choice (shortest length, first alternative, 'a' for free
// text and `.` -- else a class's lowest code point --, no optional member,
// first fault site), so a
// shrinker that pushes draws toward 0 -- RapidCheck when the draws are
// rc::gen values, libFuzzer when they are input bytes -- shrinks a body
// toward a simple one. Same source state, same output, bit for bit, on
// every platform (no std:: distributions, no unordered containers).
//
// Stages, one file each (src/gen/): source.cpp (the sources), text.cpp
// (code points, UTF-8, free text, arbitrary JSON), pattern.cpp (matching
// strings and near misses from pattern::syntax_tree), request.cpp (bodies
// from model::shape, valid and single-fault), spell.cpp (JSON spellings).
//
// Errors: nothing here throws across the API or prints. A generator that
// cannot produce what was asked (no match of that length, no place for that
// fault, memory exhausted) returns nullopt; it never returns a body whose
// label it has not checked.
//
// Threads: the functions are re-entrant; per-pattern analyses are cached per
// thread (keyed by pattern text, so a cache entry can never go stale).
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

// ---- sources of draws -------------------------------------------------------

class source {
 public:
  virtual ~source() = default;
  // A value in [0, n); 0 is the simplest. n == 0 is treated as n == 1.
  virtual std::uint64_t choice(std::uint64_t n) = 0;
  // True with probability 1/n; the simplest draw (0) gives false.
  bool one_in(std::uint64_t n) { return n > 1 && choice(n) == n - 1; }
};

// splitmix64 and a bounded draw of our own (Lemire's multiply-shift with
// rejection, 64x64->128 written out): identical output on every platform.
class seeded_source final : public source {
 public:
  explicit seeded_source(std::uint64_t seed) noexcept : state_(seed) {}
  std::uint64_t choice(std::uint64_t n) override;
  std::uint64_t next() noexcept;  // the raw splitmix64 stream

 private:
  std::uint64_t choice_portable(std::uint64_t n) noexcept;  // without a 128-bit type
  std::uint64_t state_;
};

// (Defined here so that the generators' inner loops, which call a
// seeded_source directly, can inline a draw.)
inline std::uint64_t seeded_source::next() noexcept {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

inline std::uint64_t seeded_source::choice(std::uint64_t n) {
  if (n <= 1) return 0;
#if defined(__SIZEOF_INT128__)
  __extension__ using u128 = unsigned __int128;
  u128 p = static_cast<u128>(next()) * n;
  if (static_cast<std::uint64_t>(p) < n) {
    // Reject the few products that would make low results likelier.
    const std::uint64_t threshold = (0 - n) % n;
    while (static_cast<std::uint64_t>(p) < threshold) p = static_cast<u128>(next()) * n;
  }
  return static_cast<std::uint64_t>(p >> 64);
#else
  return choice_portable(n);
#endif
}

// Draws from a byte buffer (a fuzzer's input), little-endian, as many bytes
// as n needs; 0 once it is exhausted (so a short input is a simple body).
class bytes_source final : public source {
 public:
  explicit bytes_source(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}
  std::uint64_t choice(std::uint64_t n) override;
  std::size_t consumed() const noexcept { return at_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t at_ = 0;
};

// ---- text -------------------------------------------------------------------

// One Unicode scalar value, drawn across ASCII, 2-, 3- and 4-byte UTF-8,
// the five Java line terminators (\n \r U+0085 U+2028 U+2029), NUL and C0
// controls, and the edges of each UTF-8 length. Draw 0 gives 'a'.
char32_t code_point(source& s);
// Appends the UTF-8 form of a scalar value (precondition: not a surrogate,
// <= U+10FFFF).
void append_utf8(std::string& out, char32_t cp);
// n code points of code_point(s), as UTF-8.
std::string text(source& s, std::size_t n);
// Length in code points of valid UTF-8.
std::size_t code_points(std::string_view utf8) noexcept;
// A well-formed JSON text of any shape (objects, arrays, strings of
// code_point(s), numbers of every spelling, literals), nested at most
// max_depth deep. Draw 0 gives `null`.
std::string any_json(source& s, unsigned max_depth = 4);

// ---- strings from a pattern ---------------------------------------------------

inline constexpr std::size_t unbounded_length = SIZE_MAX;

// The lengths, in code points, of the strings a pattern can match: sorted,
// disjoint, inclusive intervals (hi == unbounded_length for "and longer").
// Exact for the models' patterns up to 16384 code points (past that,
// lengths are lumped into one "and longer" interval); for patterns whose
// length sets are very irregular it may over-approximate (never
// under-approximate), which only makes matching() try and return nullopt
// more often. An empty list: the pattern matches nothing.
struct length_range {
  std::size_t lo;
  std::size_t hi;
  friend bool operator==(const length_range&, const length_range&) = default;
};
std::vector<length_range> match_lengths(const pattern::compiled& p);

// A string that fully matches `p` (checked with p.matcher), whose length in
// code points lies in [min_len, max_len], drawn biased toward min, min+1,
// max-1 and max of the achievable lengths in that range, as well as
// uniformly. When the pattern has parts that admit code points past ASCII
// (`.`, wide classes), half the draws (never draw 0) give those parts all
// the length the rest leaves them and every other part its shortest: a
// long `arn:...:pipeline/.*` ARN rather than a long plain name, so that a
// caller can fill the `.*` with multi-byte characters. nullopt when no such
// string exists or none was found in a few tries (never a string that does
// not match).
std::optional<std::string> matching(const pattern::compiled& p, source& s, std::size_t min_len,
                                    std::size_t max_len);
// The same, of exactly `len` code points.
std::optional<std::string> matching_exact(const pattern::compiled& p, source& s, std::size_t len);

enum class edit : std::uint8_t {
  drop,                // one code point of a match removed
  insert,              // one code point inserted (a neighbour of a class, or any)
  swap_outside_class,  // one code point replaced by one just outside its class
                       // (lo-1 / hi+1 of the class ranges, ch+-1 of a literal)
  line_terminator,     // a Java line terminator put where `.` matched, or inserted
  repeat_past_max,     // a bounded repetition {m,n} repeated n+1 times (each copy
                       // drawn, at its shortest with draw 0), the rest a match
  repeat_below_min,    // the same, repeated m-1 times (m > 0)
};
std::string_view to_string(edit e) noexcept;

struct near_miss {
  std::string text;
  edit how;
  friend bool operator==(const near_miss&, const near_miss&) = default;
};
// A string one edit away from a match that no longer matches (checked with
// the automaton), of length in [min_len, max_len]; nullopt when no edit
// tried breaks the match (e.g. `.*` when no line terminator fits). The edits
// take turns from a drawn first one; the repeat_* edits draw one of the
// pattern's bounded repetitions whose miss fits the length bounds.
std::optional<near_miss> near_miss_of(const pattern::compiled& p, source& s, std::size_t min_len,
                                      std::size_t max_len);
// Every near miss at a bound of a bounded repetition of `p`, by the pattern
// tree: for each repetition {m,n} (in the order it is written, `?` and
// `{12}` included), one repeated n+1 times and, when m > 0, one repeated
// m-1 times, with every alternation and optional part above it made to
// take it. Each is the simplest such string (copies and the rest at their
// shortest, with draw 0) of length in [min_len, max_len], kept only when
// the automaton rejects it (a repetition whose extra copy the rest of the
// pattern absorbs -- `(x.*)?` twice -- gives none after a few drawn
// tries). Deterministic. Empty when there is none or memory is exhausted.
std::vector<near_miss> repetition_misses(const pattern::compiled& p, std::size_t min_len,
                                         std::size_t max_len);

// ---- requests from the model ----------------------------------------------------

// The kinds of single fault of SPEC.md section 2.
enum class fault : std::uint8_t {
  none,
  required_missing,  // a required member left out (also __type of an error body)
  required_null,     // a required member given as null
  length_below,      // a string shorter than its min (draw 0: min-1)
  length_above,      // a string longer than its max (draw 0: max+1)
  pattern,           // a string within its length bounds that fails its pattern
  count_below,       // a list shorter than its min (draw 0: min-1)
  count_above,       // a list longer than its max (draw 0: max+1)
  value_below,       // a number below its min, within int32/int64 (draw 0: min-1)
  value_above,       // a number above its max (draw 0: max+1)
  wrong_type,        // a JSON value of the wrong type (or a null list element,
                     // or an integer outside int32/int64, or a fraction)
  duplicate_member,  // a known member written twice (both values valid)
  unknown_member,    // an extra member: an error only under --strict
};
inline constexpr std::size_t fault_count = 13;
std::string_view to_string(fault f) noexcept;

struct expected_error {
  std::string pointer;  // RFC 6901, as diagnostic::pointer
  constraint kind = constraint::required;
  std::string bound;    // as diagnostic::bound: "256", the pattern as written,
                        // "int32"/"int64"/"string"/"list"/"structure", or ""
  friend bool operator==(const expected_error&, const expected_error&) = default;
  friend auto operator<=>(const expected_error&, const expected_error&) = default;
};

// Free text for the body generators: exactly `code_points` code points of
// valid UTF-8, drawn from `s` (gen::text is one).
using text_drawer = std::string (*)(source& s, std::size_t code_points);

// How a body is written. The three flags change only how values are
// spelled on the wire, never what they mean; free_text chooses the content
// of free-text strings.
struct spelling {
  bool whitespace = false;  // random insignificant whitespace between tokens
  bool escapes = false;     // random \u escapes (surrogate pairs for astral)
                            // and short escapes of any character
  bool reorder = false;     // object members in a random order
  // Carried here so that every body generator takes it: where a body's
  // strings are free text, draw them with this instead of gen::text. It
  // fills a string without a pattern (a valid value, a length fault's
  // value), and a patterned one
  // when the pattern matches the drawn text (a `.*` description; else a
  // match is drawn from the pattern). A pattern fault may be the drawn
  // text when it fails the pattern, or, when the pattern takes it, that
  // text with one code point replaced by a line terminator; else a near
  // miss. Member names, unknown keys, __type and wrong-typed values keep
  // gen's hazard text. nullptr: gen::text, with exactly the draws of a
  // spelling without it. A drawer that breaks its contract (another
  // length, invalid UTF-8) makes the generator return nullopt.
  text_drawer free_text = nullptr;
};

struct body {
  std::string json;
  body_kind judge_as = body_kind::request;  // validator options::body to use
  verdict expect = verdict::valid;
  std::string_view exception;               // as judgement::exception ("" when valid)
  std::vector<expected_error> errors;       // exactly these, as a set (listed in the
                                            // validator's order: model order)
  std::string message_phrase;               // a substring of the expected message ("" when
                                            // valid): AWS's words where SPEC.md gives them,
                                            // else spe's own (see src/gen/request.cpp)
  std::string why;                          // one line, for manifests and failures
  fault injected = fault::none;
  bool needs_strict = false;                // judge with options::strict
};

// Where a fault can be put: a route from the root shape through members and
// list elements. `pointer` writes list elements as index 0; the body made
// at the site may use another index (body::errors has the real pointer).
struct site {
  fault what = fault::none;
  std::string pointer;
  const model::shape* shape = nullptr;    // the shape of the value at the site
                                          // (for member faults: the member's)
  struct step {
    std::int32_t member = -1;  // member index in its structure; -1 for a list element,
                               // -2 for __type of an error body
  };
  std::vector<step> route;
};

// The body kind a shape is judged as: the input is a request, the response
// shape (model::service_model::response(): the output, or NoOutput) a
// response, an exception shape an error body ({"__type": ..., ...}).
body_kind kind_of(const model::service_model& m, const model::shape& root) noexcept;

// Generated bodies spend at most about this many code points on string
// content: once it is spent, strings take their shortest valid length (the
// budget goes in model order, so every bound is still drawn while it
// lasts). It keeps a body of 200 list elements of 1024-character values
// cheap; pass a smaller budget for smaller bodies.
inline constexpr std::size_t default_text_budget = 8192;

// Recursive models: past 16 path steps, or once a body holds 4096 values,
// bodies go lean (optional members absent, lists at their minimum count),
// and a shape without a valid value (model::shape::finite) is never put in
// one; sites() offers no place inside such a shape.
//
// A valid body of `root` (the operation's input, output or an error shape):
// each optional member present or absent by a draw, strings from the
// patterns at biased lengths, lists at biased counts, numbers biased to
// their bounds; error bodies get "__type" (plain or qualified). nullopt only
// if the model admits no valid body (the root is not finite, or a required
// string's pattern has no match within its bounds) or, for a pattern whose
// length analysis over-approximates, no match was found in a few tries.
std::optional<body> valid(const model::service_model& m, const model::shape& root, source& s,
                          const spelling& how = {},
                          std::size_t text_budget = default_text_budget);

// Every place in `root` where fault `f` can be put, depth-first in model
// order (__type of an error body first), at most max_sites of them (the
// first in that order: a recursive model's places multiply with each level,
// and its routes stop 12 steps down). Empty when the model has no place for
// it (e.g. value_above without a bounded number).
inline constexpr std::size_t max_sites = 65536;
std::vector<site> sites(const model::service_model& m, const model::shape& root, fault f);

// A body that breaks exactly one constraint of kind `f` at one site (drawn:
// draw 0 is the first site) of an otherwise valid body, with the errors the
// specification predicts. A string made to break a length bound is drawn
// to match the pattern when a match of that length exists; when none does
// (257 characters against {0,255}) the pattern error is predicted too, as
// the automaton decides -- so `errors` may hold two items at one pointer.
// nullopt when sites(m, root, f) is empty or the fault cannot be made.
std::optional<body> single_fault(const model::service_model& m, const model::shape& root,
                                 fault f, source& s, const spelling& how = {},
                                 std::size_t text_budget = default_text_budget);
std::optional<body> single_fault(const model::service_model& m, const model::shape& root,
                                 const site& where, source& s, const spelling& how = {},
                                 std::size_t text_budget = default_text_budget);
// The same as single_fault(m, root, f, ...) with `candidates` =
// sites(m, root, f) found beforehand (a caller drawing many bodies finds
// them once): the site is drawn among them, with the same draws.
std::optional<body> single_fault(const model::service_model& m, const model::shape& root,
                                 std::span<const site> candidates, source& s, const spelling& how = {},
                                 std::size_t text_budget = default_text_budget);

// A valid body whose value at `where` sits exactly on the bound that the
// site's fault breaks: length/count/value == min for *_below sites, == max
// for *_above sites. nullopt for other faults or when no valid value has
// that length (a pattern that cannot match it).
std::optional<body> just_inside(const model::service_model& m, const model::shape& root,
                                const site& where, source& s, const spelling& how = {},
                                std::size_t text_budget = default_text_budget);

// JSON shaped like `root` but with no promise of validity: members present,
// absent, null, of any type; strings of any length and text; lists of any
// count; unknown and duplicate members. For totality checks and fuzzing.
std::string noisy(const model::shape& root, source& s);

// Re-spells a well-formed JSON text per `how` (whitespace, escapes, member
// order); numbers and literals keep their spelling. Returns the input
// unchanged when it is not well-formed JSON, or nests deeper than
// max_spell_depth (the spelling recurses once per level).
inline constexpr std::uint32_t max_spell_depth = 4096;
std::string spell(std::string_view json, source& s, const spelling& how);

}  // namespace spe::gen
