// The reader's string decoder (src/json/unescape.hpp) against simdjson's
// unescaper, the one it replaced, on three sets of strings:
//   corpus  every escaped string of the committed corpus, where issue 7's
//           profile found half of spe's time (an escape every 17 bytes,
//           54% of them \u00XX control characters);
//   cjk     ideographs each written as a \u escape, what Python's
//           json.dumps (botocore's serializer) writes by default;
//   sparse  raw UTF-8 ideographs with a \n every 50 characters: text with
//           few escapes.
// For each set:
//   escape/<set>/simdjson_walk     On-Demand iterate + the raw string: stage 1, no decoding
//   escape/<set>/simdjson_decode   the same + get_string(): stage 1 + simdjson's unescaper
//   escape/<set>/spe_decode        the same + spe's decoder on the raw string
//
// decode - walk is what each decoder costs. Each string is its own JSON
// text, so stage 1 has just brought it into cache, as the reader's stage 1
// does for a body. Before timing, spe's decoder must give simdjson's bytes
// on every string and refuse the edge cases simdjson refuses (cut \u,
// lone and reversed surrogates, bad escapes, backslash runs); a
// disagreement ends the run (exit 1). tests/json_unescape_test.cpp holds
// both of its kernels to simdjson on many more strings.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.hpp"
#include "json/unescape.hpp"
#include "spe/gen.hpp"
#include "spe/model.hpp"

namespace {

struct strings {
  std::vector<std::size_t> sizes;
  std::vector<simdjson::padded_string> docs;  // each as a JSON text of its own (padded)
  std::size_t bytes = 0;
  std::size_t escapes = 0;
  void add(std::string_view raw) {
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

// 2000 strings of 1000 ideographs drawn from a fixed seed: each written
// as a \u escape (cjk), or raw with a \n after every 50th (sparse).
strings ideographs(bool escaped) {
  strings out;
  spe::gen::seeded_source s(0x5EED);
  for (int k = 0; k < 2000; ++k) {
    std::string raw;
    for (int i = 0; i < 1000; ++i) {
      const auto cp = static_cast<char32_t>(0x4E00 + s.choice(0x5000));
      if (escaped) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(cp));
        raw += hex;
        ++out.escapes;
      } else {
        spe::gen::append_utf8(raw, cp);
        if (i % 50 == 49) {
          raw += "\\n";
          ++out.escapes;
        }
      }
    }
    out.add(raw);
  }
  return out;
}

const strings& string_set(int which) {
  static const strings cjk = ideographs(true);
  static const strings sparse = ideographs(false);
  return which == 0 ? corpus_strings() : which == 1 ? cjk : sparse;
}
constexpr const char* set_names[] = {"corpus", "cjk", "sparse"};

// spe's decoder gives simdjson's bytes, or refuses, on every corpus string
// and a few edge cases; false (and a message) otherwise.
bool agrees() {
  simdjson::ondemand::parser parser;
  strings edge;
  for (const char* bad : {"\\x", "\\u12", "\\u12g4", "\\ud800", "\\udc00", "\\ud800\\u0041", "\\ud800x",
                          "\\udc00\\ud800", "\\uDBFF\\uDFFF", "\\\\\\\\\\n", "\\\\u0041\\\\"}) {
    edge.add(bad);
  }
  std::size_t wrong = 0;
  std::vector<char> out;
  for (const strings* set : {&string_set(0), &string_set(1), &string_set(2), static_cast<const strings*>(&edge)}) {
    for (std::size_t k = 0; k < set->sizes.size(); ++k) {
      std::string_view want;
      auto d = parser.iterate(set->docs[k]);
      const bool ok = d.get_string().get(want) == simdjson::SUCCESS;
      out.assign(set->sizes[k] + simdjson::SIMDJSON_PADDING, '\0');
      const char* end = spe::json::detail::unescape(set->docs[k].data() + 1, set->sizes[k], out.data());
      const bool same =
          ok ? end != nullptr && std::string_view(out.data(), static_cast<std::size_t>(end - out.data())) == want
             : end == nullptr;
      if (!same && ++wrong <= 5) {
        std::fprintf(stderr, "escape_bench: string %zu: simdjson %s it; spe's decoder %s\n", k,
                     ok ? "decodes" : "refuses", end ? "decodes it differently" : "refuses it");
      }
    }
  }
  const strings& c = corpus_strings();
  std::printf("escape_bench: the corpus's %zu escaped strings (%.1f MB, %zu escapes), 2 x 2000 strings of "
              "ideographs and %zu edge cases: %zu disagreements with simdjson\n", c.sizes.size(),
              static_cast<double>(c.bytes) / 1e6, c.escapes, edge.sizes.size(), wrong);
  return wrong == 0;
}

void report(benchmark::State& state, const strings& s) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(s.bytes));
  state.counters["escapes"] = static_cast<double>(s.escapes);
}

void simdjson_walk(benchmark::State& state, int set) {
  const strings& s = string_set(set);
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

void simdjson_decode(benchmark::State& state, int set) {
  const strings& s = string_set(set);
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

void spe_decode(benchmark::State& state, int set) {
  const strings& s = string_set(set);
  simdjson::ondemand::parser parser;
  std::size_t longest = 0;
  for (const std::size_t n : s.sizes) longest = std::max(longest, n);
  std::vector<char> out(longest + simdjson::SIMDJSON_PADDING);
  for (auto _ : state) {
    for (std::size_t k = 0; k < s.sizes.size(); ++k) {
      simdjson::ondemand::raw_json_string raw;
      auto d = parser.iterate(s.docs[k]);
      if (d.get_raw_json_string().get(raw) != simdjson::SUCCESS) continue;
      const char* end =
          spe::json::detail::unescape(reinterpret_cast<const char*>(raw.raw()), s.sizes[k], out.data());
      benchmark::DoNotOptimize(end);
    }
  }
  report(state, s);
}

}  // namespace

int main(int argc, char** argv) {
  if (!agrees()) return 1;
  for (int set = 0; set < 3; ++set) {
    const std::string prefix = std::string("escape/") + set_names[set] + "/";
    benchmark::RegisterBenchmark((prefix + "simdjson_walk").c_str(), simdjson_walk, set)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((prefix + "simdjson_decode").c_str(), simdjson_decode, set)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((prefix + "spe_decode").c_str(), spe_decode, set)->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
