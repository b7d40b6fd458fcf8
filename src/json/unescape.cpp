// See unescape.hpp.
#include "json/unescape.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/lexical.hpp"

// The AVX2 kernel is chosen at run time, so the build needs no -mavx2.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SPE_UNESCAPE_AVX2 1
#include <immintrin.h>
#else
#define SPE_UNESCAPE_AVX2 0
#endif

namespace spe::json::detail {

namespace {

// The byte a two-character escape stands for, by the character after the
// backslash; 0 for every character that makes no such escape ('u' among
// them: it has a path of its own).
constexpr std::array<std::uint8_t, 256> simple_escapes = [] {
  std::array<std::uint8_t, 256> t{};
  t['"'] = '"';
  t['\\'] = '\\';
  t['/'] = '/';
  t['b'] = '\b';
  t['f'] = '\f';
  t['n'] = '\n';
  t['r'] = '\r';
  t['t'] = '\t';
  return t;
}();

// The escapes that start among a block's backslashes, by the odd-run rule
// as simdjson's stage 1 applies it (find_escaped): a run of backslashes
// escapes the byte after it when the run is odd. Adding the starts of runs
// at odd positions to the backslash mask carries through each run; where
// the carry lands, against the even bits, tells odd from even.
// `escaped_in` is 1 when the block's first byte is escaped by the last
// block's final run, and becomes the same for the next block.
inline std::uint64_t escape_starts(std::uint64_t backslash, std::uint64_t& escaped_in) noexcept {
  constexpr std::uint64_t even_bits = 0x5555555555555555ull;
  backslash &= ~escaped_in;
  const std::uint64_t follows = backslash << 1 | escaped_in;
  const std::uint64_t odd_starts = backslash & ~even_bits & ~follows;
  const std::uint64_t even_runs = odd_starts + backslash;
  escaped_in = even_runs < backslash ? 1 : 0;
  return backslash & ~((even_bits ^ (even_runs << 1)) & follows);
}

// The first `length` bytes of `word` (least significant first) at dst;
// writes four bytes whatever the length.
inline char* put(char* dst, std::uint32_t word, std::size_t length) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(dst, &word, 4);
  } else {
    for (int i = 0; i < 4; ++i) dst[i] = static_cast<char>(word >> (8 * i));
  }
  return dst + length;
}

// One bit per backslash among the 64 bytes at p.
inline std::uint64_t backslashes(const char* p) noexcept {
#if defined(__SSE2__)
  const __m128i backslash = _mm_set1_epi8('\\');
  std::uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, backslash))))
            << (16 * i);
  }
  return mask;
#else
  std::uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) mask |= static_cast<std::uint64_t>(p[i] == '\\') << i;
  return mask;
#endif
}

// Copies [from, from + n) to dst, 32 bytes a step: up to 31 bytes more
// are read and written.
inline void copy_run(char* dst, const char* from, std::size_t n) noexcept {
  std::size_t i = 0;
  do {
    std::memcpy(dst + i, from + i, 32);
    i += 32;
  } while (i < n);
}

// The text [from, to) at dst; returns one past it.
inline char* copy_text(char* dst, const char* from, const char* to) noexcept {
  copy_run(dst, from, static_cast<std::size_t>(to - from));
  return dst + (to - from);
}

// Decodes the escape at `at` (a backslash) to `dst`, which it advances;
// returns the byte after the escape, or nullptr when it is bad. Both
// readings are made and one kept: the byte a two-character escape stands
// for, and the \uXXXX code point as UTF-8 in one to three bytes. The bytes
// read past a short escape are still inside the padding (unescape.hpp).
inline const char* decode_one(const char* at, char*& dst) noexcept {
  const auto c = static_cast<unsigned char>(at[1]);
  const bool u = c == 'u';
  const std::int32_t unit = hex4(at + 2);
  if (u ? unit < 0 || (unit & 0xF800) == 0xD800 : simple_escapes[c] == 0) [[unlikely]] {
    // A surrogate or a bad escape: off the straight path. Only a high
    // surrogate followed by \u and a low one makes a character.
    if (!u || unit < 0 || unit >= 0xDC00) return nullptr;
    if (at[6] != '\\' || at[7] != 'u') return nullptr;
    const std::int32_t low = hex4(at + 8);
    if (low < 0 || (low & 0xFC00) != 0xDC00) return nullptr;
    const auto cp = static_cast<std::uint32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
    dst = put(dst,
              (0xF0 | cp >> 18) | (0x80 | (cp >> 12 & 0x3F)) << 8 | (0x80 | (cp >> 6 & 0x3F)) << 16 |
                  (0x80u | (cp & 0x3F)) << 24,
              4);
    return at + 12;
  }
  const auto cp = static_cast<std::uint32_t>(unit);
  const std::uint32_t utf8 = cp < 0x80    ? cp
                             : cp < 0x800 ? (0xC0 | cp >> 6) | (0x80 | (cp & 0x3F)) << 8
                                          : (0xE0 | cp >> 12) | (0x80 | (cp >> 6 & 0x3F)) << 8 |
                                                (0x80 | (cp & 0x3F)) << 16;
  const std::size_t utf8_length = 1 + static_cast<std::size_t>(cp >= 0x80) + static_cast<std::size_t>(cp >= 0x800);
  dst = put(dst, u ? utf8 : simple_escapes[c], u ? utf8_length : 1);
  return at + (u ? 6 : 2);
}

