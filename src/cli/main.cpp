// The `spe` command: dispatches to one command per file (cmd_*.cpp). Usage
// errors print the command's usage to stderr and exit 64; nothing escapes
// as an uncaught exception.
#include <cerrno>
#include <cstring>
#include <iostream>
#include <new>
#include <string>

#include "cli/cli.hpp"

namespace {

using namespace spe::cli;

struct command {
  const char* name;
  const char* summary;
  int (*run)(args&);
  const char* const* usage;
};

const command commands[] = {
    {"validate", "judge request, response or error bodies", run_validate, &validate_usage},
    {"canon", "print the canonical form of valid bodies", run_canon, &canon_usage},
    {"schema", "print a revision's model", run_schema, &schema_usage},
    {"pattern", "check strings against a pattern", run_pattern, &pattern_usage},
    {"gen", "write a labelled corpus of a revision", run_gen, &gen_usage},
    {"diff", "replay a labelled corpus through another implementation", run_diff, &diff_usage},
};

void top_usage(std::ostream& os) {
  os << "usage: spe COMMAND [OPTIONS] [ARGS]\n\n"
        "A reference validator for SageMaker StartPipelineExecution bodies.\n\ncommands:\n";
  for (const command& c : commands) os << "  " << c.name << "\t" << c.summary << '\n';
  os << "\n'spe COMMAND --help' describes each; 'spe --version' says which spe this is.\n";
}

// What a verdict depends on besides the body: spe's version, the revisions
// it knows, and the parser under it.
void version(std::ostream& os) {
  os << "spe " << spe::version() << "\nrevisions:";
  for (std::string_view r : spe::model::builtin_revisions()) {
    os << ' ' << r << (r == spe::model::default_revision ? " (default)" : "");
  }
  os << '\n' << spe::json::backend() << '\n';
}

// Every command, and the help, writes through std::cout: once a write fails
// (a closed stdout, a full disk) the stream stays failed, so one check after
// the last flush sees any loss, and it wins over the command's own code.
int finish(std::string_view who, int code) {
  errno = 0;
  std::cout.flush();
  if (std::cout) return code;
  std::cerr << who << ": cannot write the output" << os_reason(errno) << '\n';
  return exit_output;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    top_usage(std::cerr);
    return exit_usage;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    top_usage(std::cout);
    return finish("spe", exit_valid);
  }
  if (name == "--version") {
    version(std::cout);
    return finish("spe", exit_valid);
  }
  for (const command& c : commands) {
    if (name != c.name) continue;
    for (int i = 2; i < argc; ++i) {
      if (std::strcmp(argv[i], "--") == 0) break;
      if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
        std::cout << *c.usage;
        return finish("spe " + std::string(c.name), exit_valid);
      }
    }
    try {
      args a(argc, argv, 2);
      return finish("spe " + std::string(c.name), c.run(a));
    } catch (const usage_error& e) {
      std::cerr << "spe " << c.name << ": " << e.message << "\n\n" << *c.usage;
      return exit_usage;
    } catch (const std::bad_alloc&) {
      std::cerr << "spe " << c.name << ": out of memory\n";
      return exit_malformed;
    }
  }
  std::cerr << "spe: unknown command '" << name << "'\n\n";
  top_usage(std::cerr);
  return exit_usage;
}
