// Property 8: revision monotonicity, exactly as far as the models prove it.
//
// The invariant. Let A and B be two revisions and S_A, S_B the same body
// shape in each (the input, the output, or an error shape of the same
// name). Call a node of a body "changed" when the model nodes that A and
// B give it differ in type, min, max or pattern text, and call a member
// "newly required" when B requires it and A does not. Then for every body
// x that A judges valid and whose members all exist in B as well:
//
//   B's errors on x are exactly
//     { the violations of B's own bounds and pattern at each changed node
//       of x }  U  { (pointer, required) for each newly required member
//       absent from x },
//
// and B finds x valid iff that set is empty. In particular B never reports
// anything at a node whose constraints the revisions share. Which nodes
// changed is computed here from the two models at run time (no list of
// "what changed in 1.43" is written anywhere), and the violations at changed
// nodes are decided independently of spe's validator: lengths by counting
// code points, patterns by PCRE2 (tests/support/oracle.hpp).
//
// Members A has and B lacks are removed from the generated body first (A
// must not require them; A is asked again that the body is still valid).
#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>

#include "support/oracle.hpp"
#include "support/props.hpp"

namespace {

using namespace spe;
using ojson = nlohmann::ordered_json;

const spe::testing::oracle& oracle_for(const std::string& pattern) {
  thread_local std::map<std::string, std::unique_ptr<spe::testing::oracle>> cache;
  auto& o = cache[pattern];
  if (!o) o = std::make_unique<spe::testing::oracle>(pattern);
  return *o;
}

// A string or list without a min has min 0; a number without one has none.
std::optional<std::int64_t> effective_min(const model::shape& s) {
  if (s.has_min) return s.min;
  if (s.type == model::shape_type::string || s.type == model::shape_type::list) return 0;
  return std::nullopt;
}

// The same constraints: type, bounds (min 0 and no min are one for lengths
// and counts; botocore-1.29 writes some without "min": 0) and pattern text
// (the text, not only the language: it is the `bound` AWS reports).
bool same_constraints(const model::shape& a, const model::shape& b) {
  return a.type == b.type && effective_min(a) == effective_min(b) && a.has_max == b.has_max &&
         (!a.has_max || a.max == b.max) && a.pattern == b.pattern;
}

std::size_t code_points(const std::string& s) { return gen::code_points(s); }

struct walk {
  props::error_set expected;
  std::set<std::string> changed_touched;  // changed nodes the body has a value at

  // Removes the members of x that B does not define (A must not require them).
  void prune(ojson& x, const model::shape& a, const model::shape& b) {
    if (a.type == model::shape_type::structure && x.is_object()) {
      for (auto it = x.begin(); it != x.end();) {
        const int ka = a.find_member(it.key());
        const int kb = b.find_member(it.key());
        if (ka >= 0 && kb < 0) {
          RC_ASSERT(!a.members[static_cast<std::size_t>(ka)].required);
          it = x.erase(it);
          continue;
        }
        if (ka >= 0 && kb >= 0) {
          prune(it.value(), *a.members[static_cast<std::size_t>(ka)].target,
                *b.members[static_cast<std::size_t>(kb)].target);
        }
        ++it;
      }
    } else if (a.type == model::shape_type::list && b.type == model::shape_type::list && x.is_array()) {
      for (ojson& e : x) prune(e, *a.element, *b.element);
    }
  }

