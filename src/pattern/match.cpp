// match: automaton x UTF-8 -> bool, a full match in one left-to-right pass.
//
// With a DFA: one table lookup per byte (byte -> class -> next state), and
// an early exit at the dead state; dfa_walker says how the chain of
// lookups is kept short. Without one (the pattern needed more DFA
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
// match_stats.steps counts transitions: one per byte through the DFA (and,
// for a long text, those of a piece walked twice after a wrong guess: see
// dfa_walker), one per live consuming instruction per byte in the NFA.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "pattern/program.hpp"

namespace spe::pattern {
namespace {

using detail::op;

// A chunk check that fails is not repeated for 8, 16, ... up to this many
// bytes; one that succeeds resets the wait.
constexpr std::size_t max_backoff = 128;

// A text of at least this many bytes is walked as four pieces at once, and
// one of at least half as many as two (dfa_walker::walk_pieces). A valid
// PipelineName (256 characters at most) is never cut, so its counting
// states never pay for a wrong guess; a description (up to 3072
// characters, several bytes each) usually is.
constexpr std::size_t four_pieces = 1024;

// The DFA walk. `table` maps row + class to the next state's value and
// `row_of` a state's value to its row, so one walker serves both the
// model's table (values are states, rows are state * classes) and the
// premultiplied copy in run_dfa (values are rows already).
//
// Each byte waits on the previous byte's lookup, so a walk is bound by the
// latency of that chain, not by the work per byte. Three things shorten it:
//  - a chunk of 8 bytes that all lead from the current state back to it (a
//    run of name characters under [A-Za-z0-9_-]*, ASCII under `.*`) is
//    checked with 8 independent lookups and skipped; after a chunk that does
//    not qualify, bytes go one at a time for a while (longer after each
//    failure), so text that leaves the state often (multi-byte characters)
//    pays little for the attempts;
//  - the premultiplied table (run_dfa), or a class count known at compile
//    time (run_dfa_table), takes the multiply off the chain or shortens it;
//  - a long text is walked as two or four pieces in lock step
//    (walk_pieces), independent chains that the CPU overlaps.
// Whatever the path, the verdict is the plain loop's, and steps counts the
// transitions actually taken: one per byte of the deciding walk, plus those
// of a speculative piece that had to be walked again.
template <class RowOf>
class dfa_walker {
 public:
  dfa_walker(const std::uint32_t* table, const std::array<std::uint8_t, 256>& byte_class,
             std::uint32_t dead, RowOf row_of, const unsigned char* text) noexcept
      : table_(table), byte_class_(byte_class), dead_(dead), row_of_(row_of), p_(text) {}

  // A walk over text[i, end) from `state`; it stops early in the dead state
  // (the dead state never leaves itself, so the verdict is known).
  struct lane {
    std::uint32_t state;
    std::size_t i;
    std::size_t end;
    std::size_t next_try = 0;  // where the next chunk check may be made
    std::size_t backoff = 0;   // bytes to wait after a failed one
    bool done() const noexcept { return i == end; }
  };

  // Moves the lane on by one chunk: 8 bytes skipped, or up to 8 taken one
  // at a time. Returns false when the lane is (or becomes) dead. Works on
  // local copies: `steps` and the lane's index have the same type, so
  // through references the compiler would keep both in memory and put a
  // store and a reload on the chain of every byte.
  bool advance(lane& l, std::uint64_t& steps) const noexcept {
    std::uint32_t state = l.state;
    std::size_t i = l.i;
    if (state == dead_) return false;
    const std::size_t left = l.end - i;
    if (left >= 8 && i >= l.next_try) {
      const std::uint32_t* row = table_ + row_of_(state);
      const unsigned char* q = p_ + i;
      // Zero when all 8 lookups give the state back; no branch per byte.
      const std::uint32_t moved =
          (row[byte_class_[q[0]]] ^ state) | (row[byte_class_[q[1]]] ^ state) |
          (row[byte_class_[q[2]]] ^ state) | (row[byte_class_[q[3]]] ^ state) |
          (row[byte_class_[q[4]]] ^ state) | (row[byte_class_[q[5]]] ^ state) |
          (row[byte_class_[q[6]]] ^ state) | (row[byte_class_[q[7]]] ^ state);
      if (moved == 0) {
        l.i = i + 8;
        l.backoff = 0;
        steps += 8;
        return true;
      }
      // Text that keeps leaving the state is tried less and less often.
      l.backoff = l.backoff == 0 ? 8 : std::min<std::size_t>(l.backoff * 2, max_backoff);
      l.next_try = i + l.backoff;
    } else if (left < 8 && i >= l.next_try) {
      // The tail of a short text (a name): the same check, byte by byte
      // but still off the chain.
      const std::uint32_t* row = table_ + row_of_(state);
      std::uint32_t moved = 0;
      for (std::size_t k = i; k < l.end; ++k) moved |= row[byte_class_[p_[k]]] ^ state;
      if (moved == 0) {
        steps += left;
        l.i = l.end;
        return true;
      }
    }
    const std::size_t stop = left >= 8 ? i + 8 : l.end;
    const std::size_t from = i;
    for (; i < stop && state != dead_; ++i) state = table_[row_of_(state) + byte_class_[p_[i]]];
    steps += i - from;
    l.state = state;
    l.i = i;
    return state != dead_;
  }

