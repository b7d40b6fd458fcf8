// Every construct outside spe's subset is a clean error that names the
// construct and its byte offset, one test per construct; then the
// malformed patterns (each error code), and the bounds on counts, nesting
// and automaton size.
#include <gtest/gtest.h>

#include <string>

#include "spe/pattern.hpp"

namespace {

using spe::pattern::error_code;

// Parses `pattern` and checks the error's code, that its construct holds
// `named`, that to_string() shows both, and the offset.
void expect_error(const std::string& pattern, error_code code, const std::string& named, std::size_t offset) {
  SCOPED_TRACE("pattern " + pattern);
  const auto tree = spe::pattern::parse(pattern);
  ASSERT_FALSE(tree) << "accepted: " << tree->to_string();
  const spe::pattern::error& e = tree.error();
  EXPECT_EQ(e.code, code) << spe::pattern::to_string(e);
  EXPECT_NE(e.construct.find(named), std::string::npos) << "construct: " << e.construct;
  EXPECT_EQ(e.offset, offset) << spe::pattern::to_string(e);
  const std::string text = spe::pattern::to_string(e);
  EXPECT_NE(text.find(named), std::string::npos) << text;
  EXPECT_NE(text.find("at offset " + std::to_string(offset)), std::string::npos) << text;
  // compile(string_view) reports the same error.
  const auto both = spe::pattern::compile(std::string_view(pattern));
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, code);
  EXPECT_EQ(both.error().offset, offset);
}

void expect_unsupported(const std::string& pattern, const std::string& named, std::size_t offset) {
  expect_error(pattern, error_code::unsupported, named, offset);
}

TEST(PatternErrors, MessageFormat) {
  const auto tree = spe::pattern::parse("ab(?=c)");
  ASSERT_FALSE(tree);
  EXPECT_EQ(spe::pattern::to_string(tree.error()), "unsupported construct 'lookahead (?=' at offset 2");
}

