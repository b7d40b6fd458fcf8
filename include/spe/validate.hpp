// spe::validator: would AWS accept this StartPipelineExecution body, and with
// what message?
//
// The judgement runs in the order SPEC.md section 2 gives, and stops early
// the same way:
//   1. strict JSON (spe::json::reader): malformed -> SerializationException,
//      verdict malformed;
//   2. the shape of values against the model: the first wrong JSON type (or
//      duplicate member under duplicate_policy::reject) in document order ->
//      SerializationException, verdict invalid;
//   3. every constraint, in model member order (list elements in index
//      order) -> ValidationException with AWS's message, verdict invalid.
// Unknown members are notes, or errors with options::strict.
//
// A validator holds the model and reusable scratch; judging a valid body
// allocates nothing once the scratch has grown to fit. One validator per
// thread; many validators may share one model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spe/json.hpp"
#include "spe/model.hpp"

namespace spe {

// spe's version, "MAJOR.MINOR.PATCH" as project() in CMakeLists.txt sets it:
// record it beside verdicts you keep, since a verdict is spe's at a version.
std::string_view version() noexcept;

enum class verdict : std::uint8_t { valid, invalid, malformed };
std::string_view to_string(verdict v) noexcept;

// The kinds of SPEC.md section 4, in that order.
enum class constraint : std::uint8_t {
  required, length_min, length_max, pattern, count_min, count_max,
  value_min, value_max, type, unknown_member, duplicate_member,
  syntax, utf8, depth, size,
};
inline constexpr std::size_t constraint_count = 15;
std::string_view to_string(constraint c) noexcept;

enum class duplicate_policy : std::uint8_t {
  reject,  // SerializationException (the default: parsers disagree on which wins)
  first,   // the first occurrence wins
  last,    // the last occurrence wins
};

enum class body_kind : std::uint8_t {
  request,   // the operation's input shape
  response,  // its output shape
  error,     // {"__type": "...", "Message": "..."}: one of its error shapes
};

struct options {
  bool strict = false;  // unknown members are errors, not notes
  duplicate_policy duplicates = duplicate_policy::reject;
  body_kind body = body_kind::request;
  json::options limits;
};

struct diagnostic {
  constraint kind = constraint::syntax;
  std::string path;     // AWS's path: "pipelineParameters.3.member.name"; "" at the root
  std::string pointer;  // RFC 6901: "/PipelineParameters/2/Name"; "" at the root
  std::string bound;    // "256", the pattern as written, "int32"; "" when none
  std::string message;  // the AWS item ("Value '...' at '...' failed to ...") or exception text
  std::size_t offset = 0;  // byte offset of the value (of its object when absent or null)
};

inline constexpr std::size_t message_item_cap = 10;  // AWS lists at most 10

// How deep modelled shapes may nest in a body, in path steps (members and
// list elements; a recursive model lets them nest with the JSON): past this
// a body is malformed, kind depth, with this bound, whatever json::options
// says. The model walk (the judgement, canonical(), typed_value()) recurses,
// so this is its stack bound too: under 1 MiB at the bound in an optimised
// build (tests/validate_hostile_test.cpp measures it), which a worker
// thread has. 1000 is Jackson's default nesting bound
// (StreamReadConstraints, 2.15+): a body it admits has at most as many
// steps, so none is refused here that it would read.
inline constexpr std::uint32_t max_model_depth = 1000;

// The `bound` of a type diagnostic: what the model wants where a value of
// the wrong JSON type stands -- "structure", "list", "string", "int32",
// "int64". The generators' and corpus manifests' expected errors use it too.
std::string_view type_bound(const model::shape& expected) noexcept;

struct judgement {
  verdict result = verdict::valid;
  std::string_view exception;  // "", "ValidationException" or "SerializationException"
  std::string message;         // AWS's message text; "" when valid
  std::vector<diagnostic> errors;  // every violation found (not capped)
  std::vector<diagnostic> notes;   // unknown members ignored, duplicates resolved
};

// The typed value of an accepted body: what the service deserialises. Used
// to state the canonical round trip, parse(canon(x)) == x.
struct value {
  enum class kind : std::uint8_t { absent, string, integer, list, structure };
  kind type = kind::absent;
  std::string text;            // string
  std::int64_t integer = 0;    // integer, long
  std::vector<value> items;    // list: elements; structure: one per model member, model order
  friend bool operator==(const value&, const value&) = default;
};

class validator {
 public:
  // `model` must outlive the validator.
  explicit validator(const model::service_model& model);
  ~validator();
  // A validator moved from may only be destroyed or assigned to.
  validator(validator&&) noexcept;
  validator& operator=(validator&&) noexcept;

  // Judges one body. The reference is valid until the next judge() call.
  // Never throws: an allocation failure is reported as a malformed verdict
  // (SerializationException) with one diagnostic of constraint size -- or
  // none, when not even that can be allocated.
  const judgement& judge(std::string_view body, const options& opts = {}) noexcept;
  // The same judgement of a body in a padded buffer (json::padded_view),
  // read in place without copying it first. canonical() and typed_value()
  // then read from the caller's buffer: keep it unchanged until the next
  // judge() if they are to be called.
  const judgement& judge(json::padded_view body, const options& opts = {}) noexcept;
  // The judgement of a body its caller ran out of memory reading, and so
  // never held whole (spe validate reading a file): the verdict judge()
  // gives when its reader runs out -- malformed, one SerializationException
  // of kind size, "Malformed JSON: out of memory while reading at byte 0".
  const judgement& judge_out_of_memory(const options& opts = {}) noexcept;

  // Of the last judged body, when it was valid (false otherwise):
  // its canonical form (SPEC.md section 3), appended to `out` ...
  bool canonical(std::string& out) const;
  // ... and its typed value.
  bool typed_value(value& out) const;

  const model::service_model& model() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace spe
