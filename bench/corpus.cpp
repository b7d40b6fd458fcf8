// Builds the benchmark corpus (corpus.hpp) from the model with spe::gen.
//
// Small and large valid bodies are assembled here, member by member from
// the model, because gen::valid draws lengths biased toward both bounds and
// the corpus wants two distinct populations; their strings still come from
// gen (gen::matching on the pattern's automaton, gen::text for free text)
// or, for text_style::prose, from prose() below. Single-fault bodies are
// gen::single_fault's own, with its predicted verdict; for prose, prose()
// is its free-text drawer (gen::spelling::free_text), so their free text is
// prose as well. One seeded_source drives everything, so the corpus is the
// same on every machine.
#include "corpus.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>

#include "spe/gen.hpp"

namespace spe::bench {

std::size_t corpus::count(body_class c) const noexcept {
  return static_cast<std::size_t>(std::count(classes.begin(), classes.end(), c));
}

namespace {

// Free text for a string without an upper bound is kept to this length.
constexpr std::int64_t unbounded_text = 64;
// Strings allowed this many code points or more are long free text (the
// description, parameter values); a large body draws them anywhere up to
// their maximum. Shorter ones are identifiers and tokens (names, display
// names), which stay typical in size even in a large request.
constexpr std::int64_t long_text = 1024;
// A small body's strings are at most this much longer than their minimum,
// and its lists hold at most this many elements more than their minimum.
constexpr std::int64_t small_string_span = 40;
constexpr std::int64_t small_list_span = 5;

std::int64_t draw_between(gen::source& s, std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<std::int64_t>(s.choice(static_cast<std::uint64_t>(hi - lo + 1)));
}

// One code point of a word in `script` (0 ASCII Latin, 1 accented Latin,
// 2 Cyrillic, 3 CJK): lower-case letters, and ideographs for CJK.
char32_t letter(gen::source& s, std::uint64_t script) {
  switch (script) {
    case 0: return static_cast<char32_t>(U'a' + s.choice(26));
    case 1: return static_cast<char32_t>(0xE0 + s.choice(0x1F));  // U+00E0..U+00FE but U+00F7
    case 2: return static_cast<char32_t>(0x430 + s.choice(32));
    default: return static_cast<char32_t>(0x4E00 + s.choice(0x5200));
  }
}

// Exactly n code points of prose (text_style::prose), valid UTF-8: a
// gen::text_drawer, so gen::single_fault draws its free text with it too.
std::string prose(gen::source& s, std::size_t n) {
  static constexpr char32_t punctuation[] = {U',', U'.', U';', U':', U'!', U'?', U'(', U')', U'-'};
  // Characters JSON escapes, one in a hundred words or so.
  static constexpr char32_t escaped[] = {U'"', U'\\', U'\t', U'/'};
  std::string out;
  std::size_t count = 0;
  const auto put = [&](char32_t cp) {
    if (count < n) {
      gen::append_utf8(out, cp == 0xF7 ? char32_t{0xE9} : cp);
      ++count;
    }
  };
  while (count < n) {
    const std::uint64_t roll = s.choice(100);
    if (roll < 3) {
      put(0x1F600 + static_cast<char32_t>(s.choice(0x50)));  // an emoji
    } else {
      // Mostly Latin; a word in another script now and then.
      const std::uint64_t script = roll < 70 ? 0 : roll < 82 ? 1 : roll < 92 ? 2 : 3;
      const std::uint64_t length = 1 + s.choice(script == 3 ? 4 : 9);
      for (std::uint64_t i = 0; i < length; ++i) put(letter(s, script));
    }
    const std::uint64_t sep = s.choice(100);
    if (sep < 8) put(punctuation[s.choice(std::size(punctuation))]);
    if (sep == 99) put(escaped[s.choice(std::size(escaped))]);
    put(U' ');
  }
  return out;
}

class builder {
 public:
  builder(gen::source& s, bool large, text_style text) : s_(s), large_(large), text_(text) {}

  bool value(const model::shape& shape, std::string& out, std::string& why) {
    switch (shape.type) {
      case model::shape_type::structure: return structure(shape, out, why);
      case model::shape_type::list: return list(shape, out, why);
      case model::shape_type::string: return string(shape, out, why);
      case model::shape_type::integer:
      case model::shape_type::long_integer: {
        const std::int64_t lo = shape.has_min ? shape.min : 0;
        const std::int64_t hi = shape.has_max ? shape.max : lo + 1000;
        out += std::to_string(draw_between(s_, lo, hi));
        return true;
      }
    }
    return false;
  }

 private:
  bool structure(const model::shape& shape, std::string& out, std::string& why) {
    out += '{';
    bool first = true;
    for (const model::member& m : shape.members) {
      if (!m.required && !large_ && s_.choice(2) == 0) continue;
      if (!first) out += ',';
      first = false;
      json::append_string(out, m.name);
      out += ':';
      if (!value(*m.target, out, why)) return false;
    }
    out += '}';
    return true;
  }