  // Walks the lane to its end, or until it dies; false when it died.
  bool walk(lane& l, std::uint64_t& steps) const noexcept {
    while (!l.done()) {
      if (!advance(l, steps)) return false;
    }
    return l.state != dead_;
  }

  // The state after all of text[0, n) from `start` (the dead state if it
  // died), walked as K pieces in lock step: K independent chains that the
  // CPU overlaps -- unless the first 64 bytes or so show that the chunk
  // check skips through this text, which is faster still. Every piece but the first starts from a guess: the state
  // after the first 64 bytes or so, each piece cut at a character boundary.
  // Under a starred class (`.*`, [A-Za-z0-9_-]*), a repeated run, or any
  // pattern whose state is the same at every character boundary, the guess
  // is right and the pieces cost the time of one; a wrong guess costs a
  // second walk of that piece, from the state the piece before it really
  // ended in. The dead state never leaves itself, so the lock step looks
  // for it only every 32 bytes.
  template <std::size_t K>
  std::uint32_t walk_pieces(std::uint32_t start, std::size_t n, std::uint64_t& steps) const noexcept {
    lane head{start, 0, n};
    const std::size_t cut = boundary(64, n);
    head.end = cut;
    if (!walk(head, steps)) return dead_;
    // Text that the chunk check skips through (its last try succeeded: a
    // run of name characters, ASCII prose) goes faster in one walk than in
    // pieces, which take every byte on a chain of their own.
    if (head.backoff == 0) {
      head.end = n;
      walk(head, steps);
      return head.state;
    }
    const std::uint32_t guess = head.state;
    std::array<std::size_t, K + 1> at;
    at[0] = cut;
    for (std::size_t k = 1; k < K; ++k) at[k] = boundary(cut + (n - cut) * k / K, n);
    at[K] = n;
    std::size_t common = n;
    for (std::size_t k = 0; k < K; ++k) {
      if (at[k + 1] <= at[k]) {  // too short to cut: the rest in one walk
        lane rest{guess, cut, n};
        walk(rest, steps);
        return rest.state;
      }
      common = std::min(common, at[k + 1] - at[k]);
    }
    std::array<std::uint32_t, K> state;
    state.fill(guess);
    for (std::size_t j = 0; j < common;) {
      const std::size_t stop = std::min(common, j + 32);
      for (; j < stop; ++j) {
        for (std::size_t k = 0; k < K; ++k) {
          state[k] = table_[row_of_(state[k]) + byte_class_[p_[at[k] + j]]];
        }
      }
      if (state[0] == dead_) {
        steps += K * j;
        return dead_;
      }
    }
    steps += K * common;
    // Chain the pieces: each one's tail from where the lock step left it,
    // or all of it again when its guess was wrong.
    std::uint32_t exact = guess;
    for (std::size_t k = 0; k < K; ++k) {
      lane piece = exact == guess ? lane{state[k], at[k] + common, at[k + 1]}
                                  : lane{exact, at[k], at[k + 1]};
      if (!walk(piece, steps)) return dead_;
      exact = piece.state;
    }
    return exact;
  }

 private:
  // The first index at or after i that does not hold a UTF-8 continuation
  // byte, or n.
  std::size_t boundary(std::size_t i, std::size_t n) const noexcept {
    while (i < n && (p_[i] & 0xC0u) == 0x80u) ++i;
    return i < n ? i : n;
  }

