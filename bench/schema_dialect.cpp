// Rewrites the JSON Schema that spe prints into the dialect one peer's
// engine reads, without changing what it means (peers.hpp: adapt_schema).
//
// spe prints draft 2020-12 with ECMA-262 patterns (^(?:...)$, \uXXXX
// escapes, `.` as [^\n\r\u0085\u2028\u2029]). Read as printed:
//  - RapidJSON 1.1.0 parses "$ref": "#/$defs/X" as a URI fragment in which
//    `$` must be percent-encoded; the ref fails to parse and the schema it
//    names silently becomes "anything". Its regex has no (?:...), no \u, no
//    \- in a class; a pattern it cannot compile is silently dropped.
//  - std::regex over char (valijson) works on bytes: \u2028 is narrowed to
//    the byte 0x28 '(' and \u0085 to 0x85, and a negated class matches one
//    byte of a multi-byte character.
// So for RapidJSON the refs are percent-encoded and each pattern respelled
// in its subset (plain groups, literal characters, '-' first in a class);
// for std::regex every class that holds a non-ASCII character or is negated
// becomes an alternation of UTF-8 byte sequences (the construction RE2 and
// Go's regexp/syntax use), and non-ASCII literals become their bytes.
// Each rewrite is listed in `notes`, and a pattern the rewrite does not
// understand is left as printed, with a note.
#include "spe/gen.hpp"
#include <rapidjson/document.h>
#include <rapidjson/internal/regex.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <regex>
#include <vector>

#include "peers.hpp"

namespace spe::bench {
namespace {

struct range {
  char32_t lo;
  char32_t hi;
};

using gen::append_utf8;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads one character of a pattern at p[i] (an escape or a UTF-8 sequence)
// into `cp`; advances i. `escaped` tells whether it was written as an
// escape. False for escapes that stand for a set (\d, \s, \w, ...).
bool read_char(std::string_view p, std::size_t& i, char32_t& cp, bool& escaped) {
  escaped = false;
  const auto b = static_cast<unsigned char>(p[i]);
  if (b == '\\') {
    if (i + 1 >= p.size()) return false;
    escaped = true;
    const char e = p[i + 1];
    auto hex = [&](std::size_t digits) {
      if (i + 2 + digits > p.size()) return false;
      char32_t v = 0;
      for (std::size_t k = 0; k < digits; ++k) {
        const int h = hex_digit(p[i + 2 + k]);
        if (h < 0) return false;
        v = v * 16 + static_cast<char32_t>(h);
      }
      cp = v;
      i += 2 + digits;
      return true;
    };
    switch (e) {
      case 'u': return hex(4);
      case 'x': return hex(2);
      case 'n': cp = '\n'; break;
      case 'r': cp = '\r'; break;
      case 't': cp = '\t'; break;
      case 'f': cp = '\f'; break;
      case 'v': cp = '\v'; break;
      default:
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) return false;
        cp = static_cast<unsigned char>(e);
    }
    i += 2;
    return true;
  }
  std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  cp = n == 1 ? b : n == 2 ? (b & 0x1Fu) : n == 3 ? (b & 0x0Fu) : (b & 0x07u);
  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= p.size()) return false;
    cp = (cp << 6) | (static_cast<unsigned char>(p[i + k]) & 0x3Fu);
  }
  i += n;
  return true;
}

// Parses the class starting at p[i] == '['; i ends after its ']'.
bool read_class(std::string_view p, std::size_t& i, std::vector<range>& set, bool& negated) {
  ++i;
  negated = i < p.size() && p[i] == '^';
  if (negated) ++i;
  bool first = true;
  while (i < p.size() && (p[i] != ']' || first)) {
    first = false;
    char32_t lo;
    bool escaped;
    if (!read_char(p, i, lo, escaped)) return false;
    char32_t hi = lo;
    if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
      ++i;
      if (!read_char(p, i, hi, escaped) || hi < lo) return false;
    }
    set.push_back({lo, hi});
  }
  if (i >= p.size()) return false;
  ++i;  // ']'
  return true;
}

// Sorted, merged; complemented over the scalar values when negated.
std::vector<range> normalise(std::vector<range> set, bool negated) {
  std::sort(set.begin(), set.end(), [](range a, range b) { return a.lo < b.lo; });
  std::vector<range> merged;
  for (range r : set) {
    if (!merged.empty() && r.lo <= merged.back().hi + 1) {
      merged.back().hi = std::max<char32_t>(merged.back().hi, r.hi);
    } else {
      merged.push_back(r);
    }
  }
  if (!negated) return merged;
  std::vector<range> out;
  char32_t next = 0;
  for (range r : merged) {
    if (r.lo > next) out.push_back({next, static_cast<char32_t>(r.lo - 1)});
    next = std::max<char32_t>(next, r.hi + 1);
  }
  if (next <= 0x10FFFF) out.push_back({next, 0x10FFFF});
  return out;
}

