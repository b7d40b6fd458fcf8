// Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above
// U+10FFFF), written out from the RFC's table for tests that must know
// whether a text is valid without asking the code under test.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace spe::testing {

inline bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const auto in = [](unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = p[i];
    std::size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (b < 0x80) {
      len = 1;
    } else if (in(b, 0xC2, 0xDF)) {
      len = 2;
    } else if (in(b, 0xE0, 0xEF)) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (in(b, 0xF0, 0xF4)) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len) return false;
    if (len > 1 && !in(p[i + 1], lo, hi)) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if (!in(p[i + k], 0x80, 0xBF)) return false;
    }
    i += len;
  }
  return true;
}

// The byte offset of each code point of UTF-8 text (every byte that is not
// a continuation byte starts one).
inline std::vector<std::size_t> code_point_starts(std::string_view utf8) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80) out.push_back(i);
  }
  return out;
}

}  // namespace spe::testing
