// The labelled corpus of one revision (corpus.hpp): the boundary set built
// here from the model, then random bodies from spe::gen.
//
// Boundary bodies are the model's minimal valid body (required members
// only, each at its simplest valid value) with one value replaced: the
// walk to a member (a `route`: members, and list elements at index 0)
// keeps every other value minimal and valid, so the only errors are those
// of the replaced value, and its label is computed from the model alone --
// code points counted here, patterns decided by the automaton the model
// compiled, the type words and bounds the specification gives. JSON hazards
// are textual edits of the minimal body (a BOM in front, a comma before the
// closing brace, raw bytes inside a string, ...). Identical bodies are
// written once.
#include "cli/corpus.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <optional>
#include <set>
#include <new>
#include <span>
#include <thread>
#include <utility>

#include "cli/cli.hpp"
#include "spe/json.hpp"

namespace spe::cli {

namespace {

using gen::expected_error;
using model::member;
using model::shape;
using model::shape_type;

constexpr std::string_view validation_exception = "ValidationException";
constexpr std::string_view serialization_exception = "SerializationException";

// One code point of each UTF-8 length: lengths are tested in each.
struct unit {
  std::string_view text;
  char32_t code;
  std::string_view name;
};
constexpr unit units[] = {{"a", U'a', "1byte"},
                          {"\xC3\xA9", U'\u00E9', "2byte"},
                          {"\xE2\x82\xAC", U'\u20AC', "3byte"},
                          {"\xF0\x9D\x84\x9E", U'\U0001D11E', "4byte"}};
// Code points of string content per drawn body (gen::default_text_budget is
// 8192): keeps a committed corpus of 200 drawn bodies small. Long strings
// at their bounds are the boundary set's job.
constexpr std::size_t random_text_budget = 1024;

constexpr std::string_view astral_escaped = "\\ud834\\udd1e";  // U+1D11E as JSON spells it

// Near neighbours of Java's line terminators (pattern::java_line_terminators)
// that its `.` accepts.
constexpr std::string_view not_terminators[] = {"\x0B", "\x0C", "\x1C", "\xE2\x80\xA7"};

// Draws 0 throughout: the simplest value of every kind.
struct zero_source final : gen::source {
  std::uint64_t choice(std::uint64_t) override { return 0; }
};

std::string decimal(std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string repeat(std::string_view u, std::size_t n) {
  std::string s;
  s.reserve(u.size() * n);
  for (std::size_t i = 0; i < n; ++i) s += u;
  return s;
}

std::string quoted(std::string_view s) {
  std::string out;
  json_string(out, s);
  return out;
}

// FNV-1a: a platform-independent seed per member, so near misses do not
// depend on std::hash.
std::uint64_t fnv(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

bool has_any(const pattern::node& n) {
  if (n.kind == pattern::node_kind::any) return true;
  return std::any_of(n.children.begin(), n.children.end(), [](const pattern::node& c) { return has_any(c); });
}

// Whether a leaf of the tree (a literal, a class, `.`) takes the code point
// c: where none does, no match of the pattern holds it.
bool admits(const pattern::node& n, char32_t c) {
  switch (n.kind) {
    case pattern::node_kind::literal: return n.ch == c;
    case pattern::node_kind::char_class:
    case pattern::node_kind::any:
      return std::any_of(n.ranges.begin(), n.ranges.end(),
                         [c](const pattern::code_range& r) { return r.lo <= c && c <= r.hi; });
    default:
      return std::any_of(n.children.begin(), n.children.end(),
                         [c](const pattern::node& child) { return admits(child, c); });
  }
}

// Where a value sits: the members from the root (null: a list's element 0).
struct route {
  std::vector<const member*> steps;
  const shape* target = nullptr;
  std::string pointer;  // "/PipelineParameters/0/Name"
  std::string label;    // "PipelineParameters.0.Name"; "root" for the root
  bool required = false;  // ends at a required member
  bool element = false;   // ends at a list element
  bool is_root() const { return steps.empty(); }
};

// Every value position of the model, root first, members in model order,
// depth first. A shape already on the way down is not entered again
// (recursive models), nor one that no valid value fills (shape::finite):
// a body holding it could not be valid but for the one fault it labels.
void collect(route& cur, std::vector<const shape*>& above, std::vector<route>& out) {
  out.push_back(cur);
  const shape& s = *cur.target;
  if (std::find(above.begin(), above.end(), &s) != above.end()) return;
  above.push_back(&s);
  if (s.type == shape_type::structure) {
    for (const member& m : s.members) {
      if (!m.target->finite) continue;
      route next = cur;
      next.steps.push_back(&m);
      next.target = m.target;
      next.pointer += '/';
      json::append_pointer_token(next.pointer, m.name);
      next.label = cur.is_root() ? m.name : cur.label + "." + m.name;
      next.required = m.required;
      next.element = false;
      collect(next, above, out);
    }
  } else if (s.type == shape_type::list && s.element && s.element->finite) {
    route next = cur;
    next.steps.push_back(nullptr);
    next.target = s.element;
    next.pointer += "/0";
    next.label = cur.is_root() ? "0" : cur.label + ".0";
    next.required = false;
    next.element = true;
    collect(next, above, out);
  }
  above.pop_back();
}

// Minimal valid values, and the minimal body with one value replaced.
class builder {
 public:
  const std::string& minimal(const shape& s) {
    for (const auto& [sh, text] : cache_) {
      if (sh == &s) return text;
    }
    std::string out;
    make_minimal(s, out, 0);
    cache_.emplace_back(&s, std::move(out));
    return cache_.back().second;
  }

  // The minimal string of `s` (its shortest valid text).
  std::string minimal_text(const shape& s) {
    const std::size_t lo = s.has_min ? static_cast<std::size_t>(s.min) : 0;
    if (!s.regex) return repeat("a", lo);
    zero_source zero;
    const std::size_t hi = s.has_max ? static_cast<std::size_t>(s.max) : lo + 64;
    return gen::matching(*s.regex, zero, lo, hi).value_or(repeat("a", lo));
  }

  // The minimal body of the route's root with the value at the route
  // replaced by `leaf` (raw JSON text), or left out when leaf is nullopt.
  std::string with(const shape& root, const route& r, std::optional<std::string_view> leaf) {
    std::string out;
    build(out, root, r.steps, leaf);
    return out;
  }

 private:
  void make_minimal(const shape& s, std::string& out, unsigned depth) {
    switch (s.type) {
      case shape_type::string: out += quoted(minimal_text(s)); return;
      case shape_type::integer:
      case shape_type::long_integer: {
        std::int64_t v = 0;
        if (s.has_min && v < s.min) v = s.min;
        if (s.has_max && v > s.max) v = s.max;
        out += decimal(v);
        return;
      }
      case shape_type::list: {
        out += '[';
        const std::int64_t n = s.has_min ? s.min : 0;
        for (std::int64_t i = 0; i < n && depth < 32; ++i) {
          if (i) out += ',';
          make_minimal(*s.element, out, depth + 1);
        }
        out += ']';
        return;
      }
      case shape_type::structure: {
        out += '{';
        bool first = true;
        for (const member& m : s.members) {
          if (!m.required || depth >= 32) continue;
          if (!first) out += ',';
          first = false;
          out += quoted(m.name);
          out += ':';
          make_minimal(*m.target, out, depth + 1);
        }
        out += '}';
        return;
      }
    }
  }

  void build(std::string& out, const shape& s, std::span<const member* const> rest,
             std::optional<std::string_view> leaf) {
    if (rest.empty()) {
      out += leaf.value_or("null");
      return;
    }
    const member* step = rest.front();
    if (s.type == shape_type::structure) {
      out += '{';
      bool first = true;
      for (const member& m : s.members) {
        const bool on_route = &m == step;
        if (!on_route && !m.required) continue;
        if (on_route && rest.size() == 1 && !leaf) continue;
        if (!first) out += ',';
        first = false;
        out += quoted(m.name);
        out += ':';
        if (on_route) {
          build(out, *m.target, rest.subspan(1), leaf);
        } else {
          out += minimal(*m.target);
        }
      }
      out += '}';
    } else {
      // A list on the route: element 0 carries it, the rest are minimal.
      out += '[';
      build(out, *s.element, rest.subspan(1), leaf);
      const std::int64_t n = std::max<std::int64_t>(s.has_min ? s.min : 0, 1);
      for (std::int64_t i = 1; i < n; ++i) {
        out += ',';
        out += minimal(*s.element);
      }
      out += ']';
    }
  }

  std::vector<std::pair<const shape*, std::string>> cache_;
};

// A raw member added before the closing brace of a JSON object text.
std::string with_member(std::string_view object, std::string_view raw_member) {
  std::string out(object.substr(0, object.size() - 1));
  if (object.size() > 2) out += ',';
  out += raw_member;
  out += '}';
  return out;
}

// Whitespace of every kind between all tokens (outside strings).
std::string spaced(std::string_view json) {
  std::string out;
  bool in_string = false;
  bool escaped = false;
  static constexpr std::string_view ws[] = {" ", "\n", "\t", "\r\n", "  "};
  std::size_t k = 0;
  out += " \t";
  for (char c : json) {
    out += c;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        out += ws[k++ % std::size(ws)];
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out.insert(out.size() - 1, ws[k++ % std::size(ws)]);
    } else if (c == '{' || c == '[' || c == ':' || c == ',' || c == '}' || c == ']') {
      out += ws[k++ % std::size(ws)];
    }
  }
  out += "\n";
  return out;
}

// Every code point of a UTF-8 text as a \uXXXX escape (pairs for astral).
std::string escaped_all(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  auto u4 = [&](std::string& out, std::uint32_t v) {
    out += "\\u";
    for (int i = 3; i >= 0; --i) out += hex[(v >> (4 * i)) & 0xF];
  };
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    }
    i += len;
    if (cp >= 0x10000) {
      u4(out, 0xD800 + ((cp - 0x10000) >> 10));
      u4(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      u4(out, cp);
    }
  }
  out += '"';
  return out;
}

class corpus_maker {
 public:
  corpus_maker(const model::service_model& m, const std::function<void(corpus_item&)>& each)
      : model_(m), root_(*m.input()), each_(each) {
    route r;
    r.target = &root_;
    r.label = "root";
    std::vector<const shape*> above;
    collect(r, above, routes_);
  }

