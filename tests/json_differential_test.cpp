// The strict reader against two independent judges, over a list of tricky
// inputs and a few thousand generated and mutated ones (fixed seed, so a
// failure replays):
//
//  1. simdjson's DOM parser (a separate, full validating parser): the same
//     texts are accepted and rejected, and accepted texts give equal trees.
//     Deliberate differences, each checked rather than skipped:
//       - numbers outside what DOM can store: integers beyond uint64 and
//         numbers whose double overflows (1e400) are valid RFC 8259 JSON, so
//         the reader accepts them (keeping the raw text; the double is +-inf)
//         while DOM fails with NUMBER_ERROR (3.0.1) or BIGINT_ERROR (3.1 on;
//         support/simdjson_versions.hpp). A DOM number
//         error on a text the reader accepts must come with such a number
//         on the reader's tape.
//       - depth: both are given 1024 levels and the generated texts stay far
//         below it, so depth never decides a verdict here.
//  2. The reader's own error locator (detail::diagnose, scan.cpp), a plain
//     byte-at-a-time checker: it must accept exactly what the fast path
//     accepts, and on rejection read() must report its code and offset --
//     i.e. the reader never falls back to a guessed error.
//
// The UTF-8 locator is also held against simdjson::validate_utf8: same
// verdict, and the reported offset is where the first ill-formed sequence
// starts (everything before it is valid, no valid character starts there).

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <simdjson.h>

#include "json/scan.hpp"
#include "spe/json.hpp"
#include "support/rng.hpp"
#include "support/simdjson_versions.hpp"

namespace {

using namespace std::string_literals;
using spe::json::document;
using spe::json::error;
using spe::json::error_code;
using spe::json::kind;
using spe::json::node;
using spe::testing::rng;

constexpr std::uint32_t depth = 1024;  // simdjson DOM's default max depth

class generator {
 public:
  explicit generator(std::uint64_t seed) : r_(seed) {}
  rng& random() { return r_; }

  std::string document() {
    std::string out;
    ws(out);
    value(out, 0);
    ws(out);
    return out;
  }

 private:
  void ws(std::string& o) {
    static const char* const spaces[] = {"", "", "", " ", "\n  ", "\t", "\r\n"};
    o += r_.pick(spaces);
  }
  void string_body(std::string& o) {
    static const char* const pieces[] = {
        "a", "b", "Name", "Value", "xyz", " ", "0", "-",
        "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
        "\\u0041", "\\u00e9", "\\u20AC", "\\uD83D\\uDE00", "\\udbff\\udfff", "\\u0000", "\\u001f",
        "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\x7F", "{", "]", ",", ":"};
    const std::size_t n = r_.below(7);
    for (std::size_t i = 0; i < n; ++i) o += r_.pick(pieces);
  }
  void string(std::string& o) {
    o += '"';
    string_body(o);
    o += '"';
  }
  void key(std::string& o) {
    // A small alphabet of names, some escaped, so that duplicates happen.
    static const char* const keys[] = {"a", "b", "c", "\\u0061", "Name", "Value", "", "\\u00e9", "\xC3\xA9"};
    if (r_.chance(4)) {
      string(o);
    } else {
      o += '"';
      o += r_.pick(keys);
      o += '"';
    }
  }
  void digits(std::string& o, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) o += static_cast<char>('0' + r_.below(10));
  }
  void number(std::string& o) {
    if (r_.chance(3)) o += '-';
    if (r_.chance(5)) {
      o += '0';
    } else {
      o += static_cast<char>('1' + r_.below(9));
      // Up to 24 more digits: past int64, uint64 and exact doubles.
      digits(o, r_.chance(3) ? r_.below(25) : r_.below(4));
    }
    if (r_.chance(3)) {
      o += '.';
      digits(o, 1 + r_.below(20));
    }
    if (r_.chance(4)) {
      o += r_.chance(2) ? 'e' : 'E';
      if (r_.chance(2)) o += r_.chance(2) ? '+' : '-';
      digits(o, 1 + r_.below(3));  // up to e999: over- and underflow
    }
  }
  void value(std::string& o, int level) {
    const std::size_t k = r_.below(level >= 6 ? 6 : 9);
    switch (k) {
      case 0: o += "null"; return;
      case 1: o += r_.chance(2) ? "true" : "false"; return;
      case 2: case 3: number(o); return;
      case 4: case 5: string(o); return;
      case 6: case 7: {
        o += '[';
        ws(o);
        const std::size_t n = r_.below(5);
        for (std::size_t i = 0; i < n; ++i) {
          if (i) {
            ws(o);
            o += ',';
            ws(o);
          }
          value(o, level + 1);
        }
        ws(o);
        o += ']';
        return;
      }
      default: {
        o += '{';
        ws(o);
        // Now and then a large object, to take the sorting duplicate check.
        const std::size_t n = r_.chance(12) ? 17 + r_.below(10) : r_.below(5);
        for (std::size_t i = 0; i < n; ++i) {
          if (i) {
            ws(o);
            o += ',';
            ws(o);
          }
          key(o);
          ws(o);
          o += ':';
          ws(o);
          value(o, level + 1);
        }
        ws(o);
        o += '}';
        return;
      }
    }
  }

