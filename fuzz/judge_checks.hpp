// The invariants of one judgement, shared by the targets that feed bodies
// to the validator (validate, structured, response, error, roundtrip).
//
// judge_everywhere(body, kind) judges the bytes against every built-in
// revision, and for one revision also with a second validator of another
// history (it has just judged the same body under other options) and, for
// one input in 8, with a validator that has just judged a longer body; and
// checks:
//   - exactly one verdict, and the fields that go with it: valid has no
//     exception, message or errors; malformed is one SerializationException
//     of kind syntax/utf8/depth/size; invalid is either one
//     SerializationException or a ValidationException whose message is
//     "N validation error(s) detected: " + the first N items joined by "; ",
//     N = min(errors, 10) -- the count word agrees with the items listed;
//   - every diagnostic is well formed (kind in range, offset inside the
//     body, pointer empty or starting with '/', item text naming its path);
//   - each ValidationException item is true of the body as simdjson's DOM
//     reads it (check_items_hold: the value exists, and its length, count
//     or integer breaks the bound; a missing member is absent or null; the
//     item prints a null value unquoted and a string raw and whole);
//   - the validators give the same judgement, field by field, one of them
//     reading the body in place from a padded buffer (judge(padded_view))
//     with the canonical form and typed value of the copying read;
//   - options change what they may and nothing else: the malformed verdict
//     does not depend on strict/duplicates, strict adds unknown members as
//     errors, a deeper depth bound changes only too-deep verdicts, a body
//     past a tight size bound is malformed by size;
//   - an accepted body survives the canonical round trip: its canonical form
//     is accepted (even under --strict), is a fixed point, and has the same
//     typed value.
// Options beyond the defaults are picked from a hash of the body, so a
// given input always takes the same path (replays reproduce).
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "check.hpp"
#include "support/judgements.hpp"
#include "spe/model.hpp"
#include "spe/validate.hpp"

namespace spe::fuzz {

using spe::testing::aws_item_cap;
using spe::testing::is_malformed_kind;
using spe::testing::same_judgement;

// The built-in revisions, loaded once (immutable: no state across inputs).
inline const std::array<const model::service_model*, 3>& revisions() {
  static const std::array<const model::service_model*, 3> all = [] {
    std::array<const model::service_model*, 3> r{};
    const auto names = model::builtin_revisions();
    SPE_FUZZ_CHECK(names.size() == r.size(), "the fuzzers know three built-in revisions");
    for (std::size_t i = 0; i < r.size(); ++i) {
      r[i] = model::builtin(names[i]);
      SPE_FUZZ_CHECK(r[i] != nullptr, "built-in revision " + std::string(names[i]) + " loads");
    }
    return r;
  }();
  return all;
}

inline std::string describe(const judgement& j) {
  std::string out = std::string(to_string(j.result)) + " " + std::string(j.exception) + " \"" +
                    printable(j.message, 300) + "\" errors:";
  for (const diagnostic& d : j.errors) {
    out += " [" + std::string(to_string(d.kind)) + " " + d.pointer + " @" +
           std::to_string(d.offset) + "]";
  }
  out += " notes: " + std::to_string(j.notes.size());
  return out;
}

inline std::string context(std::string_view what, std::string_view body,
                           const model::service_model& m, const options& o) {
  return std::string(what) + " (revision " + std::string(m.revision()) + ", strict " +
         (o.strict ? "on" : "off") + ", duplicates " +
         std::to_string(static_cast<int>(o.duplicates)) + ", kind " +
         std::to_string(static_cast<int>(o.body)) + ", max_size " +
         std::to_string(o.limits.max_size) + ", max_depth " + std::to_string(o.limits.max_depth) +
         ") on body: " + printable(body);
}

inline bool is_validation_kind(constraint k, bool strict) {
  switch (k) {
    case constraint::required:
    case constraint::length_min:
    case constraint::length_max:
    case constraint::pattern:
    case constraint::count_min:
    case constraint::count_max:
    case constraint::value_min:
    case constraint::value_max: return true;
    case constraint::unknown_member: return strict;
    default: return false;
  }
}

// `where` is a callable giving the context, called only on failure.
template <class Where>
void check_diagnostic(const diagnostic& d, std::string_view body, const Where& where) {
  SPE_FUZZ_CHECK(static_cast<std::size_t>(d.kind) < constraint_count && to_string(d.kind) != "?",
                 "diagnostic kind in range: " + where());
  SPE_FUZZ_CHECK(d.offset <= body.size(),
                 "diagnostic offset " + std::to_string(d.offset) + " inside the body: " + where());
  SPE_FUZZ_CHECK(d.pointer.empty() || d.pointer.front() == '/',
                 "pointer '" + printable(d.pointer) + "' is a JSON pointer: " + where());
  SPE_FUZZ_CHECK(!d.message.empty(), "diagnostic has a message: " + where());
}

// Whether the message of a ValidationException is "N validation error(s)
// detected: " followed by the first N items joined by "; ", N = min(errors,
// 10). Compared in place: this runs on every invalid body. The 10 is
// SPEC.md's (support/judgements.hpp), not the library's constant.
inline bool message_lists_items(const judgement& j) {
  const std::size_t n = j.errors.size() < aws_item_cap ? j.errors.size() : aws_item_cap;
  std::string_view m = j.message;
  std::size_t count = 0;
  const auto r = std::from_chars(m.data(), m.data() + m.size(), count);
  if (r.ec != std::errc() || count != n || count < 1 || count > aws_item_cap) return false;
  m.remove_prefix(static_cast<std::size_t>(r.ptr - m.data()));
  const std::string_view words = n == 1 ? " validation error detected: " : " validation errors detected: ";
  if (!m.starts_with(words)) return false;
  m.remove_prefix(words.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i) {
      if (!m.starts_with("; ")) return false;
      m.remove_prefix(2);
    }
    if (!m.starts_with(j.errors[i].message)) return false;
    m.remove_prefix(j.errors[i].message.size());
  }
  return m.empty();
}

