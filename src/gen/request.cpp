// request: bodies generated from a model shape -- valid ones, ones with a
// single fault, ones sitting exactly on a bound, and shaped noise -- each
// labelled with what SPEC.md section 2 says a validator must answer.
//
// A body is built as a value tree (tree.hpp) by walking model::shape:
// structures member by member in model order (optional members present or
// absent by a draw), lists at counts biased to their bounds, strings from
// the member's pattern (pattern.cpp) or free text (text.cpp, or the
// spelling's free_text drawer) at lengths biased to their bounds, numbers
// biased to theirs. A fault is put at a `site`: a route of member indices
// and list elements from the root. The walk follows the route -- forcing
// the members on it present and the lists on it non-empty, at an element
// index it draws -- and at the end of the route puts the fault and records
// the expected (pointer, constraint, bound) and message phrase from the
// model alone. Everything off the route stays valid, so the only errors are
// the ones predicted.
//
// A string made to break a length bound is drawn to match its pattern when
// some match has that length (so one constraint breaks); when none has (257
// characters against ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}) the pattern error
// is predicted as well, decided by the automaton the validator compiles.
// (Whether that automaton is right is property 1's job, against PCRE2.)
//
// Message phrases are AWS's texts where SPEC.md gives them ("Value null at
// 'pipelineName' failed to satisfy constraint: Member must not be null",
// "Start of list found where not expected", "class java.lang.Boolean can
// not be converted to an String"); where the spec is silent (a scalar where
// a structure is modelled, a fraction for an integer, a duplicate member) the
// phrase is the smallest part of spe's own wording that names the problem.
//
// String content is bounded by a budget (default_text_budget code points) so that
// a body with 200 list elements of 1024-character values stays cheap to
// generate and to judge: once it is spent, strings take their shortest
// valid length. Bounds are still reached: the budget is spent in model
// order and every length and count bound is drawn with high probability
// while it lasts.
#include <algorithm>
#include <charconv>
#include <new>

#include <simdjson.h>

#include "gen/tree.hpp"

namespace spe::gen {

namespace {

using detail::member;
using detail::value;
using model::shape;
using model::shape_type;

constexpr std::size_t free_length = 64;    // strings without a max: up to min + this
constexpr std::size_t free_count = 4;      // lists without a max: up to min + this
constexpr std::size_t max_route = 12;      // recursive models: how deep sites go
// Recursive models (a structure that holds itself, through an optional
// member or a list): past lean_depth path steps, or once a body holds
// max_valid_values values, a valid value is built lean -- optional members
// left out, lists at their minimum count -- so that the recursion ends and
// the body stays small (a recursion through required members and minimum
// counts has no valid value at all: shape::finite, never drawn). The
// built-in models never go lean (4 steps and about 700 values at most), so
// their draws are what they were.
constexpr unsigned lean_depth = 16;
constexpr std::size_t max_valid_values = 4096;

constexpr std::string_view validation_exception = "ValidationException";
constexpr std::string_view serialization_exception = "SerializationException";

void append_decimal(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// A `why` is one line (SPEC.md section 5), but the member names in it are
// drawn and may hold a line terminator or a control character: those code
// points are written as \uXXXX, the rest as they are.
std::string one_line(std::string_view w) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(w.size());
  for (std::size_t i = 0; i < w.size();) {
    const auto c = static_cast<unsigned char>(w[i]);
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > w.size()) len = 1;
    char32_t cp = len == 1 ? c : c & (0x7Fu >> len);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(w[i + k]) & 0x3Fu);
    const bool breaks = cp < 0x20 || cp == 0x7F ||
                        std::find(detail::line_terminators.begin(), detail::line_terminators.end(), cp) !=
                            detail::line_terminators.end();
    if (breaks) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 0xF];
    } else {
      out.append(w, i, len);
    }
    i += len;
  }
  return out;
}

std::string decimal(std::int64_t v) {
  std::string out;
  append_decimal(out, v);
  return out;
}

std::int64_t type_min(const shape& s) {
  return s.type == shape_type::integer ? INT32_MIN : INT64_MIN;
}
std::int64_t type_max(const shape& s) {
  return s.type == shape_type::integer ? INT32_MAX : INT64_MAX;
}

std::size_t min_length(const shape& s) {
  return s.has_min && s.min > 0 ? static_cast<std::size_t>(s.min) : 0;
}
std::size_t max_length(const shape& s) {
  return s.has_max ? static_cast<std::size_t>(std::max<std::int64_t>(s.max, 0))
                   : min_length(s) + free_length;
}

// A draw biased to the ends of [lo, hi] (draw 0: lo), as pick_range in
// pattern.cpp but over signed 64-bit values.
std::int64_t pick_int(std::int64_t lo, std::int64_t hi, source& s) {
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  switch (s.choice(7)) {
    case 0: return lo;
    case 1: return hi > lo ? lo + 1 : lo;
    case 2: return hi > lo ? hi - 1 : hi;
    case 3: return hi;
    case 4: return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) +
                                             s.choice(std::min<std::uint64_t>(span, 99) + 1));
    default: {
      const std::uint64_t off = span == UINT64_MAX ? s.choice(UINT64_MAX) : s.choice(span + 1);
      return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + off);
    }
  }
}

// The byte offset of code point k of UTF-8 `t` (t.size() when k is past
// its end).
std::size_t byte_offset(std::string_view t, std::size_t k) noexcept {
  std::size_t at = 0;
  for (; at < t.size(); ++at) {
    if ((static_cast<unsigned char>(t[at]) & 0xC0) == 0x80) continue;
    if (k == 0) return at;
    --k;
  }
  return at;
}

std::size_t pick_size(std::size_t lo, std::size_t hi, source& s) {
  if (hi <= lo) return lo;
  switch (s.choice(6)) {
    case 0: return lo;
    case 1: return lo + 1;
    case 2: return hi - 1;
    case 3: return hi;
    default: return lo + static_cast<std::size_t>(s.choice(hi - lo + 1));
  }
}