  void boundary_set(bool size_hazard) {
    for (const route& r : routes_) {
      switch (r.target->type) {
        case shape_type::string: strings(r); break;
        case shape_type::list: counts(r); break;
        case shape_type::integer:
        case shape_type::long_integer: numbers(r); break;
        case shape_type::structure: break;
      }
      presence(r);
      wrong_types(r);
    }
    hazards();
    if (size_hazard) size_bound();
  }

  // The size bound of SPEC.md section 2.1: the minimal body padded with
  // spaces to exactly json::default_max_size bytes (valid) and to one byte
  // more (malformed, kind size). 16 MiB of files, so only on request
  // (corpus_settings::size_hazard).
  void size_bound() {
    const std::string base = builder_.minimal(root_);
    const auto bound = static_cast<std::int64_t>(json::default_max_size);
    for (const std::int64_t size : {bound, bound + 1}) {
      std::string body = base.substr(0, base.size() - 1);
      body.append(static_cast<std::size_t>(size) - base.size(), ' ');
      body += '}';
      const std::string what = "the minimal body padded with spaces to " + decimal(size) +
                               " bytes (the size bound is " + decimal(bound) + ")";
      if (size == bound) {
        emit("valid-size-" + decimal(size), std::move(body), {}, what);
      } else {
        emit_malformed("size-" + decimal(size), std::move(body), constraint::size, what);
      }
    }
  }

