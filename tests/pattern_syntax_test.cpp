// The parser's reading of Java syntax and the matcher's Java semantics,
// case by case, with verdicts worked out by hand from the Java Pattern
// documentation: the printed syntax tree, escapes, classes over code points,
// `.` and the line terminators, anchors; and invalid UTF-8, which never
// matches, not even `.*`. Every verdict is checked on both the DFA and the
// NFA simulation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spe/pattern.hpp"

namespace {

std::string tree_of(const std::string& pattern) {
  const auto tree = spe::pattern::parse(pattern);
  if (!tree) return "error: " + spe::pattern::to_string(tree.error());
  return tree->to_string();
}

TEST(PatternSyntax, TreePrinting) {
  EXPECT_EQ(tree_of("[0-9A-Z](-*x){0,255}"),
            "(concat (class 0x30-0x39 0x41-0x5a) (repeat 0 255 (group capture "
            "(concat (repeat 0 inf (lit 0x2d)) (lit 0x78)))))");
  EXPECT_EQ(tree_of("(?:a|)b+$"), "(concat (group (alt (lit 0x61) (empty))) (repeat 1 inf (lit 0x62)) (end))");
  EXPECT_EQ(tree_of("^.\\d?"), "(concat (begin) (any) (repeat 0 1 (class 0x30-0x39)))");
  EXPECT_EQ(tree_of("[^a]"), "(class 0x00-0x60 0x62-0xd7ff 0xe000-0x10ffff)");
  EXPECT_EQ(tree_of("\\w"), "(class 0x30-0x39 0x41-0x5a 0x5f 0x61-0x7a)");
  EXPECT_EQ(tree_of("\\s"), "(class 0x09-0x0d 0x20)");
  EXPECT_EQ(tree_of("[a-z\\-]"), "(class 0x2d 0x61-0x7a)");
  EXPECT_EQ(tree_of("[z-a\\-a-z]"), "error: bad character class 'reversed range z-a' at offset 1");
  EXPECT_EQ(tree_of("[\\x00-\\uffff]"), "(class 0x00-0xd7ff 0xe000-0xffff)");
  EXPECT_EQ(tree_of("\\uD83D\\uDE00"), "(lit 0x1f600)");
  EXPECT_EQ(tree_of("\\0101\\x41\\u0041\\t"), "(concat (lit 0x41) (lit 0x41) (lit 0x41) (lit 0x09))");
  EXPECT_EQ(tree_of("\xC3\xA9"), "(lit 0xe9)");
  EXPECT_EQ(tree_of("a{2,}|"), "(alt (repeat 2 inf (lit 0x61)) (empty))");
  EXPECT_EQ(tree_of(""), "(empty)");
  EXPECT_EQ(tree_of("()"), "(group capture (empty))");
  EXPECT_EQ(tree_of("[]a]"), "(class 0x5d 0x61)");
  EXPECT_EQ(tree_of("[a-c-e]"), "(class 0x2d 0x61-0x63 0x65)");
  EXPECT_EQ(tree_of("}]"), "(concat (lit 0x7d) (lit 0x5d))");
}

TEST(PatternSyntax, TreeKeepsTheSource) {
  const auto tree = spe::pattern::parse("a(b)");
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->source(), "a(b)");
  const spe::pattern::node& root = tree->root();
  EXPECT_EQ(root.kind, spe::pattern::node_kind::concat);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[1].kind, spe::pattern::node_kind::group);
  EXPECT_TRUE(root.children[1].capturing);
  EXPECT_EQ(root.children[1].offset, 1u);
}

// Matches and misses, each checked on the DFA and on the NFA.
void expect_verdicts(const std::string& pattern, const std::vector<std::string>& matches,
                     const std::vector<std::string>& misses) {
  SCOPED_TRACE("pattern " + pattern);
  auto c = spe::pattern::compile(std::string_view(pattern));
  ASSERT_TRUE(c) << spe::pattern::to_string(c.error());
  auto nfa = spe::pattern::compile(c->tree, 0);
  ASSERT_TRUE(nfa);
  ASSERT_FALSE(nfa->deterministic());
  for (const std::string& s : matches) {
    EXPECT_TRUE(c->matcher.full_match(s)) << "DFA, should match \"" << s << '"';
    EXPECT_TRUE(nfa->full_match(s)) << "NFA, should match \"" << s << '"';
  }
  for (const std::string& s : misses) {
    EXPECT_FALSE(c->matcher.full_match(s)) << "DFA, should miss \"" << s << '"';
    EXPECT_FALSE(nfa->full_match(s)) << "NFA, should miss \"" << s << '"';
  }
}

