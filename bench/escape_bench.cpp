// The lever issue 7's profile points at, measured before it is built: on the
// committed corpus half of spe's time is simdjson's string unescaper (an
// escape every 17 bytes), which peer 2 pays too. Most of those strings --
// descriptions, parameter values: pattern `.*`, a length bound -- need only
// three facts, none of which needs the decoded text: are the escapes well
// formed (surrogates paired), how many code points, is there a Java line
// terminator. This times a pass that finds those three over the raw bytes,
// against decoding them.
//
//   escape/simdjson_walk      On-Demand iterate + the raw string: stage 1, no decoding
//   escape/simdjson_decode    the same + get_string(): stage 1 + the unescaper
//   escape/check              the pass below, on the raw bytes (AVX2, chosen at run time)
//
// decode - walk is what the unescaper costs; `check` is what would replace
// it (and the code point count and `.*` scan spe now runs on the decoded
// text). The strings are every escaped string of the corpus (corpus.hpp),
// each checked first against simdjson's decoded text -- the pass must give
// its code point count and find the same terminators -- and against a few
// malformed escapes it must refuse; a disagreement ends the run (exit 1).
//
// The pass: every property a byte can have (backslash, 'u', hex digit, an
// escape character, a UTF-8 lead byte, ...) as one bit of a 64-bit mask per
// block; the escaped bytes by simdjson's odd-backslash-run rule; code
// points = lead bytes - escapes - 4 per \u - paired low surrogates. What is
// rare in text (a surrogate, a \u2028, raw U+2028) is found by a one-byte
// candidate mask and confirmed byte by byte.
#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "spe/model.hpp"

namespace {

struct facts {
  bool ok = true;
  std::uint64_t code_points = 0;
  bool terminator = false;  // \n \r U+0085 U+2028 U+2029: what Java's `.` excludes
  friend bool operator==(const facts& a, const facts& b) {
    return a.ok == b.ok && (!a.ok || (a.code_points == b.code_points && a.terminator == b.terminator));
  }
};

#define SPE_AVX2 __attribute__((target("avx2,bmi,popcnt")))

SPE_AVX2 inline std::uint64_t movemask64(__m256i lo, __m256i hi) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(lo)) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(hi))) << 32);
}
SPE_AVX2 inline std::uint64_t equal(__m256i lo, __m256i hi, char c) {
  const __m256i v = _mm256_set1_epi8(c);
  return movemask64(_mm256_cmpeq_epi8(lo, v), _mm256_cmpeq_epi8(hi, v));
}
// Bytes in [a, b], unsigned.
SPE_AVX2 inline std::uint64_t between(__m256i lo, __m256i hi, unsigned char a, unsigned char b) {
  const __m256i base = _mm256_set1_epi8(static_cast<char>(a));
  const __m256i span = _mm256_set1_epi8(static_cast<char>(b - a));
  const __m256i dl = _mm256_sub_epi8(lo, base);
  const __m256i dh = _mm256_sub_epi8(hi, base);
  return movemask64(_mm256_cmpeq_epi8(_mm256_min_epu8(dl, span), dl),
                    _mm256_cmpeq_epi8(_mm256_min_epu8(dh, span), dh));
}

// 0xFF where the byte is none of the escape characters " \ / b f n r t u,
// by two nibble tables: one bit per high nibble (2, 5, 6, 7), set in the
// low nibble's entry where the pair is one of them.
SPE_AVX2 inline __m256i not_escape_char(__m256i x) {
  const __m256i by_high = _mm256_setr_epi8(0, 0, 1, 0, 0, 2, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                           0, 0, 1, 0, 0, 2, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i by_low = _mm256_setr_epi8(0, 0, 1 | 4 | 8, 0, 8, 8, 4, 0, 0, 0, 0, 0, 2, 0, 4, 1,  //
                                          0, 0, 1 | 4 | 8, 0, 8, 8, 4, 0, 0, 0, 0, 0, 2, 0, 4, 1);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i l = _mm256_shuffle_epi8(by_low, _mm256_and_si256(x, nibble));
  const __m256i h = _mm256_shuffle_epi8(by_high, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble));
  return _mm256_cmpeq_epi8(_mm256_and_si256(l, h), _mm256_setzero_si256());
}

