// The committed labelled corpora (corpus/labelled/<revision>/, written by
// `spe gen` through scripts/regen-corpora) hold, for every length bound of
// every string, a body of 2-, 3- and 4-byte characters at that length
// wherever the pattern admits one: valid at min and max, a pure length
// error at min-1 and max+1 -- never a pattern failure that hides whether a
// validator counts code points (SPEC.md section 5).
//
// "The pattern admits one" is decided here, from the model: a match of that
// length is drawn (gen::matching_exact, many seeds) and one of its code
// points replaced by the character, as PCRE2 judges (support/oracle.hpp).
// tests/cli_corpus_test.cpp checks that the committed corpora are what
// `spe gen` writes and that their labels are what `spe validate` says.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include <nlohmann/json.hpp>

#include "spe/gen.hpp"
#include "support/bodies.hpp"
#include "support/utf8.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace spe;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct labelled {
  json label;
  json body;  // discarded when not JSON
};

std::vector<labelled> committed(const std::string& revision) {
  const fs::path dir = fs::path(SPE_SOURCE_DIR) / "corpus" / "labelled" / revision;
  std::vector<labelled> out;
  std::ifstream in(dir / "manifest.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    json l = json::parse(line);
    json body = json::parse(read_file(dir / l.at("file").get<std::string>()), nullptr, false);
    out.push_back({std::move(l), std::move(body)});
  }
  return out;
}

// Every string of the model, list elements at index 0 (as the boundary set
// writes them): the member names and indexes on the way, and the pointer
// they spell (the model's names need no escaping).
struct position {
  std::vector<std::string> steps;  // "0" for a list element
  std::string pointer;
  const model::shape* shape = nullptr;
};

void strings(const model::shape& s, position at, std::vector<position>& out) {
  if (at.steps.size() > 8) return;
  const auto down = [&](const model::shape& next, const std::string& step) {
    position p = at;
    p.steps.push_back(step);
    p.pointer += "/" + step;
    p.shape = &next;
    strings(next, std::move(p), out);
  };
  if (s.type == model::shape_type::string) out.push_back(at);
  if (s.type == model::shape_type::structure) {
    for (const auto& m : s.members) down(*m.target, m.name);
  } else if (s.type == model::shape_type::list && s.element) {
    down(*s.element, "0");
  }
}

// The value at a position of a body, or nullptr.
const json* value_at(const json& body, const position& p) {
  const json* v = &body;
  for (const std::string& step : p.steps) {
    if (v->is_object() && v->contains(step)) {
      v = &v->at(step);
    } else if (v->is_array() && step == "0" && !v->empty()) {
      v = &v->front();
    } else {
      return nullptr;
    }
  }
  return v;
}

// Whether some string of exactly n code points holding `ch` matches the
// pattern: a drawn match with one code point (of 64 spread over it)
// replaced by `ch`, over many seeds.
bool admits(const model::shape& s, std::size_t n, std::string_view ch) {
  if (!s.regex) return true;
  const auto lens = gen::match_lengths(*s.regex);
  if (!std::any_of(lens.begin(), lens.end(), [&](const gen::length_range& r) { return r.lo <= n && n <= r.hi; })) {
    return false;
  }
  const spe::testing::oracle pcre(s.pattern);
  for (std::uint64_t seed = 0; seed < 256; ++seed) {
    gen::seeded_source src(seed);
    const auto m = gen::matching_exact(*s.regex, src, n);
    if (!m) continue;
    const auto starts = spe::testing::code_point_starts(*m);
    for (std::size_t k = 0; k < 64; ++k) {
      const std::size_t i = starts[k * starts.size() / 64];
      const std::size_t end = k * starts.size() / 64 + 1 < starts.size() ? starts[k * starts.size() / 64 + 1] : m->size();
      std::string t = *m;
      t.replace(i, end - i, ch);
      if (pcre.full_match(t)) return true;
    }
  }
  return false;
}

// A revision's committed corpus and the strings of its model.
struct revision_corpus {
  std::vector<labelled> all;
  std::vector<position> strings;
};

