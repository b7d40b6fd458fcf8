// Every pattern of the three models against hand-picked matches and near
// misses.
//
// The patterns are read from models/*.json at test time, looked up by
// revision and shape name (the models are the one source of truth); the
// strings and the verdicts are written here by hand from the Java semantics:
// full match, `.` excludes \n \r \u0085 \u2028 \u2029, classes count code
// points. Each verdict is also checked against PCRE2 (tests/support/
// oracle.hpp), so a wrong expectation here cannot pass silently, and each
// string runs through the DFA and through the NFA (compile(tree, 0)).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "spe/pattern.hpp"
#include "support/oracle.hpp"

namespace {

using spe::pattern::automaton;

const nlohmann::json& model(const std::string& revision) {
  static std::map<std::string, nlohmann::json> cache;
  auto found = cache.find(revision);
  if (found == cache.end()) {
    std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/" + revision + ".json");
    found = cache.emplace(revision, nlohmann::json::parse(in)).first;
  }
  return found->second;
}

std::string model_pattern(const std::string& revision, const std::string& shape) {
  return model(revision).at("shapes").at(shape).at("pattern").get<std::string>();
}

std::string repeat(std::string_view unit, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += unit;
  return s;
}

// n alphanumerics, cycling through all three kinds.
std::string alnum(std::size_t n) {
  static const std::string pool = "aZ0bY1cX2dW3eV4fU5gT6hS7iR8jQ9";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += pool[i % pool.size()];
  return s;
}

// n alphanumerics joined by runs of 1..3 hyphens.
std::string hyphenated(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) s += std::string(1 + i % 3, '-');
    s += alnum(n)[i];
  }
  return s;
}

const std::string arn = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/";

struct pattern_case {
  std::string revision;
  std::string shape;
  std::vector<std::string> matches;
  std::vector<std::string> misses;
};

// What PipelineName-like patterns accept, for one bound on the alphanumerics.
std::vector<std::string> name_matches(std::size_t max_alnum) {
  return {"a", "Z", "7", "my-pipeline", "a--b", "a-b-c-9", "A" + std::string(1000, '-') + "B",
          alnum(max_alnum), hyphenated(max_alnum), alnum(max_alnum - 1)};
}
std::vector<std::string> name_misses(std::size_t max_alnum) {
  return {"", "-", "a-", "-a", "a_b", "a.b", "a b", "a/b", "\xC3\xA9", "a\xC3\xA9", "\xF0\x9F\x98\x80",
          "a\n", "\na", "a\r\n", "a\xE2\x80\xA8", alnum(max_alnum + 1), hyphenated(max_alnum + 1),
          alnum(max_alnum) + "-"};
}