// A wrong-typed JSON value where `expected` is modelled, and the phrase of
// the SerializationException it causes. Draw 0 is the first of each list.
struct wrong {
  value v;
  std::string phrase;
};

wrong wrong_value(const shape& expected, bool list_element, source& s) {
  enum class alt { number, boolean, string, object, array, fraction, out_of_range, null };
  alt options[8];
  std::size_t n = 0;
  switch (expected.type) {
    case shape_type::string:
      for (alt a : {alt::number, alt::boolean, alt::object, alt::array}) options[n++] = a;
      break;
    case shape_type::structure:
      for (alt a : {alt::string, alt::number, alt::boolean, alt::array}) options[n++] = a;
      break;
    case shape_type::list:
      for (alt a : {alt::string, alt::number, alt::boolean, alt::object}) options[n++] = a;
      break;
    case shape_type::integer:
    case shape_type::long_integer:
      for (alt a : {alt::string, alt::boolean, alt::fraction, alt::out_of_range, alt::object,
                    alt::array}) {
        options[n++] = a;
      }
      break;
  }
  if (list_element) options[n++] = alt::null;
  const alt a = options[s.choice(n)];
  const bool number_expected =
      expected.type == shape_type::integer || expected.type == shape_type::long_integer;
  const std::string_view target = expected.type == shape_type::integer ? "Integer" : "Long";
  const std::string_view container = expected.type == shape_type::structure
                                         ? "Expected start of structure"
                                         : "Expected start of list";
  wrong w;
  switch (a) {
    case alt::number: {
      static constexpr std::string_view tokens[] = {"1", "0", "-7", "2.5", "1e3", "123456"};
      w.v = detail::raw(tokens[s.choice(std::size(tokens))]);
      w.phrase = expected.type == shape_type::string
                     ? "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be "
                       "converted to an String"
                     : container;
      break;
    }
    case alt::boolean:
      w.v = detail::raw(s.one_in(2) ? "false" : "true");
      if (expected.type == shape_type::string) {
        w.phrase = "class java.lang.Boolean can not be converted to an String";
      } else if (number_expected) {
        w.phrase = "class java.lang.Boolean can not be converted to an ";
        w.phrase += target;
      } else {
        w.phrase = container;
      }
      break;
    case alt::string:
      w.v = detail::string_value(s.choice(2) == 0 ? std::string("1") : text(s, s.choice(6)));
      if (number_expected) {
        w.phrase = "class java.lang.String can not be converted to an ";
        w.phrase += target;
      } else {
        w.phrase = container;
      }
      break;
    case alt::object:
      w.v.type = value::kind::object;
      if (s.one_in(2)) w.v.members.push_back({"a", detail::raw("1")});
      w.phrase = "Start of structure or map found where not expected";
      break;
    case alt::array:
      w.v.type = value::kind::array;
      if (s.one_in(2)) w.v.items.push_back(detail::raw("1"));
      w.phrase = "Start of list found where not expected";
      break;
    case alt::fraction: {
      static constexpr std::string_view tokens[] = {"1.5", "1e3", "2.0", "-0.5", "1E+2"};
      w.v = detail::raw(tokens[s.choice(std::size(tokens))]);
      w.phrase = "can not be converted to an ";
      w.phrase += target;
      break;
    }
    case alt::out_of_range: {
      const bool int32 = expected.type == shape_type::integer;
      const bool high = s.choice(2) == 0;
      w.v = detail::raw(int32 ? (high ? "2147483648" : "-2147483649")
                              : (high ? "9223372036854775808" : "-9223372036854775809"));
      w.phrase = "can not be converted to an ";
      w.phrase += target;
      break;
    }
    case alt::null:
      w.v = detail::raw("null");
      w.phrase = "Null value found in list where not expected";
      break;
  }
  return w;
}

// An object key that no member of `s` has (nor "__type" at an error
// body's root): a lower-camel member name (a case-insensitive lookup's
// trap), a member name with a suffix, or free text (with '/' and '~', which
// JSON pointers escape).
std::string unknown_key(const shape& s, source& src) {
  std::string key;
  switch (src.choice(4)) {
    case 0: key = "Unknown"; break;
    case 1:
      key = s.members.empty() ? std::string("unknown")
                              : model::lower_camel(s.members[src.choice(s.members.size())].name);
      break;
    case 2:
      key = s.members.empty() ? std::string("X") : s.members[src.choice(s.members.size())].name;
      key += text(src, 1 + src.choice(3));
      break;
    default: key = text(src, 1 + src.choice(8)); break;
  }
  const auto taken = [&](const std::string& k) {
    if (k == "__type") return true;
    return std::any_of(s.members.begin(), s.members.end(),
                       [&](const model::member& m) { return m.name == k; });
  };
  while (taken(key)) key += '_';
  return key;
}

struct maker {
  maker(source& src, const site* at_site, bool bound_only, body* into, std::size_t text_budget,
        const spelling& how)
      : s(src), where(at_site), on_bound(bound_only), out(into), budget(text_budget),
        plain(!how.whitespace && !how.escapes && !how.reorder), draw(how.free_text) {}

  source& s;
  const site* where;  // null: a valid body
  bool on_bound;      // just_inside rather than a fault
  body* out;
  std::size_t budget;
  bool plain;         // the body is written without a draw (spelling{})
  text_drawer draw;   // free text: spelling::free_text, or null for gen::text
  bool failed = false;
  unsigned depth = 0;                      // values open (path steps of the one built, + 1)
  std::size_t values = max_valid_values;   // valid values left before going lean

  std::string pointer;  // of the value being built
  std::string path;     // AWS's path of the same value

