// judge(json::padded_view) reads the caller's buffer in place, where
// judge(std::string_view) copies it first: the two must give the same
// judgement on every body, whatever bytes lie in the padding after it --
// quotes, backslashes, digits, brackets, invalid UTF-8 -- since those bytes
// are outside the text. The bodies are every committed corpus: the labelled
// corpora of each revision and the fuzz corpora of the request targets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "spe/validate.hpp"
#include "support/bodies.hpp"
#include "support/counting_new.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> bodies_under(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename() != "manifest.jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

// Everything a caller sees of a judgement.
void expect_same(const spe::judgement& a, const spe::judgement& b, const std::string& what) {
  ASSERT_EQ(a.result, b.result) << what;
  EXPECT_EQ(a.exception, b.exception) << what;
  EXPECT_EQ(a.message, b.message) << what;
  ASSERT_EQ(a.errors.size(), b.errors.size()) << what;
  for (std::size_t i = 0; i < a.errors.size(); ++i) {
    EXPECT_EQ(a.errors[i].kind, b.errors[i].kind) << what;
    EXPECT_EQ(a.errors[i].pointer, b.errors[i].pointer) << what;
    EXPECT_EQ(a.errors[i].offset, b.errors[i].offset) << what;
    EXPECT_EQ(a.errors[i].message, b.errors[i].message) << what;
  }
  EXPECT_EQ(a.notes.size(), b.notes.size()) << what;
}

// The padding fills: each is a byte that would change the verdict if the
// reader took it for part of the text.
constexpr char fills[] = {'"', '\\', '1', '}', ',', ' ', '\0', static_cast<char>(0xFF)};

class padded : public ::testing::TestWithParam<std::string_view> {};

TEST_P(padded, in_place_judgement_equals_the_copying_one_whatever_the_padding_holds) {
  const auto* model = spe::model::builtin(GetParam());
  ASSERT_NE(model, nullptr);
  const fs::path root(SPE_SOURCE_DIR);
  std::vector<std::string> bodies = bodies_under(root / "corpus/labelled" / std::string(GetParam()));
  for (const char* target : {"validate", "structured", "roundtrip"}) {
    std::vector<std::string> more = bodies_under(root / "corpus" / target);
    bodies.insert(bodies.end(), more.begin(), more.end());
  }
  ASSERT_GT(bodies.size(), 300u) << "corpora missing under " << root;

  spe::validator copying(*model);
  spe::validator in_place(*model);
  std::size_t valid = 0;
  std::size_t k = 0;
  for (const std::string& body : bodies) {
    const char fill = fills[k++ % std::size(fills)];
    // A buffer exactly as large as the text plus the padding, so that a
    // read past it is caught by ASan in the asan preset.
    std::vector<char> buffer(body.size() + spe::json::padding, fill);
    std::copy(body.begin(), body.end(), buffer.begin());
    const spe::json::padded_view view(buffer.data(), body.size(), buffer.size());
    ASSERT_TRUE(view.padded());
    const spe::judgement& a = copying.judge(body);
    const spe::judgement& b = in_place.judge(view);
    expect_same(a, b, "body #" + std::to_string(k - 1) + " with padding byte " +
                          std::to_string(static_cast<unsigned char>(fill)));
    if (a.result == spe::verdict::valid) {
      ++valid;
      std::string ca;
      std::string cb;
      ASSERT_TRUE(copying.canonical(ca));
      ASSERT_TRUE(in_place.canonical(cb));
      EXPECT_EQ(ca, cb);
    }
  }
  // Both verdicts are exercised.
  EXPECT_GT(valid, 20u);
  EXPECT_LT(valid, bodies.size());
}

TEST_P(padded, a_view_without_room_for_the_padding_is_copied_and_judged_the_same) {
  const auto* model = spe::model::builtin(GetParam());
  ASSERT_NE(model, nullptr);
  spe::validator v(*model);
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":"0123456789abcdefghijklmnopqrstuvwxyz"})";
  const std::vector<char> exact(body.begin(), body.end());  // no byte to spare
  const spe::json::padded_view view(exact.data(), exact.size(), exact.size());
  EXPECT_FALSE(view.padded());
  const spe::verdict expected = v.judge(body).result;
  EXPECT_EQ(v.judge(view).result, expected);
  // A truncated body in a tight buffer: malformed, and no read past it.
  const spe::json::padded_view cut(exact.data(), exact.size() - 1, exact.size() - 1);
  EXPECT_EQ(v.judge(cut).result, spe::verdict::malformed);
}

TEST_P(padded, padded_view_of_a_string_reserves_the_padding_and_judging_it_allocates_nothing) {
  const auto* model = spe::model::builtin(GetParam());
  ASSERT_NE(model, nullptr);
  spe::validator v(*model);
  std::string body = spe::testing::body(*model->input(), true).dump();
  body.shrink_to_fit();
  const spe::json::padded_view view = spe::json::padded_view::of(body);
  EXPECT_TRUE(view.padded());
  EXPECT_EQ(view.text(), body);
  EXPECT_GE(body.capacity(), body.size() + spe::json::padding);
  ASSERT_EQ(v.judge(view).result, spe::verdict::valid) << v.judge(view).message;
  allocations = 0;
  counting = true;
  const spe::verdict again = v.judge(view).result;
  counting = false;
  EXPECT_EQ(again, spe::verdict::valid);
  EXPECT_EQ(allocations.load(), 0u);
}

INSTANTIATE_TEST_SUITE_P(revisions, padded, ::testing::ValuesIn(spe::model::builtin_revisions()),
                         [](const auto& info) {
                           std::string n(info.param);
                           std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(c); }, '_');
                           return n;
                         });

}  // namespace
