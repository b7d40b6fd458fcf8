// Labelled corpora (`spe gen`, SPEC.md section 5), checked from outside:
// the built `spe` binary writes a corpus of each revision, and
//   - every label equals what `spe validate --json` says of its file
//     (verdict, exception, and the set of (pointer, constraint, bound));
//   - every label is re-derived independently for the values the model
//     constrains: lengths counted here, patterns judged by PCRE2
//     (support/oracle.hpp), bounds read from the model;
//   - the corpus holds what section 5 lists: each bound just inside and
//     just outside (with 4-byte characters where the pattern allows),
//     each required member missing and null, each wrong JSON type, each
//     pattern's near misses, the malformed kinds and the duplicates;
//   - the same seed gives the same bytes, and the boundary set does not
//     depend on the seed;
//   - the committed corpora under corpus/labelled/ replay with the labels
//     spe gives today, and are what scripts/regen-corpora writes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "spe/json.hpp"
#include "spe/model.hpp"
#include "support/bodies.hpp"
#include "support/shell.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// scripts/regen-corpora writes the committed corpora with these.
constexpr const char* committed_seed = "1";
constexpr const char* committed_random = "200";

const std::string spe = std::string(SPE_BINARY_DIR) + "/spe";

using spe::testing::quote;
using spe::testing::read_manifest;
using spe::testing::run;
using spe::testing::run_result;

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() /
                     ("spe_corpus_test_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(d);
  return d;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using error_set = std::set<std::tuple<std::string, std::string, std::string>>;

error_set errors_of(const json& list) {
  error_set out;
  for (const json& e : list) {
    out.emplace(e.at("pointer").get<std::string>(), e.at("constraint").get<std::string>(),
                e.at("bound").get<std::string>());
  }
  return out;
}

// `revision` is a built-in revision's name, or the options that name a
// model ("--model FILE --operation OP").
std::string model_options(const std::string& revision) {
  return revision.rfind("--", 0) == 0 ? revision : "--revision " + revision;
}

void generate(const std::string& revision, const fs::path& dir, const std::string& seed,
              const std::string& random, const std::string& extra = "") {
  const auto r = run(quote(spe) + " gen " + model_options(revision) + " --out " + quote(dir.string()) +
                     " --seed " + seed + " --random " + random + " " + extra);
  ASSERT_EQ(r.code, 0) << "spe gen failed";
}

// `spe validate --json` on every file of the corpus (strict ones with
// --strict), keyed by file name.
std::map<std::string, json> judge_all(const fs::path& dir, const std::string& revision,
                                      const std::vector<json>& labels) {
  std::map<std::string, json> out;
  for (const bool strict : {false, true}) {
    std::string files;
    for (const json& l : labels) {
      if (l.value("strict", false) != strict) continue;
      files += ' ' + quote((dir / l.at("file").get<std::string>()).string());
    }
    if (files.empty()) continue;
    const auto r = run(quote(spe) + " validate --json " + model_options(revision) +
                       (strict ? " --strict" : "") + files);
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
      json j = json::parse(line);
      const std::string file = fs::path(j.at("input").get<std::string>()).filename().string();
      out[file] = std::move(j);
    }
  }
  return out;
}

// `revision` as generate() takes it; `named` is what the manifest calls it
// (a --model corpus names its model file).
void expect_labels_match(const fs::path& dir, const std::string& revision,
                         const std::string& named = "") {
  const auto labels = read_manifest(dir);
  ASSERT_FALSE(labels.empty());
  const auto verdicts = judge_all(dir, revision, labels);
  std::set<std::string> listed;
  for (const json& l : labels) {
    const std::string file = l.at("file");
    listed.insert(file);
    EXPECT_EQ(l.at("revision"), named.empty() ? revision : named) << file;
    ASSERT_TRUE(verdicts.count(file)) << file << " was not judged";
    const json& v = verdicts.at(file);
    const std::string why = file + ": " + l.at("why").get<std::string>();
    EXPECT_EQ(l.at("expect"), v.at("verdict")) << why;
    EXPECT_EQ(l.at("exception"), v.at("exception")) << why;
    EXPECT_EQ(errors_of(l.at("errors")), errors_of(v.at("errors"))) << why;
  }
  // The manifest labels every file, and only files that exist.
  std::set<std::string> present;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() != "manifest.jsonl") present.insert(e.path().filename().string());
  }
  EXPECT_EQ(listed, present);
}

// ---- the model, walked by the test itself -----------------------------------------

