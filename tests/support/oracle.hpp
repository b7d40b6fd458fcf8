// An independent judge of AWS patterns for tests: PCRE2 set up to behave
// like Java's Matcher.matches() on the subset AWS models use.
//
// The Java text is translated by a small scanner of its own (not spe's
// parser, so a bug there cannot hide here): `.` outside a class becomes
// [^\n\r\x{85}\x{2028}\x{2029}] (Java's line terminators), \uXXXX becomes
// \x{XXXX}; PCRE2 runs with UTF, ANCHORED, ENDANCHORED and DOLLAR_ENDONLY.
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace spe::testing {

inline std::string java_to_pcre2(std::string_view java) {
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < java.size(); ++i) {
    const char c = java[i];
    if (c == '\\' && i + 1 < java.size()) {
      if (java[i + 1] == 'u' && i + 6 <= java.size()) {
        out += "\\x{";
        out.append(java.substr(i + 2, 4));
        out += '}';
        i += 5;
        continue;
      }
      out += c;
      out += java[++i];
      continue;
    }
    if (!in_class && c == '.') {
      out += "[^\\n\\r\\x{85}\\x{2028}\\x{2029}]";
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal in PCRE2 but an error in
      // Java; AWS patterns never write it, so nothing to translate.
      continue;
    }
    if (c == ']' && in_class) in_class = false;
    out += c;
  }
  return out;
}

class oracle {
 public:
  // match_limit: PCRE2's match limit (pcre2_set_match_limit), past which
  // full_match throws instead of answering; 0 keeps PCRE2's default (ten
  // million). The pattern_diff fuzz target lowers it: on arbitrary patterns
  // PCRE2's backtracking otherwise spent 16 s on one input.
  explicit oracle(std::string_view java_pattern, std::uint32_t match_limit = 0) {
    const std::string p = java_to_pcre2(java_pattern);
    int err = 0;
    PCRE2_SIZE off = 0;
    code_.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.data()), p.size(),
                              PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_DOLLAR_ENDONLY,
                              &err, &off, nullptr));
    if (!code_) throw std::runtime_error("PCRE2 cannot compile " + p);
    data_.reset(pcre2_match_data_create_from_pattern(code_.get(), nullptr));
    if (!data_) throw std::runtime_error("PCRE2 match data");
    if (match_limit != 0) {
      context_.reset(pcre2_match_context_create(nullptr));
      if (!context_ || pcre2_set_match_limit(context_.get(), match_limit) != 0) {
        throw std::runtime_error("PCRE2 match context");
      }
    }
  }

  // Full match of valid UTF-8 text.
  bool full_match(std::string_view s) const {
    const int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0,
                               data_.get(), context_.get());
    if (rc < PCRE2_ERROR_NOMATCH) throw std::runtime_error("PCRE2 match error");
    return rc >= 0;
  }

 private:
  template <class T, void (*Free)(T*)>
  struct freer {
    void operator()(T* p) const { Free(p); }
  };
  std::unique_ptr<pcre2_code, freer<pcre2_code, pcre2_code_free>> code_;
  std::unique_ptr<pcre2_match_data, freer<pcre2_match_data, pcre2_match_data_free>> data_;
  std::unique_ptr<pcre2_match_context, freer<pcre2_match_context, pcre2_match_context_free>>
      context_;  // null: PCRE2's defaults
};

}  // namespace spe::testing
