// Fuzz target `pattern_diff`: spe's pattern engine against PCRE2, set up as
// tests/support/oracle.hpp sets it up (full match, UTF, Java's `.`), and
// against itself (the DFA against the NFA simulation, compile(tree, 0)).
//
// Input, two forms:
//  - no NUL byte: a subject string, matched against every distinct pattern
//    of every built-in model -- as is and after an ARN stem, so that the far
//    parts of the ARN patterns are reached -- by the model's own automaton
//    (the one the validator uses), by the NFA of the same tree, and (for
//    valid UTF-8) by PCRE2. Invalid UTF-8 never matches.
//  - "PATTERN\0SUBJECT\0SUBJECT...": arbitrary pattern text (up to 256
//    bytes) through spe::pattern::parse and compile. Never a crash; an error
//    is clean (a code, an offset inside the text, a non-empty message, a
//    construct named when unsupported, the same error from both entry
//    points, and compile fails only as too_complex). An accepted pattern is
//    then matched, by DFA and NFA, against the subjects (up to 16 code
//    points each), the empty string and strings sampled from its own syntax
//    tree (so that matches are common, not rare); the two always agree, and
//    they agree with PCRE2 when PCRE2 accepts the translated pattern and the
//    translation is faithful (see faithful() for the exclusions, each with
//    its reason).
#include "spe/gen.hpp"
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "check.hpp"
#include "judge_checks.hpp"
#include "spe/pattern.hpp"
#include "support/oracle.hpp"
#include "support/rng.hpp"