struct block {
  std::uint64_t backslash, u, hex, d, n_or_r, escape_char, lead, two_or_eight, c2, x85, e2, x80;
};

SPE_AVX2 inline block classify(const unsigned char* p) {
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  const __m256i lower_lo = _mm256_or_si256(lo, _mm256_set1_epi8(0x20));
  const __m256i lower_hi = _mm256_or_si256(hi, _mm256_set1_epi8(0x20));
  block b;
  b.backslash = equal(lo, hi, '\\');
  b.u = equal(lo, hi, 'u');
  b.hex = between(lo, hi, '0', '9') | between(lower_lo, lower_hi, 'a', 'f');
  b.d = equal(lower_lo, lower_hi, 'd');
  b.n_or_r = equal(lo, hi, 'n') | equal(lo, hi, 'r');
  b.escape_char = ~movemask64(not_escape_char(lo), not_escape_char(hi));
  const __m256i below_lead = _mm256_set1_epi8(-64);  // continuation bytes: -128..-65 signed
  b.lead = ~movemask64(_mm256_cmpgt_epi8(below_lead, lo), _mm256_cmpgt_epi8(below_lead, hi));
  b.two_or_eight = equal(lo, hi, '2') | equal(lo, hi, '8');
  b.c2 = equal(lo, hi, static_cast<char>(0xC2));
  b.x85 = equal(lo, hi, static_cast<char>(0x85));
  b.e2 = equal(lo, hi, static_cast<char>(0xE2));
  b.x80 = equal(lo, hi, static_cast<char>(0x80));
  return b;
}

// Bit i: byte i + k of the block has the property.
inline std::uint64_t ahead(std::uint64_t here, std::uint64_t next, int k) {
  return (here >> k) | (next << (64 - k));
}