  // Each drawn body has a source of its own, seeded from (seed, index):
  // bodies can then be drawn on several threads and still come out the
  // same, in the same order, whatever the number of threads. With more
  // than one job, the bodies of one chunk go to `each` (which writes them,
  // in `spe gen`) on this thread while the other jobs draw the next chunk;
  // this thread joins them once it is done. At most `jobs` threads draw.
  void random(const corpus_settings& settings) {
    const unsigned jobs = std::clamp(settings.jobs, 1u, 64u);
    if (settings.random == 0) return;
    find_sites();
    constexpr std::size_t chunk = 1024;
    using batch = std::vector<std::optional<corpus_item>>;
    struct drawing {
      batch slots;
      std::size_t start = 0;
      std::atomic<std::size_t> next{0};
    };
    const auto work = [&](drawing& d) {
      for (std::size_t i = d.next++; i < d.slots.size(); i = d.next++) {
        d.slots[i] = drawn(body_seed(settings.seed, d.start + i));
      }
    };
    const auto prepare = [&](drawing& d, std::size_t start) {
      d.slots.assign(std::min(chunk, settings.random - start), std::nullopt);
      d.start = start;
      d.next = 0;
    };
    drawing ready;
    drawing coming;
    prepare(ready, 0);
    {
      std::vector<std::thread> pool;
      for (unsigned j = 1; j < jobs && j < ready.slots.size(); ++j) pool.emplace_back(work, std::ref(ready));
      work(ready);
      for (std::thread& t : pool) t.join();
    }
    for (std::size_t start = 0; start < settings.random; start += chunk) {
      const std::size_t following = start + chunk;
      std::vector<std::thread> pool;
      struct joiner {  // joins the pool however this block is left
        std::vector<std::thread>& threads;
        ~joiner() {
          for (std::thread& t : threads) {
            if (t.joinable()) t.join();
          }
        }
      } guard{pool};
      if (following < settings.random) {
        prepare(coming, following);
        for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(work, std::ref(coming));
      }
      for (std::optional<corpus_item>& item : ready.slots) {
        if (item) each_(*item);
      }
      if (following < settings.random) {
        work(coming);
        for (std::thread& t : pool) t.join();
        std::swap(ready.slots, coming.slots);
        ready.start = coming.start;
      }
    }
  }

