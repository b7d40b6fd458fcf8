// `spe diff --against COMMAND DIR`: replays a labelled corpus (SPEC.md
// section 5) through another implementation and reports every body where
// its verdict or its error set differs from the corpus's labels.
//
// The peer speaks the protocol of peer.hpp (written out in the README). For
// each manifest line spe runs the peer on the body and compares: first the
// outcome (a timeout, a crash, an exit status outside 0/1/2 or output that
// is not the protocol's JSON are disagreements of their own kinds), then
// the verdict, then -- when the peer printed its errors -- the set of
// (pointer, constraint) pairs, both ways: labels the peer missed and errors
// it added. Disagreements are grouped by kind for a table, and listed one by
// one; --json prints the same as one JSON object.
//
// --expect-classes FILE names the differences that are known and
// documented (botocore does not check patterns, ...): each missed or added
// error is attributed to the first class that lists its constraint kind,
// and the run passes when every disagreement is explained that way. A
// timeout or crash is never explained.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "cli/cli.hpp"
#include "cli/peer.hpp"
#include "spe/json.hpp"

namespace spe::cli {

const char* const diff_usage =
    "usage: spe diff --against COMMAND [--batch] [--timeout SECONDS]\n"
    "                [--expect-classes FILE] [--json] DIR\n"
    "\n"
    "Replays the corpus DIR (manifest.jsonl and its bodies, as `spe gen` writes)\n"
    "through COMMAND, run as `sh -c COMMAND` once per body: the body on stdin, the\n"
    "revision in SPE_REVISION, SPE_STRICT=1 when the body is labelled strict. The\n"
    "command exits 0 to accept, 1 to reject, 2 for malformed, and may print one JSON\n"
    "object {\"errors\":[{\"pointer\":...,\"constraint\":...}]}. --batch starts COMMAND once\n"
    "and sends one request line per body (see the README). Each body has a deadline\n"
    "(--timeout, default 10 seconds). Prints every disagreement with the labels,\n"
    "grouped by kind (--json: as one JSON object). --expect-classes FILE lists the\n"
    "known classes of difference; then only unexplained disagreements fail.\n"
    "Exit: 0 no (unexplained) disagreement, 1 some, 64 bad usage, 66 corpus unreadable,\n"
    "74 the output could not be written.\n";

namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_manifest_line = std::size_t{1} << 20;
constexpr std::size_t max_body = std::size_t{64} << 20;

struct error_key {
  std::string pointer;
  std::string constraint;
  friend auto operator<=>(const error_key&, const error_key&) = default;
};

struct entry {
  std::size_t line = 0;
  std::string file;
  std::string revision;
  std::string expect;
  std::string why;
  bool strict = false;
  std::set<error_key> errors;
  std::map<error_key, std::string> bounds;  // each label's bound, where it has one
};

struct known_class {
  std::string name;
  std::string why;
  std::set<std::string> missing;
  std::set<std::string> extra;
  std::set<std::string> expect;  // empty: any
  std::set<std::string> peer;    // empty: any
  std::set<std::string> bound;   // a missed error's label bound is one of these; empty: any
  std::size_t bodies = 0;

  bool applies(const std::string& e, const std::string& p) const {
    return (expect.empty() || expect.count(e)) && (peer.empty() || peer.count(p));
  }
};

struct disagreement {
  const entry* about = nullptr;
  std::string kind;   // verdict, errors, timeout, crash, exit-status, bad-output, not-run
  std::string peer;   // the peer's verdict, or its failure
  std::string detail;
  std::string stderr_tail;
  std::vector<error_key> missing;  // labelled, not reported by the peer
  std::vector<error_key> extra;    // reported by the peer, not labelled
  std::vector<std::string> classes;
  bool explained = false;