// The facts of the string p[0, n); 128 bytes past its end must be readable.
SPE_AVX2 facts check(const unsigned char* p, std::size_t n) {
  std::uint64_t bad = 0;
  std::uint64_t terminator = 0;
  std::uint64_t prev_escaped = 0;  // bit 0 of the next block is escaped
  std::size_t pending_low = SIZE_MAX;  // where the low surrogate after a high one must be
  std::int64_t code_points = 0;
  block here = classify(p);
  for (std::size_t at = 0; at < n; at += 64) {
    const block next = classify(p + at + 64);
    const std::size_t left = n - at;
    const std::uint64_t inside = left >= 64 ? ~0ULL : (1ULL << left) - 1;
    // The escaped bytes: a backslash escapes the next byte unless it is
    // itself escaped (simdjson's branchless rule for runs of backslashes).
    std::uint64_t backslash = here.backslash & inside & ~prev_escaped;
    const std::uint64_t follows_escape = backslash << 1 | prev_escaped;
    constexpr std::uint64_t even_bits = 0x5555555555555555ULL;
    const std::uint64_t odd_starts = backslash & ~even_bits & ~follows_escape;
    std::uint64_t starting_on_even;
    prev_escaped = __builtin_add_overflow(odd_starts, backslash, &starting_on_even) ? 1 : 0;
    const std::uint64_t escaped_all = (even_bits ^ (starting_on_even << 1)) & follows_escape;
    const std::uint64_t escaped = escaped_all & inside;
    bad |= escaped_all & ~inside;  // a backslash as the last byte
    bad |= escaped & ~here.escape_char;
    const std::uint64_t u = escaped & here.u;
    bad |= u & ~(ahead(here.hex, next.hex, 1) & ahead(here.hex, next.hex, 2) & ahead(here.hex, next.hex, 3) &
                 ahead(here.hex, next.hex, 4));
    const std::uint64_t digits_inside = left >= 68 ? ~0ULL : left <= 4 ? 0 : (1ULL << (left - 4)) - 1;
    bad |= u & ~digits_inside;
    // Surrogates, by their 'd': a high one must be followed by a low one.
    std::int64_t paired = 0;
    for (std::uint64_t s = u & ahead(here.d, next.d, 1); s != 0; s &= s - 1) {
      const std::size_t at_u = at + static_cast<std::size_t>(__builtin_ctzll(s));
      const unsigned char third = p[at_u + 2] | 0x20;
      if (third == '8' || third == '9' || third == 'a' || third == 'b') {
        const unsigned char low_third = p[at_u + 8] | 0x20;
        bad |= !(at_u + 10 < n && p[at_u + 5] == '\\' && p[at_u + 6] == 'u' && (p[at_u + 7] | 0x20) == 'd' &&
                 low_third >= 'c' && low_third <= 'f');
        pending_low = at_u + 6;
      } else if (third >= 'c' && third <= 'f') {
        bad |= at_u != pending_low;
        ++paired;
      }
    }
    // Line terminators: \n, \r; \u0085, \u2028, \u2029 (candidates by
    // their third digit); raw U+0085, and raw U+2028/U+2029 (by E2 80).
    terminator |= escaped & here.n_or_r;
    for (std::uint64_t c = u & ahead(here.two_or_eight, next.two_or_eight, 3); c != 0; c &= c - 1) {
      const unsigned char* q = p + at + __builtin_ctzll(c) + 1;
      terminator |= std::memcmp(q, "0085", 4) == 0 || std::memcmp(q, "2028", 4) == 0 ||
                    std::memcmp(q, "2029", 4) == 0;
    }
    terminator |= inside & here.c2 & ahead(here.x85, next.x85, 1);
    for (std::uint64_t c = inside & here.e2 & ahead(here.x80, next.x80, 1); c != 0; c &= c - 1) {
      const unsigned char third = p[at + static_cast<std::size_t>(__builtin_ctzll(c)) + 2];
      terminator |= third == 0xA8 || third == 0xA9;
    }
    code_points += __builtin_popcountll(here.lead & inside) - __builtin_popcountll(escaped) -
                   4 * __builtin_popcountll(u) - paired;
    here = next;
  }
  bad |= prev_escaped;
  facts f;
  f.ok = bad == 0;
  f.code_points = static_cast<std::uint64_t>(code_points);
  f.terminator = terminator != 0;
  return f;
}

// The facts from simdjson's decoded text (the oracle): nullopt-like ok=false
// when simdjson refuses the string.
facts decoded_facts(simdjson::ondemand::parser& parser, const simdjson::padded_string& doc) {
  facts f;
  std::string_view text;
  auto d = parser.iterate(doc);
  if (d.get_string().get(text) != simdjson::SUCCESS) return {false, 0, false};
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    f.code_points += (c & 0xC0) != 0x80;
    f.terminator |= c == '\n' || c == '\r' || (c == 0xC2 && text.substr(i, 2) == "\xC2\x85") ||
                    text.substr(i, 3) == "\xE2\x80\xA8" || text.substr(i, 3) == "\xE2\x80\xA9";
  }
  return f;
}

struct strings {
  std::vector<std::vector<unsigned char>> padded;  // each string, 192 spare bytes after it
  std::vector<std::size_t> sizes;
  std::vector<simdjson::padded_string> docs;  // each as a JSON text of its own
  std::size_t bytes = 0;
  std::size_t escapes = 0;
  void add(std::string_view raw) {
    std::vector<unsigned char> v(raw.begin(), raw.end());
    v.resize(raw.size() + 192, ' ');
    padded.push_back(std::move(v));
    sizes.push_back(raw.size());
    std::string doc;
    doc.reserve(raw.size() + 2);
    doc += '"';
    doc += raw;
    doc += '"';
    docs.emplace_back(doc);
    bytes += raw.size();
  }
};

