// `spe schema`: prints the model a revision is judged by, as the botocore
// service-2.json text spe embeds (or the --model file as loaded), or, with
// --format json-schema, that model exported as a JSON Schema
// (schema_export.cpp).
#include <iostream>

#include "cli/cli.hpp"
#include "cli/schema_export.hpp"

namespace spe::cli {

const char* const schema_usage =
    "usage: spe schema [--revision R | --model FILE [--operation NAME]] [--list]\n"
    "                  [--format model|json-schema [--strict] [--shape request|response]]\n"
    "\n"
    "Prints the model of a revision (botocore service-2.json format). --list prints\n"
    "the built-in revisions, the default first. --format json-schema prints the\n"
    "request (or response) shape as a JSON Schema, draft 2020-12, generated from the\n"
    "model; --strict makes unknown members errors (additionalProperties: false).\n";

int run_schema(args& a) {
  model_choice choice;
  bool list = false;
  bool json_schema_format = false;
  bool strict = false;
  bool response = false;
  bool other = false;  // an option besides --list
  while (!a.done()) {
    if (choice.take(a)) {
      other = true;
      continue;
    }
    if (a.flag("--list")) {
      list = true;
      continue;
    }
    other = true;
    if (a.flag("--strict")) {
      strict = true;
    } else if (auto f = a.option("--format")) {
      if (*f != "model" && *f != "json-schema") throw usage_error{"--format takes model or json-schema"};
      json_schema_format = *f == "json-schema";
    } else if (auto sh = a.option("--shape")) {
      if (*sh != "request" && *sh != "response") throw usage_error{"--shape takes request or response"};
      response = *sh == "response";
    } else {
      throw usage_error{"unknown argument '" + std::string(a.peek()) + "'"};
    }
  }
  if ((strict || response) && !json_schema_format) {
    throw usage_error{"--strict and --shape go with --format json-schema"};
  }
  if (list) {
    // Silently ignoring them would let a typo in a revision name pass.
    if (other) throw usage_error{"--list takes no other option"};
    for (std::string_view r : model::builtin_revisions()) std::cout << r << '\n';
    return exit_valid;
  }
  const model::service_model& m = choice.load();  // validates the choice
  if (json_schema_format) {
    // An operation without an output answers {}: exported as the same
    // memberless structure the validator judges such a response by.
    std::cout << json_schema(m, response ? m.response() : *m.input(), strict);
    return exit_valid;
  }
  std::cout << choice.source();
  return exit_valid;
}

}  // namespace spe::cli