TEST(PatternUnsupported, Backreference) { expect_unsupported("(a)b\\1", "backreference \\1", 4); }
TEST(PatternUnsupported, BackreferenceTwoDigits) { expect_unsupported("(a)\\12", "backreference \\12", 3); }
TEST(PatternUnsupported, NamedBackreference) { expect_unsupported("(a)\\k<x>", "named backreference \\k<x>", 3); }
TEST(PatternUnsupported, Lookahead) { expect_unsupported("a(?=b)", "lookahead (?=", 1); }
TEST(PatternUnsupported, NegativeLookahead) { expect_unsupported("a(?!b)", "negative lookahead (?!", 1); }
TEST(PatternUnsupported, Lookbehind) { expect_unsupported("x(?<=a)b", "lookbehind (?<=", 1); }
TEST(PatternUnsupported, NegativeLookbehind) { expect_unsupported("(?<!a)b", "negative lookbehind (?<!", 0); }
TEST(PatternUnsupported, NamedGroup) { expect_unsupported("x(?<name>a)", "named group (?<name>", 1); }
TEST(PatternUnsupported, AtomicGroup) { expect_unsupported("ab(?>a)", "atomic group (?>", 2); }
TEST(PatternUnsupported, InlineFlags) { expect_unsupported("(?i)abc", "inline flags (?i)", 0); }
TEST(PatternUnsupported, InlineFlagsGroup) { expect_unsupported("a(?i:b)", "inline flags (?i:", 1); }
TEST(PatternUnsupported, InlineFlagsOff) { expect_unsupported("a(?-s)b", "inline flags (?-s)", 1); }
TEST(PatternUnsupported, PossessiveStar) { expect_unsupported("ab*+", "possessive quantifier *+", 2); }
TEST(PatternUnsupported, PossessivePlus) { expect_unsupported("a++", "possessive quantifier ++", 1); }
TEST(PatternUnsupported, PossessiveOptional) { expect_unsupported("a?+", "possessive quantifier ?+", 1); }
TEST(PatternUnsupported, PossessiveCount) { expect_unsupported("a{2,3}+", "possessive quantifier {2,3}+", 1); }
TEST(PatternUnsupported, LazyStar) { expect_unsupported("ab*?", "lazy quantifier *?", 2); }
TEST(PatternUnsupported, LazyPlus) { expect_unsupported("a+?", "lazy quantifier +?", 1); }
TEST(PatternUnsupported, LazyOptional) { expect_unsupported("a??", "lazy quantifier ??", 1); }
TEST(PatternUnsupported, LazyCount) { expect_unsupported("(a){2}?", "lazy quantifier {2}?", 3); }
TEST(PatternUnsupported, UnicodeProperty) { expect_unsupported("a\\p{L}", "Unicode property \\p{L}", 1); }
TEST(PatternUnsupported, UnicodePropertyShort) { expect_unsupported("\\pL", "Unicode property \\pL", 0); }
TEST(PatternUnsupported, NegatedUnicodeProperty) { expect_unsupported("[a\\P{Lu}]", "Unicode property \\P{Lu}", 2); }
TEST(PatternUnsupported, ClassIntersection) { expect_unsupported("[a-z&&[def]]", "class intersection &&", 4); }
TEST(PatternUnsupported, NestedClass) { expect_unsupported("[a[b]]", "nested class [", 2); }
TEST(PatternUnsupported, NestedClassAfterRange) { expect_unsupported("[a-[b]]", "nested class [", 3); }
TEST(PatternUnsupported, WordBoundary) { expect_unsupported("a\\b", "word boundary \\b", 1); }
TEST(PatternUnsupported, NonWordBoundary) { expect_unsupported("a\\B", "non-word boundary \\B", 1); }
TEST(PatternUnsupported, StartOfInput) { expect_unsupported("\\Aa", "\\A", 0); }
TEST(PatternUnsupported, EndOfInput) { expect_unsupported("a\\z", "\\z", 1); }
TEST(PatternUnsupported, EndBeforeTerminator) { expect_unsupported("a\\Z", "\\Z", 1); }
TEST(PatternUnsupported, EndOfPreviousMatch) { expect_unsupported("\\Ga", "\\G", 0); }
TEST(PatternUnsupported, Quotation) { expect_unsupported("x\\Qa.b\\E", "quotation \\Q", 1); }
TEST(PatternUnsupported, EndOfQuotation) { expect_unsupported("ab\\E", "\\E", 2); }
TEST(PatternUnsupported, ControlCharacter) { expect_unsupported("\\cA", "control character \\cA", 0); }
TEST(PatternUnsupported, NamedCharacter) {
  expect_unsupported("a\\N{LATIN SMALL LETTER A}", "named character \\N{LATIN SMALL LETTER A}", 1);
}
TEST(PatternUnsupported, HorizontalWhitespace) { expect_unsupported("\\h", "\\h", 0); }
TEST(PatternUnsupported, VerticalWhitespace) { expect_unsupported("a\\v", "\\v", 1); }
TEST(PatternUnsupported, Linebreak) { expect_unsupported("\\R", "linebreak matcher \\R", 0); }
TEST(PatternUnsupported, Grapheme) { expect_unsupported("\\X", "grapheme cluster \\X", 0); }
TEST(PatternUnsupported, LoneSurrogate) { expect_unsupported("a\\uD800", "lone surrogate escape \\uD800", 1); }
TEST(PatternUnsupported, LoneLowSurrogateInClass) { expect_unsupported("[\\x{DC00}]", "lone surrogate", 1); }
TEST(PatternUnsupported, DollarBeforeMore) { expect_unsupported("a$b", "'$' before more pattern", 1); }
TEST(PatternUnsupported, DollarInRepeatedGroup) { expect_unsupported("(a$)+", "'$' before more pattern", 2); }
TEST(PatternUnsupported, DollarBeforeOptional) { expect_unsupported("a$(b?)", "'$' before more pattern", 1); }
TEST(PatternUnsupported, DollarBeforeNewline) { expect_unsupported("a$\\n", "'$' before more pattern", 1); }

// Java stops repeating a group after an iteration that matched empty, even
// below the minimum (Pattern's Loop), so `(^|a){2}` does not match "a" in
// Java, while an automaton counts the empty `^` as one of the two. A group
// repeated at least twice that can match empty through a `^` and can also
// consume is refused rather than judged otherwise than AWS would.
TEST(PatternUnsupported, CaretInGroupRepeatedTwice) {
  expect_unsupported("(^|a){2}", "'^' in a group repeated at least twice", 0);
  expect_unsupported("x|(?:a|^){2,}", "'^' in a group repeated at least twice", 2);
  expect_unsupported("(a*^|b){2,3}", "'^' in a group repeated at least twice", 0);
  expect_unsupported("((a?^b?)){3}", "'^' in a group repeated at least twice", 0);
  expect_unsupported("(((^|a)){1}){2}", "'^' in a group repeated at least twice", 0);
}