  rng r_;
};

std::string mutate(std::string s, rng& r) {
  static const char bytes[] = {'{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\t', '\n', '0', '1', '9', '-',
                               '+', '.', 'e', 'E', 't', 'f', 'n', 'u', 'D', '\'', '/', '#', '\0', '\x01',
                               '\x1f', '\x7f', '\x80', '\xbf', '\xc0', '\xc3', '\xe0', '\xed', '\xf0', '\xf4',
                               '\xf5', '\xff'};
  static const char* const snippets[] = {"\\uD800", "\\uDC00", "\\uD800\\u0041", "\xED\xA0\x80", "\xC0\xAF",
                                         "\xEF\xBB\xBF", "/*x*/", ",", ",]", "NaN", "1e400", "\\x", "'", "tru",
                                         "01", "-", "1.", "[", "{\"a\":", "\"", "\\u12"};
  const std::size_t ops = 1 + r.below(3);
  for (std::size_t i = 0; i < ops; ++i) {
    const std::size_t at = s.empty() ? 0 : r.below(s.size() + 1);
    switch (r.below(6)) {
      case 0:
        if (at < s.size()) s[at] = r.pick(bytes);
        break;
      case 1: s.insert(at, 1, r.pick(bytes)); break;
      case 2:
        if (at < s.size()) s.erase(at, 1);
        break;
      case 3: s.resize(at); break;
      case 4: {
        const std::size_t from = s.empty() ? 0 : r.below(s.size());
        const std::size_t len = r.below(8);
        s.insert(at, s.substr(from, len));
        break;
      }
      default: s.insert(at, r.pick(snippets)); break;
    }
  }
  return s;
}

// True when the reader's tape holds a number that simdjson DOM cannot store.
bool has_number_beyond_dom(const document& d) {
  for (const node& n : d.nodes()) {
    if (n.type != kind::number) continue;
    if (std::isinf(n.number)) return true;
    if (n.integral && !n.fits_int64) {
      std::uint64_t u = 0;
      const auto r = std::from_chars(n.text.data(), n.text.data() + n.text.size(), u);
      if (r.ec != std::errc() || r.ptr != n.text.data() + n.text.size()) return true;  // negative or > uint64
    }
  }
  return false;
}

