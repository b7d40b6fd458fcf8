// `spe schema`: prints the model a revision is judged by, as the botocore
// service-2.json text spe embeds (or the --model file as loaded).
#include <iostream>

#include "cli/cli.hpp"

namespace spe::cli {

const char* const schema_usage =
    "usage: spe schema [--revision R | --model FILE [--operation NAME]] [--list]\n"
    "\n"
    "Prints the model of a revision (botocore service-2.json format). --list prints\n"
    "the built-in revisions, the default first.\n";

int run_schema(args& a) {
  model_choice choice;
  bool list = false;
  while (!a.done()) {
    if (choice.take(a)) continue;
    if (a.flag("--list")) {
      list = true;
      continue;
    }
    throw usage_error{"unknown argument '" + std::string(a.peek()) + "'"};
  }
  if (list) {
    for (std::string_view r : model::builtin_revisions()) std::cout << r << '\n';
    return exit_valid;
  }
  const model::service_model& m = choice.load();  // validates the choice
  if (choice.model_file.empty()) {
    std::cout << model::builtin_source(m.revision());
    return exit_valid;
  }
  auto text = read_bounded(choice.model_file, std::size_t{1} << 30);
  if (!text) return exit_no_input;
  std::cout << *text;
  return exit_valid;
}

}  // namespace spe::cli