 private:
  static std::uint64_t body_seed(std::uint64_t seed, std::size_t index) {
    // splitmix64's finaliser over (seed, index): unrelated streams per body.
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (static_cast<std::uint64_t>(index) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  static constexpr gen::fault faults[] = {
      gen::fault::required_missing, gen::fault::required_null, gen::fault::length_below,
      gen::fault::length_above,     gen::fault::pattern,       gen::fault::count_below,
      gen::fault::count_above,      gen::fault::value_below,   gen::fault::value_above,
      gen::fault::wrong_type,       gen::fault::duplicate_member, gen::fault::unknown_member};

  // The sites of each fault, found once per corpus rather than per body.
  void find_sites() {
    for (std::size_t f = 0; f < std::size(faults); ++f) sites_[f] = gen::sites(model_, root_, faults[f]);
  }

  // One drawn body: valid or with a single fault, randomly spelled. Safe to
  // call from several threads (the model is only read; gen is re-entrant).
  std::optional<corpus_item> drawn(std::uint64_t seed) const noexcept {
    try {
      gen::seeded_source src(seed);
      std::optional<gen::body> b;
      // A fault the model has no place for yields nothing: draw again.
      for (int attempt = 0; attempt < 32 && !b; ++attempt) {
        gen::spelling how;
        how.whitespace = src.one_in(4);
        how.escapes = src.one_in(4);
        how.reorder = src.one_in(4);
        if (src.choice(2) == 0) {
          b = gen::valid(model_, root_, src, how, random_text_budget);
        } else {
          b = gen::single_fault(model_, root_, sites_[src.choice(std::size(faults))], src, how,
                                random_text_budget);
        }
      }
      if (!b) return std::nullopt;
      corpus_item item;
      item.tag = b->injected == gen::fault::none ? "random-valid"
                                                 : "random-" + std::string(gen::to_string(b->injected));
      item.json = std::move(b->json);
      item.expect = b->expect;
      item.exception = b->exception;
      item.errors = std::move(b->errors);
      item.why = std::move(b->why);
      item.strict = b->needs_strict;
      return item;
    } catch (const std::bad_alloc&) {
      return std::nullopt;
    }
  }

  // ---- emitting -------------------------------------------------------------

  void emit(std::string tag, std::string json, std::vector<expected_error> errors, std::string why,
            bool strict = false) {
    if (!seen_.insert((strict ? "S" : "N") + json).second) return;
    corpus_item item;
    item.tag = std::move(tag);
    item.json = std::move(json);
    item.why = std::move(why);
    item.strict = strict;
    const bool serialization = std::any_of(errors.begin(), errors.end(), [](const expected_error& e) {
      return e.kind == constraint::type || e.kind == constraint::duplicate_member;
    });
    if (serialization) {
      item.expect = verdict::invalid;
      item.exception = serialization_exception;
    } else if (!errors.empty()) {
      item.expect = verdict::invalid;
      item.exception = validation_exception;
    }
    item.errors = std::move(errors);
    each_(item);
  }

  void emit_malformed(std::string tag, std::string json, constraint kind, std::string why) {
    if (!seen_.insert("N" + json).second) return;
    corpus_item item;
    item.tag = "malformed-" + std::move(tag);
    item.json = std::move(json);
    item.expect = verdict::malformed;
    item.exception = serialization_exception;
    std::string bound;  // the bounds in force when the corpus is judged: the defaults
    if (kind == constraint::depth) bound = decimal(json::default_max_depth);
    if (kind == constraint::size) {
      bound = decimal(static_cast<std::int64_t>(json::default_max_size));
    }
    item.errors.push_back({"", kind, std::move(bound)});
    item.why = std::move(why);
    each_(item);
  }

  // The errors a string value at `r` has, from the model alone.
  std::vector<expected_error> string_errors(const route& r, std::string_view text) const {
    const shape& s = *r.target;
    std::vector<expected_error> out;
    const auto n = static_cast<std::int64_t>(gen::code_points(text));
    if (s.has_min && n < s.min) out.push_back({r.pointer, constraint::length_min, decimal(s.min)});
    if (s.has_max && n > s.max) out.push_back({r.pointer, constraint::length_max, decimal(s.max)});
    if (s.regex && !s.regex->matcher.full_match(text)) {
      out.push_back({r.pointer, constraint::pattern, s.pattern});
    }
    return out;
  }

  static std::string tag_of(const std::vector<expected_error>& errors, const route& r,
                            std::string_view suffix = {}) {
    std::string t = errors.empty() ? "valid" : std::string(to_string(errors.front().kind));
    t += '-';
    t += r.label;
    if (!suffix.empty()) {
      t += '-';
      t += suffix;
    }
    return t;
  }

  std::string bounds_text(const shape& s) const {
    std::string t = s.has_min ? decimal(s.min) : "";
    t += "..";
    t += s.has_max ? decimal(s.max) : "";
    return t;
  }

  void put_string(const route& r, const std::string& text, std::string_view suffix,
                  const std::string& why) {
    auto errors = string_errors(r, text);
    std::string tag = tag_of(errors, r, suffix);
    emit(std::move(tag), builder_.with(root_, r, quoted(text)), std::move(errors), why);
  }

  // ---- the boundary set -------------------------------------------------------

  // A string of exactly n code points made of `u` as far as the pattern
  // allows: `u` repeated when it matches; else a match of that length (the
  // simplest, or drawn) with as many code points as possible turned into
  // `u` (the `.*` part of an ARN takes any, `[a-z\u00e9]` an e-acute); else
  // `u` repeated, which the label then calls a pattern error.
  static std::string text_of_length(const shape& s, std::size_t n, const unit& unit) {
    const std::string_view u = unit.text;
    std::string plain = repeat(u, n);
    if (!s.regex || s.regex->matcher.full_match(plain)) return plain;
    const bool ascii = u == units[0].text;
    if (!ascii && !admits(s.regex->tree.root(), unit.code)) return plain;
    for (std::uint64_t k = 0; k <= 16; ++k) {
      zero_source zero;
      gen::seeded_source drawn(k);
      auto match = gen::matching_exact(*s.regex, k == 0 ? static_cast<gen::source&>(zero) : drawn, n);
      if (!match) continue;
      if (ascii) return *match;
      std::vector<std::string> cps;
      for (std::size_t i = 0; i < match->size();) {
        std::size_t len = 1;
        while (i + len < match->size() && (static_cast<unsigned char>((*match)[i + len]) & 0xC0) == 0x80) ++len;
        cps.push_back(match->substr(i, len));
        i += len;
      }
      auto joined = [&] {
        std::string j;
        for (const std::string& c : cps) j += c;
        return j;
      };
      // A match with no room for `u` (a name, not an ARN) is passed over
      // after a few probes.
      bool room = false;
      for (std::size_t probe = 1; probe <= 64 && !room; ++probe) {
        const std::size_t i = probe * cps.size() / 65;
        std::string keep = std::exchange(cps[i], std::string(u));
        room = s.regex->matcher.full_match(joined());
        cps[i] = std::move(keep);
      }
      if (!room) continue;
      // Halving: replace a whole range when the pattern allows, else try
      // its halves; a budget of checks keeps it cheap on long strings.
      bool replaced = false;
      int budget = 1024;
      std::vector<std::pair<std::size_t, std::size_t>> todo = {{0, cps.size()}};
      while (!todo.empty() && budget-- > 0) {
        const auto [lo, hi] = todo.back();
        todo.pop_back();
        std::vector<std::string> keep(cps.begin() + static_cast<std::ptrdiff_t>(lo),
                                      cps.begin() + static_cast<std::ptrdiff_t>(hi));
        for (std::size_t i = lo; i < hi; ++i) cps[i] = std::string(u);
        if (s.regex->matcher.full_match(joined())) {
          replaced = true;
          continue;
        }
        std::copy(keep.begin(), keep.end(), cps.begin() + static_cast<std::ptrdiff_t>(lo));
        if (hi - lo > 1) {
          const std::size_t mid = lo + (hi - lo) / 2;
          todo.emplace_back(mid, hi);
          todo.emplace_back(lo, mid);
        }
      }
      if (replaced) return joined();
    }
    return plain;
  }

  void strings(const route& r) {
    const shape& s = *r.target;
    std::vector<std::int64_t> lengths;
    if (s.has_min) {
      if (s.min >= 1) lengths.push_back(s.min - 1);
      lengths.push_back(s.min);
    }
    if (s.has_max) {
      lengths.push_back(s.max);
      lengths.push_back(s.max + 1);
    }
    if (lengths.empty()) lengths = {0, 1};
    std::sort(lengths.begin(), lengths.end());
    lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
    for (const std::int64_t len : lengths) {
      const auto n = static_cast<std::size_t>(len);
      for (const unit& u : units) {
        if (n == 0 && u.text != units[0].text) continue;  // "" is "" in every encoding
        const std::string text = text_of_length(s, n, u);
        std::size_t k = 0;
        for (std::size_t at = text.find(u.text); at != std::string::npos; at = text.find(u.text, at + u.text.size())) ++k;
        const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; });
        const std::string made_of = u.text != units[0].text
                                        ? std::to_string(k) + " of them " + std::string(u.name) + " UTF-8"
                                        : ascii ? "ASCII" : "drawn from the pattern";
        put_string(r, text, std::to_string(n) + "cp-" + std::string(u.name),
                   r.label + ": " + std::to_string(n) + " code points, " + made_of + " (bounds " +
                       bounds_text(s) + ")");
      }
    }
    // Astral code points spelled as escaped surrogate pairs count once each.
    if (s.has_max && s.max < 100000) {
      const auto n = static_cast<std::size_t>(s.max);
      if (!s.regex || s.regex->matcher.full_match(repeat(units[3].text, n))) {
        for (const std::size_t len : {n, n + 1}) {
          auto errors = string_errors(r, repeat(units[3].text, len));
          std::string tag = tag_of(errors, r, std::to_string(len) + "cp-escaped-pairs");
          emit(std::move(tag), builder_.with(root_, r, "\"" + repeat(astral_escaped, len) + "\""),
               std::move(errors),
               r.label + ": " + std::to_string(len) +
                   " astral code points written as \\u surrogate-pair escapes (max " + decimal(s.max) + ")");
        }
      }
    }
    if (s.regex) patterns(r);
  }

