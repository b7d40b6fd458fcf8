// `spe schema --format json-schema`: a revision's model as a JSON Schema
// (draft 2020-12), generated at run time from the loaded model -- the one
// source of truth -- for the JSON Schema tools people already have.
//
// Every model shape becomes a $defs entry named after it; members refer to
// them with $ref. What maps directly: string length bounds (JSON Schema
// counts code points, as AWS does), list counts, integer bounds (int32 and
// int64 widths made explicit as minimum/maximum), required members, and
// unknown members left open (AWS ignores them; --strict closes them). What
// needs care:
//   - patterns: JSON Schema's `pattern` searches, AWS's matches the whole
//     string, so each is anchored as ^(?:...)$; and the Java pattern is
//     re-rendered from spe's own syntax tree in the syntax ECMA-262 and
//     Python's re share, so `.` becomes the explicit class Java means
//     ([^\n\r\u0085\u2028\u2029], where ECMA-262's `.` also admits U+0085
//     and Python's admits all but \n). The model's text is kept beside it as
//     "x-aws-pattern".
//   - a null member counts as absent on AWS: optional members accept null
//     (anyOf null); required ones do not, so a null there fails (as a type
//     error rather than AWS's "must not be null").
// What JSON Schema cannot say is listed in the README (duplicate members,
// the first wrong type ending the judgement, 1.0 as an integer, ...).
#include "spe/gen.hpp"
#include "cli/schema_export.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "spe/json.hpp"

namespace spe::cli {

namespace {

using pattern::code_range;
using pattern::node;
using pattern::node_kind;

constexpr char32_t max_scalar = 0x10FFFF;

using gen::append_utf8;

void append_hex(std::string& out, std::uint32_t v, int digits) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (int i = digits - 1; i >= 0; --i) out += hex[(v >> (4 * i)) & 0xF];
}

// One code point in the syntax ECMA-262 (with or without the u flag) and
// Python's re both read the same way. Astral code points are written raw:
// neither \u{...} (ECMA, u flag) nor \U........ (Python) is common to both.
void append_char(std::string& out, char32_t cp, bool in_class) {
  switch (cp) {
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\v': out += "\\v"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    default: break;
  }
  if (cp < 0x20 || cp == 0x7F) {
    out += "\\x";
    append_hex(out, cp, 2);
  } else if (cp < 0x80) {
    const std::string_view special = in_class ? "\\]^-[" : "\\^$.|?*+()[]{}";
    if (special.find(static_cast<char>(cp)) != std::string_view::npos) out += '\\';
    out += static_cast<char>(cp);
  } else if (cp < 0x10000) {
    out += "\\u";
    append_hex(out, cp, 4);
  } else {
    append_utf8(out, cp);
  }
}

// The scalar values not in `ranges` (sorted, disjoint, without surrogates).
// Surrogates count as members: no string of scalar values holds one, and
// leaving them out keeps the complement of `.` to its five terminators.
std::vector<code_range> complement(const std::vector<code_range>& ranges) {
  std::vector<code_range> with = ranges;
  with.push_back({0xD800, 0xDFFF});
  std::sort(with.begin(), with.end(), [](const code_range& a, const code_range& b) { return a.lo < b.lo; });
  std::vector<code_range> out;
  char32_t next = 0;
  for (const code_range& r : with) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    next = std::max<char32_t>(next, r.hi + 1);
  }
  if (next <= max_scalar) out.push_back({next, max_scalar});
  return out;
}

void append_ranges(std::string& out, const std::vector<code_range>& ranges) {
  for (const code_range& r : ranges) {
    append_char(out, r.lo, true);
    if (r.hi == r.lo) continue;
    if (r.hi > r.lo + 1) out += '-';
    append_char(out, r.hi, true);
  }
}

// A class; written negated when that keeps astral code points out of it
// (`[^a]`, `.`), since a class with raw astral ranges needs ECMA's u flag.
void append_class(std::string& out, const std::vector<code_range>& ranges) {
  const std::vector<code_range> rest = complement(ranges);
  if (rest.empty()) {
    out += "[\\s\\S]";
    return;
  }
  const bool astral = !ranges.empty() && ranges.back().hi >= 0x10000;
  const bool rest_bmp = rest.back().hi < 0x10000;
  if (astral && rest_bmp) {
    out += "[^";
    append_ranges(out, rest);
  } else {
    out += '[';
    append_ranges(out, ranges);
  }
  out += ']';
}

void render(std::string& out, const node& n);

// An operand of a quantifier must be one atom.
void render_atom(std::string& out, const node& n) {
  const bool atom = n.kind == node_kind::char_class || n.kind == node_kind::any ||
                    n.kind == node_kind::group || (n.kind == node_kind::literal && n.ch < 0x10000);
  if (!atom) out += "(?:";
  render(out, n);
  if (!atom) out += ')';
}

