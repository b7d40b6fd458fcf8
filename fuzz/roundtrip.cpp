// Fuzz target `roundtrip`: for every body the validator accepts -- as a
// request, a response or an error body, under every built-in revision --
// the canonical form (SPEC.md section 3) is a fixed point, is accepted, and
// re-parses to an equal typed value; and so does every other spelling of
// the same value: the canonical text re-written (by simdjson's DOM, not by
// spe) with random insignificant whitespace, \u escapes (surrogate pairs for
// astral characters), escaped '/', members in another order, -0 for 0, and
// unknown members, must have the very same canonical form and typed value.
//
// The spelling choices come from a splitmix64 stream seeded by a hash of
// the input, so an input always takes the same path.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "judge_checks.hpp"
#include "support/rng.hpp"

namespace {

using spe::fuzz::printable;

using spe::testing::rng;

void whitespace(std::string& out, rng& r) {
  static constexpr std::string_view ws[] = {"", "", "", " ", "\n", "\t", "\r\n ", "  "};
  out += ws[r.below(std::size(ws))];
}

void escape_unit(std::string& out, std::uint32_t unit) {
  static constexpr char hex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += hex[(unit >> shift) & 15];
}

// The string re-escaped: each character raw (when allowed) or as \uXXXX
// (a surrogate pair above U+FFFF), '/' sometimes as \/.
void spell_string(std::string_view s, std::string& out, rng& r) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    char32_t cp = len == 1 ? b : b & (0x7Fu >> len);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    const bool must = cp < 0x20 || cp == '"' || cp == '\\';
    if (must || r.chance(4)) {
      if (cp == '/' && r.chance(2)) {
        out += "\\/";
      } else if (cp >= 0x10000) {
        const std::uint32_t v = static_cast<std::uint32_t>(cp) - 0x10000;
        escape_unit(out, 0xD800 + (v >> 10));
        escape_unit(out, 0xDC00 + (v & 0x3FF));
      } else if (cp == '"' && r.chance(2)) {
        out += "\\\"";
      } else if (cp == '\\' && r.chance(2)) {
        out += "\\\\";
      } else {
        escape_unit(out, static_cast<std::uint32_t>(cp));
      }
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out += '"';
}

void spell(simdjson::dom::element e, std::string& out, rng& r) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
      for (simdjson::dom::key_value_pair kv : simdjson::dom::object(e)) members.emplace_back(kv.key, kv.value);
      for (std::size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[r.below(i)]);
      out += '{';
      whitespace(out, r);
      bool first = true;
      const auto comma = [&] {
        if (!first) {
          out += ',';
          whitespace(out, r);
        }
        first = false;
      };
      bool unknown_added = false;
      for (const auto& [key, value] : members) {
        if (!unknown_added && r.chance(6)) {  // an unknown member: the service ignores it
          unknown_added = true;
          comma();
          spell_string("x-unknown", out, r);
          out += ':';
          out += r.chance(2) ? "[1,{\"a\":null}]" : "\"u\"";
        }
        comma();
        spell_string(key, out, r);
        whitespace(out, r);
        out += ':';
        whitespace(out, r);
        spell(value, out, r);
        whitespace(out, r);
      }
      out += '}';
      return;
    }
    case element_type::ARRAY: {
      out += '[';
      whitespace(out, r);
      bool first = true;
      for (simdjson::dom::element item : simdjson::dom::array(e)) {
        if (!first) out += ',';
        first = false;
        whitespace(out, r);
        spell(item, out, r);
        whitespace(out, r);
      }
      out += ']';
      return;
    }
    case element_type::STRING: spell_string(std::string_view(e), out, r); return;
    case element_type::INT64: {
      const std::int64_t v = std::int64_t(e);
      out += v == 0 && r.chance(2) ? "-0" : std::to_string(v);
      return;
    }
    case element_type::UINT64: out += std::to_string(std::uint64_t(e)); return;
    case element_type::DOUBLE:
    case element_type::BOOL:
    case element_type::NULL_VALUE:
      // The canonical form holds only strings, integers and containers.
      spe::fuzz::fail(__FILE__, __LINE__, "canonical form holds strings and integers",
                      "found another JSON type");
  }
}

// One validator serves every body kind of a revision (the input's, reset by
// every judge(): see input_state in judge_checks.hpp).
void check_body(std::string_view body, spe::validator& v, spe::body_kind kind,
                simdjson::dom::parser& dom, rng& r) {
  const spe::model::service_model& m = v.model();
  spe::options o;
  o.body = kind;
  const spe::judgement& j = v.judge(body, o);
  spe::fuzz::check_judgement(j, body, m, o);
  if (j.result != spe::verdict::valid) return;

  std::string canon;
  spe::value typed;
  (void)v.canonical(canon);
  (void)v.typed_value(typed);
  spe::fuzz::check_round_trip(v, v, body, o);

  simdjson::dom::element root;
  const auto err = dom.parse(simdjson::padded_string(canon)).get(root);
  SPE_FUZZ_CHECK(err == simdjson::SUCCESS,
                 spe::fuzz::context("simdjson reads the canonical form " + printable(canon) + ": " +
                                        simdjson::error_message(err),
                                    body, m, o));
  for (int round = 0; round < 3; ++round) {
    std::string respelled;
    whitespace(respelled, r);
    spell(root, respelled, r);
    whitespace(respelled, r);
    const spe::judgement& k = v.judge(respelled, o);
    SPE_FUZZ_CHECK(k.result == spe::verdict::valid,
                   spe::fuzz::context("a respelling " + printable(respelled) + " of canonical form " +
                                          printable(canon) + " is accepted: " + spe::fuzz::describe(k),
                                      body, m, o));
    std::string canon2;
    spe::value typed2;
    (void)v.canonical(canon2);
    (void)v.typed_value(typed2);
    SPE_FUZZ_CHECK(canon2 == canon && typed2 == typed,
                   spe::fuzz::context("respelling " + printable(respelled) + " has canonical form " +
                                          printable(canon2) + ", not " + printable(canon),
                                      body, m, o));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  simdjson::dom::parser dom;
  rng r(spe::fuzz::hash_bytes(body));
  const auto& revisions = spe::fuzz::revisions();
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    spe::validator& v = spe::fuzz::first(i);  // this input's: see input_state
    for (spe::body_kind kind : {spe::body_kind::request, spe::body_kind::response, spe::body_kind::error}) {
      check_body(body, v, kind, dom, r);
    }
  }
  spe::fuzz::end_input();
  return 0;
}
