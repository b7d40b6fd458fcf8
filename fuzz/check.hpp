// What every fuzz target shares: the input cap, the invariant check that
// traps, and a printable rendering of bytes for its message.
//
// A libFuzzer target reports a finding only by crashing (a non-zero return is
// not a failure), so a broken invariant prints what broke to stderr and calls
// abort(). SPE_FUZZ_CHECK is a plain `if`, not assert(): NDEBUG (set by
// RelWithDebInfo and Release builds, or by a packager's flags) must never
// compile a check out.
// The message expression is evaluated only when the check fails, so a
// check costs one branch on the fast path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace spe::fuzz {

// Inputs longer than this are ignored (the target returns at once). 64 KiB
// holds every boundary body of the models -- 200 parameters, a 3072-code-
// point description of 4-byte characters -- with room for mutation; longer
// inputs only make each execution slower. The per-target max_len in
// fuzz/<target>.options is smaller still, for speed.
inline constexpr std::size_t max_input = 64 * 1024;

// FNV-1a: a stable choice of variant per input (a replay takes the same
// path).
inline std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h;
}

// "abc\x00\xff": printable ASCII as is, everything else as \xNN; cut after
// `limit` bytes (with a note) so that a message stays readable.
inline std::string printable(std::string_view s, std::size_t limit = 400) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  const std::size_t n = s.size() < limit ? s.size() : limit;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (n < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

[[noreturn]] inline void fail(const char* file, int line, const char* condition,
                              const std::string& detail) {
  std::fprintf(stderr, "\n==spe-fuzz== invariant broken at %s:%d: %s\n==spe-fuzz== %s\n", file,
               line, condition, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace spe::fuzz

// SPE_FUZZ_CHECK(condition, detail): `detail` is any expression convertible
// to std::string, evaluated only on failure.
#define SPE_FUZZ_CHECK(condition, detail)                                    \
  do {                                                                       \
    if (!(condition)) ::spe::fuzz::fail(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)
