// The reader's string decoder (json/unescape.hpp) against simdjson's
// unescaper, the one it replaced: on every string, both kernels (the AVX2
// one where the CPU has it, and the portable one) must decode to simdjson's
// bytes or refuse what simdjson refuses.
//
// The strings are what stage 1 lets through: valid UTF-8, no raw control
// character or quote, no odd run of backslashes at the end. Two sets:
//  - every escape kind at every offset around the kernels' 64-byte blocks
//    and their 8-byte tail, in strings of every nearby length, and every
//    character after a backslash;
//  - 40,000 random strings of escapes, text and bad escapes (fixed seed, so
//    a failure replays).
// Each string sits in a buffer of exactly its size plus the 64 bytes of
// padding the contract asks for, filled with bytes that would change the
// result if they were read as part of the string, so AddressSanitizer
// catches a read or write past the contract and a wrong answer shows.

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "json/unescape.hpp"
#include "support/rng.hpp"

namespace {

using spe::testing::rng;

constexpr std::size_t padding = simdjson::SIMDJSON_PADDING;

// simdjson's reading of the string: true and its text, or false.
bool simdjson_decodes(std::string_view raw, std::string& text) {
  static simdjson::ondemand::parser parser;
  const simdjson::padded_string doc("\"" + std::string(raw) + "\"");
  std::string_view view;
  auto d = parser.iterate(doc);
  if (d.get_string().get(view) != simdjson::SUCCESS) return false;
  text.assign(view);
  return true;
}

using kernel = char* (*)(const char*, std::size_t, char*) noexcept;

// The kernel's reading of `raw`, in buffers of exactly the contract's size.
bool spe_decodes(kernel decode, std::string_view raw, std::string& text) {
  // Bytes that would pass for escapes, hex digits or a backslash run if a
  // kernel read them as the string's own.
  static constexpr std::string_view bait = "\\u00410\\\\\"n";
  const std::unique_ptr<char[]> in(new char[raw.size() + padding]);
  for (std::size_t i = 0; i < raw.size() + padding; ++i) {
    in[i] = i < raw.size() ? raw[i] : bait[i % bait.size()];
  }
  const std::unique_ptr<char[]> out(new char[raw.size() + padding]);
  const char* end = decode(in.get(), raw.size(), out.get());
  if (end == nullptr) return false;
  text.assign(out.get(), static_cast<std::size_t>(end - out.get()));
  return true;
}

struct named_kernel {
  const char* name;
  kernel decode;
};
const named_kernel kernels[] = {{"dispatched", &spe::json::detail::unescape},
                                {"portable", &spe::json::detail::unescape_portable}};

// Compares every kernel with simdjson on `raw`; a failure names the string.
void expect_agreement(std::string_view raw) {
  std::string want;
  const bool ok = simdjson_decodes(raw, want);
  for (const named_kernel& k : kernels) {
    std::string got;
    const bool decoded = spe_decodes(k.decode, raw, got);
    ASSERT_EQ(decoded, ok) << k.name << " kernel on \"" << raw << "\" (" << raw.size() << " bytes)";
    if (ok) ASSERT_EQ(got, want) << k.name << " kernel on \"" << raw << "\" (" << raw.size() << " bytes)";
  }
}

// Every kind the kernels tell apart: two-character escapes, \u escapes to
// one, two and three UTF-8 bytes, surrogate pairs, runs of backslashes, and
// each way an escape is bad.
const char* const escapes[] = {
    "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
    "\\u0000", "\\u001f", "\\u0041", "\\u007F", "\\u007f", "\\u0080", "\\u00e9", "\\u07FF", "\\u0800",
    "\\u4e2d", "\\uFFFF", "\\uD83D\\uDE00", "\\udbff\\udfff", "\\\\\\\\", "\\\\\\\\\\\\", "\\\\\\n",
    // bad
    "\\x", "\\U0041", "\\u", "\\u12", "\\u00G1", "\\u0g41", "\\ud800", "\\udc00", "\\ud800\\u0041",
    "\\ude00\\ud83d", "\\ud800x", "\\ud800\\n", "\\u00 1", "\\'",
};

TEST(Unescape, EveryEscapeAtEveryOffsetAroundTheBlocks) {
  for (const char* escape : escapes) {
    for (std::size_t before = 0; before <= 140; ++before) {
      for (const std::size_t after : {0, 1, 2, 5, 6, 7, 8, 9, 57, 63, 64, 65}) {
        std::string raw(before, 'a');
        raw += escape;
        raw.append(after, 'z');
        expect_agreement(raw);
        if (testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(Unescape, EveryCharacterAfterABackslash) {
  // Printable ASCII (raw controls cannot pass stage 1) and multi-byte
  // characters, inside a block, at its end, and in the short tail.
  std::vector<std::string> after;
  for (char c = ' '; c <= '~'; ++c) after.emplace_back(1, c);
  for (const char* c : {"\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xC2\x85"}) after.emplace_back(c);
  for (const std::string& c : after) {
    for (const std::size_t before : {0, 30, 62, 63, 64, 120}) {
      for (const std::size_t tail : {0, 3, 80}) {
        std::string raw(before, 'q');
        raw += '\\';
        raw += c;
        if (c == "u") raw += "0041";
        raw.append(tail, 'w');
        expect_agreement(raw);
        if (testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(Unescape, EscapesStraddlingABlockEnd) {
  // Two escapes with the 64-byte boundary at each byte between them.
  for (const char* first : escapes) {
    for (const char* second : {"\\n", "\\u0001", "\\\\", "\\u00e9"}) {
      for (std::size_t before = 50; before <= 66; ++before) {
        std::string raw(before, '-');
        raw += first;
        raw += second;
        raw.append(70, '.');
        expect_agreement(raw);
        if (testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(Unescape, RandomStringsAgreeWithSimdjson) {
  // Text (with multi-byte characters) between escapes, escapes dense and
  // sparse; now and then a bad one.
  const char* const text[] = {"a", "Z", " ", "0", "u", "/", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "abc def"};
  const char* const good[] = {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0001", "\\u001F",
                              "\\u0020", "\\u007e", "\\u00e9", "\\u00FF", "\\u0100", "\\u20AC", "\\u2028",
                              "\\uD83D\\uDE00", "\\u0000"};
  const char* const bad[] = {"\\x", "\\u12", "\\ud800", "\\udc00", "\\u00G0"};
  rng r(0x5EED5EEDull);
  for (int i = 0; i < 40000; ++i) {
    std::string raw;
    const std::size_t pieces = r.below(i % 10 == 0 ? 400 : 60);
    const std::size_t escape_share = 1 + r.below(8);  // 1 in escape_share pieces is an escape
    for (std::size_t k = 0; k < pieces; ++k) {
      if (r.below(escape_share) == 0) {
        raw += r.chance(400) ? r.pick(bad) : r.pick(good);
      } else {
        raw += r.pick(text);
      }
    }
    expect_agreement(raw);
    if (testing::Test::HasFatalFailure()) {
      ADD_FAILURE() << "random string " << i << " (seed 0x5EED5EED)";
      return;
    }
  }
}

}  // namespace
