// Bodies from the model: every fault can be put at every site the model
// offers, in every revision and body shape, and the validator then reports
// exactly the predicted errors; draw 0 gives the simplest body and the
// value just outside each bound; just_inside() sits exactly on it; valid
// bodies use every optional member both ways; with a free-text drawer
// (spelling::free_text) every fault still yields exactly its predicted
// errors and the free text is the drawer's. Lengths and counts are read
// back with nlohmann::json, not with spe.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>
#include <set>

#include "spe/gen.hpp"
#include "spe/json.hpp"
#include "spe/validate.hpp"
#include "support/labels.hpp"

namespace {

using namespace spe;
using ojson = nlohmann::ordered_json;

std::vector<const model::service_model*> revisions() {
  std::vector<const model::service_model*> out;
  for (std::string_view r : model::builtin_revisions()) out.push_back(model::builtin(r));
  return out;
}

std::vector<const model::shape*> body_shapes(const model::service_model& m) {
  std::vector<const model::shape*> out{m.input()};
  if (m.output()) out.push_back(m.output());
  for (const model::shape* e : m.errors()) out.push_back(e);
  return out;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Calls fn(model, root, fault, site, validator) for every site of every
// fault kind in every body shape of every revision.
template <class Fn>
void for_each_site(Fn fn) {
  for (const model::service_model* m : revisions()) {
    validator v(*m);
    for (const model::shape* root : body_shapes(*m)) {
      for (std::size_t f = 1; f < gen::fault_count; ++f) {
        const auto fault = static_cast<gen::fault>(f);
        for (const gen::site& site : gen::sites(*m, *root, fault)) fn(*m, *root, fault, site, v);
      }
    }
  }
}

// The validator's judgement of `b` is the one the generator predicted:
// verdict, exception, the set of errors and the message phrase.
void expect_as_predicted(validator& v, const gen::body& b) {
  EXPECT_EQ(spe::testing::label_mismatch(b, v.judge(b.json, spe::testing::options_for(b))), "");
}

// Every kind of fault was made somewhere (value_above has no place: no
// model number has a max below its type's).
void expect_every_fault_made(const std::map<std::string, int>& made) {
  for (std::size_t f = 1; f < gen::fault_count; ++f) {
    const auto fault = static_cast<gen::fault>(f);
    if (fault == gen::fault::value_above) continue;
    EXPECT_GT(made.count(std::string(gen::to_string(fault))), 0u) << gen::to_string(fault);
  }
}

TEST(gen_request, every_fault_at_every_site_yields_exactly_the_predicted_errors) {
  std::map<std::string, int> made;
  for_each_site([&](const model::service_model& m, const model::shape& root, gen::fault fault,
                    const gen::site& site, validator& v) {
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
      gen::seeded_source s(seed * 1000 + static_cast<std::uint64_t>(fault));
      const auto b = gen::single_fault(m, root, site, s, {seed % 2 == 1, seed % 3 == 1, seed > 2});
      ASSERT_TRUE(b.has_value()) << m.revision() << " " << root.name << " "
                                 << gen::to_string(fault) << " " << site.pointer;
      SCOPED_TRACE(std::string(m.revision()) + " " + b->why + "\n" + b->json.substr(0, 400));
      expect_as_predicted(v, *b);
      ++made[std::string(gen::to_string(fault))];
    }
  });
  expect_every_fault_made(made);
}

// A body's `why` is one line (SPEC.md section 5's manifest), also when it
// names a drawn member whose name holds a line terminator or a control
// character: those are written as \uXXXX escapes.
TEST(gen_request, a_why_is_one_line_whatever_names_it_quotes) {
  std::size_t escaped = 0;
  for (const std::string_view revision : model::builtin_revisions()) {
    const model::service_model& m = *model::builtin(revision);
    for (const gen::fault f : {gen::fault::unknown_member, gen::fault::duplicate_member}) {
      for (std::uint64_t seed = 0; seed < 400; ++seed) {
        gen::seeded_source s(seed);
        const auto b = gen::single_fault(m, *m.input(), f, s);
        ASSERT_TRUE(b.has_value());
        for (std::size_t i = 0; i < b->why.size(); ++i) {
          const auto c = static_cast<unsigned char>(b->why[i]);
          ASSERT_TRUE(c >= 0x20 && c != 0x7F) << "control byte " << int(c) << " in: " << b->why;
        }
        for (const std::string_view t : {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
          ASSERT_EQ(b->why.find(t), std::string::npos) << "a line terminator in: " << b->why;
        }
        escaped += b->why.find("\\u") != std::string::npos;
      }
    }
  }
  EXPECT_GT(escaped, 0u) << "no drawn name needed an escape: the test saw nothing to check";
}

// The sites of each fault, computed here from the model by a walk of its own.
void expected_sites(const model::shape& s, const std::string& ptr, gen::fault f,
                    std::set<std::string>& out) {
  using gen::fault;
  using model::shape_type;
  if (f == fault::wrong_type) out.insert(ptr);
  switch (s.type) {
    case shape_type::structure:
      if (f == fault::unknown_member) out.insert(ptr);
      for (const model::member& m : s.members) {
        const std::string p = ptr + "/" + m.name;
        if ((f == fault::required_missing || f == fault::required_null) && m.required) out.insert(p);
        if (f == fault::duplicate_member) out.insert(p);
        expected_sites(*m.target, p, f, out);
      }
      return;
    case shape_type::list:
      if (f == fault::count_below && s.has_min && s.min > 0) out.insert(ptr);
      if (f == fault::count_above && s.has_max) out.insert(ptr);
      expected_sites(*s.element, ptr + "/0", f, out);
      return;
    case shape_type::string:
      if (f == fault::length_below && s.has_min && s.min > 0) out.insert(ptr);
      if (f == fault::length_above && s.has_max) out.insert(ptr);
      if (f == fault::pattern && !s.pattern.empty()) out.insert(ptr);
      return;
    case shape_type::integer:
    case shape_type::long_integer: {
      const std::int64_t lo = s.type == shape_type::integer ? INT32_MIN : INT64_MIN;
      const std::int64_t hi = s.type == shape_type::integer ? INT32_MAX : INT64_MAX;
      if (f == fault::value_below && s.has_min && s.min > lo) out.insert(ptr);
      if (f == fault::value_above && s.has_max && s.max < hi) out.insert(ptr);
      return;
    }
  }
}

TEST(gen_request, sites_are_every_place_the_model_offers) {
  for (const model::service_model* m : revisions()) {
    for (const model::shape* root : body_shapes(*m)) {
      const bool error = root->exception;
      for (std::size_t f = 1; f < gen::fault_count; ++f) {
        const auto fault = static_cast<gen::fault>(f);
        std::set<std::string> want;
        expected_sites(*root, "", fault, want);
        if (error && (fault == gen::fault::required_missing || fault == gen::fault::required_null ||
                      fault == gen::fault::duplicate_member || fault == gen::fault::wrong_type)) {
          want.insert("/__type");
        }
        std::set<std::string> got;
        for (const gen::site& s : gen::sites(*m, *root, fault)) got.insert(s.pointer);
        EXPECT_EQ(got, want) << m->revision() << " " << root->name << " " << gen::to_string(fault);
      }
    }
  }
}

TEST(gen_request, draw_zero_is_the_minimal_valid_body) {
  for (const model::service_model* m : revisions()) {
    gen::bytes_source zero({});
    const auto b = gen::valid(*m, *m->input(), zero);
    ASSERT_TRUE(b.has_value());
    const ojson j = ojson::parse(b->json);
    std::set<std::string> required;
    for (const model::member& mem : m->input()->members) {
      if (mem.required) required.insert(mem.name);
    }
    std::set<std::string> present;
    for (auto it = j.begin(); it != j.end(); ++it) {
      present.insert(it.key());
      const model::shape& s = *m->input()->members[static_cast<std::size_t>(m->input()->find_member(it.key()))].target;
      ASSERT_EQ(s.type, model::shape_type::string);
      // The shortest length the bounds and the pattern allow.
      const auto lens = s.regex ? gen::match_lengths(*s.regex) : std::vector<gen::length_range>{{0, 0}};
      const std::size_t shortest = std::max<std::size_t>(s.has_min ? static_cast<std::size_t>(s.min) : 0, lens.front().lo);
      EXPECT_EQ(code_points(it.value().get<std::string>()), shortest) << it.key();
    }
    EXPECT_EQ(present, required) << m->revision();
  }
}

TEST(gen_request, valid_bodies_use_every_optional_member_both_ways) {
  for (const model::service_model* m : revisions()) {
    std::map<std::string, std::set<bool>> seen;
    gen::seeded_source s(9);
    for (int i = 0; i < 200; ++i) {
      const auto b = gen::valid(*m, *m->input(), s);
      ASSERT_TRUE(b.has_value());
      const ojson j = ojson::parse(b->json);
      for (const model::member& mem : m->input()->members) seen[mem.name].insert(j.contains(mem.name));
    }
    for (const model::member& mem : m->input()->members) {
      EXPECT_EQ(seen[mem.name].size(), mem.required ? 1u : 2u) << m->revision() << " " << mem.name;
    }
  }
}

// The value at a site when every draw is 0 (list element 0).
const ojson& at(const ojson& body, const std::string& pointer) {
  return body.at(ojson::json_pointer(pointer));
}

std::int64_t measure(const ojson& v) {
  if (v.is_string()) return static_cast<std::int64_t>(code_points(v.get<std::string>()));
  if (v.is_array()) return static_cast<std::int64_t>(v.size());
  return v.get<std::int64_t>();
}

TEST(gen_request, bounds_are_hit_exactly_inside_and_just_outside) {
  using gen::fault;
  int checked = 0;
  for (const model::service_model* m : revisions()) {
    validator v(*m);
    for (const model::shape* root : body_shapes(*m)) {
      for (fault f : {fault::length_below, fault::length_above, fault::count_below,
                      fault::count_above, fault::value_below, fault::value_above}) {
        const bool low = f == fault::length_below || f == fault::count_below || f == fault::value_below;
        for (const gen::site& site : gen::sites(*m, *root, f)) {
          SCOPED_TRACE(std::string(m->revision()) + " " + site.pointer + " " + std::string(gen::to_string(f)));
          const std::int64_t bound = low ? site.shape->min : site.shape->max;
          gen::bytes_source zero({});
          const auto inside = gen::just_inside(*m, *root, site, zero);
          if (inside) {
            options o;
            o.body = inside->judge_as;
            EXPECT_EQ(v.judge(inside->json, o).result, verdict::valid) << inside->json;
            EXPECT_EQ(measure(at(ojson::parse(inside->json), site.pointer)), bound);
          } else {
            // Only a pattern that has no match of that length may refuse.
            ASSERT_TRUE(site.shape->regex);
            gen::bytes_source z({});
            EXPECT_FALSE(gen::matching_exact(*site.shape->regex, z, static_cast<std::size_t>(bound)));
          }
          gen::bytes_source zero2({});
          const auto outside = gen::single_fault(*m, *root, site, zero2);
          ASSERT_TRUE(outside.has_value());
          EXPECT_EQ(measure(at(ojson::parse(outside->json), site.pointer)), low ? bound - 1 : bound + 1);
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 20);
}

TEST(gen_request, same_seed_same_bodies) {
  const model::service_model& m = *model::builtin("botocore-1.43");
  gen::seeded_source a(3);
  gen::seeded_source b(3);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(gen::valid(m, *m.input(), a, {true, true, true})->json,
              gen::valid(m, *m.input(), b, {true, true, true})->json);
    EXPECT_EQ(gen::single_fault(m, *m.input(), gen::fault::pattern, a)->json,
              gen::single_fault(m, *m.input(), gen::fault::pattern, b)->json);
  }
}

TEST(gen_request, noisy_bodies_are_well_formed_json) {
  // spe's strict reader (nlohmann refuses numbers such as 1e400, which
  // noisy() writes on purpose).
  json::reader reader;
  json::document doc;
  for (const model::service_model* m : revisions()) {
    gen::seeded_source s(4);
    for (const model::shape* root : body_shapes(*m)) {
      for (int i = 0; i < 100; ++i) {
        const std::string j = gen::noisy(*root, s);
        EXPECT_EQ(reader.read(j, {}, doc).code, json::error_code::ok) << j.substr(0, 300);
      }
    }
  }
}

// ---- a free-text drawer (spelling::free_text) ----------------------------------

// A drawer that writes only U+00A7 (two bytes: lengths are code points).
std::string marks(gen::source&, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "\xC2\xA7";
  return out;
}
std::string marks(std::size_t n) {
  gen::bytes_source none({});
  return marks(none, n);
}

// The strings of `v` (modelled as `sh`) that free text may fill -- no
// pattern, or one that takes a run of marks of their length -- but the one
// at `skip`: (pointer, whether it is all marks).
void free_strings(const ojson& v, const model::shape& sh, const std::string& ptr,
                  const std::string& skip, std::vector<std::pair<std::string, bool>>& out) {
  switch (sh.type) {
    case model::shape_type::structure:
      if (!v.is_object()) return;
      for (const model::member& m : sh.members) {
        if (v.contains(m.name)) free_strings(v.at(m.name), *m.target, ptr + "/" + m.name, skip, out);
      }
      return;
    case model::shape_type::list:
      if (!v.is_array()) return;
      for (std::size_t i = 0; i < v.size(); ++i) {
        free_strings(v.at(i), *sh.element, ptr + "/" + std::to_string(i), skip, out);
      }
      return;
    case model::shape_type::string: {
      if (!v.is_string() || ptr == skip) return;
      const std::string t = v.get<std::string>();
      const std::string drawn = marks(code_points(t));
      if (!sh.regex || sh.regex->matcher.full_match(drawn)) out.emplace_back(ptr, t == drawn);
      return;
    }
    default: return;
  }
}

TEST(gen_request, a_free_text_drawer_fills_free_text_and_every_fault_still_judges_as_predicted) {
  std::map<std::string, int> made;
  std::size_t drawn = 0;
  std::size_t broken_by_line_terminator = 0;
  for_each_site([&](const model::service_model& m, const model::shape& root, gen::fault fault,
                    const gen::site& site, validator& v) {
    for (std::uint64_t seed = 0; seed < 4; ++seed) {
      gen::seeded_source s(seed * 1000 + static_cast<std::uint64_t>(fault));
      gen::spelling how{seed % 2 == 1, seed == 2, seed == 3};
      how.free_text = &marks;
      const auto b = gen::single_fault(m, root, site, s, how);
      ASSERT_TRUE(b.has_value()) << m.revision() << " " << root.name << " "
                                 << gen::to_string(fault) << " " << site.pointer;
      SCOPED_TRACE(std::string(m.revision()) + " " + b->why + "\n" + b->json.substr(0, 400));
      expect_as_predicted(v, *b);
      ++made[std::string(gen::to_string(fault))];

      // nlohmann refuses some numbers an unknown member's value may
      // hold (1e400); those bodies are judged above, not read here.
      const ojson parsed = ojson::parse(b->json, nullptr, false);
      if (parsed.is_discarded()) {
        EXPECT_EQ(fault, gen::fault::unknown_member);
        continue;
      }
      // Where free text goes, the drawer's is there: off the route,
      // and at a length fault's own value. A pattern fault's value
      // is either a near miss or, where the pattern takes marks, the
      // drawer's marks with one line terminator in them.
      std::string pattern_site;
      for (const gen::expected_error& e : b->errors) {
        if (e.kind == constraint::pattern && fault == gen::fault::pattern) pattern_site = e.pointer;
      }
      std::vector<std::pair<std::string, bool>> strings;
      free_strings(parsed, root, "", pattern_site, strings);
      for (const auto& [pointer, all_marks] : strings) {
        EXPECT_TRUE(all_marks) << pointer;
        ++drawn;
      }
      if (!pattern_site.empty() && site.shape->regex->matcher.full_match(marks(1))) {
        std::string rest = parsed.at(ojson::json_pointer(pattern_site)).get<std::string>();
        std::size_t terminators = 0;
        for (const std::string_view lt : {"\n", "\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
          for (auto at = rest.find(lt); at != std::string::npos; at = rest.find(lt)) {
            rest.erase(at, lt.size());
            ++terminators;
          }
        }
        EXPECT_EQ(terminators, 1u) << pattern_site;
        EXPECT_EQ(rest, marks(code_points(rest))) << pattern_site;
        ++broken_by_line_terminator;
      }
    }
  });
  expect_every_fault_made(made);
  EXPECT_GT(drawn, 1000u);
  EXPECT_GT(broken_by_line_terminator, 0u);
}

// A drawer that breaks its contract would mislabel lengths and errors: the
// generators give no body instead.
std::string one_too_many(gen::source& s, std::size_t n) { return marks(s, n + 1); }
std::string overlong_nul(gen::source&, std::size_t n) {  // n "code points" of C0 80
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "\xC0\x80";
  return out;
}
std::string surrogates(gen::source&, std::size_t n) {  // n lone U+D800
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "\xED\xA0\x80";
  return out;
}

TEST(gen_request, a_drawer_that_breaks_its_contract_gives_no_body) {
  // ClientRequestToken is in every request body, and has no pattern: its
  // text comes from the free-text drawer alone.
  const model::service_model& m = *model::builtin("botocore-1.43");
  const int token_index = m.input()->find_member("ClientRequestToken");
  ASSERT_GE(token_index, 0);
  const model::member& token_member = m.input()->members[static_cast<std::size_t>(token_index)];
  ASSERT_TRUE(token_member.required);
  ASSERT_TRUE(token_member.target->pattern.empty());
  const std::vector<gen::site> token = [&] {
    std::vector<gen::site> out;
    for (const gen::site& s : gen::sites(m, *m.input(), gen::fault::length_above)) {
      if (s.pointer == "/ClientRequestToken") out.push_back(s);
    }
    return out;
  }();
  ASSERT_EQ(token.size(), 1u);
  for (const gen::text_drawer bad : {&one_too_many, &overlong_nul, &surrogates}) {
    gen::spelling how;
    how.free_text = bad;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      gen::seeded_source s(seed);
      EXPECT_FALSE(gen::valid(m, *m.input(), s, how).has_value()) << seed;
      EXPECT_FALSE(gen::single_fault(m, *m.input(), token.front(), s, how).has_value()) << seed;
      EXPECT_FALSE(gen::single_fault(m, *m.input(), gen::fault::pattern, s, how).has_value()) << seed;
    }
  }
}

// Without a drawer the bodies are what they were (tests/cli_corpus_test.cpp
// replays the committed corpora); with gen::text as the drawer, a model
// without patterns gets those very bodies: the drawer is called where
// gen::text was, with the same draws, and nothing else changes.
TEST(gen_request, gen_text_as_the_drawer_changes_nothing_where_no_pattern_is) {
  const std::string service = R"({"version": "2.0",
    "operations": {"Op": {"name": "Op", "input": {"shape": "In"}, "errors": [{"shape": "Oops"}]}},
    "shapes": {
      "In": {"type": "structure", "required": ["Token", "Items"],
             "members": {"Token": {"shape": "Token"}, "Note": {"shape": "Note"},
                         "Items": {"shape": "Items"}, "Count": {"shape": "Count"}}},
      "Token": {"type": "string", "min": 3, "max": 40},
      "Note": {"type": "string", "max": 300},
      "Items": {"type": "list", "min": 1, "max": 5, "member": {"shape": "Item"}},
      "Item": {"type": "structure", "required": ["Value"], "members": {"Value": {"shape": "Note"}}},
      "Count": {"type": "integer", "min": 1, "max": 10},
      "Oops": {"type": "structure", "exception": true, "members": {"Message": {"shape": "Note"}}}}})";
  auto loaded = model::load(service, "Op", "unpatterned");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const model::service_model& m = *loaded;
  int compared = 0;
  for (const model::shape* root : body_shapes(m)) {
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
      const gen::spelling plain{seed % 2 == 1, seed % 3 == 1, seed > 2};
      gen::spelling drawn = plain;
      drawn.free_text = &gen::text;
      gen::seeded_source a(seed);
      gen::seeded_source b(seed);
      const auto va = gen::valid(m, *root, a, plain);
      const auto vb = gen::valid(m, *root, b, drawn);
      ASSERT_TRUE(va && vb);
      EXPECT_EQ(va->json, vb->json);
      for (std::size_t f = 1; f < gen::fault_count; ++f) {
        for (const gen::site& site : gen::sites(m, *root, static_cast<gen::fault>(f))) {
          const auto fa = gen::single_fault(m, *root, site, a, plain);
          const auto fb = gen::single_fault(m, *root, site, b, drawn);
          ASSERT_EQ(fa.has_value(), fb.has_value()) << site.pointer;
          if (fa) EXPECT_EQ(fa->json, fb->json) << gen::to_string(site.what) << " " << site.pointer;
          const auto ia = gen::just_inside(m, *root, site, a, plain);
          const auto ib = gen::just_inside(m, *root, site, b, drawn);
          ASSERT_EQ(ia.has_value(), ib.has_value()) << site.pointer;
          if (ia) EXPECT_EQ(ia->json, ib->json) << gen::to_string(site.what) << " " << site.pointer;
          ++compared;
        }
      }
    }
  }
  EXPECT_GT(compared, 50);
}

// A model that recurses -- a parameter holding a list of parameters, or an
// optional parameter -- gives finite bodies: past a depth, or once a body
// holds enough values, optional members are left out and lists take their
// minimum count. Every body drawn is judged as predicted, and stays small
// (a list recursion of 0..50 children used to recurse until the stack
// overflowed, in `spe gen --model`).
TEST(gen_request, a_recursive_model_gives_finite_bodies_judged_as_predicted) {
  const std::string service = R"({"version": "2.0",
    "operations": {"Op": {"name": "Op", "input": {"shape": "In"}}},
    "shapes": {
      "In": {"type": "structure", "required": ["Token"],
             "members": {"Token": {"shape": "Text"}, "Params": {"shape": "Params"}}},
      "Params": {"type": "list", "max": 50, "member": {"shape": "Param"}},
      "Param": {"type": "structure", "required": ["Name"],
                "members": {"Name": {"shape": "Text"}, "Kids": {"shape": "Params"},
                            "Self": {"shape": "Param"}}},
      "Text": {"type": "string", "min": 1, "max": 8}}})";
  auto loaded = model::load(service, "Op", "recursive");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const model::service_model& m = *loaded;
  validator v(m);
  std::size_t largest = 0;
  int judged = 0;
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    const gen::spelling how{seed % 2 == 1, seed % 3 == 1, seed % 5 == 1};
    gen::seeded_source s(seed);
    const auto b = gen::valid(m, *m.input(), s, how);
    ASSERT_TRUE(b) << seed;
    {
      SCOPED_TRACE(std::to_string(seed) + ": " + b->json.substr(0, 400));
      expect_as_predicted(v, *b);
    }
    largest = std::max(largest, b->json.size());
    for (std::size_t f = 1; f < gen::fault_count; ++f) {
      const auto sites = gen::sites(m, *m.input(), static_cast<gen::fault>(f));
      if (sites.empty()) continue;
      const auto fb = gen::single_fault(m, *m.input(), sites[seed % sites.size()], s, how);
      if (!fb) continue;
      SCOPED_TRACE(fb->why + "\n" + fb->json.substr(0, 400));
      expect_as_predicted(v, *fb);
      largest = std::max(largest, fb->json.size());
      ++judged;
    }
  }
  EXPECT_GT(judged, 100);
  // 4096 values of at most 8 code points of gen's text, with their keys.
  EXPECT_LT(largest, std::size_t{1} << 20);
  std::cout << "largest body of the recursive model: " << largest << " bytes\n";
}

