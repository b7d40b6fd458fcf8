// Judging a valid body allocates nothing once the validator's buffers have
// grown (issue 3: "no heap allocation per member while judging a valid
// body"), in every revision; and an allocation failure while judging comes
// back as a verdict, never as an exception.
#include <gtest/gtest.h>

#include <string>

#include "spe/validate.hpp"
#include "support/bodies.hpp"
#include "support/counting_new.hpp"

namespace {

class alloc : public ::testing::TestWithParam<std::string_view> {};

TEST_P(alloc, judging_valid_bodies_after_warm_up_allocates_nothing) {
  const auto* model = spe::model::builtin(GetParam());
  ASSERT_NE(model, nullptr);
  spe::validator v(*model);
  // Every member present, lists with elements, plus an unknown member.
  spe::testing::json full = spe::testing::body(*model->input(), true);
  const std::string body = full.dump();
  const std::string minimal = spe::testing::body(*model->input(), false).dump();
  ASSERT_EQ(v.judge(body).result, spe::verdict::valid) << v.judge(body).message;
  ASSERT_EQ(v.judge(minimal).result, spe::verdict::valid);
  allocations = 0;
  counting = true;
  for (int i = 0; i < 10; ++i) {
    const auto& a = v.judge(body);
    const auto& b = v.judge(minimal);
    if (a.result != spe::verdict::valid || b.result != spe::verdict::valid) break;
  }
  counting = false;
  EXPECT_EQ(allocations.load(), 0u);
  EXPECT_EQ(v.judge(body).result, spe::verdict::valid);
}

TEST_P(alloc, running_out_of_memory_is_a_verdict_not_an_exception) {
  const auto* model = spe::model::builtin(GetParam());
  spe::validator v(*model);
  const std::string invalid = "{\"PipelineName\":\"-x\",\"Extra\":[1,2,3]}";
  failing = true;
  const spe::verdict result = v.judge(invalid).result;  // must not throw
  failing = false;
  EXPECT_NE(result, spe::verdict::valid);
  // And the validator still works afterwards.
  EXPECT_EQ(v.judge(invalid).result, spe::verdict::invalid);
}

INSTANTIATE_TEST_SUITE_P(revisions, alloc,
                         ::testing::Values("seed", "botocore-1.29", "botocore-1.43"),
                         [](const auto& info) {
                           std::string s(info.param);
                           for (char& c : s) {
                             if (c == '-' || c == '.') c = '_';
                           }
                           return s;
                         });

}  // namespace
