// Exhaustive differential test, in the style of RE2's exhaustive tester:
// for each distinct pattern of the three models, every string up to a
// small length over an alphabet drawn from the pattern itself, judged by
// three engines that must agree -- PCRE2 (tests/support/oracle.hpp: UTF,
// anchored at both ends, Java's `.` spelled out), spe's DFA, and spe's NFA
// simulation (compile(tree, 0)).
//
// The alphabet comes from the pattern text by a scan of this file's own
// (not spe's parser): every literal, every class endpoint and the code
// points just outside each range, plus - _ . space \n, a 2-byte and a 3-byte
// line terminator (U+0085, U+2028), a 2-byte letter and an astral
// character. Short strings cannot reach the far parts of an ARN pattern, so
// every pattern also gets all short suffixes after a few stems (ARN
// prefixes, names at their length bounds), and a list of long strings at
// the boundaries. The length is chosen per pattern so that the whole file
// runs in a few seconds (RelWithDebInfo).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "spe/pattern.hpp"
#include "support/oracle.hpp"
#include "support/sanitizers.hpp"
#include "support/utf8.hpp"

namespace {

constexpr bool sanitized = spe::testing::address_sanitizer;

// Strings per pattern for the all-strings part (sanitizers run ~10x slower).
constexpr std::size_t budget = sanitized ? 200'000 : 4'500'000;

std::set<std::string> model_patterns() {
  std::set<std::string> out;
  for (const std::string rev : {"seed", "botocore-1.29", "botocore-1.43"}) {
    std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/" + rev + ".json");
    const nlohmann::json m = nlohmann::json::parse(in);
    for (const auto& [name, shape] : m.at("shapes").items()) {
      if (shape.contains("pattern")) out.insert(shape.at("pattern").get<std::string>());
    }
  }
  return out;
}

std::string utf8(char32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// One code point of UTF-8 text at s[i] (the patterns are valid UTF-8).
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i++]);
  if (b0 < 0x80) return b0;
  const std::size_t extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : 1;
  char32_t cp = b0 & (0x3Fu >> extra);
  for (std::size_t k = 0; k < extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3Fu);
  return cp;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string> alphabet_of(std::string_view java) {
  std::set<char32_t> cps;
  const auto add = [&](char32_t cp) {
    if (cp < 0x110000 && (cp < 0xD800 || cp > 0xDFFF)) cps.insert(cp);
  };
  bool in_class = false;
  bool have_last = false;   // the previous class item was a single code point
  char32_t last = 0;
  bool range_open = false;  // a '-' after `last` makes a range
  const auto literal = [&](char32_t cp) {
    add(cp);
    if (in_class && range_open) {
      add(last - 1);  // just outside the range on both sides
      add(cp + 1);
      range_open = false;
      have_last = false;
      return;
    }
    have_last = in_class;
    last = cp;
  };
  for (std::size_t i = 0; i < java.size();) {
    const char c = java[i];
    if (c == '\\' && i + 1 < java.size()) {
      const char e = java[i + 1];
      if (e == 'u' && i + 6 <= java.size() && is_hex(java[i + 2])) {
        literal(static_cast<char32_t>(std::stoul(std::string(java.substr(i + 2, 4)), nullptr, 16)));
        i += 6;
      } else if (std::isalnum(static_cast<unsigned char>(e)) != 0) {
        have_last = false;  // \d, \w, ...: the extras cover them
        i += 2;
      } else {
        literal(static_cast<unsigned char>(e));
        i += 2;
      }
      continue;
    }
    if (!in_class) {
      if (c == '[') {
        in_class = true;
        have_last = range_open = false;
        i += java.compare(i + 1, 1, "^") == 0 ? 2 : 1;
        continue;
      }
      if (c == '{') {  // a count, not text
        i = java.find('}', i) + 1;
        continue;
      }
      if (std::string_view("()|*+?^$.").find(c) != std::string_view::npos) {
        ++i;
        continue;
      }
    } else {
      if (c == ']') {
        in_class = false;
        ++i;
        continue;
      }
      if (c == '-' && have_last && i + 1 < java.size() && java[i + 1] != ']') {
        range_open = true;
        ++i;
        continue;
      }
    }
    literal(next_code_point(java, i));
  }
  for (const char32_t extra : {U'-', U'_', U'.', U' ', U'\n', U'\u0085', U'\u2028', U'\u00e9', U'\U0001F600'}) {
    add(extra);
  }
  std::vector<std::string> out;
  for (const char32_t cp : cps) out.push_back(utf8(cp));
  return out;
}

