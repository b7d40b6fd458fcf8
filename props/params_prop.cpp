// RC_PARAMS is read by RapidCheck at start-up, and a key it does not know
// ("max_sucess") is silently ignored -- so a suite that believes it runs
// 3000 cases may run 100. ctest passes the same parameters twice: as
// RC_PARAMS to RapidCheck and as SPE_RC_EXPECT to this test, which demands
// that RapidCheck's configuration holds them and that a property really
// runs max_success cases.
#include <cstdlib>
#include <sstream>

#include "support/props.hpp"

namespace {

// "seed=1 max_success=150" -> the value of `key`, or "".
std::string param(std::string_view params, std::string_view key) {
  std::istringstream in{std::string(params)};
  std::string word;
  while (in >> word) {
    const auto eq = word.find('=');
    if (eq != std::string::npos && word.substr(0, eq) == key) return word.substr(eq + 1);
  }
  return "";
}

TEST(rc_params, are_the_ones_ctest_pinned) {
  const char* expect = std::getenv("SPE_RC_EXPECT");
  const rc::detail::TestParams& p = rc::detail::configuration().testParams;
  if (expect != nullptr) {
    const std::string seed = param(expect, "seed");
    const std::string cases = param(expect, "max_success");
    ASSERT_FALSE(seed.empty()) << "SPE_RC_EXPECT has no seed: " << expect;
    ASSERT_FALSE(cases.empty()) << "SPE_RC_EXPECT has no max_success: " << expect;
    EXPECT_EQ(std::to_string(p.seed), seed) << "RC_PARAMS=" << std::getenv("RC_PARAMS");
    EXPECT_EQ(std::to_string(p.maxSuccess), cases) << "RC_PARAMS=" << std::getenv("RC_PARAMS");
  }
  // Whatever the parameters, a property runs exactly max_success cases.
  int runs = 0;
  const bool ok = rc::check("counts its cases", [&] { ++runs; });
  EXPECT_TRUE(ok);
  EXPECT_EQ(runs, p.maxSuccess);
}

}  // namespace
