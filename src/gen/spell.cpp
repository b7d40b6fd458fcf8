// spell: how a JSON value is written -- compact, or with random
// insignificant whitespace, random escapes and random member order.
//
// A validator must judge a value, not its spelling: "\u0061" is "a", a
// surrogate pair is one astral character, members may come in any order
// and whitespace may sit between any two tokens. These spellings are where
// hand-written JSON handling usually breaks, so the writer can draw each of
// them; draw 0 is always the plain spelling (no whitespace, no optional
// escape, members in the tree's order). Reading a text back into the tree
// goes through spe's own strict reader (json::reader): spell() is given
// our own well-formed output, and anything else is returned untouched.
#include <cstdint>
#include <cstring>
#include <new>

#include "gen/tree.hpp"
#include "spe/json.hpp"

namespace spe::gen::detail {

namespace {

constexpr char hex_lower[] = "0123456789abcdef";
constexpr char hex_upper[] = "0123456789ABCDEF";

void append_u_escape(std::string& out, std::uint32_t unit, bool upper) {
  const char* hex = upper ? hex_upper : hex_lower;
  out += "\\u";
  out += hex[(unit >> 12) & 0xF];
  out += hex[(unit >> 8) & 0xF];
  out += hex[(unit >> 4) & 0xF];
  out += hex[unit & 0xF];
}

// Decodes the code point of valid UTF-8 at text[i]; returns its length.
std::size_t decode(std::string_view text, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  const auto cont = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(text[i + k]) & 0x3F);
  };
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if (b0 < 0xE0) {
    cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | cont(1);
    return 2;
  }
  if (b0 < 0xF0) {
    cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
    return 3;
  }
  cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
  return 4;
}

char short_escape(char32_t cp) {
  switch (cp) {
    case U'"': return '"';
    case U'\\': return '\\';
    case U'/': return '/';
    case U'\b': return 'b';
    case U'\f': return 'f';
    case U'\n': return 'n';
    case U'\r': return 'r';
    case U'\t': return 't';
    default: return 0;
  }
}

// A string with escapes drawn per character: a character that must be
// escaped gets its short form or \u form; any other one is escaped with
// probability 1/4 once the string was drawn to be escaped at all.
void write_string_spelled(std::string_view text, std::string& out, source& s) {
  if (!s.one_in(2)) {
    json::append_string(out, text);
    return;
  }
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    const bool must = cp < 0x20 || cp == U'"' || cp == U'\\';
    if (!must && !s.one_in(4)) {
      out.append(text, i, len);
      i += len;
      continue;
    }
    i += len;
    const char e = short_escape(cp);
    if (e != 0 && s.choice(2) == 0) {
      out += '\\';
      out += e;
      continue;
    }
    const bool upper = s.one_in(2);
    if (cp >= 0x10000) {
      const char32_t v = cp - 0x10000;
      append_u_escape(out, 0xD800 + (v >> 10), upper);
      append_u_escape(out, 0xDC00 + (v & 0x3FF), upper);
    } else {
      append_u_escape(out, cp, upper);
    }
  }
  out += '"';
}

void space(std::string& out, source& s) {
  if (!s.one_in(3)) return;
  static constexpr char ws[] = {' ', '\t', '\n', '\r'};
  const std::uint64_t n = 1 + s.choice(4);
  for (std::uint64_t i = 0; i < n; ++i) out += ws[s.choice(4)];
}

void write_spelled(const value& v, std::string& out, source& s, const spelling& how) {
  const auto ws = [&] {
    if (how.whitespace) space(out, s);
  };
  const auto str = [&](std::string_view t) {
    if (how.escapes) {
      write_string_spelled(t, out, s);
    } else {
      json::append_string(out, t);
    }
  };
  switch (v.type) {
    case value::kind::raw: out += v.text; return;
    case value::kind::string: str(v.text); return;
    case value::kind::array:
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        ws();
        write_spelled(v.items[i], out, s, how);
        ws();
      }
      if (v.items.empty()) ws();
      out += ']';
      return;
    case value::kind::object: {
      // The writing order: the tree's, or a permutation of it (on the stack
      // for objects of the models' sizes).
      const std::size_t n = v.members.size();
      std::size_t small[16];
      std::vector<std::size_t> large;
      std::size_t* order = nullptr;
      if (how.reorder) {
        if (n <= std::size(small)) {
          order = small;
        } else {
          large.resize(n);
          order = large.data();
        }
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        // Fisher-Yates; draw 0 at every step keeps the order.
        for (std::size_t i = 0; i + 1 < n; ++i) {
          std::swap(order[i], order[i + static_cast<std::size_t>(s.choice(n - i))]);
        }
      }
      out += '{';
      for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ',';
        const member& m = v.members[order ? order[i] : i];
        ws();
        str(m.key);
        ws();
        out += ':';
        ws();
        write_spelled(m.v, out, s, how);
        ws();
      }
      if (n == 0) ws();
      out += '}';
      return;
    }
  }
}

void from_tape(const json::document& doc, std::uint32_t i, value& out) {
  const json::node& n = doc[i];
  switch (n.type) {
    case json::kind::null: out = raw("null"); return;
    case json::kind::boolean: out = raw(n.boolean ? "true" : "false"); return;
    case json::kind::number: out = raw(n.text); return;
    case json::kind::string: out = string_value(std::string(n.text)); return;
    case json::kind::array:
      out.type = value::kind::array;
      out.items.resize(n.count);
      for (std::uint32_t c = i + 1, k = 0; c < n.end; c = doc[c].end, ++k) {
        from_tape(doc, c, out.items[k]);
      }
      return;
    case json::kind::object:
      out.type = value::kind::object;
      out.members.resize(n.count);
      for (std::uint32_t c = i + 1, k = 0; c < n.end; c = doc[c].end, ++k) {
        out.members[k].key = doc[c].key;
        from_tape(doc, c, out.members[k].v);
      }
      return;
  }
}

}  // namespace

void write(const value& v, std::string& out, source& s, const spelling& how) {
  write_spelled(v, out, s, how);
}

bool read(std::string_view text, value& out) {
  json::reader reader;
  json::document doc;
  json::options opts;
  opts.max_depth = max_spell_depth;
  opts.max_size = SIZE_MAX;
  if (reader.read(text, opts, doc).code != json::error_code::ok) return false;
  out = value{};
  from_tape(doc, 0, out);
  return true;
}

}  // namespace spe::gen::detail

namespace spe::gen {

std::string spell(std::string_view json, source& s, const spelling& how) {
  try {
    detail::value v;
    if (!detail::read(json, v)) return std::string(json);
    std::string out;
    out.reserve(json.size() + json.size() / 4);
    detail::write(v, out, s, how);
    return out;
  } catch (const std::bad_alloc&) {
    return std::string(json);
  }
}

}  // namespace spe::gen
