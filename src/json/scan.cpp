// The reader's error locator: a byte-at-a-time RFC 8259 checker that names
// the first problem of a malformed body and its offset (see scan.hpp).
//
// It runs only after the fast path has rejected a body, so it is written
// for clarity, not speed: an explicit state machine (value, key, after a
// value) over the bytes, with one byte of stack per open container, so a
// body nested a million deep costs a bounded loop and no native stack.
// Numbers and literals go through lexical.hpp, the same functions the fast
// path uses.

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/scan.hpp"

#include "json/lexical.hpp"

namespace spe::json::detail {

namespace {

constexpr unsigned char byte(char c) noexcept { return static_cast<unsigned char>(c); }

// Reads the 4 hex digits after "\u" at p (p points at the backslash).
// Returns the code unit, or a negative number when they are not 4 hex
// digits.
long read_u_escape(const char* p, const char* end) noexcept {
  return end - p < 6 ? -1 : hex4(p + 2);
}

constexpr bool is_ascii_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool starts_with(const char* p, const char* end, std::string_view word) noexcept {
  return static_cast<std::size_t>(end - p) >= word.size() && std::string_view(p, word.size()) == word;
}

class checker {
 public:
  checker(std::string_view input, std::uint32_t max_depth, std::vector<std::uint8_t>& stack)
      : begin_(input.data()), end_(input.data() + input.size()), max_depth_(max_depth), stack_(stack) {}

  error run();

 private:
  enum class state : std::uint8_t { value, key, after };
  static constexpr std::uint8_t in_array = 0;
  static constexpr std::uint8_t in_object = 1;

  error fail(error_code code, const char* at) const noexcept {
    return {code, static_cast<std::size_t>(at - begin_)};
  }
  void skip_ws() noexcept {
    while (p_ != end_ && is_ws(*p_)) ++p_;
  }
  // p_ at the opening quote; on success p_ is one past the closing quote.
  error string();
  error value(state& next);
  error key(state& next);
  error after(state& next, bool& done);

