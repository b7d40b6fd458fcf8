// spe::diag: the words of a judgement -- AWS paths, JSON pointers, the
// constraint texts and the capped "N validation errors detected" message.
//
// Kept apart from the walk (validate.cpp) so the validator decides *what* is
// wrong and this stage alone decides *how it reads*: every message spe prints
// is assembled here, from the model's own member names, bounds and patterns.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "spe/json.hpp"
#include "spe/model.hpp"
#include "spe/validate.hpp"

namespace spe::diag {

// One step from the root to a value: a member (known or not) or a list index.
struct step {
  const model::member* member = nullptr;  // known member, or null
  std::string_view key;                   // the member's name on the wire
  std::uint32_t index = 0;                // list index, 0-based
  bool is_index = false;
};

// "pipelineParameters.3.member.name": lowerCamel names, 1-based list items.
std::string aws_path(std::span<const step> steps);
// "/PipelineParameters/2/Name" (RFC 6901, ~ and / escaped).
std::string json_pointer(std::span<const step> steps);

// "Member must have length less than or equal to 256", ... for the
// constraint kinds that are ValidationException items.
std::string constraint_text(constraint kind, std::string_view bound);

// "Value '<value>' at '<path>' failed to satisfy constraint: <text>";
// value_is_null prints `null` without quotes.
std::string item(std::string_view value, bool value_is_null, std::string_view path,
                 std::string_view text);

// Appends the value as AWS prints it inside Value '...': strings raw,
// numbers as received, lists as [a, b], structures as {Name=a, Value=b}
// (modelled members only, a repeated one as `duplicates` picks it).
// Whole, however deep it nests (the walk is iterative): no truncation.
void print_value(const json::document& doc, std::uint32_t node, const model::shape* shape,
                 duplicate_policy duplicates, std::string& out);

// "N validation error(s) detected: a; b" with at most message_item_cap items.
std::string validation_message(std::span<const diagnostic> errors);

// The SerializationException text for a JSON value of the wrong type where
// `expected` was modelled. AWS's own words where known (SPEC.md section 2).
std::string wrong_type_text(const json::node& found, const model::shape& expected);
std::string_view null_element_text();
std::string duplicate_text(std::string_view key);
std::string malformed_text(const json::error& e);

}  // namespace spe::diag
