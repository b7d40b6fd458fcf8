// Fuzz target `structured`: request bodies mutated at the level of members,
// not bytes, so that the fuzzer lives among bodies the validator reads deeply
// instead of among texts its JSON reader refuses at byte 3.
//
// The input is a request body (now and then a response or an error body).
// LLVMFuzzerTestOneInput judges it exactly as the `validate` target does
// (judge_checks.hpp), and as a response and an error body under one
// revision. LLVMFuzzerCustomMutator
// parses the input with spe's strict reader into a small editable tree,
// picks a revision, finds each value's model shape by walking the tree along
// the model, applies one to three of these, and serializes the result:
//   - replace a value with a boundary or near-miss value drawn by spe::gen
//     from the model and the very pattern trees the validator compiles:
//     strings of length min-1, min, max, max+1, matching or one edit away
//     from matching; integers at min-1, min, max, max+1 and at the int32 and
//     int64 edges; lists resized to their count bounds; a whole valid
//     structure, or shaped noise (gen::valid, gen::noisy);
//   - drop, duplicate or reorder members; insert an unknown member, a model
//     member of another structure, or a missing member of this one;
//   - change a value's JSON type (null, boolean, fraction, string, list,
//     object, a number past int64, a null list element, deep nesting);
//   - re-spell the text (whitespace, \u escapes) with gen::spell;
//   - put a JSON hazard in the text (BOM, bad UTF-8, trailing bytes, a cut).
// Now and then the serialized text also goes through libFuzzer's own byte
// mutator, and an input that is not JSON is mutated by bytes or replaced by
// a fresh body (gen::valid), so the malformed branches stay reachable. An
// empty input (libFuzzer's first, with an empty corpus) becomes a valid body.
// LLVMFuzzerCustomCrossOver grafts a value (member or element) of one body
// into the other.
//
// Randomness: the seed libFuzzer passes, through gen::seeded_source, so a
// mutation is reproducible from (input, seed).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge_checks.hpp"
#include "spe/gen.hpp"
#include "spe/json.hpp"

// libFuzzer's byte mutator. Weak: the replay main and engines without it
// (AFL, honggfuzz under OSS-Fuzz) leave it null, and bytes() stands in.
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                                             std::size_t max_size);

namespace {

using spe::model::shape;
using spe::model::shape_type;

// ---- an editable JSON tree -------------------------------------------------

// An object's members and an array's elements are both `items`; a member
// carries its name in `key`.
struct jvalue {
  spe::json::kind type = spe::json::kind::null;
  std::string text;  // string: unescaped UTF-8; number: its spelling; boolean: "true"/"false"
  std::string key;   // as a member of an object: its name
  std::vector<jvalue> items;
};

jvalue from_tape(const spe::json::document& d, std::uint32_t i) {
  const spe::json::node& n = d[i];
  jvalue v;
  v.type = n.type;
  switch (n.type) {
    case spe::json::kind::null: break;
    case spe::json::kind::boolean: v.text = n.boolean ? "true" : "false"; break;
    case spe::json::kind::number:
    case spe::json::kind::string: v.text = std::string(n.text); break;
    case spe::json::kind::array:
    case spe::json::kind::object:
      for (std::uint32_t c = i + 1; c < n.end; c = d[c].end) {
        v.items.push_back(from_tape(d, c));
        if (n.type == spe::json::kind::object) v.items.back().key = std::string(d[c].key);
      }
      break;
  }
  return v;
}

std::optional<jvalue> parse(std::string_view text) {
  spe::json::reader reader;
  spe::json::document doc;
  spe::json::options o;
  o.max_depth = 256;
  if (reader.read(text, o, doc).code != spe::json::error_code::ok) return std::nullopt;
  return from_tape(doc, 0);
}

void write(const jvalue& v, std::string& out) {
  switch (v.type) {
    case spe::json::kind::null: out += "null"; return;
    case spe::json::kind::boolean:
    case spe::json::kind::number: out += v.text; return;
    case spe::json::kind::string: spe::json::append_string(out, v.text); return;
    case spe::json::kind::array:
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        write(v.items[i], out);
      }
      out += ']';
      return;
    case spe::json::kind::object:
      out += '{';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ',';
        spe::json::append_string(out, v.items[i].key);
        out += ':';
        write(v.items[i], out);
      }
      out += '}';
      return;
  }
}

