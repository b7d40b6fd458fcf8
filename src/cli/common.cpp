// Argument scanning, model loading, bounded reading and JSON output for the
// `spe` commands. Input is read in bounded pieces so that a 10 GiB file or
// line costs at most the size bound in memory, never the whole file.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.hpp"
#include "spe/json.hpp"

namespace spe::cli {

std::optional<std::string> args::option(std::string_view name) {
  if (done()) return std::nullopt;
  std::string_view a = peek();
  if (a == name) {
    ++i_;
    if (done()) throw usage_error{std::string(name) + " needs a value"};
    return std::string(next());
  }
  if (a.size() > name.size() && a.substr(0, name.size()) == name && a[name.size()] == '=') {
    ++i_;
    return std::string(a.substr(name.size() + 1));
  }
  return std::nullopt;
}

bool args::flag(std::string_view name) {
  if (done() || peek() != name) return false;
  ++i_;
  return true;
}

bool model_choice::take(args& a) {
  if (auto v = a.option("--revision")) {
    revision = *v;
    revision_given_ = true;
    return true;
  }
  if (auto v = a.option("--model")) {
    model_file = *v;
    return true;
  }
  if (auto v = a.option("--operation")) {
    operation = *v;
    operation_given_ = true;
    return true;
  }
  return false;
}

const model::service_model& model_choice::load() {
  if (revision_given_ && !model_file.empty()) {
    throw usage_error{"--revision and --model exclude each other (a model file is its own revision)"};
  }
  if (operation_given_ && model_file.empty()) throw usage_error{"--operation needs --model"};
  if (model_file.empty()) {
    const model::service_model* m = model::builtin(revision);
    if (!m) {
      std::string known;
      for (std::string_view r : model::builtin_revisions()) {
        known += known.empty() ? "" : ", ";
        known += r;
      }
      throw usage_error{"unknown revision '" + revision + "' (known: " + known + ")"};
    }
    return *m;
  }
  // Bounded like a body: /dev/zero or a wrong path must not fill memory.
  errno = 0;
  auto text = read_bounded(model_file, max_model_file);
  if (!text) throw usage_error{"cannot read model file '" + model_file + "'" + os_reason(errno)};
  if (text->size() > max_model_file) {
    throw usage_error{"model file '" + model_file + "' is larger than " +
                      std::to_string(max_model_file) + " bytes"};
  }
  source_ = std::move(*text);
  auto r = model::load(source_, operation, model_file);
  if (!r) throw usage_error{"cannot load model '" + model_file + "': " + r.error().message};
  loaded_ = std::make_unique<model::service_model>(std::move(*r));
  return *loaded_;
}

std::string_view model_choice::source() const {
  return model_file.empty() ? model::builtin_source(revision) : std::string_view(source_);
}

std::string os_reason(int err) { return err ? std::string(": ") + std::strerror(err) : std::string(); }

namespace {

// A file opened for reading, closed on every way out (an allocation that
// throws included); stdin is borrowed, never closed.
struct input_file {
  std::FILE* f;
  explicit input_file(const std::string& path) : f(path == "-" ? stdin : std::fopen(path.c_str(), "rb")) {}
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  ~input_file() {
    if (f && f != stdin) {
      const int err = errno;  // the caller's reason survives the close
      std::fclose(f);
      errno = err;
    }
  }
  // Whether reading failed; errno then says why.
  bool failed() const { return std::ferror(f) != 0; }
};

// A JSON Lines line with no JSON text: nothing but spaces, tabs and CRs
// (the CR of a CRLF ending, or any other: all are JSON whitespace).
bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::optional<std::string> read_bounded(const std::string& path, std::size_t limit) {
  const input_file in(path);
  if (!in.f) return std::nullopt;
  // limit + 1 bytes at most, saturating: SIZE_MAX + 1 would be 0.
  const std::size_t most = limit < SIZE_MAX ? limit + 1 : limit;
  std::string data;
  char buf[1 << 16];
  while (data.size() < most) {
    const std::size_t want = std::min(sizeof buf, most - data.size());
    const std::size_t got = std::fread(buf, 1, want, in.f);
    data.append(buf, got);
    if (got < want) break;
  }
  if (in.failed()) return std::nullopt;
  return data;
}

bool for_each_line(const std::string& path, std::size_t limit,
                   const std::function<void(std::size_t, std::string_view, bool)>& each) {
  const input_file in(path);
  if (!in.f) return false;
  const std::size_t most = limit < SIZE_MAX ? limit + 1 : limit;  // saturating
  std::string line;
  std::size_t number = 1;
  bool pending = false;   // bytes since the last newline
  bool text = false;      // one of them is not blank, kept or cut off
  bool answered = false;  // this line has been passed already: skip to its end
  std::size_t seen = 0;   // how many, kept or cut off
  // Passes the line early: past the bound, or out of memory. What follows
  // may never end, so the answer is written out before reading on.
  const auto answer_now = [&](bool out_of_memory) {
    if (out_of_memory) std::string().swap(line);  // give the memory back first
    each(number, line, out_of_memory);
    std::cout.flush();
    answered = true;
    std::string().swap(line);
  };
  char buf[1 << 16];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, in.f)) > 0) {
    const char* p = buf;
    const char* end = buf + got;
    while (p < end) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const char* stop = nl ? nl : end;
      const std::string_view piece(p, static_cast<std::size_t>(stop - p));
      pending = true;
      if (!answered) {
        text = text || !blank(piece);
        seen += piece.size();
        try {
          line.append(piece.substr(0, most - line.size()));
        } catch (const std::bad_alloc&) {
          answer_now(true);
        }
        // Two bytes past the bound, the line is too long even if its last
        // one turns out to be the CR of a CRLF ending (which does not count).
        if (!answered && text && seen > most) answer_now(false);
      }
      if (!nl) break;
      if (!answered) {
        // The CR of a CRLF ending ends the line; it is not the body's, so it
        // does not count against the size bound.
        if (seen == line.size() && !line.empty() && line.back() == '\r') line.pop_back();
        if (text) each(number, line, false);
      }
      ++number;
      line.clear();
      pending = false;
      text = false;
      answered = false;
      seen = 0;
      p = nl + 1;
    }
  }
  if (pending && text && !answered) each(number, line, false);
  return !in.failed();
}