// An operation without an output answers {}: its response shape is the
// model's NoOutput, and a body drawn for it is a response that the
// validator accepts as one (judged as a request it would lack Token).
TEST(gen_request, the_response_of_an_operation_without_output_is_a_response) {
  const std::string service = R"({"version": "2.0",
    "operations": {"Op": {"name": "Op", "input": {"shape": "In"}}},
    "shapes": {"In": {"type": "structure", "required": ["Token"], "members": {"Token": {"shape": "S"}}},
               "S": {"type": "string", "min": 1}}})";
  auto loaded = model::load(service, "Op", "no-output");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const model::service_model& m = *loaded;
  ASSERT_EQ(m.output(), nullptr);
  EXPECT_EQ(gen::kind_of(m, m.response()), body_kind::response);
  EXPECT_EQ(gen::kind_of(m, *m.input()), body_kind::request);
  gen::seeded_source src(1);
  const auto b = gen::valid(m, m.response(), src, gen::spelling{});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->judge_as, body_kind::response);
  validator v(m);
  options o;
  o.body = b->judge_as;
  EXPECT_EQ(v.judge(b->json, o).result, verdict::valid) << b->json;
}

// A structure that holds itself four times over has 4^12 places 12 steps
// down: sites() gives the first max_sites of them in model order (it used
// to collect all 5.6 million, a gigabyte, and five branches ran out of
// memory and came back empty, as if the model had no place at all).
TEST(gen_request, sites_of_a_branching_recursive_model_stop_at_the_bound) {
  const std::string service = R"({
    "operations": {"Op": {"input": {"shape": "Node"}}},
    "shapes": {
      "Node": {"type": "structure",
               "members": {"A": {"shape": "Node"}, "B": {"shape": "Node"}, "C": {"shape": "Node"},
                           "D": {"shape": "Node"}, "E": {"shape": "Node"}, "Name": {"shape": "Text"}}},
      "Text": {"type": "string", "max": 3}}})";
  auto loaded = model::load(service, "Op", "branching");
  ASSERT_TRUE(loaded) << loaded.error().message;
  const auto sites = gen::sites(*loaded, *loaded->input(), gen::fault::length_above);
  ASSERT_EQ(sites.size(), gen::max_sites);
  // Depth first in model order: the first site goes down A as far as routes
  // go, then names the string there.
  EXPECT_EQ(sites.front().pointer.rfind("/A/A/A/", 0), 0u) << sites.front().pointer;
  EXPECT_TRUE(sites.front().pointer.ends_with("/Name")) << sites.front().pointer;
  gen::seeded_source s(1);
  validator v(*loaded);
  const auto fb = gen::single_fault(*loaded, *loaded->input(), sites.back(), s);
  ASSERT_TRUE(fb);
  expect_as_predicted(v, *fb);
}

}  // namespace