  std::string group() const {
    return kind == "verdict" ? "verdict " + about->expect + " -> " + peer : kind;
  }
};

// ---- reading JSON with spe's own strict reader ---------------------------

using json::document;
using json::kind;

std::uint32_t member(const document& d, std::uint32_t object, std::string_view key) {
  const json::node& o = d[object];
  if (o.type != kind::object) return 0;
  for (std::uint32_t i = object + 1; i < o.end; i = d[i].end) {
    if (d[i].key == key) return i;
  }
  return 0;  // 0 is the root: never a member
}

bool string_member(const document& d, std::uint32_t object, std::string_view key,
                   std::string& out) {
  const std::uint32_t i = member(d, object, key);
  if (i == 0 || d[i].type != kind::string) return false;
  out = d[i].text;
  return true;
}

// A JSON array of strings as a set; false when it is something else.
bool string_set(const document& d, std::uint32_t i, std::set<std::string>& out) {
  if (d[i].type != kind::array) return false;
  for (std::uint32_t k = i + 1; k < d[i].end; k = d[k].end) {
    if (d[k].type != kind::string) return false;
    out.emplace(d[k].text);
  }
  return true;
}

// Whether `name` is one of SPEC.md section 4's constraint kinds.
bool constraint_name(std::string_view name) {
  for (std::size_t k = 0; k < constraint_count; ++k) {
    if (to_string(static_cast<constraint>(k)) == name) return true;
  }
  return false;
}

// The "errors" member: an array of {"pointer","constraint",...}. Returns
// false when it is not that shape; `present` tells whether it was there.
// With `bounds`, each item's "bound" (a string, when there is one) is kept.
bool error_list(const document& d, std::uint32_t object, std::set<error_key>& out, bool& present,
                std::map<error_key, std::string>* bounds = nullptr) {
  const std::uint32_t list = member(d, object, "errors");
  present = list != 0 && d[list].type != kind::null;
  if (!present) return true;
  if (d[list].type != kind::array) return false;
  for (std::uint32_t k = list + 1; k < d[list].end; k = d[k].end) {
    error_key e;
    if (!string_member(d, k, "pointer", e.pointer) ||
        !string_member(d, k, "constraint", e.constraint)) {
      return false;
    }
    if (bounds) {
      std::string bound;
      if (string_member(d, k, "bound", bound)) (*bounds)[e] = std::move(bound);
    }
    out.insert(std::move(e));
  }
  return true;
}

struct bad_corpus {
  std::string message;
};

// Whether `rel` names a regular file inside `dir`, reached through no
// symbolic link: a corpus must not hand the peer a file from outside it
// (a link out), nor stall the run on a FIFO or a device, which block in
// open() before any deadline runs. (`..` and absolute paths are refused
// when the manifest is read.)
bool plain_file_inside(const fs::path& dir, const fs::path& rel) {
  std::error_code ec;
  fs::path at = dir;
  for (const fs::path& part : rel) {
    at /= part;
    const fs::file_status st = fs::symlink_status(at, ec);
    if (ec || fs::is_symlink(st)) return false;
  }
  return fs::is_regular_file(fs::symlink_status(at, ec)) && !ec;
}

std::vector<entry> read_manifest(const fs::path& dir) {
  std::vector<entry> entries;
  json::reader reader;
  document doc;
  const fs::path manifest = dir / "manifest.jsonl";
  if (!plain_file_inside(dir, "manifest.jsonl")) {
    throw bad_corpus{"cannot read " + manifest.string() + ": not a regular file (links are not followed)"};
  }
  std::string problem;
  const bool readable = for_each_line(
      manifest.string(), max_manifest_line, [&](std::size_t line, std::string_view text, bool out_of_memory) {
        if (!problem.empty()) return;
        auto fail = [&](const std::string& what) {
          problem = manifest.string() + ":" + std::to_string(line) + ": " + what;
        };
        if (out_of_memory) return fail("out of memory");
        // A line cut at the bound would be read as its first MiB.
        if (text.size() > max_manifest_line) return fail("longer than 1 MiB");
        if (reader.read(text, {}, doc).code != json::error_code::ok) return fail("not JSON");
        // Readers differ on a repeated name (spe's first, Python's last):
        // a label that two tools read two ways labels nothing.
        if (doc.first_duplicate() != 0) {
          return fail("repeats the member '" + std::string(doc[doc.first_duplicate()].key) + "'");
        }
        if (doc.root().type != kind::object) return fail("not a JSON object");
        entry e;
        e.line = line;
        bool present = false;
        if (!string_member(doc, 0, "file", e.file) || !string_member(doc, 0, "revision", e.revision) ||
            !string_member(doc, 0, "expect", e.expect)) {
          return fail("needs string members file, revision and expect");
        }
        if (e.expect != "valid" && e.expect != "invalid" && e.expect != "malformed") {
          return fail("expect must be valid, invalid or malformed");
        }
        if (const std::uint32_t x = member(doc, 0, "exception"); x != 0 && doc[x].type != kind::null) {
          const std::string_view ex = doc[x].type == kind::string ? doc[x].text : "?";
          if (ex != "" && ex != "ValidationException" && ex != "SerializationException") {
            return fail("exception must be ValidationException, SerializationException or empty");
          }
        }
        const fs::path rel(e.file);
        if (e.file.empty() || rel.is_absolute() ||
            std::any_of(rel.begin(), rel.end(), [](const fs::path& p) { return p == ".."; })) {
          return fail("file must be a relative path inside the corpus");
        }
        if (!error_list(doc, 0, e.errors, present, &e.bounds)) {
          return fail("errors must be [{pointer, constraint}]");
        }
        for (const error_key& k : e.errors) {
          if (!constraint_name(k.constraint)) {
            return fail("constraint '" + k.constraint + "' is not a constraint kind (SPEC.md section 4)");
          }
        }
        (void)string_member(doc, 0, "why", e.why);
        if (const std::uint32_t s = member(doc, 0, "strict"); s != 0) {
          if (doc[s].type != kind::boolean) return fail("strict must be true or false");
          e.strict = doc[s].boolean;
        }
        entries.push_back(std::move(e));
      });
  if (!readable) throw bad_corpus{"cannot read " + manifest.string()};
  if (!problem.empty()) throw bad_corpus{problem};
  return entries;
}

std::vector<known_class> read_classes(const std::string& path) {
  auto text = read_bounded(path, max_manifest_line * 16);
  if (!text) throw usage_error{"cannot read --expect-classes file '" + path + "'"};
  json::reader reader;
  document d;
  if (reader.read(*text, {}, d).code != json::error_code::ok || d.root().type != kind::array) {
    throw usage_error{"--expect-classes: '" + path + "' is not a JSON array"};
  }
  std::vector<known_class> classes;
  for (std::uint32_t i = 1; i < d.root().end; i = d[i].end) {
    known_class c;
    if (!string_member(d, i, "class", c.name)) {
      throw usage_error{"--expect-classes: every class needs a \"class\" name"};
    }
    (void)string_member(d, i, "why", c.why);
    for (auto [key, set] : {std::pair<const char*, std::set<std::string>*>{"missing", &c.missing},
                            {"extra", &c.extra},
                            {"expect", &c.expect},
                            {"peer", &c.peer},
                            {"bound", &c.bound}}) {
      const std::uint32_t m = member(d, i, key);
      if (m != 0 && !string_set(d, m, *set)) {
        throw usage_error{"--expect-classes: class '" + c.name + "': " + key +
                          " must be an array of strings"};
      }
    }
    // A constraint name spelled wrong would explain nothing, silently.
    for (auto [key, set] : {std::pair<const char*, const std::set<std::string>*>{"missing", &c.missing},
                            {"extra", &c.extra}}) {
      for (const std::string& name : *set) {
        if (!constraint_name(name)) {
          throw usage_error{"--expect-classes: class '" + c.name + "': " + key + " names '" + name +
                            "', which is not a constraint kind (SPEC.md section 4)"};
        }
      }
    }
    classes.push_back(std::move(c));
  }
  return classes;
}

// ---- judging one body ------------------------------------------------------

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

const char* verdict_of_exit(long code) {
  switch (code) {
    case 0: return "valid";
    case 1: return "invalid";
    case 2: return "malformed";
    default: return nullptr;
  }
}

std::string signal_name(int sig) {
  const char* d = ::sigabbrev_np(sig);
  return d ? std::string("SIG") + d : "signal " + std::to_string(sig);
}

// Compares the peer's outcome with the labels; nullopt when they agree.
std::optional<disagreement> compare(const entry& e, peer_outcome&& o, json::reader& reader,
                                    document& doc) {
  disagreement d;
  d.about = &e;
  d.stderr_tail = std::move(o.err);
  std::string_view output;
  long code = -1;
  switch (o.how) {
    case peer_outcome::status::timed_out:
      d.kind = d.peer = "timeout";
      d.detail = "no answer before the deadline; killed";
      return d;
    case peer_outcome::status::signalled:
      d.kind = d.peer = "crash";
      d.detail = "killed by " + signal_name(o.code);
      if (!o.detail.empty()) d.detail += " (" + o.detail + ")";
      return d;
    case peer_outcome::status::failed:
      d.kind = d.peer = "not-run";
      d.detail = o.detail;
      return d;
    case peer_outcome::status::exited:
      code = o.code;
      output = trim(o.out);
      break;
    case peer_outcome::status::replied: {
      output = trim(o.out);
      if (reader.read(output, {}, doc).code != json::error_code::ok ||
          doc.root().type != kind::object) {
        d.kind = d.peer = "bad-output";
        d.detail = "the batch reply is not a JSON object";
        return d;
      }
      const std::uint32_t x = member(doc, 0, "exit");
      if (x == 0 || doc[x].type != kind::number || !doc[x].integral || !doc[x].fits_int64) {
        d.kind = d.peer = "bad-output";
        d.detail = "the batch reply has no integer \"exit\"";
        return d;
      }
      code = static_cast<long>(doc[x].integer);
      // A reply may name its body: then a peer out of step (a stray line
      // taken for the next reply) is caught instead of misattributed.
      if (const std::uint32_t f = member(doc, 0, "file"); f != 0) {
        if (doc[f].type != kind::string || doc[f].text != e.file) {
          d.kind = d.peer = "bad-output";
          d.detail = "the batch reply names another body than " + e.file + ": the peer is out of step";
          return d;
        }
      }
      break;
    }
  }
  const char* peer_verdict = verdict_of_exit(code);
  if (!peer_verdict) {
    d.kind = "exit-status";
    d.peer = "exit " + std::to_string(code);
    d.detail = "exit status " + std::to_string(code) + " (the protocol has 0, 1 and 2)";
    return d;
  }
  d.peer = peer_verdict;

  // The peer's errors, when it printed them (and said the body is wrong).
  std::set<error_key> reported;
  bool has_errors = false;
  if (!output.empty()) {
    const bool parsed = o.how == peer_outcome::status::replied ||
                        (reader.read(output, {}, doc).code == json::error_code::ok &&
                         doc.root().type == kind::object);
    if (!parsed || !error_list(doc, 0, reported, has_errors)) {
      d.kind = "bad-output";
      d.detail = "output is not one JSON object with errors [{pointer, constraint}]";
      return d;
    }
  }
  if (d.peer == "valid") {
    has_errors = true;  // accepting a body is saying it has no errors
    reported.clear();
  }
  if (has_errors) {
    std::set_difference(e.errors.begin(), e.errors.end(), reported.begin(), reported.end(),
                        std::back_inserter(d.missing));
    std::set_difference(reported.begin(), reported.end(), e.errors.begin(), e.errors.end(),
                        std::back_inserter(d.extra));
  }
  if (d.peer != e.expect) {
    d.kind = "verdict";
  } else if (!d.missing.empty() || !d.extra.empty()) {
    d.kind = "errors";
  } else {
    return std::nullopt;
  }
  return d;
}

void explain(disagreement& d, std::vector<known_class>& classes) {
  static const std::set<std::string> failures = {"timeout", "crash", "not-run", "exit-status",
                                                 "bad-output"};
  if (failures.count(d.kind)) return;
  const std::string& expect = d.about->expect;
  std::set<std::size_t> used;
  bool all = true;
  auto attribute = [&](const error_key& k, bool missing) {
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const auto& kinds = missing ? classes[i].missing : classes[i].extra;
      // A bound filter scopes the missed labels (the peer's own errors carry none).
      const auto b = d.about->bounds.find(k);
      const bool bound_ok = !missing || classes[i].bound.empty() ||
                            (b != d.about->bounds.end() && classes[i].bound.count(b->second));
      if (kinds.count(k.constraint) && bound_ok && classes[i].applies(expect, d.peer)) {
        used.insert(i);
        return;
      }
    }
    all = false;
  };
  for (const error_key& k : d.missing) attribute(k, true);
  for (const error_key& k : d.extra) attribute(k, false);
  if (d.missing.empty() && d.extra.empty()) {
    // A verdict alone differs (the peer printed no errors): a class that
    // names no constraint kinds, only verdicts, explains it.
    all = false;
    for (std::size_t i = 0; i < classes.size(); ++i) {
      if (classes[i].missing.empty() && classes[i].extra.empty() &&
          classes[i].applies(expect, d.peer)) {
        used.insert(i);
        all = true;
        break;
      }
    }
  }
  d.explained = all;
  for (std::size_t i : used) {
    d.classes.push_back(classes[i].name);
    ++classes[i].bodies;
  }
}

