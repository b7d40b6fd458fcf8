// The compiled form of a pattern, shared by compile.cpp (which builds it)
// and match.cpp (which runs it); internal to spe_pattern.
//
// Two layers, as in RE2:
//  - program: a Thompson NFA over bytes. Code point classes are already
//    expanded into UTF-8 byte-range sequences, so only valid UTF-8 of the
//    right code points can get through a byte_set chain; invalid input dies
//    on its own, with no separate validation pass.
//  - dfa: the same language as a table, built ahead of time by subset
//    construction over byte equivalence classes. Absent (has_dfa false) when
//    the pattern needs more states than the compile call allowed; matching
//    then simulates the program.
// Both are immutable after compile(), which is what makes matching safe from
// many threads at once.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "spe/pattern.hpp"

namespace spe::pattern::detail {

enum class op : std::uint8_t {
  fail,        // no way on (index 0 always holds one)
  byte_set,    // consume one byte in sets[arg], then go to out
  alt,         // go to out and to arg
  begin_text,  // go to out at the start of input only
  end_text,    // go to out at the end of input only
  match,       // the whole pattern has matched
};

struct inst {
  op kind = op::fail;
  std::uint32_t out = 0;
  std::uint32_t arg = 0;  // byte_set: index in program::sets; alt: second target
};

// 256 bits, one per byte value.
using byte_set = std::array<std::uint64_t, 4>;

inline bool contains(const byte_set& s, unsigned char b) noexcept {
  return ((s[b >> 6] >> (b & 63u)) & 1u) != 0;
}

struct program {
  std::vector<inst> insts;
  std::vector<byte_set> sets;  // deduplicated
  std::uint32_t start = 0;
  std::uint32_t match = 0;  // the one match instruction
};

// Instruction indices must fit the NFA simulation's uint16_t work stack.
static_assert(max_nfa_states <= 65536);

struct dfa {
  static constexpr std::uint32_t dead = 0;  // the empty set: never accepts
  std::array<std::uint8_t, 256> byte_class{};
  std::uint32_t classes = 0;
  std::uint32_t start = 0;
  std::vector<std::uint32_t> next;    // state * classes + class
  std::vector<std::uint8_t> accept;   // per state: accepting at end of input
  std::size_t states() const noexcept { return accept.size(); }

  // Scans, for text known to be valid UTF-8 (automaton::
  // full_match_valid_utf8): from some states the matcher looks for the next
  // byte that can lead elsewhere 16 bytes at a time, instead of walking the
  // table byte by byte. Both kinds are byte ranges, tested alike:
  //  - skip states: standing at a character boundary, every character but
  //    those whose lead byte is one of a few (at most max_skip_bytes, one
  //    range each) brings the state back to itself -- under `.*` every
  //    character but the line terminators, whose lead bytes are \n, \r, C2
  //    and E2. The scan stops at a byte inside the ranges.
  //  - run states (not skippable): the ASCII bytes that bring the state back
  //    to itself are many (at least min_run_bytes) in at most max_run_ranges
  //    ranges -- under [A-Za-z0-9\-_]* 64 bytes in five. The scan stops at a
  //    byte outside them. A byte inside is a whole character that leads
  //    back to the state, so this holds for any text.
  // Byte x is in range k when x + bias[k], as a signed byte, is below
  // limit[k] (16 copies each, ready for one 16-byte load).
  static constexpr std::size_t max_skip_bytes = 8;
  static constexpr std::size_t max_run_ranges = 6;
  static constexpr std::size_t min_run_bytes = 16;
  static constexpr std::size_t max_scan_ranges = 8;
  static_assert(max_skip_bytes <= max_scan_ranges && max_run_ranges <= max_scan_ranges);
  struct scan {
    std::uint32_t count = 0;   // ranges used (a skip state may have none: it never stops)
    bool stop_inside = false;  // skip: stop inside the ranges; run: outside them
    alignas(16) std::array<std::array<std::uint8_t, 16>, max_scan_ranges> bias{};
    alignas(16) std::array<std::array<std::uint8_t, 16>, max_scan_ranges> limit{};
    void add(std::uint8_t lo, std::uint8_t hi) noexcept {
      // [lo, hi] moves to the bottom of the signed byte range.
      bias[count].fill(static_cast<std::uint8_t>(0x80 - lo));
      limit[count].fill(static_cast<std::uint8_t>(0x80 + (hi - lo) + 1));
      ++count;
    }
  };
  std::vector<std::uint32_t> scan_of;  // per state: 0 none, else 1 + index in scans
  std::vector<scan> scans;

  // Two bytes per lookup, for text known to be valid UTF-8 and short (a
  // name): pairs[state * classes^2 + class1 * classes + class2] is the
  // state after both bytes, premultiplied by classes^2, so the chain per two
  // bytes is one load and one add. Empty when the table would pass
  // max_pair_cells (it must stay in the first-level cache).
  static constexpr std::size_t max_pair_cells = 8192;
  std::vector<std::uint32_t> pairs;
};

}  // namespace spe::pattern::detail

namespace spe::pattern {

struct automaton::impl {
  detail::program prog;
  bool has_dfa = false;
  detail::dfa table;
};

}  // namespace spe::pattern