jvalue scalar(spe::json::kind k, std::string text) {
  jvalue v;
  v.type = k;
  v.text = std::move(text);
  return v;
}

// Puts `n` where `v` is, keeping v's member name.
void replace(jvalue& v, jvalue n) {
  n.key = std::move(v.key);
  v = std::move(n);
}

jvalue string_value(std::string text) { return scalar(spe::json::kind::string, std::move(text)); }
jvalue number_value(std::int64_t n) { return scalar(spe::json::kind::number, std::to_string(n)); }

// ---- values located in the model ---------------------------------------------

struct place {
  jvalue* value = nullptr;
  const shape* modelled = nullptr;  // null: unknown member or beyond the model
};

void collect(jvalue& v, const shape* s, std::vector<place>& out, unsigned depth) {
  out.push_back({&v, s});
  if (depth > 64) return;
  if (v.type == spe::json::kind::object) {
    for (jvalue& child : v.items) {
      const shape* cs = nullptr;
      if (s && s->type == shape_type::structure) {
        const int k = s->find_member(child.key);
        if (k >= 0) cs = s->members[static_cast<std::size_t>(k)].target;
      }
      collect(child, cs, out, depth + 1);
    }
  } else if (v.type == spe::json::kind::array) {
    const shape* es = s && s->type == shape_type::list ? s->element : nullptr;
    for (jvalue& item : v.items) collect(item, es, out, depth + 1);
  }
}

class mutator {
 public:
  mutator(unsigned seed, const spe::model::service_model& m) : src_(seed), model_(m) {}

  std::uint64_t below(std::uint64_t n) { return src_.choice(n); }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  spe::gen::source& source() { return src_; }

  // A body drawn by the generators (valid or noisy): mostly a request, now
  // and then a response or an error body.
  std::string fresh_body() {
    const shape* root = model_.input();
    const std::uint64_t k = below(8);
    if (k == 0 && model_.output()) root = model_.output();
    if (k == 1 && !model_.errors().empty()) root = model_.errors()[below(model_.errors().size())];
    if (!one_in(4)) {
      if (auto b = spe::gen::valid(model_, *root, src_, {}, 2048)) return b->json;
    }
    return spe::gen::noisy(*root, src_);
  }

  // What the body is: an error body names its type, a response holds the
  // output's members; anything else is taken as a request.
  const shape* root_shape(const jvalue& root) const {
    if (root.type != spe::json::kind::object) return model_.input();
    for (const jvalue& m : root.items) {
      if (m.key == "__type" && m.type == spe::json::kind::string) {
        std::string_view t = m.text;
        if (auto hash = t.rfind('#'); hash != std::string_view::npos) t.remove_prefix(hash + 1);
        if (auto colon = t.find(':'); colon != std::string_view::npos) t = t.substr(0, colon);
        if (const shape* e = model_.find_error(t)) return e;
      }
      if (model_.output() && model_.output()->find_member(m.key) >= 0 && model_.input()->find_member(m.key) < 0) {
        return model_.output();
      }
    }
    return model_.input();
  }

  void mutate(jvalue& root) {
    const shape* root_s = root_shape(root);
    const std::uint64_t rounds = 1 + below(3);
    for (std::uint64_t r = 0; r < rounds; ++r) {
      std::vector<place> places;
      collect(root, root_s, places, 0);
      place& p = places[below(places.size())];
      step(*p.value, p.modelled, root);
    }
  }

 private:
  // A value of `s` from the generators, parsed into the tree.
  std::optional<jvalue> generated(const shape& s) {
    std::string text;
    if (s.type == shape_type::structure) {
      auto b = spe::gen::valid(model_, s, src_, {}, 1024);
      text = b && !one_in(3) ? b->json : spe::gen::noisy(s, src_);
    } else {
      text = spe::gen::noisy(s, src_);
    }
    return parse(text);
  }

