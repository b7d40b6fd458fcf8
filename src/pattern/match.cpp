// match: automaton x UTF-8 -> bool, a full match in one left-to-right pass.
//
// With a DFA: one table lookup per byte (byte -> class -> next state), and
// an early exit at the dead state. Without one (the pattern needed more DFA
// states than compile() allowed): a Thompson simulation of the byte-level
// NFA, the set of live instructions kept as a bitset. Each byte costs at
// most one visit per instruction, so time is O(input x program), linear in
// the input whatever the pattern's nesting; there is no backtracking.
//
// Neither path allocates: the NFA's two bitsets and its epsilon-closure
// stack are fixed-size arrays on the stack, sized by max_nfa_states (about
// 36 KiB in all). The automaton is only read, so any number of threads may
// match with one automaton at once. Invalid UTF-8 needs no check of its
// own: the program only spells out valid encodings (see compile.cpp).
//
// match_stats.steps counts transitions: one per byte through the DFA, one
// per live consuming instruction per byte in the NFA.
#include <array>
#include <bit>

#include "pattern/program.hpp"

namespace spe::pattern {
namespace {

using detail::op;

bool run_dfa(const detail::dfa& d, std::string_view text, std::uint64_t& steps) noexcept {
  std::uint32_t s = d.start;
  const std::uint32_t* next = d.next.data();
  const std::size_t classes = d.classes;
  for (const char ch : text) {
    if (s == detail::dfa::dead) return false;
    s = next[s * classes + d.byte_class[static_cast<unsigned char>(ch)]];
    ++steps;
  }
  return d.accept[s] != 0;
}

bool run_nfa(const detail::program& p, std::string_view text, std::uint64_t& steps) noexcept {
  constexpr std::size_t cap_words = max_nfa_states / 64;
  static_assert(max_nfa_states % 64 == 0);
  // Left uninitialised: only the first `words` of each are used, and each
  // is cleared before use.
  std::array<std::uint64_t, cap_words> set_a;
  std::array<std::uint64_t, cap_words> set_b;
  std::array<std::uint16_t, max_nfa_states> stack;
  const std::size_t words = (p.insts.size() + 63) / 64;
  std::uint64_t* cur = set_a.data();
  std::uint64_t* nxt = set_b.data();

  const auto test = [](const std::uint64_t* set, std::uint32_t i) {
    return ((set[i >> 6] >> (i & 63u)) & 1u) != 0;
  };
  // Adds the epsilon closure of `target` to `set`. Marking on push keeps
  // the stack within one entry per instruction.
  const auto add = [&](std::uint64_t* set, std::uint32_t target, bool at_begin, bool at_end) {
    std::size_t top = 0;
    const auto push = [&](std::uint32_t i) {
      if (test(set, i)) return;
      set[i >> 6] |= std::uint64_t{1} << (i & 63u);
      stack[top++] = static_cast<std::uint16_t>(i);
    };
    push(target);
    while (top > 0) {
      const detail::inst& in = p.insts[stack[--top]];
      switch (in.kind) {
        case op::alt:
          push(in.arg);
          push(in.out);
          break;
        case op::begin_text:
          if (at_begin) push(in.out);
          break;
        case op::end_text:
          if (at_end) push(in.out);
          break;
        default:
          break;
      }
    }
  };
  const auto clear = [&](std::uint64_t* set) {
    for (std::size_t w = 0; w < words; ++w) set[w] = 0;
  };

  clear(cur);
  add(cur, p.start, true, text.empty());
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    const bool last = pos + 1 == text.size();
    clear(nxt);
    bool alive = false;
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t bits = cur[w];
      while (bits != 0) {
        const auto i = static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(std::countr_zero(bits)));
        bits &= bits - 1;
        const detail::inst& in = p.insts[i];
        if (in.kind != op::byte_set) continue;
        ++steps;
        if (detail::contains(p.sets[in.arg], byte)) {
          add(nxt, in.out, false, last);
          alive = true;
        }
      }
    }
    if (!alive) return false;
    std::swap(cur, nxt);
  }
  return test(cur, p.match);
}

}  // namespace

bool automaton::full_match(std::string_view utf8) const noexcept {
  match_stats ignored;
  return full_match(utf8, ignored);
}

bool automaton::full_match(std::string_view utf8, match_stats& stats) const noexcept {
  if (!impl_) return false;
  if (impl_->has_dfa) return run_dfa(impl_->table, utf8, stats.steps);
  return run_nfa(impl_->prog, utf8, stats.steps);
}

bool automaton::deterministic() const noexcept { return impl_ && impl_->has_dfa; }

std::size_t automaton::state_count() const noexcept {
  if (!impl_) return 0;
  return impl_->has_dfa ? impl_->table.states() : impl_->prog.insts.size();
}

}  // namespace spe::pattern
