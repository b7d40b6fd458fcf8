// The reader's memory: after one warm-up read, reading valid bodies of the
// same or smaller size performs no heap allocation at all (the padded copy,
// simdjson's buffers, the frame stack, the key scratch and the document's
// tape keep their capacity); and when allocation fails, read() reports
// error_code::internal instead of throwing. The test binary replaces the
// global operator new family to count allocations and to make them fail.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "spe/json.hpp"

#include "support/counting_new.hpp"

namespace {

using spe::json::error_code;

// A StartPipelineExecution body with every kind of value, escapes, a
// duplicate member, a large object (sorting path) and non-int64 numbers.
std::string body() {
  std::string large = "{";
  for (int i = 0; i < 30; ++i) large += (i ? ",\"k" : "\"k") + std::to_string(i % 25) + "\":" + std::to_string(i);
  large += "}";
  return R"({"PipelineName":"my-pipeline","ClientRequestToken":"0123456789abcdef0123456789abcdef",)"
         R"("PipelineExecutionDescription":"line\none \u00e9\uD83D\uDE00",)"
         R"("PipelineParameters":[{"Name":"a","Value":"1"},{"Name":"b","Value":"2","Name":"c"}],)"
         R"("ParallelismConfiguration":{"MaxParallelExecutionSteps":5},"n":[1.5e3,-0,1e400,)"
         R"(123456789012345678901234567890,true,false,null],"big":)" +
         large + "}";
}

class counted {
 public:
  counted() {
    allocations = 0;
    counting = true;
  }
  ~counted() { counting = false; }
  std::size_t count() const { return allocations.load(); }
};

TEST(JsonReuse, TheCounterSeesAllocations) {
  // Guards the test itself: a replaced operator new that counted nothing
  // would make the next tests pass vacuously.
  counted c;
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GE(c.count(), 1u);
}

TEST(JsonReuse, ReadingValidBodiesAfterWarmUpAllocatesNothing) {
  const std::string text = body();
  spe::json::reader r;
  spe::json::document d;
  ASSERT_EQ(r.read(text, {}, d).code, error_code::ok);  // warm-up
  ASSERT_NE(d.first_duplicate(), 0u);
  std::size_t n = 0;
  {
    counted c;
    const auto first = r.read(text, {}, d);
    const auto second = r.read(text, {}, d);
    const auto smaller = r.read(R"({"PipelineName":"p","ClientRequestToken":"t"})", {}, d);
    n = c.count();
    ASSERT_EQ(first.code, error_code::ok);
    ASSERT_EQ(second.code, error_code::ok);
    ASSERT_EQ(smaller.code, error_code::ok);
  }
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(d[1].text, "p");
}

TEST(JsonReuse, ALargeBodyLeavesCapacityForSmallOnes) {
  spe::json::reader r;
  spe::json::document d;
  // Many members: the key scratch of the duplicate check grows here too.
  std::string big = "{";
  for (int i = 0; i < 10000; ++i) big += (i ? ",\"" : "\"") + std::to_string(i) + "\":[" + std::to_string(i) + "]";
  big += "}";
  ASSERT_EQ(r.read(big, {}, d).code, error_code::ok);
  const std::string text = body();
  std::size_t n = 0;
  {
    counted c;
    const auto e = r.read(text, {}, d);
    n = c.count();
    ASSERT_EQ(e.code, error_code::ok);
  }
  EXPECT_EQ(n, 0u);
}

class out_of_memory {
 public:
  out_of_memory() { failing = true; }
  ~out_of_memory() { failing = false; }
};

TEST(JsonReuse, AllocationFailureIsReportedNotThrown) {
  spe::json::reader r;
  spe::json::document d;
  spe::json::error e;
  {
    out_of_memory oom;  // the first read must allocate its buffers
    e = r.read(R"({"a":[1,2,3]})", {}, d);
  }
  EXPECT_EQ(e.code, error_code::internal);
  ASSERT_EQ(r.read(R"({"a":[1,2,3]})", {}, d).code, error_code::ok);  // the reader still works

  // The input buffers have room for the 3999-byte body after a 4000-byte
  // one, but the tape, sized for that one's single string (size / 8 + 16
  // nodes), must grow for the 1999 numbers of this one: the std::bad_alloc
  // it throws in the middle of the walk is caught.
  ASSERT_EQ(r.read("\"" + std::string(3998, 'x') + "\"", {}, d).code, error_code::ok);
  std::string many = "[0";
  for (int i = 0; i < 1998; ++i) many += ",0";
  many += "]";
  ASSERT_EQ(many.size(), 3999u);
  {
    out_of_memory oom;
    e = r.read(many, {}, d);
  }
  EXPECT_EQ(e.code, error_code::internal);
  ASSERT_EQ(r.read(many, {}, d).code, error_code::ok);
  EXPECT_EQ(d.root().count, 1999u);
}

}  // namespace
