// pattern: strings that match a pattern, and near misses, derived from the
// syntax tree the validator compiles (pattern::syntax_tree).
//
// First a length analysis, once per pattern: every node gets the set of
// lengths (in code points) it can match, as a short list of intervals --
// a literal {1}, a class {1}, a concatenation the sum of its children's
// sets, an alternation their union, a repeat the union over its counts of
// the count-fold sums. A concatenation also keeps the sums of each suffix
// of its children, so that a target length can be split left to right: the
// first child takes a length t1 from its own set such that t - t1 is still
// in the suffix's set, and so on down. A repeat picks a count whose k-fold
// sum can hold the target, then splits it among the copies the same way.
// Leaves draw code points from their class. Every result is checked with
// the automaton before it is returned; when the analysis over-approximates
// (lists longer than max_intervals are merged, lengths past len_cap are
// lumped together) a draw may fail, and the generator retries a few times
// and then says nullopt rather than return a string it has not checked.
//
// Near misses start from such a match and make one edit -- drop a code
// point, insert one, swap one for a neighbour just outside its class
// (lo-1, hi+1 of each range: where off-by-one bugs in class compilation
// live) or put a line terminator where `.` matched -- and keep the result
// only if the automaton now rejects it. Near misses of a repetition's own
// bound ({0,255} given 256 copies, {12} given 11 or 13) are matches of a
// variant of the tree, analysed beside it on first use, in which that
// repetition's count is one past its bound and the path down to it is
// forced; again the automaton has the last word.
//
// The analysis is cached per thread, keyed by pattern text (the tree is a
// function of the text, so an entry can never be stale).
#include <algorithm>
#include <map>
#include <memory>
#include <new>
#include <tuple>

#include "gen/tree.hpp"

