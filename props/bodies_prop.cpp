// Properties 2-6: bodies generated from the models, judged by the validator.
//
//  2. every generated valid body validates with no error and no note, in
//     every revision, for request, response and error shapes;
//  3. every single-fault body yields exactly its predicted (pointer,
//     constraint, bound) set, exception and message phrase;
//  4. the canonical form round-trips: parse(canon(x)) == x and
//     canon(parse(canon(x))) == canon(x), for accepted request and response
//     bodies (spelled any way, with unknown members ignored);
//  5. spelling -- whitespace, escapes, member order -- changes neither the
//     verdict, nor the error set, nor the canonical form;
//  6. unknown members anywhere are notes without --strict and each an
//     error with --strict.
#include <nlohmann/json.hpp>

#include "support/props.hpp"

namespace {

using namespace spe;
using props::error_set;

gen::spelling any_spelling() {
  gen::spelling how;
  how.whitespace = *rc::gen::arbitrary<bool>();
  how.escapes = *rc::gen::arbitrary<bool>();
  how.reorder = *rc::gen::arbitrary<bool>();
  return how;
}

std::string spelling_name(const gen::spelling& how) {
  std::string out;
  if (how.whitespace) out += "whitespace ";
  if (how.escapes) out += "escapes ";
  if (how.reorder) out += "reorder ";
  return out.empty() ? "plain" : out;
}

// The faults the shape has a site for, from the model.
std::vector<gen::fault> faults_for(const model::service_model& m, const model::shape& root) {
  std::vector<gen::fault> out;
  for (std::size_t f = 1; f < gen::fault_count; ++f) {
    const auto fault = static_cast<gen::fault>(f);
    if (!gen::sites(m, root, fault).empty()) out.push_back(fault);
  }
  return out;
}

RC_GTEST_PROP(bodies, generated_valid_bodies_validate_without_error, ()) {
  const model::service_model& m = props::any_revision();
  const model::shape& root = props::any_body_shape(m);
  props::rc_source src;
  const auto b = gen::valid(m, root, src, any_spelling());
  RC_ASSERT(b.has_value());
  RC_LOG() << m.revision() << "\n" << props::show(*b);
  const judgement& j = props::validator_for(m).judge(b->json, props::options_for(*b));
  RC_LOG() << props::show(j);
  RC_ASSERT(j.result == verdict::valid);
  RC_ASSERT(j.errors.empty());
  RC_ASSERT(j.notes.empty());
  RC_ASSERT(j.exception.empty());
  RC_ASSERT(j.message.empty());
  RC_TAG(m.revision(), props::kind_name(b->judge_as));
}

RC_GTEST_PROP(bodies, single_fault_bodies_yield_exactly_their_expected_errors, ()) {
  const model::service_model& m = props::any_revision();
  const model::shape& root = props::any_body_shape(m);
  const std::vector<gen::fault> faults = faults_for(m, root);
  RC_ASSERT(!faults.empty());
  const gen::fault f = faults[props::uniform<std::size_t>(0, faults.size())];
  props::rc_source src;
  const auto b = gen::single_fault(m, root, f, src, any_spelling());
  RC_LOG() << m.revision() << " " << root.name << " " << gen::to_string(f) << "\n";
  RC_ASSERT(b.has_value());
  RC_LOG() << props::show(*b);
  const judgement& j = props::validator_for(m).judge(b->json, props::options_for(*b));
  RC_LOG() << props::show(j);
  RC_ASSERT(props::label_mismatch(*b, j) == "");
  // One tag per case: the revision, the kind broken and the bound, so the
  // distribution shows every constraint and bound of every revision.
  const gen::expected_error& e = b->errors.front();
  RC_TAG(m.revision(), to_string(e.kind), e.bound.size() > 24 ? e.bound.substr(0, 24) + "..." : e.bound,
         b->errors.size() > 1 ? "+pattern" : "");
}

// An accepted body: valid, spelled any way, maybe with unknown members
// (judged without --strict).
std::optional<gen::body> accepted_body(const model::service_model& m, const model::shape& root,
                                       props::rc_source& src) {
  if (props::uniform(0, 4) == 0) {
    auto b = gen::single_fault(m, root, gen::fault::unknown_member, src, any_spelling());
    if (b) {
      b->needs_strict = false;
      b->expect = verdict::valid;
      b->errors.clear();
    }
    return b;
  }
  return gen::valid(m, root, src, any_spelling());
}

RC_GTEST_PROP(bodies, canonical_form_round_trips, ()) {
  const model::service_model& m = props::any_revision();
  // Error bodies are left out: their canonical form drops __type (it is not
  // a member of the error shape), so it is not itself an error body.
  const model::shape& root = props::uniform(0, 2) == 0 || !m.output() ? *m.input() : *m.output();
  props::rc_source src;
  const auto b = accepted_body(m, root, src);
  RC_ASSERT(b.has_value());
  RC_LOG() << m.revision() << "\n" << props::show(*b);
  validator& v = props::validator_for(m);
  options o = props::options_for(*b);
  RC_ASSERT(v.judge(b->json, o).result == verdict::valid);
  value x;
  RC_ASSERT(v.typed_value(x));
  std::string canon;
  RC_ASSERT(v.canonical(canon));
  RC_LOG() << "canonical: " << canon << "\n";
  const judgement& j = v.judge(canon, o);
  RC_LOG() << props::show(j);
  RC_ASSERT(j.result == verdict::valid);
  RC_ASSERT(j.notes.empty());  // unknown members are gone from the canonical form
  value y;
  RC_ASSERT(v.typed_value(y));
  RC_ASSERT(y == x);  // parse(canon(x)) == x
  std::string again;
  RC_ASSERT(v.canonical(again));
  RC_ASSERT(again == canon);  // canon(parse(canon(x))) == canon(x)
  RC_TAG(m.revision(), props::kind_name(b->judge_as));
}

RC_GTEST_PROP(bodies, spelling_changes_neither_verdict_nor_errors_nor_canonical_form, ()) {
  const model::service_model& m = props::any_revision();
  const model::shape& root = props::any_body_shape(m);
  props::rc_source src;
  std::optional<gen::body> b;
  if (props::uniform(0, 2) == 0) {
    b = gen::valid(m, root, src);
  } else {
    const std::vector<gen::fault> faults = faults_for(m, root);
    b = gen::single_fault(m, root, faults[props::uniform<std::size_t>(0, faults.size())], src);
  }
  RC_ASSERT(b.has_value());
  gen::spelling how = any_spelling();
  const std::string respelled = gen::spell(b->json, src, how);
  RC_LOG() << m.revision() << "\n" << props::show(*b) << "respelled (" << spelling_name(how)
           << "): " << respelled << "\n";
  validator& v = props::validator_for(m);
  const options o = props::options_for(*b);
  const judgement first = v.judge(b->json, o);
  std::string canon_first;
  const bool valid_first = v.canonical(canon_first);
  const judgement& second = v.judge(respelled, o);
  RC_LOG() << props::show(first) << props::show(second);
  RC_ASSERT(second.result == first.result);
  RC_ASSERT(second.exception == first.exception);
  RC_ASSERT(props::errors_of(second) == props::errors_of(first));
  // Values print as received, unescaped: only member order shows in messages.
  if (!how.reorder) RC_ASSERT(second.message == first.message);
  std::string canon_second;
  RC_ASSERT(v.canonical(canon_second) == valid_first);
  RC_ASSERT(canon_second == canon_first);
  RC_TAG(spelling_name(how), to_string(first.result));
}

// Property 6 edits bodies with nlohmann::json, not with the generators, so
// the unknown members are placed by an independent walk of the model.
using ojson = nlohmann::ordered_json;

// An object of the body (by its pointer: adding members moves objects in
// memory) and the structure it stands for.
struct object_site {
  const model::shape* shape;
  std::string pointer;
};

void objects(const ojson& v, const model::shape& s, const std::string& pointer,
             std::vector<object_site>& out) {
  if (s.type == model::shape_type::structure && v.is_object()) {
    out.push_back({&s, pointer});
    for (auto it = v.begin(); it != v.end(); ++it) {
      const int k = s.find_member(it.key());
      if (k < 0) continue;
      objects(it.value(), *s.members[static_cast<std::size_t>(k)].target,
              pointer + "/" + props::pointer_token(it.key()), out);
    }
  } else if (s.type == model::shape_type::list && v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      objects(v[i], *s.element, pointer + "/" + std::to_string(i), out);
    }
  }
}