  void patterns(const route& r) {
    const shape& s = *r.target;
    const std::size_t lo = s.has_min ? static_cast<std::size_t>(s.min) : 0;
    const std::size_t hi = s.has_max ? static_cast<std::size_t>(s.max) : lo + 64;
    // Near misses, spread over the kinds of edit.
    gen::seeded_source src(fnv(r.pointer));
    std::array<int, 4> per_edit{};
    int kept = 0;
    for (int attempt = 0; attempt < 48 && kept < 8; ++attempt) {
      auto miss = gen::near_miss_of(*s.regex, src, lo, hi);
      if (!miss) continue;
      int& count = per_edit[static_cast<std::size_t>(miss->how) % per_edit.size()];
      if (count >= 2) continue;
      ++count;
      ++kept;
      put_string(r, miss->text, "near-miss-" + std::string(gen::to_string(miss->how)),
                 r.label + ": a near miss of " + s.pattern + " (" +
                     std::string(gen::to_string(miss->how)) + ")");
    }
    // Every miss at a bounded repetition's own bound ({0,255} given 256
    // copies, {12} given 11), all of them: the drawn misses above keep at
    // most two of an edit kind. A body already written is not written again.
    for (const gen::near_miss& miss : gen::repetition_misses(*s.regex, lo, hi)) {
      put_string(r, miss.text, "near-miss-" + std::string(gen::to_string(miss.how)),
                 r.label + ": a near miss of " + s.pattern + " (" +
                     std::string(gen::to_string(miss.how)) + ")");
    }
    // Java's `.`: the five line terminators fail it, their neighbours pass,
    // each put where a `.` of the pattern takes one more code point -- at
    // the end of a match and inside one, where all the neighbours fit. An
    // ARN's `.*` may lie only in its middle, and only in the matches that
    // draw the ARN at all, so the simplest match is tried, then drawn ones.
    if (!has_any(s.regex->tree.root())) return;
    const auto takes_any = [&](const std::string& text, std::size_t at) {
      return std::all_of(std::begin(not_terminators), std::end(not_terminators), [&](std::string_view t) {
        return s.regex->matcher.full_match(text.substr(0, at) + std::string(t) + text.substr(at));
      });
    };
    std::optional<std::string> at_end;                          // base + x
    std::optional<std::pair<std::string, std::size_t>> inside;  // x inserted at the offset
    // Short matches first, so that the probe is easy to read.
    const std::size_t least = std::max<std::size_t>(lo, 2);
    const std::size_t room = std::max(hi >= 2 ? hi - 2 : 0, lo);
    for (std::uint64_t k = 0; k <= 16 && !(at_end && inside); ++k) {
      zero_source zero;
      gen::seeded_source drawn(k);
      const auto base = gen::matching(*s.regex, k == 0 ? static_cast<gen::source&>(zero) : drawn, least,
                                      k <= 8 ? std::min(room, least + 64) : room);
      if (!base) continue;
      if (!at_end && takes_any(*base, base->size())) at_end = *base;
      for (std::size_t at = 1; at < base->size() && !inside; ++at) {
        const bool starts_code_point = (static_cast<unsigned char>((*base)[at]) & 0xC0) != 0x80;
        if (starts_code_point && takes_any(*base, at)) inside.emplace(*base, at);
      }
    }
    auto put = [&](std::string_view extra, bool terminator) {
      std::string code;
      for (char c : extra) {
        if (!code.empty()) code += ' ';
        code += std::to_string(static_cast<unsigned char>(c));
      }
      const std::string what = terminator ? "Java line terminator" : "non-terminator";
      if (at_end) {
        put_string(r, *at_end + std::string(extra), "dot-end-" + code,
                   r.label + ": a match followed by a " + what + " (bytes " + code + ")");
      }
      if (inside) {
        const auto& [text, at] = *inside;
        put_string(r, text.substr(0, at) + std::string(extra) + text.substr(at), "dot-mid-" + code,
                   r.label + ": a " + what + " inside a match (bytes " + code + ")");
      }
    };
    for (const char32_t t : pattern::java_line_terminators) {
      std::string utf8;
      gen::append_utf8(utf8, t);
      put(utf8, true);
    }
    put("\r\n", true);  // both, as a Windows line ending writes them
    for (std::string_view t : not_terminators) put(t, false);
  }