TEST(PatternSemantics, DotIsOneCodePointButNotALineTerminator) {
  expect_verdicts(".", {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\x0B", "\x0C", "\xC2\x84", "\xC2\x86",
                        "\xE2\x80\xA7", "\xE2\x80\xAA", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF", std::string(1, '\0')},
                  {"", "\n", "\r", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9", "ab", "\xF0\x9F\x98\x80" "a"});
  expect_verdicts("..", {"\xF0\x9F\x98\x80\xF0\x9F\x98\x80", "a\xC3\xA9"}, {"\xF0\x9F\x98\x80", "\xC3\xA9"});
}

TEST(PatternSemantics, NegatedClassesCoverAllScalarValues) {
  expect_verdicts("[^a]", {"b", "\n", "\xE2\x80\xA8", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"},
                  {"a", "", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80"});
  expect_verdicts("\\S\\W\\D", {"\xC3\xA9\xC3\xA9\xC3\xA9", "x\xF0\x9F\x98\x80!"}, {" !x", "xa1", "x!9"});
}

TEST(PatternSemantics, ShorthandClassesAreAscii) {
  expect_verdicts("\\s+", {" \t\n\x0B\x0C\r"}, {"\xC2\xA0", "\xE2\x80\xA8", "\xE3\x80\x80"});
  expect_verdicts("\\w+", {"azAZ09_"}, {"\xC3\xA9", "-", "\xEF\xBC\xA1"});
  expect_verdicts("\\d+", {"0123456789"}, {"\xD9\xA3", "a"});
}

TEST(PatternSemantics, RangesAreOverCodePoints) {
  expect_verdicts("[\xC3\xA9-\xC3\xBC]", {"\xC3\xB1", "\xC3\xA9", "\xC3\xBC"}, {"\xC3\xBF", "e", "\xC3\xA8"});
  expect_verdicts("[\\x{1F600}-\\x{1F64F}]", {"\xF0\x9F\x98\x80", "\xF0\x9F\x99\x8F"},
                  {"\xF0\x9F\x99\x90", "\xE2\x98\xBA", "\xF0\x9F\x97\xBF"});
  expect_verdicts("[\xF0\x9F\x98\x80-\xF0\x9F\x99\x8F]+", {"\xF0\x9F\x98\x81\xF0\x9F\x99\x8E"}, {"\xF0\x9F\x99\x90"});
  expect_verdicts("[\\u0000-\\u007f\\u0800-\\uffff]", {"a", "\xE0\xA0\x80", "\xEF\xBF\xBF"},
                  {"\xC2\x80", "\xDF\xBF", "\xF0\x90\x80\x80"});
  expect_verdicts("\\uD83D\\uDE00", {"\xF0\x9F\x98\x80"}, {"\xF0\x9F\x98\x81"});
}

TEST(PatternSemantics, Escapes) {
  expect_verdicts("\\0101\\07\\0377\\0400", {"A\x07\xC3\xBF 0"}, {"A\x07\xC3\xBF\x80" "0"});
  expect_verdicts("\\x41\\x{e9}\\u20AC\\t\\n\\r\\f\\a\\e", {"A\xC3\xA9\xE2\x82\xAC\t\n\r\f\x07\x1B"}, {"A"});
  expect_verdicts("\\-\\.\\/\\\\\\:\\ \\#\\\xC3\xA9", {"-./\\: #\xC3\xA9"}, {"-./\\:"});
}

TEST(PatternSemantics, ClassEdgeCases) {
  expect_verdicts("[]a]", {"]", "a"}, {"[]", "b"});
  expect_verdicts("[^]a]", {"b", "["}, {"]", "a"});
  expect_verdicts("[a-c-e]", {"-", "e", "b"}, {"d"});
  expect_verdicts("[-a][a-]", {"-a", "a-", "--"}, {"ab"});
  expect_verdicts("[\\d-z]", {"5", "-", "z"}, {"y"});
}

TEST(PatternSemantics, Anchors) {
  expect_verdicts("a^b", {}, {"ab", "a^b", "b"});
  expect_verdicts("(^a|b)+", {"a", "ab", "b", "bb", "abb"}, {"ba", "aa", ""});
  expect_verdicts("a$", {"a"}, {"a\n", "a\r\n", "a\xE2\x80\xA8"});
  expect_verdicts("a|b$", {"a", "b"}, {"b\n", "a\n"});
  expect_verdicts("^$", {""}, {"\n"});
}

TEST(PatternSemantics, Repetition) {
  expect_verdicts("", {""}, {"a"});
  expect_verdicts("a{0}", {""}, {"a"});
  expect_verdicts("a{2,3}", {"aa", "aaa"}, {"a", "aaaa"});
  expect_verdicts("(ab){2,}", {"abab", "ababab"}, {"ab", "aba"});
  expect_verdicts("(a?){3}", {"", "a", "aaa"}, {"aaaa"});
  expect_verdicts("(a|)*b", {"b", "aab"}, {"a"});
  expect_verdicts("x{1000}", {std::string(1000, 'x')}, {std::string(999, 'x'), std::string(1001, 'x')});
}

TEST(PatternSemantics, InvalidUtf8NeverMatches) {
  const std::vector<std::string> invalid = {
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong
      "\xE0\x80\xAF",      // overlong 3-byte
      "\xF0\x80\x80\xAF",  // overlong 4-byte
      "\xED\xA0\x80",      // surrogate U+D800
      "\xED\xBF\xBF",      // surrogate U+DFFF
      "\xE2\x82",          // truncated
      "a\xC3",             // truncated at the end
      "\xC3",
      "\xF0\x9F\x98",      // truncated astral
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80", "\xFF", "\xFE", "\x80", "\xBF", "a\x80" "b",
      "\xC3\xA9\xA9",      // stray continuation
      "\xF8\x88\x80\x80\x80",
  };
  for (const std::string pattern : {".*", "[^a]*", "\\S*", "(.|\\n|\\r|\\u0085|\\u2028|\\u2029)*",
                                    "[\\x00-\\x{10FFFF}]*", "[\\s\\S]*", "(\\w|\\W)*"}) {
    expect_verdicts(pattern, {"", "ok", "\xC3\xA9\xF0\x9F\x98\x80\xED\x9F\xBF\xEE\x80\x80"}, invalid);
  }
}

}  // namespace
