// The validators spe is measured against, behind one small interface.
//
// Each peer judges a StartPipelineExecution body against revision `seed` as
// faithfully as its library lets it and answers one bit: would the service
// accept the body. The harness (validate_bench.cpp) times every peer over
// the same in-memory corpus and compares their verdicts with spe's, body by
// body; the ReDoS probe (redos_probe.cpp) drives the regex engine each peer
// relies on. Rules come from the model (bounds, patterns) or from the JSON
// Schema that `spe schema --format json-schema` prints -- never from copies.
//
// Bodies are std::strings whose capacity leaves simdjson's padding after the
// text (corpus.hpp guarantees it), so the simdjson peers parse in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spe/model.hpp"

namespace spe::bench {

class peer {
 public:
  virtual ~peer() = default;
  // Short name for tables and plots, e.g. "rapidjson-schema".
  virtual std::string_view name() const noexcept = 0;
  // One line: what this peer does and what it cannot express.
  virtual std::string_view description() const noexcept = 0;
  // True when the peer accepts the body. Never throws.
  virtual bool valid(const std::string& body) noexcept = 0;
  // False for peers that check no rule (peer 1): their valid count is not
  // expected to match spe's.
  virtual bool checks_rules() const noexcept { return true; }
};

// The JSON Schema (text) that the JSON Schema peers validate against.
// `variant` is added to the peer's name ("as printed"), empty for the
// schema adapted to the peer's dialect (adapt_schema).
struct schema_text {
  std::string path;
  std::string json;
  std::string variant;
};

// The engines whose reading of spe's JSON Schema needs a respelling.
enum class dialect : std::uint8_t {
  rapidjson,  // RapidJSON 1.1.0: its URI-fragment $refs and its regex subset
  std_regex,  // std::regex over char (valijson): patterns work on bytes
};

// Rewrites `json` (the schema spe prints) so that the engine of `d` reads
// it with the same meaning (schema_dialect.cpp says what and why). `notes`
// gets one line per rewrite. nullopt (and `why`) when `json` is not JSON.
std::optional<std::string> adapt_schema(const std::string& json, dialect d,
                                        std::vector<std::string>& notes, std::string& why);

// 1. simdjson On-Demand visiting every member and value, checking nothing.
std::unique_ptr<peer> make_simdjson_walk();
// Factories return null when the peer cannot be set up, and say why.
// 2. simdjson On-Demand + hand-written checks + std::regex.
std::unique_ptr<peer> make_simdjson_hand(const model::service_model& m, std::string& why);
// 3. nlohmann::json + the same hand-written checks + std::regex.
std::unique_ptr<peer> make_nlohmann_hand(const model::service_model& m, std::string& why);
// 4. RapidJSON's SchemaValidator on the JSON Schema. Null when the schema
//    does not load (the reason goes to `why`).
std::unique_ptr<peer> make_rapidjson_schema(const schema_text& schema, std::string& why);
// 5. valijson (on a RapidJSON DOM) on the JSON Schema. Null as above.
std::unique_ptr<peer> make_valijson(const schema_text& schema, std::string& why);
// 6. spe::validator::judge.
std::unique_ptr<peer> make_spe(const model::service_model& m);

}  // namespace spe::bench