// The escapes that `starts` marks in the block at `block`, one at a time,
// each after the text from `from` up to it; returns the byte after the last
// one (or `from`), nullptr when one is bad. A start before `from` is the
// low half of a surrogate pair just decoded.
inline const char* decode_starts(const char* block, std::uint64_t starts, const char* from, char*& dst) noexcept {
  for (; starts != 0; starts &= starts - 1) {
    const char* at = block + std::countr_zero(starts);
    if (at < from) continue;
    dst = copy_text(dst, from, at);
    from = decode_one(at, dst);
    if (from == nullptr) return nullptr;
  }
  return from;
}

}  // namespace

// The portable kernel: the escapes of each 64-byte block from its backslash
// mask and the odd-run rule, each decoded in turn, the text between two
// escapes copied 32 bytes at a time. About as fast as simdjson's unescaper
// (bench/escape_bench.cpp's history in the README); the AVX2 kernel is what
// is faster.
char* unescape_portable(const char* src, std::size_t n, char* dst) noexcept {
  const char* const stop = src + n;
  const char* from = src;  // the first byte not yet decoded or copied
  std::uint64_t escaped_in = 0;
  for (const char* block = src; block < stop; block += 64) {
    std::uint64_t starts = escape_starts(backslashes(block), escaped_in);
    if (stop - block < 64) starts &= (std::uint64_t{1} << (stop - block)) - 1;
    from = decode_starts(block, starts, from, dst);
    if (from == nullptr) return nullptr;
  }
  // An escape never reaches past the closing quote of a string stage 1 has
  // accepted; a caller's bad bounds must not make the copy below negative.
  if (from > stop) return nullptr;
  return copy_text(dst, from, stop);
}