void render(std::string& out, const node& n) {
  switch (n.kind) {
    case node_kind::empty: return;
    case node_kind::literal: append_char(out, n.ch, false); return;
    case node_kind::char_class:
    case node_kind::any: append_class(out, n.ranges); return;
    case node_kind::concat:
      for (const node& c : n.children) {
        if (c.kind == node_kind::alternate) {
          out += "(?:";
          render(out, c);
          out += ')';
        } else {
          render(out, c);
        }
      }
      return;
    case node_kind::alternate:
      for (std::size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += '|';
        render(out, n.children[i]);
      }
      return;
    case node_kind::repeat: {
      render_atom(out, n.children.front());
      const bool open = n.max == pattern::unbounded;
      if (n.min == 0 && open) {
        out += '*';
      } else if (n.min == 1 && open) {
        out += '+';
      } else if (n.min == 0 && n.max == 1) {
        out += '?';
      } else {
        out += '{' + std::to_string(n.min);
        if (open) {
          out += ',';
        } else if (n.max != n.min) {
          out += ',' + std::to_string(n.max);
        }
        out += '}';
      }
      return;
    }
    case node_kind::group:
      out += n.capturing ? "(" : "(?:";
      if (!n.children.empty()) render(out, n.children.front());
      out += ')';
      return;
    case node_kind::begin_text: out += '^'; return;
    case node_kind::end_text: out += '$'; return;
  }
}

// ---- a small JSON document, written indented ---------------------------------

struct jvalue {
  enum class type : std::uint8_t { object, array, string, integer, boolean };
  type t = type::object;
  std::string text;
  std::int64_t number = 0;
  bool flag = false;
  // Object members as two parallel vectors: a std::pair with the
  // incomplete jvalue inside is not allowed, a vector of it is.
  std::vector<std::string> keys;
  std::vector<jvalue> values;
  std::vector<jvalue> items;

  static jvalue str(std::string s) {
    jvalue v;
    v.t = type::string;
    v.text = std::move(s);
    return v;
  }
  static jvalue num(std::int64_t n) {
    jvalue v;
    v.t = type::integer;
    v.number = n;
    return v;
  }
  static jvalue boolean(bool b) {
    jvalue v;
    v.t = type::boolean;
    v.flag = b;
    return v;
  }
  static jvalue array() {
    jvalue v;
    v.t = type::array;
    return v;
  }
  jvalue& set(std::string key, jvalue v) {
    keys.push_back(std::move(key));
    values.push_back(std::move(v));
    return *this;
  }
  bool scalar() const { return t != type::object && t != type::array; }
};

void write(std::string& out, const jvalue& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  switch (v.t) {
    case jvalue::type::string: json_string(out, v.text); return;
    case jvalue::type::integer: out += std::to_string(v.number); return;
    case jvalue::type::boolean: out += v.flag ? "true" : "false"; return;
    case jvalue::type::array: {
      // Lists of scalars (required names, types) on one line.
      const bool flat = std::all_of(v.items.begin(), v.items.end(), [](const jvalue& i) { return i.scalar(); });
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        out += i ? "," : "";
        if (flat) {
          out += i ? " " : "";
        } else {
          out += '\n' + pad;
        }
        write(out, v.items[i], indent + 2);
      }
      if (!flat && !v.items.empty()) out += '\n' + std::string(static_cast<std::size_t>(indent), ' ');
      out += ']';
      return;
    }
    case jvalue::type::object:
      out += '{';
      for (std::size_t i = 0; i < v.keys.size(); ++i) {
        out += i ? ",\n" : "\n";
        out += pad;
        json_string(out, v.keys[i]);
        out += ": ";
        write(out, v.values[i], indent + 2);
      }
      if (!v.keys.empty()) out += '\n' + std::string(static_cast<std::size_t>(indent), ' ');
      out += '}';
      return;
  }
}