::testing::AssertionResult same_tree(simdjson::dom::element e, const document& d, std::uint32_t i) {
  using simdjson::dom::element_type;
  const node& n = d[i];
  auto differ = [&](const char* what) {
    return ::testing::AssertionFailure() << what << " at node " << i << " (offset " << n.offset << ")";
  };
  switch (e.type()) {
    case element_type::NULL_VALUE:
      return n.type == kind::null ? ::testing::AssertionSuccess() : differ("null");
    case element_type::BOOL:
      return n.type == kind::boolean && n.boolean == bool(e) ? ::testing::AssertionSuccess() : differ("bool");
    case element_type::STRING:
      return n.type == kind::string && n.text == std::string_view(e) ? ::testing::AssertionSuccess()
                                                                     : differ("string");
    case element_type::INT64:
      return n.type == kind::number && n.integral && n.fits_int64 && n.integer == std::int64_t(e)
                 ? ::testing::AssertionSuccess()
                 : differ("int64");
    case element_type::UINT64:
      // Above INT64_MAX: the reader keeps the text and a rounded double.
      return n.type == kind::number && n.integral && !n.fits_int64 &&
                     n.number == static_cast<double>(std::uint64_t(e))
                 ? ::testing::AssertionSuccess()
                 : differ("uint64");
    case element_type::DOUBLE: {
      const double v = double(e);
      // Both round correctly, so the doubles are bit for bit the same.
      return n.type == kind::number && !n.integral && n.number == v && std::signbit(n.number) == std::signbit(v)
                 ? ::testing::AssertionSuccess()
                 : differ("double");
    }
    case element_type::ARRAY: {
      if (n.type != kind::array) return differ("array");
      simdjson::dom::array a = e;
      if (a.size() != n.count) return differ("array size");
      std::uint32_t child = i + 1;
      for (simdjson::dom::element item : a) {
        if (auto r = same_tree(item, d, child); !r) return r;
        child = d[child].end;
      }
      return child == n.end ? ::testing::AssertionSuccess() : differ("array end");
    }
    case element_type::OBJECT: {
      if (n.type != kind::object) return differ("object");
      simdjson::dom::object o = e;
      if (o.size() != n.count) return differ("object size");
      std::uint32_t child = i + 1;
      for (simdjson::dom::key_value_pair member : o) {
        if (d[child].key != member.key) return differ("key");
        if (auto r = same_tree(member.value, d, child); !r) return r;
        child = d[child].end;
      }
      return child == n.end ? ::testing::AssertionSuccess() : differ("object end");
    }
  }
  return differ("unknown DOM type");
}

// The first duplicate member by brute force: every pair of members of
// every object, no end-chain shortcuts, no sorting.
std::uint32_t first_duplicate_brute_force(const document& d) {
  std::uint32_t first = 0;
  const auto nodes = d.nodes();
  for (std::uint32_t o = 0; o < nodes.size(); ++o) {
    if (nodes[o].type != kind::object) continue;
    std::vector<std::uint32_t> members;
    for (std::uint32_t m = o + 1; m < nodes[o].end; m = nodes[m].end) members.push_back(m);
    for (std::size_t j = 0; j < members.size(); ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (nodes[members[i]].key == nodes[members[j]].key && (first == 0 || members[j] < first)) {
          first = members[j];
        }
      }
    }
  }
  return first;
}

struct tally {
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  std::size_t beyond_dom = 0;  // accepted by us, refused by DOM for a number
  std::size_t duplicates = 0;
};

class judge {
 public:
  judge() { opts_.max_depth = depth; }