namespace {

#if SPE_UNESCAPE_AVX2
#define SPE_AVX2 [[gnu::target("avx2,bmi,popcnt")]]

SPE_AVX2 inline __m256i load32(const char* p) noexcept {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
SPE_AVX2 inline void store32(char* p, __m256i v) noexcept { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
SPE_AVX2 inline __m256i splat(char c) noexcept { return _mm256_set1_epi8(c); }
SPE_AVX2 inline std::uint64_t mask64(__m256i lo, __m256i hi) noexcept {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(lo)) |
         static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(hi))) << 32;
}
// 0xFF in each byte whose bit of m is set.
SPE_AVX2 inline __m256i bytes_of(std::uint32_t m) noexcept {
  const __m256i spread = _mm256_shuffle_epi8(
      _mm256_set1_epi32(static_cast<int>(m)),
      _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
  const __m256i bit = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  return _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
}
// Where x is the character after a backslash, the byte that two-character
// escape stands for; 0 where it is none. A perfect hash of the eight
// escape characters to a nibble -- the low nibble plus a small number per
// high nibble -- indexes two shuffle tables: the character that belongs
// there (to confirm) and the byte it stands for. A slot no escape uses
// holds 'n', whose own hash is another slot, so nothing matches it.
SPE_AVX2 inline __m256i escape_bytes(__m256i x) noexcept {
  // By high nibble: 2 (" /) +0, 5 (\) +0, 6 (b f n) +2, 7 (r t) +1.
  const __m256i offset = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                          0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i owner = _mm256_setr_epi8('n', 'n', '"', 'r', 'b', 't', 'n', 'n', 'f', 'n', 'n', 'n', '\\', 'n', 'n', '/',
                                         'n', 'n', '"', 'r', 'b', 't', 'n', 'n', 'f', 'n', 'n', 'n', '\\', 'n', 'n', '/');
  const __m256i stands_for =
      _mm256_setr_epi8('\n', 0, '"', '\r', '\b', '\t', 0, 0, '\f', 0, 0, 0, '\\', 0, 0, '/',  //
                       '\n', 0, '"', '\r', '\b', '\t', 0, 0, '\f', 0, 0, 0, '\\', 0, 0, '/');
  const __m256i nibble = splat(0x0F);
  const __m256i high = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble);
  const __m256i slot = _mm256_and_si256(_mm256_add_epi8(_mm256_and_si256(x, nibble), _mm256_shuffle_epi8(offset, high)), nibble);
  const __m256i match = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(owner, slot), x);
  return _mm256_and_si256(_mm256_shuffle_epi8(stands_for, slot), match);
}
// Bytes x in [a, a + span], unsigned.
SPE_AVX2 inline __m256i in_range(__m256i x, char a, char span) noexcept {
  const __m256i d = _mm256_sub_epi8(x, splat(a));
  return _mm256_cmpeq_epi8(_mm256_min_epu8(d, splat(span)), d);
}
// Where the four bytes after "\u" are 0 0 [0-7] [0-9a-fA-F], 0xFF, and in
// `value` the ASCII character they stand for.
SPE_AVX2 inline __m256i ascii_escape(__m256i two, __m256i three, __m256i four, __m256i five,
                                     __m256i& value) noexcept {
  const __m256i digit = in_range(five, '0', 9);
  const __m256i folded = _mm256_or_si256(five, splat(0x20));
  const __m256i letter = in_range(folded, 'a', 5);
  const __m256i low = _mm256_blendv_epi8(_mm256_add_epi8(_mm256_sub_epi8(folded, splat('a')), splat(10)),
                                         _mm256_sub_epi8(five, splat('0')), digit);
  const __m256i high = _mm256_slli_epi16(_mm256_and_si256(_mm256_sub_epi8(four, splat('0')), splat(0x0F)), 4);
  value = _mm256_or_si256(high, _mm256_and_si256(low, splat(0x0F)));
  const __m256i zeros = _mm256_and_si256(_mm256_cmpeq_epi8(two, splat('0')), _mm256_cmpeq_epi8(three, splat('0')));
  return _mm256_and_si256(_mm256_and_si256(zeros, in_range(four, '0', 7)), _mm256_or_si256(digit, letter));
}
// For each 8-bit mask, the shuffle that packs the bytes it keeps.
constexpr std::array<std::uint64_t, 256> pack_table = [] {
  std::array<std::uint64_t, 256> t{};
  for (unsigned k = 0; k < 256; ++k) {
    unsigned at = 0;
    for (unsigned i = 0; i < 8; ++i) {
      if (k >> i & 1) t[k] |= static_cast<std::uint64_t>(i) << (8 * at++);
    }
  }
  return t;
}();
// Writes the bytes of v whose bit of keep is set, in order, at dst;
// returns one past them. Writes up to 8 bytes more.
SPE_AVX2 inline char* compact(char* dst, __m256i v, std::uint32_t keep) noexcept {
  for (int half = 0; half < 2; ++half) {
    const __m128i x = half == 0 ? _mm256_castsi256_si128(v) : _mm256_extracti128_si256(v, 1);
    const unsigned lo = keep >> (16 * half) & 0xFF, hi = keep >> (16 * half + 8) & 0xFF;
    const __m128i shuffle = _mm_set_epi64x(static_cast<long long>(pack_table[hi] + 0x0808080808080808ull),
                                           static_cast<long long>(pack_table[lo]));
    const __m128i packed = _mm_shuffle_epi8(x, shuffle);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), packed);
    dst += std::popcount(lo);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), _mm_unpackhi_epi64(packed, packed));
    dst += std::popcount(hi);
  }
  return dst;
}

