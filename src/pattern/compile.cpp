// compile: syntax_tree -> automaton (a byte-level NFA program, and a DFA
// built from it ahead of time when it fits).
//
// NFA. The tree is compiled right to left in continuation-passing style:
// compiling a node takes the instruction that follows it and returns its
// entry, so no patch lists are needed. Code point sets become UTF-8
// byte-range sequences (split at encoding-length and continuation-byte
// boundaries, as RE2 and Rust's utf8-ranges do); sequences share their
// suffixes through a per-class cache, and sequences that differ only in
// their first byte range share one first instruction. Since only valid
// UTF-8 encodings of scalar values are ever spelled out, invalid input
// cannot match. Counted repetition is expanded into copies: x{m,n} is m
// copies then n-m nested optionals (x(x(x)?)?)?, whose epsilon closures
// stay linear in n (flat x?x?x? would make them quadratic); x{m,} ends in a
// loop. More than max_nfa_states instructions is too_complex.
//
// DFA. Subset construction over byte equivalence classes (bytes that no
// byte_set tells apart share a class; AWS patterns need at most 40). A DFA
// state is named by its roots -- the sorted set of instructions the input
// so far leads to, before epsilon moves -- plus a flag for the start state
// (where `^` holds); its epsilon closure is taken once, when the state is
// expanded. `$` cannot be decided before the input ends, so the closure
// keeps an end_text as a pending assertion, and a state accepts when its
// closure holds match, or an end_text from which match is reachable at the
// end. Per state, the classes are grouped by which of the state's byte
// sets contain them, so each distinct group yields one target set, not
// each class. The construction stops, and matching falls back to
// simulating the NFA, when it would exceed the caller's state cap
// (dfa_limit) or a work or memory budget: compile time stays bounded even
// for hostile patterns, and matching stays linear either way.
#include <algorithm>
#include <bit>
#include <map>
#include <new>
#include <tuple>
#include <utility>

#include "pattern/program.hpp"