void byte_escape(std::string& out, unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", v);
  out += buf;
}

// One alternative per UTF-8 byte-sequence range of [lo, hi] (no surrogates).
void utf8_sequences(char32_t lo, char32_t hi, std::vector<std::string>& alts) {
  if (lo > hi) return;
  if (lo <= 0xDFFF && hi >= 0xD800) {  // the surrogates have no encoding
    if (lo < 0xD800) utf8_sequences(lo, 0xD7FF, alts);
    if (hi > 0xDFFF) utf8_sequences(0xE000, hi, alts);
    return;
  }
  for (char32_t edge : {char32_t{0x7F}, char32_t{0x7FF}, char32_t{0xFFFF}}) {
    if (lo <= edge && hi > edge) {
      utf8_sequences(lo, edge, alts);
      utf8_sequences(edge + 1, hi, alts);
      return;
    }
  }
  if (hi < 0x80) {
    std::string a = "[";
    byte_escape(a, lo);
    a += '-';
    byte_escape(a, hi);
    alts.push_back(a + "]");
    return;
  }
  const std::size_t n = hi < 0x800 ? 2 : hi < 0x10000 ? 3 : 4;
  for (std::size_t k = 1; k < n; ++k) {
    const char32_t m = (char32_t{1} << (6 * k)) - 1;
    if ((lo & ~m) != (hi & ~m)) {
      if ((lo & m) != 0) {
        utf8_sequences(lo, lo | m, alts);
        utf8_sequences((lo | m) + 1, hi, alts);
        return;
      }
      if ((hi & m) != m) {
        utf8_sequences(lo, (hi & ~m) - 1, alts);
        utf8_sequences(hi & ~m, hi, alts);
        return;
      }
    }
  }
  std::string a, b;
  append_utf8(a, lo);
  append_utf8(b, hi);
  std::string alt;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const auto x = static_cast<unsigned char>(a[k]);
    const auto y = static_cast<unsigned char>(b[k]);
    if (x == y) {
      byte_escape(alt, x);
    } else {
      alt += '[';
      byte_escape(alt, x);
      alt += '-';
      byte_escape(alt, y);
      alt += ']';
    }
  }
  alts.push_back(alt);
}

std::optional<std::string> for_std_regex(std::string_view p) {
  std::string out;
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '[') {
      const std::size_t start = i;
      std::vector<range> set;
      bool negated = false;
      if (!read_class(p, i, set, negated)) return std::nullopt;
      const bool ascii = std::all_of(set.begin(), set.end(), [](range r) { return r.hi < 0x80; });
      if (ascii && !negated) {
        out.append(p.substr(start, i - start));
        continue;
      }
      std::vector<std::string> alts;
      for (range r : normalise(set, negated)) utf8_sequences(r.lo, r.hi, alts);
      out += "(?:";
      for (std::size_t k = 0; k < alts.size(); ++k) {
        if (k) out += '|';
        out += alts[k];
      }
      out += ')';
      continue;
    }
    if (c == '.') {  // never printed by spe; Java's meaning if it were
      return std::nullopt;
    }
    const std::size_t start = i;
    char32_t cp;
    bool escaped;
    if (c == '\\' && i + 1 < p.size() && (p[i + 1] == 'd' || p[i + 1] == 'w' || p[i + 1] == 's' ||
                                          p[i + 1] == 'D' || p[i + 1] == 'W' || p[i + 1] == 'S' ||
                                          p[i + 1] == 'b' || p[i + 1] == 'B')) {
      out.append(p.substr(i, 2));  // ASCII meanings in both
      i += 2;
      continue;
    }
    if (!read_char(p, i, cp, escaped)) return std::nullopt;
    if (cp < 0x80) {
      out.append(p.substr(start, i - start));
      continue;
    }
    std::string bytes;
    append_utf8(bytes, cp);
    out += "(?:";
    for (const char b : bytes) byte_escape(out, static_cast<unsigned char>(b));
    out += ')';
  }
  return out;
}