  struct mark {
    std::size_t pointer;
    std::size_t path;
  };
  mark push_member(std::string_view name, std::string_view path_name) {
    const mark m{pointer.size(), path.size()};
    pointer += '/';
    json::append_pointer_token(pointer, name);
    if (!path.empty()) path += '.';
    path += path_name;
    return m;
  }
  mark push_index(std::size_t i) {
    const mark m{pointer.size(), path.size()};
    pointer += '/';
    append_decimal(pointer, static_cast<std::int64_t>(i));
    path += '.';
    append_decimal(path, static_cast<std::int64_t>(i + 1));
    path += ".member";
    return m;
  }
  void pop(mark m) {
    pointer.resize(m.pointer);
    path.resize(m.path);
  }

  void expect(constraint kind, std::string bound) {
    out->errors.push_back({pointer, kind, std::move(bound)});
  }

  // ---- free text ----

  // n code points of free text: the spelling's drawer's, else gen::text.
  // A drawer's text that is not n code points of UTF-8 fails the body (its
  // lengths and errors would be mispredicted).
  std::string free_text(std::size_t n) {
    if (!draw) return text(s, n);
    std::string t = draw(s, n);
    if (!simdjson::validate_utf8(t.data(), t.size()) || code_points(t) != n) failed = true;
    return t;
  }

  // With a drawer, its text of n code points for a patterned string, when
  // the pattern matches it (a `.*` description gets free text like an
  // unpatterned string; a name seldom does). nullopt otherwise, and
  // without a draw when there is no drawer.
  std::optional<std::string> drawn_match(const shape& sh, std::size_t n) {
    if (!draw) return std::nullopt;
    std::string t = free_text(n);
    if (failed || !sh.regex->matcher.full_match(t)) return std::nullopt;
    return t;
  }

  // A match of exactly n code points: the drawer's text when the pattern
  // takes it, else one from the pattern's automaton (nullopt: none has n).
  std::optional<std::string> exact_match(const shape& sh, std::size_t n) {
    if (auto t = drawn_match(sh, n)) return t;
    return matching_exact(*sh.regex, s, n);
  }

  // ---- valid values ----
  // (Nothing valid is ever reported, so these do not track pointer and path.)

  std::optional<std::string> valid_string(const shape& sh) {
    const std::size_t lo = min_length(sh);
    std::size_t hi = max_length(sh);
    if (hi < lo) return std::nullopt;
    hi = std::max(lo, std::min(hi, lo + budget));
    std::optional<std::string> v;
    if (sh.regex) {
      if (draw) v = drawn_match(sh, pick_size(lo, hi, s));
      if (!v) {
        v = matching(*sh.regex, s, lo, hi);
        // The budget may have cut off every length the pattern has.
        if (!v && hi < max_length(sh)) v = matching(*sh.regex, s, lo, max_length(sh));
      }
    } else {
      v = free_text(pick_size(lo, hi, s));
    }
    if (v) {
      const std::size_t n = code_points(*v);
      budget = n < budget ? budget - n : 0;
    }
    return v;
  }

  value valid_value(const shape& sh) {
    value v;
    valid_into(sh, v);
    return v;
  }

  // Builds a valid value of `sh` into `v` (a fresh value), in place: a body
  // is mostly list elements, and moving each up the tree costs more than
  // making it.
  void valid_into(const shape& sh, value& v) {
    const level open(*this);
    if (!enter()) return;
    switch (sh.type) {
      case shape_type::structure: {
        v.type = value::kind::object;
        v.members.reserve(sh.members.size());
        for (const model::member& m : sh.members) {
          if (!present(m)) continue;
          member& slot = v.members.emplace_back();
          slot.key = m.name;
          child_into(*m.target, slot.v);
        }
        return;
      }
      case shape_type::list: {
        v.type = value::kind::array;
        v.items.resize(list_size(sh));
        for (value& item : v.items) child_into(*sh.element, item);
        return;
      }
      case shape_type::string: {
        v.type = value::kind::string;
        auto text_v = valid_string(sh);
        if (!text_v) {
          failed = true;
          return;
        }
        v.text = std::move(*text_v);
        return;
      }
      case shape_type::integer:
      case shape_type::long_integer:
        if (const auto k = valid_int(sh)) {
          append_decimal(v.text, *k);
        } else {
          v.text = "0";
        }
        return;
    }
    v.text = "null";
  }

  // The draws of a valid value, whichever way it is built (valid_into,
  // write_valid, the members off a fault's route): whether an optional
  // member is there, and how many elements a list holds.
  // Lean (see lean_depth), they take no draw: absent, and the minimum count.
  // An optional member that no valid value fills (shape::finite) is never
  // there.
  bool present(const model::member& m) {
    return m.required || (m.target->finite && !lean() && s.choice(2) != 0);
  }
  std::size_t list_size(const shape& sh) {
    return lean() ? min_length(sh) : pick_size(min_length(sh), list_max(sh), s);
  }
  // The members or elements of the value being built would sit more than
  // lean_depth path steps down, or the body's values are spent.
  bool lean() const { return depth > lean_depth || values == 0; }
  // One value open while it is built (valid_into, write_valid, at): its
  // members and elements are one step further down.
  struct level {
    maker& m;
    explicit level(maker& mk) : m(mk) { ++m.depth; }
    ~level() { --m.depth; }
    level(const level&) = delete;
    level& operator=(const level&) = delete;
  };
  // Counts a valid value about to be built; false (and `failed`) when it
  // sits json::default_max_depth path steps down, where no body is valid
  // under the default options: only a model nesting distinct shapes that
  // deep gets there (a finite shape's required members never lead back to
  // it, and lean values hold nothing else).
  bool enter() {
    if (values) --values;
    if (depth <= json::default_max_depth) return true;
    failed = true;
    return false;
  }