// Every string of the corpus that holds a backslash (the bodies are
// well-formed JSON: a string ends at the first quote no backslash escapes).
const strings& corpus_strings() {
  static const strings s = [] {
    strings out;
    std::string why;
    const auto* m = spe::model::builtin("seed");
    const auto c = spe::bench::make_corpus(*m, {}, why);
    if (!c) {
      std::fprintf(stderr, "escape_bench: no corpus: %s\n", why.c_str());
      std::exit(1);
    }
    for (const std::string& body : c->bodies) {
      for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '"') continue;
        std::size_t j = i + 1;
        bool escaped = false;
        while (j < body.size() && body[j] != '"') {
          if (body[j] == '\\') {
            escaped = true;
            ++out.escapes;
            ++j;
          }
          ++j;
        }
        if (escaped) out.add(std::string_view(body).substr(i + 1, j - i - 1));
        i = j;
      }
    }
    return out;
  }();
  return s;
}

// The pass agrees with simdjson on every corpus string and on a few edge
// cases (bad escapes, cut \u, lone and paired surrogates, runs of
// backslashes); false (and a message) otherwise.
bool agrees() {
  simdjson::ondemand::parser parser;
  strings edge;
  for (const char* bad : {"\\x", "a\\", "\\u12", "\\u12g4", "\\ud800", "\\udc00", "\\ud800\\u0041", "\\ud800x",
                          "\\uDBFF\\uDFFF", "\\\\\\", "\\\\u0041\\"}) {
    edge.add(bad);
  }
  std::size_t wrong = 0;
  for (const strings* set : {&corpus_strings(), static_cast<const strings*>(&edge)}) {
    for (std::size_t k = 0; k < set->sizes.size(); ++k) {
      const facts want = decoded_facts(parser, set->docs[k]);
      const facts got = check(set->padded[k].data(), set->sizes[k]);
      if (!(want == got) && ++wrong <= 5) {
        std::fprintf(stderr, "escape_bench: string %zu: simdjson says ok %d, %llu code points, terminator %d; "
                     "the pass says ok %d, %llu, %d\n", k, want.ok, static_cast<unsigned long long>(want.code_points),
                     want.terminator, got.ok, static_cast<unsigned long long>(got.code_points), got.terminator);
      }
    }
  }
  const strings& c = corpus_strings();
  std::printf("escape_bench: %zu escaped strings (%.1f MB, %zu escapes) and %zu edge cases: %zu "
              "disagreements with simdjson\n", c.sizes.size(), static_cast<double>(c.bytes) / 1e6, c.escapes,
               edge.sizes.size(), wrong);
  return wrong == 0;
}

void report(benchmark::State& state, const strings& s) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.bytes));
  state.counters["escapes"] = static_cast<double>(s.escapes);
}

void simdjson_walk(benchmark::State& state) {
  const strings& s = corpus_strings();
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    for (const auto& doc : s.docs) {
      simdjson::ondemand::raw_json_string raw;
      auto d = parser.iterate(doc);
      benchmark::DoNotOptimize(d.get_raw_json_string().get(raw));
    }
  }
  report(state, s);
}

void simdjson_decode(benchmark::State& state) {
  const strings& s = corpus_strings();
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    for (const auto& doc : s.docs) {
      std::string_view text;
      auto d = parser.iterate(doc);
      benchmark::DoNotOptimize(d.get_string().get(text));
      benchmark::DoNotOptimize(text.data());
    }
  }
  report(state, s);
}

void check_pass(benchmark::State& state) {
  const strings& s = corpus_strings();
  for (auto _ : state) {
    for (std::size_t k = 0; k < s.sizes.size(); ++k) {
      const facts f = check(s.padded[k].data(), s.sizes[k]);
      benchmark::DoNotOptimize(f);
    }
  }
  report(state, s);
}

}  // namespace

int main(int argc, char** argv) {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi")) {
    std::fprintf(stderr, "escape_bench: this CPU has no AVX2/BMI; nothing to time\n");
    return 0;
  }
  if (!agrees()) return 1;
  benchmark::RegisterBenchmark("escape/simdjson_walk", simdjson_walk)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("escape/simdjson_decode", simdjson_decode)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("escape/check", check_pass)->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