std::vector<std::string> any_matches() {
  return {"", "a", "any text: with / punctuation!", "\t\x0B\x0C", "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E",
          "\xC2\x84\xC2\x86", "\xE2\x80\xA7\xE2\x80\xAA", repeat("x", 3072), "\x1C\x1D\x1E\x7F"};
}
std::vector<std::string> any_misses() {
  return {"\n", "\r", "a\r\nb", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9", "text\n", "\ntext"};
}

std::vector<std::string> execution_arn_matches() {
  return {arn + "p/execution/abc",
          "arn:aws-cn:sagemaker::123456789012:pipeline//execution/",
          "arn:aws-us-gov:sagemaker:us-gov-west-1:000000000000:pipeline/a/b/execution/x/execution/y",
          "arn:aws:sagemaker:r-1:123456789012:pipeline/\xC3\xA9\xF0\x9F\x98\x80/execution/\xE2\x82\xAC",
          "arn:aws---:sagemaker:9:123456789012:pipeline/ /execution/ "};
}
std::vector<std::string> execution_arn_misses() {
  return {"arn:aws:sagemaker:us-east-1:12345678901:pipeline/p/execution/e",      // 11 digits
          "arn:aws:sagemaker:us-east-1:1234567890123:pipeline/p/execution/e",    // 13 digits
          "arn:aws:sagemaker:us-east-1:aws:pipeline/p/execution/e",              // no "aws" account
          "arn:aws:sagemaker:US-EAST-1:123456789012:pipeline/p/execution/e",     // upper case
          "arn:AWS:sagemaker:us-east-1:123456789012:pipeline/p/execution/e",
          "arn:aws_x:sagemaker:us-east-1:123456789012:pipeline/p/execution/e",
          arn + "p/executions/e", arn + "p", arn + "p/execution",
          arn + "p\n/execution/e", arn + "p/execution/e\n", arn + "p/execution/\xE2\x80\xA8",
          " " + arn + "p/execution/e"};
}

std::vector<std::string> name_or_arn_matches() {
  std::vector<std::string> m = name_matches(256);
  for (const std::string& s : std::vector<std::string>{arn + "my-pipeline", arn + "a", arn + "x/y-z", arn + "\xC3\xA9-a",
                               arn + alnum(300), "arn:aws-cn:sagemaker::123456789012:pipeline/" + hyphenated(256),
                               arn + "p/execution/e1", arn + "\xE2\x80\xA7" + "a"}) {
    m.push_back(s);
  }
  return m;
}
std::vector<std::string> name_or_arn_misses() {
  std::vector<std::string> m = name_misses(256);
  for (const std::string& s : std::vector<std::string>{arn, arn + "p-", arn + "\xC3\xA9", arn + "a\nb", arn + "\xE2\x80\xA8" + "a",
                               "arn:aws:sagemaker:us-east-1:12345678901:pipeline/p",
                               "arn:aws:sagemaker:us-east-1:AWS:pipeline/p",
                               "arn:aws:sagemaker:us-east-1:aw:pipeline/p",
                               "arn:aws:sagemaker:us-east-1:awsaws:pipeline/p",
                               "arn:aws:sagemaker:us-east-1:123456789012:pipelines/p",
                               "arn:aws:SageMaker:us-east-1:123456789012:pipeline/p", "arn:aws"}) {
    m.push_back(s);
  }
  return m;
}

std::vector<std::string> parameter_name_matches() {
  return {"", "_", "-", "a-_Z9", "--__--", repeat("aB3-_", 200)};
}
std::vector<std::string> parameter_name_misses() {
  return {".", "a b", "\xC3\xA9", "a\n", "\\", "a/b", "a:b", "\xEF\xBC\xA1" /* fullwidth A */};
}

std::vector<pattern_case> cases() {
  std::vector<pattern_case> c;
  for (const std::string rev : {"seed", "botocore-1.29", "botocore-1.43"}) {
    c.push_back({rev, "PipelineExecutionName", name_matches(82), name_misses(82)});
    c.push_back({rev, "PipelineExecutionDescription", any_matches(), any_misses()});
    c.push_back({rev, "PipelineExecutionArn", execution_arn_matches(), execution_arn_misses()});
  }
  c.push_back({"seed", "PipelineName", name_matches(256), name_misses(256)});
  c.push_back({"seed", "PipelineParameterName", parameter_name_matches(), parameter_name_misses()});

  pattern_case or_arn_129{"botocore-1.29", "PipelineNameOrArn", name_or_arn_matches(), name_or_arn_misses()};
  or_arn_129.misses.push_back("arn:aws:sagemaker:us-east-1:aws:pipeline/p");  // 1.29: twelve digits only
  c.push_back(or_arn_129);
  // 1.29 reuses the name pattern for parameters, and ends it with `$`:
  // Java's `$` may match before a final "\n", but matches() must still
  // consume it, so "a\n" stays a miss (in name_misses).
  c.push_back({"botocore-1.29", "PipelineParameterName", name_matches(256), name_misses(256)});

  pattern_case or_arn_143{"botocore-1.43", "PipelineNameOrArn", name_or_arn_matches(), name_or_arn_misses()};
  // 1.43: the account is twelve digits or the word "aws".
  for (const std::string& s : {"arn:aws:sagemaker:us-east-1:aws:pipeline/p",
                               "arn:aws-cn:sagemaker::aws:pipeline/a/b-c"}) {
    or_arn_143.matches.push_back(s);
  }
  c.push_back(or_arn_143);
  c.push_back({"botocore-1.43", "PipelineParameterName", parameter_name_matches(), parameter_name_misses()});
  c.push_back({"botocore-1.43", "MlflowExperimentEntityName", any_matches(), any_misses()});
  return c;
}

std::string printable(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0x20 && b < 0x7F) {
      out += ch;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", b);
      out += buf;
    }
  }
  return out.size() > 120 ? out.substr(0, 120) + "...(" + std::to_string(s.size()) + " bytes)" : out;
}