  void counts(const route& r) {
    const shape& s = *r.target;
    std::vector<std::int64_t> ns;
    if (s.has_min) {
      if (s.min >= 1) ns.push_back(s.min - 1);
      ns.push_back(s.min);
    }
    if (s.has_max) {
      ns.push_back(s.max);
      ns.push_back(s.max + 1);
    }
    std::sort(ns.begin(), ns.end());
    ns.erase(std::unique(ns.begin(), ns.end()), ns.end());
    for (const std::int64_t n : ns) {
      if (n > 100000) continue;
      if (n > 0 && !s.element->finite) continue;  // no element of it is valid
      std::string leaf = "[";
      for (std::int64_t i = 0; i < n; ++i) {
        if (i) leaf += ',';
        leaf += builder_.minimal(*s.element);
      }
      leaf += ']';
      std::vector<expected_error> errors;
      if (s.has_min && n < s.min) errors.push_back({r.pointer, constraint::count_min, decimal(s.min)});
      if (s.has_max && n > s.max) errors.push_back({r.pointer, constraint::count_max, decimal(s.max)});
      std::string tag = tag_of(errors, r, std::to_string(n) + "items");
      emit(std::move(tag), builder_.with(root_, r, leaf), std::move(errors),
           r.label + ": " + decimal(n) + " elements (bounds " + bounds_text(s) + ")");
    }
  }

  void numbers(const route& r) {
    const shape& s = *r.target;
    const bool wide = s.type == shape_type::long_integer;
    const std::int64_t lo = wide ? INT64_MIN : INT32_MIN;
    const std::int64_t hi = wide ? INT64_MAX : INT32_MAX;
    std::vector<std::int64_t> values = {lo, hi};
    if (s.has_min) {
      if (s.min > lo) values.push_back(s.min - 1);
      values.push_back(s.min);
    }
    if (s.has_max) {
      values.push_back(s.max);
      if (s.max < hi) values.push_back(s.max + 1);
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const std::int64_t v : values) {
      std::vector<expected_error> errors;
      if (s.has_min && v < s.min) errors.push_back({r.pointer, constraint::value_min, decimal(s.min)});
      if (s.has_max && v > s.max) errors.push_back({r.pointer, constraint::value_max, decimal(s.max)});
      std::string tag = tag_of(errors, r, decimal(v));
      emit(std::move(tag), builder_.with(root_, r, decimal(v)), std::move(errors),
           r.label + ": " + decimal(v) + " (bounds " + bounds_text(s) + ", " + std::string(type_bound(s)) + ")");
    }
    // Past the wire width the number cannot be read at all; and a fraction
    // or exponent is not an integer even when its value is whole.
    const std::string past_hi = wide ? "9223372036854775808" : "2147483648";
    const std::string past_lo = wide ? "-9223372036854775809" : "-2147483649";
    for (const std::string& v : {past_hi, past_lo, std::string("1.0"), std::string("1e0"),
                                 std::string("1E+0"), std::string("0.5")}) {
      std::vector<expected_error> errors = {{r.pointer, constraint::type, std::string(type_bound(s))}};
      std::string tag = tag_of(errors, r, v);
      emit(std::move(tag), builder_.with(root_, r, v), std::move(errors),
           r.label + ": " + v + " is not an " + std::string(type_bound(s)));
    }
    // -0 is 0.
    std::vector<expected_error> errors;
    if (s.has_min && 0 < s.min) errors.push_back({r.pointer, constraint::value_min, decimal(s.min)});
    if (s.has_max && 0 > s.max) errors.push_back({r.pointer, constraint::value_max, decimal(s.max)});
    std::string tag = tag_of(errors, r, "minus-zero");
    emit(std::move(tag), builder_.with(root_, r, "-0"), std::move(errors), r.label + ": -0 is 0");
  }

  // Missing and null.
  void presence(const route& r) {
    if (r.is_root()) return;
    if (r.element) {
      std::vector<expected_error> errors = {{r.pointer, constraint::type, std::string(type_bound(*r.target))}};
      std::string tag = tag_of(errors, r, "null-element");
      emit(std::move(tag), builder_.with(root_, r, "null"), std::move(errors),
           r.label + ": a null list element");
      return;
    }
    if (r.required) {
      std::vector<expected_error> errors = {{r.pointer, constraint::required, ""}};
      emit(tag_of(errors, r, "missing"), builder_.with(root_, r, std::nullopt), errors,
           r.label + ": required member missing");
      emit(tag_of(errors, r, "null"), builder_.with(root_, r, "null"), errors,
           r.label + ": required member null (null counts as absent)");
    } else {
      emit(tag_of({}, r, "null"), builder_.with(root_, r, "null"), {},
           r.label + ": optional member null (null counts as absent)");
    }
  }

  void wrong_types(const route& r) {
    const shape& s = *r.target;
    std::vector<std::pair<std::string_view, std::string_view>> leaves;  // JSON, what it is
    if (s.type != shape_type::string) leaves.emplace_back("\"1\"", "string");
    if (s.type != shape_type::integer && s.type != shape_type::long_integer) {
      leaves.emplace_back("1", "number");
    }
    leaves.emplace_back("true", "boolean");
    leaves.emplace_back("false", "boolean");
    if (s.type != shape_type::list) leaves.emplace_back("[]", "array");
    if (s.type != shape_type::structure) leaves.emplace_back("{}", "object");
    if (r.is_root()) leaves.emplace_back("null", "null");
    for (const auto& [leaf, what] : leaves) {
      std::vector<expected_error> errors = {{r.pointer, constraint::type, std::string(type_bound(s))}};
      std::string tag = tag_of(errors, r, what);
      emit(std::move(tag), builder_.with(root_, r, leaf), std::move(errors),
           r.label + ": a JSON " + std::string(what) + " (" + std::string(leaf) + ") where the model has " +
               std::string(type_bound(s)));
    }
  }

