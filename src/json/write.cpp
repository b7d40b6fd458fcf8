// The writing side of the JSON layer: json::append_string, the one writer
// of JSON string literals (minimal escaping, SPEC.md section 3).
#include <cstdint>
#include <cstring>

#include "spe/json.hpp"

namespace spe::json {

namespace {

// The index of the first byte at or after i that JSON must escape (a
// control character, '"' or '\\'), or text.size(): eight bytes at a time,
// since nearly every string spe writes has nothing to escape.
std::size_t next_to_escape(std::string_view text, std::size_t i) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101u;
  constexpr std::uint64_t highs = 0x8080808080808080u;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, text.data() + i, 8);
    // Bytes < 0x20 (those >= 0x80 are masked out by ~w), '"' and '\\'.
    const std::uint64_t quote = w ^ (ones * '"');
    const std::uint64_t slash = w ^ (ones * '\\');
    const std::uint64_t hit = ((w - ones * 0x20) | (quote - ones) | (slash - ones)) & ~w & highs;
    if (hit != 0) break;  // the byte loop below finds which
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return text.size();
}

}  // namespace

void append_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t i = next_to_escape(text, 0);
  if (i == text.size()) {
    // Nothing to escape (the usual case): the quotes and the text at once.
    const std::size_t at = out.size();
    out.resize(at + text.size() + 2);
    char* p = out.data() + at;
    *p = '"';
    if (!text.empty()) std::memcpy(p + 1, text.data(), text.size());
    p[text.size() + 1] = '"';
    return;
  }
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes copied as they are
  for (; i < text.size(); i = next_to_escape(text, i + 1)) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.append(text, run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(text, run, text.size() - run);
  out += '"';
}

}  // namespace spe::json