namespace spe::pattern {

using detail::byte_set;
using detail::inst;
using detail::op;
using detail::program;

namespace {

// Leaves a function out of the fuzzers' coverage instrumentation (clang's
// -fsanitize-coverage, which -fsanitize=fuzzer and OSS-Fuzz's builds turn
// on): the subset construction below, whose inner loops step through
// instructions and bit sets up to dfa_work_budget times per pattern. Their
// branches say nothing about the pattern (every pattern takes them all), but
// the compare hooks on each step made two patterns of the pattern_diff
// corpus take 5 s each under ASan (1 s without the hooks), and libFuzzer
// mutates such inputs again and again. ASan and UBSan still check the
// construction, and its outcome (a DFA, or a cap or budget hit and the NFA
// instead) is decided in instrumented code. Every member of dfa_builder carries it, and
// the entry build() is not inlined: code inlined into an instrumented
// caller would be instrumented there.
#if defined(__clang__)
#define SPE_NO_FUZZ_COVERAGE __attribute__((no_sanitize("coverage")))
#define SPE_NO_FUZZ_COVERAGE_ENTRY __attribute__((no_sanitize("coverage"), noinline))
#else
#define SPE_NO_FUZZ_COVERAGE
#define SPE_NO_FUZZ_COVERAGE_ENTRY
#endif

// DFA construction budgets, beyond which matching uses the NFA instead:
// closure work (instructions visited plus class groups compared) and the
// instructions stored in state sets (4 bytes each). The AWS model patterns
// need well under a tenth of each.
constexpr std::uint64_t dfa_work_budget = std::uint64_t{1} << 25;
constexpr std::uint64_t dfa_set_budget = std::uint64_t{1} << 22;

// One UTF-8 encoding pattern: byte i in [lo[i], hi[i]] for i < len.
struct utf8_sequence {
  std::size_t len = 0;
  std::array<unsigned char, 4> lo{};
  std::array<unsigned char, 4> hi{};
};

std::size_t encode_utf8(char32_t cp, std::array<unsigned char, 4>& out) {
  if (cp < 0x80) {
    out[0] = static_cast<unsigned char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<unsigned char>(0xC0 | (cp >> 6));
    out[1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
    out[1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<unsigned char>(0xF0 | (cp >> 18));
  out[1] = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
  return 4;
}

// Splits [lo, hi] (no surrogates inside) into sequences whose bytes vary
// independently: first at the boundaries between encoding lengths, then
// wherever a continuation byte does not cover its full 0x80..0xBF span.
void utf8_sequences(char32_t lo, char32_t hi, std::vector<utf8_sequence>& out) {
  std::vector<std::pair<char32_t, char32_t>> todo{{lo, hi}};
  while (!todo.empty()) {
    const auto [s, e] = todo.back();
    todo.pop_back();
    bool split = false;
    for (const char32_t m : {char32_t{0x7F}, char32_t{0x7FF}, char32_t{0xFFFF}}) {
      if (s <= m && m < e) {
        todo.emplace_back(m + 1, e);  // the later half is popped second
        todo.emplace_back(s, m);
        split = true;
        break;
      }
    }
    if (split) continue;
    if (e > 0x7F) {
      for (unsigned i = 1; i <= 3 && !split; ++i) {
        const char32_t m = (char32_t{1} << (6 * i)) - 1;
        if ((s & ~m) == (e & ~m)) continue;
        if ((s & m) != 0) {
          todo.emplace_back((s | m) + 1, e);
          todo.emplace_back(s, s | m);
          split = true;
        } else if ((e & m) != m) {
          todo.emplace_back(e & ~m, e);
          todo.emplace_back(s, (e & ~m) - 1);
          split = true;
        }
      }
      if (split) continue;
    }
    utf8_sequence seq;
    seq.len = encode_utf8(s, seq.lo);
    encode_utf8(e, seq.hi);
    out.push_back(seq);
  }
}

byte_set byte_range(unsigned lo, unsigned hi) {
  byte_set s{};
  for (unsigned b = lo; b <= hi; ++b) s[b >> 6] |= std::uint64_t{1} << (b & 63u);
  return s;
}

void add_range(byte_set& s, unsigned lo, unsigned hi) {
  const byte_set r = byte_range(lo, hi);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] |= r[i];
}

// Tree -> program.
class nfa_builder {
 public:
  explicit nfa_builder(program& p) : p_(p) {}

  bool build(const node& root) {
    emit(op::fail, 0, 0, 0);  // index 0: the dead end every failure points at
    p_.match = emit(op::match, 0, 0, 0);
    p_.start = compile(root, p_.match);
    return !failed_;
  }

  std::size_t failed_at() const { return failed_at_; }

 private:
  std::uint32_t emit(op kind, std::uint32_t out, std::uint32_t arg, std::size_t offset) {
    if (p_.insts.size() >= max_nfa_states) {
      if (!failed_) failed_at_ = offset;
      failed_ = true;
      return 0;
    }
    p_.insts.push_back(inst{kind, out, arg});
    return static_cast<std::uint32_t>(p_.insts.size() - 1);
  }

  std::uint32_t set_index(const byte_set& s) {
    const auto [it, added] = set_ids_.try_emplace(s, static_cast<std::uint32_t>(p_.sets.size()));
    if (added) p_.sets.push_back(s);
    return it->second;
  }

  std::uint32_t emit_set(const byte_set& s, std::uint32_t next, std::size_t offset) {
    return emit(op::byte_set, next, set_index(s), offset);
  }

  // Alternation of entries, in order: alt(e0, alt(e1, ... e_n)).
  std::uint32_t emit_alts(const std::vector<std::uint32_t>& entries, std::size_t offset) {
    if (entries.empty()) return 0;
    std::uint32_t r = entries.back();
    for (std::size_t i = entries.size() - 1; i-- > 0;) r = emit(op::alt, entries[i], r, offset);
    return r;
  }

  std::uint32_t compile(const node& n, std::uint32_t next) {
    if (failed_) return 0;
    switch (n.kind) {
      case node_kind::empty:
        return next;
      case node_kind::literal: {
        std::array<unsigned char, 4> bytes{};
        const std::size_t len = encode_utf8(n.ch, bytes);
        std::uint32_t t = next;
        for (std::size_t i = len; i-- > 0;) t = emit_set(byte_range(bytes[i], bytes[i]), t, n.offset);
        return t;
      }
      case node_kind::char_class:
      case node_kind::any:
        return compile_ranges(n.ranges, next, n.offset);
      case node_kind::concat:
        for (std::size_t i = n.children.size(); i-- > 0 && !failed_;) next = compile(n.children[i], next);
        return next;
      case node_kind::alternate: {
        std::vector<std::uint32_t> entries;
        for (const node& c : n.children) entries.push_back(compile(c, next));
        return emit_alts(entries, n.offset);
      }
      case node_kind::group:
        return compile(n.children.front(), next);
      case node_kind::begin_text:
        return emit(op::begin_text, next, 0, n.offset);
      case node_kind::end_text:
        return emit(op::end_text, next, 0, n.offset);
      case node_kind::repeat:
        return compile_repeat(n, next);
    }
    return 0;
  }

  std::uint32_t compile_repeat(const node& n, std::uint32_t next) {
    const node& child = n.children.front();
    if (n.max == unbounded) {
      // A loop: alt(body, next) with the body leading back to the alt.
      const std::uint32_t loop = emit(op::alt, 0, next, n.offset);
      const std::uint32_t body = compile(child, loop);
      if (failed_) return 0;
      p_.insts[loop].out = body;
      if (n.min == 0) return loop;
      std::uint32_t t = body;  // x{m,} = x^(m-1) x+, and x+ enters at the body
      for (std::uint32_t i = 1; i < n.min && !failed_; ++i) t = compile(child, t);
      return t;
    }
    std::uint32_t t = next;
    for (std::uint32_t i = n.min; i < n.max && !failed_; ++i) {
      const std::uint32_t body = compile(child, t);
      t = emit(op::alt, body, next, n.offset);
    }
    for (std::uint32_t i = 0; i < n.min && !failed_; ++i) t = compile(child, t);
    return t;
  }

  std::uint32_t compile_ranges(const std::vector<code_range>& ranges, std::uint32_t next,
                               std::size_t offset) {
    std::vector<utf8_sequence> seqs;
    for (const code_range& r : ranges) utf8_sequences(r.lo, r.hi, seqs);
    // Suffix sharing: (range, next) -> instruction, within this class.
    std::map<std::tuple<unsigned, unsigned, std::uint32_t>, std::uint32_t> cache;
    // First bytes grouped by the instruction they lead to.
    std::vector<std::pair<std::uint32_t, byte_set>> leads;
    for (const utf8_sequence& s : seqs) {
      std::uint32_t t = next;
      for (std::size_t i = s.len; i-- > 1;) {
        const auto key = std::make_tuple(unsigned{s.lo[i]}, unsigned{s.hi[i]}, t);
        const auto found = cache.find(key);
        if (found != cache.end()) {
          t = found->second;
        } else {
          const std::uint32_t made = emit_set(byte_range(s.lo[i], s.hi[i]), t, offset);
          cache.emplace(key, made);
          t = made;
        }
      }
      auto lead = std::find_if(leads.begin(), leads.end(), [&](const auto& l) { return l.first == t; });
      if (lead == leads.end()) {
        leads.emplace_back(t, byte_set{});
        lead = leads.end() - 1;
      }
      add_range(lead->second, s.lo[0], s.hi[0]);
    }
    if (failed_) return 0;
    std::vector<std::uint32_t> entries;
    for (const auto& [target, set] : leads) entries.push_back(emit_set(set, target, offset));
    return emit_alts(entries, offset);  // no ranges: 0, the fail instruction
  }

  program& p_;
  std::map<byte_set, std::uint32_t> set_ids_;
  bool failed_ = false;
  std::size_t failed_at_ = 0;
};

// Program -> DFA by subset construction. Returns false when a cap or budget
// is hit (the caller then keeps only the program).
//
// A state is named by its roots: the sorted instructions that the bytes
// read so far lead to, before epsilon moves, plus whether it is the start
// (where `^` holds). The closure is taken once per state, when it is
// expanded, rather than once per transition; and roots are about half the
// size of the closure's consuming set, so hashing and comparing is cheaper.
// Two root sets with equal closures make two equivalent states; the DFA is
// correct either way. Nor is the result minimized: PipelineNameOrArn's DFA
// has 1075 states where 565 would do (after the ARN's `.*` the name counter
// no longer matters), which costs 160 KiB of table against 85 KiB, so a
// minimization pass would not pay for its compile time and code.
class dfa_builder {
 public:
  dfa_builder(const program& p, detail::dfa& d, std::size_t limit) : p_(p), d_(d), limit_(limit) {}

  SPE_NO_FUZZ_COVERAGE_ENTRY
  bool build() {
    if (limit_ == 0) return false;
    words_ = (p_.insts.size() + 63) / 64;
    visited_.resize(words_);
    stack_.resize(p_.insts.size());
    kernel_mask_.resize(words_);
    for (std::size_t i = 0; i < p_.insts.size(); ++i) {
      const op k = p_.insts[i].kind;
      if (k == op::byte_set || k == op::end_text || k == op::match) set_bit(kernel_mask_, i);
    }
    make_classes();
    run_begin_.resize(p_.sets.size());
    run_size_.resize(p_.sets.size());
    used_.resize(set_words_);
    key_.resize(set_words_);
    slots_.assign(64, empty_slot);

    // State 0 is the dead state: no roots, also what any empty move maps to.
    states_.push_back(state{{}, false});
    insert_slot(0);
    targets_.assign(1, p_.start);
    std::uint32_t start = 0;
    if (!find_or_add(targets_, true, start)) return false;
    for (std::size_t s = 0; s < states_.size(); ++s) {
      if (!expand(s)) return false;
    }
    d_.start = start;
    return true;
  }

 private:
  struct state {
    std::vector<std::uint32_t> roots;  // sorted, unique
    bool start = false;
  };

  static constexpr std::uint32_t empty_slot = UINT32_MAX;

  static void set_bit(std::vector<std::uint64_t>& v, std::size_t i) { v[i >> 6] |= std::uint64_t{1} << (i & 63u); }
  static bool test_bit(const std::vector<std::uint64_t>& v, std::size_t i) { return ((v[i >> 6] >> (i & 63u)) & 1u) != 0; }

  // Byte classes: bytes with the same membership in every byte set.
  SPE_NO_FUZZ_COVERAGE
  void make_classes() {
    set_words_ = (p_.sets.size() + 63) / 64;
    std::map<std::vector<std::uint64_t>, std::uint8_t> ids;
    for (unsigned b = 0; b < 256; ++b) {
      std::vector<std::uint64_t> sig(set_words_, 0);
      for (std::size_t k = 0; k < p_.sets.size(); ++k) {
        if (detail::contains(p_.sets[k], static_cast<unsigned char>(b))) set_bit(sig, k);
      }
      const auto [it, added] = ids.try_emplace(sig, static_cast<std::uint8_t>(ids.size()));
      if (added) class_sig_.insert(class_sig_.end(), sig.begin(), sig.end());
      d_.byte_class[b] = it->second;
    }
    d_.classes = static_cast<std::uint32_t>(ids.size());
  }

  // Epsilon closure of `targets` into visited_. at_begin: `^` holds here.
  // at_end: `$` holds here (only when deciding acceptance; otherwise an
  // end_text is kept as pending).
  SPE_NO_FUZZ_COVERAGE
  void closure(const std::vector<std::uint32_t>& targets, bool at_begin, bool at_end) {
    std::fill(visited_.begin(), visited_.end(), 0);
    std::uint64_t* const seen = visited_.data();
    std::uint32_t* const stack = stack_.data();  // one slot per instruction: marked on push
    std::size_t top = 0;
    for (const std::uint32_t t : targets) push(seen, stack, top, t);
    const inst* const insts = p_.insts.data();
    while (top > 0) {
      const inst& in = insts[stack[--top]];
      ++work_;
      if (in.kind == op::alt) {
        push(seen, stack, top, in.arg);
        push(seen, stack, top, in.out);
      } else if ((in.kind == op::begin_text && at_begin) || (in.kind == op::end_text && at_end)) {
        push(seen, stack, top, in.out);
      }
    }
  }

  // Pushes instruction i unless it has been seen (a lambda would be a
  // function of its own, instrumented).
  SPE_NO_FUZZ_COVERAGE
  static void push(std::uint64_t* seen, std::uint32_t* stack, std::size_t& top, std::uint32_t i) {
    const std::uint64_t bit = std::uint64_t{1} << (i & 63u);
    if ((seen[i >> 6] & bit) != 0) return;
    seen[i >> 6] |= bit;
    stack[top++] = i;
  }

  // Sorts and deduplicates `targets` in place (through the visited_ bits),
  // dropping the fail instruction, which leads nowhere.
  SPE_NO_FUZZ_COVERAGE
  void canonical(std::vector<std::uint32_t>& targets) {
    std::fill(visited_.begin(), visited_.end(), 0);
    for (const std::uint32_t t : targets) set_bit(visited_, t);
    visited_[0] &= ~std::uint64_t{1};
    std::size_t count = 0;
    for (std::size_t w = 0; w < words_; ++w) count += static_cast<std::size_t>(std::popcount(visited_[w]));
    targets.resize(count);  // written in place: push_back is a function of its own, instrumented
    std::uint32_t* out = targets.data();
    for (std::size_t w = 0; w < words_; ++w) {
      for (std::uint64_t bits = visited_[w]; bits != 0; bits &= bits - 1) {
        *out++ = static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(std::countr_zero(bits)));
      }
    }
    work_ += words_ + count;
  }

  SPE_NO_FUZZ_COVERAGE
  static std::uint64_t hash(const std::vector<std::uint32_t>& roots, bool start) {
    std::uint64_t h = start ? 0x9E3779B97F4A7C15u : 0x2545F4914F6CDD1Du;
    for (const std::uint32_t i : roots) {
      h ^= i;
      h *= 0x100000001B3u;
      h ^= h >> 29;
    }
    return h;
  }

  SPE_NO_FUZZ_COVERAGE
  void insert_slot(std::uint32_t id) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = static_cast<std::size_t>(hash(states_[id].roots, states_[id].start)) & mask;
    while (slots_[at] != empty_slot) at = (at + 1) & mask;
    slots_[at] = id;
  }

  // The id of the state (roots, start), adding it if new. False when the
  // state cap or the set budget would be exceeded.
  SPE_NO_FUZZ_COVERAGE
  bool find_or_add(const std::vector<std::uint32_t>& roots, bool start, std::uint32_t& id) {
    if (roots.empty()) {
      id = detail::dfa::dead;
      return true;
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = static_cast<std::size_t>(hash(roots, start)) & mask;; at = (at + 1) & mask) {
      const std::uint32_t s = slots_[at];
      if (s == empty_slot) break;
      if (states_[s].start == start && states_[s].roots == roots) {
        id = s;
        return true;
      }
    }
    if (states_.size() >= limit_) return false;
    set_elements_ += roots.size();
    if (set_elements_ > dfa_set_budget) return false;
    id = static_cast<std::uint32_t>(states_.size());
    states_.push_back(state{roots, start});
    if (states_.size() * 2 > slots_.size()) {
      slots_.assign(slots_.size() * 2, empty_slot);
      for (std::uint32_t s = 0; s < states_.size(); ++s) insert_slot(s);
    } else {
      insert_slot(id);
    }
    return true;
  }

  // Fills the transitions and the acceptance of state s.
  SPE_NO_FUZZ_COVERAGE
  bool expand(std::size_t s) {
    const std::size_t classes = d_.classes;
    d_.next.resize((s + 1) * classes, detail::dfa::dead);
    const bool start = states_[s].start;
    closure(states_[s].roots, start, false);
    // The consuming instructions, and the pending `$` checks.
    kernel_.clear();
    pending_.clear();
    bool accept = false;
    for (std::size_t w = 0; w < words_; ++w) {
      for (std::uint64_t bits = visited_[w] & kernel_mask_[w]; bits != 0; bits &= bits - 1) {
        const auto i = static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(std::countr_zero(bits)));
        const inst& in = p_.insts[i];
        if (in.kind == op::byte_set) {
          kernel_.push_back(i);
        } else if (in.kind == op::match) {
          accept = true;
        } else {
          pending_.push_back(in.out);
        }
      }
    }
    if (!accept && !pending_.empty()) {
      closure(pending_, start, true);
      accept = test_bit(visited_, p_.match);
    }
    d_.accept.push_back(accept ? 1 : 0);

    // The targets of the byte_set instructions, grouped by byte set (a
    // counting sort), so that one set's targets are one contiguous run.
    std::fill(used_.begin(), used_.end(), 0);
    for (const std::uint32_t i : kernel_) {
      const std::uint32_t set = p_.insts[i].arg;
      if (!test_bit(used_, set)) {
        set_bit(used_, set);
        run_size_[set] = 0;
      }
      ++run_size_[set];
    }
    std::uint32_t offset = 0;
    for (std::size_t w = 0; w < set_words_; ++w) {
      for (std::uint64_t bits = used_[w]; bits != 0; bits &= bits - 1) {
        const std::size_t set = w * 64 + static_cast<unsigned>(std::countr_zero(bits));
        run_begin_[set] = offset;
        offset += run_size_[set];
        run_size_[set] = run_begin_[set];  // from here on: the fill cursor, then the run's end
      }
    }
    moves_.resize(kernel_.size());
    for (const std::uint32_t i : kernel_) moves_[run_size_[p_.insts[i].arg]++] = p_.insts[i].out;

    // Classes contained in the same used sets go to the same state: one
    // target set per distinct group, not per class.
    group_keys_.clear();
    group_targets_.clear();
    for (std::size_t c = 0; c < classes; ++c) {
      bool any = false;
      for (std::size_t w = 0; w < set_words_; ++w) {
        key_[w] = class_sig_[c * set_words_ + w] & used_[w];
        any = any || key_[w] != 0;
      }
      if (!any) continue;  // dead, as initialised
      std::size_t g = 0;
      const std::size_t groups = group_targets_.size();
      for (; g < groups; ++g) {
        ++work_;
        if (std::equal(key_.begin(), key_.end(),
                       group_keys_.begin() + static_cast<std::ptrdiff_t>(g * set_words_))) {
          break;
        }
      }
      if (g == groups) {
        targets_.clear();
        for (std::size_t w = 0; w < set_words_; ++w) {
          for (std::uint64_t bits = key_[w]; bits != 0; bits &= bits - 1) {
            const std::size_t set = w * 64 + static_cast<unsigned>(std::countr_zero(bits));
            targets_.insert(targets_.end(), moves_.begin() + run_begin_[set], moves_.begin() + run_size_[set]);
          }
        }
        canonical(targets_);
        std::uint32_t id = 0;
        if (!find_or_add(targets_, false, id)) return false;
        group_keys_.insert(group_keys_.end(), key_.begin(), key_.end());
        group_targets_.push_back(id);
      }
      d_.next[s * classes + c] = group_targets_[g];
    }
    return work_ <= dfa_work_budget;
  }