// ---- reporting ---------------------------------------------------------------

void json_errors(std::string& out, const std::vector<error_key>& list) {
  out += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    out += "{\"pointer\":";
    json_string(out, list[i].pointer);
    out += ",\"constraint\":";
    json_string(out, list[i].constraint);
    out += '}';
  }
  out += ']';
}

std::string human_errors(const std::vector<error_key>& list) {
  std::string s;
  for (const error_key& k : list) {
    if (!s.empty()) s += ", ";
    // "" is the root; "/" would be the pointer of a member named "".
    s += (k.pointer.empty() ? "(root)" : k.pointer) + " " + k.constraint;
  }
  return s;
}

struct summary {
  std::string corpus;
  std::string command;
  std::size_t bodies = 0;
  std::vector<disagreement> found;
  std::vector<known_class> classes;
  bool with_classes = false;

  std::size_t unexplained() const {
    return static_cast<std::size_t>(
        std::count_if(found.begin(), found.end(), [](const disagreement& d) { return !d.explained; }));
  }
  std::vector<std::pair<std::string, std::size_t>> groups() const {
    std::map<std::string, std::size_t> counts;
    for (const disagreement& d : found) ++counts[d.group()];
    return {counts.begin(), counts.end()};
  }
};

void print_json(const summary& s) {
  std::string out = "{\"corpus\":";
  json_string(out, s.corpus);
  out += ",\"command\":";
  json_string(out, s.command);
  out += ",\"bodies\":" + std::to_string(s.bodies);
  out += ",\"agree\":" + std::to_string(s.bodies - s.found.size());
  out += ",\"disagree\":" + std::to_string(s.found.size());
  out += ",\"unexplained\":" + std::to_string(s.with_classes ? s.unexplained() : s.found.size());
  out += ",\"groups\":[";
  bool first = true;
  for (const auto& [group, count] : s.groups()) {
    out += first ? "" : ",";
    first = false;
    out += "{\"group\":";
    json_string(out, group);
    out += ",\"bodies\":" + std::to_string(count) + "}";
  }
  out += "],\"classes\":[";
  for (std::size_t i = 0; i < s.classes.size(); ++i) {
    out += i ? "," : "";
    out += "{\"class\":";
    json_string(out, s.classes[i].name);
    out += ",\"why\":";
    json_string(out, s.classes[i].why);
    out += ",\"bodies\":" + std::to_string(s.classes[i].bodies) + "}";
  }
  out += "],\"disagreements\":[";
  for (std::size_t i = 0; i < s.found.size(); ++i) {
    const disagreement& d = s.found[i];
    out += i ? ",\n" : "\n";
    out += "{\"file\":";
    json_string(out, d.about->file);
    out += ",\"revision\":";
    json_string(out, d.about->revision);
    out += d.about->strict ? ",\"strict\":true" : ",\"strict\":false";
    out += ",\"why\":";
    json_string(out, d.about->why);
    out += ",\"kind\":";
    json_string(out, d.kind);
    out += ",\"expect\":";
    json_string(out, d.about->expect);
    out += ",\"peer\":";
    json_string(out, d.peer);
    out += ",\"missing\":";
    json_errors(out, d.missing);
    out += ",\"extra\":";
    json_errors(out, d.extra);
    out += ",\"detail\":";
    json_string(out, d.detail);
    out += ",\"stderr\":";
    json_string(out, d.stderr_tail);
    out += ",\"classes\":[";
    for (std::size_t k = 0; k < d.classes.size(); ++k) {
      out += k ? "," : "";
      json_string(out, d.classes[k]);
    }
    out += "],\"explained\":";
    out += d.explained ? "true" : "false";
    out += '}';
  }
  out += "]}\n";
  std::cout << out;
}

