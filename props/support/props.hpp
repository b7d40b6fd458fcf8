// Shared pieces of the property suite: the RapidCheck source of draws,
// the revisions and body shapes (from the model registry, never a hand
// list), and the comparisons every property makes.
//
// rc_source makes each draw of spe::gen a RapidCheck value
// (rc::gen::inRange(0, n), which shrinks toward 0), so when a property
// fails RapidCheck shrinks the draws -- shorter strings, fewer members,
// first alternatives, 'a' for free text -- and prints the smallest body it
// still fails on.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "spe/gen.hpp"
#include "spe/validate.hpp"
#include "support/labels.hpp"

namespace spe {
// How RapidCheck prints a verdict in a failed RC_ASSERT (found by ADL);
// without it the expansion reads "<???> == <???>".
inline void showValue(verdict v, std::ostream& os) { os << to_string(v); }
}  // namespace spe

namespace spe::props {

// A string for RC_LOG: as it is, then in hex when it holds a byte a log
// would mangle (controls, DEL, anything past ASCII: invalid UTF-8, U+2028),
// so that the exact bytes can be copied into props/regressions
// (body_hex / text_hex).
inline std::string logged(std::string_view s) {
  std::string out(s);
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
  if (plain) return out;
  out += "\n  hex: ";
  constexpr char digits[] = "0123456789abcdef";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += digits[u >> 4];
    out += digits[u & 15];
  }
  return out;
}

// A draw in [lo, hi), uniform whatever RapidCheck's current size: size
// would otherwise scale the range down (to {lo} at size 0), and the
// generators' biases toward bounds -- and the choice of revision, shape
// and fault -- must not depend on it. Shrinks toward lo.
template <class T>
T uniform(T lo, T hi) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(lo, hi));
}

// The first `max_picks` draws are RapidCheck values of their own; the rest
// come from a splitmix64 stream whose seed is one more RapidCheck value.
// Shrinking tries each pick in turn, re-running the property each time, so
// a body of 3072-character strings drawn pick by pick (thousands of picks)
// would take hours to shrink. The early draws -- which members, which
// lengths, which site -- are the ones shrinking should simplify, and they
// stay picks; the tail shrinks as a whole (toward seed 0).
class rc_source final : public gen::source {
 public:
  explicit rc_source(std::size_t max_picks = 256) : max_picks_(max_picks) {}

  std::uint64_t choice(std::uint64_t n) override {
    if (n <= 1) return 0;  // no choice: no draw for RapidCheck to record
    if (picks_ < max_picks_) {
      ++picks_;
      return uniform<std::uint64_t>(0, n);
    }
    if (!tail_) tail_.emplace(*rc::gen::resize(rc::kNominalSize, rc::gen::arbitrary<std::uint64_t>()));
    return tail_->choice(n);
  }

 private:
  std::size_t max_picks_;
  std::size_t picks_ = 0;
  std::optional<gen::seeded_source> tail_;
};

// Every built-in revision, as the model registry lists them.
inline std::vector<const model::service_model*> revisions() {
  std::vector<const model::service_model*> out;
  for (std::string_view name : model::builtin_revisions()) out.push_back(model::builtin(name));
  return out;
}

// A revision drawn by RapidCheck (shrinks toward the first, `seed`).
inline const model::service_model& any_revision() {
  static const std::vector<const model::service_model*> all = revisions();
  return *all[uniform<std::size_t>(0, all.size())];
}

// The shapes a body can have: the input, the output, each error shape.
inline std::vector<const model::shape*> body_shapes(const model::service_model& m) {
  std::vector<const model::shape*> out{m.input()};
  if (m.output()) out.push_back(m.output());
  for (const model::shape* e : m.errors()) out.push_back(e);
  return out;
}

// A body shape drawn by RapidCheck: the input half of the time (it has the
// constraints), else any of them.
inline const model::shape& any_body_shape(const model::service_model& m) {
  const std::vector<const model::shape*> all = body_shapes(m);
  if (uniform(0, 2) == 0) return *m.input();
  return *all[uniform<std::size_t>(0, all.size())];
}

inline std::string_view kind_name(body_kind k) {
  switch (k) {
    case body_kind::request: return "request";
    case body_kind::response: return "response";
    case body_kind::error: return "error";
  }
  return "?";
}

// A body's label against its judgement: tests/support/labels.hpp.
using spe::testing::error_key;
using spe::testing::error_set;
using spe::testing::errors_of;
using spe::testing::label_mismatch;
using spe::testing::options_for;

// A body and its label, printed when a property fails (RC_LOG).
inline std::string show(const gen::body& b) {
  std::ostringstream os;
  os << "body (" << kind_name(b.judge_as) << (b.needs_strict ? ", --strict" : "") << "): " << logged(b.json)
     << "\nexpect: " << to_string(b.expect) << " " << b.exception << "\nwhy: " << b.why
     << "\nphrase: " << b.message_phrase << "\n";
  for (const gen::expected_error& e : b.errors) {
    os << "expected error: " << e.pointer << " " << to_string(e.kind) << " " << e.bound << "\n";
  }
  return os.str();
}

inline std::string show(const judgement& j) {
  std::ostringstream os;
  os << "judged: " << to_string(j.result) << " " << j.exception << "\nmessage: " << j.message << "\n";
  for (const diagnostic& d : j.errors) {
    os << "error: " << d.pointer << " " << to_string(d.kind) << " " << d.bound << "\n";
  }
  for (const diagnostic& d : j.notes) {
    os << "note: " << d.pointer << " " << to_string(d.kind) << " " << d.message << "\n";
  }
  return os.str();
}

// One validator per revision and thread, reused across test cases.
inline validator& validator_for(const model::service_model& m) {
  thread_local std::vector<std::pair<const model::service_model*, validator>> all;
  for (auto& [model, v] : all) {
    if (model == &m) return v;
  }
  all.emplace_back(&m, validator(m));
  return all.back().second;
}

// The RFC 6901 form of one object key.
inline std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace spe::props
