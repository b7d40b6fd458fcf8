// source: where the generators' draws come from.
//
// seeded_source is splitmix64 (Steele, Lea, Flood 2014) with Lemire's
// bounded draw ("Fast random integer generation in an interval", 2019),
// whose result depends only on 64-bit arithmetic, so the output is the same
// with every compiler. std::uniform_*_
// distribution is avoided on purpose: its output differs between standard
// libraries, and a corpus must be reproducible from its seed everywhere.
//
// bytes_source reads a fuzzer's input as little-endian draws of as many
// bytes as n needs, reduced modulo n (the bias is irrelevant to a fuzzer;
// what matters is that byte value 0 is draw 0, the simplest choice).
#include "spe/gen.hpp"

namespace spe::gen {

namespace {

// The high 64 bits and the low 64 bits of a * b: one instruction where the
// compiler has a 128-bit type, else written out in 32-bit halves (the same
// result either way).
inline void multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& hi,
                     std::uint64_t& lo) noexcept {
#if defined(__SIZEOF_INT128__)
  __extension__ using u128 = unsigned __int128;
  const u128 p = static_cast<u128>(a) * b;
  hi = static_cast<std::uint64_t>(p >> 64);
  lo = static_cast<std::uint64_t>(p);
#else
  const std::uint64_t a_lo = a & 0xFFFFFFFFu;
  const std::uint64_t a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xFFFFFFFFu;
  const std::uint64_t b_hi = b >> 32;
  const std::uint64_t p0 = a_lo * b_lo;
  const std::uint64_t p1 = a_lo * b_hi;
  const std::uint64_t p2 = a_hi * b_lo;
  const std::uint64_t p3 = a_hi * b_hi;
  const std::uint64_t middle = (p0 >> 32) + (p1 & 0xFFFFFFFFu) + (p2 & 0xFFFFFFFFu);
  lo = (middle << 32) | (p0 & 0xFFFFFFFFu);
  hi = p3 + (p1 >> 32) + (p2 >> 32) + (middle >> 32);
#endif
}

}  // namespace

// next() and choice() are inline in gen.hpp; this is choice() where the
// compiler has no 128-bit type (the same results).
std::uint64_t seeded_source::choice_portable(std::uint64_t n) noexcept {
  if (n <= 1) return 0;
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  multiply(next(), n, hi, lo);
  if (lo < n) {
    // Reject the few products that would make low results likelier.
    const std::uint64_t threshold = (0 - n) % n;
    while (lo < threshold) multiply(next(), n, hi, lo);
  }
  return hi;
}

std::uint64_t bytes_source::choice(std::uint64_t n) {
  if (n <= 1) return 0;
  std::uint64_t v = 0;
  unsigned shift = 0;
  for (std::uint64_t span = n - 1; span != 0 && at_ < bytes_.size(); span >>= 8, shift += 8) {
    v |= std::uint64_t{bytes_[at_++]} << shift;
  }
  return v % n;
}

}  // namespace spe::gen