std::optional<std::string> for_rapidjson(std::string_view p) {
  static constexpr std::string_view meta = "^$|()?*+.[]{}\\";
  std::string out;
  for (std::size_t i = 0; i < p.size();) {
    if (p.substr(i, 3) == "(?:") {
      out += '(';
      i += 3;
      continue;
    }
    if (p[i] == '[') {
      std::vector<range> set;
      bool negated = false;
      if (!read_class(p, i, set, negated)) return std::nullopt;
      // RapidJSON has no \- escape: a '-' goes first, where it is literal.
      // The rest as literal characters, escaped where its class syntax
      // needs it; a NUL cannot be written (it ends a RapidJSON pattern).
      bool dash = false;
      std::vector<range> rest;
      for (range r : normalise(set, false)) {
        if (r.lo <= '-' && '-' <= r.hi) {
          dash = true;
          if (r.lo < '-') rest.push_back({r.lo, U'-' - 1});
          if (r.hi > '-') rest.push_back({U'-' + 1, r.hi});
        } else {
          rest.push_back(r);
        }
      }
      auto put = [&out](char32_t cp) {
        if (cp == ']' || cp == '\\' || cp == '[' || cp == '^') out += '\\';
        append_utf8(out, cp);
      };
      out += '[';
      if (negated) out += '^';
      if (dash) out += '-';
      for (range r : rest) {
        if (r.lo == 0) return std::nullopt;
        put(r.lo);
        if (r.hi == r.lo) continue;
        out += '-';
        put(r.hi);
      }
      out += ']';
      continue;
    }
    if (p[i] == '\\') {
      char32_t cp;
      bool escaped;
      const std::size_t start = i;
      if (!read_char(p, i, cp, escaped) || cp == 0) return std::nullopt;
      if (cp < 0x80 && meta.find(static_cast<char>(cp)) != std::string_view::npos) {
        out += '\\';
        out += static_cast<char>(cp);
      } else if (cp == '\n' || cp == '\r' || cp == '\t' || cp == '\f' || cp == '\v') {
        out.append(p.substr(start, i - start));
      } else {
        append_utf8(out, cp);
      }
      continue;
    }
    out += p[i++];
  }
  return out;
}

std::string percent_encode_ref(std::string_view ref) {
  std::string out;
  for (const char c : ref) {
    const bool plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '#';
    if (plain) {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out;
}

bool rapidjson_compiles(const std::string& p) {
  rapidjson::internal::GenericRegex<rapidjson::UTF8<>> re(p.c_str());
  return re.IsValid();
}

bool std_regex_compiles(const std::string& p) {
  try {
    std::regex re(p);
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

void walk(rapidjson::Value& v, rapidjson::Document::AllocatorType& a, dialect d,
          std::vector<std::string>& notes, bool& refs_noted) {
  if (v.IsArray()) {
    for (auto& item : v.GetArray()) walk(item, a, d, notes, refs_noted);
    return;
  }
  if (!v.IsObject()) return;
  // By index: RapidJSON 1.1.0's iterator operator!= is ambiguous in C++20.
  for (rapidjson::SizeType k = 0; k < v.MemberCount(); ++k) {
    const auto m = v.MemberBegin() + static_cast<std::ptrdiff_t>(k);
    const std::string_view key(m->name.GetString(), m->name.GetStringLength());
    if (m->value.IsString()) {
      const std::string text(m->value.GetString(), m->value.GetStringLength());
      if (key == "$ref" && d == dialect::rapidjson) {
        const std::string encoded = percent_encode_ref(text);
        if (encoded != text) {
          if (!refs_noted) notes.push_back("$ref " + text + " -> " + encoded + " (and every such ref)");
          refs_noted = true;
          m->value.SetString(encoded.c_str(), static_cast<rapidjson::SizeType>(encoded.size()), a);
        }
      } else if (key == "pattern") {
        const bool before = d == dialect::rapidjson ? rapidjson_compiles(text) : std_regex_compiles(text);
        const auto adapted = d == dialect::rapidjson ? for_rapidjson(text) : for_std_regex(text);
        if (!adapted) {
          notes.push_back("pattern " + text + ": not understood, left as printed" +
                          (before ? "" : " (and the engine refuses it: skipped)"));
          continue;
        }
        if (*adapted == text) continue;
        const bool after =
            d == dialect::rapidjson ? rapidjson_compiles(*adapted) : std_regex_compiles(*adapted);
        notes.push_back("pattern " + text + (before ? "" : " (refused as printed)") + " -> " +
                        (adapted->size() > 120 ? adapted->substr(0, 117) + "..." : *adapted) +
                        (after ? "" : " (STILL REFUSED)"));
        m->value.SetString(adapted->c_str(), static_cast<rapidjson::SizeType>(adapted->size()), a);
      }
    } else {
      walk(m->value, a, d, notes, refs_noted);
    }
  }
}

}  // namespace

std::optional<std::string> adapt_schema(const std::string& json, dialect d, std::vector<std::string>& notes,
                                        std::string& why) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  if (doc.HasParseError()) {
    why = "the JSON Schema is not JSON";
    return std::nullopt;
  }
  bool refs_noted = false;
  walk(doc, doc.GetAllocator(), d, notes, refs_noted);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  doc.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace spe::bench
