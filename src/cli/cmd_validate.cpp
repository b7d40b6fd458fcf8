// `spe validate` and `spe canon`: judge bodies from files, stdin or JSON
// Lines, print verdicts for people or JSON for machines, exit per SPEC.md
// section 4. Every input is judged even when an earlier one fails.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <iostream>
#include <string>

#include "cli/cli.hpp"

namespace spe::cli {

const char* const validate_usage =
    "usage: spe validate [--revision R | --model FILE [--operation NAME]] [--strict]\n"
    "                    [--duplicates reject|first|last] [--shape request|response|error]\n"
    "                    [--max-size BYTES] [--max-depth N] [--json] [--jsonl] [FILE|-]...\n"
    "\n"
    "Judges each body as AWS would (no FILE: stdin). --jsonl judges every line of each\n"
    "file. Exit: 0 all valid, 1 some body invalid, 2 some body malformed, 64 bad usage,\n"
    "66 some input unreadable, 74 the output could not be written.\n";

const char* const canon_usage =
    "usage: spe canon [--revision R | --model FILE [--operation NAME]] [--strict]\n"
    "                 [--duplicates reject|first|last] [--shape request|response|error]\n"
    "                 [--max-size BYTES] [--max-depth N] [FILE|-]...\n"
    "\n"
    "Prints the canonical form (SPEC.md section 3) of each valid body, one per line;\n"
    "an invalid or malformed body is reported on stderr and sets the exit status as\n"
    "for validate.\n";

namespace {

struct judge_options {
  model_choice model;
  options opts;
  bool json = false;
  bool jsonl = false;
  std::vector<std::string> files;
};

// A bound given on the command line: a decimal integer in 0..most. Past
// most -- also past what any integer type holds -- says so.
std::uint64_t parse_bound(const std::string& text, std::string_view option, std::uint64_t most) {
  std::uint64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ptr != text.data() + text.size() || (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range)) {
    throw usage_error{std::string(option) + " needs a non-negative integer, got '" + text + "'"};
  }
  if (r.ec == std::errc::result_out_of_range || v > most) {
    throw usage_error{std::string(option) + " is at most " + std::to_string(most)};
  }
  return v;
}

judge_options parse(args& a, bool allow_output_modes) {
  judge_options o;
  bool files_only = false;
  while (!a.done()) {
    if (!files_only && a.peek() == "--") {
      a.next();
      files_only = true;
      continue;
    }
    if (files_only || a.peek() == "-" || a.peek().substr(0, 1) != "-") {
      o.files.emplace_back(a.next());
      continue;
    }
    if (o.model.take(a)) continue;
    if (a.flag("--strict")) {
      o.opts.strict = true;
    } else if (allow_output_modes && a.flag("--json")) {
      o.json = true;
    } else if (allow_output_modes && a.flag("--jsonl")) {
      o.jsonl = true;
    } else if (auto v = a.option("--duplicates")) {
      if (*v == "reject") {
        o.opts.duplicates = duplicate_policy::reject;
      } else if (*v == "first") {
        o.opts.duplicates = duplicate_policy::first;
      } else if (*v == "last") {
        o.opts.duplicates = duplicate_policy::last;
      } else {
        throw usage_error{"--duplicates takes reject, first or last"};
      }
    } else if (auto s = a.option("--shape")) {
      if (*s == "request") {
        o.opts.body = body_kind::request;
      } else if (*s == "response") {
        o.opts.body = body_kind::response;
      } else if (*s == "error") {
        o.opts.body = body_kind::error;
      } else {
        throw usage_error{"--shape takes request, response or error"};
      }
    } else if (auto n = a.option("--max-size")) {
      o.opts.limits.max_size = static_cast<std::size_t>(parse_bound(*n, "--max-size", json::hard_max_size));
    } else if (auto d = a.option("--max-depth")) {
      o.opts.limits.max_depth = static_cast<std::uint32_t>(parse_bound(*d, "--max-depth", json::hard_max_depth));
    } else {
      throw usage_error{"unknown option '" + std::string(a.peek()) + "'"};
    }
  }
  if (o.files.empty()) o.files.emplace_back("-");
  // stdin holds one input: a second '-' would be judged as an empty body.
  if (std::count(o.files.begin(), o.files.end(), "-") > 1) throw usage_error{"'-' (stdin) is given more than once"};
  if (o.model.model_file == "-" && std::count(o.files.begin(), o.files.end(), "-") > 0) {
    throw usage_error{"'-' (stdin) cannot hold both the model and a body: name the body's file"};
  }
  return o;
}

void json_diagnostics(std::string& out, const std::vector<diagnostic>& list) {
  out += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    const diagnostic& d = list[i];
    if (i) out += ',';
    out += "{\"path\":";
    json_string(out, d.path);
    out += ",\"pointer\":";
    json_string(out, d.pointer);
    out += ",\"constraint\":";
    json_string(out, to_string(d.kind));
    out += ",\"bound\":";
    json_string(out, d.bound);
    out += ",\"message\":";
    json_string(out, d.message);
    out += ",\"offset\":";
    out += std::to_string(d.offset);
    out += '}';
  }
  out += ']';
}

