// Bad input gets the right verdict in bounded memory, and never a crash:
// a 64 MiB body, a body nested a million deep, random bytes, and a 1 MiB
// PipelineName of 'a', hyphens and '!' (the input that makes backtracking
// engines explode on this pattern). Time is not measured here (speed lives
// in bench/); pattern_linear_test counts the automaton's steps instead.
#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/resource.h>

#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "spe/validate.hpp"
#include "support/bodies.hpp"
#include "support/sanitizers.hpp"

namespace {

long max_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

const spe::model::service_model& seed() { return *spe::model::builtin("seed"); }

// A ClientRequestToken of the seed revision's least length.
std::string token() {
  return std::string(
      static_cast<std::size_t>(spe::testing::request_shape("seed", {"ClientRequestToken"}).min), 't');
}

TEST(hostile, a_64_mib_body_is_refused_by_size_without_being_read) {
  std::string body = "{\"PipelineName\":\"" + std::string(64u << 20, 'a') + "\"}";
  spe::validator v(seed());
  const long before = max_rss_kib();
  const auto& j = v.judge(body);
  EXPECT_EQ(j.result, spe::verdict::malformed);
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].kind, spe::constraint::size);
  EXPECT_EQ(j.errors[0].bound, std::to_string(8u << 20));
  EXPECT_LT(max_rss_kib() - before, 16 * 1024) << "KiB grown while refusing";
}

TEST(hostile, a_body_nested_a_million_deep_is_refused_by_depth) {
  for (char open : {'[', '{'}) {
    std::string body;
    for (int i = 0; i < 1000000; ++i) body += open == '[' ? "[" : "{\"a\":";
    spe::validator v(seed());
    const auto& j = v.judge(body);
    EXPECT_EQ(j.result, spe::verdict::malformed);
    ASSERT_EQ(j.errors.size(), 1u);
    EXPECT_EQ(j.errors[0].kind, spe::constraint::depth) << open;
  }
}

TEST(hostile, a_one_mib_name_of_hyphens_gets_its_length_and_pattern_errors) {
  const std::string token = ::token();
  spe::validator v(seed());
  // "a", hyphens, "a" matches the pattern (the hyphens are unbounded):
  // only its length is wrong.
  struct {
    std::string name;
    bool matches;
  } cases[] = {{std::string(1u << 20, 'a'), false},
               {"a" + std::string(1u << 20, '-') + "!", false},
               {"a" + std::string(1u << 20, '-') + "a", true}};
  for (const auto& [name, matches] : cases) {
    const std::string body =
        "{\"PipelineName\":\"" + name + "\",\"ClientRequestToken\":\"" + token + "\"}";
    const long before = max_rss_kib();
    const auto& j = v.judge(body);
    EXPECT_EQ(j.result, spe::verdict::invalid);
    ASSERT_EQ(j.errors.size(), matches ? 1u : 2u);
    EXPECT_EQ(j.errors[0].kind, spe::constraint::length_max);
    if (!matches) EXPECT_EQ(j.errors[1].kind, spe::constraint::pattern);
    // The message quotes the value raw, twice; nothing else grows with it.
    EXPECT_LT(max_rss_kib() - before, 64 * 1024) << "KiB grown";
  }
}

TEST(hostile, random_bytes_get_exactly_one_deterministic_verdict) {
  std::mt19937_64 rng(20261124);
  spe::validator a(seed());
  spe::validator b(seed());
  const std::string alphabet = "{}[]\":,0123456789.eE+-tfnrul \\/\t\n";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 64, '\0');
    const bool structural = i % 2 == 0;
    for (char& c : s) {
      c = structural ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng());
    }
    const auto& x = a.judge(s);
    const auto verdict = x.result;
    const std::string message = x.message;
    const auto& y = b.judge(s);
    EXPECT_EQ(verdict, y.result);
    EXPECT_EQ(message, y.message);
    EXPECT_EQ(verdict == spe::verdict::valid, x.errors.empty());
    const auto& again = a.judge(s);
    EXPECT_EQ(again.result, verdict);
    EXPECT_EQ(again.message, message);
  }
}

// The seed model as JSON, for variants of it.
nlohmann::json seed_model_json() {
  std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/seed.json");
  return nlohmann::json::parse(in);
}

spe::model::service_model load_variant(const nlohmann::json& m) {
  auto r = spe::model::load(m.dump(), "StartPipelineExecution", "variant");
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return std::move(*r);
}

// The seed model with a parameter that may hold a parameter (Self).
spe::model::service_model self_nesting_model() {
  nlohmann::json m = seed_model_json();
  m["shapes"]["Parameter"]["members"]["Self"] = {{"shape", "Parameter"}};
  return load_variant(m);
}

// A request of self_nesting_model() whose one parameter holds `levels` Self
// members, one inside the other: its innermost Name sits levels + 3 path
// steps down (PipelineParameters, its element, the Selfs, Name).
std::string self_nesting_body(std::uint32_t levels) {
  std::string body = "{\"PipelineName\":\"p\",\"ClientRequestToken\":\"" + token() +
                     "\",\"PipelineParameters\":[";
  // Written front to back (wrapping a growing string copied it once a level).
  for (std::uint32_t i = 0; i < levels; ++i) body += "{\"Name\":\"n\",\"Value\":\"v\",\"Self\":";
  body += "{\"Name\":\"n\",\"Value\":\"v\"}";
  body.append(levels, '}');
  return body + "]}";
}