  bool list(const model::shape& shape, std::string& out, std::string& why) {
    const std::int64_t lo = shape.has_min ? shape.min : 0;
    const std::int64_t hi = shape.has_max ? shape.max : lo + 2 * small_list_span;
    const std::int64_t n = large_ ? draw_between(s_, lo + (hi - lo) / 2, hi)
                                  : draw_between(s_, lo, std::min(hi, lo + small_list_span));
    out += '[';
    for (std::int64_t i = 0; i < n; ++i) {
      if (i) out += ',';
      if (!value(*shape.element, out, why)) return false;
    }
    out += ']';
    return true;
  }

  bool string(const model::shape& shape, std::string& out, std::string& why) {
    const std::int64_t lo = shape.has_min ? shape.min : 0;
    const std::int64_t hi = shape.has_max ? shape.max : lo + unbounded_text;
    const bool long_text_field = shape.has_max && shape.max >= long_text;
    const std::int64_t top = large_ && long_text_field ? hi : std::min(hi, lo + small_string_span);
    if (text_ == text_style::prose) {
      // Prose where the pattern allows it (free text: `.*`); names and
      // ARNs keep their pattern's own strings.
      std::string candidate = prose(s_, static_cast<std::size_t>(draw_between(s_, lo, top)));
      if (!shape.regex || shape.regex->matcher.full_match(candidate)) {
        json::append_string(out, candidate);
        return true;
      }
    }
    if (shape.regex) {
      // Long drawn ranges for large bodies: anywhere in [lo, hi]; gen biases
      // toward both ends as well.
      auto text = gen::matching(*shape.regex, s_, static_cast<std::size_t>(lo),
                                static_cast<std::size_t>(top));
      if (!text) {
        why = "gen::matching found no string for " + shape.name;
        return false;
      }
      json::append_string(out, *text);
      return true;
    }
    json::append_string(out, gen::text(s_, static_cast<std::size_t>(draw_between(s_, lo, top))));
    return true;
  }

  gen::source& s_;
  bool large_;
  text_style text_;
};

// The faults a request body can carry as a verdict of its own; an unknown
// member is an error only under --strict, and the peers judge by default.
constexpr std::array<gen::fault, 11> request_faults = {
    gen::fault::required_missing, gen::fault::required_null, gen::fault::length_below,
    gen::fault::length_above,     gen::fault::pattern,       gen::fault::count_below,
    gen::fault::count_above,      gen::fault::value_below,   gen::fault::value_above,
    gen::fault::wrong_type,       gen::fault::duplicate_member,
};

void add(corpus& c, std::string json, verdict expect, body_class cls, std::string label) {
  std::string body;
  body.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  body.assign(json);
  c.bytes += body.size();
  c.bodies.push_back(std::move(body));
  c.expect.push_back(expect);
  c.classes.push_back(cls);
  c.labels.push_back(std::move(label));
}

}  // namespace

std::optional<corpus> make_corpus(const model::service_model& m, const corpus_options& opts,
                                  std::string& why) {
  const model::shape* root = m.input();
  if (!root) {
    why = "the model has no input shape";
    return std::nullopt;
  }
  std::vector<gen::fault> faults;
  for (const gen::fault f : request_faults) {
    if (!gen::sites(m, *root, f).empty()) faults.push_back(f);
  }

  // The single-fault bodies' free text is drawn as the valid bodies' is:
  // gen::text for hazard (the spelling gen uses by default), prose() for
  // prose. Their spelling is otherwise gen's plain one.
  gen::spelling fault_spelling;
  if (opts.text == text_style::prose) fault_spelling.free_text = &prose;

  gen::seeded_source s(opts.seed);
  corpus c;
  c.bodies.reserve(opts.bodies);
  std::size_t misses = 0;
  while (c.bodies.size() < opts.bodies) {
    const std::uint64_t roll = s.choice(100);
    if (roll < opts.fault_percent && !faults.empty()) {
      const gen::fault f = faults[s.choice(faults.size())];
      auto b = gen::single_fault(m, *root, f, s, fault_spelling);
      if (!b) {
        // A site whose fault cannot be made with these draws: draw again,
        // but not forever.
        if (++misses > 1000) {
          why = "gen::single_fault keeps failing (" + std::string(gen::to_string(f)) + ")";
          return std::nullopt;
        }
        continue;
      }
      std::string label = "fault:" + std::string(gen::to_string(f));
      if (!b->errors.empty()) {
        // The place, with list indices as '*', so that labels group.
        label += ' ';
        bool digits = false;
        for (const char ch : b->errors.front().pointer) {
          const bool digit = ch >= '0' && ch <= '9';
          if (!digit) label += ch;
          if (digit && !digits) label += '*';
          digits = digit;
        }
      }
      add(c, std::move(b->json), b->expect, body_class::fault, std::move(label));
      continue;
    }
    const bool large = roll < opts.fault_percent + opts.large_percent;
    std::string json;
    if (!builder(s, large, opts.text).value(*root, json, why)) return std::nullopt;
    add(c, std::move(json), verdict::valid, large ? body_class::large : body_class::small,
        large ? "large" : "small");
  }
  return c;
}

}  // namespace spe::bench
