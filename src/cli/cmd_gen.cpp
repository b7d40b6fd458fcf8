// `spe gen --revision R --out DIR [--seed S] [--random N]`: writes the
// labelled corpus of a revision (SPEC.md section 5; corpus.hpp says what it
// holds) as one file per body plus manifest.jsonl, one label per line, in
// file order. The same revision, seed and count give the same bytes.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>
#include <string_view>
#include <system_error>
#include <thread>

#include "cli/cli.hpp"
#include "cli/corpus.hpp"

namespace spe::cli {

const char* const gen_usage =
    "usage: spe gen [--revision R | --model FILE [--operation NAME]] --out DIR\n"
    "               [--seed S] [--random N] [--jobs J] [--force] [--size-bound]\n"
    "\n"
    "Writes a labelled corpus of request bodies into DIR: the boundary set of the\n"
    "revision (every bound just inside and just outside, near misses of every\n"
    "pattern, missing, null and wrongly typed members, the JSON hazards) and N\n"
    "random valid and single-fault bodies (default 200) drawn with seed S (default\n"
    "1). manifest.jsonl labels each file: {\"file\", \"revision\", \"expect\",\n"
    "\"exception\", \"errors\": [{\"pointer\", \"constraint\", \"bound\"}], \"why\"}, and\n"
    "\"strict\": true for bodies to judge with --strict; it appears last, once every\n"
    "body and label is on disk. DIR must hold no corpus yet; --force first deletes\n"
    "its *.json files and manifest. --jobs draws bodies on J threads (default: the\n"
    "machine's cores, at most 8); the output is the same.\n"
    "--size-bound adds two 8 MiB bodies to the boundary set: a valid one exactly at\n"
    "the size bound and a malformed one a byte past it (left out by default: 16 MiB).\n";

namespace {

namespace fs = std::filesystem;

template <class T>
T parse_count(const std::string& text, std::string_view option) {
  T v{};
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size()) {
    throw usage_error{std::string(option) + " needs a non-negative integer, got '" + text + "'"};
  }
  return v;
}

// Where the manifest is written until the corpus is whole.
constexpr std::string_view partial_manifest = "manifest.jsonl.partial";

bool is_corpus_file(const fs::path& p) {
  return p.filename() == "manifest.jsonl" || p.filename() == partial_manifest || p.extension() == ".json";
}

bool holds_corpus(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const fs::path& p = e.path();
    if (is_corpus_file(p)) return true;
  }
  return false;
}

void clear_corpus(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const fs::path& p = e.path();
    if (e.is_regular_file() && is_corpus_file(p)) {
      doomed.push_back(p);
    }
  }
  for (const fs::path& p : doomed) fs::remove(p, ec);
}

bool write_file(const fs::path& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace

int run_gen(args& a) {
  model_choice choice;
  std::optional<std::string> out;
  corpus_settings settings;
  settings.jobs = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  bool force = false;
  while (!a.done()) {
    if (choice.take(a)) continue;
    if (auto o = a.option("--out")) {
      out = *o;
    } else if (auto s = a.option("--seed")) {
      settings.seed = parse_count<std::uint64_t>(*s, "--seed");
    } else if (auto n = a.option("--random")) {
      settings.random = parse_count<std::size_t>(*n, "--random");
    } else if (auto j = a.option("--jobs")) {
      settings.jobs = parse_count<unsigned>(*j, "--jobs");
      if (settings.jobs == 0 || settings.jobs > 64) throw usage_error{"--jobs takes 1 to 64"};
    } else if (a.flag("--force")) {
      force = true;
    } else if (a.flag("--size-bound")) {
      settings.size_hazard = true;
    } else {
      throw usage_error{"unknown argument '" + std::string(a.peek()) + "'"};
    }
  }
  if (!out) throw usage_error{"--out DIR is required"};
  const model::service_model& m = choice.load();
  if (!m.input()->finite) {
    // Every label would be wrong: the body that each one edits is invalid.
    std::cerr << "spe gen: no request of this model is valid: the required members of "
              << m.input()->name << " (and lists' minimum counts) recurse without end\n";
    return exit_usage;
  }

  const fs::path dir(*out);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir)) {
    std::cerr << "spe gen: cannot create directory '" << *out << "'\n";
    return exit_output;
  }
  if (holds_corpus(dir)) {
    if (!force) {
      std::cerr << "spe gen: '" << *out << "' already holds a corpus (--force replaces it)\n";
      return exit_usage;
    }
    clear_corpus(dir);
  }

  // The manifest goes to disk line by line as the bodies do (a corpus of
  // millions of bodies must not hold its labels in memory), under a
  // temporary name that becomes manifest.jsonl only once every body and
  // label is written: a manifest.jsonl always describes a whole corpus.
  const fs::path manifest_path = dir / "manifest.jsonl";
  const fs::path partial_path = dir / partial_manifest;
  std::FILE* manifest = std::fopen(partial_path.c_str(), "wb");
  if (!manifest) {
    std::cerr << "spe gen: cannot write '" << partial_path.string() << "'\n";
    return exit_output;
  }
  std::size_t index = 0;
  std::size_t counts[3] = {0, 0, 0};
  bool failed = false;
  try {
    make_corpus(m, settings, [&](corpus_item& item) {
      if (failed) return;
      const std::string name = corpus_file_name(index++, item.tag);
      if (!write_file(dir / name, item.json)) {
        std::cerr << "spe gen: cannot write '" << (dir / name).string() << "'\n";
        failed = true;
        return;
      }
      const std::string line = manifest_line(name, m.revision(), item);
      if (std::fwrite(line.data(), 1, line.size(), manifest) != line.size()) {
        std::cerr << "spe gen: cannot write '" << partial_path.string() << "'\n";
        failed = true;
        return;
      }
      ++counts[static_cast<std::size_t>(item.expect)];
    });
  } catch (const std::bad_alloc&) {
    std::cerr << "spe gen: out of memory after " << index << " bodies\n";
    failed = true;
  }
  const bool closed = std::fclose(manifest) == 0;
  if (!failed && !closed) std::cerr << "spe gen: cannot write '" << partial_path.string() << "'\n";
  if (failed || !closed) {
    fs::remove(partial_path, ec);
    return exit_output;
  }
  fs::rename(partial_path, manifest_path, ec);
  if (ec) {
    std::cerr << "spe gen: cannot write '" << manifest_path.string() << "': " << ec.message() << "\n";
    fs::remove(partial_path, ec);
    return exit_output;
  }
  std::cout << "spe gen: " << index << " bodies of revision " << m.revision() << " in " << *out
            << " (" << counts[0] << " valid, " << counts[1] << " invalid, " << counts[2]
            << " malformed; seed " << settings.seed << ", " << settings.random << " random)\n";
  return exit_valid;
}

}  // namespace spe::cli