  std::string unknown_name(const shape& s) const {
    std::string name = "Unmodelled";
    while (s.find_member(name) >= 0) name += "X";
    return name;
  }

  void hazards() {
    const std::string base = builder_.minimal(root_);
    const std::string extra = unknown_name(root_);
    auto with_extra = [&](std::string_view raw_value) {
      return with_member(base, quoted(extra) + ":" + std::string(raw_value));
    };

    // Well-formed spellings of the minimal body.
    emit("valid-minimal", base, {}, "the minimal valid body: required members only");
    emit("valid-whitespace", spaced(base), {}, "whitespace of every kind between all tokens");
    emit("valid-trailing-newline", base + "\n", {}, "a newline after the body");

    // The first required string member of the root carries string hazards.
    const route* str = nullptr;
    for (const route& r : routes_) {
      if (r.steps.size() == 1 && r.required && r.target->type == shape_type::string) {
        str = &r;
        break;
      }
    }
    if (str) {
      const std::string value = builder_.minimal_text(*str->target);
      auto in_string = [&](std::string_view raw) { return builder_.with(root_, *str, raw); };
      emit("valid-escaped-" + str->label, in_string(escaped_all(value)), string_errors(*str, value),
           str->label + ": every character written as a \\u escape");
      const std::string key = quoted(str->steps.front()->name);
      std::string escaped_key = escaped_all(str->steps.front()->name);
      std::string body = base;
      if (auto at = body.find(key); at != std::string::npos) {
        body.replace(at, key.size(), escaped_key);
        emit("valid-escaped-key", body, {}, "a member name written with \\u escapes");
      }
      const std::pair<std::string_view, std::string_view> bad_utf8[] = {
          {"\"\xC3\x28\"", "a 2-byte lead without its continuation"},
          {"\"\xC0\x80\"", "overlong NUL (C0 80)"},
          {"\"\xE0\x80\xAF\"", "overlong 3-byte form"},
          {"\"\xF0\x80\x80\xAF\"", "overlong 4-byte form"},
          {"\"\xED\xA0\x80\"", "a UTF-16 surrogate encoded in UTF-8 (ED A0 80)"},
          {"\"\xF4\x90\x80\x80\"", "a code point above U+10FFFF"},
          {"\"\xF5\x80\x80\x80\"", "the byte F5"},
          {"\"\xFF\"", "the byte FF"},
          {"\"\x80\"", "a lone continuation byte"},
          {"\"\xE2\x82\"", "a 3-byte sequence cut short"},
      };
      for (const auto& [raw, why] : bad_utf8) {
        emit_malformed("utf8-" + str->label, in_string(raw), constraint::utf8,
                       "invalid UTF-8 in a string: " + std::string(why));
      }
      const std::pair<std::string_view, std::string_view> bad_strings[] = {
          {"\"\\ud800\"", "a lone high surrogate escape"},
          {"\"\\udc00\"", "a lone low surrogate escape"},
          {"\"a\\ud800b\"", "a high surrogate escape followed by a letter"},
          {"\"\\ud800\\u0041\"", "a high surrogate escape followed by another escape"},
          {"\"\\ud800\\ud800\"", "two high surrogate escapes"},
          {"\"\\udc00\\ud800\"", "a surrogate pair in the wrong order"},
          {"\"a\x01z\"", "an unescaped control character U+0001"},
          {"\"a\nz\"", "an unescaped newline in a string"},
          {"\"\t\"", "an unescaped tab in a string"},
          {"\"\\x41\"", "the escape \\x"},
          {"\"\\u12\"", "a \\u escape with two hex digits"},
          {"\"\\u12G4\"", "a \\u escape with a non-hex digit"},
          {"\"\\U0041\"", "the escape \\U"},
          {"\"\\'\"", "the escape \\'"},
          {"'p'", "single quotes"},
          {"\"p", "an unterminated string"},
      };
      for (const auto& [raw, why] : bad_strings) {
        emit_malformed("syntax-" + str->label, in_string(raw), constraint::syntax, std::string(why));
      }
    }

    // Bytes outside strings.
    emit_malformed("bom", "\xEF\xBB\xBF" + base, constraint::utf8, "a UTF-8 byte order mark");
    emit_malformed("utf8-outside-string", "{\xC0" + base.substr(1), constraint::utf8,
                   "an invalid UTF-8 byte between tokens");
    emit_malformed("utf8-trailing", base + "\xFF", constraint::utf8, "an invalid byte after the body");
    const std::pair<std::string, std::string_view> syntax[] = {
        {"", "an empty body"},
        {" \n\t\r ", "only whitespace"},
        {base.substr(0, 1), "only an opening brace"},
        {base.substr(0, base.size() / 2), "the body cut in half"},
        {base.substr(0, base.size() - 1), "the closing brace missing"},
        {base.substr(0, base.size() - 1) + ",}", "a trailing comma in an object"},
        {with_extra("[1,]"), "a trailing comma in an array"},
        {with_extra("[,1]"), "a leading comma in an array"},
        {"{/* c */" + base.substr(1), "a block comment"},
        {"// c\n" + base, "a line comment"},
        {base + "//", "a comment after the body"},
        {with_extra("NaN"), "NaN"},
        {with_extra("Infinity"), "Infinity"},
        {with_extra("-Infinity"), "-Infinity"},
        {with_extra("01"), "a leading zero"},
        {with_extra("+1"), "a plus sign"},
        {with_extra("1."), "a fraction without digits"},
        {with_extra(".5"), "a fraction without an integer part"},
        {with_extra("1e"), "an exponent without digits"},
        {with_extra("-"), "a lone minus"},
        {with_extra("0x10"), "a hex number"},
        {with_extra("tru"), "a cut literal"},
        {with_extra("True"), "a capitalised literal"},
        {with_extra("nul"), "a cut null"},
        {with_extra("undefined"), "undefined"},
        {with_extra("'x'"), "a single-quoted string"},
        {with_member(base, quoted(extra) + " 1"), "a missing colon"},
        {with_member(base, quoted(extra) + ":1 \"Y\":2"), "a missing comma"},
        {with_member(base, "1:2"), "a number as a member name"},
        {with_member(base, extra + ":1"), "an unquoted member name"},
        {base + "{}", "a second value after the body"},
        {base + "x", "a byte after the body"},
        {base + "]", "a stray bracket after the body"},
        {"[" + base, "an array that is never closed"},
    };
    for (const auto& [text, why] : syntax) {
      emit_malformed("syntax", text, constraint::syntax, std::string(why));
    }

    // Depth: exactly at the bound is fine; one more is malformed.
    const std::uint32_t depth = json::default_max_depth;
    emit("valid-depth-" + decimal(depth),
         with_extra(repeat("[", depth - 1) + repeat("]", depth - 1)), {},
         "nesting exactly at the depth bound (" + decimal(depth) + "), in an unknown member");
    emit_malformed("depth-" + decimal(depth + 1),
                   with_extra(repeat("[", depth) + repeat("]", depth)), constraint::depth,
                   "nesting one level past the depth bound (" + decimal(depth) + ")");
    emit_malformed("depth-objects-" + decimal(depth + 1),
                   with_extra(repeat("{\"a\":", depth) + "1" + repeat("}", depth)), constraint::depth,
                   "objects nested one level past the depth bound (" + decimal(depth) + ")");

    // Unknown members: ignored, or errors under --strict.
    const std::string unknown = with_extra("{\"y\":[1,true,null,\"z\",{\"w\":1e400}]}");
    emit("valid-unknown-member", unknown, {}, "an unknown member (ignored, a note)");
    emit("unknown_member-strict", unknown,
         {{"/" + extra, constraint::unknown_member, ""}}, "an unknown member under --strict", true);
    for (const std::string_view v : {"1e400", "-0.0", "123456789012345678901234567890", "1E-400"}) {
      emit("valid-unknown-number-" + std::string(v), with_extra(v), {},
           "a number no integer type holds, in an unknown member: " + std::string(v));
    }

    // Duplicates: a SerializationException wherever they are.
    for (const member& m : root_.members) {
      if (!m.required) continue;
      const std::string dup = quoted(m.name) + ":" + builder_.minimal(*m.target);
      emit("duplicate_member-" + m.name, with_member(base, dup),
           {{"/" + m.name, constraint::duplicate_member, ""}},
           m.name + " written twice with the same value");
      break;
    }
    emit("duplicate_member-unknown", with_extra("{\"a\":1,\"a\":2}"),
         {{"/" + extra + "/a", constraint::duplicate_member, ""}},
         "a duplicate member inside an unknown member");
    for (const route& r : routes_) {
      if (r.is_root() || r.target->type != shape_type::structure) continue;
      const shape& s = *r.target;
      const std::string inner = builder_.minimal(s);
      for (const member& m : s.members) {
        if (!m.required) continue;
        const std::string dup = quoted(m.name) + ":" + builder_.minimal(*m.target);
        emit("duplicate_member-" + r.label + "." + m.name,
             builder_.with(root_, r, with_member(inner, dup)),
             {{r.pointer + "/" + m.name, constraint::duplicate_member, ""}},
             r.label + "." + m.name + " written twice");
        break;
      }
      const std::string name = unknown_name(s);
      const std::string with_unknown = builder_.with(root_, r, with_member(inner, quoted(name) + ":1"));
      emit("valid-unknown-member-" + r.label, with_unknown, {},
           "an unknown member in " + r.label + " (ignored)");
      emit("unknown_member-strict-" + r.label, with_unknown,
           {{r.pointer + "/" + name, constraint::unknown_member, ""}},
           "an unknown member in " + r.label + " under --strict", true);
    }
  }