// A recursive model lets a body nest modelled shapes as deep as the JSON
// depth bound allows; the model walk recurses, so past spe::max_model_depth
// path steps the body is past a depth bound: malformed, kind depth, with
// that bound -- as the reader's own is (SPEC.md section 4: past the depth
// bound is exit 2), never "invalid".
TEST(hostile, modelled_nesting_past_the_bound_is_malformed_by_depth) {
  const auto model = self_nesting_model();
  spe::validator v(model);
  spe::options deep;
  deep.limits.max_depth = spe::json::hard_max_depth;
  // At the bound, valid; one step past it, malformed.
  EXPECT_EQ(v.judge(self_nesting_body(spe::max_model_depth - 3), deep).result, spe::verdict::valid);
  const auto& j = v.judge(self_nesting_body(spe::max_model_depth - 2), deep);
  EXPECT_EQ(j.result, spe::verdict::malformed);
  EXPECT_EQ(j.exception, "SerializationException");
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].kind, spe::constraint::depth);
  EXPECT_EQ(j.errors[0].bound, std::to_string(spe::max_model_depth));
  std::string canon;
  EXPECT_FALSE(v.canonical(canon));
}

// How many bytes of stack `f` uses, run on a thread of its own whose stack
// (16 MiB) is painted first: the deepest byte no longer holding the paint
// marks the high-water mark. A real overflow would kill the test process.
template <class F>
std::size_t stack_used_by(F f) {
  constexpr std::size_t size = 16u << 20;
  constexpr unsigned char paint = 0xA5;
  std::vector<unsigned char> stack(size, paint);
  struct call {
    F* f;
    static void* run(void* self) {
      (*static_cast<call*>(self)->f)();
      return nullptr;
    }
  } c{&f};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  EXPECT_EQ(pthread_attr_setstack(&attr, stack.data(), size), 0);
  pthread_t t;
  EXPECT_EQ(pthread_create(&t, &attr, &call::run, &c), 0);
  pthread_join(t, nullptr);
  pthread_attr_destroy(&attr);
  std::size_t untouched = 0;  // the stack grows down, from stack.data() + size
  while (untouched < size && stack[untouched] == paint) ++untouched;
  return size - untouched;
}

// The model walk recurses (check, canonical, typed_value), so
// spe::max_model_depth bounds its stack as well as its depth: the deepest
// body a recursive model admits is judged, written canonically and typed in
// well under 1 MiB of stack, which a thread pool's worker has -- not only a
// main thread's 8 MiB. (ASan's frames are several times larger, and an
// unoptimised build's too: those get 8 MiB.)
TEST(hostile, the_deepest_modelled_body_fits_a_worker_thread_stack) {
  const auto model = self_nesting_model();
  spe::options deep;
  deep.limits.max_depth = spe::json::hard_max_depth;
  // max_model_depth path steps, the most a body may have.
  const std::string body = self_nesting_body(spe::max_model_depth - 3);
  spe::verdict result = spe::verdict::malformed;
  bool canonical = false;
  bool typed = false;
  const std::size_t used = stack_used_by([&] {
    spe::validator v(model);
    result = v.judge(body, deep).result;
    std::string out;
    canonical = v.canonical(out);
    spe::value value;
    typed = v.typed_value(value);
  });
  EXPECT_EQ(result, spe::verdict::valid);
  EXPECT_TRUE(canonical);
  EXPECT_TRUE(typed);
#if defined(NDEBUG) || defined(__OPTIMIZE__)
  const bool optimised = true;
#else
  const bool optimised = false;
#endif
  const std::size_t budget =
      spe::testing::address_sanitizer || !optimised ? (8u << 20) : (1u << 20);
  EXPECT_LT(used, budget) << "bytes of stack for " << spe::max_model_depth << " modelled levels";
  std::cout << "stack used: " << used / 1024 << " KiB for " << spe::max_model_depth
            << " modelled levels\n";
}

// An operation without an output shape answers with an empty object: a
// response body is judged as a structure without members, so its members
// are unknown (a note; an error under --strict), and its canonical form is
// {} -- JSON, as SPEC.md section 3 wants of every accepted body.
TEST(hostile, a_response_of_an_operation_without_output_is_an_empty_structure) {
  nlohmann::json m = seed_model_json();
  m["operations"]["StartPipelineExecution"].erase("output");
  const auto model = load_variant(m);
  spe::validator v(model);
  spe::options response;
  response.body = spe::body_kind::response;
  const auto& j = v.judge(std::string_view(R"({"a":1})"), response);
  EXPECT_EQ(j.result, spe::verdict::valid);
  ASSERT_EQ(j.notes.size(), 1u);
  EXPECT_EQ(j.notes[0].kind, spe::constraint::unknown_member);
  std::string canon;
  ASSERT_TRUE(v.canonical(canon));
  EXPECT_EQ(canon, "{}");
  response.strict = true;
  EXPECT_EQ(v.judge(std::string_view(R"({"a":1})"), response).result, spe::verdict::invalid);
  EXPECT_EQ(v.judge(std::string_view("[]"), response).result, spe::verdict::invalid);
}

}  // namespace
