// Strings from a pattern: the length analysis agrees with regex semantics,
// generated strings match (as judged by PCRE2, not only by spe's automaton)
// at every bound of every model pattern, impossible lengths are refused,
// and near misses fail the pattern while staying within bounds, by the edit
// they claim.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "spe/gen.hpp"
#include "spe/model.hpp"
#include "support/oracle.hpp"
#include "support/utf8.hpp"

namespace {

using namespace spe;
using gen::length_range;

constexpr std::size_t inf = gen::unbounded_length;

pattern::compiled compile(std::string_view text) {
  auto r = pattern::compile(text);
  EXPECT_TRUE(r.has_value()) << text;
  return std::move(*r);
}

TEST(gen_pattern, match_lengths_follow_regex_semantics) {
  EXPECT_EQ(gen::match_lengths(compile("a{2,4}")), (std::vector<length_range>{{2, 4}}));
  EXPECT_EQ(gen::match_lengths(compile("(ab){0,3}")),
            (std::vector<length_range>{{0, 0}, {2, 2}, {4, 4}, {6, 6}}));
  EXPECT_EQ(gen::match_lengths(compile(".*")), (std::vector<length_range>{{0, inf}}));
  EXPECT_EQ(gen::match_lengths(compile("([0-9]{12}|aws)")),
            (std::vector<length_range>{{3, 3}, {12, 12}}));
  EXPECT_EQ(gen::match_lengths(compile("^[a-z]+$")), (std::vector<length_range>{{1, inf}}));
  EXPECT_EQ(gen::match_lengths(compile("x?y{3}")), (std::vector<length_range>{{3, 4}}));
  EXPECT_EQ(gen::match_lengths(compile("(a|bcd)*")),
            (std::vector<length_range>{{0, inf}}));
}

TEST(gen_pattern, impossible_lengths_give_nullopt) {
  gen::seeded_source s(1);
  EXPECT_FALSE(gen::matching_exact(compile("[0-9]{12}"), s, 11));
  EXPECT_FALSE(gen::matching_exact(compile("(ab){0,3}"), s, 3));
  EXPECT_FALSE(gen::matching_exact(compile(model::builtin("seed")->find("PipelineName")->pattern), s, 0));
  EXPECT_FALSE(gen::matching(compile("a{2,4}"), s, 5, 9));
  EXPECT_TRUE(gen::matching_exact(compile("(ab){0,3}"), s, 4));
}

TEST(gen_pattern, draw_zero_is_the_shortest_simplest_match) {
  gen::bytes_source zero({});
  EXPECT_EQ(gen::matching(compile("[a-z]+"), zero, 0, 10), "a");
  EXPECT_EQ(gen::matching(compile(".*"), zero, 0, 10), "");
  EXPECT_EQ(gen::matching(compile("(ab|c)d"), zero, 0, 10), "cd");
}

struct model_pattern {
  std::string revision;
  const model::shape* shape;
};

std::vector<model_pattern> model_patterns() {
  std::vector<model_pattern> out;
  for (std::string_view r : model::builtin_revisions()) {
    for (const model::shape* s : model::builtin(r)->shapes()) {
      if (s->regex) out.push_back({std::string(r), s});
    }
  }
  return out;
}

bool has_line_terminator(std::string_view t) {
  for (std::string_view lt : {"\n", "\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
    if (t.find(lt) != std::string_view::npos) return true;
  }
  return false;
}

std::size_t lo_of(const model::shape& s) { return s.has_min ? static_cast<std::size_t>(s.min) : 0; }
std::size_t hi_of(const model::shape& s) { return s.has_max ? static_cast<std::size_t>(s.max) : 300; }

TEST(gen_pattern, every_model_pattern_matches_at_each_bound_as_pcre2_agrees) {
  const auto all = model_patterns();
  ASSERT_GE(all.size(), 10u);
  gen::seeded_source s(5);
  for (const model_pattern& mp : all) {
    const model::shape& sh = *mp.shape;
    SCOPED_TRACE(mp.revision + " " + sh.name + " " + sh.pattern);
    const spe::testing::oracle pcre(sh.pattern);
    const auto lens = gen::match_lengths(*sh.regex);
    ASSERT_FALSE(lens.empty());
    const std::size_t lo = std::max(lo_of(sh), lens.front().lo);
    const std::size_t hi = std::min(hi_of(sh), lens.back().hi);
    ASSERT_LE(lo, hi);
    for (std::size_t n : {lo, lo + 1, hi - 1, hi}) {
      const auto m = gen::matching_exact(*sh.regex, s, n);
      ASSERT_TRUE(m.has_value()) << "length " << n;
      EXPECT_EQ(gen::code_points(*m), n);
      EXPECT_TRUE(sh.regex->matcher.full_match(*m)) << *m;
      EXPECT_TRUE(pcre.full_match(*m)) << *m;
    }
    // The biased draw reaches all four ends of the range.
    std::set<std::size_t> lengths;
    for (int i = 0; i < 300; ++i) {
      const auto m = gen::matching(*sh.regex, s, lo_of(sh), hi_of(sh));
      ASSERT_TRUE(m.has_value());
      ASSERT_TRUE(pcre.full_match(*m)) << *m;
      lengths.insert(gen::code_points(*m));
    }
    for (std::size_t n : {lo, lo + 1, hi - 1, hi}) EXPECT_TRUE(lengths.count(n)) << "length " << n;
  }
}

TEST(gen_pattern, near_misses_fail_the_pattern_within_bounds_by_every_edit) {
  gen::seeded_source s(6);
  for (const model_pattern& mp : model_patterns()) {
    const model::shape& sh = *mp.shape;
    SCOPED_TRACE(mp.revision + " " + sh.name + " " + sh.pattern);
    const spe::testing::oracle pcre(sh.pattern);
    std::set<gen::edit> edits;
    for (int i = 0; i < 200; ++i) {
      const auto miss = gen::near_miss_of(*sh.regex, s, lo_of(sh), hi_of(sh));
      ASSERT_TRUE(miss.has_value());
      const std::size_t n = gen::code_points(miss->text);
      EXPECT_GE(n, lo_of(sh));
      EXPECT_LE(n, hi_of(sh));
      EXPECT_FALSE(pcre.full_match(miss->text)) << miss->text;
      edits.insert(miss->how);
      if (sh.pattern == ".*") {
        // Only a line terminator can break `.*`, whatever the edit is called.
        EXPECT_TRUE(has_line_terminator(miss->text)) << miss->text;
      }
    }
    // Every pattern is broken by swapping in a neighbour of a class and
    // by an insertion (a line terminator at least, for `.*`).
    EXPECT_TRUE(edits.count(gen::edit::swap_outside_class));
    EXPECT_TRUE(edits.count(gen::edit::insert));
    if (sh.pattern.find('.') != std::string::npos) {
      EXPECT_TRUE(edits.count(gen::edit::line_terminator));
    }
    // The repetition edits, wherever a repetition's miss fits the bounds.
    for (const auto& m : gen::repetition_misses(*sh.regex, lo_of(sh), hi_of(sh))) {
      EXPECT_TRUE(edits.count(m.how)) << gen::to_string(m.how);
    }
  }
}

// Repetitions {m,n} given n+1 and m-1 copies: the misses the length and
// class edits above rarely reach (a 257th alphanumeric against {0,255}).
TEST(gen_pattern, repetition_misses_step_past_each_bound_of_each_repetition) {
  const auto texts = [](const std::vector<gen::near_miss>& ms) {
    std::vector<std::pair<std::string, gen::edit>> out;
    for (const auto& m : ms) out.emplace_back(m.text, m.how);
    return out;
  };
  using e = gen::edit;
  using list = std::vector<std::pair<std::string, gen::edit>>;
  EXPECT_EQ(texts(gen::repetition_misses(compile("(ab){2,3}c"), 0, 20)),
            (list{{"ababababc", e::repeat_past_max}, {"abc", e::repeat_below_min}}));
  // An alternation and an optional part above the repetition take it.
  EXPECT_EQ(texts(gen::repetition_misses(compile("(k(a|[0-9]{3}))?z"), 0, 20)),
            (list{{"kakaz", e::repeat_past_max}, {"k0000z", e::repeat_past_max}, {"k00z", e::repeat_below_min}}));
  // Only within the length bounds.
  EXPECT_EQ(texts(gen::repetition_misses(compile("[a-z]{0,5}"), 0, 5)), list{});
  EXPECT_EQ(texts(gen::repetition_misses(compile("[a-z]{0,5}"), 0, 6)), (list{{"aaaaaa", e::repeat_past_max}}));
  EXPECT_EQ(texts(gen::repetition_misses(compile("[a-z]{0,5}"), 7, 9)), list{});
  // A second copy that the rest absorbs is still a match: no miss there.
  EXPECT_EQ(texts(gen::repetition_misses(compile("(x.*)?y"), 0, 50)), list{});
  // `+` below its min is the empty repetition.
  EXPECT_EQ(texts(gen::repetition_misses(compile("^q[a-z]+$"), 0, 9)), (list{{"q", e::repeat_below_min}}));
}

// The pattern tree's repetitions, walked by the test: which {m,n} a
// pattern has, so that expectations follow the model.
void bounded_repeats(const pattern::node& n, std::vector<const pattern::node*>& out) {
  if (n.kind == pattern::node_kind::repeat && (n.max != pattern::unbounded || n.min > 0)) out.push_back(&n);
  for (const auto& c : n.children) bounded_repeats(c, out);
}

TEST(gen_pattern, every_model_pattern_has_its_repetition_misses_as_pcre2_agrees) {
  std::size_t seen = 0;
  for (const model_pattern& mp : model_patterns()) {
    const model::shape& sh = *mp.shape;
    SCOPED_TRACE(mp.revision + " " + sh.name + " " + sh.pattern);
    const spe::testing::oracle pcre(sh.pattern);
    const auto misses = gen::repetition_misses(*sh.regex, lo_of(sh), hi_of(sh));
    EXPECT_EQ(misses, gen::repetition_misses(*sh.regex, lo_of(sh), hi_of(sh)));  // deterministic
    for (const auto& m : misses) {
      EXPECT_TRUE(m.how == gen::edit::repeat_past_max || m.how == gen::edit::repeat_below_min);
      EXPECT_FALSE(pcre.full_match(m.text)) << m.text;
      EXPECT_GE(gen::code_points(m.text), lo_of(sh));
      EXPECT_LE(gen::code_points(m.text), hi_of(sh));
    }
    // Where a plain run of 'a' (the simplest code point) matches up to
    // the count of a repetition {m,n} plus one and not past it, and one more
    // fits the member's length, that run is one of the misses: a plain
    // name one past the pattern's own bound (257 against {0,255}).
    std::vector<const pattern::node*> reps;
    bounded_repeats(sh.regex->tree.root(), reps);
    for (const pattern::node* r : reps) {
      if (r->max == pattern::unbounded || r->max + 2 > hi_of(sh)) continue;
      const std::string plain(r->max + 2, 'a');
      if (!pcre.full_match(plain.substr(1)) || pcre.full_match(plain)) continue;
      ++seen;
      EXPECT_TRUE(std::any_of(misses.begin(), misses.end(), [&](const gen::near_miss& m) {
        return m.text == plain && m.how == gen::edit::repeat_past_max;
      })) << "no " << plain.size() << " times 'a'";
    }
  }
  // botocore-1.29 and 1.43: PipelineName ({0,255}, max 2048); the others
  // have no room ({0,255} with max 256, {0,81} with max 82).
  EXPECT_GE(seen, 2u);
}

// A long match of a pattern with `.` holds its length in the `.` part on
// some of a few seeds, so that a caller can make it of 2-, 3- and 4-byte
// characters: each of most of its code points can be replaced by one (as
// PCRE2 judges), at the member's max and one past it.
TEST(gen_pattern, long_matches_put_their_length_where_any_code_point_goes) {
  std::size_t checked = 0;
  for (const model_pattern& mp : model_patterns()) {
    const model::shape& sh = *mp.shape;
    if (!sh.has_max || sh.pattern.find('.') == std::string::npos) continue;
    SCOPED_TRACE(mp.revision + " " + sh.name + " " + sh.pattern);
    const spe::testing::oracle pcre(sh.pattern);
    for (const std::size_t n : {static_cast<std::size_t>(sh.max), static_cast<std::size_t>(sh.max) + 1}) {
      std::size_t best = 0;
      for (std::uint64_t seed = 1; seed <= 16 && best * 2 <= n; ++seed) {
        gen::seeded_source s(seed);
        const auto m = gen::matching_exact(*sh.regex, s, n);
        ASSERT_TRUE(m.has_value());
        // Code points (sampled) that may each be U+20AC.
        const std::vector<std::size_t> starts = spe::testing::code_point_starts(*m);
        std::size_t ok = 0;
        constexpr std::size_t samples = 64;
        for (std::size_t k = 0; k < samples; ++k) {
          const std::size_t i = starts[k * starts.size() / samples];
          std::size_t len = 1;
          while (i + len < m->size() && (static_cast<unsigned char>((*m)[i + len]) & 0xC0) == 0x80) ++len;
          std::string t = *m;
          t.replace(i, len, "\xE2\x82\xAC");
          ok += pcre.full_match(t);
        }
        best = std::max(best, ok * n / samples);
      }
      EXPECT_GT(best * 2, n) << "length " << n << ": no seed put most of it in `.`";
      ++checked;
    }
  }
  EXPECT_GE(checked, 8u);
}

TEST(gen_pattern, swaps_use_the_code_points_just_outside_a_class) {
  gen::seeded_source s(7);
  const auto p = compile("[b-dx]{3}");
  std::set<std::uint32_t> used;
  for (int i = 0; i < 400; ++i) {
    const auto miss = gen::near_miss_of(p, s, 3, 3);
    ASSERT_TRUE(miss.has_value());
    if (miss->how != gen::edit::swap_outside_class) continue;
    for (char c : miss->text) {
      if (c != 'b' && c != 'c' && c != 'd' && c != 'x') used.insert(static_cast<std::uint32_t>(c));
    }
  }
  // b-1, d+1, x-1, x+1.
  EXPECT_EQ(used, (std::set<std::uint32_t>{'a', 'e', 'w', 'y'}));
}

TEST(gen_pattern, same_seed_same_strings) {
  const auto p = compile(model::builtin("botocore-1.43")->find("PipelineNameOrArn")->pattern);
  gen::seeded_source a(11);
  gen::seeded_source b(11);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(gen::matching(p, a, 0, 2048), gen::matching(p, b, 0, 2048));
    const auto x = gen::near_miss_of(p, a, 0, 2048);
    const auto y = gen::near_miss_of(p, b, 0, 2048);
    ASSERT_EQ(x.has_value(), y.has_value());
    if (x) EXPECT_EQ(x->text, y->text);
  }
}

}  // namespace