void print_human(const summary& s) {
  std::ostream& os = std::cout;
  os << "spe diff: " << s.bodies << " bodies, " << s.bodies - s.found.size() << " agree, "
     << s.found.size() << " disagree";
  if (s.with_classes) os << " (" << s.unexplained() << " unexplained)";
  os << "\n  corpus: " << s.corpus << "\n  peer:   " << s.command << "\n";
  if (s.found.empty()) return;

  auto row = [&](const std::string& name, std::size_t count, const std::string& why) {
    std::string line = "  " + name;
    line.resize(std::max<std::size_t>(line.size() + 1, 34), ' ');
    std::string n = std::to_string(count);
    line += std::string(n.size() < 6 ? 6 - n.size() : 0, ' ') + n;
    if (!why.empty()) line += "  " + why;
    os << line << '\n';
  };
  os << "\n  kind                            bodies\n";
  for (const auto& [group, count] : s.groups()) row(group, count, "");
  if (s.with_classes) {
    os << "\n  class                           bodies  why\n";
    for (const known_class& c : s.classes) row(c.name, c.bodies, c.why);
    row("(unexplained)", s.unexplained(), "");
  }
  os << "\n";
  for (const disagreement& d : s.found) {
    os << (s.with_classes && !d.explained ? "! " : "  ") << d.about->file << ": " << d.group();
    if (!d.classes.empty()) {
      os << " [";
      for (std::size_t k = 0; k < d.classes.size(); ++k) os << (k ? ", " : "") << d.classes[k];
      os << "]";
    }
    os << "\n      why: " << d.about->why << '\n';
    if (!d.missing.empty()) os << "      missed: " << human_errors(d.missing) << '\n';
    if (!d.extra.empty()) os << "      added:  " << human_errors(d.extra) << '\n';
    if (!d.detail.empty()) os << "      " << d.detail << '\n';
    if (!d.stderr_tail.empty() && d.kind != "verdict" && d.kind != "errors") {
      os << "      stderr: " << trim(d.stderr_tail).substr(0, 300) << '\n';
    }
  }
}