inline void check_judgement(const judgement& j, std::string_view body, const model::service_model& m,
                            const options& o) {
  const auto where = [&] { return context(describe(j), body, m, o); };
  const std::string_view name = to_string(j.result);
  SPE_FUZZ_CHECK(name == "valid" || name == "invalid" || name == "malformed",
                 "the verdict is one of three: " + where());
  switch (j.result) {
    case verdict::valid:
      SPE_FUZZ_CHECK(j.exception.empty() && j.message.empty() && j.errors.empty(),
                     "a valid body has no exception, message or errors: " + where());
      break;
    case verdict::malformed:
      SPE_FUZZ_CHECK(j.exception == "SerializationException" && j.errors.size() == 1 &&
                         is_malformed_kind(j.errors[0].kind) && j.message == j.errors[0].message,
                     "malformed is one SerializationException of a JSON kind: " + where());
      break;
    case verdict::invalid:
      if (j.exception == "SerializationException") {
        SPE_FUZZ_CHECK(j.errors.size() == 1 && j.message == j.errors[0].message &&
                           !is_malformed_kind(j.errors[0].kind) &&
                           !is_validation_kind(j.errors[0].kind, true),
                       "a wrong shape is one SerializationException of kind type/duplicate: " +
                           where());
        break;
      }
      SPE_FUZZ_CHECK(j.exception == "ValidationException" && !j.errors.empty(),
                     "invalid is a Validation- or SerializationException: " + where());
      for (const diagnostic& d : j.errors) {
        SPE_FUZZ_CHECK(is_validation_kind(d.kind, o.strict),
                       "ValidationException items are constraint kinds: " + where());
        SPE_FUZZ_CHECK(d.message.starts_with("Value ") && d.message.find(d.path) != std::string::npos &&
                           d.message.find("' failed to satisfy constraint: ") != std::string::npos,
                       "item names its path: " + printable(d.message) + ": " + where());
      }
      SPE_FUZZ_CHECK(message_lists_items(j),
                     "message is the count word (<= 10, the items listed) and the first items "
                     "joined by '; ': " + where());
      break;
    default:
      fail(__FILE__, __LINE__, "verdict in range", where());
  }
  for (const diagnostic& d : j.errors) check_diagnostic(d, body, where);
  for (const diagnostic& d : j.notes) {
    check_diagnostic(d, body, where);
    SPE_FUZZ_CHECK(d.kind == constraint::unknown_member || d.kind == constraint::duplicate_member,
                   "notes are unknown or duplicate members: " + where());
    SPE_FUZZ_CHECK(d.kind != constraint::unknown_member || !o.strict,
                   "strict turns unknown members into errors, not notes: " + where());
    SPE_FUZZ_CHECK(d.kind != constraint::duplicate_member || o.duplicates != duplicate_policy::reject,
                   "duplicates are notes only when a policy resolves them: " + where());
  }
}

