// Driving the built `spe` binary from a test: a shell command run through
// popen, its standard output and exit status; and the manifest of a corpus
// that `spe gen` wrote. Shared by the tests of `spe gen` and `spe diff`.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace spe::testing {

// `s` as one single-quoted shell word.
inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct run_result {
  int code = -1;  // the exit status; -1 when the command did not exit (a signal) or did not start
  std::string out;
};

// Runs `command` with its standard error discarded.
inline run_result run(const std::string& command) {
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  run_result r;
  if (!p) return r;
  char buf[1 << 16];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The lines of dir/manifest.jsonl (SPEC.md section 5), parsed.
inline std::vector<nlohmann::json> read_manifest(const std::filesystem::path& dir) {
  std::ifstream in(dir / "manifest.jsonl");
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace spe::testing