  const program& p_;
  detail::dfa& d_;
  std::size_t limit_;
  std::size_t words_ = 0;
  std::size_t set_words_ = 0;
  std::vector<std::uint64_t> visited_;
  std::vector<std::uint64_t> kernel_mask_;
  std::vector<std::uint32_t> stack_;
  std::vector<std::uint64_t> class_sig_;  // set_words_ per class
  std::vector<state> states_;
  std::vector<std::uint32_t> slots_;
  std::uint64_t work_ = 0;
  std::uint64_t set_elements_ = 0;
  // Scratch for expand(), kept to avoid reallocating per state.
  std::vector<std::uint32_t> kernel_;     // byte_set instructions of the closure
  std::vector<std::uint32_t> pending_;    // what follows its end_text instructions
  std::vector<std::uint32_t> moves_;      // targets, grouped by byte set
  std::vector<std::uint32_t> run_begin_;  // per byte set: its run in moves_
  std::vector<std::uint32_t> run_size_;   // ... and the run's end
  std::vector<std::uint64_t> used_;
  std::vector<std::uint64_t> key_;
  std::vector<std::uint64_t> group_keys_;  // set_words_ per group
  std::vector<std::uint32_t> group_targets_;
  std::vector<std::uint32_t> targets_;
};

// Fills the skip states' scans (program.hpp), the first of dfa::scans. A
// state's lead bytes are examined in the order of UTF-8's own table: ASCII
// must map the state to itself; a multi-byte lead byte is clean when every
// valid continuation of it does. Most states (every one of a counting
// pattern) fail on the ASCII bytes already, before any multi-byte work.
void find_skips(detail::dfa& d) {
  const std::size_t n = d.states();
  const std::uint32_t classes = d.classes;
  d.scan_of.assign(n, 0);
  d.scans.clear();
  const auto step = [&](std::uint32_t t, unsigned b) { return d.next[t * classes + d.byte_class[b]]; };
  // back[t * 3 + k - 1]: from state t, every k continuation bytes end in
  // the state being examined (0 unknown, 1 yes, 2 no); reset per state.
  std::vector<std::uint8_t> back;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (s == detail::dfa::dead) continue;
    std::array<std::uint8_t, detail::dfa::max_skip_bytes> dirty{};
    std::size_t count = 0;
    bool skippable = true;
    const auto add = [&](unsigned b) {
      if (count == dirty.size()) {
        skippable = false;
      } else {
        dirty[count++] = static_cast<std::uint8_t>(b);
      }
    };
    for (unsigned b = 0; b < 0x80 && skippable; ++b) {
      if (step(s, b) != s) add(b);
    }
    if (!skippable) continue;
    back.assign(n * 3, 0);
    const auto all_back = [&](auto& self, std::uint32_t t, unsigned k) -> bool {
      std::uint8_t& known = back[t * 3 + k - 1];
      if (known == 0) {
        bool yes = true;
        for (unsigned c = 0x80; c <= 0xBF && yes; ++c) {
          const std::uint32_t u = step(t, c);
          yes = k == 1 ? u == s : self(self, u, k - 1);
        }
        known = yes ? 1 : 2;
      }
      return known == 1;
    };
    for (unsigned lead = 0xC2; lead <= 0xF4 && skippable; ++lead) {
      // The first continuation byte's range (RFC 3629 section 4).
      unsigned lo = 0x80;
      unsigned hi = 0xBF;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
      const unsigned rest = lead < 0xE0 ? 0 : lead < 0xF0 ? 1 : 2;  // continuation bytes after the first
      const std::uint32_t t = step(s, lead);
      bool clean = t != detail::dfa::dead;
      for (unsigned c = lo; c <= hi && clean; ++c) {
        const std::uint32_t u = step(t, c);
        clean = rest == 0 ? u == s : all_back(all_back, u, rest);
      }
      if (!clean) add(lead);
    }
    if (!skippable) continue;
    detail::dfa::scan& skip = d.scans.emplace_back();
    skip.stop_inside = true;
    for (std::size_t k = 0; k < count; ++k) skip.add(dirty[k], dirty[k]);
    d.scan_of[s] = static_cast<std::uint32_t>(d.scans.size());
  }
}