std::string printable(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0x20 && b < 0x7F) {
      out += ch;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", b);
      out += buf;
    }
  }
  return out;
}

// The three engines for one pattern.
class judges {
 public:
  explicit judges(const std::string& pattern) : pattern_(pattern), pcre_(pattern) {
    auto c = spe::pattern::compile(pattern);
    if (!c) throw std::runtime_error("spe rejects " + pattern + ": " + spe::pattern::to_string(c.error()));
    auto nfa = spe::pattern::compile(c->tree, 0);
    if (!nfa) throw std::runtime_error("no NFA for " + pattern);
    dfa_ = std::move(c->matcher);
    nfa_ = std::move(*nfa);
  }

  bool deterministic() const { return dfa_.deterministic() && !nfa_.deterministic(); }

  // Counts a disagreement (reporting the first few); returns the verdict.
  void check(const std::string& s) {
    const bool expected = pcre_.full_match(s);
    const bool by_dfa = dfa_.full_match(s);
    const bool by_nfa = nfa_.full_match(s);
    // The validator's entry point, for text that is valid UTF-8.
    const bool by_skip = spe::testing::is_valid_utf8(s) ? dfa_.full_match_valid_utf8(s) : expected;
    ++checked_;
    if (expected == by_dfa && expected == by_nfa && expected == by_skip) return;
    if (++failures_ <= 10) {
      ADD_FAILURE() << "pattern " << pattern_ << " on \"" << printable(s) << "\": PCRE2 " << expected
                    << ", DFA " << by_dfa << ", NFA " << by_nfa << ", DFA on valid UTF-8 " << by_skip;
    }
  }

  std::size_t checked() const { return checked_; }
  std::size_t failures() const { return failures_; }

 private:
  std::string pattern_;
  spe::testing::oracle pcre_;
  spe::pattern::automaton dfa_;
  spe::pattern::automaton nfa_;
  std::size_t checked_ = 0;
  std::size_t failures_ = 0;
};

// Calls f(stem + w) for every string w of length <= max_len over alphabet.
template <class F>
void for_all_strings(const std::vector<std::string>& alphabet, std::size_t max_len, const std::string& stem, F f) {
  std::vector<std::size_t> digits;
  for (std::size_t len = 0; len <= max_len; ++len) {
    digits.assign(len, 0);
    for (;;) {
      std::string s = stem;
      for (const std::size_t d : digits) s += alphabet[d];
      f(s);
      std::size_t k = 0;
      while (k < len && ++digits[k] == alphabet.size()) digits[k++] = 0;
      if (k == len) break;
    }
  }
}

// The longest length whose strings (all lengths up to it) fit the budget.
std::size_t length_for(std::size_t alphabet, std::size_t strings) {
  std::size_t len = 0;
  std::size_t total = 1;
  std::size_t power = 1;
  while (len < 8) {
    power *= alphabet;
    if (total + power > strings) break;
    total += power;
    ++len;
  }
  return len;
}

std::string alnum(std::size_t n) {
  static const std::string pool = "aZ0bY1cX2dW3eV4fU5gT6hS7iR8jQ9";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += pool[i % pool.size()];
  return s;
}

const std::vector<std::string>& stems() {
  static const std::vector<std::string> s = {
      "arn:aws:sagemaker:us-east-1:123456789012:pipeline/",
      "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution",
      "arn:aws-cn:sagemaker::aws:pipeline",
      "arn:aws:sagemaker:r:12345678901",
      "arn:aws:sagemaker:r:aw",
      alnum(80),
      alnum(254),
      "a" + std::string(300, '-'),
  };
  return s;
}