  // A valid integer of `sh`: a draw between its bounds, within its type; nullopt
  // (and `failed`) when they leave none.
  std::optional<std::int64_t> valid_int(const shape& sh) {
    const std::int64_t lo = sh.has_min ? std::max(sh.min, type_min(sh)) : type_min(sh);
    const std::int64_t hi = sh.has_max ? std::min(sh.max, type_max(sh)) : type_max(sh);
    if (lo > hi) {
      failed = true;
      return std::nullopt;
    }
    return pick_int(lo, hi, s);
  }

  // A valid value inside one being built: when the body is spelled plainly,
  // a structure or list is written straight to its JSON text (a raw node):
  // the writer would take no draw for it and write exactly these bytes, so
  // the body is the same, without a tree node per list element.
  void child_into(const shape& sh, value& v) {
    if (plain && (sh.type == shape_type::structure || sh.type == shape_type::list)) {
      v.type = value::kind::raw;
      write_valid(sh, v.text);
      return;
    }
    valid_into(sh, v);
  }

  // valid_into's value, with the same draws, as compact JSON (write() of
  // the tree with spelling{}: model order, minimal escaping).
  void write_valid(const shape& sh, std::string& json) {
    const level open(*this);
    if (!enter()) return;
    switch (sh.type) {
      case shape_type::structure: {
        json += '{';
        bool first = true;
        for (const model::member& m : sh.members) {
          if (!present(m)) continue;
          if (!first) json += ',';
          first = false;
          spe::json::append_string(json, m.name);
          json += ':';
          write_valid(*m.target, json);
        }
        json += '}';
        return;
      }
      case shape_type::list: {
        const std::size_t n = list_size(sh);
        json += '[';
        for (std::size_t i = 0; i < n; ++i) {
          if (i) json += ',';
          write_valid(*sh.element, json);
        }
        json += ']';
        return;
      }
      case shape_type::string: {
        auto text_v = valid_string(sh);
        if (!text_v) {
          failed = true;
          return;
        }
        spe::json::append_string(json, *text_v);
        return;
      }
      case shape_type::integer:
      case shape_type::long_integer: {
        if (const auto k = valid_int(sh)) append_decimal(json, *k);
        return;
      }
    }
    json += "null";
  }

  static std::size_t list_max(const shape& sh) {
    return sh.has_max ? static_cast<std::size_t>(std::max<std::int64_t>(sh.max, 0))
                      : min_length(sh) + free_count;
  }

  // ---- the route to a site ----