// The AVX2 kernel: 64 bytes a step. A block without a backslash is copied.
// A block with several escapes, all of them two-character escapes or
// \u0000..\u007F (what a serializer writes for control characters), has
// them all decoded at once: the escapes start where the odd-run rule says
// (bit masks); each start's byte is replaced by what the escape stands for
// (both readings, from the bytes 1, 4 and 5 places on, picked per byte);
// the rest of every escape is dropped by compacting each 8 bytes through a
// shuffle table; escapes that reach into the next block drop its first
// bytes. Any other block -- one escape (the usual case in prose), or an
// escape of another kind -- has its escapes decoded one at a time.
SPE_AVX2 char* unescape_avx2(const char* src, std::size_t n, char* dst) noexcept {
  const char* const stop = src + n;
  const char* block = src;
  // Bytes of this block that end an escape of the last. Its bit 0 is also
  // the odd-run rule's carry: a byte escaped by the last block's final
  // backslash is dropped with it, and the other bytes an escape drops are
  // never backslashes.
  std::uint64_t drop_in = 0;
  // A block reads 69 bytes from its start, so it runs while 8 or more
  // bytes of the string are left: at most 61 bytes past the string's end,
  // inside the padding (unescape.hpp). Its bytes past the end are masked
  // off; fewer than 8 go to the portable kernel.
  while (stop - block >= 8) {
    const auto left = static_cast<std::size_t>(stop - block);
    const std::uint64_t valid = left >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << left) - 1;
    const __m256i lo = load32(block), hi = load32(block + 32);
    const std::uint64_t backslash =
        mask64(_mm256_cmpeq_epi8(lo, splat('\\')), _mm256_cmpeq_epi8(hi, splat('\\'))) & valid;
    if ((backslash | drop_in) == 0) {
      store32(dst, lo);
      store32(dst + 32, hi);
      dst += left >= 64 ? 64 : left;
      block += 64;
      continue;
    }
    // The carry out of this block is the next drop_in's bit 0 again.
    std::uint64_t carry = drop_in & 1;
    const std::uint64_t starts = escape_starts(backslash, carry);
    // The escapes one at a time, with the text around them (after what an
    // escape of the last block took); the next block starts at this one's
    // end, or where its last escape ends past it.
    const auto one_by_one = [&] {
      const char* from = decode_starts(block, starts, block + std::countr_zero(~drop_in), dst);
      if (from == nullptr) return false;
      const char* end = left >= 64 ? block + 64 : stop;
      if (from < end) {
        dst = copy_text(dst, from, end);
        from = end;
      }
      block = from;
      drop_in = 0;
      return block <= stop;
    };
    // No escape or one (the usual block of prose): no vector work pays.
    if ((starts & (starts - 1)) == 0) {
      if (!one_by_one()) return nullptr;
      continue;
    }
    // What follows each start.
    const __m256i one_lo = load32(block + 1), one_hi = load32(block + 33);
    const std::uint64_t u =
        starts & mask64(_mm256_cmpeq_epi8(one_lo, splat('u')), _mm256_cmpeq_epi8(one_hi, splat('u')));
    const std::uint64_t simple = starts & ~u;
    const __m256i simple_lo = escape_bytes(one_lo), simple_hi = escape_bytes(one_hi);
    const std::uint64_t known = ~mask64(_mm256_cmpeq_epi8(simple_lo, _mm256_setzero_si256()),
                                        _mm256_cmpeq_epi8(simple_hi, _mm256_setzero_si256()));
    // \u00XX with XX < 0x80: '0' '0', an octal digit, a hex digit.
    __m256i ascii_lo, ascii_hi;
    const std::uint64_t short_u =
        mask64(ascii_escape(load32(block + 2), load32(block + 3), load32(block + 4), load32(block + 5), ascii_lo),
               ascii_escape(load32(block + 34), load32(block + 35), load32(block + 36), load32(block + 37),
                            ascii_hi));
    if (((simple & ~known) | (u & ~short_u)) != 0) {
      if (!one_by_one()) return nullptr;
      continue;
    }
    // The bytes after each start that the escape takes with it. None may
    // lie past the string's end: stage 1 never ends a string inside an
    // escape, but a caller's bad bounds must not make the loop write on.
    const std::uint64_t drop = drop_in | simple << 1 | u << 1 | u << 2 | u << 3 | u << 4 | u << 5;
    if ((drop & ~valid) != 0) return nullptr;
    drop_in = simple >> 63 | u >> 63 | u >> 62 | u >> 61 | u >> 60 | u >> 59;
    // The block with each start's byte replaced, the dropped bytes packed out.
    const __m256i value_lo = _mm256_blendv_epi8(simple_lo, ascii_lo, bytes_of(static_cast<std::uint32_t>(u)));
    const __m256i value_hi = _mm256_blendv_epi8(simple_hi, ascii_hi, bytes_of(static_cast<std::uint32_t>(u >> 32)));
    const __m256i out_lo = _mm256_blendv_epi8(lo, value_lo, bytes_of(static_cast<std::uint32_t>(starts)));
    const __m256i out_hi = _mm256_blendv_epi8(hi, value_hi, bytes_of(static_cast<std::uint32_t>(starts >> 32)));
    const std::uint64_t keep = ~drop & valid;
    dst = compact(dst, out_lo, static_cast<std::uint32_t>(keep));
    dst = compact(dst, out_hi, static_cast<std::uint32_t>(keep >> 32));
    block += 64;
  }
  // A last block that ran past the end leaves nothing, unless an escape
  // ran past it too.
  if (block >= stop) return drop_in == 0 ? dst : nullptr;
  // The rest, from the first byte no escape of an earlier block took.
  const char* rest = block + std::countr_zero(~drop_in);
  if (rest > stop) return nullptr;
  return rest == stop ? dst : unescape_portable(rest, static_cast<std::size_t>(stop - rest), dst);
}
#endif

}  // namespace

char* unescape(const char* src, std::size_t n, char* dst) noexcept {
#if SPE_UNESCAPE_AVX2
  // __builtin_cpu_init first: a reader may run from a static initializer,
  // before the CPU model is filled in.
  static const bool avx2 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
  }();
  if (avx2) return unescape_avx2(src, n, dst);
#endif
  return unescape_portable(src, n, dst);
}

}  // namespace spe::json::detail