// Whether an item prints `text` as its value: "Value '<text>' at '...".
// Compared in place (this runs on every invalid body).
inline bool prints_value(std::string_view message, std::string_view text) {
  constexpr std::string_view open = "Value '";
  constexpr std::string_view close = "' at '";
  return message.starts_with(open) && message.substr(open.size()).starts_with(text) &&
         message.substr(open.size() + text.size()).starts_with(close);
}

// The validators of one input, two per revision, made when first asked for
// and destroyed by end_input(), which every target calls last: nothing a
// judgement leaves behind -- buffers grown by a long body, the stale bytes
// past a short one -- reaches the next input, so every finding replays from
// its own file (OSS-Fuzz and ClusterFuzzLite drop a crash that does not).
// Reuse is still tested, within the input: the second validator judges the
// body under other options before it reads it in place, and on one input
// in 8 a validator that has just judged a longer body (this one twice over,
// whose bytes then lie past this one's end) must judge as a new one does.
// The DOM parser of check_items_hold is the input's too.
struct input_state {
  std::array<std::optional<validator>, 3> first;
  std::array<std::optional<validator>, 3> second;
  std::optional<simdjson::dom::parser> dom;
};

inline input_state& this_input() {
  static input_state state;  // emptied by end_input(): holds nothing between inputs
  return state;
}

// The validator in `slot`, made for `revision` if this input has none yet.
inline validator& made(std::optional<validator>& slot, std::size_t revision) {
  if (!slot) slot.emplace(*revisions()[revision]);
  return *slot;
}

inline validator& first(std::size_t revision) { return made(this_input().first.at(revision), revision); }
inline validator& second(std::size_t revision) { return made(this_input().second.at(revision), revision); }

inline simdjson::dom::parser& input_dom() {
  std::optional<simdjson::dom::parser>& d = this_input().dom;
  if (!d) d.emplace();
  return *d;
}

// Frees everything the input made (libFuzzer re-runs under LeakSanitizer an
// input that mallocs more than it frees).
inline void end_input() {
  input_state& s = this_input();
  for (auto& v : s.first) v.reset();
  for (auto& v : s.second) v.reset();
  s.dom.reset();
}