namespace {

// The length of the well-formed UTF-8 sequence that starts at s[i], or 0
// when the byte there does not start one.
std::size_t well_formed_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  bool ok = len != 0 && i + len <= s.size() && c >= 0xC2 && c <= 0xF4;
  for (std::size_t k = 1; ok && k < len; ++k) {
    ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  }
  if (ok && len == 3) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
  }
  if (ok && len == 4) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
  }
  return ok ? len : 0;
}

}  // namespace

void json_string(std::string& out, std::string_view s) {
  // Each byte that does not start a well-formed sequence becomes U+FFFD;
  // the copy is made only when there is such a byte.
  std::string clean;
  std::size_t kept = 0;  // s[kept, i) is not yet in `clean`
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = well_formed_length(s, i);
    if (len != 0) {
      i += len;
      continue;
    }
    clean.append(s, kept, i - kept);
    clean += "\xEF\xBF\xBD";
    kept = ++i;
  }
  if (kept == 0) {
    json::append_string(out, s);
    return;
  }
  clean.append(s, kept);
  json::append_string(out, clean);
}

int worse(int a, int b) {
  auto rank = [](int c) { return c == exit_no_input ? 3 : c; };
  return rank(a) >= rank(b) ? a : b;
}

int exit_code(verdict v) {
  switch (v) {
    case verdict::valid: return exit_valid;
    case verdict::invalid: return exit_invalid;
    case verdict::malformed: return exit_malformed;
  }
  return exit_malformed;
}

}  // namespace spe::cli
