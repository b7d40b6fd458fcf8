// One automaton, many threads: matching only reads the automaton, so
// concurrent calls must give the same verdicts as PCRE2 gives on one
// thread, on the DFA and on the NFA path alike (each with its own step
// counts).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "spe/pattern.hpp"
#include "support/oracle.hpp"

namespace {

std::string name_or_arn_pattern() {
  std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/botocore-1.43.json");
  const nlohmann::json m = nlohmann::json::parse(in);
  return m.at("shapes").at("PipelineNameOrArn").at("pattern").get<std::string>();
}

TEST(PatternThreads, ConcurrentMatchesAgree) {
  const std::string pattern = name_or_arn_pattern();
  auto c = spe::pattern::compile(pattern);
  ASSERT_TRUE(c) << spe::pattern::to_string(c.error());
  auto nfa = spe::pattern::compile(c->tree, 0);
  ASSERT_TRUE(nfa);

  const std::string arn = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/";
  std::vector<std::string> inputs = {"a", "my-pipeline", "-a", "a-", arn + "p", arn, arn + "p\n",
                                     "arn:aws:sagemaker:us-east-1:aws:pipeline/x", std::string(256, 'a'),
                                     std::string(257, 'a'), arn + std::string(300, 'b'), "\xC3\xA9", "\xC0\xAF"};
  for (std::size_t k = 0; k < 50; ++k) inputs.push_back(arn.substr(0, k) + "z" + std::string(k * 7, '-') + "q");
  std::vector<char> expected;
  const spe::testing::oracle pcre(pattern);
  for (const std::string& s : inputs) {
    // PCRE2 refuses invalid UTF-8; it never matches.
    const bool valid = s != "\xC0\xAF";
    expected.push_back(valid && pcre.full_match(s) ? 1 : 0);
  }
  ASSERT_NE(std::count(expected.begin(), expected.end(), 1), 0);
  ASSERT_NE(std::count(expected.begin(), expected.end(), 0), 0);

  std::atomic<std::size_t> mismatches{0};
  std::atomic<std::size_t> checks{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    const spe::pattern::automaton* a = (t % 2 == 0) ? &c->matcher : &*nfa;
    threads.emplace_back([&, t, a] {
      while (!go.load()) std::this_thread::yield();
      for (int round = 0; round < 30; ++round) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          const std::size_t at = (i + static_cast<std::size_t>(t) * 7) % inputs.size();  // threads out of step
          spe::pattern::match_stats stats;
          const bool got = a->full_match(inputs[at], stats);
          if (got != (expected[at] != 0)) mismatches.fetch_add(1);
          checks.fetch_add(1);
        }
      }
    });
  }
  go.store(true);
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0u);
  EXPECT_EQ(checks.load(), 8u * 30u * inputs.size());
}

}  // namespace
