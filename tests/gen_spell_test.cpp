// JSON spellings: whatever spell() does to a text -- whitespace, escapes,
// member order -- an independent parser (nlohmann::json) reads the same
// value back; draw 0 changes nothing; astral characters are escaped as
// surrogate pairs; malformed input is returned untouched.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "spe/gen.hpp"

namespace {

using namespace spe;
using json = nlohmann::json;  // unordered: member order does not count

const std::string sample =
    R"({"a":"x\"y\\z\u0001","b":[1,-2.5e3,true,false,null,{}],"c":{"d":"\u00e9\u20ac\ud834\udd1e\n","e":[]},"f":""})";

TEST(gen_spell, every_spelling_reads_back_as_the_same_value) {
  const json original = json::parse(sample);
  gen::seeded_source s(1);
  for (int i = 0; i < 500; ++i) {
    gen::spelling how{s.one_in(2), s.one_in(2), s.one_in(2)};
    const std::string out = gen::spell(sample, s, how);
    EXPECT_EQ(json::parse(out), original) << out;
  }
}

TEST(gen_spell, draw_zero_and_no_spelling_give_the_plain_spelling) {
  // The plain spelling: compact, escapes only where JSON requires them.
  const std::string plain =
      "{\"a\":\"x\\\"y\\\\z\\u0001\",\"b\":[1,-2.5e3,true,false,null,{}],\"c\":{\"d\":"
      "\"\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\\n\",\"e\":[]},\"f\":\"\"}";
  ASSERT_EQ(json::parse(plain), json::parse(sample));
  gen::bytes_source zero({});
  EXPECT_EQ(gen::spell(sample, zero, {true, true, true}), plain);
  gen::seeded_source s(2);
  EXPECT_EQ(gen::spell(sample, s, {}), plain);
  EXPECT_EQ(gen::spell(plain, s, {}), plain);
}

TEST(gen_spell, each_spelling_shows_up) {
  gen::seeded_source s(3);
  bool spaced = false;
  bool escaped = false;
  bool paired = false;
  bool reordered = false;
  for (int i = 0; i < 300; ++i) {
    const std::string w = gen::spell(sample, s, {true, false, false});
    spaced = spaced || w.find_first_of(" \t\n\r") != std::string::npos;
    const std::string e = gen::spell(sample, s, {false, true, false});
    escaped = escaped || e.find("\\u0061") != std::string::npos || e.find("\\u0078") != std::string::npos;
    paired = paired || e.find("\\ud834\\udd1e") != std::string::npos ||
             e.find("\\uD834\\uDD1E") != std::string::npos;
    const std::string r = gen::spell(sample, s, {false, false, true});
    reordered = reordered || r.find("\"a\"") > r.find("\"f\"");
  }
  EXPECT_TRUE(spaced);
  EXPECT_TRUE(escaped);
  EXPECT_TRUE(paired) << "an astral character escaped as a surrogate pair";
  EXPECT_TRUE(reordered);
}

TEST(gen_spell, same_seed_same_bytes) {
  gen::seeded_source a(4);
  gen::seeded_source b(4);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(gen::spell(sample, a, {true, true, true}), gen::spell(sample, b, {true, true, true}));
  }
}

TEST(gen_spell, malformed_input_is_returned_untouched) {
  gen::seeded_source s(5);
  for (std::string bad : {"{", "[1,]", "{\"a\":1} x", "\"\xFF\"", ""}) {
    EXPECT_EQ(gen::spell(bad, s, {true, true, true}), bad);
  }
}

// The spelling recurses once per level: up to max_spell_depth a text is
// spelled, past it returned as it is -- never a stack overflow (60,000
// levels overflowed an 8 MiB stack before the bound).
TEST(gen_spell, nesting_past_the_bound_is_returned_untouched) {
  gen::seeded_source s(6);
  const auto nested = [](std::size_t depth) {
    return std::string(depth, '[') + " 1 " + std::string(depth, ']');
  };
  const std::string deepest = nested(gen::max_spell_depth);
  const std::string spelled = gen::spell(deepest, s, {});
  EXPECT_NE(spelled, deepest) << "not spelled at the bound";
  EXPECT_EQ(spelled.find(' '), std::string::npos);
  for (std::size_t depth : {std::size_t{gen::max_spell_depth} + 1, std::size_t{1'000'000}}) {
    const std::string deeper = nested(depth);
    EXPECT_EQ(gen::spell(deeper, s, {true, true, true}), deeper) << depth;
  }
}

}  // namespace