  void check(const std::string& text) {
    SCOPED_TRACE(::testing::Message() << "input (" << text.size() << " bytes): " << printable(text));
    const error ours = reader_.read(text, opts_, doc_);
    const error scanned = spe::json::detail::diagnose(text, depth, stack_);
    ASSERT_EQ(ours.code == error_code::ok, scanned.code == error_code::ok)
        << "fast path: " << spe::json::message(ours.code) << ", locator: " << spe::json::message(scanned.code)
        << " at " << scanned.offset;
    if (ours.code != error_code::ok) {
      EXPECT_EQ(ours.code, scanned.code);
      EXPECT_EQ(ours.offset, scanned.offset);
      EXPECT_LE(ours.offset, text.size());
    }

    simdjson::dom::element root;
    const simdjson::error_code dom = spe::testing::starts_with_bom(text)
                                         ? simdjson::UTF8_ERROR  // not compared: support/simdjson_versions.hpp
                                         : dom_.parse(simdjson::padded_string(text)).get(root);
    if (dom == simdjson::SUCCESS) {
      ASSERT_EQ(ours.code, error_code::ok) << "DOM accepts, reader says " << spe::json::message(ours.code)
                                           << " at " << ours.offset;
      EXPECT_TRUE(same_tree(root, doc_, 0));
    } else if (ours.code == error_code::ok) {
      ASSERT_TRUE(spe::testing::refuses_number(dom))
          << "DOM refuses (" << simdjson::error_message(dom) << "), reader accepts";
      ASSERT_TRUE(has_number_beyond_dom(doc_)) << "DOM number error without an out-of-range number";
      ++counts.beyond_dom;
    }
    if (ours.code == error_code::ok) {
      EXPECT_EQ(doc_.first_duplicate(), first_duplicate_brute_force(doc_));
      ++counts.accepted;
      if (doc_.first_duplicate() != 0) ++counts.duplicates;
    } else {
      ++counts.rejected;
    }
  }

  tally counts;

 private:
  static std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char c : s.substr(0, 300)) {
      if (c >= 0x20 && c < 0x7F) {
        out += static_cast<char>(c);
      } else {
        static const char hex[] = "0123456789abcdef";
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  }

  spe::json::reader reader_;
  spe::json::document doc_;
  spe::json::options opts_;
  std::vector<std::uint8_t> stack_;
  simdjson::dom::parser dom_;
};

