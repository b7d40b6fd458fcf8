// A small JSON value tree shared by the generator stages: request.cpp builds
// bodies in it (so a fault can be put anywhere before anything is written),
// spell.cpp writes it out -- compact, or spelled with whitespace, escapes and
// member permutations -- and reads a JSON text back into it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "spe/gen.hpp"

namespace spe::gen::detail {

struct member;

struct value {
  enum class kind : std::uint8_t { object, array, string, raw };
  kind type = kind::raw;
  std::string text;             // string: its UTF-8 value; raw: the token as written
  std::vector<member> members;  // object, in writing order (duplicates allowed)
  std::vector<value> items;     // array
};

struct member {
  std::string key;  // UTF-8, unescaped
  value v;
};

inline value raw(std::string_view token) {
  value v;
  v.text = token;
  return v;
}
inline value string_value(std::string s) {
  value v;
  v.type = value::kind::string;
  v.text = std::move(s);
  return v;
}

// code_point(s), for any source type: text() and the pattern generator call
// it with a seeded_source directly, without the virtual dispatch of a draw.
//
// A code point is drawn in two steps: a class (ASCII half the time, then 2-,
// 3- and 4-byte forms, the five Java line terminators, NUL and C0 controls,
// and the edges where UTF-8 changes length or where the JSON and regex
// layers have special cases), then a value within the class. Draw 0 is 'a'.
inline constexpr const auto& line_terminators = pattern::java_line_terminators;
// Where the layers below have edges: UTF-8 length changes, the surrogate
// gap, the BOM, the replacement character, JSON's specials.
inline constexpr std::array<char32_t, 16> edges = {0x7F,   0x80,   0x7FF,   0x800, 0xD7FF, 0xE000,
                                                   0xFFFD, 0xFEFF, 0xFFFF,  0x10000, 0x10FFFF, U'"',
                                                   U'\\',  U'/',   U'-',    U'~'};

// Calls f with `s` as a seeded_source when it is one -- the usual source;
// the class is final, so f's draws inline -- and as a source otherwise.
// For loops that draw once per code point.
template <class F>
void with_source(source& s, F&& f) {
  if (typeid(s) == typeid(seeded_source)) {
    f(static_cast<seeded_source&>(s));
  } else {
    f(s);
  }
}

template <class Source>
char32_t draw_code_point(Source& s) {
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

// Writes the UTF-8 form of a scalar value at p (room for 4 bytes); returns
// the end. append_utf8, text() and the pattern generator share it.
inline char* put_utf8(char* p, char32_t cp) noexcept {
  if (cp < 0x80) {
    *p++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *p++ = static_cast<char>(0xC0 | (cp >> 6));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *p++ = static_cast<char>(0xE0 | (cp >> 12));
    *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *p++ = static_cast<char>(0xF0 | (cp >> 18));
    *p++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return p;
}

// Appends `v` as JSON. With a default spelling no draw is taken and the
// text is compact with minimal escaping (the canonical form's escaping).
void write(const value& v, std::string& out, source& s, const spelling& how);

// Reads a well-formed JSON text into a tree; false when it is not.
bool read(std::string_view json, value& out);

}  // namespace spe::gen::detail
