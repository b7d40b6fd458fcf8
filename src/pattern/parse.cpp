// parse: Java regex text -> syntax_tree, for the subset AWS models use.
//
// A recursive-descent parser over the UTF-8 pattern text, one function per
// level of the grammar (alternation, sequence, atom + quantifier, class,
// escape). Code points are the unit everywhere: literals, escapes and class
// endpoints are decoded to scalar values, classes are resolved to sorted,
// disjoint ranges of scalar values (negation applied, surrogates removed:
// no valid UTF-8 input can hold one), so the compiler never sees syntax.
//
// The subset and its Java semantics (Java without flags, as AWS runs it):
//  - literals; escaped punctuation (\- \. \/ \\ ... any non-alphanumeric is
//    itself); \t \n \r \f \a \e; \uXXXX (exactly 4 hex digits; a surrogate
//    pair \uD83D\uDE00 is one code point, as Java reads it; a lone surrogate
//    can never match UTF-8 and is rejected as unsupported); \xhh and
//    \x{h..h}; \0n, \0nn, \0mnn octal.
//  - \d \D \w \W \s \S are ASCII, as Java without UNICODE_CHARACTER_CLASS:
//    \d=[0-9], \w=[a-zA-Z_0-9], \s=[ \t\n\x0B\f\r]; the upper-case forms are
//    their complements over all scalar values.
//  - `.` is any scalar value except \n \r \u0085 \u2028 \u2029.
//  - classes [..] with ranges, escapes and negation; `-` is literal first,
//    last, or where it cannot close a range (Java: [a-c-e] holds '-'); a `]`
//    right after `[` or `[^` is literal, as in Java.
//  - groups ( ) and (?: ); alternation |; * + ? {m} {m,} {m,n} (greedy
//    only; greediness is irrelevant to a full match).
//  - ^ asserts the start of input and $ the end of input (no MULTILINE).
//    Java's $ also matches before a final line terminator, which only makes
//    a difference when something can still consume input after it; such a
//    `$` is rejected (unsupported), so a `$` that is accepted is exact.
// Everything else valid in Java is an `unsupported` error naming the
// construct and its byte offset: backreferences, lookaround, named and
// atomic groups, inline flags, lazy and possessive quantifiers, \p{..},
// class intersection and nesting, boundaries, \Q..\E, \cX, \N{..}, \h \v
// \R \X. Counts above max_repeat are repeat_too_large; groups nested deeper
// than max_nesting are too_complex (every later stage recurses per level).
//
// One deliberate difference from Java: a count with nothing before it
// ("{2}" at the start, "a{2}{3}") is bad_repeat; Java quietly repeats an
// empty string there.
#include <algorithm>
#include <cstdio>
#include <new>
#include <utility>

#include "spe/pattern.hpp"