RC_GTEST_PROP(bodies, unknown_members_are_ignored_and_each_reported_under_strict, ()) {
  const model::service_model& m = props::any_revision();
  const model::shape& root = props::any_body_shape(m);
  props::rc_source src;
  const auto b = gen::valid(m, root, src);
  RC_ASSERT(b.has_value());
  ojson doc = ojson::parse(b->json);
  std::vector<object_site> sites;
  objects(doc, root, "", sites);
  RC_ASSERT(!sites.empty());
  std::set<std::string> pointers;
  const int k = props::uniform(1, 14);
  for (int i = 0; i < k; ++i) {
    const object_site& at = sites[props::uniform<std::size_t>(0, sites.size())];
    std::string key = *rc::gen::element<std::string>("Unknown", "pipelineName", "name", "NAME",
                                                     "~/x", "", "__typo");
    key += gen::text(src, props::uniform<std::size_t>(0, 4));
    ojson& object = doc[ojson::json_pointer(at.pointer)];
    // Not a member of the shape (known names would not be unknown), not
    // __type, not a key already there.
    if (at.shape->find_member(key) >= 0 || key == "__type" || object.contains(key)) continue;
    // Any JSON value that nlohmann holds exactly (it refuses 1e400).
    const std::string value = gen::any_json(src, 2);
    object[key] = ojson::parse(value, nullptr, false);
    if (object[key].is_discarded()) object[key] = value;
    pointers.insert(at.pointer + "/" + props::pointer_token(key));
  }
  RC_PRE(!pointers.empty());
  const std::string body = doc.dump();
  RC_LOG() << m.revision() << " " << props::kind_name(b->judge_as) << "\nbody: " << props::logged(body) << "\n";
  validator& v = props::validator_for(m);
  options o;
  o.body = b->judge_as;
  const judgement& lenient = v.judge(body, o);
  RC_LOG() << "without --strict: " << props::show(lenient);
  RC_ASSERT(lenient.result == verdict::valid);
  std::set<std::string> noted;
  for (const diagnostic& d : lenient.notes) {
    RC_ASSERT(d.kind == constraint::unknown_member);
    noted.insert(d.pointer);
  }
  RC_ASSERT(noted == pointers);
  RC_ASSERT(lenient.notes.size() == pointers.size());
  o.strict = true;
  const judgement& strict = v.judge(body, o);
  RC_LOG() << "with --strict: " << props::show(strict);
  RC_ASSERT(strict.result == verdict::invalid);
  RC_ASSERT(strict.exception == "ValidationException");
  error_set want;
  for (const std::string& p : pointers) want.emplace(p, "unknown_member", "");
  RC_ASSERT(props::errors_of(strict) == want);
  RC_TAG(props::kind_name(b->judge_as), pointers.size() > 10 ? "more than 10" : "up to 10");
}

}  // namespace