// Where Java and the automaton agree it is accepted: a minimum of one or
// none (an empty iteration can come last), a `^` that the iteration must
// consume after, or a `^` alone (no input to count).
TEST(PatternUnsupported, CaretWhereJavaAgreesIsAccepted) {
  for (const std::string ok : {"(^|a)+", "(^|a)*b", "(^|a){1,3}", "(^a|b){2}", "^{2}", "(^){2}", "((^|a)b){2}"}) {
    const auto tree = spe::pattern::parse(ok);
    EXPECT_TRUE(tree) << ok << ": " << spe::pattern::to_string(tree.error());
  }
}

// A `$` that nothing consuming can follow is accepted, and is exact.
TEST(PatternUnsupported, DollarAtTheEndIsAccepted) {
  for (const std::string ok : {"a$", "a$$", "a$()", "(a$|b)", "a$^", "(a|b$)?", "$"}) {
    const auto tree = spe::pattern::parse(ok);
    EXPECT_TRUE(tree) << ok << ": " << spe::pattern::to_string(tree.error());
  }
}

TEST(PatternErrors, UnbalancedParentheses) {
  expect_error("(", error_code::unbalanced_paren, "'(' without ')'", 0);
  expect_error("a(b(c)", error_code::unbalanced_paren, "'(' without ')'", 1);
  expect_error("a)b", error_code::unbalanced_paren, "')' without '('", 1);
  expect_error(")", error_code::unbalanced_paren, "')' without '('", 0);
  // The construct quotes itself, so the text does not quote it again.
  EXPECT_EQ(spe::pattern::to_string(spe::pattern::parse("a(b").error()),
            "unbalanced parenthesis ('(' without ')') at offset 1");
}

TEST(PatternErrors, BadRepeats) {
  expect_error("*a", error_code::bad_repeat, "'*'", 0);
  expect_error("a|+", error_code::bad_repeat, "'+'", 2);
  expect_error("(?b)", error_code::unsupported, "(?b", 0);
  expect_error("a**", error_code::bad_repeat, "'*'", 2);
  expect_error("a{2}{3}", error_code::bad_repeat, "'{'", 4);
  expect_error("{2}", error_code::bad_repeat, "'{'", 0);
  expect_error("a{3,2}", error_code::bad_repeat, "{3,2}", 1);
  expect_error("a{x}", error_code::bad_repeat, "{x", 1);
  expect_error("a{,3}", error_code::bad_repeat, "{,", 1);
  expect_error("a{2", error_code::unexpected_end, "{2", 1);
}

TEST(PatternErrors, RepeatTooLarge) {
  expect_error("a{1001}", error_code::repeat_too_large, "{1001}", 1);
  expect_error("ab{0,1001}", error_code::repeat_too_large, "{0,1001}", 2);
  expect_error("a{99999999999999999999}", error_code::repeat_too_large, "{99999999999999999999}", 1);
  EXPECT_TRUE(spe::pattern::compile(std::string_view("a{1000}")));
  EXPECT_TRUE(spe::pattern::compile(std::string_view("a{0,1000}")));
}

TEST(PatternErrors, BadClasses) {
  expect_error("x[z-a]", error_code::bad_class, "reversed range z-a", 2);
  expect_error("[a-\\d]", error_code::bad_class, "a-\\d", 1);
  expect_error("[abc", error_code::unexpected_end, "[abc", 0);
  expect_error("[]", error_code::unexpected_end, "[]", 0);
  expect_error("[^]", error_code::unexpected_end, "[^]", 0);
}

TEST(PatternErrors, BadEscapes) {
  expect_error("a\\q", error_code::bad_escape, "\\q", 1);
  expect_error("\\i", error_code::bad_escape, "\\i", 0);
  expect_error("\\u12g4", error_code::bad_escape, "\\u", 0);
  expect_error("\\x4", error_code::bad_escape, "\\x", 0);
  expect_error("\\x{}", error_code::bad_escape, "\\x{}", 0);
  expect_error("\\x{110000}", error_code::bad_escape, "\\x{110000}", 0);
  expect_error("\\08", error_code::bad_escape, "\\0", 0);
  expect_error("ab\\", error_code::unexpected_end, "'\\'", 2);
}

TEST(PatternErrors, InvalidUtf8InThePattern) {
  expect_error("a\xFF", error_code::invalid_utf8, "UTF-8", 1);
  expect_error("\xC0\xAF", error_code::invalid_utf8, "UTF-8", 0);
  expect_error("ab\xED\xA0\x80", error_code::invalid_utf8, "UTF-8", 2);
  expect_error("[a\xE2\x82]", error_code::invalid_utf8, "UTF-8", 2);
}