void print_json(std::string_view input, const judgement& j) {
  std::string out = "{\"input\":";
  json_string(out, input);
  out += ",\"valid\":";
  out += j.result == verdict::valid ? "true" : "false";
  out += ",\"verdict\":";
  json_string(out, to_string(j.result));
  out += ",\"exception\":";
  if (j.exception.empty()) {
    out += "null";
  } else {
    json_string(out, j.exception);
  }
  out += ",\"message\":";
  if (j.message.empty()) {
    out += "null";
  } else {
    json_string(out, j.message);
  }
  out += ",\"errors\":";
  json_diagnostics(out, j.errors);
  out += ",\"notes\":";
  json_diagnostics(out, j.notes);
  out += "}\n";
  std::cout << out;
}

void print_human(std::string_view input, const judgement& j, std::ostream& os) {
  os << input << ": " << to_string(j.result);
  if (j.result != verdict::valid) os << " (" << j.exception << "): " << j.message;
  os << '\n';
  for (const diagnostic& n : j.notes) {
    os << "  note: " << (n.pointer.empty() ? "(root)" : n.pointer) << ": " << n.message << '\n';
  }
}

// Calls `each(label, body, out_of_memory)` for every body of every input
// (out_of_memory: the body did not fit in memory, and `body` is empty);
// returns the worst exit code for unreadable inputs (0 when all were read).
int for_each_body(const judge_options& o,
                  const std::function<void(const std::string&, std::string_view, bool)>& each) {
  int code = exit_valid;
  for (const std::string& file : o.files) {
    const std::string name = file == "-" ? "<stdin>" : file;
    bool ok;
    int err = 0;  // why a read failed: saved before anything else can set errno
    errno = 0;
    if (o.jsonl) {
      ok = for_each_line(file, o.opts.limits.size_bound(),
                         [&](std::size_t line, std::string_view body, bool out_of_memory) {
                           each(name + ":" + std::to_string(line), body, out_of_memory);
                         });
      err = errno;
    } else {
      std::optional<std::string> body;
      bool out_of_memory = false;
      try {
        body = read_bounded(file, o.opts.limits.size_bound());
      } catch (const std::bad_alloc&) {
        out_of_memory = true;  // read, but too big to hold: judged as such below
      }
      err = errno;
      ok = out_of_memory || body.has_value();
      if (ok) each(name, body ? std::string_view(*body) : std::string_view(), out_of_memory);
    }
    if (!ok) {
      // (writing to std::cerr flushes std::cout first, which may fail and set errno)
      std::cerr << "spe: cannot read '" << name << "'" << os_reason(err) << '\n';
      code = exit_no_input;
    }
  }
  return code;
}

// The judgement of one body as read: a body that did not fit in memory is
// answered as the library answers one its reader could not hold.
const judgement& judge_read(validator& v, std::string_view body, bool out_of_memory,
                            const options& opts) {
  return out_of_memory ? v.judge_out_of_memory(opts) : v.judge(body, opts);
}

}  // namespace

int run_validate(args& a) {
  judge_options o = parse(a, true);
  validator v(o.model.load());
  int code = exit_valid;
  const int read_code = for_each_body(o, [&](const std::string& label, std::string_view body,
                                            bool out_of_memory) {
    const judgement& j = judge_read(v, body, out_of_memory, o.opts);
    code = worse(code, exit_code(j.result));
    if (o.json) {
      print_json(label, j);
    } else {
      print_human(label, j, std::cout);
    }
  });
  return worse(code, read_code);
}

int run_canon(args& a) {
  judge_options o = parse(a, false);
  validator v(o.model.load());
  int code = exit_valid;
  std::string out;
  const int read_code = for_each_body(o, [&](const std::string& label, std::string_view body,
                                            bool out_of_memory) {
    const judgement& j = judge_read(v, body, out_of_memory, o.opts);
    code = worse(code, exit_code(j.result));
    if (j.result != verdict::valid) {
      print_human(label, j, std::cerr);
      return;
    }
    out.clear();
    v.canonical(out);
    out += '\n';
    std::cout << out;
  });
  return worse(code, read_code);
}

}  // namespace spe::cli
