// Text generation: every code point is a Unicode scalar value, every class
// the header promises is reached, text() is UTF-8 of exactly n code points
// (checked by a decoder written here, not by spe's), and any_json() is
// well-formed JSON that spe's strict reader accepts.
#include <gtest/gtest.h>

#include <set>

#include "spe/gen.hpp"
#include "spe/json.hpp"

namespace {

using namespace spe;

// A strict UTF-8 decoder: false on any ill-formed sequence (overlong,
// surrogate, above U+10FFFF, truncated).
bool decode_all(std::string_view s, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b < 0x80) {
      n = 1, cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      n = 2, cp = b & 0x1Fu, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      n = 3, cp = b & 0x0Fu, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      n = 4, cp = b & 0x07u, min = 0x10000;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += n;
  }
  return true;
}

TEST(gen_text, code_points_are_scalar_values_of_every_class) {
  gen::seeded_source s(1);
  std::set<std::string> seen;
  std::set<char32_t> terminators;
  for (int i = 0; i < 20000; ++i) {
    const char32_t cp = gen::code_point(s);
    ASSERT_LE(static_cast<std::uint32_t>(cp), 0x10FFFFu);
    ASSERT_FALSE(cp >= 0xD800 && cp <= 0xDFFF) << std::hex << static_cast<std::uint32_t>(cp);
    if (cp == 0) seen.insert("NUL");
    if (cp > 0 && cp < 0x20 && cp != U'\n' && cp != U'\r') seen.insert("C0 control");
    if (cp >= 0x20 && cp < 0x7F) seen.insert("printable ASCII");
    if (cp >= 0x80 && cp < 0x800) seen.insert("2-byte");
    if (cp >= 0x800 && cp < 0x10000) seen.insert("3-byte");
    if (cp >= 0x10000) seen.insert("4-byte");
    if (cp == U'\n' || cp == U'\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
      terminators.insert(cp);
    }
  }
  EXPECT_EQ(seen, (std::set<std::string>{"NUL", "C0 control", "printable ASCII", "2-byte",
                                         "3-byte", "4-byte"}));
  EXPECT_EQ(terminators.size(), 5u) << "all five Java line terminators";
}

TEST(gen_text, draw_zero_is_the_letter_a) {
  gen::bytes_source zero({});
  EXPECT_EQ(gen::code_point(zero), U'a');
  EXPECT_EQ(gen::text(zero, 3), "aaa");
}

TEST(gen_text, text_is_utf8_of_exactly_n_code_points) {
  gen::seeded_source s(2);
  for (std::size_t n : {0u, 1u, 2u, 17u, 300u}) {
    for (int rep = 0; rep < 50; ++rep) {
      const std::string t = gen::text(s, n);
      std::vector<char32_t> cps;
      ASSERT_TRUE(decode_all(t, cps));
      EXPECT_EQ(cps.size(), n);
      EXPECT_EQ(gen::code_points(t), n);
    }
  }
}

TEST(gen_text, append_utf8_writes_the_shortest_form) {
  std::string out;
  gen::append_utf8(out, 0x24);
  gen::append_utf8(out, 0xA2);
  gen::append_utf8(out, 0x20AC);
  gen::append_utf8(out, 0x10348);
  EXPECT_EQ(out, "\x24\xC2\xA2\xE2\x82\xAC\xF0\x90\x8D\x88");  // RFC 3629's examples
}

TEST(gen_text, any_json_is_well_formed_and_deterministic) {
  gen::seeded_source s(3);
  gen::seeded_source again(3);
  json::reader reader;
  json::document doc;
  json::options opts;
  std::set<json::kind> roots;
  for (int i = 0; i < 2000; ++i) {
    const std::string j = gen::any_json(s, 4);
    EXPECT_EQ(j, gen::any_json(again, 4));
    const json::error e = reader.read(j, opts, doc);
    ASSERT_EQ(e.code, json::error_code::ok) << j;
    EXPECT_EQ(doc.first_duplicate(), 0u) << "keys are distinct: " << j;
    roots.insert(doc.root().type);
  }
  EXPECT_EQ(roots.size(), 6u) << "null, boolean, number, string, array and object roots";
  gen::bytes_source zero({});
  EXPECT_EQ(gen::any_json(zero), "null");
}

}  // namespace