namespace spe::pattern {
namespace {

constexpr char32_t max_scalar = 0x10FFFF;
constexpr char32_t surrogate_lo = 0xD800;
constexpr char32_t surrogate_hi = 0xDFFF;

using range_set = std::vector<code_range>;

// Sorts, merges overlapping and adjacent ranges, and drops surrogates.
void normalize(range_set& set) {
  std::sort(set.begin(), set.end(),
            [](const code_range& a, const code_range& b) { return a.lo < b.lo; });
  range_set out;
  for (const code_range& r : set) {
    if (!out.empty() && r.lo <= out.back().hi + 1) {
      out.back().hi = std::max(out.back().hi, r.hi);
    } else {
      out.push_back(r);
    }
  }
  range_set cut;
  for (const code_range& r : out) {
    if (r.hi < surrogate_lo || r.lo > surrogate_hi) {
      cut.push_back(r);
      continue;
    }
    if (r.lo < surrogate_lo) cut.push_back({r.lo, surrogate_lo - 1});
    if (r.hi > surrogate_hi) cut.push_back({surrogate_hi + 1, r.hi});
  }
  set = std::move(cut);
}

// Complement over all scalar values. Precondition: normalized.
range_set complement(const range_set& set) {
  range_set out;
  char32_t next = 0;
  for (const code_range& r : set) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    next = r.hi + 1;
  }
  if (next <= max_scalar) out.push_back({next, max_scalar});
  normalize(out);
  return out;
}

range_set digit_set() { return {{'0', '9'}}; }
range_set word_set() { return {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; }
range_set space_set() { return {{'\t', '\r'}, {' ', ' '}}; }  // \t \n \x0B \f \r and space

range_set any_set() {
  range_set s{{0, max_scalar}};
  for (char32_t t : java_line_terminators) {
    range_set cut;
    for (const code_range& r : s) {
      if (t < r.lo || t > r.hi) {
        cut.push_back(r);
        continue;
      }
      if (r.lo < t) cut.push_back({r.lo, t - 1});
      if (t < r.hi) cut.push_back({t + 1, r.hi});
    }
    s = std::move(cut);
  }
  normalize(s);
  return s;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::uint32_t hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<std::uint32_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::uint32_t>(c - 'a' + 10);
  return static_cast<std::uint32_t>(c - 'A' + 10);
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
// Returns the length of the sequence at s[i], 0 when it is invalid.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > max_scalar || (cp >= surrogate_lo && cp <= surrogate_hi)) return 0;
  return len;
}

// What one escape sequence stands for: a code point or a set of them.
struct escape_value {
  bool is_set = false;
  char32_t cp = 0;
  range_set set;
};

class parser {
 public:
  explicit parser(std::string_view text) : src_(text) {}

  bool run(node& root) {
    if (!parse_alternation(root, 0)) return false;
    if (pos_ < src_.size()) {  // only a ')' stops the top level early
      return fail(error_code::unbalanced_paren, pos_, "')' without '('");
    }
    return check_dollars(root, false) && check_carets(root);
  }

  const error& failure() const { return err_; }

 private:
  bool fail(error_code code, std::size_t offset, std::string construct) {
    err_.code = code;
    err_.offset = offset;
    err_.construct = std::move(construct);
    return false;
  }

  bool at_end() const { return pos_ >= src_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  bool has(std::size_t ahead) const { return pos_ + ahead < src_.size(); }

  // The source text from `from` to the current position, for messages.
  std::string text_from(std::size_t from) const {
    return std::string(src_.substr(from, pos_ - from));
  }

  // Reads one code point of pattern text as a literal.
  bool read_code_point(char32_t& cp) {
    const std::size_t len = decode_utf8(src_, pos_, cp);
    if (len == 0) return fail(error_code::invalid_utf8, pos_, "invalid UTF-8 byte");
    pos_ += len;
    return true;
  }

  // alternation := sequence ('|' sequence)*
  bool parse_alternation(node& out, std::size_t depth) {
    const std::size_t start = pos_;
    std::vector<node> branches;
    for (;;) {
      node branch;
      if (!parse_sequence(branch, depth)) return false;
      branches.push_back(std::move(branch));
      if (peek() != '|' || at_end()) break;
      ++pos_;
    }
    if (branches.size() == 1) {
      out = std::move(branches.front());
      return true;
    }
    out = node{};
    out.kind = node_kind::alternate;
    out.offset = start;
    out.children = std::move(branches);
    return true;
  }

  // sequence := (atom quantifier?)*, up to '|', ')' or the end.
  bool parse_sequence(node& out, std::size_t depth) {
    const std::size_t start = pos_;
    std::vector<node> items;
    while (!at_end() && peek() != '|' && peek() != ')') {
      node item;
      if (!parse_atom(item, depth)) return false;
      if (!parse_quantifier(item)) return false;
      items.push_back(std::move(item));
    }
    out = node{};
    out.offset = start;
    if (items.empty()) {
      out.kind = node_kind::empty;
    } else if (items.size() == 1) {
      out = std::move(items.front());
    } else {
      out.kind = node_kind::concat;
      out.children = std::move(items);
    }
    return true;
  }

  bool parse_atom(node& out, std::size_t depth) {
    out = node{};
    out.offset = pos_;
    switch (peek()) {
      case '(':
        return parse_group(out, depth);
      case '[':
        return parse_class(out);
      case '.':
        ++pos_;
        out.kind = node_kind::any;
        out.ranges = any_set();
        return true;
      case '^':
        ++pos_;
        out.kind = node_kind::begin_text;
        return true;
      case '$':
        ++pos_;
        out.kind = node_kind::end_text;
        return true;
      case '*':
      case '+':
      case '?':
      case '{':
        return fail(error_code::bad_repeat, pos_,
                    std::string("quantifier '") + peek() + "' with nothing to repeat");
      case '\\': {
        escape_value v;
        if (!parse_escape(v, false)) return false;
        set_atom(out, std::move(v));
        return true;
      }
      default: {
        char32_t cp = 0;
        if (!read_code_point(cp)) return false;
        out.kind = node_kind::literal;
        out.ch = cp;
        return true;
      }
    }
  }

  static void set_atom(node& out, escape_value v) {
    if (v.is_set) {
      out.kind = node_kind::char_class;
      out.ranges = std::move(v.set);
    } else {
      out.kind = node_kind::literal;
      out.ch = v.cp;
    }
  }

  // group := '(' ('?:')? alternation ')'; every other '(?' form is named.
  bool parse_group(node& out, std::size_t depth) {
    const std::size_t start = pos_;
    ++pos_;  // '('
    if (depth + 1 > max_nesting) {
      return fail(error_code::too_complex, start,
                  "groups nested deeper than " + std::to_string(max_nesting));
    }
    bool capturing = true;
    if (peek() == '?') {
      ++pos_;
      if (at_end()) return fail(error_code::unexpected_end, start, "group '(?' at end of pattern");
      const char c = peek();
      if (c == ':') {
        ++pos_;
        capturing = false;
      } else {
        return unsupported_group(start);
      }
    }
    node child;
    if (!parse_alternation(child, depth + 1)) return false;
    if (peek() != ')' || at_end()) return fail(error_code::unbalanced_paren, start, "'(' without ')'");
    ++pos_;
    out.kind = node_kind::group;
    out.capturing = capturing;
    out.children.push_back(std::move(child));
    return true;
  }

  // Names the '(?' construct at `start` (pos_ is just past "(?").
  bool unsupported_group(std::size_t start) {
    const char c = peek();
    const char d = peek(1);
    if (c == '=') return fail(error_code::unsupported, start, "lookahead (?=");
    if (c == '!') return fail(error_code::unsupported, start, "negative lookahead (?!");
    if (c == '>') return fail(error_code::unsupported, start, "atomic group (?>");
    if (c == '<' && d == '=') return fail(error_code::unsupported, start, "lookbehind (?<=");
    if (c == '<' && d == '!') return fail(error_code::unsupported, start, "negative lookbehind (?<!");
    if (c == '<') {
      const std::size_t close = src_.find('>', pos_);
      pos_ = close == std::string_view::npos ? src_.size() : close + 1;
      return fail(error_code::unsupported, start, "named group " + text_from(start));
    }
    // Java's inline flags: (?idmsuxU-idmsuxU) or (?flags:...).
    const std::string_view flags = "idmsuxU-";
    if (flags.find(c) != std::string_view::npos) {
      while (!at_end() && flags.find(peek()) != std::string_view::npos) ++pos_;
      if (!at_end() && (peek() == ')' || peek() == ':')) ++pos_;
      return fail(error_code::unsupported, start, "inline flags " + text_from(start));
    }
    ++pos_;
    return fail(error_code::unsupported, start, "unknown group construct " + text_from(start));
  }

  // quantifier := ('*' | '+' | '?' | '{' m (',' n?)? '}'), then no '?'
  // (lazy) or '+' (possessive), and no second quantifier.
  bool parse_quantifier(node& atom) {
    if (at_end()) return true;
    const std::size_t start = pos_;
    std::uint32_t min = 0;
    std::uint32_t max = 0;
    switch (peek()) {
      case '*':
        ++pos_;
        max = unbounded;
        break;
      case '+':
        ++pos_;
        min = 1;
        max = unbounded;
        break;
      case '?':
        ++pos_;
        max = 1;
        break;
      case '{':
        if (!parse_count(min, max)) return false;
        break;
      default:
        return true;
    }
    if (!at_end()) {
      const char c = peek();
      if (c == '?') {
        ++pos_;
        return fail(error_code::unsupported, start, "lazy quantifier " + text_from(start));
      }
      if (c == '+') {
        ++pos_;
        return fail(error_code::unsupported, start, "possessive quantifier " + text_from(start));
      }
      if (c == '*' || c == '{') {
        return fail(error_code::bad_repeat, pos_,
                    std::string("quantifier '") + c + "' after quantifier " + text_from(start));
      }
    }
    node rep;
    rep.kind = node_kind::repeat;
    rep.offset = atom.offset;
    rep.min = min;
    rep.max = max;
    rep.children.push_back(std::move(atom));
    atom = std::move(rep);
    return true;
  }

  bool parse_count(std::uint32_t& min, std::uint32_t& max) {
    const std::size_t start = pos_;
    ++pos_;  // '{'
    bool too_large = false;
    const auto number = [&](std::uint32_t& value) {
      if (at_end() || peek() < '0' || peek() > '9') return false;
      value = 0;
      while (!at_end() && peek() >= '0' && peek() <= '9') {
        if (value <= max_repeat) value = value * 10 + static_cast<std::uint32_t>(peek() - '0');
        if (value > max_repeat) too_large = true;
        ++pos_;
      }
      return true;
    };
    const auto malformed = [&]() {
      if (at_end()) return fail(error_code::unexpected_end, start, "unclosed count " + text_from(start));
      ++pos_;
      return fail(error_code::bad_repeat, start, "malformed count " + text_from(start));
    };
    if (!number(min)) return malformed();
    max = min;
    if (peek() == ',' && !at_end()) {
      ++pos_;
      max = unbounded;
      if (!at_end() && peek() != '}' && !number(max)) return malformed();
    }
    if (at_end() || peek() != '}') return malformed();
    ++pos_;
    if (too_large) {
      return fail(error_code::repeat_too_large, start,
                  "count " + text_from(start) + " above " + std::to_string(max_repeat));
    }
    if (max < min) return fail(error_code::bad_repeat, start, "count " + text_from(start) + " with max < min");
    return true;
  }

  // class := '[' '^'? item+ ']'; item := single | single '-' single | \d...
  bool parse_class(node& out) {
    const std::size_t start = pos_;
    ++pos_;  // '['
    bool negate = false;
    if (peek() == '^' && !at_end()) {
      ++pos_;
      negate = true;
    }
    range_set set;
    bool first = true;
    for (;;) {
      if (at_end()) return fail(error_code::unexpected_end, start, "unterminated class " + text_from(start));
      const char c = peek();
      if (c == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      if (c == '[') return fail(error_code::unsupported, pos_, "nested class [");
      if (c == '&' && peek(1) == '&' && has(1)) {
        return fail(error_code::unsupported, pos_, "class intersection &&");
      }
      const std::size_t item_start = pos_;
      escape_value lo;
      if (!parse_class_item(lo)) return false;
      if (lo.is_set) {
        set.insert(set.end(), lo.set.begin(), lo.set.end());
        continue;
      }
      // A '-' makes a range unless it is the last thing before ']'.
      if (peek() == '-' && has(1) && peek(1) != ']') {
        ++pos_;
        if (peek() == '[') return fail(error_code::unsupported, pos_, "nested class [");
        escape_value hi;
        if (!parse_class_item(hi)) return false;
        if (hi.is_set) {
          return fail(error_code::bad_class, item_start, "range ending in a class " + text_from(item_start));
        }
        if (hi.cp < lo.cp) return fail(error_code::bad_class, item_start, "reversed range " + text_from(item_start));
        set.push_back({lo.cp, hi.cp});
        continue;
      }
      set.push_back({lo.cp, lo.cp});
    }
    normalize(set);
    out.kind = node_kind::char_class;
    out.ranges = negate ? complement(set) : std::move(set);
    return true;
  }

  bool parse_class_item(escape_value& v) {
    if (peek() == '\\') return parse_escape(v, true);
    v.is_set = false;
    return read_code_point(v.cp);
  }

  // escape := '\' followed by one of Java's escape letters or a
  // non-alphanumeric code point (which stands for itself).
  bool parse_escape(escape_value& v, bool in_class) {
    const std::size_t start = pos_;
    v = escape_value{};
    ++pos_;  // '\'
    if (at_end()) return fail(error_code::unexpected_end, start, "'\\' at end of pattern");
    const char c = peek();
    if (static_cast<unsigned char>(c) >= 0x80) return read_code_point(v.cp);
    ++pos_;
    const auto literal = [&](char32_t cp) {
      v.cp = cp;
      return true;
    };
    const auto set = [&](range_set s, bool negated) {
      v.is_set = true;
      normalize(s);
      v.set = negated ? complement(s) : std::move(s);
      return true;
    };
    const auto unsupported = [&](const char* what) {
      return fail(error_code::unsupported, start, std::string(what) + " " + text_from(start));
    };
    switch (c) {
      case 't': return literal('\t');
      case 'n': return literal('\n');
      case 'r': return literal('\r');
      case 'f': return literal('\f');
      case 'a': return literal(0x07);
      case 'e': return literal(0x1B);
      case 'd': return set(digit_set(), false);
      case 'D': return set(digit_set(), true);
      case 'w': return set(word_set(), false);
      case 'W': return set(word_set(), true);
      case 's': return set(space_set(), false);
      case 'S': return set(space_set(), true);
      case '0': return parse_octal(v, start);
      case 'u': return parse_u(v, start);
      case 'x': return parse_x(v, start);
      case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
        return unsupported("backreference");
      case 'k':
        if (peek() == '<') {
          const std::size_t close = src_.find('>', pos_);
          pos_ = close == std::string_view::npos ? src_.size() : close + 1;
        }
        return unsupported("named backreference");
      case 'p':
      case 'P':
        if (peek() == '{') {
          const std::size_t close = src_.find('}', pos_);
          pos_ = close == std::string_view::npos ? src_.size() : close + 1;
        } else if (!at_end()) {
          ++pos_;
        }
        return unsupported(c == 'p' ? "Unicode property" : "negated Unicode property");
      case 'b': return unsupported(in_class ? "word boundary (inside a class)" : "word boundary");
      case 'B': return unsupported("non-word boundary");
      case 'A': return unsupported("start-of-input boundary");
      case 'z': return unsupported("end-of-input boundary");
      case 'Z': return unsupported("end-of-input boundary before a final terminator");
      case 'G': return unsupported("end-of-previous-match boundary");
      case 'Q': return unsupported("quotation");
      case 'E': return unsupported("end of quotation");
      case 'c':
        if (!at_end()) ++pos_;
        return unsupported("control character");
      case 'N':
        if (peek() == '{') {
          const std::size_t close = src_.find('}', pos_);
          pos_ = close == std::string_view::npos ? src_.size() : close + 1;
        }
        return unsupported("named character");
      case 'h': return unsupported("horizontal whitespace class");
      case 'H': return unsupported("non-horizontal-whitespace class");
      case 'v': return unsupported("vertical whitespace class");
      case 'V': return unsupported("non-vertical-whitespace class");
      case 'R': return unsupported("linebreak matcher");
      case 'X': return unsupported("grapheme cluster");
      default:
        break;
    }
    if (is_ascii_letter(c)) {
      return fail(error_code::bad_escape, start, "undefined escape " + text_from(start));
    }
    return literal(static_cast<unsigned char>(c));  // escaped punctuation, space, ...
  }

  // \0n, \0nn, \0mnn (m <= 3), as Java.
  bool parse_octal(escape_value& v, std::size_t start) {
    const auto octal = [&](std::size_t ahead) { return has(ahead) && peek(ahead) >= '0' && peek(ahead) <= '7'; };
    if (!octal(0)) return fail(error_code::bad_escape, start, "octal escape without digits " + text_from(start));
    std::uint32_t value = static_cast<std::uint32_t>(peek() - '0');
    ++pos_;
    if (octal(0)) {
      value = value * 8 + static_cast<std::uint32_t>(peek() - '0');
      ++pos_;
      if (octal(0) && value < 040) {  // first digit 0..3
        value = value * 8 + static_cast<std::uint32_t>(peek() - '0');
        ++pos_;
      }
    }
    v.cp = value;
    return true;
  }

  // Exactly 4 hex digits after "\u"; returns false without failing when not.
  bool read_u4(std::uint32_t& value) {
    for (std::size_t k = 0; k < 4; ++k) {
      if (!has(k) || !is_hex(peek(k))) return false;
    }
    value = 0;
    for (std::size_t k = 0; k < 4; ++k) value = value * 16 + hex_value(peek(k));
    pos_ += 4;
    return true;
  }

  bool parse_u(escape_value& v, std::size_t start) {
    std::uint32_t value = 0;
    if (!read_u4(value)) return fail(error_code::bad_escape, start, "\\u without 4 hex digits");
    if (value >= 0xD800 && value <= 0xDBFF && peek() == '\\' && peek(1) == 'u') {
      const std::size_t save = pos_;
      pos_ += 2;
      std::uint32_t low = 0;
      if (read_u4(low) && low >= 0xDC00 && low <= 0xDFFF) {
        v.cp = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
        return true;
      }
      pos_ = save;
    }
    if (value >= surrogate_lo && value <= surrogate_hi) {
      return fail(error_code::unsupported, start, "lone surrogate escape " + text_from(start));
    }
    v.cp = value;
    return true;
  }

  bool parse_x(escape_value& v, std::size_t start) {
    std::uint32_t value = 0;
    if (peek() == '{' && has(0)) {
      ++pos_;
      std::size_t digits = 0;
      while (has(0) && is_hex(peek())) {
        if (value <= max_scalar) value = value * 16 + hex_value(peek());
        ++pos_;
        ++digits;
      }
      if (at_end()) return fail(error_code::unexpected_end, start, "unclosed " + text_from(start));
      if (peek() != '}' || digits == 0) {
        if (peek() == '}') ++pos_;
        return fail(error_code::bad_escape, start, "malformed " + text_from(start));
      }
      ++pos_;
      if (value > max_scalar) return fail(error_code::bad_escape, start, "code point above U+10FFFF " + text_from(start));
    } else {
      if (!has(1) || !is_hex(peek()) || !is_hex(peek(1))) {
        return fail(error_code::bad_escape, start, "\\x without 2 hex digits");
      }
      value = hex_value(peek()) * 16 + hex_value(peek(1));
      pos_ += 2;
    }
    if (value >= surrogate_lo && value <= surrogate_hi) {
      return fail(error_code::unsupported, start, "lone surrogate escape " + text_from(start));
    }
    v.cp = value;
    return true;
  }

  // Whether `n` can consume input (a class is taken to, even when empty).
  static bool can_consume(const node& n) {
    switch (n.kind) {
      case node_kind::literal:
      case node_kind::char_class:
      case node_kind::any:
        return true;
      case node_kind::repeat:
        return n.max > 0 && can_consume(n.children.front());
      case node_kind::concat:
      case node_kind::alternate:
      case node_kind::group:
        return std::any_of(n.children.begin(), n.children.end(), can_consume);
      default:
        return false;
    }
  }

  // Rejects a `$` that something able to consume input may follow (where
  // Java's "before a final line terminator" reading would differ).
  bool check_dollars(const node& n, bool followed) {
    switch (n.kind) {
      case node_kind::end_text:
        if (followed) return fail(error_code::unsupported, n.offset, "'$' before more pattern");
        return true;
      case node_kind::concat: {
        // Right to left, so that "something after it consumes" is one pass.
        bool after = followed;
        for (std::size_t i = n.children.size(); i-- > 0;) {
          if (!check_dollars(n.children[i], after)) return false;
          after = after || can_consume(n.children[i]);
        }
        return true;
      }
      case node_kind::alternate:
      case node_kind::group:
        for (const node& c : n.children) {
          if (!check_dollars(c, followed)) return false;
        }
        return true;
      case node_kind::repeat: {
        const node& c = n.children.front();
        return check_dollars(c, followed || (n.max > 1 && can_consume(c)));
      }
      default:
        return true;
    }
  }

  // Whether `n` matches the empty string, and whether it can do so along
  // a path through a `^`.
  struct emptiness {
    bool empty;
    bool through_caret;
  };
  static emptiness empty_match(const node& n) {
    switch (n.kind) {
      case node_kind::empty:
      case node_kind::end_text: return {true, false};
      case node_kind::begin_text: return {true, true};
      case node_kind::repeat: {
        const emptiness c = empty_match(n.children.front());
        return {n.min == 0 || c.empty, n.max > 0 && c.through_caret};
      }
      case node_kind::concat: {
        emptiness all{true, false};
        for (const node& c : n.children) {
          const emptiness e = empty_match(c);
          all.empty = all.empty && e.empty;
          all.through_caret = all.through_caret || e.through_caret;
        }
        all.through_caret = all.through_caret && all.empty;
        return all;
      }
      case node_kind::alternate:
      case node_kind::group: {
        emptiness any{false, false};
        for (const node& c : n.children) {
          const emptiness e = empty_match(c);
          any.empty = any.empty || e.empty;
          any.through_caret = any.through_caret || e.through_caret;
        }
        return any;
      }
      default: return {false, false};
    }
  }

  // Rejects a group repeated at least twice whose body can match empty
  // only at the start (through a `^`) and can also consume: Java stops
  // repeating after an iteration that matched empty, even below the
  // minimum, so `(^|a){2}` does not match "a" in Java, where an automaton
  // counts the empty `^` as the first of two.
  bool check_carets(const node& n) {
    if (n.kind == node_kind::repeat && n.min >= 2) {
      const node& c = n.children.front();
      if (empty_match(c).through_caret && can_consume(c)) {
        return fail(error_code::unsupported, n.offset, "'^' in a group repeated at least twice that can match empty");
      }
    }
    for (const node& c : n.children) {
      if (!check_carets(c)) return false;
    }
    return true;
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  error err_;
};

void append_hex(std::string& out, char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(cp));
  out += buf;
}

void print(const node& n, std::string& out) {
  const auto children = [&]() {
    for (const node& c : n.children) {
      out += ' ';
      print(c, out);
    }
    out += ')';
  };
  switch (n.kind) {
    case node_kind::empty:
      out += "(empty)";
      return;
    case node_kind::literal:
      out += "(lit ";
      append_hex(out, n.ch);
      out += ')';
      return;
    case node_kind::char_class:
      out += "(class";
      for (const code_range& r : n.ranges) {
        out += ' ';
        append_hex(out, r.lo);
        if (r.hi != r.lo) {
          out += '-';
          append_hex(out, r.hi);
        }
      }
      out += ')';
      return;
    case node_kind::any:
      out += "(any)";
      return;
    case node_kind::concat:
      out += "(concat";
      children();
      return;
    case node_kind::alternate:
      out += "(alt";
      children();
      return;
    case node_kind::repeat:
      out += "(repeat " + std::to_string(n.min) + ' ' +
             (n.max == unbounded ? std::string("inf") : std::to_string(n.max));
      children();
      return;
    case node_kind::group:
      out += n.capturing ? "(group capture" : "(group";
      children();
      return;
    case node_kind::begin_text:
      out += "(begin)";
      return;
    case node_kind::end_text:
      out += "(end)";
      return;
  }
}

}  // namespace

std::string to_string(const error& e) {
  const char* what = "no error";
  switch (e.code) {
    case error_code::ok: what = "no error"; break;
    case error_code::unexpected_end: what = "unexpected end of pattern"; break;
    case error_code::unbalanced_paren: what = "unbalanced parenthesis"; break;
    case error_code::bad_escape: what = "bad escape"; break;
    case error_code::bad_class: what = "bad character class"; break;
    case error_code::bad_repeat: what = "bad repetition"; break;
    case error_code::repeat_too_large: what = "repetition count too large"; break;
    case error_code::too_complex: what = "pattern too complex"; break;
    case error_code::unsupported: what = "unsupported construct"; break;
    case error_code::invalid_utf8: what = "pattern is not valid UTF-8"; break;
  }
  std::string s = what;
  if (e.code == error_code::ok) return s;
  // A construct that quotes itself ("'(' without ')'") is put in
  // parentheses rather than quoted again.
  if (!e.construct.empty()) {
    s += e.construct.find('\'') == std::string::npos ? " '" + e.construct + "'" : " (" + e.construct + ")";
  }
  s += " at offset " + std::to_string(e.offset);
  return s;
}

std::string syntax_tree::to_string() const {
  std::string out;
  print(root_, out);
  return out;
}

result<syntax_tree, error> parse(std::string_view pattern) {
  try {
    parser p(pattern);
    syntax_tree tree;
    if (!p.run(tree.root_)) return unexpected<error>{p.failure()};
    tree.source_ = std::string(pattern);
    return tree;
  } catch (const std::bad_alloc&) {
    return unexpected<error>{error{error_code::too_complex, 0, "out of memory"}};
  }
}

}  // namespace spe::pattern
