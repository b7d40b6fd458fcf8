// Property 7: judging is total and deterministic.
//
// For arbitrary bytes (RapidCheck's, and generated bodies with bytes
// flipped, cut or inserted) and arbitrary JSON (any_json, and noisy(): the
// model's skeleton with anything in it, which breaks many constraints at
// once), under any options: the judge never crashes; returns exactly one
// of valid / invalid / malformed, consistently with its exception and
// errors; answers the same twice and on a fresh validator; and its message
// lists at most 10 items, with a count word that agrees with them:
// "N validation error(s) detected: " + the first N item texts joined by "; ",
// N = min(errors, 10).
#include "support/judgements.hpp"
#include "support/props.hpp"

namespace {

using namespace spe;

options any_options(const model::service_model& m) {
  options o;
  o.strict = *rc::gen::arbitrary<bool>();
  o.duplicates = static_cast<duplicate_policy>(props::uniform(0, 3));
  o.body = static_cast<body_kind>(props::uniform(0, 3));
  if (props::uniform(0, 4) == 0) o.limits.max_depth = props::uniform<std::uint32_t>(1, 8);
  if (props::uniform(0, 4) == 0) o.limits.max_size = props::uniform<std::size_t>(0, 4096);
  (void)m;
  return o;
}

using spe::testing::aws_item_cap;
using spe::testing::is_malformed_kind;
using spe::testing::same_judgement;

void check_judgement(const judgement& j) {
  switch (j.result) {
    case verdict::valid:
      RC_ASSERT(j.exception.empty());
      RC_ASSERT(j.errors.empty());
      RC_ASSERT(j.message.empty());
      return;
    case verdict::malformed:
      RC_ASSERT(j.exception == "SerializationException");
      RC_ASSERT(j.errors.size() == 1u);
      RC_ASSERT(is_malformed_kind(j.errors.front().kind));
      RC_ASSERT(j.message == j.errors.front().message);
      return;
    case verdict::invalid:
      RC_ASSERT(!j.errors.empty());
      if (j.exception == "SerializationException") {
        RC_ASSERT(j.errors.size() == 1u);
        RC_ASSERT(j.message == j.errors.front().message);
        return;
      }
      RC_ASSERT(j.exception == "ValidationException");
      for (const diagnostic& d : j.errors) RC_ASSERT(!is_malformed_kind(d.kind));
      {
        // SPEC.md 2.5's 10, not the library's constant (support/judgements.hpp).
        const std::size_t n = std::min<std::size_t>(j.errors.size(), aws_item_cap);
        std::string want = std::to_string(n);
        want += n == 1 ? " validation error detected: " : " validation errors detected: ";
        for (std::size_t i = 0; i < n; ++i) {
          if (i) want += "; ";
          want += j.errors[i].message;
        }
        RC_ASSERT(j.message == want);
      }
      return;
  }
  RC_FAIL("a verdict outside valid/invalid/malformed");
}

void judge_twice(const model::service_model& m, const std::string& body, const options& o) {
  validator& v = props::validator_for(m);
  const judgement first = v.judge(body, o);
  RC_LOG() << props::show(first);
  check_judgement(first);
  const judgement& again = v.judge(body, o);
  RC_ASSERT(same_judgement(first, again));
  validator fresh(m);
  RC_ASSERT(same_judgement(first, fresh.judge(body, o)));
  RC_TAG(to_string(first.result), first.exception,
         first.errors.size() > aws_item_cap ? "more than 10 errors" : "");
}

RC_GTEST_PROP(totality, judging_arbitrary_bytes_is_total_and_deterministic, ()) {
  const model::service_model& m = props::any_revision();
  const options o = any_options(m);
  std::string body;
  if (*rc::gen::arbitrary<bool>()) {
    body = *rc::gen::arbitrary<std::string>();
  } else {
    // A generated body, damaged at the byte level.
    props::rc_source src;
    const auto b = gen::valid(m, props::any_body_shape(m), src, {}, 512);
    RC_ASSERT(b.has_value());
    body = b->json;
    const int edits = props::uniform(1, 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      const auto at = props::uniform<std::size_t>(0, body.size());
      const auto byte = static_cast<char>(*rc::gen::arbitrary<unsigned char>());
      switch (props::uniform(0, 3)) {
        case 0: body[at] = byte; break;
        case 1: body.insert(at, 1, byte); break;
        default: body.resize(at); break;
      }
    }
  }
  RC_LOG() << "body: " << props::logged(body) << "\n";
  judge_twice(m, body, o);
}

RC_GTEST_PROP(totality, judging_arbitrary_json_is_total_and_deterministic, ()) {
  const model::service_model& m = props::any_revision();
  const options o = any_options(m);
  props::rc_source src;
  const std::string body = *rc::gen::arbitrary<bool>() ? gen::noisy(props::any_body_shape(m), src)
                                                       : gen::any_json(src, 5);
  RC_LOG() << "body: " << props::logged(body) << "\n";
  judge_twice(m, body, o);
}

}  // namespace