  value at(const shape& sh, std::size_t d, bool element) {
    const level open(*this);
    const std::vector<site::step>& route = where->route;
    if (d == route.size()) return site_value(sh, element);
    const site::step st = route[d];
    if (sh.type == shape_type::structure) {
      value obj;
      obj.type = value::kind::object;
      obj.members.reserve(sh.members.size() + 1);
      for (std::size_t k = 0; k < sh.members.size(); ++k) {
        const model::member& m = sh.members[k];
        const bool on_route = st.member == static_cast<std::int32_t>(k);
        if (!on_route) {
          if (!present(m)) continue;
          member& slot = obj.members.emplace_back();
          slot.key = m.name;
          child_into(*m.target, slot.v);
          continue;
        }
        const mark mk = push_member(m.name, m.path_name);
        if (d + 1 == route.size() && member_fault(obj, m)) {
          pop(mk);
          continue;
        }
        obj.members.push_back({m.name, at(*m.target, d + 1, false)});
        pop(mk);
      }
      return obj;
    }
    if (sh.type == shape_type::list) {
      value arr;
      arr.type = value::kind::array;
      const std::size_t lo = std::max<std::size_t>(min_length(sh), 1);
      const std::size_t n = pick_size(lo, std::max(lo, list_max(sh)), s);
      const auto target = static_cast<std::size_t>(s.choice(n));
      arr.items.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        if (i != target) {
          child_into(*sh.element, arr.items.emplace_back());
          continue;
        }
        const mark mk = push_index(i);
        arr.items.push_back(at(*sh.element, d + 1, true));
        pop(mk);
      }
      return arr;
    }
    failed = true;  // a route through a scalar: not a site sites() makes
    return detail::raw("null");
  }

  // Faults that live in the parent object: true when the member was handled.
  bool member_fault(value& obj, const model::member& m) {
    switch (where->what) {
      case fault::required_missing:
        expect(constraint::required, "");
        phrase_null();
        why("required member " + pointer + " left out");
        return true;
      case fault::required_null:
        expect(constraint::required, "");
        phrase_null();
        obj.members.push_back({m.name, detail::raw("null")});
        why("required member " + pointer + " given as null");
        return true;
      case fault::duplicate_member: {
        obj.members.push_back({m.name, valid_value(*m.target)});
        obj.members.push_back({m.name, valid_value(*m.target)});
        duplicate(m.name);
        return true;
      }
      default: return false;
    }
  }

  void phrase_null() {
    out->exception = validation_exception;
    out->message_phrase = "Value null at '" + path + "' failed to satisfy constraint: Member must not be null";
  }
  void duplicate(std::string_view name) {
    expect(constraint::duplicate_member, "");
    out->exception = serialization_exception;
    out->message_phrase = "Duplicate member '";
    out->message_phrase += name;
    out->message_phrase += '\'';
    why("member " + pointer + " written twice");
  }
  void why(std::string_view w) { out->why = one_line(w); }

  // The phrase of a ValidationException item about a scalar value.
  void item_phrase(std::string_view printed, constraint kind, std::string_view bound) {
    out->exception = validation_exception;
    std::string& p = out->message_phrase;
    p = "Value '";
    p += printed;
    p += "' at '";
    p += path;
    p += "' failed to satisfy constraint: ";
    switch (kind) {
      case constraint::length_min:
      case constraint::count_min: p += "Member must have length greater than or equal to "; break;
      case constraint::length_max:
      case constraint::count_max: p += "Member must have length less than or equal to "; break;
      case constraint::value_min: p += "Member must have value greater than or equal to "; break;
      case constraint::value_max: p += "Member must have value less than or equal to "; break;
      case constraint::pattern: p += "Member must satisfy regular expression pattern: "; break;
      default: break;
    }
    p += bound;
  }

  // ---- the value at the end of the route ----

  value site_value(const shape& sh, bool element) {
    if (on_bound) return bound_value(sh);
    switch (where->what) {
      case fault::wrong_type: {
        wrong w = wrong_value(sh, element, s);
        expect(constraint::type, std::string(type_bound(sh)));
        out->exception = serialization_exception;
        out->message_phrase = std::move(w.phrase);
        why("a JSON value of the wrong type at " + (pointer.empty() ? std::string("the root") : pointer) +
            " (" + std::string(type_bound(sh)) + " modelled)");
        return std::move(w.v);
      }
      case fault::length_below:
      case fault::length_above: return length_fault(sh);
      case fault::pattern: return pattern_fault(sh);
      case fault::count_below:
      case fault::count_above: return count_fault(sh);
      case fault::value_below:
      case fault::value_above: return value_fault(sh);
      case fault::unknown_member: {
        if (sh.type != shape_type::structure) break;
        value obj = valid_value(sh);
        std::string key = unknown_key(sh, s);
        const mark mk = push_member(key, model::lower_camel(key));
        expect(constraint::unknown_member, "");
        out->exception = validation_exception;
        out->message_phrase = "at '" + path + "' failed to satisfy constraint";
        why("unknown member " + pointer + " (an error under --strict)");
        pop(mk);
        const auto at_index = static_cast<std::size_t>(s.choice(obj.members.size() + 1));
        detail::value v;
        if (!detail::read(any_json(s, 2), v)) v = detail::raw("null");
        obj.members.insert(obj.members.begin() + static_cast<std::ptrdiff_t>(at_index),
                           member{std::move(key), std::move(v)});
        return obj;
      }
      default: break;
    }
    return no_place();
  }

  // The fault asked for has no place here (the shape has no such bound, or
  // no value can break it): the body is given up.
  value no_place() {
    failed = true;
    return detail::raw("null");
  }

  // A size below the shape's min (a length or a count), and its bound: min -
  // 1 one time in three, else any size below; nullopt when min is 0.
  std::optional<std::size_t> size_below(const shape& sh, std::string& bound) {
    const std::size_t lo = min_length(sh);
    if (lo == 0) return std::nullopt;
    bound = decimal(sh.min);
    return s.choice(3) == 0 || lo == 1 ? lo - 1 : static_cast<std::size_t>(s.choice(lo));
  }

  // A string of exactly n code points: a match of the pattern when one of
  // that length exists (the drawer's text when it is one), else free text.
  // Errors: the length fault given, plus the pattern when the automaton
  // rejects the string.
  std::string string_of(const shape& sh, std::size_t n) {
    if (sh.regex) {
      if (auto v = exact_match(sh, n)) return std::move(*v);
    }
    return free_text(n);
  }

  value length_fault(const shape& sh) {
    if (sh.type != shape_type::string) return no_place();
    std::size_t n = 0;
    constraint kind = constraint::length_min;
    std::string bound;
    if (where->what == fault::length_below) {
      const auto below = size_below(sh, bound);
      if (!below) return no_place();
      n = *below;
    } else {
      if (!sh.has_max) return no_place();
      const auto hi = static_cast<std::size_t>(std::max<std::int64_t>(sh.max, 0));
      switch (s.choice(4)) {
        case 0: n = hi + 1; break;
        case 1: n = hi + 2; break;
        case 2: n = hi + 1 + static_cast<std::size_t>(s.choice(16)); break;
        default: n = hi + 1 + static_cast<std::size_t>(s.choice(hi + 1)); break;
      }
      kind = constraint::length_max;
      bound = decimal(sh.max);
    }
    std::string v = string_of(sh, n);
    expect(kind, bound);
    item_phrase(v, kind, bound);
    why(std::string(kind == constraint::length_min ? "length below" : "length above") + " at " +
        pointer + ": " + std::to_string(n) + " code points, bound " + bound);
    if (sh.regex && !sh.regex->matcher.full_match(v)) {
      expect(constraint::pattern, sh.pattern);
      out->why += " (no match of that length: pattern fails too)";
    }
    return detail::string_value(std::move(v));
  }

  value pattern_fault(const shape& sh) {
    if (sh.type != shape_type::string || !sh.regex) return no_place();
    const std::size_t lo = min_length(sh);
    const std::size_t hi = max_length(sh);
    std::optional<std::string> v;
    std::string how;
    if (s.choice(4) == 3) {
      // Free text of a valid length, when it happens to fail the pattern.
      std::string t = free_text(pick_size(lo, hi, s));
      if (!sh.regex->matcher.full_match(t)) {
        v = std::move(t);
        how = "free text";
      }
    }
    // With a drawer whose text the pattern takes (a `.*` description): that
    // text with one code point replaced by a Java line terminator, when that
    // fails the pattern -- the string stays the drawer's. Patterns that do
    // not take it get their near miss.
    const std::size_t least = std::max<std::size_t>(lo, 1);  // a code point to replace
    if (!v && draw && hi >= least) {
      const std::size_t n = pick_size(least, hi, s);
      if (auto t = drawn_match(sh, n)) {  // exactly n code points
        const std::size_t at = byte_offset(*t, static_cast<std::size_t>(s.choice(n)));
        const std::size_t length = byte_offset(std::string_view(*t).substr(at), 1);
        std::string lt;
        append_utf8(lt, detail::line_terminators[s.choice(detail::line_terminators.size())]);
        t->replace(at, length, lt);
        if (!sh.regex->matcher.full_match(*t)) {
          v = std::move(*t);
          how = "free text with a line terminator";
        }
      }
    }
    if (!v) {
      if (auto miss = near_miss_of(*sh.regex, s, lo, hi)) {
        v = std::move(miss->text);
        how = "near miss (" + std::string(to_string(miss->how)) + ")";
      }
    }
    if (!v) return no_place();
    expect(constraint::pattern, sh.pattern);
    item_phrase(*v, constraint::pattern, sh.pattern);
    why("pattern fails at " + pointer + ": " + how);
    return detail::string_value(std::move(*v));
  }

  value count_fault(const shape& sh) {
    if (sh.type != shape_type::list) return no_place();
    std::size_t n = 0;
    constraint kind = constraint::count_min;
    std::string bound;
    if (where->what == fault::count_below) {
      const auto below = size_below(sh, bound);
      if (!below) return no_place();
      n = *below;
    } else {
      if (!sh.has_max) return no_place();
      const auto hi = static_cast<std::size_t>(std::max<std::int64_t>(sh.max, 0));
      n = hi + 1 + (s.one_in(4) ? static_cast<std::size_t>(s.choice(4)) : 0);
      kind = constraint::count_max;
      bound = decimal(sh.max);
    }
    expect(kind, bound);
    out->exception = validation_exception;
    out->message_phrase = "at '" + path + "' failed to satisfy constraint: Member must have length ";
    out->message_phrase += kind == constraint::count_min ? "greater" : "less";
    out->message_phrase += " than or equal to " + bound;
    why(std::string(kind == constraint::count_min ? "count below" : "count above") + " at " +
        pointer + ": " + std::to_string(n) + " elements, bound " + bound);
    value arr;
    arr.type = value::kind::array;
    arr.items.resize(n);
    for (value& item : arr.items) child_into(*sh.element, item);
    return arr;
  }

  value value_fault(const shape& sh) {
    if (sh.type != shape_type::integer && sh.type != shape_type::long_integer) return no_place();
    std::int64_t v = 0;
    constraint kind = constraint::value_min;
    std::string bound;
    if (where->what == fault::value_below) {
      if (!sh.has_min || sh.min <= type_min(sh)) return no_place();
      const std::int64_t hi = sh.min - 1;
      v = s.choice(3) == 0 ? hi : pick_int(type_min(sh), hi, s);
      bound = decimal(sh.min);
    } else {
      if (!sh.has_max || sh.max >= type_max(sh)) return no_place();
      const std::int64_t lo = sh.max + 1;
      v = s.choice(3) == 0 ? lo : pick_int(lo, type_max(sh), s);
      kind = constraint::value_max;
      bound = decimal(sh.max);
    }
    const std::string text_v = decimal(v);
    expect(kind, bound);
    item_phrase(text_v, kind, bound);
    why(std::string(kind == constraint::value_min ? "value below" : "value above") + " at " +
        pointer + ": " + text_v + ", bound " + bound);
    return detail::raw(text_v);
  }

  // just_inside: the value at the site exactly on the bound its fault breaks.
  value bound_value(const shape& sh) {
    const fault f = where->what;
    const bool low = f == fault::length_below || f == fault::count_below || f == fault::value_below;
    const bool high = f == fault::length_above || f == fault::count_above || f == fault::value_above;
    if (!low && !high) return no_place();
    switch (sh.type) {
      case shape_type::string: {
        if ((low && !sh.has_min) || (high && !sh.has_max)) break;
        const auto n = static_cast<std::size_t>(std::max<std::int64_t>(low ? sh.min : sh.max, 0));
        std::string v;
        if (sh.regex) {
          auto m = exact_match(sh, n);
          if (!m) break;
          v = std::move(*m);
        } else {
          v = free_text(n);
        }
        why("length " + std::to_string(n) + " at " + pointer + ", on its " + (low ? "min" : "max"));
        return detail::string_value(std::move(v));
      }
      case shape_type::list: {
        if ((low && !sh.has_min) || (high && !sh.has_max)) break;
        const auto n = static_cast<std::size_t>(std::max<std::int64_t>(low ? sh.min : sh.max, 0));
        value arr;
        arr.type = value::kind::array;
        arr.items.resize(n);
        for (value& item : arr.items) child_into(*sh.element, item);
        why(std::to_string(n) + " elements at " + pointer + ", on its " + (low ? "min" : "max"));
        return arr;
      }
      case shape_type::integer:
      case shape_type::long_integer: {
        if ((low && !sh.has_min) || (high && !sh.has_max)) break;
        const std::int64_t v = low ? sh.min : sh.max;
        if (v < type_min(sh) || v > type_max(sh)) break;
        why("value " + decimal(v) + " at " + pointer + ", on its " + (low ? "min" : "max"));
        return detail::raw(decimal(v));
      }
      case shape_type::structure: break;
    }
    return no_place();
  }
};

