// `--model FILE --operation NAME`: the loader takes a full botocore
// service-2.json, and for StartPipelineExecution it gives exactly the shapes
// of the built-in revision extracted from the same botocore.
//
// The files come from the installed botocore packages, found at test time
// through the interpreter that owns each one (tests/interop.cmake passes
// their paths): Debian's /usr/bin/python3 has python3-botocore 1.29, whose
// service-2.json is plain JSON; the image's python3 has pip's 1.43, whose
// file is gzip-compressed (zlib's gzread reads both forms).
#include <zlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <simdjson.h>

#include "model_describe.hpp"
#include "spe/model.hpp"
#include "spe/pattern.hpp"

namespace {

namespace fs = std::filesystem;

// Runs `command` and returns its standard output with the final newline removed.
std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// The whole of a file, gunzipped if it is gzip (gzread passes plain files through).
std::string read_maybe_gzip(const fs::path& path) {
  std::string out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return out;
  std::array<char, 1 << 16> buf{};
  int n = 0;
  while ((n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0) {
    out.append(buf.data(), static_cast<std::size_t>(n));
  }
  const bool ok = n == 0;
  gzclose(f);
  return ok ? out : std::string();
}

struct installed {
  std::string version;  // botocore.__version__
  fs::path service_json;
};

// Finds botocore's data/sagemaker/<api-version>/service-2.json[.gz] for the
// botocore that `python` imports; the newest API version if several.
installed find_sagemaker(const std::string& python) {
  installed out;
  std::string lines = run(python +
                          " -c 'import botocore, os; print(botocore.__version__); "
                          "print(os.path.dirname(botocore.__file__))' 2>/dev/null");
  auto nl = lines.find('\n');
  if (nl == std::string::npos) return out;
  out.version = lines.substr(0, nl);
  fs::path data = fs::path(lines.substr(nl + 1)) / "data" / "sagemaker";
  std::error_code ec;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(data, ec)) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (auto it = dirs.rbegin(); it != dirs.rend() && out.service_json.empty(); ++it) {
    for (const char* name : {"service-2.json", "service-2.json.gz"}) {
      if (fs::exists(*it / name, ec)) {
        out.service_json = *it / name;
        break;
      }
    }
  }
  return out;
}

void expect_full_model_matches(const std::string& python, std::string_view revision,
                               const std::string& major_minor) {
  installed found = find_sagemaker(python);
  ASSERT_FALSE(found.version.empty()) << python << " cannot import botocore";
  ASSERT_EQ(found.version.rfind(major_minor + ".", 0), 0u)
      << python << " has botocore " << found.version << ", expected " << major_minor << ".*";
  ASSERT_FALSE(found.service_json.empty())
      << "no sagemaker service-2.json under " << python << "'s botocore";
  std::string text = read_maybe_gzip(found.service_json);
  ASSERT_GT(text.size(), 100000u) << "could not read " << found.service_json;

  auto start = std::chrono::steady_clock::now();
  auto full = spe::model::load(text, "StartPipelineExecution", "full");
  auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(full) << found.service_json << ": " << full.error().message;
  std::printf("loaded %s (%zu bytes, botocore %s) in %.1f ms\n", found.service_json.c_str(),
              text.size(), found.version.c_str(), took.count());

  const spe::model::service_model* embedded = spe::model::builtin(revision);
  ASSERT_NE(embedded, nullptr);
  EXPECT_EQ(spe_test::describe(*full), spe_test::describe(*embedded));
  EXPECT_EQ(full->revision(), "full");

  // Every pattern of the whole service that spe supports gets a DFA: the
  // bound on simulated NFAs (pattern::max_simulated_states) refuses none of
  // AWS's own. The others are outside the subset or past max_repeat.
  simdjson::dom::parser parser;
  simdjson::dom::object shapes;
  ASSERT_EQ(parser.parse(text)["shapes"].get(shapes), simdjson::SUCCESS);
  std::size_t compiled = 0;
  for (auto [name, shape] : shapes) {
    std::string_view pattern;
    if (shape["pattern"].get(pattern) != simdjson::SUCCESS) continue;
    SCOPED_TRACE("shape " + std::string(name) + " pattern " + std::string(pattern));
    auto c = spe::pattern::compile(pattern);
    if (c) {
      ++compiled;
      EXPECT_TRUE(c->matcher.deterministic());
    } else {
      EXPECT_THAT(c.error().code, ::testing::AnyOf(spe::pattern::error_code::unsupported,
                                                   spe::pattern::error_code::repeat_too_large))
          << spe::pattern::to_string(c.error());
    }
  }
  EXPECT_GT(compiled, 100u);

  // Another operation of the same file fails naming what spe lacks: the
  // response of DescribePipelineExecution has an enum (its status) and
  // timestamps, which no shape of StartPipelineExecution uses.
  auto describe_pipeline = spe::model::load(text, "DescribePipelineExecution", "full");
  ASSERT_FALSE(describe_pipeline) << "DescribePipelineExecution loaded, though spe has no enum";
  EXPECT_THAT(describe_pipeline.error().message,
              ::testing::ContainsRegex("^shape '[A-Za-z0-9]+'.* is not supported"));
}

TEST(ModelBotocore, FullServiceModelOfTheImagesBotocore) {
  expect_full_model_matches(SPE_PYTHON3, "botocore-1.43", "1.43");
}

TEST(ModelBotocore, FullServiceModelOfDebiansBotocore) {
  expect_full_model_matches(SPE_DEBIAN_PYTHON3, "botocore-1.29", "1.29");
}

}  // namespace
