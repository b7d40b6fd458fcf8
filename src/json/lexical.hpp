// spe::json::detail lexical rules shared by the reader's fast path
// (reader.cpp) and its error locator (scan.cpp): what counts as whitespace,
// what may follow a number or a literal, and the RFC 8259 number and literal
// grammars, and the hex digits of a \u escape (which the string decoder,
// unescape.cpp, reads too). Both passes call these same functions, so they
// cannot disagree on what a valid number or literal is.
//
// Every function but hex4 takes an explicit end pointer and never reads at
// or past it, so it is safe on any buffer (the reader's copy is padded, the
// locator's input is not).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace spe::json::detail {

// RFC 8259 insignificant whitespace. Nothing else (not NUL, not NBSP).
constexpr bool is_ws(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A hex digit's value; -1 for every other byte, so that four digits OR-ed
// into one code unit come out negative if any of them is not a digit.
inline constexpr std::array<std::int32_t, 256> hex_digits = [] {
  std::array<std::int32_t, 256> t{};
  t.fill(-1);
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = c - '0';
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = c - 'a' + 10;
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] = c - 'A' + 10;
  return t;
}();

// The four hex digits at p (the XXXX of a \uXXXX escape) as a UTF-16 code
// unit; negative unless all four are hex digits. The one function here
// without an end pointer: it reads exactly p[0..3], and its callers check
// that room (the locator) or have the reader's padding after the string
// (the decoder, unescape.cpp).
inline std::int32_t hex4(const char* p) noexcept {
  const auto d = [p](int i) { return hex_digits[static_cast<unsigned char>(p[i])]; };
  return d(0) * 4096 | d(1) * 256 | d(2) * 16 | d(3);
}

// The first byte in [p, end) that ends a run of plain string text -- a
// '"' or a '\\', and with Controls also a control character (0x00..0x1F,
// which a string may not hold raw) -- or end. The reader uses it (without
// Controls: stage 1 has refused raw control characters already) to see
// whether a string needs unescaping at all; the locator to step from one
// byte that matters in a string to the next (instrumented by a fuzzer, a
// byte loop there cost several compare hooks per byte of every string).
// Strings run long, so the bulk goes 16 bytes at a time where SSE2 is there
// (all of x86-64).
template <bool Controls = false>
inline const char* find_string_stop(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i stops = _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash));
    if constexpr (Controls) {
      // A control character is a byte that min(byte, 0x1F) leaves unchanged.
      stops = _mm_or_si128(stops, _mm_cmpeq_epi8(_mm_min_epu8(bytes, last_control), bytes));
    }
    const int hits = _mm_movemask_epi8(stops);
    if (hits != 0) return p + __builtin_ctz(static_cast<unsigned>(hits));
    p += 16;
  }
#endif
  for (; p != end; ++p) {
    if (*p == '"' || *p == '\\') return p;
    if (Controls && static_cast<unsigned char>(*p) < 0x20) return p;
  }
  return end;
}

// A number or literal must end where the grammar ends: at whitespace, at a
// structural character or at the end of the input. "1x", "truex" and
// "1\"a\"" are therefore one malformed token, as simdjson's stage 1 sees
// them, not a token followed by garbage.
constexpr bool ends_token(const char* p, const char* end) noexcept {
  if (p == end) return true;
  const char c = *p;
  return is_ws(c) || c == ',' || c == ']' || c == '}' || c == ':';
}

// What the number grammar learned about a token, so the reader converts it
// without a second pass over its characters.
struct number_token {
  const char* end = nullptr;     // one past the last character of the number
  bool negative = false;
  bool integral = false;         // no fraction, no exponent
  std::uint32_t int_digits = 0;  // digits before the fraction or exponent
};

// Matches -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at p and demands
// that the token ends there. Returns false for anything else (01, 1., .5,
// -, 1e, +1, 1x, ...).
inline bool match_number(const char* p, const char* end, number_token& out) noexcept {
  out.negative = false;
  if (p != end && *p == '-') {
    out.negative = true;
    ++p;
  }
  const char* digits = p;
  if (p == end || !is_digit(*p)) return false;
  if (*p == '0') {
    ++p;
  } else {
    while (p != end && is_digit(*p)) ++p;
  }
  out.int_digits = static_cast<std::uint32_t>(p - digits);
  out.integral = true;
  if (p != end && *p == '.') {
    ++p;
    if (p == end || !is_digit(*p)) return false;
    while (p != end && is_digit(*p)) ++p;
    out.integral = false;
  }
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p != end && (*p == '+' || *p == '-')) ++p;
    if (p == end || !is_digit(*p)) return false;
    while (p != end && is_digit(*p)) ++p;
    out.integral = false;
  }
  out.end = p;
  return ends_token(p, end);
}

// true / false / null spelled exactly and ending as a token must.
enum class literal : std::uint8_t { invalid, true_, false_, null };

// Precondition: p < end.
inline literal match_literal(const char* p, const char* end) noexcept {
  const std::ptrdiff_t rest = end - p;
  auto is = [&](const char* word, std::ptrdiff_t n) {
    if (rest < n) return false;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      if (p[i] != word[i]) return false;
    }
    return ends_token(p + n, end);
  };
  switch (*p) {
    case 't': return is("true", 4) ? literal::true_ : literal::invalid;
    case 'f': return is("false", 5) ? literal::false_ : literal::invalid;
    case 'n': return is("null", 4) ? literal::null : literal::invalid;
    default: return literal::invalid;
  }
}

}  // namespace spe::json::detail