TEST(PatternModels, HandPickedMatchesAndNearMisses) {
  for (const pattern_case& pc : cases()) {
    SCOPED_TRACE(pc.revision + " " + pc.shape);
    const std::string pattern = model_pattern(pc.revision, pc.shape);
    auto c = spe::pattern::compile(pattern);
    ASSERT_TRUE(c) << spe::pattern::to_string(c.error());
    auto nfa = spe::pattern::compile(c->tree, 0);
    ASSERT_TRUE(nfa);
    const spe::testing::oracle pcre(pattern);
    for (const auto& [strings, expected] : {std::pair{&pc.matches, true}, std::pair{&pc.misses, false}}) {
      for (const std::string& s : *strings) {
        SCOPED_TRACE("input \"" + printable(s) + "\"");
        EXPECT_EQ(pcre.full_match(s), expected) << "the hand-picked verdict disagrees with PCRE2";
        EXPECT_EQ(c->matcher.full_match(s), expected) << "DFA";
        EXPECT_EQ(nfa->full_match(s), expected) << "NFA";
      }
    }
  }
}

// Every pattern of every model compiles to a DFA within the default cap, so
// the validator never runs the slower NFA simulation on them.
TEST(PatternModels, EveryModelPatternIsDeterministic) {
  std::size_t patterns = 0;
  for (const std::string rev : {"seed", "botocore-1.29", "botocore-1.43"}) {
    for (const auto& [name, shape] : model(rev).at("shapes").items()) {
      if (!shape.contains("pattern")) continue;
      ++patterns;
      SCOPED_TRACE(rev + " " + name);
      auto c = spe::pattern::compile(shape.at("pattern").get<std::string>());
      ASSERT_TRUE(c) << spe::pattern::to_string(c.error());
      EXPECT_TRUE(c->matcher.deterministic());
      EXPECT_LE(c->matcher.state_count(), spe::pattern::max_dfa_states);
      RecordProperty(rev + "/" + name + "/dfa_states", static_cast<int>(c->matcher.state_count()));
    }
  }
  EXPECT_GT(patterns, 0u);
}

// The 1.43 account alternation: exactly twelve digits, or exactly "aws".
TEST(PatternModels, AccountAlternationOf143) {
  const std::string pattern = model_pattern("botocore-1.43", "PipelineNameOrArn");
  auto c = spe::pattern::compile(pattern);
  ASSERT_TRUE(c);
  auto nfa = spe::pattern::compile(c->tree, 0);
  ASSERT_TRUE(nfa);
  const auto with_account = [](const std::string& account) {
    return "arn:aws:sagemaker:eu-west-1:" + account + ":pipeline/p";
  };
  for (std::size_t digits = 0; digits <= 14; ++digits) {
    const std::string s = with_account(std::string(digits, '4'));
    EXPECT_EQ(c->matcher.full_match(s), digits == 12) << s;
    EXPECT_EQ(nfa->full_match(s), digits == 12) << s;
  }
  for (const std::string account : {"aws", "", "a", "aw", "awss", "AWS", "aws1", "123456789012aws", "sws"}) {
    const std::string s = with_account(account);
    EXPECT_EQ(c->matcher.full_match(s), account == std::string("aws")) << s;
    EXPECT_EQ(nfa->full_match(s), account == std::string("aws")) << s;
  }
}

}  // namespace
