// Shared pieces of the `spe` command line: argument scanning, model
// selection, bounded input reading and JSON output.
//
// The exit codes are a contract (SPEC.md section 4): 0 all valid, 1 some
// body well-formed but invalid, 2 some body malformed, 64 bad usage; spe
// adds 66 for an input that cannot be read (the others keep being judged)
// and 74 for output that cannot be written (a verdict nobody received must
// not read as one: it wins over every other code).
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spe/model.hpp"
#include "spe/validate.hpp"

namespace spe::cli {

inline constexpr int exit_valid = 0;
inline constexpr int exit_invalid = 1;
inline constexpr int exit_malformed = 2;
inline constexpr int exit_usage = 64;
inline constexpr int exit_no_input = 66;
inline constexpr int exit_output = 74;  // sysexits' EX_IOERR

// The largest --model file read (botocore's whole SageMaker model is a few MB).
inline constexpr std::size_t max_model_file = std::size_t{64} << 20;

// Thrown inside the CLI only (never by the library) and turned into exit 64.
struct usage_error {
  std::string message;
};

// A cursor over argv for one command.
class args {
 public:
  args(int argc, char** argv, int first) : argv_(argv + first, argv + argc) {}
  bool done() const { return i_ >= argv_.size(); }
  std::string_view peek() const { return argv_[i_]; }
  std::string_view next() { return argv_[i_++]; }
  // The value of an option: --name VALUE or --name=VALUE.
  std::optional<std::string> option(std::string_view name);
  bool flag(std::string_view name);

 private:
  std::vector<std::string_view> argv_;
  std::size_t i_ = 0;
};

// --revision R, or --model FILE --operation NAME: the model to judge by.
struct model_choice {
  std::string revision{model::default_revision};
  std::string model_file;
  std::string operation = "StartPipelineExecution";
  bool take(args& a);  // consumes one of these options if it is next
  // Loads the model (built in, or from model_file); throws usage_error.
  const model::service_model& load();
  // The text load() read the model from (the embedded one for a built-in).
  std::string_view source() const;

 private:
  std::unique_ptr<model::service_model> loaded_;
  std::string source_;  // model_file's text, read once by load()
  bool revision_given_ = false;   // --revision and --model exclude each other,
  bool operation_given_ = false;  // and --operation needs --model (load() says so)
};

// ": <strerror(err)>", or "" when err is 0: the reason a file could not be
// read or written, for the tools' messages.
std::string os_reason(int err);

// Reads a whole file ("-" is stdin), at most `limit` bytes plus one so that
// an oversized body is refused without reading it all. Empty optional when
// the file cannot be opened or read (errno then says why). Throws
// std::bad_alloc when the bytes do not fit in memory (the file is closed).
std::optional<std::string> read_bounded(const std::string& path, std::size_t limit);

// Calls `each(line_number, line, out_of_memory)` for every line of a file
// (JSON Lines), without its LF or CRLF ending. Blank lines (only spaces,
// tabs, CR) hold no body and are skipped, but counted in the line numbers;
// so a final newline adds nothing. A line longer than `limit` is passed as
// soon as it is known to be -- truncated to limit+1 bytes, before the rest
// of it is read (skipped), so that a line that never ends (/dev/zero) is
// still answered. A line whose bytes do not fit in memory is passed empty
// with out_of_memory set, and the lines after it are still read. False
// when unreadable (errno then says why).
bool for_each_line(const std::string& path, std::size_t limit,
                   const std::function<void(std::size_t, std::string_view, bool)>& each);

// Appends `s` as a JSON string (json::append_string's escaping); bytes that
// are not UTF-8 become U+FFFD, so what the tools print is JSON whatever they read.
void json_string(std::string& out, std::string_view s);

// The worst of two exit codes in the order 0 < 1 < 2 < 66.
int worse(int a, int b);
int exit_code(verdict v);

// One-line usages, shared by --help and usage errors.
extern const char* const validate_usage;
extern const char* const canon_usage;
extern const char* const schema_usage;
extern const char* const pattern_usage;
extern const char* const diff_usage;
extern const char* const gen_usage;

int run_validate(args& a);
int run_canon(args& a);
int run_schema(args& a);
int run_pattern(args& a);
int run_diff(args& a);
int run_gen(args& a);

}  // namespace spe::cli