struct position {
  std::string pointer;  // list elements at index 0, as the corpus writes them
  const spe::model::shape* shape = nullptr;
  bool required = false;
  bool element = false;
};

void positions(const spe::model::shape& s, const std::string& at, bool required, bool element,
               std::vector<position>& out, int depth = 0) {
  out.push_back({at, &s, required, element});
  if (depth > 8) return;
  if (s.type == spe::model::shape_type::structure) {
    for (const auto& m : s.members) positions(*m.target, at + "/" + m.name, m.required, false, out, depth + 1);
  } else if (s.type == spe::model::shape_type::list) {
    positions(*s.element, at + "/0", false, true, out, depth + 1);
  }
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

const json* at_pointer(const json& body, const std::string& ptr) {
  try {
    const json::json_pointer p(ptr);
    return body.contains(p) ? &body.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

bool has_error(const json& label, const std::string& ptr, const std::string& kind) {
  for (const json& e : label.at("errors")) {
    if (e.at("pointer") == ptr && e.at("constraint") == kind) return true;
  }
  return false;
}

// Re-derives the length and pattern items of a label for every string the
// model constrains in a body judged in full (valid or ValidationException).
void check_strings(const json& label, const json& value, const spe::model::shape& s,
                   const std::string& ptr) {
  using spe::model::shape_type;
  if (value.is_null()) return;
  switch (s.type) {
    case shape_type::structure:
      if (!value.is_object()) return;
      for (const auto& m : s.members) {
        if (value.contains(m.name)) check_strings(label, value.at(m.name), *m.target, ptr + "/" + m.name);
      }
      return;
    case shape_type::list:
      if (!value.is_array()) return;
      for (std::size_t i = 0; i < value.size(); ++i) {
        check_strings(label, value[i], *s.element, ptr + "/" + std::to_string(i));
      }
      return;
    case shape_type::string: {
      if (!value.is_string()) return;
      const std::string text = value.get<std::string>();
      const auto n = static_cast<std::int64_t>(code_points(text));
      const std::string where = label.at("file").get<std::string>() + " at " + ptr;
      EXPECT_EQ(has_error(label, ptr, "length_min"), s.has_min && n < s.min) << where;
      EXPECT_EQ(has_error(label, ptr, "length_max"), s.has_max && n > s.max) << where;
      if (!s.pattern.empty()) {
        EXPECT_EQ(has_error(label, ptr, "pattern"), !spe::testing::oracle_for(s.pattern).full_match(text))
            << where << " (PCRE2 on " << s.pattern << ")";
      }
      return;
    }
    default: return;
  }
}

class corpus : public ::testing::TestWithParam<std::string> {};

TEST_P(corpus, every_label_is_what_spe_validate_says) {
  const fs::path dir = scratch("labels_" + GetParam());
  generate(GetParam(), dir, "7", "400");
  expect_labels_match(dir, GetParam());
  fs::remove_all(dir);
}

TEST_P(corpus, labels_agree_with_an_independent_derivation) {
  const spe::model::service_model* m = spe::model::builtin(GetParam());
  ASSERT_NE(m, nullptr);
  const fs::path dir = scratch("derive_" + GetParam());
  generate(GetParam(), dir, "11", "300");
  std::size_t checked = 0;
  for (const json& l : read_manifest(dir)) {
    if (l.at("expect") == "malformed" || l.at("exception") == "SerializationException") continue;
    // nlohmann refuses numbers past double (1e400, in unknown members): skipped.
    const json body = json::parse(read_file(dir / l.at("file").get<std::string>()), nullptr, false);
    if (body.is_discarded()) continue;
    check_strings(l, body, *m->input(), "");
    ++checked;
  }
  EXPECT_GT(checked, 100u);
  fs::remove_all(dir);
}

TEST_P(corpus, holds_every_kind_of_body_section_5_lists) {
  using spe::model::shape_type;
  const spe::model::service_model* m = spe::model::builtin(GetParam());
  ASSERT_NE(m, nullptr);
  const fs::path dir = scratch("kinds_" + GetParam());
  generate(GetParam(), dir, "1", "0");
  struct seen {
    json label;
    json body;  // null when not JSON
  };
  std::vector<seen> all;
  for (const json& l : read_manifest(dir)) {
    const std::string text = read_file(dir / l.at("file").get<std::string>());
    all.push_back({l, json::parse(text, nullptr, false)});
  }
  auto any = [&](auto pred) {
    return std::any_of(all.begin(), all.end(), [&](const seen& s) { return pred(s); });
  };

  std::vector<position> where;
  positions(*m->input(), "", false, false, where);
  for (const position& p : where) {
    const auto& s = *p.shape;
    const std::string ptr = p.pointer;
    if (s.type == shape_type::string || s.type == shape_type::list) {
      // min-1/min and max/max+1, as section 5 lists them.
      std::vector<std::pair<std::int64_t, std::int64_t>> edges;  // edge, step outward
      if (s.has_min) edges.emplace_back(s.min, -1);
      if (s.has_max) edges.emplace_back(s.max, +1);
      const bool string = s.type == shape_type::string;
      const std::string below = string ? "length_min" : "count_min";
      const std::string above = string ? "length_max" : "count_max";
      auto size_of = [&](const json* v) -> std::int64_t {
        if (!v) return -1;
        if (string && v->is_string()) return static_cast<std::int64_t>(code_points(v->get<std::string>()));
        if (!string && v->is_array()) return static_cast<std::int64_t>(v->size());
        return -1;
      };
      for (const auto& edge_step : edges) {
        const std::int64_t edge = edge_step.first;  // a plain local: lambdas capture it
        for (const std::int64_t n : {edge, edge + edge_step.second}) {
          if (n < 0) continue;
          const bool inside = (!s.has_min || n >= s.min) && (!s.has_max || n <= s.max);
          EXPECT_TRUE(any([&](const seen& x) {
            if (size_of(at_pointer(x.body, ptr)) != n) return false;
            return inside ? !has_error(x.label, ptr, below) && !has_error(x.label, ptr, above)
                          : has_error(x.label, ptr, n < edge ? below : above);
          })) << ptr << ": no body of size " << n << (inside ? " (inside)" : " (outside)");
        }
      }
      // Astral characters at the max, where the pattern lets them be.
      if (string && s.has_max &&
          (s.pattern.empty() || spe::testing::oracle_for(s.pattern).full_match("\xF0\x9D\x84\x9E"))) {
        EXPECT_TRUE(any([&](const seen& x) {
          const json* v = at_pointer(x.body, ptr);
          return v && v->is_string() && size_of(v) == s.max &&
                 v->get<std::string>().find("\xF0") != std::string::npos && x.label.at("expect") == "valid";
        })) << ptr << ": no valid body of " << s.max << " 4-byte code points";
      }
      if (string && !s.pattern.empty()) {
        EXPECT_TRUE(any([&](const seen& x) {
          const json* v = at_pointer(x.body, ptr);
          const std::int64_t n = size_of(v);
          return has_error(x.label, ptr, "pattern") && (!s.has_min || n >= s.min) &&
                 (!s.has_max || n <= s.max);
        })) << ptr << ": no near miss of " << s.pattern;
      }
      // Java's `.` against its line terminators, where a `.` takes them: a
      // valid value holding a non-terminator (VT), and a pattern error that
      // only its LF makes (PCRE2 accepts it with VT in place of the LF).
      if (string && s.pattern.find('.') != std::string::npos) {
        const auto& oracle = spe::testing::oracle_for(s.pattern);
        auto value_of = [&](const seen& x) {
          const json* v = at_pointer(x.body, ptr);
          return v && v->is_string() ? v->get<std::string>() : std::string("\x01");
        };
        EXPECT_TRUE(any([&](const seen& x) {
          return value_of(x).find('\x0B') != std::string::npos && x.label.at("expect") == "valid";
        })) << ptr << ": no valid value holding a non-terminator where `.` takes it";
        EXPECT_TRUE(any([&](const seen& x) {
          std::string v = value_of(x);
          if (v.find('\n') == std::string::npos || !has_error(x.label, ptr, "pattern")) return false;
          std::replace(v.begin(), v.end(), '\n', '\x0B');
          return oracle.full_match(v);
        })) << ptr << ": no LF where `.` would take a non-terminator";
      }
    }
    if (s.type == shape_type::integer || s.type == shape_type::long_integer) {
      const std::int64_t wmax = s.type == shape_type::integer ? INT32_MAX : INT64_MAX;
      auto value_is = [&](const seen& x, std::int64_t v) {
        const json* j = at_pointer(x.body, ptr);
        return j && j->is_number_integer() && j->get<std::int64_t>() == v;
      };
      if (s.has_min) {
        EXPECT_TRUE(any([&](const seen& x) { return value_is(x, s.min) && !has_error(x.label, ptr, "value_min"); }))
            << ptr;
        EXPECT_TRUE(any([&](const seen& x) { return value_is(x, s.min - 1) && has_error(x.label, ptr, "value_min"); }))
            << ptr;
      }
      EXPECT_TRUE(any([&](const seen& x) { return value_is(x, wmax) && x.label.at("expect") == "valid"; }))
          << ptr << ": the top of the integer's width";
      EXPECT_TRUE(any([&](const seen& x) {
        const json* j = at_pointer(x.body, ptr);
        return j && j->is_number() && !j->is_number_float() && has_error(x.label, ptr, "type") &&
               (j->is_number_unsigned() ? j->get<std::uint64_t>() > static_cast<std::uint64_t>(wmax)
                                        : j->get<std::int64_t>() > wmax);
      })) << ptr << ": one past the integer's width";
    }
    if (!ptr.empty() && p.required) {
      EXPECT_TRUE(any([&](const seen& x) {
        return x.body.is_object() && !at_pointer(x.body, ptr) && has_error(x.label, ptr, "required") &&
               x.label.at("errors").size() == 1;
      })) << ptr << ": never missing";
      EXPECT_TRUE(any([&](const seen& x) {
        const json* v = at_pointer(x.body, ptr);
        return v && v->is_null() && has_error(x.label, ptr, "required");
      })) << ptr << ": never null";
    }
    // Every JSON type but the right one.
    for (const auto& [kind, test] : std::vector<std::pair<std::string, bool (*)(const json&)>>{
             {"string", [](const json& v) { return v.is_string(); }},
             {"number", [](const json& v) { return v.is_number(); }},
             {"boolean", [](const json& v) { return v.is_boolean(); }},
             {"array", [](const json& v) { return v.is_array(); }},
             {"object", [](const json& v) { return v.is_object(); }}}) {
      const bool right = (kind == "string" && s.type == shape_type::string) ||
                         (kind == "number" && (s.type == shape_type::integer || s.type == shape_type::long_integer)) ||
                         (kind == "array" && s.type == shape_type::list) ||
                         (kind == "object" && s.type == shape_type::structure);
      if (right) continue;
      EXPECT_TRUE(any([&, test = test](const seen& x) {
        const json* v = ptr.empty() ? &x.body : at_pointer(x.body, ptr);
        return v && test(*v) && has_error(x.label, ptr, "type");
      })) << (ptr.empty() ? "/" : ptr) << ": never a JSON " << kind;
    }
  }

  // The hazards of section 2.
  for (const std::string kind : {"utf8", "syntax", "depth"}) {
    EXPECT_TRUE(any([&](const seen& x) { return x.label.at("expect") == "malformed" && has_error(x.label, "", kind); }))
        << "no malformed body of kind " << kind;
  }
  EXPECT_TRUE(any([&](const seen& x) {
    const std::string t = read_file(dir / x.label.at("file").get<std::string>());
    return t.rfind("\xEF\xBB\xBF", 0) == 0 && x.label.at("expect") == "malformed";
  })) << "no BOM";
  for (const std::string lone : {"\\ud800", "\\udc00"}) {
    EXPECT_TRUE(any([&](const seen& x) {
      return read_file(dir / x.label.at("file").get<std::string>()).find(lone) != std::string::npos &&
             x.label.at("expect") == "malformed";
    })) << "no lone surrogate " << lone;
  }
  EXPECT_TRUE(any([&](const seen& x) {
    return x.label.at("expect") == "invalid" && x.label.at("errors").size() == 1 &&
           x.label.at("errors")[0].at("constraint") == "duplicate_member";
  }));
  EXPECT_TRUE(any([&](const seen& x) {
    return x.label.value("strict", false) && x.label.at("errors").size() == 1 &&
           x.label.at("errors")[0].at("constraint") == "unknown_member";
  }));
  fs::remove_all(dir);
}

TEST_P(corpus, the_same_seed_writes_the_same_bytes) {
  const fs::path a = scratch("same_a_" + GetParam());
  const fs::path b = scratch("same_b_" + GetParam());
  const fs::path c = scratch("same_c_" + GetParam());
  // Drawing on one thread or three changes nothing.
  generate(GetParam(), a, "42", "1500", "--jobs 1");
  generate(GetParam(), b, "42", "1500", "--jobs 3");
  generate(GetParam(), c, "43", "1500");
  const std::string manifest = read_file(a / "manifest.jsonl");
  EXPECT_EQ(manifest, read_file(b / "manifest.jsonl"));
  EXPECT_NE(manifest, read_file(c / "manifest.jsonl"));
  std::size_t boundary = 0;
  for (const json& l : read_manifest(a)) {
    const std::string file = l.at("file");
    EXPECT_EQ(read_file(a / file), read_file(b / file)) << file;
    if (file.find("-random-") == std::string::npos) {
      ++boundary;
      EXPECT_EQ(read_file(a / file), read_file(c / file)) << file << ": the boundary set changed with the seed";
    }
  }
  EXPECT_GT(boundary, 100u);
  // An existing corpus is not overwritten by accident.
  EXPECT_EQ(run(quote(spe) + " gen --revision " + GetParam() + " --out " + quote(a.string())).code, 64);
  for (const fs::path& d : {a, b, c}) fs::remove_all(d);
}

// manifest.jsonl appears only once the whole corpus is on disk (it is
// written line by line under a temporary name, so that millions of labels
// never sit in memory): a finished run leaves no temporary behind, and a run
// that cannot write its labels answers 74 and leaves no manifest.jsonl.
TEST_P(corpus, the_manifest_appears_only_for_a_whole_corpus) {
  const fs::path whole = scratch("whole_" + GetParam());
  generate(GetParam(), whole, "5", "50");
  EXPECT_TRUE(fs::exists(whole / "manifest.jsonl"));
  EXPECT_FALSE(fs::exists(whole / "manifest.jsonl.partial"));

  const fs::path broken = scratch("broken_" + GetParam());
  // A directory where the temporary manifest goes: it cannot be opened as a
  // file, and --force (which it calls for) deletes files only.
  fs::create_directories(broken / "manifest.jsonl.partial");
  const auto r = run("(" + quote(spe) + " gen --force --revision " + GetParam() + " --random 50 --out " +
                     quote(broken.string()) + " 2>&1)");
  EXPECT_EQ(r.code, 74) << r.out;
  EXPECT_NE(r.out.find("manifest.jsonl.partial"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(broken / "manifest.jsonl"));
  fs::remove_all(whole);
  fs::remove_all(broken);
}

// --size-bound adds SPEC.md 2.1's size bound, left out by default: a body
// of exactly json::default_max_size bytes that spe accepts and one a byte
// longer that it refuses as malformed by size; the rest of the corpus is
// what it is without the flag.
TEST_P(corpus, the_size_bound_on_request) {
  const fs::path with = scratch("size_" + GetParam());
  const fs::path without = scratch("nosize_" + GetParam());
  generate(GetParam(), with, "1", "0", "--size-bound");
  generate(GetParam(), without, "1", "0");
  expect_labels_match(with, GetParam());
  std::vector<json> sized;
  for (const json& l : read_manifest(with)) {
    const auto bytes = fs::file_size(with / l.at("file").get<std::string>());
    if (bytes >= spe::json::default_max_size) sized.push_back(l);
  }
  ASSERT_EQ(sized.size(), 2u);
  EXPECT_EQ(fs::file_size(with / sized[0].at("file").get<std::string>()), spe::json::default_max_size);
  EXPECT_EQ(sized[0].at("expect"), "valid");
  EXPECT_EQ(fs::file_size(with / sized[1].at("file").get<std::string>()), spe::json::default_max_size + 1);
  EXPECT_EQ(sized[1].at("expect"), "malformed");
  ASSERT_EQ(sized[1].at("errors").size(), 1u);
  EXPECT_EQ(sized[1].at("errors")[0].at("constraint"), "size");
  EXPECT_EQ(sized[1].at("errors")[0].at("bound"), std::to_string(spe::json::default_max_size));
  EXPECT_EQ(read_manifest(with).size(), read_manifest(without).size() + 2);
  fs::remove_all(with);
  fs::remove_all(without);
}

TEST_P(corpus, the_committed_corpus_replays_and_is_current) {
  const fs::path committed = fs::path(SPE_SOURCE_DIR) / "corpus" / "labelled" / GetParam();
  ASSERT_TRUE(fs::exists(committed / "manifest.jsonl")) << "run scripts/regen-corpora";
  expect_labels_match(committed, GetParam());
  const fs::path fresh = scratch("fresh_" + GetParam());
  generate(GetParam(), fresh, committed_seed, committed_random);
  const auto now = read_manifest(fresh);
  const auto then = read_manifest(committed);
  EXPECT_EQ(now, then) << "corpus/labelled/" << GetParam()
                       << " is not what spe gen writes today: run scripts/regen-corpora";
  for (const json& l : now) {
    const std::string file = l.at("file");
    EXPECT_EQ(read_file(fresh / file), read_file(committed / file)) << file;
  }
  fs::remove_all(fresh);
}

// The seed revision's model file, for a test to edit into a --model of its own.
json seed_model() {
  std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/seed.json");
  return json::parse(in);
}

// Writes `m` to `file` (its folder made) and returns the options that
// generate and judge by it.
std::string write_model(const json& m, const fs::path& file) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::trunc) << m.dump();
  return "--model " + quote(file.string()) + " --operation StartPipelineExecution";
}

// Recursive --model files. A parameter may hold parameters (Kids, a list
// of 0..50; Self, an optional member) and an optional Knot, a structure that
// requires itself, so no valid body holds one. spe gen used to recurse
// until the stack overflowed on Kids, and to label bodies holding a Knot or
// a Self-requiring parameter as if they were minimal; now every label is
// what spe validate says, nothing holds a Knot, and a model whose request
// itself recurses without end is refused (exit 64): no label could be right.
TEST(corpus_model, a_recursive_model_is_labelled_as_spe_validate_judges_it) {
  json m = seed_model();
  json& shapes = m["shapes"];
  shapes["Parameter"]["members"]["Kids"] = {{"shape", "ParameterList"}};
  shapes["Parameter"]["members"]["Self"] = {{"shape", "Parameter"}};
  shapes["Parameter"]["members"]["Knot"] = {{"shape", "Knot"}};
  shapes["Knot"] = {{"type", "structure"}, {"required", {"Again"}},
                    {"members", {{"Again", {{"shape", "Knot"}}}}}};
  const fs::path dir = scratch("recursive");
  const fs::path model = dir / "recursive.json";
  const std::string options = write_model(m, model);
  generate(options, dir / "corpus", "5", "300");
  expect_labels_match(dir / "corpus", options, model.string());
  const std::string manifest = read_file(dir / "corpus" / "manifest.jsonl");
  EXPECT_NE(manifest.find("/Kids/"), std::string::npos);
  EXPECT_NE(manifest.find("/Self/"), std::string::npos);
  for (const json& l : read_manifest(dir / "corpus")) {
    const std::string file = l.at("file");
    EXPECT_EQ(read_file(dir / "corpus" / file).find("\"Knot\":"), std::string::npos) << file;
  }

  shapes["StartPipelineExecutionRequest"]["members"]["Again"] = {
      {"shape", "StartPipelineExecutionRequest"}};
  shapes["StartPipelineExecutionRequest"]["required"].push_back("Again");
  write_model(m, model);
  EXPECT_EQ(run(quote(spe) + " gen " + options + " --out " + quote((dir / "none").string())).code,
            64);
  fs::remove_all(dir);
}

// A pattern with no `.` that admits a multi-byte character (here e-acute in
// a class) still gets valid bodies of it at the length bounds, as the README
// says: "where it admits such characters at that length the body is valid
// at min and max".
TEST(corpus_model, a_class_with_a_multibyte_character_gives_valid_bodies_of_it) {
  json m = seed_model();
  const std::string pattern = "a[a-z\xC3\xA9]*";
  const std::string name_shape = m["shapes"]["Parameter"]["members"]["Name"]["shape"];
  json& name = m["shapes"][name_shape];
  name["pattern"] = pattern;
  const std::int64_t most = name.at("max");
  const fs::path dir = scratch("eacute");
  const fs::path model = dir / "eacute.json";
  const std::string options = write_model(m, model);
  generate(options, dir / "corpus", "1", "0");
  expect_labels_match(dir / "corpus", options, model.string());
  const auto& oracle = spe::testing::oracle_for(pattern);
  bool found = false;
  for (const json& l : read_manifest(dir / "corpus")) {
    if (l.at("expect") != "valid") continue;
    const json body = json::parse(read_file(dir / "corpus" / l.at("file").get<std::string>()), nullptr, false);
    const json* v = at_pointer(body, "/PipelineParameters/0/Name");
    if (!v || !v->is_string()) continue;
    const std::string text = v->get<std::string>();
    if (static_cast<std::int64_t>(code_points(text)) == most && text.find("\xC3\xA9") != std::string::npos) {
      EXPECT_TRUE(oracle.full_match(text));
      found = true;
    }
  }
  EXPECT_TRUE(found) << "no valid Name of " << most << " code points holding e-acute";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(revisions, corpus,
                         ::testing::Values("seed", "botocore-1.29", "botocore-1.43"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) c = (c == '-' || c == '.') ? '_' : c;
                           return n;
                         });

}  // namespace