// Adds the run states' scans (program.hpp) after the skip states': the
// ranges of ASCII bytes that lead each state that is not skippable back to
// itself, where they qualify.
void find_runs(detail::dfa& d) {
  const std::size_t n = d.states();
  for (std::uint32_t s = 0; s < n; ++s) {
    if (s == detail::dfa::dead || d.scan_of[s] != 0) continue;
    std::array<std::uint8_t, detail::dfa::max_run_ranges> lo{};
    std::array<std::uint8_t, detail::dfa::max_run_ranges> hi{};
    std::size_t count = 0;
    std::size_t bytes = 0;
    bool fits = true;
    for (unsigned b = 0; b < 0x80 && fits; ++b) {
      if (d.next[s * d.classes + d.byte_class[b]] != s) continue;
      ++bytes;
      if (count > 0 && hi[count - 1] + 1u == b) {
        hi[count - 1] = static_cast<std::uint8_t>(b);
      } else if (count == lo.size()) {
        fits = false;
      } else {
        lo[count] = hi[count] = static_cast<std::uint8_t>(b);
        ++count;
      }
    }
    if (!fits || bytes < detail::dfa::min_run_bytes) continue;
    detail::dfa::scan& run = d.scans.emplace_back();
    for (std::size_t k = 0; k < count; ++k) run.add(lo[k], hi[k]);
    d.scan_of[s] = static_cast<std::uint32_t>(d.scans.size());
  }
}