namespace {

using spe::fuzz::printable;
namespace pat = spe::pattern;

constexpr std::size_t max_pattern = 256;
constexpr std::size_t max_subjects = 16;
constexpr std::size_t max_subject_code_points = 16;

bool valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// PCRE2's verdict, or nullopt when it cannot give one (compile or match
// error, e.g. its own match limit).
std::optional<bool> oracle_match(const spe::testing::oracle& o, std::string_view s) {
  try {
    return o.full_match(s);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// PCRE2's match limit for arbitrary patterns: their subjects are at most
// 16 code points, and no such match of the corpus needs a thousandth of
// PCRE2's default (ten million), which let its backtracking take 16 s on one
// input (a slow unit). A match past the limit gives no verdict; the DFA and
// the NFA are still compared. The model patterns keep the default: each of
// their matches must give a verdict, on subjects up to max_len.
constexpr std::uint32_t arbitrary_match_limit = 100000;

std::unique_ptr<spe::testing::oracle> make_oracle(std::string_view pattern,
                                                  std::uint32_t match_limit = 0) {
  try {
    return std::make_unique<spe::testing::oracle>(pattern, match_limit);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// ---- model patterns ------------------------------------------------------

struct model_pattern {
  std::string text;
  const pat::automaton* dfa = nullptr;  // the model's own
  pat::automaton nfa;
  std::unique_ptr<spe::testing::oracle> oracle;
};

// Immutable after the first call (PCRE2's match data is scratch only).
const std::vector<model_pattern>& model_patterns() {
  static const std::vector<model_pattern> all = [] {
    std::vector<model_pattern> out;
    std::set<std::string> seen;
    for (const spe::model::service_model* m : spe::fuzz::revisions()) {
      for (const spe::model::shape* s : m->shapes()) {
        if (!s->regex || !seen.insert(s->pattern).second) continue;
        model_pattern p;
        p.text = s->pattern;
        p.dfa = &s->regex->matcher;
        auto nfa = pat::compile(s->regex->tree, 0);
        SPE_FUZZ_CHECK(nfa.has_value(), "the NFA of model pattern " + s->pattern + " compiles");
        p.nfa = std::move(*nfa);
        p.oracle = make_oracle(s->pattern);
        SPE_FUZZ_CHECK(p.oracle != nullptr, "PCRE2 compiles model pattern " + s->pattern);
        out.push_back(std::move(p));
      }
    }
    SPE_FUZZ_CHECK(!out.empty(), "the models have patterns");
    return out;
  }();
  return all;
}

void check_model_subject(std::string_view subject) {
  const bool utf8 = valid_utf8(subject);
  for (const model_pattern& p : model_patterns()) {
    const bool by_dfa = p.dfa->full_match(subject);
    const bool by_nfa = p.nfa.full_match(subject);
    const std::string where = "model pattern " + p.text + " on " + printable(subject);
    SPE_FUZZ_CHECK(by_dfa == by_nfa, "DFA and NFA agree: " + where);
    if (!utf8) {
      SPE_FUZZ_CHECK(!by_dfa, "invalid UTF-8 never matches: " + where);
      continue;
    }
    // The validator's own entry: skip states, run states, the pair table.
    SPE_FUZZ_CHECK(p.dfa->full_match_valid_utf8(subject) == by_dfa,
                   "full_match_valid_utf8 agrees with full_match: " + where);
    const std::optional<bool> expected = oracle_match(*p.oracle, subject);
    SPE_FUZZ_CHECK(expected.has_value(), "PCRE2 matches a model pattern without error: " + where);
    SPE_FUZZ_CHECK(*expected == by_dfa, "spe (" + std::to_string(by_dfa) + ") agrees with PCRE2 (" +
                                            std::to_string(*expected) + "): " + where);
  }
}

// ---- arbitrary patterns --------------------------------------------------

// Whether tests/support/oracle.hpp's translation gives PCRE2 a pattern of
// the same meaning as Java's. Conservative: a pattern is excluded when it
// holds any construct where the two differ or the translation is too
// simple, even if spe would reject the construct anyway.
bool faithful(std::string_view p) {
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) return false;
      const char e = p[i + 1];
      // \0 octal: Java reads up to three digits after \0, PCRE2 two.
      // \Q..\E: the translation does not skip quoted text.
      // \x without braces: PCRE2 takes 0-2 hex digits, Java exactly 2.
      // \c: Java and PCRE2 map \cX differently for non-letters.
      // \N, \R, \X, \h, \v, \p, \P, \k, \g, \b, \B, \A, \Z, \z, \G: engine-specific.
      if (std::string_view("0QExcNRXhvpPkgbBAZzGHVKCo").find(e) != std::string_view::npos) return false;
      if (e >= '1' && e <= '9') return false;  // backreference in both, but excluded anyway
      ++i;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      // A ']' first in the class: the translator ends the class there.
      if (i + 1 < p.size() && p[i + 1] == ']') return false;
      if (i + 2 < p.size() && p[i + 1] == '^' && p[i + 2] == ']') return false;
      // [[:alpha:]] is POSIX in PCRE2, a nested union in Java.
      continue;
    }
    if (in_class) {
      if (c == '[') return false;  // nesting, union, POSIX classes
      if (c == '&' && i + 1 < p.size() && p[i + 1] == '&') return false;  // intersection
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '(' && i + 1 < p.size() && p[i + 1] == '?' &&
        !(i + 2 < p.size() && p[i + 2] == ':')) {
      return false;  // only (?: means the same in both
    }
    // "(*VERB)" and "(*" are PCRE2 syntax, an error in Java.
    if (c == '(' && i + 1 < p.size() && p[i + 1] == '*') return false;
  }
  return !in_class;
}

std::string utf8(char32_t cp) {
  std::string s;
  spe::gen::append_utf8(s, cp);
  return s;
}

// A string walked out of the syntax tree: usually a match (when the
// anchors allow), cut at 64 bytes. Choices come from a seeded splitmix64 stream
// (tests/support/rng.hpp).
class sampler {
 public:
  explicit sampler(std::uint64_t seed) : random_(seed) {}

  std::string sample(const pat::node& root) {
    std::string out;
    walk(root, out);
    return out;
  }

 private:
  std::uint64_t below(std::uint64_t n) { return random_.below(n); }

  void walk(const pat::node& n, std::string& out) {
    if (out.size() >= 64) return;
    switch (n.kind) {
      case pat::node_kind::empty:
      case pat::node_kind::begin_text:
      case pat::node_kind::end_text: return;
      case pat::node_kind::literal: out += utf8(n.ch); return;
      case pat::node_kind::char_class:
      case pat::node_kind::any: {
        if (n.ranges.empty()) return;
        const pat::code_range& r = n.ranges[below(n.ranges.size())];
        const std::uint64_t width = std::uint64_t{r.hi} - r.lo + 1;
        const std::uint64_t pick = below(4);
        const char32_t cp = pick == 0 ? r.lo : pick == 1 ? r.hi : static_cast<char32_t>(r.lo + below(width));
        out += utf8(cp);
        return;
      }
      case pat::node_kind::concat:
        for (const pat::node& c : n.children) walk(c, out);
        return;
      case pat::node_kind::alternate:
        if (!n.children.empty()) walk(n.children[below(n.children.size())], out);
        return;
      case pat::node_kind::repeat: {
        if (n.children.empty()) return;
        const std::uint32_t extra = n.max == pat::unbounded ? 3 : n.max - n.min;
        const std::uint64_t times = n.min + below(std::uint64_t{extra < 3 ? extra : 3} + 1);
        for (std::uint64_t i = 0; i < times && out.size() < 64; ++i) walk(n.children[0], out);
        return;
      }
      case pat::node_kind::group:
        if (!n.children.empty()) walk(n.children[0], out);
        return;
    }
  }

  spe::testing::rng random_;
};

void check_error(const pat::error& e, std::string_view pattern, const char* entry) {
  const std::string where = std::string(entry) + " of " + printable(pattern);
  SPE_FUZZ_CHECK(e.code != pat::error_code::ok, "an error has a code: " + where);
  SPE_FUZZ_CHECK(e.offset <= pattern.size(), "error offset inside the pattern: " + where);
  SPE_FUZZ_CHECK(!pat::to_string(e).empty(), "error has a message: " + where);
  SPE_FUZZ_CHECK(e.code != pat::error_code::unsupported || !e.construct.empty(),
                 "unsupported names its construct: " + where);
}

void check_pattern(std::string_view pattern, const std::vector<std::string_view>& subjects,
                   std::uint64_t seed) {
  auto parsed = pat::parse(pattern);
  auto both = pat::compile(pattern);
  if (!parsed) {
    check_error(parsed.error(), pattern, "parse");
    SPE_FUZZ_CHECK(!both && both.error().code == parsed.error().code &&
                       both.error().offset == parsed.error().offset,
                   "compile(text) fails as parse does: " + printable(pattern));
    return;
  }
  const pat::syntax_tree& tree = *parsed;
  SPE_FUZZ_CHECK(tree.source() == pattern, "the tree keeps its source: " + printable(pattern));
  const std::string rendering = tree.to_string();
  SPE_FUZZ_CHECK(!rendering.empty(), "the tree renders: " + printable(pattern));
  {
    auto again = pat::parse(pattern);
    SPE_FUZZ_CHECK(again && again->to_string() == rendering, "parsing is deterministic: " + printable(pattern));
  }

  // compile(text) is parse + compile(tree): its DFA is the one checked;
  // compile(tree, 0) gives the NFA of the same tree.
  auto nfa = pat::compile(tree, 0);
  if (!both) check_error(both.error(), pattern, "compile(text)");
  if (!nfa) check_error(nfa.error(), pattern, "compile(tree, 0)");
  if (!both && nfa) {
    // The one refusal of compile(text) that compile(tree, 0) lacks: no DFA
    // and an NFA too large to simulate cheaply.
    auto direct = pat::compile(tree);
    SPE_FUZZ_CHECK(both.error().code == pat::error_code::too_complex && direct && !direct->deterministic() &&
                       direct->state_count() > pat::max_simulated_states,
                   "compile(text) refuses what compile(tree, 0) compiles only for a costly NFA: " +
                       printable(pattern) + ": " + pat::to_string(both.error()));
    return;
  }
  SPE_FUZZ_CHECK(both.has_value() == nfa.has_value(),
                 "compile(text) and compile(tree, 0) agree on whether it compiles: " + printable(pattern));
  if (!both) {
    SPE_FUZZ_CHECK(both.error().code == pat::error_code::too_complex,
                   "compile fails only as too_complex: " + pat::to_string(both.error()));
    return;
  }
  SPE_FUZZ_CHECK(both->tree.to_string() == rendering,
                 "compile(text) keeps the tree parse gives: " + printable(pattern));
  const pat::automaton& dfa = both->matcher;
  SPE_FUZZ_CHECK(dfa.deterministic() || dfa.state_count() <= pat::max_simulated_states,
                 "compile(text) keeps no NFA past max_simulated_states: " + printable(pattern));
  SPE_FUZZ_CHECK(!nfa->deterministic(), "a DFA limit of 0 forces the NFA: " + printable(pattern));

  std::unique_ptr<spe::testing::oracle> oracle;
  if (faithful(pattern) && valid_utf8(pattern)) oracle = make_oracle(pattern, arbitrary_match_limit);

  std::vector<std::string> all;
  all.emplace_back();
  for (std::string_view s : subjects) all.emplace_back(s);
  sampler gen(seed);
  for (int i = 0; i < 4; ++i) all.push_back(gen.sample(tree.root()));

  for (const std::string& s : all) {
    const bool by_dfa = dfa.full_match(s);
    const bool by_nfa = nfa->full_match(s);
    const std::string where = "pattern " + printable(pattern) + " (tree " + printable(rendering, 300) +
                              ") on " + printable(s);
    SPE_FUZZ_CHECK(by_dfa == by_nfa, "DFA and NFA agree: " + where);
    if (!valid_utf8(s)) {
      SPE_FUZZ_CHECK(!by_dfa, "invalid UTF-8 never matches: " + where);
      continue;
    }
    SPE_FUZZ_CHECK(dfa.full_match_valid_utf8(s) == by_dfa,
                   "full_match_valid_utf8 agrees with full_match: " + where);
    if (!oracle) continue;
    const std::optional<bool> expected = oracle_match(*oracle, s);
    if (!expected) continue;
    SPE_FUZZ_CHECK(*expected == by_dfa, "spe (" + std::to_string(by_dfa) + ") agrees with PCRE2 (" +
                                            std::to_string(*expected) + ", as " +
                                            printable(spe::testing::java_to_pcre2(pattern)) + "): " + where);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  if (nul == std::string_view::npos) {
    check_model_subject(input);
    check_model_subject("arn:aws:sagemaker:us-east-1:123456789012:pipeline/" + std::string(input));
    return 0;
  }
  const std::string_view pattern = input.substr(0, nul);
  if (pattern.size() > max_pattern) return 0;
  std::vector<std::string_view> subjects;
  std::string_view rest = input.substr(nul + 1);
  while (subjects.size() < max_subjects) {
    const std::size_t end = rest.find('\0');
    const std::string_view s = rest.substr(0, end);
    if (code_points(s) <= max_subject_code_points) subjects.push_back(s);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  check_pattern(pattern, subjects, spe::fuzz::hash_bytes(input));
  return 0;
}
