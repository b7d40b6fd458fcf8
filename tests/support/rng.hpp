// A small seeded generator for the tests and fuzz targets that draw their
// inputs: the same sequence on every platform, so a failure replays from
// its seed. The stream is spe::gen::seeded_source's splitmix64 (one copy of
// the constants); the draws are the plain `% n` these callers have always
// used, so the strings a seed or a fuzz input gives have not changed.
#pragma once

#include <cstddef>
#include <cstdint>

#include "spe/gen.hpp"

namespace spe::testing {

class rng {
 public:
  explicit rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() { return s_.next(); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(std::size_t in) { return below(in) == 0; }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  gen::seeded_source s_;
};

}  // namespace spe::testing
