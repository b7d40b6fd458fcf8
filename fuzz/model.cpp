// Fuzz target `model`: arbitrary bytes as a botocore service-2.json model,
// as `spe validate --model FILE` and `spe gen --model FILE` read one
// (operation StartPipelineExecution). The built-in models are three fixed
// points; a user's model can be anything, including recursive, and that is
// where `spe gen` once overflowed its stack. Invariants:
//   - load() never crashes: it returns a model or an error with a message;
//   - for a model it loads, the generators and the validator agree, on the
//     request, the response and every error shape: a body gen::valid draws
//     is judged valid; a body gen::single_fault makes (one fault kind and
//     site, picked from a hash of the input) and a gen::just_inside body
//     are judged as their labels say (tests/support/labels.hpp: verdict,
//     exception, the set of (pointer, constraint, bound), message phrase);
//     a shape that is not finite gives no body at all.
// The draws are seeded from a hash of the input, so a replay reproduces.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "check.hpp"
#include "spe/gen.hpp"
#include "spe/model.hpp"
#include "spe/validate.hpp"
#include "support/labels.hpp"

namespace {

using namespace spe;

// The validator's judgement of `b` is the one its label predicts
// (tests/support/labels.hpp, as the generator tests and properties hold it).
void expect_as_labelled(validator& v, const gen::body& b) {
  const judgement& j = v.judge(b.json, spe::testing::options_for(b));
  const std::string mismatch = spe::testing::label_mismatch(b, j);
  SPE_FUZZ_CHECK(mismatch.empty(), mismatch + "==spe-fuzz== " + b.why + "\n==spe-fuzz== body: " +
                                       fuzz::printable(b.json, 600));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = model::load(text, "StartPipelineExecution", "fuzz");
  if (!loaded) {
    SPE_FUZZ_CHECK(!loaded.error().message.empty(), "a refused model says why");
    return 0;
  }
  const model::service_model& m = *loaded;
  validator v(m);
  std::vector<const model::shape*> roots{m.input(), &m.response()};
  for (const model::shape* e : m.errors()) roots.push_back(e);

  const std::uint64_t h = fuzz::hash_bytes(text);
  gen::seeded_source s(h);
  const gen::spelling how{(h & 1) != 0, (h & 2) != 0, (h & 4) != 0};
  for (const model::shape* root : roots) {
    // A small budget keeps an execution short; the bounds are still drawn.
    const auto b = gen::valid(m, *root, s, how, 512);
    SPE_FUZZ_CHECK(root->finite || !b, "a body of " + root->name + ", which is not finite");
    if (b) expect_as_labelled(v, *b);

    const auto f = static_cast<gen::fault>(1 + (h >> 8) % (gen::fault_count - 1));
    const auto sites = gen::sites(m, *root, f);
    if (sites.empty()) continue;
    const gen::site& at = sites[(h >> 16) % sites.size()];
    if (const auto fb = gen::single_fault(m, *root, at, s, how, 512)) expect_as_labelled(v, *fb);
    if (const auto ib = gen::just_inside(m, *root, at, s, how, 512)) expect_as_labelled(v, *ib);
  }
  return 0;
}