revision_corpus load_revision(const std::string& revision) {
  revision_corpus c;
  const model::service_model* m = model::builtin(revision);
  EXPECT_NE(m, nullptr) << revision;
  if (!m) return c;
  c.all = committed(revision);
  EXPECT_FALSE(c.all.empty()) << "run scripts/regen-corpora";
  strings(*m->input(), position{{}, "", m->input()}, c.strings);
  return c;
}

// One revision's corpus; the test below runs it for every built-in revision.
void expect_multi_byte_bodies(const std::string& revision) {
  const revision_corpus c = load_revision(revision);
  const auto& all = c.all;
  std::size_t checked = 0;
  for (const position& p : c.strings) {
    const model::shape& s = *p.shape;
    std::set<std::int64_t> lengths;
    if (s.has_min) {
      lengths.insert(s.min - 1);
      lengths.insert(s.min);
    }
    if (s.has_max) {
      lengths.insert(s.max);
      lengths.insert(s.max + 1);
    }
    for (const std::int64_t n : lengths) {
      if (n < 1 || n > 100000) continue;
      // The length errors a value of n code points has, and nothing else.
      std::set<std::pair<std::string, std::string>> want;
      if (s.has_min && n < s.min) want.emplace("length_min", std::to_string(s.min));
      if (s.has_max && n > s.max) want.emplace("length_max", std::to_string(s.max));
      for (const std::string_view ch : std::span(spe::testing::units).subspan(1)) {  // 2-4 bytes
        if (!admits(s, static_cast<std::size_t>(n), ch)) continue;
        ++checked;
        const bool found = std::any_of(all.begin(), all.end(), [&](const labelled& x) {
          const json* v = value_at(x.body, p);
          if (!v || !v->is_string()) return false;
          const std::string text = v->get<std::string>();
          if (spe::testing::code_points(text) != static_cast<std::size_t>(n) || text.find(ch) == std::string::npos) return false;
          std::set<std::pair<std::string, std::string>> got;
          for (const json& e : x.label.at("errors")) {
            if (e.at("pointer") != p.pointer) return false;
            got.emplace(e.at("constraint").get<std::string>(), e.at("bound").get<std::string>());
          }
          return got == want;
        });
        EXPECT_TRUE(found) << revision << " " << p.pointer << ": no body of " << n << " code points with "
                           << ch.size() << "-byte characters labelled "
                           << (want.empty() ? "valid" : want.begin()->first + " only")
                           << (s.regex ? " (pattern " + s.pattern + ")" : "");
      }
    }
  }
  EXPECT_GT(checked, 10u);
}

// Every near miss at a bounded repetition's own bound (gen::repetition_misses,
// checked against PCRE2 in gen_pattern_test) is in the boundary set, at its
// member, labelled with that member's pattern error.
TEST(gen_labelled, every_repetition_miss_is_in_the_boundary_set) {
  std::size_t checked = 0;
  for (const std::string_view rev : model::builtin_revisions()) {
    const std::string revision(rev);
    const revision_corpus c = load_revision(revision);
    const auto& all = c.all;
    for (const position& p : c.strings) {
      const model::shape& s = *p.shape;
      if (!s.regex) continue;
      const std::size_t lo = s.has_min ? static_cast<std::size_t>(s.min) : 0;
      const std::size_t hi = s.has_max ? static_cast<std::size_t>(s.max) : lo + 64;
      for (const gen::near_miss& miss : gen::repetition_misses(*s.regex, lo, hi)) {
        ++checked;
        const bool found = std::any_of(all.begin(), all.end(), [&](const labelled& x) {
          const json* v = value_at(x.body, p);
          if (!v || !v->is_string() || v->get<std::string>() != miss.text) return false;
          const json& errors = x.label.at("errors");
          return errors.size() == 1 && errors[0].at("pointer") == p.pointer &&
                 errors[0].at("constraint") == "pattern";
        });
        EXPECT_TRUE(found) << revision << " " << p.pointer << ": no body with the "
                           << gen::to_string(miss.how) << " miss \"" << miss.text << "\"";
      }
    }
  }
  EXPECT_GT(checked, 4u);
}

TEST(gen_labelled, multi_byte_characters_fill_every_length_bound_the_pattern_admits) {
  for (const std::string_view revision : model::builtin_revisions()) {
    SCOPED_TRACE(std::string(revision));
    expect_multi_byte_bodies(std::string(revision));
  }
}

}  // namespace