  const std::uint32_t* table_;
  const std::array<std::uint8_t, 256>& byte_class_;
  std::uint32_t dead_;
  RowOf row_of_;
  const unsigned char* p_;
};

// The final state of text from `start`, by the fastest walk that applies.
template <class RowOf>
std::uint32_t final_state(const dfa_walker<RowOf>& w, std::uint32_t start, std::size_t n,
                          std::uint64_t& steps) noexcept {
  if (n >= four_pieces) return w.template walk_pieces<4>(start, n, steps);
  if (n >= four_pieces / 2) return w.template walk_pieces<2>(start, n, steps);
  typename dfa_walker<RowOf>::lane l{start, 0, n};
  w.walk(l, steps);
  return l.state;
}

// Tables up to this many cells are copied premultiplied (entry = next
// state * classes) onto the stack for a long enough text: the chain per
// byte is then a load and an add, where the model's table needs a multiply
// as well. 8 KiB of stack, beside the NFA's 36 KiB.
constexpr std::size_t premultiplied_cells = 2048;

// The walk over the model's own table, with the row multiply written for a
// class count known at compile time when it is small (names' patterns have
// 2 or 3 classes): a multiply by a constant is a shift or an lea, one cycle
// on the chain instead of an imul's three.
template <std::uint32_t Classes>
bool run_dfa_table(const detail::dfa& d, const unsigned char* p, std::size_t n,
                   std::uint64_t& steps) noexcept {
  if constexpr (Classes != 0) {
    const dfa_walker w(d.next.data(), d.byte_class, detail::dfa::dead,
                       [](std::uint32_t s) { return s * Classes; }, p);
    return d.accept[final_state(w, d.start, n, steps)] != 0;
  } else {
    const std::uint32_t classes = d.classes;
    const dfa_walker w(d.next.data(), d.byte_class, detail::dfa::dead,
                       [classes](std::uint32_t s) { return s * classes; }, p);
    return d.accept[final_state(w, d.start, n, steps)] != 0;
  }
}

bool run_dfa(const detail::dfa& d, std::string_view text, std::uint64_t& steps) noexcept {
  const std::uint32_t classes = d.classes;
  const std::size_t cells = d.next.size();
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  // Copying costs about one cycle per cell and saves a few per byte.
  if (cells <= premultiplied_cells && classes != 0 && text.size() >= cells / 2) {
    std::array<std::uint32_t, premultiplied_cells> rows;  // only [0, cells) is used
    for (std::size_t c = 0; c < cells; ++c) rows[c] = d.next[c] * classes;
    const dfa_walker w(rows.data(), d.byte_class, detail::dfa::dead * classes,
                       [](std::uint32_t row) { return row; }, p);
    const std::uint32_t row = final_state(w, d.start * classes, text.size(), steps);
    return d.accept[row / classes] != 0;
  }
  switch (classes) {
    case 2: return run_dfa_table<2>(d, p, text.size(), steps);
    case 3: return run_dfa_table<3>(d, p, text.size(), steps);
    case 4: return run_dfa_table<4>(d, p, text.size(), steps);
    case 5: return run_dfa_table<5>(d, p, text.size(), steps);
    case 6: return run_dfa_table<6>(d, p, text.size(), steps);
    case 8: return run_dfa_table<8>(d, p, text.size(), steps);
    default: return run_dfa_table<0>(d, p, text.size(), steps);
  }
}

// The first i' >= i where a scan stops (dfa::scan: a byte inside its
// ranges for a skip state, outside them for a run state), or n. SSE2 (all
// of x86-64) tests 16 bytes per step, an add and a signed compare per
// range, unrolled for the scan's number of ranges (Count). The last bytes
// are tested as the 16 that end the text (those before i did not stop it),
// and a text shorter than 16 through a copy, so that no byte outside
// [p, p + n) is read.
template <std::size_t Count>
std::size_t find_stop_of(const unsigned char* p, std::size_t i, std::size_t n,
                         const detail::dfa::scan& sc) noexcept {
#if defined(__SSE2__)
  const unsigned flip = sc.stop_inside ? 0u : 0xFFFFu;
  const auto stops = [&sc, flip](const unsigned char* at) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    __m128i in = _mm_setzero_si128();
    for (std::size_t k = 0; k < Count; ++k) {
      const __m128i bias = _mm_load_si128(reinterpret_cast<const __m128i*>(sc.bias[k].data()));
      const __m128i limit = _mm_load_si128(reinterpret_cast<const __m128i*>(sc.limit[k].data()));
      in = _mm_or_si128(in, _mm_cmplt_epi8(_mm_add_epi8(bytes, bias), limit));
    }
    return (static_cast<unsigned>(_mm_movemask_epi8(in)) ^ flip) & 0xFFFFu;
  };
  while (n - i >= 16) {
    if (const unsigned mask = stops(p + i); mask != 0) return i + static_cast<unsigned>(std::countr_zero(mask));
    i += 16;
  }
  if (i == n) return n;
  unsigned mask = 0;
  std::size_t base = 0;
  if (n >= 16) {
    base = n - 16;
    mask = stops(p + base) & ~((1u << (i - base)) - 1u);
  } else {
    unsigned char copy[16] = {};
    std::memcpy(copy, p, n);
    mask = stops(copy) & ((1u << n) - 1u) & ~((1u << i) - 1u);
  }
  return mask != 0 ? base + static_cast<unsigned>(std::countr_zero(mask)) : n;
#else
  for (; i < n; ++i) {
    bool in = false;
    for (std::size_t k = 0; k < Count && !in; ++k) {
      in = static_cast<signed char>(p[i] + sc.bias[k][0]) < static_cast<signed char>(sc.limit[k][0]);
    }
    if (in == sc.stop_inside) return i;
  }
  return n;
#endif
}

template <std::size_t... Counts>
constexpr auto make_find_stops(std::index_sequence<Counts...>) {
  return std::array{&find_stop_of<Counts>...};
}

std::size_t find_stop(const unsigned char* p, std::size_t i, std::size_t n, const detail::dfa::scan& sc) noexcept {
  static constexpr auto by_count = make_find_stops(std::make_index_sequence<detail::dfa::max_scan_ranges + 1>{});
  return by_count[sc.count](p, i, n, sc);
}

// Bytes in a UTF-8 sequence led by `lead` (1 for ASCII, and for bytes that
// cannot lead, so that the walk always moves on).
constexpr std::size_t sequence_length(unsigned char lead) noexcept {
  return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Texts up to this many bytes take the pair table when there is one;
// longer ones the walker, whose pieces overlap several chains.
constexpr std::size_t pair_max_text = 512;

// Two bytes per step through dfa::pairs. The class lookups do not depend on
// the state, so only the pair load is on the chain.
bool run_pairs(const detail::dfa& d, const unsigned char* p, std::size_t n, std::uint64_t& steps) noexcept {
  const std::uint32_t classes = d.classes;
  const std::uint32_t square = classes * classes;
  const std::uint32_t* pairs = d.pairs.data();
  std::uint32_t row = d.start * square;  // the dead state is 0, and so is its row
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    row = pairs[row + d.byte_class[p[i]] * classes + d.byte_class[p[i + 1]]];
    if (row == 0) {
      steps += i + 2;
      return false;
    }
  }
  std::uint32_t state = row / square;
  if (i < n) state = d.next[state * classes + d.byte_class[p[i]]];
  steps += n;
  return d.accept[state] != 0;
}

// The DFA over text that is valid UTF-8: from a state with a scan (at a
// character boundary), straight to the next byte that can lead elsewhere;
// otherwise one character through the table. Patterns without such a state
// take the pair table or run_dfa. Every read stays in [0, n) whatever the
// text holds; only the verdict relies on it being valid UTF-8.
bool run_dfa_utf8(const detail::dfa& d, std::string_view text, std::uint64_t& steps) noexcept {
  if (d.scans.empty()) {
    if (!d.pairs.empty() && text.size() <= pair_max_text) {
      return run_pairs(d, reinterpret_cast<const unsigned char*>(text.data()), text.size(), steps);
    }
    return run_dfa(d, text, steps);
  }
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::uint32_t classes = d.classes;
  std::uint32_t state = d.start;
  std::size_t i = 0;
  while (i < n) {
    if (const std::uint32_t k = d.scan_of[state]; k != 0) {
      const std::size_t j = find_stop(p, i, n, d.scans[k - 1]);
      steps += j - i;
      i = j;
      if (i == n) break;
    }
    const std::size_t stop = std::min(n, i + sequence_length(p[i]));
    for (; i < stop; ++i) state = d.next[state * classes + d.byte_class[p[i]]];
    steps += 1;  // one character
    if (state == detail::dfa::dead) return false;
  }
  return d.accept[state] != 0;
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

bool automaton::full_match_valid_utf8(std::string_view valid_utf8) const noexcept {
  match_stats ignored;
  return full_match_valid_utf8(valid_utf8, ignored);
}

bool automaton::full_match_valid_utf8(std::string_view valid_utf8, match_stats& stats) const noexcept {
  if (!impl_) return false;
  if (impl_->has_dfa) return run_dfa_utf8(impl_->table, valid_utf8, stats.steps);
  return run_nfa(impl_->prog, valid_utf8, stats.steps);
}

bool automaton::deterministic() const noexcept { return impl_ && impl_->has_dfa; }

std::size_t automaton::state_count() const noexcept {
  if (!impl_) return 0;
  return impl_->has_dfa ? impl_->table.states() : impl_->prog.insts.size();
}

}  // namespace spe::pattern
