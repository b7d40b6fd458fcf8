// The benchmark corpus: request bodies for one revision, generated from the
// model by spe::gen with a fixed seed, held in memory before any timing.
//
// The mix (by count): small typical requests (optional members present half
// the time, strings near their minimum length, a handful of parameters),
// large ones (every member, lists at least half full, long free-text strings
// -- those the model allows 1024 code points or more: the description and
// the parameter values -- anywhere up to their maximum, identifiers as in a
// small body), and single-fault bodies from gen::single_fault spread over
// every fault kind the model has a place for. Strings come from gen:
// pattern-bound ones from the pattern's own automaton, free text from
// gen::text (which draws across ASCII, 2-, 3- and 4-byte UTF-8, line
// terminators and C0 controls) or, with text_style::prose, as prose -- in
// every body, the single-fault ones included (prose is their
// gen::spelling::free_text). Nothing is written per field: the same code
// would build a corpus for any revision.
//
// Every body's capacity leaves simdjson::SIMDJSON_PADDING bytes after its
// text, so the simdjson peers may parse it in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spe/model.hpp"
#include "spe/validate.hpp"

namespace spe::bench {

// How free text is drawn, in valid and single-fault bodies alike. prose:
// words in a few scripts (Latin, accented Latin, Cyrillic, CJK, the odd
// emoji) separated by spaces and punctuation, with now and then a
// character JSON must escape -- what descriptions and parameter values look
// like; it fills strings without a pattern and those whose pattern matches
// it (the `.*` description), other patterned strings keep their pattern's
// own. hazard: gen's own text, which piles onto the edges (C0 controls,
// line terminators, surrogate neighbours): about one escape every 17
// bytes. Either way a fault's own value keeps gen's hazards where the fault
// is made of them (a pattern's near miss, a wrong-typed value, an unknown
// member).
enum class text_style : std::uint8_t { prose, hazard };

struct corpus_options {
  std::uint64_t seed = 0x5eed'2024'0007ULL;  // the committed seed (issue 7)
  text_style text = text_style::hazard;
  std::size_t bodies = 2000;
  unsigned fault_percent = 30;  // single-fault bodies
  unsigned large_percent = 15;  // large valid bodies; the rest are small valid ones
};

enum class body_class : std::uint8_t { small, large, fault };

struct corpus {
  std::vector<std::string> bodies;
  std::vector<verdict> expect;       // what the generator predicts
  std::vector<body_class> classes;
  std::vector<std::string> labels;   // "small", "large", "fault:pattern /PipelineName", ...
  std::size_t bytes = 0;
  std::size_t count(body_class c) const noexcept;
};

// Builds the corpus for the model's input shape. nullopt (and `why`) when
// the generator cannot build some body (a model without a valid body).
std::optional<corpus> make_corpus(const model::service_model& m, const corpus_options& opts,
                                  std::string& why);

}  // namespace spe::bench
