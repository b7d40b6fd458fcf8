// Bodies built from a model, for tests: the minimal valid body, a body with
// every member present, and strings of an exact length in code points that
// match (or not) a member's pattern, as judged by PCRE2 (support/oracle.hpp),
// never by spe itself.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spe/model.hpp"
#include "support/oracle.hpp"

namespace spe::testing {

using json = nlohmann::ordered_json;

// One code point of each UTF-8 length, and the ASCII letter that every name
// pattern of the models accepts.
inline constexpr std::string_view units[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E"};

inline std::string repeat(std::string_view unit, std::size_t n) {
  std::string s;
  s.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) s += unit;
  return s;
}

inline std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

inline const oracle& oracle_for(const std::string& pattern) {
  static std::map<std::string, std::unique_ptr<oracle>> cache;
  auto& o = cache[pattern];
  if (!o) o = std::make_unique<oracle>(pattern);
  return *o;
}

// A string of exactly n code points built from `unit`, preferring one the
// shape's pattern accepts (an ARN prefix is tried for ARN patterns).
inline std::string sample(const model::shape& s, std::size_t n, std::string_view unit = "a") {
  std::vector<std::string> candidates{repeat(unit, n)};
  static const std::string arn = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/";
  if (n >= arn.size()) candidates.push_back(arn + repeat(unit, n - arn.size()));
  if (s.pattern.empty()) return candidates.front();
  for (const std::string& c : candidates) {
    if (oracle_for(s.pattern).full_match(c)) return c;
  }
  return candidates.front();
}

inline bool pattern_accepts(const model::shape& s, std::string_view text) {
  return s.pattern.empty() || oracle_for(s.pattern).full_match(text);
}

inline std::size_t shortest_length(const model::shape& s) {
  std::int64_t n = s.has_min ? s.min : 0;
  if (n < 1 && !s.pattern.empty()) n = 1;  // e.g. name patterns need one character
  if (s.has_max && n > s.max) n = s.max;
  return static_cast<std::size_t>(n);
}

// The shape of a request member of a built-in revision, down a path of
// member names (a list stands for its element): tests take a pattern or a
// bound from here, where the model holds it, rather than spell it again
// (model_revisions_test holds the models themselves to SPEC.md). A name
// the model lacks throws std::out_of_range, failing the test.
inline const model::shape& request_shape(std::string_view revision,
                                         std::initializer_list<std::string_view> path) {
  const model::shape* s = model::builtin(revision)->input();
  for (std::string_view name : path) {
    if (s->type == model::shape_type::list) s = s->element;
    s = s->members.at(static_cast<std::size_t>(s->find_member(name))).target;
  }
  return *s;
}

// all_members: every member present, lists with at least one element.
inline json body(const model::shape& s, bool all_members) {
  switch (s.type) {
    case model::shape_type::structure: {
      json o = json::object();
      for (const model::member& m : s.members) {
        if (m.required || all_members) o[m.name] = body(*m.target, all_members);
      }
      return o;
    }
    case model::shape_type::list: {
      json a = json::array();
      std::int64_t n = s.has_min ? s.min : 0;
      if (all_members && n < 1) n = 1;
      for (std::int64_t i = 0; i < n; ++i) a.push_back(body(*s.element, all_members));
      return a;
    }
    case model::shape_type::string: {
      std::size_t n = shortest_length(s);
      if (n == 0 && all_members) n = 1;
      // The shortest length that lets a candidate match (an ARN needs its
      // prefix); lengths stay within the shape's bounds.
      const std::size_t cap = s.has_max ? static_cast<std::size_t>(s.max) : n + 128;
      for (std::size_t k = n; k <= cap && k <= n + 128; ++k) {
        std::string text = sample(s, k);
        if (pattern_accepts(s, text)) return text;
      }
      return sample(s, n);
    }
    case model::shape_type::integer:
    case model::shape_type::long_integer:
      return s.has_min ? s.min : 1;
  }
  return nullptr;
}

}  // namespace spe::testing
