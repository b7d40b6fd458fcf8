// The strict reader against every JSON hazard of SPEC.md section 2: each
// malformed body must be refused with its own error code and the offset of
// the offending byte (json.hpp documents which byte that is), and each
// well-formed body must come back as the tape json.hpp promises -- values,
// offsets, keys, end indices, counts, numbers beyond int64 and double, and
// the first duplicate member.
//
// Expected offsets are counted by hand from the literal inputs; the comment
// beside a case shows the count when it is not obvious.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <sys/mman.h>

#include "spe/json.hpp"

namespace {

using namespace std::string_literals;
using spe::json::document;
using spe::json::error;
using spe::json::error_code;
using spe::json::kind;
using spe::json::node;
using spe::json::options;
using spe::json::reader;

error read(std::string_view text, const options& opts = {}) {
  reader r;
  document d;
  return r.read(text, opts, d);
}

// Asserts that `text` is refused with `code` at `offset`.
::testing::AssertionResult refused(std::string_view text, error_code code, std::size_t offset,
                                   const options& opts = {}) {
  const error e = read(text, opts);
  if (e.code == code && e.offset == offset) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "input of " << text.size() << " bytes: got '" << spe::json::message(e.code) << "' at "
         << e.offset << ", want '" << spe::json::message(code) << "' at " << offset;
}

::testing::AssertionResult accepted(std::string_view text, const options& opts = {}) {
  const error e = read(text, opts);
  if (e.code == error_code::ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "refused: '" << spe::json::message(e.code) << "' at " << e.offset;
}

TEST(JsonMessages, EveryCodeHasItsOwnSentence) {
  std::vector<std::string_view> seen;
  for (std::size_t i = 0; i < spe::json::error_code_count; ++i) {
    const std::string_view m = spe::json::message(static_cast<error_code>(i));
    EXPECT_FALSE(m.empty()) << "code " << i;
    for (std::string_view other : seen) EXPECT_NE(m, other) << "code " << i;
    seen.push_back(m);
  }
  EXPECT_EQ(spe::json::message(error_code::unterminated_string), "unterminated string");
  EXPECT_NE(spe::json::message(error_code::invalid_utf8).find("UTF-8"), std::string_view::npos);
  EXPECT_NE(spe::json::message(error_code::trailing_comma).find("comma"), std::string_view::npos);
}

// --- UTF-8 -------------------------------------------------------------------

TEST(JsonUtf8, OverlongForms) {
  EXPECT_TRUE(refused("[\"\xC0\xAF\"]", error_code::invalid_utf8, 2));          // '/' in 2 bytes
  EXPECT_TRUE(refused("[\"\xC1\xBF\"]", error_code::invalid_utf8, 2));
  EXPECT_TRUE(refused("[\"\xE0\x80\xAF\"]", error_code::invalid_utf8, 2));      // '/' in 3 bytes
  EXPECT_TRUE(refused("[\"\xE0\x9F\xBF\"]", error_code::invalid_utf8, 2));      // U+07FF in 3 bytes
  EXPECT_TRUE(refused("[\"\xF0\x80\x80\xAF\"]", error_code::invalid_utf8, 2));  // '/' in 4 bytes
  EXPECT_TRUE(refused("[\"\xF0\x8F\xBF\xBF\"]", error_code::invalid_utf8, 2));  // U+FFFF in 4 bytes
}

TEST(JsonUtf8, SurrogatesEncodedInUtf8) {
  EXPECT_TRUE(refused("[\"\xED\xA0\x80\"]", error_code::invalid_utf8, 2));  // U+D800
  EXPECT_TRUE(refused("[\"\xED\xBF\xBF\"]", error_code::invalid_utf8, 2));  // U+DFFF
  // A CESU-8 pair (two encoded halves) is not UTF-8 either.
  EXPECT_TRUE(refused("[\"\xED\xA0\xBD\xED\xB8\x80\"]", error_code::invalid_utf8, 2));
}

TEST(JsonUtf8, TruncatedSequences) {
  EXPECT_TRUE(refused("[\"\xC3\"]", error_code::invalid_utf8, 2));
  EXPECT_TRUE(refused("[\"\xE2\x82\"]", error_code::invalid_utf8, 2));
  EXPECT_TRUE(refused("[\"\xF0\x9F\x98\"]", error_code::invalid_utf8, 2));
  EXPECT_TRUE(refused("[\"a\xE2\x82" "b\"]", error_code::invalid_utf8, 3));
  EXPECT_TRUE(refused("[\"ab\xF0\x9F", error_code::invalid_utf8, 4));  // the input ends mid-sequence
}

TEST(JsonUtf8, StrayContinuationBytes) {
  EXPECT_TRUE(refused("[\"\x80\"]", error_code::invalid_utf8, 2));
  EXPECT_TRUE(refused("[\"a\xBF\"]", error_code::invalid_utf8, 3));
  EXPECT_TRUE(refused("[\"\xC3\xA9\xA9\"]", error_code::invalid_utf8, 4));  // one too many
}

TEST(JsonUtf8, BytesF5ToFFNeverOccur) {
  for (int b = 0xF5; b <= 0xFF; ++b) {
    std::string text = "[\"";
    text += static_cast<char>(b);
    text += "\x80\x80\x80\"]";
    EXPECT_TRUE(refused(text, error_code::invalid_utf8, 2)) << "byte " << b;
  }
}

TEST(JsonUtf8, BeyondU10FFFF) {
  EXPECT_TRUE(refused("[\"\xF4\x90\x80\x80\"]", error_code::invalid_utf8, 2));  // U+110000
}

TEST(JsonUtf8, OutsideStringsToo) {
  EXPECT_TRUE(refused("[1,\xFF]", error_code::invalid_utf8, 3));
  EXPECT_TRUE(refused("{}\xC3", error_code::invalid_utf8, 2));
}

TEST(JsonUtf8, WinsOverAnEarlierSyntaxError) {
  // json.hpp: UTF-8 is a property of the whole byte stream, checked first.
  EXPECT_TRUE(refused("[1,,\"\xFF\"]", error_code::invalid_utf8, 5));
}

TEST(JsonUtf8, EveryBoundaryOfWellFormedUtf8IsAccepted) {
  // U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF.
  const std::string chars = "\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
                            "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF";
  reader r;
  document d;
  ASSERT_EQ(r.read("[\"" + chars + "\"]", {}, d).code, error_code::ok);
  EXPECT_EQ(d[1].text, chars);
}

// --- framing: BOM, empty, trailing content -------------------------------------

TEST(JsonFraming, ByteOrderMark) {
  EXPECT_TRUE(refused("\xEF\xBB\xBF{}", error_code::byte_order_mark, 0));
  EXPECT_TRUE(refused("\xEF\xBB\xBF", error_code::byte_order_mark, 0));
  EXPECT_TRUE(refused("\xEF\xBB\xBF \"a\"", error_code::byte_order_mark, 0));
}

TEST(JsonFraming, EmptyAndWhitespaceOnly) {
  EXPECT_TRUE(refused("", error_code::empty, 0));
  EXPECT_TRUE(refused(" \t\r\n", error_code::empty, 4));
}

TEST(JsonFraming, TrailingContent) {
  EXPECT_TRUE(refused("{} {}", error_code::trailing_content, 3));
  EXPECT_TRUE(refused("{}x", error_code::trailing_content, 2));
  EXPECT_TRUE(refused("{}\0"s, error_code::trailing_content, 2));
  EXPECT_TRUE(refused("1 2", error_code::trailing_content, 2));
  EXPECT_TRUE(refused("\"a\"\"b\"", error_code::trailing_content, 3));
  EXPECT_TRUE(refused("[]]", error_code::trailing_content, 2));
  EXPECT_TRUE(refused("{}}", error_code::trailing_content, 2));
  EXPECT_TRUE(refused("null,", error_code::trailing_content, 4));
  EXPECT_TRUE(accepted(" \n{}\t\r\n "));
}

TEST(JsonFraming, OtherWhitespaceIsNotWhitespace) {
  EXPECT_TRUE(refused("\f{}", error_code::unexpected_char, 0));          // form feed
  EXPECT_TRUE(refused("\xC2\xA0{}", error_code::unexpected_char, 0));    // NBSP
  EXPECT_TRUE(refused("[1,\v2]", error_code::unexpected_char, 3));       // vertical tab
}

// --- syntax ------------------------------------------------------------------

TEST(JsonSyntax, Comments) {
  EXPECT_TRUE(refused("// c\n{}", error_code::unexpected_char, 0));
  EXPECT_TRUE(refused("{\"a\":1 /* c */}", error_code::unexpected_char, 7));
  EXPECT_TRUE(refused("[1,# c\n2]", error_code::unexpected_char, 3));
}

TEST(JsonSyntax, TrailingCommas) {
  EXPECT_TRUE(refused("[1,]", error_code::trailing_comma, 2));
  EXPECT_TRUE(refused("{\"a\":1,}", error_code::trailing_comma, 6));
  EXPECT_TRUE(refused("[1,2, ]", error_code::trailing_comma, 4));
  EXPECT_TRUE(refused("[[],]", error_code::trailing_comma, 3));
  EXPECT_TRUE(refused("{\"a\":{},\n}", error_code::trailing_comma, 7));
}

TEST(JsonSyntax, NanAndInfinity) {
  EXPECT_TRUE(refused("[NaN]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[Infinity]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[-Infinity]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("{\"a\":NaN}", error_code::bad_number, 5));
  EXPECT_TRUE(refused("NaN", error_code::bad_number, 0));
}

TEST(JsonSyntax, NumberGrammar) {
  EXPECT_TRUE(refused("[01]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[-01]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[00]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[1.]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[.5]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[-]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[1e]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[1e+]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[+1]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[1.e5]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[0x10]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[1x]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("[- 1]", error_code::bad_number, 1));
  EXPECT_TRUE(refused("12a", error_code::bad_number, 0));
  EXPECT_TRUE(refused("{\"n\":-}", error_code::bad_number, 5));
  EXPECT_TRUE(accepted("[0,-0,0.0,-0.5e-5,1E5,1e+5,1e-5,10,123.456e789]"));
}

TEST(JsonSyntax, Literals) {
  EXPECT_TRUE(refused("[tru]", error_code::bad_literal, 1));
  EXPECT_TRUE(refused("[truex]", error_code::bad_literal, 1));
  EXPECT_TRUE(refused("[nul]", error_code::bad_literal, 1));
  EXPECT_TRUE(refused("[nulll]", error_code::bad_literal, 1));
  EXPECT_TRUE(refused("[True]", error_code::bad_literal, 1));
  EXPECT_TRUE(refused("[falsE]", error_code::bad_literal, 1));
  EXPECT_TRUE(refused("[undefined]", error_code::bad_literal, 1));
  EXPECT_TRUE(refused("{\"a\":None}", error_code::bad_literal, 5));
  EXPECT_TRUE(refused("t", error_code::bad_literal, 0));
  EXPECT_TRUE(accepted("[true,false,null]"));
}

TEST(JsonSyntax, SingleQuotes) {
  EXPECT_TRUE(refused("['a']", error_code::unexpected_char, 1));
  EXPECT_TRUE(refused("'a'", error_code::unexpected_char, 0));
  EXPECT_TRUE(refused("{'a':1}", error_code::bad_key, 1));
}

TEST(JsonSyntax, MissingColon) {
  EXPECT_TRUE(refused("{\"a\" 1}", error_code::missing_colon, 5));
  EXPECT_TRUE(refused("{\"a\",1}", error_code::missing_colon, 4));
  EXPECT_TRUE(refused("{\"a\"}", error_code::missing_colon, 4));
  EXPECT_TRUE(refused("{\"a\"=1}", error_code::missing_colon, 4));
}

TEST(JsonSyntax, MissingComma) {
  EXPECT_TRUE(refused("[1 2]", error_code::missing_comma, 3));
  EXPECT_TRUE(refused("{\"a\":1 \"b\":2}", error_code::missing_comma, 7));
  EXPECT_TRUE(refused("[[] []]", error_code::missing_comma, 4));
  EXPECT_TRUE(refused("[\"a\" \"b\"]", error_code::missing_comma, 5));
  EXPECT_TRUE(refused("[\"a\"1]", error_code::missing_comma, 4));
  EXPECT_TRUE(refused("[true false]", error_code::missing_comma, 6));
}

TEST(JsonSyntax, NonStringKeys) {
  EXPECT_TRUE(refused("{1:2}", error_code::bad_key, 1));
  EXPECT_TRUE(refused("{a:1}", error_code::bad_key, 1));
  EXPECT_TRUE(refused("{null:1}", error_code::bad_key, 1));
  EXPECT_TRUE(refused("{[]:1}", error_code::bad_key, 1));
  EXPECT_TRUE(refused("{\"a\":1,2:3}", error_code::bad_key, 7));
  EXPECT_TRUE(refused("{,}", error_code::bad_key, 1));
}

TEST(JsonSyntax, MisplacedOrMismatchedBrackets) {
  EXPECT_TRUE(refused("[1}", error_code::unexpected_char, 2));
  EXPECT_TRUE(refused("{\"a\":1]", error_code::unexpected_char, 6));
  EXPECT_TRUE(refused("[,1]", error_code::unexpected_char, 1));
  EXPECT_TRUE(refused("{\"a\":}", error_code::unexpected_char, 5));
  EXPECT_TRUE(refused("]", error_code::unexpected_char, 0));
  EXPECT_TRUE(refused("[1:2]", error_code::unexpected_char, 2));
  EXPECT_TRUE(refused("@", error_code::unexpected_char, 0));
  EXPECT_TRUE(refused("[\x01]", error_code::unexpected_char, 1));
}

TEST(JsonSyntax, UnexpectedEnd) {
  EXPECT_TRUE(refused("[", error_code::unexpected_end, 1));
  EXPECT_TRUE(refused("{", error_code::unexpected_end, 1));
  EXPECT_TRUE(refused("[1", error_code::unexpected_end, 2));
  EXPECT_TRUE(refused("[1,", error_code::unexpected_end, 3));
  EXPECT_TRUE(refused("{\"a\"", error_code::unexpected_end, 4));
  EXPECT_TRUE(refused("{\"a\":", error_code::unexpected_end, 5));
  EXPECT_TRUE(refused("{\"a\":1 ", error_code::unexpected_end, 7));
  EXPECT_TRUE(refused("[[[]]", error_code::unexpected_end, 5));
}

// --- strings -----------------------------------------------------------------

TEST(JsonStrings, Unterminated) {
  EXPECT_TRUE(refused("[\"abc", error_code::unterminated_string, 1));
  EXPECT_TRUE(refused("{\"a", error_code::unterminated_string, 1));
  EXPECT_TRUE(refused("\"abc\\\"", error_code::unterminated_string, 0));  // "abc\" : the quote is escaped
  EXPECT_TRUE(refused("\"abc\\", error_code::unterminated_string, 0));
}

TEST(JsonStrings, ControlCharacters) {
  EXPECT_TRUE(refused("[\"a\x01" "b\"]", error_code::control_in_string, 3));
  EXPECT_TRUE(refused("[\"\t\"]", error_code::control_in_string, 2));
  EXPECT_TRUE(refused("[\"\n\"]", error_code::control_in_string, 2));
  EXPECT_TRUE(refused("[\"\x1F\"]", error_code::control_in_string, 2));
  EXPECT_TRUE(refused("[\"\0\"]"s, error_code::control_in_string, 2));
  EXPECT_TRUE(refused("{\"a\nb\":1}", error_code::control_in_string, 3));
  EXPECT_TRUE(refused("[\"abc\x01", error_code::control_in_string, 5));  // before the missing quote
  EXPECT_TRUE(accepted("[\"\x7F\"]"));                                      // DEL is not a control char in JSON
}

TEST(JsonStrings, BadEscapes) {
  EXPECT_TRUE(refused("[\"\\x\"]", error_code::bad_escape, 2));
  EXPECT_TRUE(refused("[\"\\u12\"]", error_code::bad_escape, 2));
  EXPECT_TRUE(refused("[\"\\u12G4\"]", error_code::bad_escape, 2));
  EXPECT_TRUE(refused("[\"\\U0041\"]", error_code::bad_escape, 2));
  EXPECT_TRUE(refused("[\"\\'\"]", error_code::bad_escape, 2));
  EXPECT_TRUE(refused("[\"ab\\ \"]", error_code::bad_escape, 4));
  EXPECT_TRUE(refused("[\"\\uD800\\u12\"]", error_code::bad_escape, 8));  // the second escape is the bad one
}

TEST(JsonStrings, LoneSurrogates) {
  EXPECT_TRUE(refused("[\"\\uD800\"]", error_code::lone_surrogate, 2));
  EXPECT_TRUE(refused("[\"\\uDC00\"]", error_code::lone_surrogate, 2));
  EXPECT_TRUE(refused("[\"\\uD800\\u0041\"]", error_code::lone_surrogate, 2));
  EXPECT_TRUE(refused("[\"ab\\uD800\"]", error_code::lone_surrogate, 4));      // high half at the end
  EXPECT_TRUE(refused("\"\\uD800", error_code::lone_surrogate, 1));            // ... and at the end of input
  EXPECT_TRUE(refused("[\"\\uD800x\"]", error_code::lone_surrogate, 2));
  EXPECT_TRUE(refused("[\"\\uD800\\uD800\"]", error_code::lone_surrogate, 2));
  EXPECT_TRUE(refused("[\"\\uDBFF\\uE000\"]", error_code::lone_surrogate, 2));
  EXPECT_TRUE(refused("[\"\\uDC00\\uD800\"]", error_code::lone_surrogate, 2));  // halves in the wrong order
  EXPECT_TRUE(refused("[\"\\uD800\\n\"]", error_code::lone_surrogate, 2));
  EXPECT_TRUE(refused("{\"\\udfff\":1}", error_code::lone_surrogate, 2));      // in a key, lower-case hex
}

TEST(JsonStrings, EscapesAreDecoded) {
  reader r;
  document d;
  const std::string text = R"(["\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\uD83D\uDE00\u0000"])";
  ASSERT_EQ(r.read(text, {}, d).code, error_code::ok);
  EXPECT_EQ(d[1].text, "\"\\/\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\0"s);
  ASSERT_EQ(r.read(R"({"\uDBFF\uDFFF":"\ud83d\ude00"})", {}, d).code, error_code::ok);
  EXPECT_EQ(d[1].key, "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(d[1].text, "\xF0\x9F\x98\x80");
}

// --- bounds ------------------------------------------------------------------

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonBounds, DepthExactlyAtTheBoundIsAccepted) {
  EXPECT_TRUE(accepted(nested_arrays(spe::json::default_max_depth)));
  std::string objects;
  for (std::uint32_t i = 0; i < spe::json::default_max_depth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(spe::json::default_max_depth, '}');
  EXPECT_TRUE(accepted(objects));
}

TEST(JsonBounds, OneLevelDeeperIsTooDeep) {
  const std::uint32_t max = spe::json::default_max_depth;
  EXPECT_TRUE(refused(nested_arrays(max + 1), error_code::too_deep, max));
  std::string objects;
  for (std::uint32_t i = 0; i <= max; ++i) objects += "{\"a\":";  // 5 bytes per level
  objects += "1" + std::string(max + 1, '}');
  EXPECT_TRUE(refused(objects, error_code::too_deep, 5 * max));
}

TEST(JsonBounds, ConfiguredDepth) {
  options o;
  o.max_depth = 3;
  EXPECT_TRUE(accepted("[{\"a\":[1]}]", o));
  EXPECT_TRUE(refused("[{\"a\":[[1]]}]", error_code::too_deep, 7, o));
  o.max_depth = 0;
  EXPECT_TRUE(accepted("1", o));
  EXPECT_TRUE(refused("[]", error_code::too_deep, 0, o));
}

TEST(JsonBounds, AMillionDeepIsRefusedAtTheBound) {
  // Refused at the bracket that passes the bound, not where the body ends:
  // the walk stops there (its time is bench/'s business, not a unit test's).
  EXPECT_TRUE(refused(nested_arrays(1'000'000), error_code::too_deep, spe::json::default_max_depth));
}

TEST(JsonBounds, AMillionDeepIsReadWithoutNativeRecursionWhenAllowed) {
  options o;
  o.max_depth = spe::json::hard_max_depth;
  ASSERT_GE(o.max_depth, 1'000'000u);
  reader r;
  document d;
  ASSERT_EQ(r.read(nested_arrays(1'000'000), o, d).code, error_code::ok);
  ASSERT_EQ(d.nodes().size(), 1'000'000u);
  EXPECT_EQ(d.root().end, 1'000'000u);
  EXPECT_EQ(d[999'999].count, 0u);
  EXPECT_EQ(d[999'998].count, 1u);
  // An unclosed million-deep body: the error locator is iterative too.
  EXPECT_EQ(r.read(std::string(1'000'000, '['), o, d).code, error_code::unexpected_end);
}

TEST(JsonBounds, DepthAboveTheHardBoundIsClamped) {
  options o;
  o.max_depth = std::numeric_limits<std::uint32_t>::max();
  EXPECT_TRUE(refused(nested_arrays(spe::json::hard_max_depth + 1), error_code::too_deep,
                      spe::json::hard_max_depth, o));
}

TEST(JsonBounds, SixtyFourMebibytesIsTooLargeBeforeAnyWork) {
  // "Before any work" made observable: the 64 MiB lie in memory that may
  // not be read at all (PROT_NONE), so a reader that touched a single byte
  // of a body past the bound -- to copy, index or scan it -- would crash.
  const std::size_t size = std::size_t{64} << 20;
  void* const untouchable = ::mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(untouchable, MAP_FAILED);
  EXPECT_TRUE(refused(std::string_view(static_cast<const char*>(untouchable), size),
                      error_code::too_large, spe::json::default_max_size));
  ::munmap(untouchable, size);
}

TEST(JsonBounds, SizeBoundIsInclusive) {
  options o;
  o.max_size = 10;
  EXPECT_TRUE(accepted("[1,2,3,45]", o));
  EXPECT_TRUE(refused("[1,2,3,456]", error_code::too_large, 10, o));
}

// --- numbers -----------------------------------------------------------------

node number(std::string_view text) {
  reader r;
  document d;
  const error e = r.read(text, {}, d);
  EXPECT_EQ(e.code, error_code::ok) << text;
  if (e.code != error_code::ok) return {};
  EXPECT_EQ(d.root().type, kind::number) << text;
  EXPECT_EQ(d.root().text, text);
  return d.root();
}

TEST(JsonNumbers, BeyondDoubleRangeIsValidJson) {
  const node big = number("1e400");
  EXPECT_FALSE(big.integral);
  EXPECT_FALSE(big.fits_int64);
  EXPECT_EQ(big.number, std::numeric_limits<double>::infinity());
  EXPECT_EQ(number("-1e400").number, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(number("0.001e312").number, std::numeric_limits<double>::infinity());
  const node tiny = number("1e-400");
  EXPECT_EQ(tiny.number, 0.0);
  EXPECT_FALSE(std::signbit(tiny.number));
  EXPECT_TRUE(std::signbit(number("-1e-400").number));
  EXPECT_EQ(number("1000e-330").number, 0.0);
}

TEST(JsonNumbers, BigIntegersKeepTheirText) {
  const node n = number("123456789012345678901234567890");
  EXPECT_TRUE(n.integral);
  EXPECT_FALSE(n.fits_int64);
  EXPECT_EQ(n.number, 123456789012345678901234567890.0);
  const node neg = number("-123456789012345678901234567890");
  EXPECT_TRUE(neg.integral);
  EXPECT_FALSE(neg.fits_int64);
  EXPECT_EQ(neg.number, -123456789012345678901234567890.0);
}

TEST(JsonNumbers, Int64Edges) {
  const node max = number("9223372036854775807");
  EXPECT_TRUE(max.fits_int64);
  EXPECT_EQ(max.integer, std::numeric_limits<std::int64_t>::max());
  const node min = number("-9223372036854775808");
  EXPECT_TRUE(min.fits_int64);
  EXPECT_EQ(min.integer, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(min.number, -9223372036854775808.0);
  const node over = number("9223372036854775808");
  EXPECT_TRUE(over.integral);
  EXPECT_FALSE(over.fits_int64);
  EXPECT_EQ(over.number, 9223372036854775808.0);
  EXPECT_FALSE(number("-9223372036854775809").fits_int64);
  EXPECT_FALSE(number("18446744073709551615").fits_int64);
  EXPECT_FALSE(number("99999999999999999999").fits_int64);
}

TEST(JsonNumbers, NegativeZeroAndExponents) {
  const node z = number("-0");
  EXPECT_TRUE(z.integral);
  EXPECT_TRUE(z.fits_int64);
  EXPECT_EQ(z.integer, 0);
  EXPECT_TRUE(std::signbit(z.number));
  const node e = number("1E+2");
  EXPECT_FALSE(e.integral);
  EXPECT_FALSE(e.fits_int64);
  EXPECT_EQ(e.number, 100.0);
  const node f = number("-0.5e-3");
  EXPECT_FALSE(f.integral);
  EXPECT_EQ(f.number, -0.0005);
  const node one = number("1.0");
  EXPECT_FALSE(one.integral);
  EXPECT_EQ(one.number, 1.0);
  const node plain = number("-42");
  EXPECT_TRUE(plain.fits_int64);
  EXPECT_EQ(plain.integer, -42);
  EXPECT_EQ(plain.number, -42.0);
  EXPECT_EQ(number("0.1").number, 0.1);
  EXPECT_EQ(number("2.2250738585072011e-308").number, 2.2250738585072011e-308);
}

// --- duplicates --------------------------------------------------------------

std::uint32_t first_duplicate(std::string_view text) {
  reader r;
  document d;
  const error e = r.read(text, {}, d);
  EXPECT_EQ(e.code, error_code::ok) << text;
  return e.code == error_code::ok ? d.first_duplicate() : 0xFFFFFFFFu;
}

TEST(JsonDuplicates, NoneIsZero) {
  EXPECT_EQ(first_duplicate(R"({"a":1,"b":2,"A":3})"), 0u);
  EXPECT_EQ(first_duplicate(R"([{"a":1},{"a":1}])"), 0u);          // different objects
  EXPECT_EQ(first_duplicate(R"({"a":{"a":1}})"), 0u);               // different objects
  EXPECT_EQ(first_duplicate(R"({"a\u0000b":1,"a\u0000c":2})"), 0u);
  EXPECT_EQ(first_duplicate(R"({"a":"b","b":"a"})"), 0u);           // values are not keys
}

TEST(JsonDuplicates, EscapedKeyEqualToPlainKey) {
  EXPECT_EQ(first_duplicate(R"({"a":1,"\u0061":2})"), 2u);
  EXPECT_EQ(first_duplicate(R"({"\/":1,"/":2})"), 2u);
  EXPECT_EQ(first_duplicate("{\"\\u00e9\":1,\"\xC3\xA9\":2}"), 2u);
  EXPECT_EQ(first_duplicate(R"({"":1,"":2})"), 2u);
}

TEST(JsonDuplicates, NestedAndFirstInDocumentOrder) {
  // tape: 0 {  1 x:{  2 a  3 b  4 a  5 y
  EXPECT_EQ(first_duplicate(R"({"x":{"a":1,"b":2,"a":3},"y":1})"), 4u);
  // tape: 0 {  1 a:{  2 b  3 b  4 a -- the inner repeat comes first
  EXPECT_EQ(first_duplicate(R"({"a":{"b":1,"b":2},"a":3})"), 3u);
  // tape: 0 {  1 p:[  2 {  3 k  4 {  5 k  6 q:{  7 z  8 z  9 p
  EXPECT_EQ(first_duplicate(R"({"p":[{"k":1},{"k":1}],"q":{"z":1,"z":2},"p":0})"), 8u);
  // tape: 0 {  1 a  2 b:{  3 c  4 c  5 a -- the outer repeat (5) is later than the inner one (4)
  EXPECT_EQ(first_duplicate(R"({"a":1,"b":{"c":1,"c":2},"a":2})"), 4u);
  // tape: 0 {  1 a  2 a  3 b:{  4 c  5 c -- the outer repeat (2) is earlier
  EXPECT_EQ(first_duplicate(R"({"a":1,"a":2,"b":{"c":1,"c":2}})"), 2u);
}

// Builds an object with scalar members named by `names`: member i is tape
// node i + 1.
std::string object_of(const std::vector<std::string>& names) {
  std::string text = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) text += ',';
    text += "\"" + names[i] + "\":" + std::to_string(i);
  }
  return text + "}";
}

TEST(JsonDuplicates, LargeObjects) {
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back("k" + std::to_string(i));
  EXPECT_EQ(first_duplicate(object_of(names)), 0u);

  auto with = names;
  with[30] = "b";
  with[3] = "b";   // b at members 3 and 30
  with[4] = "a";
  with[10] = "a";  // a at members 4 and 10: the first repeat is member 10
  EXPECT_EQ(first_duplicate(object_of(with)), 11u);

  // The repeat that sorts last alphabetically comes first in the document.
  auto late = names;
  late[3] = late[8] = "z";   // z at members 3 and 8
  late[4] = late[30] = "a";  // a at members 4 and 30
  EXPECT_EQ(first_duplicate(object_of(late)), 9u);

  auto thrice = names;
  thrice[5] = thrice[20] = thrice[25] = "x";  // x at 5, 20, 25
  thrice[2] = thrice[22] = "y";               // y at 2, 22
  EXPECT_EQ(first_duplicate(object_of(thrice)), 21u);

  auto escaped = names;
  escaped[39] = "\\u006b7";  // "k7" written with an escape
  EXPECT_EQ(first_duplicate(object_of(escaped)), 40u);
}

// --- the tape ------------------------------------------------------------------

TEST(JsonTape, StructureValuesAndOffsets) {
  //                        0         1         2         3
  //                        0123456789012345678901234567890123456789
  const std::string text = R"({"a":[1,{"b":null}],"c":"x\ny","d":true})";
  reader r;
  document d;
  ASSERT_EQ(r.read(text, {}, d).code, error_code::ok);
  ASSERT_EQ(d.nodes().size(), 7u);
  EXPECT_EQ(d.first_duplicate(), 0u);

  const node& root = d[0];
  EXPECT_EQ(root.type, kind::object);
  EXPECT_EQ(root.offset, 0u);
  EXPECT_EQ(root.end, 7u);
  EXPECT_EQ(root.count, 3u);
  EXPECT_TRUE(root.key.empty());

  const node& a = d[1];
  EXPECT_EQ(a.type, kind::array);
  EXPECT_EQ(a.key, "a");
  EXPECT_EQ(a.key_offset, 1u);
  EXPECT_EQ(a.offset, 5u);
  EXPECT_EQ(a.end, 5u);
  EXPECT_EQ(a.count, 2u);

  const node& one = d[2];
  EXPECT_EQ(one.type, kind::number);
  EXPECT_TRUE(one.key.empty());
  EXPECT_EQ(one.offset, 6u);
  EXPECT_EQ(one.end, 3u);
  EXPECT_EQ(one.text, "1");
  EXPECT_EQ(one.integer, 1);

  const node& inner = d[3];
  EXPECT_EQ(inner.type, kind::object);
  EXPECT_EQ(inner.offset, 8u);
  EXPECT_EQ(inner.end, 5u);
  EXPECT_EQ(inner.count, 1u);

  const node& b = d[4];
  EXPECT_EQ(b.type, kind::null);
  EXPECT_EQ(b.key, "b");
  EXPECT_EQ(b.key_offset, 9u);
  EXPECT_EQ(b.offset, 13u);
  EXPECT_EQ(b.end, 5u);

  const node& c = d[5];
  EXPECT_EQ(c.type, kind::string);
  EXPECT_EQ(c.key, "c");
  EXPECT_EQ(c.key_offset, 20u);
  EXPECT_EQ(c.offset, 24u);
  EXPECT_EQ(c.text, "x\ny");
  EXPECT_EQ(c.end, 6u);

  const node& t = d[6];
  EXPECT_EQ(t.type, kind::boolean);
  EXPECT_TRUE(t.boolean);
  EXPECT_EQ(t.key, "d");
  EXPECT_EQ(t.key_offset, 31u);
  EXPECT_EQ(t.offset, 35u);
  EXPECT_EQ(t.end, 7u);

  // A consumer walks the root's members by jumping over subtrees.
  std::vector<std::string_view> keys;
  for (std::uint32_t i = 1; i < root.end; i = d[i].end) keys.push_back(d[i].key);
  EXPECT_EQ(keys, (std::vector<std::string_view>{"a", "c", "d"}));
}

TEST(JsonTape, ScalarRootsAndWhitespace) {
  reader r;
  document d;
  ASSERT_EQ(r.read("  true  ", {}, d).code, error_code::ok);
  EXPECT_EQ(d.root().type, kind::boolean);
  EXPECT_EQ(d.root().offset, 2u);
  EXPECT_EQ(d.root().end, 1u);
  ASSERT_EQ(r.read("\"s\"", {}, d).code, error_code::ok);
  EXPECT_EQ(d.root().text, "s");
  ASSERT_EQ(r.read("null", {}, d).code, error_code::ok);
  EXPECT_EQ(d.root().type, kind::null);
  ASSERT_EQ(r.read("\t{\r\n\"a\"\t:\n[ ] ,\"b\" : { } }\n", {}, d).code, error_code::ok);
  ASSERT_EQ(d.nodes().size(), 3u);
  EXPECT_EQ(d[1].type, kind::array);
  EXPECT_EQ(d[1].count, 0u);
  EXPECT_EQ(d[1].end, 2u);
  EXPECT_EQ(d[1].offset, 10u);
  EXPECT_EQ(d[1].key_offset, 4u);
  EXPECT_EQ(d[2].type, kind::object);
  EXPECT_EQ(d[2].key, "b");
  EXPECT_EQ(d[2].end, 3u);
}

TEST(JsonTape, ReaderIsReusableAfterErrors) {
  reader r;
  document d;
  ASSERT_EQ(r.read(R"({"name":"first"})", {}, d).code, error_code::ok);
  EXPECT_EQ(r.read("[1,]", {}, d).code, error_code::trailing_comma);
  ASSERT_EQ(r.read(R"(["second",2])", {}, d).code, error_code::ok);
  ASSERT_EQ(d.nodes().size(), 3u);
  EXPECT_EQ(d[1].text, "second");
  EXPECT_EQ(d[2].integer, 2);
  // A larger body, then a smaller one: views point at the newest input.
  const std::string big = "[\"" + std::string(100000, 'z') + "\"]";
  ASSERT_EQ(r.read(big, {}, d).code, error_code::ok);
  EXPECT_EQ(d[1].text.size(), 100000u);
  ASSERT_EQ(r.read(R"({"k":"v"})", {}, d).code, error_code::ok);
  EXPECT_EQ(d[1].key, "k");
  EXPECT_EQ(d[1].text, "v");
}

}  // namespace
