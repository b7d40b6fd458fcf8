// Long texts through the DFA agree with the NFA simulation.
//
// Texts of 512 bytes or more take match.cpp's fast paths: the table copied
// premultiplied, and the text cut into two or four pieces walked in lock
// step, every piece after the first started from a guessed state. A guess
// is right for starred classes (`.*`, [A-Za-z0-9_-]*) and wrong for the
// counting patterns ({0,255}), and a piece may die before or after the
// pieces around it -- each of those must give the verdict of the plain NFA
// simulation (compile(tree, 0)), which shares none of that code. The
// patterns are every pattern of the three models (models/*.json); the
// texts are seeded random mixes, around the length where the paths change,
// of the code points the patterns care about, and of matching texts with
// one character changed at the start, a piece boundary, or the end.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "spe/pattern.hpp"
#include "support/utf8.hpp"

namespace {

std::set<std::string> model_patterns() {
  std::set<std::string> out;
  for (const std::string rev : {"seed", "botocore-1.29", "botocore-1.43"}) {
    std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/" + rev + ".json");
    const nlohmann::json m = nlohmann::json::parse(in);
    for (const auto& [name, shape] : m.at("shapes").items()) {
      if (shape.contains("pattern")) out.insert(shape.at("pattern").get<std::string>());
    }
  }
  return out;
}

// Code points a model pattern tells apart: name characters, the hyphen,
// punctuation, ARN text, multi-byte letters, Java's line terminators.
const std::vector<std::string> pieces = {
    "a", "Z", "7", "-", "_", "!", ":", "/", " ", "arn:aws:sagemaker:us-east-1:123456789012:pipeline/",
    "/execution/", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\n", "\r", "\xC2\x85",
    "\xE2\x80\xA8", "\xE2\x80\xA9", "\xC3"};  // the last is a truncated sequence

std::string random_text(std::mt19937& rng, std::size_t bytes, const std::vector<std::string>& from) {
  std::string s;
  while (s.size() < bytes) s += from[rng() % from.size()];
  return s;
}

void expect_same(const spe::pattern::automaton& dfa, const spe::pattern::automaton& nfa,
                 const std::string& text, const std::string& what) {
  spe::pattern::match_stats stats;
  const bool fast = dfa.full_match(text, stats);
  ASSERT_EQ(fast, nfa.full_match(text)) << what << ", " << text.size() << " bytes";
  // The fast paths never take fewer steps than bytes when they accept, and
  // never more than two walks of the text.
  if (fast) EXPECT_GE(stats.steps, text.size()) << what;
  EXPECT_LE(stats.steps, 2 * text.size() + 64) << what;
  // The validator's entry point (skipping ahead under `.*`) on every text
  // that is valid UTF-8, as every string of a JSON body is.
  if (spe::testing::is_valid_utf8(text)) {
    spe::pattern::match_stats skip_stats;
    ASSERT_EQ(dfa.full_match_valid_utf8(text, skip_stats), fast) << what << " (valid UTF-8 entry)";
    EXPECT_LE(skip_stats.steps, 2 * text.size() + 64) << what;
  }
}

TEST(PatternLong, FastPathsAgreeWithTheNfaOnLongTexts) {
  std::mt19937 rng(20241124);
  std::size_t matched = 0;
  std::size_t checked = 0;
  for (const std::string& pattern : model_patterns()) {
    SCOPED_TRACE(pattern);
    auto c = spe::pattern::compile(pattern);
    ASSERT_TRUE(c);
    auto nfa = spe::pattern::compile(c->tree, 0);
    ASSERT_TRUE(nfa);
    ASSERT_TRUE(c->matcher.deterministic());

    // Matching texts, built by repeating short matches of this pattern
    // found among random candidates, then changed in one place.
    std::vector<std::string> units;
    for (int i = 0; i < 4000 && units.size() < 8; ++i) {
      std::string u = random_text(rng, 1 + rng() % 6, pieces);
      if (c->matcher.full_match(u) && c->matcher.full_match(u + u)) units.push_back(u);
    }
    for (const std::size_t bytes : {500u, 511u, 512u, 700u, 1023u, 1024u, 1500u, 4096u}) {
      for (int round = 0; round < 12; ++round) {
        const std::string text = random_text(rng, bytes, pieces);
        expect_same(c->matcher, *nfa, text, "random mix");
        ++checked;
        if (units.empty()) continue;
        std::string good;
        while (good.size() < bytes) good += units[rng() % units.size()];
        expect_same(c->matcher, *nfa, good, "repeated matches");
        matched += c->matcher.full_match(good);
        ++checked;
        for (const std::size_t at : {std::size_t{0}, good.size() / 4, good.size() / 2,
                                     good.size() * 3 / 4, good.size() - 1,
                                     static_cast<std::size_t>(rng() % good.size())}) {
          std::string bad = good;
          bad.replace(at, 1, pieces[rng() % pieces.size()]);
          expect_same(c->matcher, *nfa, bad, "one change at " + std::to_string(at));
          ++checked;
        }
      }
    }
  }
  // The test reaches both verdicts on long texts.
  EXPECT_GT(matched, 50u);
  EXPECT_GT(checked, 1000u);
}

// The one text a guess gets wrong on purpose: a counting pattern whose
// state at the cut differs from its state further on.
TEST(PatternLong, WrongGuessesAreWalkedAgain) {
  auto c = spe::pattern::compile("[a-z]{0,900}");
  ASSERT_TRUE(c);
  auto nfa = spe::pattern::compile(c->tree, 0);
  ASSERT_TRUE(nfa);
  for (const std::size_t n : {600u, 899u, 900u, 901u, 1200u, 2000u}) {
    const std::string text(n, 'q');
    EXPECT_EQ(c->matcher.full_match(text), n <= 900) << n;
    EXPECT_EQ(nfa->full_match(text), n <= 900) << n;
  }
}

}  // namespace