  const char* begin_;
  const char* end_;
  const char* p_ = nullptr;
  // The comma just consumed, when the token after it is being read: a
  // closing bracket there is a trailing comma, reported at the comma.
  const char* comma_ = nullptr;
  std::uint32_t max_depth_;
  std::vector<std::uint8_t>& stack_;
};

error checker::string() {
  const char* open = p_;
  ++p_;
  while ((p_ = find_string_stop<true>(p_, end_)) != end_) {
    const char c = *p_;
    if (c == '"') {
      ++p_;
      return {};
    }
    if (byte(c) < 0x20) return fail(error_code::control_in_string, p_);
    // A backslash.
    if (end_ - p_ < 2) break;  // as the last byte: the string never closes
    switch (p_[1]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        p_ += 2;
        continue;
      case 'u': break;
      default: return fail(error_code::bad_escape, p_);
    }
    const long unit = read_u_escape(p_, end_);
    if (unit < 0) return fail(error_code::bad_escape, p_);
    if (unit >= 0xDC00 && unit <= 0xDFFF) return fail(error_code::lone_surrogate, p_);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      // A high half must be followed at once by an escaped low half.
      const char* low = p_ + 6;
      if (end_ - low >= 2 && low[0] == '\\' && low[1] == 'u') {
        const long second = read_u_escape(low, end_);
        if (second < 0) return fail(error_code::bad_escape, low);
        if (second < 0xDC00 || second > 0xDFFF) return fail(error_code::lone_surrogate, p_);
        p_ = low + 6;
        continue;
      }
      return fail(error_code::lone_surrogate, p_);
    }
    p_ += 6;
  }
  return fail(error_code::unterminated_string, open);
}

error checker::value(state& next) {
  skip_ws();
  if (p_ == end_) return fail(error_code::unexpected_end, p_);
  const char c = *p_;
  if (c == '{' || c == '[') {
    if (stack_.size() >= max_depth_) return fail(error_code::too_deep, p_);
    stack_.push_back(c == '{' ? in_object : in_array);
    ++p_;
    comma_ = nullptr;
    skip_ws();
    if (p_ != end_ && *p_ == (c == '{' ? '}' : ']')) {
      ++p_;
      stack_.pop_back();
      next = state::after;
      return {};
    }
    next = c == '{' ? state::key : state::value;
    return {};
  }
  next = state::after;
  if (c == '"') return string();
  if (c == '-' || is_digit(c)) {
    number_token t;
    if (!match_number(p_, end_, t)) return fail(error_code::bad_number, p_);
    p_ = t.end;
    return {};
  }
  if (c == 't' || c == 'f' || c == 'n') {
    switch (match_literal(p_, end_)) {
      case literal::true_: p_ += 4; return {};
      case literal::false_: p_ += 5; return {};
      case literal::null: p_ += 4; return {};
      case literal::invalid: break;
    }
    return fail(error_code::bad_literal, p_);
  }
  if (c == ']' && comma_ != nullptr) return fail(error_code::trailing_comma, comma_);
  // Non-JSON numbers that other parsers accept: NaN, Infinity, +1, .5.
  if (c == '+' || c == '.' || starts_with(p_, end_, "NaN") || starts_with(p_, end_, "Infinity")) {
    return fail(error_code::bad_number, p_);
  }
  // A bare word (True, undefined, None): a misspelt literal.
  if (is_ascii_letter(c)) return fail(error_code::bad_literal, p_);
  return fail(error_code::unexpected_char, p_);
}

error checker::key(state& next) {
  skip_ws();
  if (p_ == end_) return fail(error_code::unexpected_end, p_);
  if (*p_ == '}' && comma_ != nullptr) return fail(error_code::trailing_comma, comma_);
  if (*p_ != '"') return fail(error_code::bad_key, p_);
  if (error e = string(); e.code != error_code::ok) return e;
  skip_ws();
  if (p_ == end_) return fail(error_code::unexpected_end, p_);
  if (*p_ != ':') return fail(error_code::missing_colon, p_);
  ++p_;
  comma_ = nullptr;
  next = state::value;
  return {};
}

error checker::after(state& next, bool& done) {
  skip_ws();
  if (stack_.empty()) {
    if (p_ != end_) return fail(error_code::trailing_content, p_);
    done = true;
    return {};
  }
  if (p_ == end_) return fail(error_code::unexpected_end, p_);
  const bool object = stack_.back() == in_object;
  const char c = *p_;
  if (c == ',') {
    comma_ = p_;
    ++p_;
    next = object ? state::key : state::value;
    return {};
  }
  if (c == (object ? '}' : ']')) {
    ++p_;
    stack_.pop_back();
    next = state::after;
    return {};
  }
  // Something that could start the next value or member: the comma is what
  // is missing. Anything else (a bracket of the wrong kind, a colon, a
  // comment) is out of place in its own right.
  if (c == '"' || c == '{' || c == '[' || c == '-' || is_digit(c) || is_ascii_letter(c)) {
    return fail(error_code::missing_comma, p_);
  }
  return fail(error_code::unexpected_char, p_);
}

error checker::run() {
  stack_.clear();
  p_ = begin_;
  skip_ws();
  if (p_ == end_) return fail(error_code::empty, p_);
  state s = state::value;
  bool done = false;
  for (;;) {
    error e;
    switch (s) {
      case state::value: e = value(s); break;
      case state::key: e = key(s); break;
      case state::after: e = after(s, done); break;
    }
    if (e.code != error_code::ok) return e;
    if (done) return {};
  }
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view input) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(input.data());
  const std::size_t n = input.size();
  std::size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    // Runs of ASCII, which most bodies are, go 16 bytes at a time.
    if (n - i >= 16 &&
        _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i))) == 0) {
      i += 16;
      continue;
    }
#endif
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Unicode Table 3-7: the lead byte fixes the length and the range of
    // the second byte; later bytes are plain continuation bytes.
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3;
      lo = 0xA0;  // below: overlong
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3;
      hi = 0x9F;  // above: a UTF-16 surrogate encoded in UTF-8
    } else if (c == 0xF0) {
      len = 4;
      lo = 0x90;  // below: overlong
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4;
      hi = 0x8F;  // above: beyond U+10FFFF
    } else {
      return i;  // 80..C1 (continuation or overlong lead), F5..FF
    }
    if (n - i < len) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return no_error;
}

error diagnose(std::string_view input, std::uint32_t max_depth, std::vector<std::uint8_t>& stack) {
  if (starts_with_bom(input)) return {error_code::byte_order_mark, 0};
  if (const std::size_t bad = find_invalid_utf8(input); bad != no_error) {
    return {error_code::invalid_utf8, bad};
  }
  return checker(input, max_depth, stack).run();
}

}  // namespace spe::json::detail