// Each item of a ValidationException, held against the body as simdjson's
// DOM reads it (an independent parser; pointers resolved by simdjson's own
// RFC 6901 code): the value at the pointer exists, has the type the
// constraint is about, and really breaks the bound -- a length in code
// points below or above it, a count, an integer -- or, for `required`, is
// absent or null inside an object; and the item prints that value as
// SPEC.md 2.5 says: `Value null` (no quotes) for a null or absent one, a
// string raw as simdjson decodes it. An unknown member (under --strict) is
// a member that exists. Only under the reject policy for duplicates:
// without duplicate members a pointer names one value.
inline void check_items_hold(const judgement& j, std::string_view body, const model::service_model& m,
                             const options& o) {
  if (j.exception != "ValidationException") return;
  simdjson::dom::parser& dom = input_dom();
  simdjson::dom::element root;
  const auto where = [&](const diagnostic& d) {
    return context("item " + printable(d.message, 200) + " at " + printable(d.pointer) + ": " + describe(j),
                   body, m, o);
  };
  // DOM refuses numbers it cannot store (json_diff checks that this is the
  // only disagreement): nothing to hold the items against then.
  if (dom.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return;
  for (const diagnostic& d : j.errors) {
    std::int64_t bound = 0;
    const bool numeric = std::from_chars(d.bound.data(), d.bound.data() + d.bound.size(), bound).ec == std::errc();
    simdjson::dom::element v;
    const auto found = root.at_pointer(d.pointer).get(v);
    const bool null = found != simdjson::SUCCESS || v.is_null();
    SPE_FUZZ_CHECK(null ? d.message.starts_with("Value null at '") : d.message.starts_with("Value '"),
                   "the item prints a null or absent value as null without quotes, any other "
                   "quoted: " + where(d));
    if (d.kind == constraint::required) {
      const std::size_t slash = d.pointer.rfind('/');
      SPE_FUZZ_CHECK(slash != std::string::npos, "a required member has a pointer: " + where(d));
      simdjson::dom::element parent;
      SPE_FUZZ_CHECK(root.at_pointer(std::string_view(d.pointer).substr(0, slash)).get(parent) ==
                             simdjson::SUCCESS &&
                         parent.is_object(),
                     "the parent of a missing member is an object: " + where(d));
      SPE_FUZZ_CHECK(found != simdjson::SUCCESS || v.is_null(),
                     "a member reported missing is absent or null: " + where(d));
      continue;
    }
    SPE_FUZZ_CHECK(found == simdjson::SUCCESS, "the item's pointer names a value: " + where(d));
    switch (d.kind) {
      case constraint::length_min:
      case constraint::length_max: {
        std::string_view text;
        SPE_FUZZ_CHECK(numeric && v.get_string().get(text) == simdjson::SUCCESS,
                       "a length item names a string and a number: " + where(d));
        SPE_FUZZ_CHECK(prints_value(d.message, text),
                       "a length item prints the string raw and whole: " + where(d));
        std::int64_t n = 0;
        for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        SPE_FUZZ_CHECK(d.kind == constraint::length_min ? n < bound : n > bound,
                       "the string's length (" + std::to_string(n) + " code points) breaks the bound: " +
                           where(d));
        break;
      }
      case constraint::count_min:
      case constraint::count_max: {
        simdjson::dom::array a;
        SPE_FUZZ_CHECK(numeric && v.get_array().get(a) == simdjson::SUCCESS,
                       "a count item names a list: " + where(d));
        const auto n = static_cast<std::int64_t>(a.size());
        SPE_FUZZ_CHECK(d.kind == constraint::count_min ? n < bound : n > bound,
                       "the list's count breaks the bound: " + where(d));
        break;
      }
      case constraint::value_min:
      case constraint::value_max: {
        std::int64_t n = 0;
        SPE_FUZZ_CHECK(numeric && v.get_int64().get(n) == simdjson::SUCCESS,
                       "a value item names an integer: " + where(d));
        SPE_FUZZ_CHECK(d.kind == constraint::value_min ? n < bound : n > bound,
                       "the integer breaks the bound: " + where(d));
        break;
      }
      case constraint::pattern: {
        std::string_view text;
        SPE_FUZZ_CHECK(v.get_string().get(text) == simdjson::SUCCESS && !d.bound.empty(),
                       "a pattern item names a string: " + where(d));
        SPE_FUZZ_CHECK(prints_value(d.message, text),
                       "a pattern item prints the string raw and whole: " + where(d));
        break;
      }
      default: break;
    }
  }
}

// `v` has just accepted `body` under `o`. `other` judges the canonical form;
// it may be `v` itself (its judgement of the body is then gone).
inline void check_round_trip(validator& v, validator& other, std::string_view body,
                             const options& o) {
  std::string canon;
  value typed;
  const model::service_model& m = v.model();
  SPE_FUZZ_CHECK(v.canonical(canon) && v.typed_value(typed),
                 context("an accepted body has a canonical form and a typed value", body, m, o));
  // The canonical form holds no unknown or duplicate members, so it passes
  // under --strict and the reject policy; and it is never longer than the
  // body (it only drops and unescapes), so the same limits hold.
  options strict = o;
  strict.strict = true;
  strict.duplicates = duplicate_policy::reject;
  const judgement& j = other.judge(canon, strict);
  SPE_FUZZ_CHECK(j.result == verdict::valid,
                 context("the canonical form " + printable(canon) + " is accepted, got " + describe(j),
                         body, m, o));
  std::string again;
  value typed_again;
  SPE_FUZZ_CHECK(other.canonical(again) && other.typed_value(typed_again),
                 context("the canonical form has a canonical form", body, m, o));
  SPE_FUZZ_CHECK(again == canon, context("canonical form is a fixed point: " + printable(canon) +
                                             " -> " + printable(again),
                                         body, m, o));
  SPE_FUZZ_CHECK(typed_again == typed,
                 context("canonical form " + printable(canon) + " has the body's typed value", body,
                         m, o));
  SPE_FUZZ_CHECK(canon.size() <= body.size(),
                 context("canonical form is no longer than the body", body, m, o));
}

// The options variant a body takes besides the defaults.
inline options variant_for(std::string_view body, body_kind kind) {
  options o;
  o.body = kind;
  switch (hash_bytes(body) % 6) {
    case 0: o.strict = true; break;
    case 1: o.duplicates = duplicate_policy::first; break;
    case 2: o.duplicates = duplicate_policy::last; break;
    case 3:
      // Tight bounds, so that small inputs reach the size and depth errors.
      o.limits.max_size = 256;
      o.limits.max_depth = 4;
      break;
    case 4:
      // The deepest the reader allows: deep bodies reach the model walk
      // and the value printer (the input cap bounds the depth to 64K).
      o.limits.max_depth = json::hard_max_depth;
      break;
    default:
      o.strict = true;
      o.duplicates = duplicate_policy::last;
      break;
  }
  return o;
}

inline void judge_everywhere(std::string_view body, body_kind kind) {
  options plain;
  plain.body = kind;
  const options variant = variant_for(body, kind);
  // Every revision judges the body; one of them (picked by the hash) also
  // with the second validator, whose history now includes a judgement of
  // the same body under the variant options.
  const std::uint64_t h = hash_bytes(body);
  const std::size_t pick = static_cast<std::size_t>(h >> 32) % revisions().size();
  const bool also_fresh = ((h >> 16) & 7u) == 0;
  // The picked revision goes first. Whether a body is well-formed JSON does
  // not depend on the model, so when it is malformed there, the other
  // revisions are asked only on one input in 8 (most fuzz inputs are
  // malformed, and each judgement of one runs the scalar error locator).
  bool malformed_in_pick = false;
  std::string pick_message;
  for (std::size_t k = 0; k < revisions().size(); ++k) {
    const std::size_t r = (pick + k) % revisions().size();
    if (k > 0 && malformed_in_pick && !also_fresh) break;
    const model::service_model& m = *revisions()[r];
    validator& fresh = first(r);
    const judgement& a = fresh.judge(body, plain);
    check_judgement(a, body, m, plain);
    if (k == 0 && a.result == verdict::malformed) {
      malformed_in_pick = true;
      pick_message = a.message;
    }
    if (k > 0 && malformed_in_pick) {
      SPE_FUZZ_CHECK(a.result == verdict::malformed && a.message == pick_message,
                     context("a body malformed under one revision is malformed the same way under all",
                             body, m, plain));
      continue;
    }

    if (r == pick) {
      check_items_hold(a, body, m, plain);
      if (also_fresh) {
        validator reused(m);
        (void)reused.judge(std::string(body) + std::string(body), plain);
        const judgement& n = reused.judge(body, plain);
        SPE_FUZZ_CHECK(same_judgement(a, n),
                       context("a validator that judged a longer body agrees with a new one: " +
                                   describe(a) + " vs " + describe(n),
                               body, m, plain));
      }
      validator& used = second(r);
      const judgement& b = used.judge(body, variant);
      check_judgement(b, body, m, variant);
      if (variant.duplicates == duplicate_policy::reject) check_items_hold(b, body, m, variant);
      if (variant.limits.max_size == plain.limits.max_size &&
          variant.limits.max_depth == plain.limits.max_depth) {
        SPE_FUZZ_CHECK((a.result == verdict::malformed) == (b.result == verdict::malformed) &&
                           (a.result != verdict::malformed || a.message == b.message),
                       context("strict and duplicates do not change a malformed verdict: " +
                                   describe(a) + " vs " + describe(b),
                               body, m, variant));
        if (variant.strict && variant.duplicates == duplicate_policy::reject &&
            a.result == verdict::valid) {
          // Strict makes exactly the unknown-member notes errors.
          SPE_FUZZ_CHECK((b.result == verdict::valid) == a.notes.empty(),
                         context("strict rejects exactly the bodies with unknown members", body, m,
                                 variant));
        }
      } else if (variant.limits.max_depth > plain.limits.max_depth) {
        // A deeper bound changes only the verdict of bodies too deep for the
        // default one (the input cap keeps every body under the new bound).
        const bool was_too_deep =
            a.result == verdict::malformed && a.errors[0].kind == constraint::depth;
        SPE_FUZZ_CHECK(was_too_deep ? !(b.result == verdict::malformed &&
                                        b.errors[0].kind == constraint::depth)
                                    : same_judgement(a, b),
                       context("a deeper bound changes only too-deep verdicts: " + describe(a) +
                                   " vs " + describe(b),
                               body, m, variant));
      } else if (body.size() > variant.limits.max_size) {
        SPE_FUZZ_CHECK(b.result == verdict::malformed && b.errors[0].kind == constraint::size,
                       context("a body past max_size is refused by size: " + describe(b), body, m,
                               variant));
      }
      if (b.result == verdict::valid) check_round_trip(used, used, body, variant);

      // The second validator reads the body in place, from a padded buffer
      // of exactly body + json::padding bytes (so ASan sees a read past
      // them), judge(json::padded_view): the in-place read must give the
      // judgement, canonical form and typed value of the copying read,
      // whatever the spare bytes hold (a quote, a backslash, a brace...).
      const std::size_t capacity = body.size() + json::padding;
      const std::unique_ptr<char[]> buffer(new char[capacity]);
      if (!body.empty()) std::memcpy(buffer.get(), body.data(), body.size());
      static constexpr char spare[] = {'"', '\\', '}', ' ', '\0', '\xff', '1'};
      std::memset(buffer.get() + body.size(), spare[(h >> 8) % sizeof spare], json::padding);
      const judgement& c = used.judge(json::padded_view(buffer.get(), body.size(), capacity), plain);
      SPE_FUZZ_CHECK(same_judgement(a, c),
                     context("two validators agree, the second reading the body in place: " +
                                 describe(a) + " vs " + describe(c),
                             body, m, plain));
      if (c.result == verdict::valid) {
        std::string in_place;
        std::string copied;
        value typed_in_place;
        value typed_copied;
        SPE_FUZZ_CHECK(used.canonical(in_place) && used.typed_value(typed_in_place) &&
                           fresh.canonical(copied) && fresh.typed_value(typed_copied) &&
                           in_place == copied && typed_in_place == typed_copied,
                       context("a body read in place has the canonical form and typed value of "
                               "the copy: " + printable(in_place) + " vs " + printable(copied),
                               body, m, plain));
      }
    }

    if (a.result == verdict::valid) {
      check_round_trip(fresh, fresh, body, plain);  // last use of `a`
    } else {
      std::string canon;
      value typed;
      SPE_FUZZ_CHECK(!fresh.canonical(canon) && !fresh.typed_value(typed) && canon.empty(),
                     context("a refused body has no canonical form", body, m, plain));
    }
  }
}

}  // namespace spe::fuzz