  void predict(const ojson& x, const model::shape& a, const model::shape& b, const std::string& pointer) {
    if (!same_constraints(a, b)) {
      changed_touched.insert(pointer.empty() ? "/" : pointer);
      // A change of type would need a type error here; the models have none.
      RC_ASSERT(a.type == b.type);
      violations_of_b(x, b, pointer);
    }
    switch (b.type) {
      case model::shape_type::structure:
        for (std::size_t k = 0; k < b.members.size(); ++k) {
          const model::member& mb = b.members[k];
          const std::string p = pointer + "/" + props::pointer_token(mb.name);
          const auto it = x.find(mb.name);
          const bool present = it != x.end() && !it->is_null();
          const int ka = a.find_member(mb.name);
          const bool required_in_a = ka >= 0 && a.members[static_cast<std::size_t>(ka)].required;
          if (!present) {
            if (mb.required && !required_in_a) {
              changed_touched.insert(p + " (newly required)");
              expected.emplace(p, "required", "");
            }
            continue;
          }
          RC_ASSERT(ka >= 0);  // pruned: every member present is A's too
          predict(*it, *a.members[static_cast<std::size_t>(ka)].target, *mb.target, p);
        }
        return;
      case model::shape_type::list:
        for (std::size_t i = 0; i < x.size(); ++i) {
          predict(x[i], *a.element, *b.element, pointer + "/" + std::to_string(i));
        }
        return;
      default: return;
    }
  }

