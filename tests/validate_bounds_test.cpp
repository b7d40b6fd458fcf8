// Every constraint of every revision, on both sides of each bound.
//
// The bounds and patterns come from the models (the one source of truth;
// model_spec_test checks the models against SPEC.md). For each string,
// list and number member the test writes values just inside and just
// outside each bound -- strings in code points built from 1-, 2-, 3- and
// 4-byte characters -- into an otherwise valid body and demands exactly the
// expected set of (pointer, constraint, bound). Whether a value should
// match a pattern is decided by PCRE2, not by spe.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "spe/validate.hpp"
#include "support/bodies.hpp"

namespace {

using spe::testing::json;
using error_key = std::tuple<std::string, std::string, std::string>;  // pointer, constraint, bound

struct target {
  std::string pointer;
  const spe::model::shape* shape;
};

void collect(const spe::model::shape& s, const std::string& pointer, std::vector<target>& out) {
  switch (s.type) {
    case spe::model::shape_type::structure:
      for (const auto& m : s.members) collect(*m.target, pointer + "/" + m.name, out);
      return;
    case spe::model::shape_type::list:
      out.push_back({pointer, &s});
      collect(*s.element, pointer + "/0", out);
      return;
    default:
      out.push_back({pointer, &s});
  }
}

std::set<error_key> actual(const spe::judgement& j) {
  std::set<error_key> keys;
  for (const auto& d : j.errors) {
    keys.emplace(d.pointer, std::string(spe::to_string(d.kind)), d.bound);
  }
  return keys;
}

std::vector<std::int64_t> around(const spe::model::shape& s) {
  std::set<std::int64_t> v;
  if (s.has_min) v.insert({s.min - 1, s.min, s.min + 1});
  if (s.has_max) v.insert({s.max - 1, s.max, s.max + 1});
  std::vector<std::int64_t> out;
  for (std::int64_t x : v) {
    if (x >= 0) out.push_back(x);
  }
  return out;
}

class bounds : public ::testing::TestWithParam<std::string_view> {};

TEST_P(bounds, every_string_length_and_pattern_on_both_sides_in_code_points) {
  const auto* model = spe::model::builtin(GetParam());
  ASSERT_NE(model, nullptr);
  spe::validator v(*model);
  std::vector<target> targets;
  collect(*model->input(), "", targets);
  std::size_t checked = 0;
  for (const target& t : targets) {
    if (t.shape->type != spe::model::shape_type::string) continue;
    for (std::int64_t n : around(*t.shape)) {
      for (std::string_view unit : spe::testing::units) {
        json body = spe::testing::body(*model->input(), true);
        const std::string text = spe::testing::sample(*t.shape, static_cast<std::size_t>(n), unit);
        ASSERT_EQ(spe::testing::code_points(text), static_cast<std::size_t>(n));
        body[json::json_pointer(t.pointer)] = text;
        std::set<error_key> expected;
        if (t.shape->has_min && n < t.shape->min) {
          expected.emplace(t.pointer, "length_min", std::to_string(t.shape->min));
        }
        if (t.shape->has_max && n > t.shape->max) {
          expected.emplace(t.pointer, "length_max", std::to_string(t.shape->max));
        }
        if (!spe::testing::pattern_accepts(*t.shape, text)) {
          expected.emplace(t.pointer, "pattern", t.shape->pattern);
        }
        const auto& j = v.judge(body.dump());
        EXPECT_EQ(actual(j), expected) << t.pointer << " length " << n << " unit " << unit;
        EXPECT_EQ(j.result == spe::verdict::valid, expected.empty());
        if (!expected.empty()) EXPECT_EQ(j.exception, "ValidationException");
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST_P(bounds, every_list_count_on_both_sides) {
  const auto* model = spe::model::builtin(GetParam());
  spe::validator v(*model);
  std::vector<target> targets;
  collect(*model->input(), "", targets);
  std::size_t checked = 0;
  for (const target& t : targets) {
    if (t.shape->type != spe::model::shape_type::list) continue;
    for (std::int64_t n : around(*t.shape)) {
      json body = spe::testing::body(*model->input(), true);
      json list = json::array();
      for (std::int64_t i = 0; i < n; ++i) list.push_back(spe::testing::body(*t.shape->element, true));
      body[json::json_pointer(t.pointer)] = list;
      std::set<error_key> expected;
      if (t.shape->has_min && n < t.shape->min) {
        expected.emplace(t.pointer, "count_min", std::to_string(t.shape->min));
      }
      if (t.shape->has_max && n > t.shape->max) {
        expected.emplace(t.pointer, "count_max", std::to_string(t.shape->max));
      }
      EXPECT_EQ(actual(v.judge(body.dump())), expected) << t.pointer << " count " << n;
      ++checked;
    }
  }
  EXPECT_GT(checked, 2u);
}

TEST_P(bounds, every_number_on_both_sides_and_at_its_integer_width) {
  const auto* model = spe::model::builtin(GetParam());
  spe::validator v(*model);
  std::vector<target> targets;
  collect(*model->input(), "", targets);
  for (const target& t : targets) {
    const auto type = t.shape->type;
    if (type != spe::model::shape_type::integer && type != spe::model::shape_type::long_integer) {
      continue;
    }
    const bool is_int = type == spe::model::shape_type::integer;
    for (std::int64_t n : around(*t.shape)) {
      json body = spe::testing::body(*model->input(), true);
      body[json::json_pointer(t.pointer)] = n;
      std::set<error_key> expected;
      if (t.shape->has_min && n < t.shape->min) {
        expected.emplace(t.pointer, "value_min", std::to_string(t.shape->min));
      }
      if (t.shape->has_max && n > t.shape->max) {
        expected.emplace(t.pointer, "value_max", std::to_string(t.shape->max));
      }
      EXPECT_EQ(actual(v.judge(body.dump())), expected) << t.pointer << " = " << n;
    }
    // The widest value the type holds is accepted; one past it is a
    // SerializationException of kind type.
    const std::string widest = is_int ? "2147483647" : "9223372036854775807";
    const std::string past = is_int ? "2147483648" : "9223372036854775808";
    for (const auto& [text, ok] : {std::pair{widest, true}, std::pair{past, false}}) {
      json body = spe::testing::body(*model->input(), true);
      body[json::json_pointer(t.pointer)] = 0;
      std::string s = body.dump();
      // Splice the literal in: nlohmann would print 2^63 as an unsigned.
      const std::string key = "\"" + t.pointer.substr(t.pointer.rfind('/') + 1) + "\":0";
      const auto at = s.find(key);
      ASSERT_NE(at, std::string::npos);
      s.replace(at + key.size() - 1, 1, text);
      const auto& j = v.judge(s);
      if (ok) {
        EXPECT_EQ(j.result, spe::verdict::valid) << s;
      } else {
        ASSERT_EQ(j.errors.size(), 1u) << s;
        EXPECT_EQ(j.exception, "SerializationException");
        EXPECT_EQ(j.errors[0].kind, spe::constraint::type);
        EXPECT_EQ(j.errors[0].pointer, t.pointer);
      }
    }
  }
}

TEST_P(bounds, every_required_member_missing_and_null) {
  const auto* model = spe::model::builtin(GetParam());
  spe::validator v(*model);
  std::vector<target> targets;
  collect(*model->input(), "", targets);
  // Structures reachable in the full body, each with its required members.
  std::vector<std::pair<std::string, const spe::model::shape*>> structures{{"", model->input()}};
  for (const target& t : targets) {
    if (t.shape->type == spe::model::shape_type::list &&
        t.shape->element->type == spe::model::shape_type::structure) {
      structures.emplace_back(t.pointer + "/0", t.shape->element);
    }
  }
  for (const auto& m : model->input()->members) {
    if (m.target->type == spe::model::shape_type::structure) {
      structures.emplace_back("/" + m.name, m.target);
    }
  }
  std::size_t checked = 0;
  for (const auto& [pointer, shape] : structures) {
    for (const auto& m : shape->members) {
      if (!m.required) continue;
      for (bool as_null : {false, true}) {
        json body = spe::testing::body(*model->input(), true);
        json& parent = pointer.empty() ? body : body[json::json_pointer(pointer)];
        if (as_null) {
          parent[m.name] = nullptr;
        } else {
          parent.erase(m.name);
        }
        const auto& j = v.judge(body.dump());
        EXPECT_EQ(actual(j), (std::set<error_key>{{pointer + "/" + m.name, "required", ""}}))
            << pointer << "/" << m.name << (as_null ? " null" : " missing");
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 6u);
}

TEST_P(bounds, the_full_and_the_minimal_body_are_valid) {
  const auto* model = spe::model::builtin(GetParam());
  spe::validator v(*model);
  for (bool all : {false, true}) {
    const std::string body = spe::testing::body(*model->input(), all).dump();
    const auto& j = v.judge(body);
    EXPECT_EQ(j.result, spe::verdict::valid) << body << "\n" << j.message;
  }
}

INSTANTIATE_TEST_SUITE_P(revisions, bounds,
                         ::testing::Values("seed", "botocore-1.29", "botocore-1.43"),
                         [](const auto& info) {
                           std::string s(info.param);
                           for (char& c : s) {
                             if (c == '-' || c == '.') c = '_';
                           }
                           return s;
                         });

}  // namespace
