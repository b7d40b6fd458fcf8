// A small seeded generator for the tests that draw their inputs: the same
// sequence on every platform, so a failure replays from its seed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace spe::testing {

// splitmix64: tiny, portable, the same sequence on every platform.
class rng {
 public:
  explicit rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(std::size_t in) { return below(in) == 0; }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::uint64_t s_;
};

}  // namespace spe::testing