// Run states (a starred class of many ASCII bytes in a few ranges, such as
// PipelineParameterName's [A-Za-z0-9\-_]*) are left through a 16-byte range
// test, with the last bytes tested as the 16 that end the text and a text
// under 16 bytes through a copy. Every length from 0 to 70 and every
// position of one byte that leaves the run (ASCII outside the class, a
// multi-byte character, a byte at a range's edge) must give the NFA's
// verdict, and so must texts that leave and re-enter the run.
TEST(PatternLong, RunStatesAgreeAtEveryLengthAndPosition) {
  const std::vector<std::string> patterns = {
      "[A-Za-z0-9\\-_]*",        // five ranges, the model's parameter names
      "[a-z\\-]*:[0-9]*",        // two run states in a row
      "[ -~]*",                  // one range of 95 bytes, edges at 0x20 and 0x7E
      "[!-/:-@\\[-`{-~0-9]*x",   // six ranges, then one more character
      "[ace-gik-mo-qsuw-y0-9]*", // seven ranges: more than a run state takes (table walk)
      "(?:[A-Za-z]+-)*[A-Za-z]*", // a run left and re-entered at every hyphen
  };
  // In-class bytes to fill with, and bytes that leave each run: range edges
  // and their neighbours, a multi-byte letter, Java's line terminators.
  const std::string fill = "aZz0-_:!~ ";
  const std::vector<std::string> breakers = {"@", "[", "`", "{", "/", ".", "\x1F", "\x7F", "\xC3\xA9",
                                             "\xE2\x80\xA8", "\n", "-", "x", "b"};
  std::mt19937 rng(7);
  std::size_t checked = 0;
  for (const std::string& pattern : patterns) {
    SCOPED_TRACE(pattern);
    auto c = spe::pattern::compile(pattern);
    ASSERT_TRUE(c);
    auto nfa = spe::pattern::compile(c->tree, 0);
    ASSERT_TRUE(nfa);
    // Fill characters that keep this pattern's first run alive.
    std::string alive;
    for (char ch : fill) {
      if (c->matcher.full_match(std::string(20, ch))) alive += ch;
    }
    if (alive.empty()) alive = "a";
    for (std::size_t n = 0; n <= 70; ++n) {
      std::string base;
      for (std::size_t k = 0; k < n; ++k) base += alive[rng() % alive.size()];
      expect_same(c->matcher, *nfa, base, "run of " + std::to_string(n));
      expect_same(c->matcher, *nfa, base + "x", "run of " + std::to_string(n) + " then x");
      for (std::size_t at = 0; at < n; ++at) {
        std::string text = base;
        text.replace(at, 1, breakers[rng() % breakers.size()]);
        expect_same(c->matcher, *nfa, text, "length " + std::to_string(n) + ", break at " + std::to_string(at));
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10000u);
}