  std::int64_t length_target(const shape& s) {
    const std::int64_t lo = s.has_min ? s.min : 0;
    const std::int64_t hi = s.has_max ? s.max : lo + 64;
    switch (below(7)) {
      case 0: return lo - 1;
      case 1: return lo;
      case 2: return lo + 1;
      case 3: return hi - 1;
      case 4: return hi;
      case 5: return hi + 1;
      default: return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 2));
    }
  }

  // A boundary or near-miss value for a modelled value.
  std::optional<jvalue> boundary(const shape& s) {
    switch (s.type) {
      case shape_type::string: {
        const std::int64_t len = length_target(s);
        if (len < 0) return string_value("");
        const auto n = static_cast<std::size_t>(len);
        if (s.regex) {
          if (one_in(3)) {
            const std::size_t lo = n > 2 ? n - 2 : 0;
            if (auto miss = spe::gen::near_miss_of(*s.regex, src_, lo, n + 2)) {
              return string_value(miss->text);
            }
          }
          if (auto hit = spe::gen::matching_exact(*s.regex, src_, n)) return string_value(*hit);
        }
        return string_value(spe::gen::text(src_, n));
      }
      case shape_type::integer:
      case shape_type::long_integer: {
        const bool is32 = s.type == shape_type::integer;
        const std::int64_t lo = s.has_min ? s.min : (is32 ? INT32_MIN : INT64_MIN);
        const std::int64_t hi = s.has_max ? s.max : (is32 ? INT32_MAX : INT64_MAX);
        switch (below(12)) {
          case 10: return number_value(std::int64_t{INT32_MIN} - 1);
          case 11: return scalar(spe::json::kind::number, "-9223372036854775809");
          case 0: return lo == INT64_MIN ? scalar(spe::json::kind::number, "-9223372036854775809")
                                         : number_value(lo - 1);
          case 1: return number_value(lo);
          case 2: return number_value(hi);
          case 3: return hi == INT64_MAX ? scalar(spe::json::kind::number, "9223372036854775808")
                                         : number_value(hi + 1);
          case 4: return number_value(INT32_MAX);
          case 5: return number_value(std::int64_t{INT32_MAX} + 1);
          case 6: return number_value(INT64_MIN);
          case 7: return scalar(spe::json::kind::number, "-0");
          case 8: return number_value(0);
          default: return number_value(lo + static_cast<std::int64_t>(below(16)));
        }
      }
      case shape_type::list: {
        const std::int64_t count = std::min<std::int64_t>(length_target(s), 260);
        jvalue list;
        list.type = spe::json::kind::array;
        for (std::int64_t i = 0; i < count; ++i) {
          if (i > 0 && !one_in(8)) {
            list.items.push_back(list.items.back());  // cheap: copies are fine
            continue;
          }
          auto e = generated(*s.element);
          if (!e) break;
          list.items.push_back(std::move(*e));
        }
        return list;
      }
      case shape_type::structure: return generated(s);
    }
    return std::nullopt;
  }

  jvalue wrong_type() {
    switch (below(12)) {
      case 0: return scalar(spe::json::kind::null, "");
      case 1: return scalar(spe::json::kind::boolean, one_in(2) ? "true" : "false");
      case 2: return scalar(spe::json::kind::number, "1.5");
      case 3: return scalar(spe::json::kind::number, "1e2");
      case 4: return scalar(spe::json::kind::number, "123456789012345678901234567890");
      case 5: return string_value("s");
      case 6: {
        jvalue a;
        a.type = spe::json::kind::array;
        if (one_in(2)) a.items.push_back(scalar(spe::json::kind::null, ""));
        return a;
      }
      case 7: {
        jvalue o;
        o.type = spe::json::kind::object;
        return o;
      }
      case 8: {
        // Deeper than the default depth bound (64).
        jvalue v = scalar(spe::json::kind::number, "1");
        const std::uint64_t levels = 60 + below(10);
        for (std::uint64_t i = 0; i < levels; ++i) {
          jvalue a;
          a.type = spe::json::kind::array;
          a.items.push_back(std::move(v));
          v = std::move(a);
        }
        return v;
      }
      case 9: return number_value(static_cast<std::int64_t>(below(3)) - 1);
      case 10: return scalar(spe::json::kind::number, "-1e400");
      default: return string_value(spe::gen::text(src_, below(8)));
    }
  }

  std::string member_name(const shape* s) {
    switch (below(6)) {
      case 0: {
        // A member of some structure of the model (maybe this one: a duplicate).
        const auto all = model_.shapes();
        const shape* other = all[below(all.size())];
        if (other->type == shape_type::structure && !other->members.empty()) {
          return other->members[below(other->members.size())].name;
        }
        return "Unknown";
      }
      case 1:
        if (s && s->type == shape_type::structure && !s->members.empty()) {
          return s->members[below(s->members.size())].path_name;  // wrong case
        }
        return "pipelineName";
      case 2: return "__type";
      case 3: return "";
      case 4: return "x~/" + spe::gen::text(src_, below(4));
      default: return "Unknown" + std::to_string(below(4));
    }
  }

  void step(jvalue& v, const shape* s, jvalue& root) {
    switch (below(11)) {
      case 0:
      case 1:
      case 2:
        if (s) {
          if (auto b = boundary(*s)) replace(v, std::move(*b));
          return;
        }
        [[fallthrough]];
      case 3: replace(v, wrong_type()); return;
      case 4:  // drop a member or an element
        if (!v.items.empty()) v.items.erase(v.items.begin() + static_cast<std::ptrdiff_t>(below(v.items.size())));
        return;
      case 5:  // duplicate a member or an element (the copy keeps the key)
        if (!v.items.empty()) {
          jvalue copy = v.items[below(v.items.size())];
          v.items.insert(v.items.begin() + static_cast<std::ptrdiff_t>(below(v.items.size() + 1)),
                         std::move(copy));
        }
        return;
      case 6:  // reorder
        for (std::size_t i = v.items.size(); i > 1; --i) std::swap(v.items[i - 1], v.items[below(i)]);
        return;
      case 7:  // an unknown member, or one from elsewhere in the model
        if (v.type == spe::json::kind::object) {
          jvalue m = one_in(2) ? wrong_type() : string_value("v");
          m.key = member_name(s);
          v.items.push_back(std::move(m));
        }
        return;
      case 8:  // a missing member of this structure, valid or at a bound
        if (v.type == spe::json::kind::object && s && s->type == shape_type::structure &&
            !s->members.empty()) {
          const auto& m = s->members[below(s->members.size())];
          std::optional<jvalue> value = one_in(2) ? boundary(*m.target) : generated(*m.target);
          if (value) {
            value->key = m.name;
            v.items.push_back(std::move(*value));
          }
        }
        return;
      case 9:  // a null list element, or a null member
        if (v.type == spe::json::kind::array) {
          v.items.insert(v.items.begin() + static_cast<std::ptrdiff_t>(below(v.items.size() + 1)),
                         scalar(spe::json::kind::null, ""));
        } else if (!v.items.empty()) {
          replace(v.items[below(v.items.size())], scalar(spe::json::kind::null, ""));
        }
        return;
      default:  // string content: a line terminator, an astral or control character
        if (v.type == spe::json::kind::string) {
          static constexpr std::string_view bits[] = {"\n", "\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9",
                                                      "\xF0\x9F\x98\x80", "\x01", "-", "_", " "};
          const std::size_t at = below(v.text.size() + 1);
          // Only at code point boundaries: the text stays UTF-8.
          if (at == v.text.size() || (static_cast<unsigned char>(v.text[at]) & 0xC0) != 0x80) {
            v.text.insert(at, bits[below(std::size(bits))]);
          }
        } else if (&v == &root) {
          replace(v, wrong_type());
        }
        return;
    }
  }

  spe::gen::seeded_source src_;
  const spe::model::service_model& model_;
};