void collect(const shape& sh, fault f, std::vector<site::step>& route, std::string& pointer,
             std::vector<site>& out) {
  if (out.size() >= max_sites) return;
  const auto add = [&](const shape* target) {
    if (out.size() < max_sites) out.push_back(site{f, pointer, target, route});
  };
  if (f == fault::wrong_type) add(&sh);
  switch (sh.type) {
    case shape_type::structure: {
      if (f == fault::unknown_member) add(&sh);
      if (route.size() >= max_route) return;
      for (std::size_t k = 0; k < sh.members.size(); ++k) {
        const model::member& mem = sh.members[k];
        if (!mem.target->finite) continue;  // no body with it there is valid
        const std::size_t mark = pointer.size();
        pointer += '/';
        json::append_pointer_token(pointer, mem.name);
        route.push_back({static_cast<std::int32_t>(k)});
        if ((f == fault::required_missing || f == fault::required_null) && mem.required) {
          add(mem.target);
        }
        if (f == fault::duplicate_member) add(mem.target);
        collect(*mem.target, f, route, pointer, out);
        route.pop_back();
        pointer.resize(mark);
      }
      return;
    }
    case shape_type::list: {
      if (f == fault::count_below && sh.has_min && sh.min > 0) add(&sh);
      if (f == fault::count_above && sh.has_max) add(&sh);
      if (route.size() >= max_route || !sh.element->finite) return;
      const std::size_t mark = pointer.size();
      pointer += "/0";
      route.push_back({-1});
      collect(*sh.element, f, route, pointer, out);
      route.pop_back();
      pointer.resize(mark);
      return;
    }
    case shape_type::string:
      if (f == fault::length_below && sh.has_min && sh.min > 0) add(&sh);
      if (f == fault::length_above && sh.has_max) add(&sh);
      if (f == fault::pattern && sh.regex) add(&sh);
      return;
    case shape_type::integer:
    case shape_type::long_integer:
      if (f == fault::value_below && sh.has_min && sh.min > type_min(sh)) add(&sh);
      if (f == fault::value_above && sh.has_max && sh.max < type_max(sh)) add(&sh);
      return;
  }
}