double parse_seconds(const std::string& text) {
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  // Deadlines are kept in whole milliseconds: less would be no time at all.
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || !(v >= 0.001) || v > 86400) {
    throw usage_error{"--timeout needs a number of seconds in [0.001, 86400], got '" + text + "'"};
  }
  return v;
}

}  // namespace

int run_diff(args& a) {
  std::optional<std::string> command;
  std::optional<std::string> classes_file;
  std::optional<std::string> dir;
  bool batch = false;
  bool as_json = false;
  double timeout = 10;
  while (!a.done()) {
    if (auto c = a.option("--against")) {
      command = *c;
    } else if (auto f = a.option("--expect-classes")) {
      classes_file = *f;
    } else if (auto t = a.option("--timeout")) {
      timeout = parse_seconds(*t);
    } else if (a.flag("--batch")) {
      batch = true;
    } else if (a.flag("--json")) {
      as_json = true;
    } else if (a.peek().starts_with("-") && a.peek() != "-") {
      throw usage_error{"unknown option '" + std::string(a.peek()) + "'"};
    } else if (!dir) {
      dir = a.next();
    } else {
      throw usage_error{"one corpus directory only"};
    }
  }
  if (!command) throw usage_error{"--against COMMAND is required"};
  if (!dir) throw usage_error{"the corpus directory is required"};

  summary s;
  s.corpus = *dir;
  s.command = *command;
  if (classes_file) {
    s.classes = read_classes(*classes_file);
    s.with_classes = true;
  }
  std::vector<entry> entries;
  try {
    entries = read_manifest(*dir);
  } catch (const bad_corpus& e) {
    std::cerr << "spe diff: " << e.message << '\n';
    return exit_no_input;
  }

  peer runner(*command, batch,
              std::chrono::milliseconds(static_cast<long long>(timeout * 1000 + 0.5)));
  json::reader reader;
  document doc;
  for (const entry& e : entries) {
    const fs::path path = fs::path(*dir) / e.file;
    const bool plain = plain_file_inside(*dir, e.file);
    auto body = plain ? read_bounded(path.string(), max_body) : std::nullopt;
    if (!body || body->size() > max_body) {
      std::cerr << "spe diff: cannot read " << path.string() << " (manifest line " << e.line << ")"
                << (plain ? "" : ": not a regular file inside the corpus (links are not followed)") << '\n';
      return exit_no_input;
    }
    ++s.bodies;
    auto d = compare(e, runner.judge({e.file, e.revision, e.strict, *body}), reader, doc);
    if (!d) continue;
    explain(*d, s.classes);
    s.found.push_back(std::move(*d));
  }

  if (as_json) {
    print_json(s);
  } else {
    print_human(s);
  }
  const std::size_t failing = s.with_classes ? s.unexplained() : s.found.size();
  return failing == 0 ? exit_valid : exit_invalid;
}

}  // namespace spe::cli