  const model::service_model& model_;
  const shape& root_;
  const std::function<void(corpus_item&)>& each_;
  std::vector<route> routes_;
  std::array<std::vector<gen::site>, std::size(faults)> sites_;
  builder builder_;
  std::set<std::string> seen_;
};

}  // namespace

void make_corpus(const model::service_model& m, const corpus_settings& settings,
                 const std::function<void(corpus_item&)>& each) {
  corpus_maker maker(m, each);
  if (settings.boundary_set) maker.boundary_set(settings.size_hazard);
  maker.random(settings);
}

std::string corpus_file_name(std::size_t index, std::string_view tag) {
  std::string name = std::to_string(index);
  if (name.size() < 6) name.insert(0, 6 - name.size(), '0');
  name += '-';
  for (char c : tag.substr(0, 96)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    name += keep ? c : '_';
  }
  name += ".json";
  return name;
}

std::string manifest_line(std::string_view file, std::string_view revision, const corpus_item& item) {
  std::string out = "{\"file\":";
  json_string(out, file);
  out += ",\"revision\":";
  json_string(out, revision);
  out += ",\"expect\":";
  json_string(out, to_string(item.expect));
  out += ",\"exception\":";
  if (item.exception.empty()) {
    out += "null";
  } else {
    json_string(out, item.exception);
  }
  out += ",\"errors\":[";
  for (std::size_t i = 0; i < item.errors.size(); ++i) {
    const expected_error& e = item.errors[i];
    if (i) out += ',';
    out += "{\"pointer\":";
    json_string(out, e.pointer);
    out += ",\"constraint\":";
    json_string(out, to_string(e.kind));
    out += ",\"bound\":";
    json_string(out, e.bound);
    out += '}';
  }
  out += "],\"why\":";
  json_string(out, item.why);
  if (item.strict) out += ",\"strict\":true";
  out += "}\n";
  return out;
}

}  // namespace spe::cli