std::vector<std::string> long_strings() {
  std::vector<std::string> out;
  const std::string arn = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/";
  for (const std::size_t n : {80, 81, 82, 83, 84, 254, 255, 256, 257, 258, 1000}) {
    out.push_back(alnum(n));
    out.push_back(alnum(n) + "-");
    out.push_back(arn + alnum(n));
    out.push_back(arn + "p/execution/" + alnum(n));
    std::string h;
    for (std::size_t i = 0; i < n; ++i) h += (i ? "-" : "") + alnum(n).substr(i, 1);
    out.push_back(h);
    out.push_back(arn + "x/" + h);
    out.push_back(std::string(n, 'x') + "\n");
    out.push_back(std::string(n, '_'));
  }
  out.push_back(std::string(3072, '.'));
  out.push_back(arn + std::string(2000, '/') + "execution/e");
  return out;
}

TEST(PatternExhaustive, ModelPatternsAgreeWithPcre2) {
  const std::set<std::string> patterns = model_patterns();
  ASSERT_FALSE(patterns.empty());
  for (const std::string& pattern : patterns) {
    SCOPED_TRACE(pattern);
    judges j(pattern);
    EXPECT_TRUE(j.deterministic());
    const std::vector<std::string> alphabet = alphabet_of(pattern);
    const std::size_t len = length_for(alphabet.size(), budget);
    EXPECT_GE(len, 3u) << "alphabet of " << alphabet.size() << " is too large for the budget";
    for_all_strings(alphabet, len, "", [&](const std::string& s) { j.check(s); });
    for (const std::string& stem : stems()) {
      for_all_strings(alphabet, 2, stem, [&](const std::string& s) { j.check(s); });
    }
    for (const std::string& s : long_strings()) j.check(s);
    std::printf("[ pattern  ] %-100s alphabet %zu, length <= %zu, %zu strings\n", pattern.c_str(),
                alphabet.size(), len, j.checked());
    EXPECT_EQ(j.failures(), 0u);
  }
}

// The rest of the subset, beyond what the models use, on the same terms:
// each of these exercises one feature of the parser or the compiler.
TEST(PatternExhaustive, SubsetFeaturesAgreeWithPcre2) {
  const std::vector<std::string> patterns = {
      "(a|b)*c{2,3}",   "[^a-c]+",          "\\d+\\.\\w*",     "a{0}b",           "(a*)*b",
      "(|a)+",          "[-a]x|[a-]y",      "[a-c-e]+",        "[\\s\\S]",        "\\D\\W\\S",
      "x(ab){1,2}y",    "(?:ab|a)(bc|c)",   "^a|b$",           "[\\u00e9-\\u00fc]+", ".\\u00e9.",
      "[^\\u2028]+",    "a.{2}b",           "(\\w|-)*",        "a{2,}",           "(a|ab)(c|bcd)(d*)",
      "[]a]+",          "[^]a]",            "a|",              "()",              "a^b|c",
      "(^a|b)+",        "x$|y",             "a$$",             "\\x41\\x{1F600}", "[\\x{1F600}-\\x{1F64F}]",
      "\\t\\n\\r\\f\\a\\e", "[a-z&]",       "a}b]c",           "a?b?c?a?b?c?",    "(((a)))",
      "[\\-\\.\\/\\\\]+", "[a-c]{2}|(?:b|c){0,3}d",
  };
  for (const std::string& pattern : patterns) {
    SCOPED_TRACE(pattern);
    judges j(pattern);
    std::set<std::string> symbols;
    for (const std::string& a : alphabet_of(pattern)) symbols.insert(a);
    for (const char* more : {"a", "b", "c", "0", "\t", "\x07", "\x1B", "\r", "\f"}) symbols.insert(more);
    const std::vector<std::string> alphabet(symbols.begin(), symbols.end());
    const std::size_t len = std::min<std::size_t>(length_for(alphabet.size(), budget / 4), 5);
    for_all_strings(alphabet, len, "", [&](const std::string& s) { j.check(s); });
    EXPECT_EQ(j.failures(), 0u);
  }
}

}  // namespace
