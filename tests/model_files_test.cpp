// The built-in revisions are models/*.json, embedded byte for byte and loaded
// without losing or inventing anything.
//
// A second, independent reader (nlohmann::ordered_json, not simdjson) walks
// each model file and the loaded model is compared with it shape by shape:
// every trait the file writes for a reachable shape is in the loaded model,
// and nothing else. Also: the embedded text is the file, and concurrent first
// use of builtin() loads each revision once.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "spe/model.hpp"

namespace {

using json = nlohmann::ordered_json;
using spe::model::service_model;
using spe::model::shape;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string model_path(std::string_view revision) {
  return std::string(SPE_SOURCE_DIR) + "/models/" + std::string(revision) + ".json";
}

TEST(ModelFiles, EmbeddedTextIsTheFile) {
  for (std::string_view r : spe::model::builtin_revisions()) {
    SCOPED_TRACE(std::string(r));
    std::string file = read_file(model_path(r));
    ASSERT_FALSE(file.empty());
    EXPECT_TRUE(spe::model::builtin_source(r) == file);
  }
}

// Compares one loaded shape with the file's definition of it.
void expect_same(const shape& s, const json& shapes) {
  SCOPED_TRACE("shape " + s.name);
  ASSERT_TRUE(shapes.contains(s.name));
  const json& def = shapes.at(s.name);
  EXPECT_EQ(spe::model::to_string(s.type), def.at("type").get<std::string>());
  EXPECT_EQ(s.has_min, def.contains("min"));
  if (def.contains("min")) {
    EXPECT_EQ(s.min, def.at("min").get<std::int64_t>());
  }
  EXPECT_EQ(s.has_max, def.contains("max"));
  if (def.contains("max")) {
    EXPECT_EQ(s.max, def.at("max").get<std::int64_t>());
  }
  EXPECT_EQ(s.pattern, def.value("pattern", std::string()));
  EXPECT_EQ(s.exception, def.value("exception", false));
  if (def.contains("member")) {
    ASSERT_NE(s.element, nullptr);
    EXPECT_EQ(s.element->name, def.at("member").at("shape").get<std::string>());
  } else {
    EXPECT_EQ(s.element, nullptr);
  }
  std::vector<std::string> required;
  if (def.contains("required")) required = def.at("required").get<std::vector<std::string>>();
  const json members = def.value("members", json::object());
  ASSERT_EQ(s.members.size(), members.size());
  std::size_t i = 0;
  for (const auto& [name, ref] : members.items()) {
    const auto& m = s.members[i++];
    EXPECT_EQ(m.name, name);
    EXPECT_EQ(m.target->name, ref.at("shape").get<std::string>());
    EXPECT_EQ(m.required, std::find(required.begin(), required.end(), name) != required.end())
        << name;
  }
}

TEST(ModelFiles, LoadedModelMatchesAnIndependentReading) {
  for (std::string_view r : spe::model::builtin_revisions()) {
    SCOPED_TRACE(std::string(r));
    const json file = json::parse(read_file(model_path(r)));
    const service_model* m = spe::model::builtin(r);
    ASSERT_NE(m, nullptr);
    const json& op = file.at("operations").at("StartPipelineExecution");
    EXPECT_EQ(m->input()->name, op.at("input").at("shape").get<std::string>());
    EXPECT_EQ(m->output()->name, op.at("output").at("shape").get<std::string>());
    std::vector<std::string> errors;
    for (const auto& e : op.at("errors")) errors.push_back(e.at("shape").get<std::string>());
    std::vector<std::string> loaded_errors;
    for (const shape* e : m->errors()) loaded_errors.push_back(e->name);
    EXPECT_EQ(loaded_errors, errors);

    const json& shapes = file.at("shapes");
    std::vector<std::string> loaded;
    for (const shape* s : m->shapes()) {
      expect_same(*s, shapes);
      EXPECT_EQ(m->find(s->name), s);
      loaded.push_back(s->name);
    }
    // Every shape in the file is reachable, hence loaded.
    std::vector<std::string> in_file;
    for (const auto& [name, def] : shapes.items()) in_file.push_back(name);
    EXPECT_THAT(loaded, ::testing::UnorderedElementsAreArray(in_file));
    // scripts/extract_model.py writes shapes in the order it reaches them,
    // which is the order shapes() promises.
    if (r != "seed") {
      EXPECT_EQ(loaded, in_file);
    }
  }
}

TEST(ModelFiles, ConcurrentFirstUseLoadsOnce) {
  // ctest runs each test in its own process, so these threads race for the
  // first load; every one of them must get one and the same model.
  constexpr int threads = 8;
  std::vector<std::thread> pool;
  std::vector<const service_model*> seen(threads * 3, nullptr);
  std::atomic<bool> go{false};
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      int i = 0;
      for (std::string_view r : spe::model::builtin_revisions()) {
        seen[static_cast<std::size_t>(t * 3 + i++)] = spe::model::builtin(r);
      }
    });
  }
  go = true;
  for (auto& th : pool) th.join();
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < 3; ++i) {
      const auto* m = seen[static_cast<std::size_t>(t * 3 + i)];
      ASSERT_NE(m, nullptr);
      EXPECT_EQ(m, seen[static_cast<std::size_t>(i)]);
      EXPECT_EQ(m->revision(), spe::model::builtin_revisions()[static_cast<std::size_t>(i)]);
    }
  }
}

}  // namespace
