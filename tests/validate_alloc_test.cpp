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
  // Every member present, lists with elements. (An unknown member would
  // add a note, whose text is allocated: notes are not per member.)
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
  ASSERT_NE(model, nullptr);
  const std::string body = spe::testing::body(*model->input(), true).dump();
  // A new validator has no buffers yet, so judging even a valid body must
  // allocate: with every allocation failing, it answers "malformed" (a
  // SerializationException of kind size, as for a body past the size
  // bound) through its noexcept API instead of throwing.
  spe::validator v(*model);
  allocations = 0;
  counting = true;
  failing = true;
  const spe::judgement& j = v.judge(body);
  failing = false;  // before anything below allocates (gtest's messages do)
  counting = false;
  EXPECT_GT(allocations.load(), 0u);
  EXPECT_EQ(j.result, spe::verdict::malformed);
  EXPECT_EQ(j.exception, "SerializationException");
  // With nothing at all to allocate, not even the diagnostic can be made
  // (validate.hpp says so); the verdict and the exception are still right.
  EXPECT_TRUE(j.errors.empty());
  // The validator recovers once memory is back.
  EXPECT_EQ(v.judge(body).result, spe::verdict::valid) << v.judge(body).message;

  // As memory usually runs out -- the big buffers fail, small strings still
  // come -- the verdict carries its diagnostic: one, of kind size.
  spe::validator fresh(*model);
  // The reader's first buffers are at least the body's size (its padded
  // copy is the body and 64 bytes more); a diagnostic's strings are shorter.
  ASSERT_GT(body.size(), 128u);
  failing_from = body.size();
  const spe::judgement& short_of_memory = fresh.judge(body);
  failing_from = SIZE_MAX;
  EXPECT_EQ(short_of_memory.result, spe::verdict::malformed);
  EXPECT_EQ(short_of_memory.exception, "SerializationException");
  ASSERT_EQ(short_of_memory.errors.size(), 1u);
  EXPECT_EQ(short_of_memory.errors[0].kind, spe::constraint::size);
  EXPECT_NE(short_of_memory.message.find("out of memory"), std::string::npos) << short_of_memory.message;
  // A caller that ran out reading the body itself (spe validate on a huge
  // file) gets this same verdict, word for word, from judge_out_of_memory.
  spe::validator caller(*model);
  const spe::judgement& unread = caller.judge_out_of_memory();
  EXPECT_EQ(unread.result, short_of_memory.result);
  EXPECT_EQ(unread.exception, short_of_memory.exception);
  EXPECT_EQ(unread.message, short_of_memory.message);
  ASSERT_EQ(unread.errors.size(), 1u);
  EXPECT_EQ(unread.errors[0].kind, short_of_memory.errors[0].kind);
  EXPECT_EQ(unread.errors[0].bound, short_of_memory.errors[0].bound);
  std::string canon;
  EXPECT_FALSE(caller.canonical(canon));
  EXPECT_EQ(fresh.judge(body).result, spe::verdict::valid);

  // A warmed-up validator judges a valid body without allocating, so it
  // still answers "valid"; an invalid body needs memory for its message,
  // and comes back "malformed" by size instead.
  const std::string invalid = "{}";
  ASSERT_EQ(v.judge(invalid).result, spe::verdict::invalid);
  failing = true;
  const spe::verdict warm_valid = v.judge(body).result;
  const spe::verdict warm_invalid = v.judge(invalid).result;
  failing = false;
  EXPECT_EQ(warm_valid, spe::verdict::valid);
  EXPECT_EQ(warm_invalid, spe::verdict::malformed);
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
