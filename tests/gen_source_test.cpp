// The sources of draws: seeded_source must be the published splitmix64
// stream (so a corpus is reproducible from its seed anywhere), its bounded
// draws must stay in range and be even, and bytes_source must turn a short
// fuzzer input into draw 0 -- the simplest choice.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "spe/gen.hpp"

namespace {

using spe::gen::bytes_source;
using spe::gen::seeded_source;

TEST(gen_source, seeded_source_is_the_reference_splitmix64_stream) {
  // rand_xoshiro's `reference` test of SplitMix64 (values it took from
  // Vigna's splitmix64.c), seed 1477776061723855037.
  seeded_source s(1477776061723855037u);
  const std::array<std::uint64_t, 5> expected = {1985237415132408290u, 2979275885539914483u,
                                                 13511426838097143398u, 8488337342461049707u,
                                                 15141737807933549159u};
  for (std::uint64_t e : expected) EXPECT_EQ(s.next(), e);
}

TEST(gen_source, bounded_draws_stay_in_range_and_are_even) {
  seeded_source s(7);
  EXPECT_EQ(s.choice(0), 0u);
  EXPECT_EQ(s.choice(1), 0u);
  std::array<int, 6> counts{};
  const int n = 60000;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t v = s.choice(6);
    ASSERT_LT(v, 6u);
    ++counts[v];
  }
  // Each bucket expects 10000; 5 standard deviations is about 456.
  for (int c : counts) EXPECT_NEAR(c, n / 6, 460);
  // A bound that is not a power of two near 2^64 (where a plain modulo
  // would favour the low half heavily).
  const std::uint64_t big = (std::uint64_t{1} << 63) + (std::uint64_t{1} << 62);
  int low_half = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t v = s.choice(big);
    ASSERT_LT(v, big);
    low_half += v < big / 2;
  }
  EXPECT_NEAR(low_half, 10000, 500);
}

TEST(gen_source, same_seed_same_draws) {
  seeded_source a(42);
  seeded_source b(42);
  seeded_source c(43);
  bool differs = false;
  for (std::uint64_t n = 1; n < 2000; ++n) {
    const std::uint64_t x = a.choice(n);
    EXPECT_EQ(x, b.choice(n));
    differs = differs || x != c.choice(n);
  }
  EXPECT_TRUE(differs);
}

TEST(gen_source, bytes_source_reads_little_endian_and_gives_zero_when_exhausted) {
  const std::vector<std::uint8_t> bytes = {5, 0x34, 0x12, 7};
  bytes_source s(bytes);
  EXPECT_EQ(s.choice(256), 5u);           // one byte
  EXPECT_EQ(s.choice(65536), 0x1234u);    // two bytes, little-endian
  EXPECT_EQ(s.choice(4), 3u);             // 7 mod 4
  EXPECT_EQ(s.consumed(), 4u);
  EXPECT_EQ(s.choice(1000), 0u);          // exhausted: the simplest draw
  EXPECT_EQ(s.choice(2), 0u);
}

TEST(gen_source, one_in_is_false_on_draw_zero) {
  bytes_source empty({});
  EXPECT_FALSE(empty.one_in(2));
  EXPECT_FALSE(empty.one_in(1));
  const std::vector<std::uint8_t> last = {2};
  bytes_source s(last);
  EXPECT_TRUE(s.one_in(3));
}

}  // namespace