// Puts "__type" into an error body's root object, or the __type fault.
bool error_type(maker& mk, value& root, const shape& sh, bool fault_here) {
  if (root.type != value::kind::object) return true;
  std::string name = sh.name;
  switch (mk.s.choice(3)) {
    case 1: name = "com.amazonaws.sagemaker#" + sh.name; break;
    case 2: name = sh.name + ":http://internal.amazon.com/coral/com.amazon.coral.service/"; break;
    default: break;
  }
  const auto at = static_cast<std::size_t>(mk.s.choice(root.members.size() + 1));
  const auto put = [&](value v) {
    root.members.insert(root.members.begin() + static_cast<std::ptrdiff_t>(at),
                        member{"__type", std::move(v)});
  };
  if (!fault_here) {
    put(detail::string_value(std::move(name)));
    return true;
  }
  mk.pointer = "/__type";
  mk.path = "__type";
  switch (mk.where->what) {
    case fault::required_missing:
      mk.expect(constraint::required, "");
      mk.phrase_null();
      mk.why("__type of an error body left out");
      return true;
    case fault::required_null:
      mk.expect(constraint::required, "");
      mk.phrase_null();
      mk.why("__type of an error body given as null");
      put(detail::raw("null"));
      return true;
    case fault::duplicate_member:
      put(detail::string_value(name));
      put(detail::string_value(name));
      mk.duplicate("__type");
      return true;
    case fault::wrong_type: {
      shape string_shape;
      string_shape.type = shape_type::string;
      wrong w = wrong_value(string_shape, false, mk.s);
      mk.expect(constraint::type, "string");
      mk.out->exception = serialization_exception;
      mk.out->message_phrase = std::move(w.phrase);
      mk.why("__type of an error body of the wrong JSON type");
      put(std::move(w.v));
      return true;
    }
    default: return false;
  }
}

std::optional<body> make(const model::service_model& m, const shape& root, const site* where,
                         bool on_bound, source& s, const spelling& how, std::size_t budget) {
  if (!root.finite) return std::nullopt;  // no valid body to start from
  body b;
  b.judge_as = kind_of(m, root);
  maker mk(s, where, on_bound, &b, budget, how);
  value v;
  const bool type_site = where && !where->route.empty() && where->route.front().member == -2;
  if (!where) {
    v = mk.valid_value(root);
    b.why = "a valid body";
  } else if (type_site) {
    v = mk.valid_value(root);
  } else {
    v = mk.at(root, 0, false);
  }
  if (b.judge_as == body_kind::error) {
    const bool ok = error_type(mk, v, root, type_site);
    if (!ok) return std::nullopt;
  }
  if (mk.failed) return std::nullopt;
  if (where && !on_bound) {
    b.injected = where->what;
    b.expect = verdict::invalid;
    b.needs_strict = where->what == fault::unknown_member;
    if (b.errors.empty()) return std::nullopt;
  } else {
    b.expect = verdict::valid;
    b.exception = {};
    b.errors.clear();
    b.message_phrase.clear();
  }
  // Written into a buffer kept per thread, then copied once at its size:
  // cheaper than growing each body's string from nothing.
  thread_local std::string buffer;
  buffer.clear();
  detail::write(v, buffer, s, how);
  b.json.assign(buffer);
  if (buffer.capacity() > (std::size_t{1} << 20)) buffer = std::string();  // not hoarded
  return b;
}