// Percent-encodes every byte outside RFC 3986's unreserved characters,
// sub-delims, ':', '@' and '/': what a URI fragment or a URN may hold raw.
std::string uri_escaped(std::string_view text) {
  static constexpr std::string_view raw = "-._~!$&'()*+,;=:@/";
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
        raw.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

// "#/$defs/<name>": a JSON Pointer (RFC 6901: '~' and '/' escaped) as a URI
// fragment (percent-encoded), so that any shape name resolves.
std::string def_ref(std::string_view name) {
  std::string token;
  json::append_pointer_token(token, name);
  return "#/$defs/" + uri_escaped(token);
}

jvalue ref(const model::shape& s) { return jvalue{}.set("$ref", jvalue::str(def_ref(s.name))); }

jvalue shape_schema(const model::shape& s, bool strict) {
  jvalue v;
  v.set("x-aws-type", jvalue::str(std::string(model::to_string(s.type))));
  switch (s.type) {
    case model::shape_type::structure: {
      v.set("type", jvalue::str("object"));
      jvalue props;
      jvalue required = jvalue::array();
      for (const model::member& m : s.members) {
        if (m.required) {
          props.set(m.name, ref(*m.target));
          required.items.push_back(jvalue::str(m.name));
        } else {
          // AWS reads a null member as an absent one.
          jvalue any = jvalue::array();
          any.items.push_back(jvalue{}.set("type", jvalue::str("null")));
          any.items.push_back(ref(*m.target));
          props.set(m.name, jvalue{}.set("anyOf", std::move(any)));
        }
      }
      v.set("properties", std::move(props));
      if (!required.items.empty()) v.set("required", std::move(required));
      if (strict) v.set("additionalProperties", jvalue::boolean(false));
      break;
    }
    case model::shape_type::list:
      v.set("type", jvalue::str("array"));
      v.set("items", ref(*s.element));
      if (s.has_min) v.set("minItems", jvalue::num(s.min));
      if (s.has_max) v.set("maxItems", jvalue::num(s.max));
      break;
    case model::shape_type::string:
      v.set("type", jvalue::str("string"));
      if (s.has_min) v.set("minLength", jvalue::num(s.min));
      if (s.has_max) v.set("maxLength", jvalue::num(s.max));
      if (s.regex) {
        v.set("pattern", jvalue::str(java_pattern_as_ecma(s.regex->tree)));
        v.set("x-aws-pattern", jvalue::str(s.pattern));
      }
      break;
    case model::shape_type::integer:
    case model::shape_type::long_integer: {
      // The wire width is part of the type: past it AWS fails to read the
      // number at all, so the bounds are never wider than int32/int64.
      const bool wide = s.type == model::shape_type::long_integer;
      const std::int64_t lo = wide ? std::numeric_limits<std::int64_t>::min()
                                   : std::numeric_limits<std::int32_t>::min();
      const std::int64_t hi = wide ? std::numeric_limits<std::int64_t>::max()
                                   : std::numeric_limits<std::int32_t>::max();
      v.set("type", jvalue::str("integer"));
      v.set("minimum", jvalue::num(s.has_min ? std::max(s.min, lo) : lo));
      v.set("maximum", jvalue::num(s.has_max ? std::min(s.max, hi) : hi));
      break;
    }
  }
  return v;
}

}  // namespace

std::string java_pattern_as_ecma(const pattern::syntax_tree& tree) {
  std::string out = "^(?:";
  render(out, tree.root());
  out += ")$";
  return out;
}

std::string json_schema(const model::service_model& m, const model::shape& root, bool strict) {
  jvalue doc;
  doc.set("$schema", jvalue::str("https://json-schema.org/draft/2020-12/schema"));
  doc.set("$id", jvalue::str("urn:spe:" + uri_escaped(m.revision()) + ":" + uri_escaped(m.operation()) +
                             ":" + uri_escaped(root.name) + (strict ? ":strict" : "")));
  doc.set("title", jvalue::str(std::string(m.operation()) + " " + root.name + " (revision " +
                               std::string(m.revision()) + ")"));
  doc.set("description",
          jvalue::str("Generated by `spe schema --format json-schema` from spe's model. Patterns "
                      "are full matches in Java's sense, rendered for ECMA-262 and Python; "
                      "x-aws-pattern is the model's text. Not expressible here: duplicate "
                      "members are rejected, the first wrong JSON type ends the judgement, "
                      "1.0 is not an integer, AWS's message lists at most 10 errors."));
  doc.set("$ref", jvalue::str(def_ref(root.name)));
  jvalue defs;
  // Every shape reachable from the root, once, in the model's stable order.
  std::vector<const model::shape*> todo = {&root};
  std::vector<const model::shape*> seen;
  while (!todo.empty()) {
    const model::shape* s = todo.back();
    todo.pop_back();
    if (std::find(seen.begin(), seen.end(), s) != seen.end()) continue;
    seen.push_back(s);
    if (s->element) todo.push_back(s->element);
    for (auto it = s->members.rbegin(); it != s->members.rend(); ++it) todo.push_back(it->target);
  }
  for (const model::shape* s : seen) defs.set(s->name, shape_schema(*s, strict));
  doc.set("$defs", std::move(defs));
  std::string out;
  write(out, doc, 0);
  out += '\n';
  return out;
}

}  // namespace spe::cli
