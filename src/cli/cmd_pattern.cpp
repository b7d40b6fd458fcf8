// `spe pattern`: checks strings against a pattern -- one given on the command
// line, or a model's own (--revision R --shape NAME) -- with spe's engine:
// full match, Java semantics, linear time. --tree prints the syntax tree.
#include <iostream>

#include "cli/cli.hpp"

namespace spe::cli {

const char* const pattern_usage =
    "usage: spe pattern --check PATTERN STRING...\n"
    "       spe pattern [--revision R | --model FILE] --shape SHAPE STRING...\n"
    "       spe pattern --tree (PATTERN | [--revision R] --shape SHAPE)\n"
    "\n"
    "Prints 'match' or 'no match' for each STRING (a full match, as AWS checks).\n"
    "Exit: 0 all match, 1 some do not, 64 bad usage or a pattern spe does not support,\n"
    "74 the output could not be written.\n";

int run_pattern(args& a) {
  model_choice choice;
  std::optional<std::string> text;
  std::optional<std::string> shape_name;
  bool tree = false;
  std::vector<std::string> strings;
  while (!a.done()) {
    if (choice.take(a)) continue;
    if (auto p = a.option("--check")) {
      text = *p;
    } else if (auto s = a.option("--shape")) {
      shape_name = *s;
    } else if (a.flag("--tree")) {
      tree = true;
    } else if (a.flag("--")) {
      while (!a.done()) strings.emplace_back(a.next());
    } else if (tree && !text && !shape_name) {
      text = std::string(a.next());
    } else {
      strings.emplace_back(a.next());
    }
  }
  if (text.has_value() == shape_name.has_value()) {
    throw usage_error{"give exactly one of --check PATTERN and --shape SHAPE"};
  }
  std::shared_ptr<const pattern::compiled> compiled;
  if (shape_name) {
    const model::service_model& m = choice.load();
    const model::shape* s = m.find(*shape_name);
    if (!s) throw usage_error{"no shape '" + *shape_name + "' in " + std::string(m.revision())};
    if (!s->regex) throw usage_error{"shape '" + *shape_name + "' has no pattern"};
    compiled = s->regex;
    text = s->pattern;
  } else {
    auto r = pattern::compile(*text);
    if (!r) throw usage_error{"pattern: " + pattern::to_string(r.error())};
    compiled = std::make_shared<const pattern::compiled>(std::move(*r));
  }
  if (tree) {
    std::cout << compiled->tree.to_string() << '\n';
    return exit_valid;
  }
  if (strings.empty()) throw usage_error{"no strings to check"};
  int code = exit_valid;
  for (const std::string& s : strings) {
    const bool ok = compiled->matcher.full_match(s);
    if (!ok) code = exit_invalid;
    std::string quoted;
    json_string(quoted, s);
    std::cout << (ok ? "match     " : "no match  ") << quoted << '\n';
  }
  return code;
}

}  // namespace spe::cli