namespace spe::gen {

namespace {

using pattern::code_range;
using pattern::node;
using pattern::node_kind;

using ivals = std::vector<length_range>;
constexpr std::size_t inf = unbounded_length;

// Lengths above len_cap are not told apart (any such interval becomes
// [lo, inf)): the models' bounds stop at 3072, so 16384 leaves room for
// "above the max" strings while bounding the analysis of `.*`-like repeats.
constexpr std::size_t len_cap = 16384;
// Interval lists longer than this are coarsened by merging the closest
// neighbours (an over-approximation; the automaton check keeps it honest).
constexpr std::size_t max_intervals = 64;
// Tries before giving up on a length or a near miss.
constexpr int max_tries = 8;

std::size_t sat_add(std::size_t a, std::size_t b) { return a >= inf - b ? inf : a + b; }

void normalize(ivals& v) {
  std::sort(v.begin(), v.end(),
            [](const length_range& a, const length_range& b) { return a.lo < b.lo; });
  ivals out;
  out.reserve(v.size());
  for (length_range r : v) {
    if (r.hi > len_cap) r.hi = inf;
    if (r.lo > len_cap) r.lo = len_cap + 1;
    if (!out.empty() && (out.back().hi == inf || r.lo <= out.back().hi + 1)) {
      out.back().hi = std::max(out.back().hi, r.hi);
    } else {
      out.push_back(r);
    }
  }
  while (out.size() > max_intervals) {
    std::size_t best = 0;
    for (std::size_t i = 1; i + 1 < out.size(); ++i) {
      if (out[i + 1].lo - out[i].hi < out[best + 1].lo - out[best].hi) best = i;
    }
    out[best].hi = out[best + 1].hi;
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  v = std::move(out);
}

ivals sum(const ivals& a, const ivals& b) {
  ivals out;
  out.reserve(a.size() * b.size());
  for (const length_range& x : a) {
    for (const length_range& y : b) out.push_back({sat_add(x.lo, y.lo), sat_add(x.hi, y.hi)});
  }
  normalize(out);
  return out;
}

void unite(ivals& a, const ivals& b) {
  a.insert(a.end(), b.begin(), b.end());
  normalize(a);
}

bool contains(const ivals& a, std::size_t t) {
  for (const length_range& r : a) {
    if (r.lo <= t && t <= r.hi) return true;
  }
  return false;
}

// {t - x : x in b, x <= t} intersected with a.
ivals intersect_rest(const ivals& a, const ivals& b, std::size_t t) {
  ivals rest;
  for (const length_range& r : b) {
    if (r.lo > t) continue;
    rest.push_back({t - std::min(r.hi, t), t - r.lo});
  }
  std::sort(rest.begin(), rest.end(),
            [](const length_range& x, const length_range& y) { return x.lo < y.lo; });
  ivals out;
  for (const length_range& x : a) {
    for (const length_range& y : rest) {
      const std::size_t lo = std::max(x.lo, y.lo);
      const std::size_t hi = std::min(x.hi, y.hi);
      if (lo <= hi) out.push_back({lo, hi});
    }
  }
  normalize(out);
  return out;
}

void clip_into(const ivals& a, std::size_t lo, std::size_t hi, ivals& out) {
  out.clear();
  for (const length_range& r : a) {
    const std::size_t l = std::max(r.lo, lo);
    const std::size_t h = std::min(r.hi, hi);
    if (l <= h) out.push_back({l, h});
  }
}

ivals clip(const ivals& a, std::size_t lo, std::size_t hi) {
  ivals out;
  clip_into(a, lo, hi, out);
  return out;
}

// n / d and n % d without a division instruction (the generators divide a
// draw by a class's size for every code point they make): with
// m = floor((2^64 - 1) / d), q' = floor(n * m / 2^64) is q or q - 1, and one
// comparison fixes it. The same results as / and %, for every n and d >= 1.
struct divisor {
  std::uint64_t d = 1;
  std::uint64_t m = UINT64_MAX;
  explicit divisor(std::uint64_t value = 1) noexcept : d(value), m(UINT64_MAX / value) {}
  void divmod(std::uint64_t n, std::uint64_t& q, std::uint64_t& r) const noexcept {
#if defined(__SIZEOF_INT128__)
    __extension__ using u128 = unsigned __int128;
    q = static_cast<std::uint64_t>((static_cast<u128>(n) * m) >> 64);
    r = n - q * d;
    if (r >= d) {
      r -= d;
      ++q;
    }
#else
    q = n / d;
    r = n % d;
#endif
  }
};

// A node of the analysis: a copy of the syntax node's own fields (not a
// pointer into the tree: the cache outlives any one compiled pattern), its
// lengths, and its children.
struct plan_node {
  node_kind kind = node_kind::empty;
  char32_t ch = 0;
  std::vector<code_range> ranges;
  divisor range_count;              // of ranges.size()
  std::vector<divisor> range_width;  // of each range's hi - lo + 1
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  ivals lens;
  std::vector<plan_node> kids;
  std::vector<ivals> suffix;  // concat: suffix[i] = sum of lens of kids i..end
  bool wide = false;          // a leaf below admits code points past ASCII
};

void analyse(const node& n, plan_node& p) {
  p.kind = n.kind;
  p.ch = n.ch;
  p.ranges = n.ranges;
  if (!n.ranges.empty()) p.range_count = divisor(n.ranges.size());
  for (const code_range& r : n.ranges) p.range_width.emplace_back(std::uint64_t{r.hi} - r.lo + 1);
  p.min = n.min;
  p.max = n.max;
  p.kids.resize(n.children.size());
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    analyse(n.children[i], p.kids[i]);
    p.wide = p.wide || p.kids[i].wide;
  }
  if (n.kind == node_kind::char_class || n.kind == node_kind::any) {
    p.wide = std::any_of(n.ranges.begin(), n.ranges.end(), [](const code_range& r) { return r.hi >= 0x80; });
  }
  switch (n.kind) {
    case node_kind::empty:
    case node_kind::begin_text:
    case node_kind::end_text: p.lens = {{0, 0}}; return;
    case node_kind::literal: p.lens = {{1, 1}}; return;
    case node_kind::char_class:
    case node_kind::any:
      if (n.ranges.empty()) {
        p.lens.clear();
      } else {
        p.lens = {{1, 1}};
      }
      return;
    case node_kind::group: p.lens = p.kids.front().lens; return;
    case node_kind::alternate:
      p.lens.clear();
      for (const plan_node& k : p.kids) unite(p.lens, k.lens);
      return;
    case node_kind::concat: {
      p.suffix.assign(p.kids.size() + 1, ivals{});
      p.suffix.back() = {{0, 0}};
      for (std::size_t i = p.kids.size(); i-- > 0;) {
        p.suffix[i] = sum(p.kids[i].lens, p.suffix[i + 1]);
      }
      p.lens = p.suffix.front();
      return;
    }
    case node_kind::repeat: {
      const ivals& child = p.kids.front().lens;
      p.lens.clear();
      if (n.min == 0) p.lens = {{0, 0}};
      if (child.empty()) return;
      ivals acc = {{0, 0}};
      for (std::uint64_t k = 1; k <= n.max; ++k) {
        ivals next = sum(acc, child);
        const bool stable = next == acc;
        acc = std::move(next);
        if (k >= n.min) unite(p.lens, acc);
        if (n.max != pattern::unbounded) continue;
        // Unbounded: stop once more copies can add nothing new -- the sums
        // are stable, lie wholly past len_cap, or are one interval to inf
        // (every later sum is then inside it).
        if (k >= n.min && (stable || acc.front().lo > len_cap ||
                           (acc.size() == 1 && acc.front().hi == inf))) {
          break;
        }
      }
      return;
    }
  }
}

// The pattern with one bounded repetition made to repeat once past its
// bound -- max + 1 (edit::repeat_past_max) or min - 1
// (edit::repeat_below_min) times -- and every node on the way down to it
// made to take it: an alternation keeps only the branch that holds it, a
// repetition around it repeats at least once. Its matches are candidates
// for near misses of that bound (the automaton decides: `(x.*)?` twice is
// still a match).
struct variant {
  edit how = edit::repeat_past_max;
  plan_node root;
};

struct plan {
  plan_node root;
  bool has_any = false;
  // In pre-order of their repetitions, past max first; analysed on first
  // use (only near misses need them, and each is a whole tree's analysis).
  mutable std::vector<variant> variants;
  mutable bool variants_done = false;
};

bool find_any(const node& n) {
  if (n.kind == node_kind::any) return true;
  return std::any_of(n.children.begin(), n.children.end(), find_any);
}

// A copy of `n` with the repetition `target` repeating exactly `count`
// times and the nodes above it forced to take it (see variant). Returns
// whether `target` is `n` or below it (else out is a plain copy); clears
// `reachable` when a repetition {0,0} above it keeps it from being used.
bool force(const node& n, const node* target, std::uint32_t count, node& out, bool& reachable) {
  out.kind = n.kind;
  out.ch = n.ch;
  out.ranges = n.ranges;
  out.min = n.min;
  out.max = n.max;
  out.capturing = n.capturing;
  out.offset = n.offset;
  out.children.clear();
  if (&n == target) {
    out.children = n.children;
    out.min = out.max = count;
    return true;
  }
  bool holds = false;
  for (const node& c : n.children) {
    node copy;
    const bool here = force(c, target, count, copy, reachable);
    if (here && n.kind == node_kind::alternate) {
      out.children.assign(1, std::move(copy));  // only the branch that holds it
      holds = true;
      break;
    }
    holds = holds || here;
    out.children.push_back(std::move(copy));
  }
  if (holds && n.kind == node_kind::repeat) {
    if (n.max == 0) reachable = false;
    out.min = std::max<std::uint32_t>(out.min, 1);
  }
  return holds;
}

void collect_repeats(const node& n, std::vector<const node*>& out) {
  if (n.kind == node_kind::repeat) out.push_back(&n);
  for (const node& c : n.children) collect_repeats(c, out);
}

// Repetitions past this many (in pre-order) get no variants: it bounds the
// work a fuzzer's pattern can ask for; a model's pattern has a handful.
constexpr std::size_t max_variant_repeats = 32;

const std::vector<variant>& variants_of(const pattern::compiled& p, const plan& pl) {
  if (pl.variants_done) return pl.variants;
  pl.variants_done = true;
  std::vector<const node*> repeats;
  collect_repeats(p.tree.root(), repeats);
  if (repeats.size() > max_variant_repeats) repeats.resize(max_variant_repeats);
  for (const node* r : repeats) {
    const bool past = r->max != pattern::unbounded && r->max + 1 != pattern::unbounded;
    const bool below = r->min > 0;
    for (const auto& [wanted, how, count] :
         {std::tuple{past, edit::repeat_past_max, past ? r->max + 1 : 0},
          std::tuple{below, edit::repeat_below_min, below ? r->min - 1 : 0}}) {
      if (!wanted) continue;
      node forced;
      bool reachable = true;
      force(p.tree.root(), r, count, forced, reachable);
      if (!reachable) continue;
      variant v;
      v.how = how;
      analyse(forced, v.root);
      if (!v.root.lens.empty()) pl.variants.push_back(std::move(v));
    }
  }
  return pl.variants;
}

// Per-thread cache of analyses, keyed by pattern text. Bounded: it is
// dropped wholesale when it grows past max_cached (fuzzers try many
// patterns; the models have a handful).
constexpr std::size_t max_cached = 256;

const plan& plan_for(const pattern::compiled& p) {
  thread_local std::map<std::string, std::unique_ptr<plan>, std::less<>> cache;
  thread_local const pattern::compiled* last_key = nullptr;
  thread_local const plan* last_plan = nullptr;
  thread_local std::string last_source;
  if (last_key == &p && last_plan && last_source == p.tree.source()) return *last_plan;
  auto it = cache.find(p.tree.source());
  if (it == cache.end()) {
    if (cache.size() >= max_cached) {
      cache.clear();
      last_plan = nullptr;
    }
    auto fresh = std::make_unique<plan>();
    analyse(p.tree.root(), fresh->root);
    fresh->has_any = find_any(p.tree.root());
    it = cache.emplace(std::string(p.tree.source()), std::move(fresh)).first;
  }
  last_key = &p;
  last_plan = it->second.get();
  last_source = p.tree.source();
  return *last_plan;
}

bool is_scalar(std::int64_t cp) {
  return cp >= 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

bool in_ranges(const std::vector<code_range>& rs, char32_t cp) {
  for (const code_range& r : rs) {
    if (r.lo <= cp && cp <= r.hi) return true;
  }
  return false;
}

// A code point of a class, in one draw: a quarter of the time a
// code_point() draw when it falls inside (for variety across UTF-8 forms;
// draw 0 is this way, so `.` shrinks to 'a'), else a range and a point
// within it (the lowest code point of the class when code_point() missed).
template <class Source>
char32_t pick_in(const plan_node& leaf, Source& s) {
  const std::vector<code_range>& rs = leaf.ranges;
  const std::uint64_t v = s.choice(std::uint64_t{4} << 48);
  if ((v >> 48) == 0) {
    const char32_t cp = detail::draw_code_point(s);
    if (in_ranges(rs, cp)) return cp;
  }
  const std::uint64_t low = v & ((std::uint64_t{1} << 48) - 1);
  // The range: low % rs.size(); the point in it: (low / rs.size()) % width.
  std::uint64_t q = 0;
  std::uint64_t k = 0;
  leaf.range_count.divmod(low, q, k);
  const code_range& r = rs[static_cast<std::size_t>(k)];
  std::uint64_t unused = 0;
  std::uint64_t offset = 0;
  leaf.range_width[static_cast<std::size_t>(k)].divmod(q, unused, offset);
  auto cp = static_cast<char32_t>(r.lo + offset);
  if (cp >= 0xD800 && cp <= 0xDFFF) cp = r.lo;  // ranges hold no surrogates; be safe
  return cp;
}

// A length in [lo, hi] (hi finite), biased: draw 0 the smallest, then
// smallest+1, largest-1, largest, or uniform.
std::size_t pick_range(std::size_t lo, std::size_t hi, source& s) {
  if (lo >= hi) return lo;  // no choice, no draw
  switch (s.choice(6)) {
    case 0: return lo;
    case 1: return std::min(lo + 1, hi);
    case 2: return hi > lo ? hi - 1 : lo;
    case 3: return hi;
    default: return lo + static_cast<std::size_t>(s.choice(hi - lo + 1));
  }
}

// A length from a non-empty interval list, biased as pick_range over its
// hull and snapped to the nearest achievable length. `soft_cap` bounds how
// far past its start an unbounded interval is explored.
std::size_t pick_length(const ivals& f, source& s, std::size_t soft_cap = 64) {
  const auto finite_hi = [&](const length_range& r) {
    return r.hi == inf ? sat_add(r.lo, soft_cap) : r.hi;
  };
  if (f.size() == 1) return pick_range(f.front().lo, finite_hi(f.front()), s);
  const std::size_t lo = f.front().lo;
  const std::size_t hi = finite_hi(f.back());
  std::size_t want = lo;
  switch (s.choice(6)) {
    case 0: want = lo; break;
    case 1: want = lo + 1; break;
    case 2: want = hi > 0 ? hi - 1 : 0; break;
    case 3: want = hi; break;
    default: {
      const length_range& r = f[static_cast<std::size_t>(s.choice(f.size()))];
      return r.lo + static_cast<std::size_t>(s.choice(finite_hi(r) - r.lo + 1));
    }
  }
  std::size_t best = lo;
  std::size_t best_gap = inf;
  for (const length_range& r : f) {
    const std::size_t v = std::clamp(want, r.lo, finite_hi(r));
    const std::size_t gap = v > want ? v - want : want - v;
    if (gap < best_gap) {
      best_gap = gap;
      best = v;
    }
  }
  return best;
}

// Buffers for building matches, one set per thread and reused: a body asks
// for many short matches (a list of 200 names), and allocating these afresh
// for each would cost more than drawing the match. No generator here calls
// another while it holds them.
struct scratch {
  std::u32string out;
  std::vector<const plan_node*> leaves;
  std::string utf8;  // out as UTF-8, once a match was checked
  ivals clipped;
};

scratch& thread_scratch() {
  thread_local scratch buffers;
  return buffers;
}

struct builder {
  builder(source& src, scratch& buffers, bool leaves_too = false)
      : s(src), record_leaves(leaves_too), out(buffers.out), leaves(buffers.leaves),
        utf8(buffers.utf8), clipped(buffers.clipped) {}

  source& s;
  bool record_leaves;                     // near misses need to know who made what
  // Lengths go to the parts that admit code points past ASCII (`.`, wide
  // classes), as much as the rest allows, and the other parts take their
  // shortest: an ARN's `.*` then holds most of a long match, which is
  // where a caller can put 2-, 3- and 4-byte characters (the boundary set
  // of `spe gen` does). Otherwise a long optional prefix like
  // `(arn:...:pipeline/.*)?` is rarely drawn long enough to hold them.
  bool stretch = false;
  std::u32string& out;
  std::vector<const plan_node*>& leaves;  // the leaf that produced each code point
  std::string& utf8;
  ivals& clipped;

  void restart() {
    out.clear();
    leaves.clear();
  }

  bool emit(const plan_node* leaf, char32_t cp) {
    out.push_back(cp);
    if (record_leaves) leaves.push_back(leaf);
    return true;
  }

  bool gen(const plan_node& p, std::size_t t) {
    const plan_node& n = p;
    switch (n.kind) {
      case node_kind::empty:
      case node_kind::begin_text:
      case node_kind::end_text: return t == 0;
      case node_kind::literal: return t == 1 && emit(&n, n.ch);
      case node_kind::char_class:
      case node_kind::any: return t == 1 && !n.ranges.empty() && emit(&n, pick_in(n, s));
      case node_kind::group: return gen(p.kids.front(), t);
      case node_kind::alternate: {
        // Stretching: only the wide alternatives, when one can hold t.
        bool only_wide = false;
        if (stretch) {
          for (const plan_node& k : p.kids) only_wide = only_wide || (k.wide && contains(k.lens, t));
        }
        const auto eligible = [&](const plan_node& k) { return contains(k.lens, t) && (!only_wide || k.wide); };
        std::size_t feasible = 0;
        for (const plan_node& k : p.kids) feasible += eligible(k);
        if (feasible == 0) return false;
        auto pick = static_cast<std::size_t>(s.choice(feasible));
        for (const plan_node& k : p.kids) {
          if (!eligible(k)) continue;
          if (pick-- == 0) return gen(k, t);
        }
        return false;
      }
      case node_kind::concat: {
        std::size_t rest = t;
        for (std::size_t i = 0; i < p.kids.size(); ++i) {
          const ivals& own = p.kids[i].lens;
          const ivals& after = p.suffix[i + 1];
          std::size_t ti = 0;
          if (own.size() == 1 && after.size() == 1) {
            // The common case, without building interval lists.
            if (after[0].lo > rest) return false;
            const std::size_t lo = std::max(own[0].lo, rest - std::min(after[0].hi, rest));
            const std::size_t hi = std::min(own[0].hi, rest - after[0].lo);
            if (lo > hi) return false;
            ti = stretch ? (p.kids[i].wide ? hi : lo) : pick_range(lo, hi, s);
          } else {
            const ivals f = intersect_rest(own, after, rest);
            if (f.empty()) return false;
            if (stretch) {
              ti = p.kids[i].wide ? std::min(f.back().hi, rest) : f.front().lo;
            } else {
              ti = pick_length(f, s, rest);
            }
          }
          if (!gen(p.kids[i], ti)) return false;
          rest -= ti;
        }
        return rest == 0;
      }
      case node_kind::repeat: return gen_repeat(p, t);
    }
    return false;
  }

  // k code points of `leaf`, each with the draws gen(leaf, 1) takes, in a
  // loop of their own (long `.*` and class runs are most of what a body's
  // strings are made of).
  bool fill(const plan_node& leaf, std::size_t k) {
    if (leaf.kind != node_kind::char_class && leaf.kind != node_kind::any) {
      for (std::size_t j = 0; j < k; ++j) {
        if (!gen(leaf, 1)) return false;
      }
      return true;
    }
    if (k == 0) return true;
    if (leaf.ranges.empty()) return false;
    const std::size_t at = out.size();
    out.resize(at + k);
    char32_t* p = out.data() + at;
    detail::with_source(s, [&](auto& src) {
      for (std::size_t j = 0; j < k; ++j) p[j] = pick_in(leaf, src);
    });
    if (record_leaves) leaves.insert(leaves.end(), k, &leaf);
    return true;
  }

  bool gen_repeat(const plan_node& p, std::size_t t) {
    const plan_node& n = p;
    const plan_node& child = p.kids.front();
    if (child.lens.empty()) return t == 0 && n.min == 0;
    const std::size_t a = child.lens.front().lo;
    const std::size_t b = child.lens.back().hi;
    const std::size_t max_count = n.max == pattern::unbounded ? inf : n.max;
    // Counts k with k*a <= t <= k*b (hull bounds; exact when the child's
    // lengths are one interval, as in every model pattern).
    std::size_t kmin = n.min;
    if (b != inf && b > 0) kmin = std::max<std::size_t>(kmin, (t + b - 1) / b);
    if (b == 0 && t > 0) return false;
    if (b == inf && t > 0) kmin = std::max<std::size_t>(kmin, 1);
    std::size_t kmax = max_count;
    const std::size_t unit = std::max<std::size_t>(a, 1);
    kmax = std::min(kmax, std::max<std::size_t>(t / unit, n.min));
    if (a > 0) kmax = std::min(kmax, t / a);
    if (kmin > kmax) return false;
    // Draw 0: as many copies as fit, each as short as it can be.
    std::size_t k = kmax;
    if (kmin < kmax) {
      switch (s.choice(4)) {
        case 0: k = kmax; break;
        case 1: k = kmin; break;
        default: k = kmin + static_cast<std::size_t>(s.choice(kmax - kmin + 1)); break;
      }
    }
    if (a == 1 && b == 1) {
      // A child of exactly one code point (`.`, a class, a literal, maybe
      // in a group): k == t copies of length 1. The loop below would take
      // no draw for their lengths either, so this is the same string.
      const plan_node* leaf = &child;
      while (leaf->kind == node_kind::group) leaf = &leaf->kids.front();
      return fill(*leaf, k);
    }
    std::size_t rest = t;
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t left = k - j - 1;  // copies after this one
      // The last copy takes what is left. (With an unbounded child -- the
      // `(arn:...:pipeline/.*)?` prefix -- it used to draw a length that
      // left a remainder, and the draw failed: a long match then came out
      // as a long plain name nearly every time.)
      const std::size_t lo = left == 0 ? rest : b == inf ? 0 : (rest > left * b ? rest - left * b : 0);
      const std::size_t hi = rest >= left * a ? rest - left * a : 0;
      if (lo > hi || rest < left * a) return false;
      std::size_t tj = 0;
      if (child.lens.size() == 1) {
        const std::size_t l = std::max(lo, a);
        const std::size_t h = std::min(hi, b);
        if (l > h) return false;
        tj = l == h || s.choice(3) == 0 ? l : pick_range(l, h, s);
      } else {
        const ivals f = clip(child.lens, lo, hi);
        if (f.empty()) return false;
        tj = s.choice(3) == 0 ? f.front().lo : pick_length(f, s, rest);
      }
      if (!gen(child, tj)) return false;
      rest -= tj;
    }
    return rest == 0;
  }
};

// The UTF-8 form of scalar values, into `out` (replacing what it held).
void to_utf8(const std::u32string& cps, std::string& out) {
  out.resize(4 * cps.size());
  char* p = out.data();
  for (const char32_t cp : cps) p = detail::put_utf8(p, cp);
  out.resize(static_cast<std::size_t>(p - out.data()));
}

// Whether the code points drawn into b match (b.utf8 then holds them as
// UTF-8). What the generators make is always valid UTF-8, so the matcher's
// path for known-valid text gives the automaton's verdict.
bool checked(const pattern::compiled& p, builder& b) {
  to_utf8(b.out, b.utf8);
  return p.matcher.full_match_valid_utf8(b.utf8);
}

// Whether the next match stretches its wide parts (builder::stretch): half
// the time, by a draw taken only when the pattern has a wide part (so the
// draws of every other pattern are unchanged). Draw 0: no.
void draw_stretch(const plan_node& root, builder& b) { b.stretch = root.wide && b.s.one_in(2); }

// A match of exactly `len` code points into b (cleared first), checked.
bool make_exact(const pattern::compiled& p, const plan& pl, builder& b, std::size_t len) {
  if (!contains(pl.root.lens, len)) return false;
  for (int attempt = 0; attempt < max_tries; ++attempt) {
    b.restart();
    draw_stretch(pl.root, b);
    if (b.gen(pl.root, len) && checked(p, b)) return true;
  }
  return false;
}

// The lengths of `lens` within [lo, hi], into b.clipped; false when none.
bool clip_lengths(const ivals& lens, std::size_t lo, std::size_t hi, builder& b) {
  if (lo > hi) return false;
  clip_into(lens, lo, hi, b.clipped);
  return !b.clipped.empty();
}

// A match with length in [lo, hi], biased to the ends of what is achievable.
bool make_in(const pattern::compiled& p, const plan& pl, builder& b, std::size_t lo,
             std::size_t hi) {
  if (!clip_lengths(pl.root.lens, lo, hi, b)) return false;
  const ivals& f = b.clipped;
  for (int attempt = 0; attempt < max_tries; ++attempt) {
    const std::size_t len = pick_length(f, b.s);
    b.restart();
    draw_stretch(pl.root, b);
    if (b.gen(pl.root, len) && checked(p, b)) return true;
  }
  // The biased length may be one the analysis over-approximated: fall back
  // to the smallest achievable one.
  return make_exact(p, pl, b, f.front().lo);
}

// Code points just outside the set of a leaf: lo-1 and hi+1 of each range
// (ch-1, ch+1 of a literal), the valid scalars among them that the leaf
// does not accept.
std::vector<char32_t> outside_neighbours(const plan_node& leaf) {
  std::vector<char32_t> out;
  const auto add = [&](std::int64_t cp) {
    if (!is_scalar(cp)) {
      // Step over the surrogate gap to the nearest scalar.
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = cp == 0xD800 ? 0xD7FF : 0xE000;
      if (!is_scalar(cp)) return;
    }
    const auto c = static_cast<char32_t>(cp);
    const bool inside = leaf.kind == node_kind::literal ? c == leaf.ch : in_ranges(leaf.ranges, c);
    if (!inside && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  if (leaf.kind == node_kind::literal) {
    add(std::int64_t{leaf.ch} - 1);
    add(std::int64_t{leaf.ch} + 1);
  } else {
    for (const code_range& r : leaf.ranges) {
      add(std::int64_t{r.lo} - 1);
      add(std::int64_t{r.hi} + 1);
    }
  }
  return out;
}


// A match of variant `v` with length in [lo, hi] into b, kept when the
// pattern itself rejects it (b.utf8 then holds it).
bool make_variant_miss(const pattern::compiled& p, const variant& v, builder& b, std::size_t lo,
                       std::size_t hi) {
  if (!clip_lengths(v.root.lens, lo, hi, b)) return false;
  const std::size_t len = pick_length(b.clipped, b.s);
  b.restart();
  b.stretch = false;
  if (!b.gen(v.root, len)) return false;
  to_utf8(b.out, b.utf8);
  return !p.matcher.full_match_valid_utf8(b.utf8);
}

}  // namespace

std::string_view to_string(edit e) noexcept {
  switch (e) {
    case edit::drop: return "drop";
    case edit::insert: return "insert";
    case edit::swap_outside_class: return "swap_outside_class";
    case edit::line_terminator: return "line_terminator";
    case edit::repeat_past_max: return "repeat_past_max";
    case edit::repeat_below_min: return "repeat_below_min";
  }
  return "?";
}

std::vector<length_range> match_lengths(const pattern::compiled& p) {
  try {
    return plan_for(p).root.lens;
  } catch (const std::bad_alloc&) {
    return {};
  }
}

std::optional<std::string> matching(const pattern::compiled& p, source& s, std::size_t min_len,
                                    std::size_t max_len) {
  try {
    const plan& pl = plan_for(p);
    builder b(s, thread_scratch());
    if (!make_in(p, pl, b, min_len, max_len)) return std::nullopt;
    return b.utf8;
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::optional<std::string> matching_exact(const pattern::compiled& p, source& s,
                                          std::size_t len) {
  try {
    const plan& pl = plan_for(p);
    builder b(s, thread_scratch());
    if (!make_exact(p, pl, b, len)) return std::nullopt;
    return b.utf8;
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::optional<near_miss> near_miss_of(const pattern::compiled& p, source& s, std::size_t min_len,
                                      std::size_t max_len) {
  try {
    if (min_len > max_len) return std::nullopt;
    const plan& pl = plan_for(p);
    builder b(s, thread_scratch(), true);
    // The first edit is drawn, then the edits take turns, so that each is
    // tried max_tries / 2 times whatever the draws (all zeros included).
    constexpr std::uint64_t edits = 6;
    const std::uint64_t first = s.choice(edits);
    for (int attempt = 0; attempt < 3 * max_tries; ++attempt) {
      const auto how = static_cast<edit>((first + static_cast<std::uint64_t>(attempt)) % edits);
      if (how == edit::repeat_past_max || how == edit::repeat_below_min) {
        // One of the pattern's repetitions of this kind, drawn among those
        // whose variant has a match within the bounds.
        std::vector<const variant*> fit;
        for (const variant& v : variants_of(p, pl)) {
          if (v.how == how && !clip(v.root.lens, min_len, max_len).empty()) fit.push_back(&v);
        }
        if (fit.empty()) continue;
        const variant& v = *fit[static_cast<std::size_t>(s.choice(fit.size()))];
        // Half the time (draw 0 included) the simplest such string, as
        // repetition_misses gives it: the plain name one past {0,255}.
        // (`plain` shares b's buffers: b holds nothing between attempts.)
        bytes_source zero({});
        builder plain(s.one_in(2) ? s : static_cast<source&>(zero), thread_scratch(), true);
        if (make_variant_miss(p, v, plain, min_len, max_len)) return near_miss{plain.utf8, how};
        continue;
      }
      // The match's length range, so that the edited string stays in
      // [min_len, max_len].
      std::size_t lo = min_len;
      std::size_t hi = max_len;
      bool lt_insert = false;
      switch (how) {
        case edit::drop:
          lo = sat_add(min_len, 1);
          hi = sat_add(max_len, 1);
          break;
        case edit::insert:
          if (max_len == 0) continue;
          lo = min_len > 0 ? min_len - 1 : 0;
          hi = max_len == inf ? inf : max_len - 1;
          break;
        case edit::swap_outside_class: lo = std::max<std::size_t>(min_len, 1); break;
        case edit::line_terminator:
          // Where `.` matched when the pattern has one; else inserted.
          lt_insert = !pl.has_any || s.one_in(3);
          if (lt_insert) {
            if (max_len == 0) continue;
            lo = min_len > 0 ? min_len - 1 : 0;
            hi = max_len == inf ? inf : max_len - 1;
          } else {
            lo = std::max<std::size_t>(min_len, 1);
          }
          break;
        case edit::repeat_past_max:
        case edit::repeat_below_min: break;  // made above
      }
      if (!make_in(p, pl, b, lo, hi)) continue;
      std::u32string t = b.out;
      const std::size_t len = t.size();
      switch (how) {
        case edit::drop: {
          if (len == 0) continue;
          t.erase(static_cast<std::size_t>(s.choice(len)), 1);
          break;
        }
        case edit::insert: {
          const auto at = static_cast<std::size_t>(s.choice(len + 1));
          char32_t cp = U'a';
          const std::uint64_t way = s.choice(3);
          if (way == 0 && len > 0) {
            const auto nb = outside_neighbours(*b.leaves[at < len ? at : len - 1]);
            if (nb.empty()) continue;
            cp = nb[static_cast<std::size_t>(s.choice(nb.size()))];
          } else if (way == 1 && len > 0) {
            cp = t[static_cast<std::size_t>(s.choice(len))];
          } else {
            cp = code_point(s);
          }
          t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), cp);
          break;
        }
        case edit::swap_outside_class: {
          if (len == 0) continue;
          const auto at = static_cast<std::size_t>(s.choice(len));
          const auto nb = outside_neighbours(*b.leaves[at]);
          if (nb.empty()) continue;
          t[at] = nb[static_cast<std::size_t>(s.choice(nb.size()))];
          break;
        }
        case edit::repeat_past_max:
        case edit::repeat_below_min: continue;  // made above
        case edit::line_terminator: {
          const char32_t term =
              pattern::java_line_terminators[s.choice(pattern::java_line_terminators.size())];
          if (lt_insert) {
            t.insert(t.begin() + static_cast<std::ptrdiff_t>(s.choice(len + 1)), term);
            break;
          }
          std::vector<std::size_t> dots;
          for (std::size_t i = 0; i < len; ++i) {
            if (b.leaves[i]->kind == node_kind::any) dots.push_back(i);
          }
          if (dots.empty()) continue;
          t[dots[static_cast<std::size_t>(s.choice(dots.size()))]] = term;
          break;
        }
      }
      if (t.size() < min_len || t.size() > max_len) continue;
      std::string text;
      to_utf8(t, text);
      if (p.matcher.full_match_valid_utf8(text)) continue;
      return near_miss{std::move(text), how};
    }
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::vector<near_miss> repetition_misses(const pattern::compiled& p, std::size_t min_len,
                                         std::size_t max_len) {
  std::vector<near_miss> out;
  try {
    const plan& pl = plan_for(p);
    for (const variant& v : variants_of(p, pl)) {
      // Draw 0 first (copies at their shortest, the rest at its simplest);
      // drawn ones when that still matches the pattern.
      for (std::uint64_t k = 0; k <= max_tries; ++k) {
        bytes_source zero({});
        seeded_source drawn(k);
        builder b(k == 0 ? static_cast<source&>(zero) : drawn, thread_scratch());
        if (make_variant_miss(p, v, b, min_len, max_len)) {
          out.push_back({b.utf8, v.how});
          break;
        }
      }
    }
  } catch (const std::bad_alloc&) {
    out.clear();
  }
  return out;
}

}  // namespace spe::gen
