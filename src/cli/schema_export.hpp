// The JSON Schema (draft 2020-12) export of a model, for `spe schema
// --format json-schema` (schema_export.cpp says what maps and what cannot).
#pragma once

#include <string>

#include "spe/model.hpp"
#include "spe/pattern.hpp"

namespace spe::cli {

// The schema of `root` (the operation's input or output) and every shape it
// reaches, as indented JSON text ending in a newline. `strict` closes every
// structure to unknown members (additionalProperties: false).
std::string json_schema(const model::service_model& m, const model::shape& root, bool strict);

// A pattern of Java syntax, as a full-match pattern in the syntax that
// ECMA-262 and Python's re read alike: ^(?:...)$ around the tree rendered
// with explicit classes (`.` is [^\n\r\u0085\u2028\u2029]).
std::string java_pattern_as_ecma(const pattern::syntax_tree& tree);

}  // namespace spe::cli