// noisy(): the shape's skeleton with anything in it.
value noise(const shape& sh, source& s, unsigned depth, std::size_t& budget) {
  const std::uint64_t c = s.choice(10);
  if (c == 7) {
    value v;
    if (!detail::read(any_json(s, 2), v)) v = detail::raw("null");
    return v;
  }
  if (c == 8) return detail::raw("null");
  if (c == 9) return wrong_value(sh, true, s).v;
  switch (sh.type) {
    case shape_type::structure: {
      value obj;
      obj.type = value::kind::object;
      if (depth == 0) return obj;
      for (const model::member& mem : sh.members) {
        switch (s.choice(4)) {
          case 0: break;
          case 1: obj.members.push_back({mem.name, detail::raw("null")}); break;
          default: obj.members.push_back({mem.name, noise(*mem.target, s, depth - 1, budget)});
        }
        if (s.one_in(12)) obj.members.push_back({mem.name, noise(*mem.target, s, depth - 1, budget)});
      }
      if (s.one_in(6)) {
        value v;
        if (!detail::read(any_json(s, 1), v)) v = detail::raw("0");
        obj.members.insert(obj.members.begin() + static_cast<std::ptrdiff_t>(s.choice(obj.members.size() + 1)),
                           member{unknown_key(sh, s), std::move(v)});
      }
      return obj;
    }
    case shape_type::list: {
      value arr;
      arr.type = value::kind::array;
      if (depth == 0) return arr;
      const std::size_t lo = min_length(sh);
      const std::size_t hi = maker::list_max(sh);
      std::size_t n = 0;
      switch (s.choice(4)) {
        case 0: n = static_cast<std::size_t>(s.choice(4)); break;
        case 1: n = lo > 0 ? lo - 1 : 0; break;
        case 2: n = hi + 1 + static_cast<std::size_t>(s.choice(12)); break;
        default: n = pick_size(lo, hi, s); break;
      }
      for (std::size_t i = 0; i < n; ++i) arr.items.push_back(noise(*sh.element, s, depth - 1, budget));
      return arr;
    }
    case shape_type::string: {
      const std::size_t lo = min_length(sh);
      const std::size_t hi = max_length(sh);
      std::size_t n = 0;
      switch (s.choice(5)) {
        case 0: n = lo > 0 ? lo - 1 : 0; break;
        case 1: n = hi + 1; break;
        default: n = pick_size(lo, hi, s); break;
      }
      n = std::min(n, std::max<std::size_t>(budget, 2));
      budget = n < budget ? budget - n : 0;
      if (sh.regex) {
        const std::uint64_t way = s.choice(3);
        if (way == 0) {
          if (auto v = matching(*sh.regex, s, n > 0 ? n - 1 : 0, n + 1)) return detail::string_value(*v);
        } else if (way == 1) {
          if (auto v = near_miss_of(*sh.regex, s, n > 0 ? n - 1 : 0, n + 1)) {
            return detail::string_value(v->text);
          }
        }
      }
      return detail::string_value(text(s, n));
    }
    case shape_type::integer:
    case shape_type::long_integer: {
      static constexpr std::string_view edges[] = {"0", "-1", "2147483647", "2147483648",
                                                   "-2147483648", "9223372036854775807",
                                                   "9223372036854775808", "1.0", "1e2"};
      if (s.one_in(3)) return detail::raw(edges[s.choice(std::size(edges))]);
      const std::int64_t lo = sh.has_min ? sh.min - 2 : type_min(sh);
      const std::int64_t hi = sh.has_max ? sh.max + 2 : type_max(sh);
      return detail::raw(decimal(pick_int(std::min(lo, hi), std::max(lo, hi), s)));
    }
  }
  return detail::raw("null");
}

}  // namespace

std::string_view to_string(fault f) noexcept {
  switch (f) {
    case fault::none: return "none";
    case fault::required_missing: return "required_missing";
    case fault::required_null: return "required_null";
    case fault::length_below: return "length_below";
    case fault::length_above: return "length_above";
    case fault::pattern: return "pattern";
    case fault::count_below: return "count_below";
    case fault::count_above: return "count_above";
    case fault::value_below: return "value_below";
    case fault::value_above: return "value_above";
    case fault::wrong_type: return "wrong_type";
    case fault::duplicate_member: return "duplicate_member";
    case fault::unknown_member: return "unknown_member";
  }
  return "?";
}

body_kind kind_of(const model::service_model& m, const model::shape& root) noexcept {
  if (&root == m.input()) return body_kind::request;
  if (&root == &m.response()) return body_kind::response;  // NoOutput too
  if (root.exception) return body_kind::error;
  for (const shape* e : m.errors()) {
    if (e == &root) return body_kind::error;
  }
  return body_kind::request;
}

std::optional<body> valid(const model::service_model& m, const model::shape& root, source& s,
                          const spelling& how, std::size_t text_budget) {
  try {
    return make(m, root, nullptr, false, s, how, text_budget);
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::vector<site> sites(const model::service_model& m, const model::shape& root, fault f) {
  std::vector<site> out;
  if (f == fault::none || !root.finite) return out;
  try {
    if (kind_of(m, root) == body_kind::error &&
        (f == fault::required_missing || f == fault::required_null ||
         f == fault::duplicate_member || f == fault::wrong_type)) {
      static const shape type_shape = [] {
        shape t;
        t.name = "__type";
        t.type = shape_type::string;
        return t;
      }();
      out.push_back(site{f, "/__type", &type_shape, {{-2}}});
    }
    std::vector<site::step> route;
    std::string pointer;
    collect(root, f, route, pointer, out);
  } catch (const std::bad_alloc&) {
    out.clear();
  }
  return out;
}

std::optional<body> single_fault(const model::service_model& m, const model::shape& root,
                                 const site& where, source& s, const spelling& how,
                                 std::size_t text_budget) {
  if (where.what == fault::none) return std::nullopt;
  try {
    return make(m, root, &where, false, s, how, text_budget);
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::optional<body> single_fault(const model::service_model& m, const model::shape& root,
                                 std::span<const site> candidates, source& s, const spelling& how,
                                 std::size_t text_budget) {
  if (candidates.empty()) return std::nullopt;
  return single_fault(m, root, candidates[static_cast<std::size_t>(s.choice(candidates.size()))], s, how,
                      text_budget);
}

std::optional<body> single_fault(const model::service_model& m, const model::shape& root,
                                 fault f, source& s, const spelling& how,
                                 std::size_t text_budget) {
  try {
    return single_fault(m, root, std::span<const site>(sites(m, root, f)), s, how, text_budget);
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::optional<body> just_inside(const model::service_model& m, const model::shape& root,
                                const site& where, source& s, const spelling& how,
                                std::size_t text_budget) {
  switch (where.what) {
    case fault::length_below:
    case fault::length_above:
    case fault::count_below:
    case fault::count_above:
    case fault::value_below:
    case fault::value_above: break;
    default: return std::nullopt;
  }
  try {
    return make(m, root, &where, true, s, how, text_budget);
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::string noisy(const model::shape& root, source& s) {
  try {
    std::size_t budget = default_text_budget;
    value v = noise(root, s, 6, budget);
    if (root.exception && v.type == value::kind::object && s.choice(4) != 0) {
      std::string name = s.one_in(4) ? text(s, s.choice(8)) : root.name;
      v.members.insert(v.members.begin(), member{"__type", detail::string_value(std::move(name))});
    }
    std::string out;
    detail::write(v, out, s, spelling{});
    return out;
  } catch (const std::bad_alloc&) {
    return "{}";
  }
}

}  // namespace spe::gen