// One of the JSON hazards of SPEC.md section 2, in the serialized text: a
// byte order mark, ill-formed UTF-8, a trailing comma or trailing content,
// a cut, a comment.
void hazard(std::string& text, mutator& mut) {
  const std::size_t at = mut.below(text.size() + 1);
  switch (mut.below(7)) {
    case 0: text.insert(0, "\xEF\xBB\xBF"); return;
    case 1: text.insert(at, mut.one_in(2) ? "\xC0\xAF" : "\xED\xA0\x80"); return;
    case 2: text += mut.one_in(2) ? " {}" : "x"; return;
    case 3: text.resize(at); return;
    case 4: {
      const std::size_t close = text.rfind('}');
      if (close != std::string::npos && close > 1) text.insert(close, ",");
      return;
    }
    case 5: text.insert(at, "/**/"); return;
    default: text.insert(at, "\"\\u"); return;
  }
}

// Byte-level mutation: libFuzzer's when linked, else one byte flipped.
std::size_t bytes(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
  if (LLVMFuzzerMutate) return LLVMFuzzerMutate(data, size, max_size);
  if (size == 0) return 0;
  data[seed % size] = static_cast<std::uint8_t>(data[seed % size] ^ (1u << (seed % 8)));
  return size;
}

std::size_t emit(const std::string& text, std::uint8_t* data, std::size_t max_size) {
  if (text.size() > max_size) return 0;
  std::memcpy(data, text.data(), text.size());
  return text.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  spe::fuzz::judge_everywhere(body, spe::body_kind::request);
  // The same bytes as a response and as an error body, under one revision
  // (the mutator makes those too), so that every branch of the validator is
  // in reach; the `response` and `error` targets check them everywhere.
  const auto& revisions = spe::fuzz::revisions();
  const std::size_t r = spe::fuzz::hash_bytes(body) % revisions.size();
  const spe::model::service_model& m = *revisions[r];
  spe::validator& v = spe::fuzz::second(r);  // this input's: see input_state
  for (spe::body_kind kind : {spe::body_kind::response, spe::body_kind::error}) {
    spe::options plain;
    plain.body = kind;
    for (const spe::options& o : {plain, spe::fuzz::variant_for(body, kind)}) {
      const spe::judgement& j = v.judge(body, o);
      spe::fuzz::check_judgement(j, body, m, o);
      if (j.result == spe::verdict::valid) spe::fuzz::check_round_trip(v, v, body, o);
    }
  }
  spe::fuzz::end_input();
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  const auto& revisions = spe::fuzz::revisions();
  mutator mut(seed, *revisions[seed % revisions.size()]);
  std::optional<jvalue> tree;
  if (size > 0 && size <= spe::fuzz::max_input) {
    tree = parse(std::string_view(reinterpret_cast<const char*>(data), size));
  }
  if (!tree) {
    // Not JSON (or empty): mutate its bytes, or start over from the model.
    if (size > 0 && !mut.one_in(4)) return bytes(data, size, max_size, seed);
    const std::size_t n = emit(mut.fresh_body(), data, max_size);
    return n ? n : bytes(data, size, max_size, seed);
  }
  mut.mutate(*tree);
  std::string text;
  write(*tree, text);
  if (mut.one_in(8)) {
    spe::gen::spelling how;
    how.whitespace = mut.one_in(2);
    how.escapes = true;
    how.reorder = mut.one_in(2);
    text = spe::gen::spell(text, mut.source(), how);
  }
  if (mut.one_in(12)) hazard(text, mut);
  std::size_t n = emit(text, data, max_size);
  if (n == 0) return bytes(data, size, max_size, seed);
  // Now and then bytes on top, for the reader's own branches.
  if (mut.one_in(10)) n = bytes(data, n, max_size, seed);
  return n;
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1,
                                                 const std::uint8_t* data2, std::size_t size2,
                                                 std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned int seed) {
  const auto& revisions = spe::fuzz::revisions();
  mutator mut(seed, *revisions[seed % revisions.size()]);
  std::optional<jvalue> a;
  std::optional<jvalue> b;
  if (size1 <= spe::fuzz::max_input) a = parse(std::string_view(reinterpret_cast<const char*>(data1), size1));
  if (size2 <= spe::fuzz::max_input) b = parse(std::string_view(reinterpret_cast<const char*>(data2), size2));
  if (!a || !b) {
    // Splice bytes: a prefix of one and a suffix of the other.
    const std::size_t cut1 = size1 ? mut.below(size1 + 1) : 0;
    const std::size_t cut2 = size2 ? mut.below(size2 + 1) : 0;
    const std::size_t n = std::min(max_out_size, cut1 + (size2 - cut2));
    const std::size_t first = std::min(cut1, n);
    if (first) std::memcpy(out, data1, first);
    if (n > first) std::memcpy(out + first, data2 + cut2, n - first);
    return n;
  }
  std::vector<place> to;
  std::vector<place> from;
  collect(*a, nullptr, to, 0);
  collect(*b, nullptr, from, 0);
  jvalue& target = *to[mut.below(to.size())].value;
  const jvalue& graft = *from[mut.below(from.size())].value;
  if (target.type == spe::json::kind::object && graft.type == spe::json::kind::object && mut.one_in(2)) {
    // Merge: the other object's members join this one's.
    for (const jvalue& m : graft.items) target.items.push_back(m);
  } else {
    replace(target, graft);
  }
  std::string text;
  write(*a, text);
  return emit(text, out, max_out_size);
}