TEST(JsonDifferential, TrickyInputs) {
  const std::vector<std::string> inputs = {
      "", " ", "{}", "[]", "0", "-0", "-0.0", "1E+2", "1e400", "-1e400", "1e-400", "123456789012345678901234567890",
      "18446744073709551615", "18446744073709551616", "9223372036854775807", "-9223372036854775808",
      "-9223372036854775809", "0.1e-999", "1.7976931348623157e308", "1.7976931348623159e308", "4.9e-324",
      "2.4703282292062327e-324", "[01]", "[1.]", "[.5]", "[-]", "[+1]", "[1e]", "[NaN]", "[Infinity]", "[tru]",
      "[truex]", "[nul]", "[1,]", "{\"a\":1,}", "{} {}", "{}x", "{}\0"s, "\xEF\xBB\xBF{}", "['a']",
      "[\"\\uD800\"]", "[\"\\uDC00\"]", "[\"\\uD800\\u0041\"]", "[\"\\uD800\\uDC00\"]", "[\"\\uD800\"",
      "[\"\\x\"]", "[\"\\u12\"]", "[\"\\u0000\"]", "[\"a\x01\"]", "[\"\x7f\"]", "{\"a\" 1}", "{\"a\",1}",
      "[1 2]", "{1:2}", "{\"a\":1,\"\\u0061\":2}", "[\"\xC0\xAF\"]", "[\"\xE0\x80\xAF\"]", "[\"\xF0\x80\x80\xAF\"]",
      "[\"\xED\xA0\x80\"]", "[\"\xF4\x90\x80\x80\"]", "[\"\xF5\"]", "[\"\xFF\"]", "[\"\xC3\"]", "\"\xE2\x82",
      "[1}", "{\"a\":1]", "[[]", "[]]", "{\"a\":{}", "\"", "\"\\", "\"\\\"", "[\"\\/\"]", "1 ", " 1", "[1,2,3]",
      "{\"a\":[{\"b\":[{\"c\":null}]}]}", "[-1.5e-10,2E5,0e0,-0E-0]", "[1\"a\"]", "[\"a\"1]", "[1x]", "tRue",
      "nulL", "[null,true,false]", "[\"\\u20ac\\u20AC\"]", std::string(200, '[') + std::string(200, ']'),
      "[" + std::string(1000, '9') + "]", "[0." + std::string(1000, '0') + "1]",
      "[1e" + std::string(400, '9') + "]", "[1e-" + std::string(400, '9') + "]",
  };
  judge j;
  for (const std::string& text : inputs) {
    j.check(text);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(j.counts.accepted, 20u);
  EXPECT_GT(j.counts.rejected, 40u);
  EXPECT_GT(j.counts.beyond_dom, 3u);
}

// The locator skips plain bytes of a string 16 at a time: a quote, an
// escape, a control character or a broken escape at every offset of a
// long string (ASCII or multi-byte), in a key or a value, is found where
// the fast path finds it, and the string's end as well.
TEST(JsonDifferential, StringBytesAtEveryOffset) {
  const std::vector<std::string> fills = {std::string(40, 'a'), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" + std::string(31, 'b')};
  const std::vector<std::string> specials = {"\"", "\\n", "\\u00e9", "\\uD83D\\uDE00", "\x01", "\x1F",
                                             "\\x", "\\u12G4", "\\uDC00", "\\uD800x", "\x7F", "\\"};
  judge j;
  for (const std::string& fill : fills) {
    for (std::size_t at = 0; at <= fill.size(); ++at) {
      for (const std::string& special : specials) {
        const std::string text = fill.substr(0, at) + special + fill.substr(at);
        j.check("[\"" + text + "\"]");
        j.check("{\"" + text + "\":1}");
        j.check("[\"" + text);  // the string, or what follows a quote in it, never closes
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
  EXPECT_GT(j.counts.accepted, 300u);
  EXPECT_GT(j.counts.rejected, 1500u);
}

TEST(JsonDifferential, GeneratedAndMutated) {
  generator g(0x5BE0'2024'0003ull);
  judge j;
  std::size_t valid_generated = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = g.document();
    j.check(text);
    if (::testing::Test::HasFatalFailure()) return;
    for (int m = 0; m < 3; ++m) {
      j.check(mutate(text, g.random()));
      if (::testing::Test::HasFatalFailure()) return;
    }
    valid_generated = j.counts.accepted;
  }
  // The generator writes valid JSON and mutations break most of it: both
  // sides of every comparison were exercised.
  EXPECT_GT(valid_generated, 3000u);
  EXPECT_GT(j.counts.rejected, 5000u);
  EXPECT_GT(j.counts.beyond_dom, 100u);
  EXPECT_GT(j.counts.duplicates, 100u);
}

TEST(JsonDifferential, Utf8LocatorAgreesWithSimdjson) {
  rng r(0xC0FFEEull);
  static const char* const pieces[] = {"a", "\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
                                       "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"};
  std::size_t invalid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const std::size_t n = r.below(12);
    for (std::size_t k = 0; k < n; ++k) {
      if (r.chance(6)) {
        s += static_cast<char>(r.below(256));
      } else {
        s += r.pick(pieces);
      }
    }
    if (!s.empty() && r.chance(4)) s.resize(r.below(s.size()));  // cut a sequence short
    const std::size_t at = spe::json::detail::find_invalid_utf8(s);
    const bool valid = simdjson::validate_utf8(s.data(), s.size());
    ASSERT_EQ(at == spe::json::detail::no_error, valid) << i;
    if (valid) continue;
    ++invalid;
    ASSERT_LT(at, s.size());
    EXPECT_TRUE(simdjson::validate_utf8(s.data(), at)) << i << ": bytes before the offset are valid";
    for (std::size_t k = 1; k <= 4 && at + k <= s.size(); ++k) {
      EXPECT_FALSE(simdjson::validate_utf8(s.data() + at, k)) << i << ": no character starts at the offset";
    }
  }
  EXPECT_GT(invalid, 5000u);
}

}  // namespace