TEST(PatternErrors, NestingIsBounded) {
  const std::size_t deep = spe::pattern::max_nesting;
  const std::string ok = std::string(deep, '(') + "a" + std::string(deep, ')');
  EXPECT_TRUE(spe::pattern::compile(std::string_view(ok)));
  const std::string too_deep = "x" + std::string(deep + 1, '(') + "a" + std::string(deep + 1, ')');
  expect_error(too_deep, error_code::too_complex, "nested deeper", 1 + deep);
}

TEST(PatternErrors, ExpansionBeyondTheNfaBoundIsTooComplex) {
  // Each expands past the NFA bound (the second to 10^9 positions): compile
  // must stop counting at the bound rather than build the expansion (were
  // it to build it, this test would run out of memory or of ctest's time).
  for (const std::string pattern : {"(a{1000}){1000}", "((a{1000}){1000}){1000}", "x([a-z]{1000}){20}"}) {
    SCOPED_TRACE(pattern);
    auto tree = spe::pattern::parse(pattern);
    ASSERT_TRUE(tree);
    auto a = spe::pattern::compile(*tree);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, error_code::too_complex);
    EXPECT_NE(spe::pattern::to_string(a.error()).find("states"), std::string::npos);
  }
}

// A pattern that needs more DFA states than allowed still matches, through
// the NFA.
TEST(PatternErrors, DfaCapFallsBackToTheNfa) {
  auto tree = spe::pattern::parse("(a|b)*a(a|b){12}");  // 2^13 DFA states
  ASSERT_TRUE(tree);
  auto small = spe::pattern::compile(*tree, 100);
  ASSERT_TRUE(small);
  EXPECT_FALSE(small->deterministic());
  auto big = spe::pattern::compile(*tree, 100'000);
  ASSERT_TRUE(big);
  EXPECT_TRUE(big->deterministic());
  EXPECT_GT(big->state_count(), 100u);
  for (const std::string s : {"a" + std::string(12, 'b'), "b" + std::string(12, 'b'), "bbba" + std::string(12, 'a'),
                              "ab" + std::string(12, 'a')}) {
    const bool expected = s.size() >= 13 && s[s.size() - 13] == 'a';
    EXPECT_EQ(small->full_match(s), expected) << s;
    EXPECT_EQ(big->full_match(s), expected) << s;
  }
}


// compile(text), the entry for models and `spe pattern`, refuses a pattern
// that gets no DFA when its NFA is too large to simulate per byte, and keeps
// the NFA of a pattern whose NFA is small. The patterns are built from the
// bounds, so they stay on each side of them.
TEST(PatternErrors, CostlyNfaWithoutDfaIsTooComplex) {
  using spe::pattern::max_simulated_states;
  // [ab]*a[ab]{n}: about n + 5 NFA states and 2^(n+1) DFA states.
  const auto with_tail = [](std::size_t n) { return "[ab]*a[ab]{" + std::to_string(n) + "}"; };
  const std::string costly = with_tail(max_simulated_states);
  auto refused = spe::pattern::compile(std::string_view(costly));
  ASSERT_FALSE(refused) << costly;
  EXPECT_EQ(refused.error().code, error_code::too_complex);
  const std::string text = spe::pattern::to_string(refused.error());
  EXPECT_NE(text.find("no DFA within " + std::to_string(spe::pattern::max_dfa_states)), std::string::npos) << text;
  EXPECT_NE(text.find("past the " + std::to_string(max_simulated_states)), std::string::npos) << text;
  // The tree itself still compiles, to an NFA past the bound.
  auto tree = spe::pattern::parse(costly);
  ASSERT_TRUE(tree);
  auto nfa = spe::pattern::compile(*tree);
  ASSERT_TRUE(nfa);
  EXPECT_FALSE(nfa->deterministic());
  EXPECT_GT(nfa->state_count(), max_simulated_states);

  const std::string cheap = with_tail(max_simulated_states / 4);
  auto kept = spe::pattern::compile(std::string_view(cheap));
  ASSERT_TRUE(kept) << spe::pattern::to_string(kept.error());
  EXPECT_FALSE(kept->matcher.deterministic());
  EXPECT_LE(kept->matcher.state_count(), max_simulated_states);
  const std::string tail(max_simulated_states / 4, 'b');
  EXPECT_TRUE(kept->matcher.full_match("bba" + tail));
  EXPECT_FALSE(kept->matcher.full_match("bbb" + tail));
}

}  // namespace
