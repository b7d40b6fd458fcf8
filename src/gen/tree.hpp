// A small JSON value tree shared by the generator stages: request.cpp builds
// bodies in it (so a fault can be put anywhere before anything is written),
// spell.cpp writes it out -- compact, or spelled with whitespace, escapes and
// member permutations -- and reads a JSON text back into it.
#pragma once

#include <string>
#include <string_view>
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

// Appends `v` as JSON. With a default spelling no draw is taken and the
// text is compact with minimal escaping (the canonical form's escaping).
void write(const value& v, std::string& out, source& s, const spelling& how);
// Appends a JSON string literal with minimal escaping.
void write_string(std::string_view text, std::string& out);

// Reads a well-formed JSON text into a tree; false when it is not.
bool read(std::string_view json, value& out);

}  // namespace spe::gen::detail
