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

char32_t code_point(source& s) { return detail::draw_code_point(s); }

void append_utf8(std::string& out, char32_t cp) {
  char buf[4];
  out.append(buf, static_cast<std::size_t>(detail::put_utf8(buf, cp) - buf));
}

std::string text(source& s, std::size_t n) {
  std::string out;
  out.resize(4 * n);
  char* p = out.data();
  detail::with_source(s, [&](auto& src) {
    for (std::size_t i = 0; i < n; ++i) p = detail::put_utf8(p, detail::draw_code_point(src));
  });
  out.resize(static_cast<std::size_t>(p - out.data()));
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
