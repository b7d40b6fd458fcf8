// Matching is linear in the input and allocates nothing, shown the honest
// way: by counting automaton transitions (match_stats.steps) rather than
// seconds, and by counting calls to a replaced global operator new.
//
// The inputs are "a" + k hyphens + "!" for k up to 1e6, against the
// PipelineName pattern of every revision (found through the request's
// PipelineName member in models/*.json), through both the DFA and the NFA
// simulation (compile(tree, 0)). Patterns that make backtracking engines
// explode get the same treatment.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "spe/pattern.hpp"

namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

// Every allocation in this test binary goes through here.
void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::vector<std::string> pipeline_name_patterns() {
  std::vector<std::string> out;
  for (const std::string rev : {"seed", "botocore-1.29", "botocore-1.43"}) {
    std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/" + rev + ".json");
    const nlohmann::json m = nlohmann::json::parse(in);
    const nlohmann::json& shapes = m.at("shapes");
    const std::string shape = shapes.at("StartPipelineExecutionRequest")
                                  .at("members").at("PipelineName").at("shape").get<std::string>();
    out.push_back(shapes.at(shape).at("pattern").get<std::string>());
  }
  return out;
}

struct engines {
  spe::pattern::automaton dfa;
  spe::pattern::automaton nfa;
};

engines build(const std::string& pattern) {
  auto c = spe::pattern::compile(pattern);
  EXPECT_TRUE(c) << pattern;
  if (!c) return {};
  auto nfa = spe::pattern::compile(c->tree, 0);
  EXPECT_TRUE(nfa);
  if (!nfa) return {};
  EXPECT_TRUE(c->matcher.deterministic());
  EXPECT_FALSE(nfa->deterministic());
  return {std::move(c->matcher), std::move(*nfa)};
}

// Steps for head + k * unit + tail at k = 1e3 .. 1e6; checks the verdict,
// a bound of per_byte * k + 64, that every byte was read, and that ten
// times the input costs ten times the steps.
void expect_linear(const spe::pattern::automaton& a, const std::string& head, char unit,
                   const std::string& tail, bool verdict, std::uint64_t per_byte) {
  std::vector<std::uint64_t> steps;
  const std::vector<std::size_t> ks = {1'000, 10'000, 100'000, 1'000'000};
  for (const std::size_t k : ks) {
    const std::string s = head + std::string(k, unit) + tail;
    spe::pattern::match_stats stats;
    EXPECT_EQ(a.full_match(s, stats), verdict) << "k = " << k;
    EXPECT_LE(stats.steps, per_byte * k + 64) << "k = " << k;
    EXPECT_GE(stats.steps, k) << "k = " << k;
    steps.push_back(stats.steps);
  }
  const double ratio = static_cast<double>(steps[3]) / static_cast<double>(steps[2]);
  EXPECT_GT(ratio, 9.9);
  EXPECT_LT(ratio, 10.1);
}

TEST(PatternLinear, PipelineNamePatternsOfEveryRevision) {
  const std::vector<std::string> patterns = pipeline_name_patterns();
  ASSERT_EQ(patterns.size(), 3u);
  for (const std::string& pattern : patterns) {
    SCOPED_TRACE(pattern);
    const engines e = build(pattern);
    // The DFA: one step per byte, exactly.
    expect_linear(e.dfa, "a", '-', "!", false, 1);
    expect_linear(e.dfa, "a", '-', "b", true, 1);
    // The NFA: a few live instructions per byte, however long the run.
    expect_linear(e.nfa, "a", '-', "!", false, 4);
    expect_linear(e.nfa, "a", '-', "b", true, 4);
  }
}

// Patterns on which a backtracking matcher takes exponential time.
TEST(PatternLinear, NestedQuantifiersStayLinear) {
  for (const std::string pattern : {"(a*)*b", "(a|a)*b", "(a+a+)+b", "(a|aa)*c", "((a?){8}a{8})*b"}) {
    SCOPED_TRACE(pattern);
    const engines e = build(pattern);
    expect_linear(e.dfa, "", 'a', "!", false, 1);
    expect_linear(e.nfa, "", 'a', "!", false, 64);
  }
}

TEST(PatternLinear, MatchingAllocatesNothing) {
  std::vector<engines> all;
  for (const std::string& pattern : pipeline_name_patterns()) all.push_back(build(pattern));
  all.push_back(build(".*"));
  const std::vector<std::string> inputs = {
      "", "a", "my-pipeline", "a" + std::string(100'000, '-') + "!",
      "arn:aws:sagemaker:us-east-1:123456789012:pipeline/" + std::string(5000, 'x'),
      "\xC3\xA9\xF0\x9F\x98\x80", "\xC0\xAF"};
  std::size_t matched = 0;
  const std::size_t before = allocations.load();
  for (const engines& e : all) {
    for (const std::string& s : inputs) {
      spe::pattern::match_stats stats;
      matched += e.dfa.full_match(s) ? 1 : 0;
      matched += e.nfa.full_match(s, stats) ? 1 : 0;
    }
  }
  const std::size_t after = allocations.load();
  EXPECT_EQ(after - before, 0u);
  EXPECT_GT(matched, 0u);
  // The counter works: compiling does allocate.
  const std::size_t compile_before = allocations.load();
  EXPECT_TRUE(spe::pattern::compile(std::string_view("a+")));
  EXPECT_GT(allocations.load(), compile_before);
}

}  // namespace
