// Labelled corpora (SPEC.md section 5), for `spe gen` and its benchmark.
//
// A corpus of one revision is, in this order:
//   1. the boundary set, the same for every seed: for every member of the
//      model (at every depth; list elements at index 0) its bounds just
//      inside and just outside -- lengths min-1/min/max/max+1 in code points
//      of 1-, 2-, 3- and 4-byte UTF-8, list counts, integer bounds and the
//      int32/int64 widths -- every pattern's near misses and Java line
//      terminators, each required member missing and null, each optional
//      member null, each wrong JSON type, and the JSON hazards of section 2
//      (malformed UTF-8, BOM, lone surrogate escapes, trailing commas,
//      comments, NaN, depth at and past the bound, duplicate members,
//      unknown members with and without --strict, escapes, ...), and with
//      corpus_settings::size_hazard the size bound (8 MiB, and a byte more);
//   2. `random` bodies drawn through spe::gen, each from a source seeded by
//      (seed, its index): valid ones and ones with a single fault, spelled
//      with random whitespace, escapes and member order.
// Every label is derived from the model (bounds, the pattern automaton) and
// the way the body was built -- never from the validator, whose verdicts the
// labels are there to check.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "spe/gen.hpp"
#include "spe/model.hpp"
#include "spe/validate.hpp"

namespace spe::cli {

struct corpus_item {
  std::string tag;   // what it tests, for the file name: "length_max-PipelineName"
  std::string json;  // the body's bytes
  verdict expect = verdict::valid;
  std::string_view exception;  // "", "ValidationException", "SerializationException"
  std::vector<gen::expected_error> errors;
  std::string why;
  bool strict = false;  // to be judged with --strict
};

struct corpus_settings {
  std::uint64_t seed = 1;
  std::size_t random = 200;
  bool boundary_set = true;  // false: the drawn bodies only (the benchmark)
  bool size_hazard = false;  // the boundary set also holds the size bound (8 MiB and one byte more)
  unsigned jobs = 1;         // threads drawing bodies; the output does not depend on it
};

// Calls `each` for every body of the corpus of `m`, in a fixed order: the
// same model and settings give the same items, byte for byte.
void make_corpus(const model::service_model& m, const corpus_settings& settings,
                 const std::function<void(corpus_item&)>& each);

// "000123-length_max-PipelineName.json": the index, then the tag with
// characters outside [A-Za-z0-9._-] replaced, cut to a sane length.
std::string corpus_file_name(std::size_t index, std::string_view tag);

// One manifest.jsonl line (with its newline) labelling `file`.
std::string manifest_line(std::string_view file, std::string_view revision,
                          const corpus_item& item);

}  // namespace spe::cli
