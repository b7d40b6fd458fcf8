// spe::model: the schema of one operation, as data.
//
// Each revision of StartPipelineExecution is a model file in botocore's
// service-2.json format under models/, embedded at build time. The loader
// reads the subset of that format an operation like this one needs --
// structure, list, string, integer and long shapes with required, min, max
// and pattern -- and compiles every pattern once, so that judging a body
// never parses a regex. Any botocore service-2.json can be loaded at run time
// (`--model FILE --operation NAME`), so the next API revision is a data change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spe/pattern.hpp"
#include "spe/result.hpp"

namespace spe::model {

enum class shape_type : std::uint8_t { structure, list, string, integer, long_integer };

// "structure", "list", "string", "integer", "long": botocore's words.
std::string_view to_string(shape_type t) noexcept;

struct shape;

// AWS's lowerCamel form of a member name, as its messages print paths
// ("PipelineName" -> "pipelineName"): the first character lowered.
std::string lower_camel(std::string_view name);
// The same, appended to `out`.
void append_lower_camel(std::string& out, std::string_view name);

struct member {
  std::string name;       // as in the model and on the wire: "PipelineName"
  std::string path_name;  // as AWS prints it in messages: "pipelineName"
  const shape* target = nullptr;
  bool required = false;
};

struct shape {
  std::string name;  // the model's shape name, e.g. "PipelineNameOrArn"
  shape_type type = shape_type::string;

  // string: length in code points; list: element count; integer/long: value.
  bool has_min = false;
  bool has_max = false;
  std::int64_t min = 0;
  std::int64_t max = 0;

  // string only: the pattern exactly as the model writes it (AWS quotes it
  // verbatim in messages), and its compiled form. Empty/null when absent.
  std::string pattern;
  std::shared_ptr<const pattern::compiled> regex;

  // structure only: members in model order (the order AWS reports errors),
  // and the same members' indices sorted by name (the canonical order).
  std::vector<member> members;
  std::vector<std::uint16_t> by_name;
  bool exception = false;  // an error shape

  // list only.
  const shape* element = nullptr;

  // Whether any value of this shape is valid, i.e. finite: false when its
  // required members (and lists' minimum counts) lead back to it without
  // end, as in a structure that requires itself. Only a recursive model has
  // such shapes; the generators leave them out wherever they may.
  bool finite = true;

  // Index of the member called `name`, or -1. Linear: structures are small.
  int find_member(std::string_view name) const noexcept;
};

class service_model {
 public:
  service_model();
  ~service_model();
  service_model(service_model&&) noexcept;
  service_model& operator=(service_model&&) noexcept;

  std::string_view revision() const noexcept { return revision_; }
  std::string_view operation() const noexcept { return operation_; }
  const shape* input() const noexcept { return input_; }
  const shape* output() const noexcept { return output_; }    // may be null
  // The shape a response body is judged by: the output, or for an operation
  // without one a structure with no members, named NoOutput (AWS answers
  // such a call with {}; any member in it is unknown).
  const shape& response() const noexcept;
  std::span<const shape* const> errors() const noexcept { return errors_; }
  // Every shape reachable from the operation, in a stable order (the input
  // first, then depth-first in member order); for generators and exports.
  std::span<const shape* const> shapes() const noexcept { return order_; }
  const shape* find(std::string_view shape_name) const noexcept;
  const shape* find_error(std::string_view error_name) const noexcept;

 private:
  friend struct loader;
  std::string revision_;
  std::string operation_;
  std::vector<std::unique_ptr<shape>> owned_;
  std::vector<const shape*> order_;
  std::vector<const shape*> errors_;
  const shape* input_ = nullptr;
  const shape* output_ = nullptr;
};

struct load_error {
  std::string message;  // names the shape (and member or construct) at fault
};

// Loads `operation` from a botocore service-2.json text. Fails, naming the
// shape, on: malformed JSON, a missing operation or shape, a shape type
// outside the subset, a pattern outside the supported regex subset, a
// non-integer bound. Never throws.
result<service_model, load_error> load(std::string_view service_json,
                                       std::string_view operation,
                                       std::string_view revision_name);

// The revisions built into spe: "seed" (the default), "botocore-1.29",
// "botocore-1.43".
inline constexpr std::string_view default_revision = "seed";
std::span<const std::string_view> builtin_revisions() noexcept;

// A built-in revision, loaded and compiled on first use (thread-safe), or
// null for an unknown name.
const service_model* builtin(std::string_view revision) noexcept;

// The embedded model text of a built-in revision (for `spe schema`), or empty.
std::string_view builtin_source(std::string_view revision) noexcept;

}  // namespace spe::model
