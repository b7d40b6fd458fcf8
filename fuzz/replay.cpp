// The replay main linked into every fuzz target when it is not built with a
// fuzzing engine: each argument, a file or a directory of files, is read and
// passed to LLVMFuzzerTestOneInput once. This is how ctest replays the
// corpora and regressions with any compiler, so the targets never rot.
//
// Directories are read one level deep in name order (stable output);
// entries whose names start with '.' (.gitkeep) are skipped. An input that
// breaks an invariant aborts inside the target; the handler below names the
// file first, so a ctest failure says which input to look at. Exit status:
// 0 when every input ran, 1 when an argument could not be read.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

// The input being run, for the crash handler (a fixed buffer: the handler
// may only call async-signal-safe functions).
char current[4096];

void on_crash(int sig) {
  static const char head[] = "\n==spe-replay== crashed on input: ";
  if (::write(2, head, sizeof head - 1) < 0) {}
  if (::write(2, current, std::strlen(current)) < 0) {}
  if (::write(2, "\n", 1) < 0) {}
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

bool run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", p.c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::snprintf(current, sizeof current, "%s", p.c_str());
  // A copy of exactly the input's size, so ASan sees reads past its end.
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  for (int sig : {SIGABRT, SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP}) ::signal(sig, on_crash);
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::size_t inputs = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::directory_iterator(arg, ec)) {
        if (e.path().filename().string().starts_with(".")) continue;
        if (e.is_regular_file(ec)) files.push_back(e.path());
      }
      if (ec) {
        std::fprintf(stderr, "replay: cannot list %s: %s\n", arg.c_str(), ec.message().c_str());
        ok = false;
        continue;
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        ok = run_file(f) && ok;
        ++inputs;
      }
    } else {
      ok = run_file(arg) && ok;
      ++inputs;
    }
  }
  std::printf("replay: %zu inputs from %d arguments, no invariant broken\n", inputs, argc - 1);
  return ok ? 0 : 1;
}