  // B's own bounds and pattern, checked without spe's validator.
  void violations_of_b(const ojson& x, const model::shape& b, const std::string& pointer) {
    switch (b.type) {
      case model::shape_type::string: {
        const std::string s = x.get<std::string>();
        const auto n = static_cast<std::int64_t>(code_points(s));
        if (b.has_min && n < b.min) expected.emplace(pointer, "length_min", std::to_string(b.min));
        if (b.has_max && n > b.max) expected.emplace(pointer, "length_max", std::to_string(b.max));
        if (!b.pattern.empty() && !oracle_for(b.pattern).full_match(s)) {
          expected.emplace(pointer, "pattern", b.pattern);
        }
        return;
      }
      case model::shape_type::list: {
        const auto n = static_cast<std::int64_t>(x.size());
        if (b.has_min && n < b.min) expected.emplace(pointer, "count_min", std::to_string(b.min));
        if (b.has_max && n > b.max) expected.emplace(pointer, "count_max", std::to_string(b.max));
        return;
      }
      case model::shape_type::integer:
      case model::shape_type::long_integer: {
        const auto v = x.get<std::int64_t>();
        if (b.has_min && v < b.min) expected.emplace(pointer, "value_min", std::to_string(b.min));
        if (b.has_max && v > b.max) expected.emplace(pointer, "value_max", std::to_string(b.max));
        return;
      }
      case model::shape_type::structure: return;
    }
  }
};

RC_GTEST_PROP(revisions, a_body_valid_under_one_revision_is_judged_by_another_only_where_they_differ, ()) {
  const std::vector<const model::service_model*> all = props::revisions();
  const auto ia = props::uniform<std::size_t>(0, all.size());
  const auto ib = props::uniform<std::size_t>(0, all.size());
  RC_PRE(ia != ib);
  const model::service_model& a = *all[ia];
  const model::service_model& b = *all[ib];
  // The same body shape in both: input, output, or an error of one name.
  const model::shape* sa = a.input();
  const model::shape* sb = b.input();
  const int which = props::uniform(0, 3);
  if (which == 1) {
    sa = a.output();
    sb = b.output();
  } else if (which == 2) {
    std::vector<std::pair<const model::shape*, const model::shape*>> common;
    for (const model::shape* e : a.errors()) {
      if (const model::shape* f = b.find_error(e->name)) common.emplace_back(e, f);
    }
    RC_PRE(!common.empty());
    std::tie(sa, sb) = common[props::uniform<std::size_t>(0, common.size())];
  }
  RC_PRE(sa != nullptr && sb != nullptr);

  props::rc_source src;
  const auto body = gen::valid(a, *sa, src);
  RC_ASSERT(body.has_value());
  ojson x = ojson::parse(body->json);
  walk w;
  w.prune(x, *sa, *sb);
  const std::string pruned = x.dump();
  RC_LOG() << a.revision() << " -> " << b.revision() << " (" << props::kind_name(body->judge_as)
           << ")\nbody: " << props::logged(pruned) << "\n";
  options o;
  o.body = body->judge_as;
  const judgement& under_a = props::validator_for(a).judge(pruned, o);
  RC_LOG() << "under " << a.revision() << ": " << props::show(under_a);
  RC_ASSERT(under_a.result == verdict::valid);

  // The root of an error body holds __type, which no model defines.
  ojson members = x;
  if (body->judge_as == body_kind::error) members.erase("__type");
  w.predict(members, *sa, *sb, "");
  const judgement& under_b = props::validator_for(b).judge(pruned, o);
  RC_LOG() << "under " << b.revision() << ": " << props::show(under_b);
  for (const auto& [p, k, bound] : w.expected) RC_LOG() << "predicted: " << p << " " << k << " " << bound << "\n";
  RC_ASSERT(props::errors_of(under_b) == w.expected);
  RC_ASSERT((under_b.result == verdict::valid) == w.expected.empty());
  if (!w.expected.empty()) RC_ASSERT(under_b.exception == "ValidationException");

  std::string touched;
  for (const std::string& p : w.changed_touched) touched += p + " ";
  RC_TAG(std::string(a.revision()) + " -> " + std::string(b.revision()),
         w.expected.empty() ? "accepted" : "rejected where changed",
         touched.empty() ? "no changed node" : touched.substr(0, 60));
}

// The changed nodes between every pair of revisions, derived from the
// models, printed for the record; and the one fact the property leans on:
// revisions never change a member's type (else it would need a type error).
void changes(const model::shape& a, const model::shape& b, const std::string& pointer,
             std::vector<std::string>& out) {
  if (!same_constraints(a, b)) out.push_back(pointer.empty() ? "/" : pointer);
  if (a.type != b.type) return;
  if (a.type == model::shape_type::structure) {
    for (const model::member& mb : b.members) {
      const int ka = a.find_member(mb.name);
      const std::string p = pointer + "/" + mb.name;
      if (ka < 0) {
        out.push_back(p + " (only in the second)");
        continue;
      }
      const model::member& ma = a.members[static_cast<std::size_t>(ka)];
      if (ma.required != mb.required) out.push_back(p + " (required changed)");
      changes(*ma.target, *mb.target, p, out);
    }
    for (const model::member& ma : a.members) {
      if (b.find_member(ma.name) < 0) out.push_back(pointer + "/" + ma.name + " (only in the first)");
    }
  } else if (a.type == model::shape_type::list) {
    changes(*a.element, *b.element, pointer + "/*", out);
  }
}

void same_types(const model::shape& a, const model::shape& b, const std::string& pointer) {
  EXPECT_EQ(a.type, b.type) << pointer;
  if (a.type != b.type) return;
  if (a.type == model::shape_type::structure) {
    for (const model::member& mb : b.members) {
      const int ka = a.find_member(mb.name);
      if (ka >= 0) same_types(*a.members[static_cast<std::size_t>(ka)].target, *mb.target, pointer + "/" + mb.name);
    }
  } else if (a.type == model::shape_type::list) {
    same_types(*a.element, *b.element, pointer + "/*");
  }
}

TEST(revisions, changed_nodes_are_derived_from_the_models_and_keep_their_types) {
  const auto all = props::revisions();
  for (const model::service_model* a : all) {
    for (const model::service_model* b : all) {
      if (a == b) continue;
      std::vector<std::string> diff;
      changes(*a->input(), *b->input(), "", diff);
      if (a->output() && b->output()) changes(*a->output(), *b->output(), "(response)", diff);
      std::cout << a->revision() << " -> " << b->revision() << ":";
      for (const std::string& d : diff) std::cout << " " << d;
      std::cout << "\n";
      // Every two revisions differ (SPEC.md 1): a walk that finds no change
      // would leave the revision properties nothing to judge.
      EXPECT_FALSE(diff.empty()) << a->revision() << " -> " << b->revision();
      same_types(*a->input(), *b->input(), "");
      if (a->output() && b->output()) same_types(*a->output(), *b->output(), "(response)");
    }
  }
}

}  // namespace