// Fills dfa::pairs (program.hpp) when it fits.
void find_pairs(detail::dfa& d) {
  const std::size_t classes = d.classes;
  const std::size_t square = classes * classes;
  d.pairs.clear();
  if (classes == 0 || d.states() * square > detail::dfa::max_pair_cells) return;
  d.pairs.resize(d.states() * square);
  for (std::size_t s = 0; s < d.states(); ++s) {
    for (std::size_t a = 0; a < classes; ++a) {
      const std::uint32_t mid = d.next[s * classes + a];
      for (std::size_t b = 0; b < classes; ++b) {
        d.pairs[s * square + a * classes + b] = static_cast<std::uint32_t>(d.next[mid * classes + b] * square);
      }
    }
  }
}

}  // namespace

automaton::automaton() = default;
automaton::~automaton() = default;
automaton::automaton(automaton&&) noexcept = default;
automaton& automaton::operator=(automaton&&) noexcept = default;

result<automaton, error> compile(const syntax_tree& tree, std::size_t dfa_limit) {
  try {
    auto impl = std::make_unique<automaton::impl>();
    nfa_builder nfa(impl->prog);
    if (!nfa.build(tree.root())) {
      return unexpected<error>{error{error_code::too_complex, nfa.failed_at(),
                                     "more than " + std::to_string(max_nfa_states) + " automaton states"}};
    }
    try {
      dfa_builder dfa(impl->prog, impl->table, dfa_limit);
      impl->has_dfa = dfa.build();
      if (impl->has_dfa) {
        find_skips(impl->table);
        find_runs(impl->table);
        find_pairs(impl->table);
      }
    } catch (const std::bad_alloc&) {
      impl->has_dfa = false;  // the NFA alone still matches correctly
    }
    if (!impl->has_dfa) impl->table = detail::dfa{};
    automaton a;
    a.impl_ = std::move(impl);
    return a;
  } catch (const std::bad_alloc&) {
    return unexpected<error>{error{error_code::too_complex, 0, "out of memory"}};
  }
}

result<compiled, error> compile(std::string_view pattern) {
  auto tree = parse(pattern);
  if (!tree) return unexpected<error>{tree.error()};
  auto matcher = compile(*tree);
  if (!matcher) return unexpected<error>{matcher.error()};
  try {
    if (!matcher->deterministic() && matcher->state_count() > max_simulated_states) {
      return unexpected<error>{error{error_code::too_complex, 0,
                                     "no DFA within " + std::to_string(max_dfa_states) + " states, and an NFA of " +
                                         std::to_string(matcher->state_count()) + " states, past the " +
                                         std::to_string(max_simulated_states) + " simulated per byte"}};
    }
    return compiled{std::move(*tree), std::move(*matcher)};
  } catch (const std::bad_alloc&) {
    return unexpected<error>{error{error_code::too_complex, 0, "out of memory"}};
  }
}

}  // namespace spe::pattern
