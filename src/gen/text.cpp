// text: code points, UTF-8, free text and arbitrary JSON.
//
// RapidCheck's string generators produce bytes, not UTF-8, and a uniform
// draw over U+0000..U+10FFFF would be almost all 4-byte characters. So a
// code point is drawn in two steps: a class (ASCII half the time, then 2-,
// 3- and 4-byte forms, the five Java line terminators, NUL and C0
// controls, and the edges where UTF-8 changes length or where the JSON
// and regex layers have special cases), then a value within the class.
// Draw 0 is 'a' so that a shrunk string reads as "aaa".
#include <algorithm>
#include <array>
#include <new>

#include "gen/tree.hpp"

namespace spe::gen {

namespace {

constexpr std::array<char32_t, 5> line_terminators = {U'\n', U'\r', 0x85, 0x2028, 0x2029};

// Where the layers below have edges: UTF-8 length changes, the surrogate
// gap, the BOM, the replacement character, JSON's specials.
constexpr std::array<char32_t, 16> edges = {0x7F,   0x80,   0x7FF,   0x800, 0xD7FF, 0xE000,
                                            0xFFFD, 0xFEFF, 0xFFFF,  0x10000, 0x10FFFF, U'"',
                                            U'\\',  U'/',   U'-',    U'~'};

}  // namespace

char32_t code_point(source& s) {
  // One draw: the class in the high bits, the value in the low 32 (reduced
  // modulo the class size; the bias is below 2^-11 and the same everywhere).
  const std::uint64_t v = s.choice(std::uint64_t{16} << 32);
  const std::uint64_t c = v >> 32;
  const std::uint64_t low = v & 0xFFFFFFFFu;
  if (c < 8) {
    // Printable ASCII, rotated so that draw 0 is 'a'.
    return static_cast<char32_t>(0x20 + (0x41 + low % 95) % 95);
  }
  switch (c) {
    case 8:
    case 9: return static_cast<char32_t>(0x80 + low % (0x800 - 0x80));
    case 10:
    case 11: {
      auto cp = static_cast<char32_t>(0x800 + low % (0x10000 - 0x800 - 0x800));
      if (cp >= 0xD800) cp += 0x800;  // skip the surrogates
      return cp;
    }
    case 12: return static_cast<char32_t>(0x10000 + low % (0x110000 - 0x10000));
    case 13: return line_terminators[low % line_terminators.size()];
    case 14: {
      const auto k = static_cast<char32_t>(low % 33);
      return k == 32 ? char32_t{0x7F} : k;
    }
    default: return edges[low % edges.size()];
  }
}

void append_utf8(std::string& out, char32_t cp) {
  char buf[4];
  std::size_t n = 0;
  if (cp < 0x80) {
    buf[n++] = static_cast<char>(cp);
  } else if (cp < 0x800) {
    buf[n++] = static_cast<char>(0xC0 | (cp >> 6));
    buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    buf[n++] = static_cast<char>(0xE0 | (cp >> 12));
    buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    buf[n++] = static_cast<char>(0xF0 | (cp >> 18));
    buf[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
  }
  out.append(buf, n);
}

std::string text(source& s, std::size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) append_utf8(out, code_point(s));
  return out;
}

std::size_t code_points(std::string_view utf8) noexcept {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

namespace {

// Number tokens of every JSON spelling, and the edges of int32/int64 and of
// double, where a validator's integer checks have their edge cases.
constexpr std::string_view number_tokens[] = {
    "0",           "1",           "-1",          "-0",          "2147483647",
    "2147483648",  "-2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808",        "-9223372036854775808",       "-9223372036854775809",
    "1.5",         "-0.0",        "1e3",         "1E+2",        "1e-7",
    "2.0",         "1e400",       "-1e400",      "123456789012345678901234567890",
    "0.1e1",       "4294967296",  "18446744073709551616",
};

std::string small_integer(source& s) {
  std::string out;
  if (s.one_in(4)) out += '-';
  out += std::to_string(s.choice(1000));
  return out;
}

detail::value any_value(source& s, unsigned depth) {
  const std::uint64_t k = s.choice(depth > 0 ? 7 : 5);
  switch (k) {
    case 0: return detail::raw("null");
    case 1: return detail::raw(s.one_in(2) ? "true" : "false");
    case 2:
      if (s.one_in(2)) return detail::raw(number_tokens[s.choice(std::size(number_tokens))]);
      return detail::raw(small_integer(s));
    case 3:
    case 4: return detail::string_value(text(s, static_cast<std::size_t>(s.choice(12))));
    case 5: {
      detail::value v;
      v.type = detail::value::kind::array;
      const auto n = static_cast<std::size_t>(s.choice(5));
      for (std::size_t i = 0; i < n; ++i) v.items.push_back(any_value(s, depth - 1));
      return v;
    }
    default: {
      detail::value v;
      v.type = detail::value::kind::object;
      const auto n = static_cast<std::size_t>(s.choice(5));
      for (std::size_t i = 0; i < n; ++i) {
        // Keys are kept distinct: duplicate members are a fault of their own.
        std::string key = text(s, static_cast<std::size_t>(s.choice(6)));
        while (std::any_of(v.members.begin(), v.members.end(),
                           [&](const detail::member& m) { return m.key == key; })) {
          key += '_';
        }
        v.members.push_back({std::move(key), any_value(s, depth - 1)});
      }
      return v;
    }
  }
}

}  // namespace

std::string any_json(source& s, unsigned max_depth) {
  std::string out;
  try {
    detail::write(any_value(s, max_depth), out, s, spelling{});
  } catch (const std::bad_alloc&) {
    out = "null";
  }
  return out;
}

}  // namespace spe::gen
