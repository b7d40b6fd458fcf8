// Minimised counterexamples found by the properties, replayed as plain
// tests: every file in props/regressions/ is one case (format in
// regressions/README.md). Judged by the validator and, for patterns, by
// the automaton and PCRE2 -- no generator and no RapidCheck involved, so a
// regression stays caught even if the generators change.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "spe/validate.hpp"
#include "support/oracle.hpp"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::vector<fs::path> cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(SPE_REGRESSIONS_DIR)) {
    if (e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string hex_bytes(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

spe::body_kind kind_of(const std::string& k) {
  if (k == "response") return spe::body_kind::response;
  if (k == "error") return spe::body_kind::error;
  return spe::body_kind::request;
}

void replay(const fs::path& file) {
  SCOPED_TRACE(file.string());
  std::ifstream in(file);
  const json c = json::parse(in);
  const spe::model::service_model* m = spe::model::builtin(c.at("revision").get<std::string>());
  ASSERT_NE(m, nullptr);
  const std::string what = c.at("what");
  if (what == "pattern") {
    const spe::model::shape* s = m->find(c.at("shape").get<std::string>());
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->regex);
    const std::string text = c.contains("text_hex") ? hex_bytes(c.at("text_hex")) : c.at("text").get<std::string>();
    const bool match = c.at("match");
    EXPECT_EQ(s->regex->matcher.full_match(text), match) << "spe's automaton";
    EXPECT_EQ(spe::testing::oracle(s->pattern).full_match(text), match) << "PCRE2";
    return;
  }
  ASSERT_EQ(what, "body");
  const std::string body = c.contains("body_hex") ? hex_bytes(c.at("body_hex")) : c.at("body").get<std::string>();
  spe::options opts;
  opts.body = kind_of(c.value("judge_as", "request"));
  opts.strict = c.value("strict", false);
  spe::validator v(*m);
  const spe::judgement& j = v.judge(body, opts);
  EXPECT_EQ(spe::to_string(j.result), c.at("expect").get<std::string>()) << j.message;
  EXPECT_EQ(j.exception, c.value("exception", ""));
  std::set<std::tuple<std::string, std::string, std::string>> want, got;
  for (const json& e : c.value("errors", json::array())) {
    want.emplace(e.at("pointer"), e.at("constraint"), e.value("bound", ""));
  }
  for (const spe::diagnostic& d : j.errors) {
    got.emplace(d.pointer, std::string(spe::to_string(d.kind)), d.bound);
  }
  EXPECT_EQ(got, want) << j.message;
  if (c.contains("phrase")) {
    EXPECT_NE(j.message.find(c.at("phrase").get<std::string>()), std::string::npos) << j.message;
  }
}

TEST(props_regressions, replay_every_kept_counterexample) {
  const auto all = cases();
  ASSERT_FALSE(all.empty()) << "no cases in " << SPE_REGRESSIONS_DIR;
  for (const fs::path& f : all) replay(f);
}

}  // namespace
