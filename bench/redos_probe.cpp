// The ReDoS probe (issue 7): PipelineName = "a", then k hyphens, then "!",
// for k = 1e2 .. 1e6, through the regex engine of every peer, each match in
// a child process with a timeout.
//
// The seed pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255} fails on such a name
// only at the "!". Every repetition must end in a letter or digit, so there
// is one way to split the hyphens, and no exponential backtracking: what
// the probe shows is how each engine's cost grows with k -- a backtracking
// engine gives the hyphens back one at a time, and libstdc++'s std::regex
// recurses once per character, so it runs out of stack (at a k that depends
// on `ulimit -s`) long before it runs out of time. Each engine sees the pattern
// it would see in its peer: spe's automaton and the hand-written peers'
// std::wregex take the model's pattern, RapidJSON's internal regex and
// valijson's std::regex take the one in the JSON Schema that spe prints.
// "spe-judge" is the whole spe validator on a body holding the name, to
// show the judgement around the match is linear too.
//
// Parent:  spe_redos_probe [--schema=FILE] [--timeout=S] [--out=FILE.json]
//                          [--dat=FILE.dat] [--max-k=N]
// Child:   spe_redos_probe --child=ENGINE --k=K [--schema=FILE]
//          prints "<seconds per match> <matched 0|1> <repetitions>".
// A child that runs out of time is killed (by its pid); one that dies of a
// signal (libstdc++'s std::regex recurses once per character and overflows
// the stack) is reported as crashed. After an engine fails at some k, the
// larger k are not tried.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/internal/regex.h>

#include "hand_rules.hpp"
#include "peers.hpp"
#include "spe/model.hpp"
#include "spe/validate.hpp"

#ifndef SPE_BENCH_SCHEMA
#define SPE_BENCH_SCHEMA ""
#endif

namespace spe::bench {
namespace {

struct engine_info {
  const char* name;
  const char* peers;
  const char* source;  // where its pattern comes from
};

constexpr engine_info engines[] = {
    {"spe-automaton", "6", "model"},
    {"spe-judge", "6", "model"},
    {"std::wregex regex_match", "2, 3", "model, '.' rewritten"},
    {"rapidjson internal regex Search", "4", "JSON Schema"},
    {"std::regex regex_search", "5 (valijson)", "JSON Schema"},
};

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The pattern of property PipelineName in the JSON Schema: found under
// properties/PipelineName, following "$ref"s to #/definitions or #/$defs,
// and the first "pattern" below it (allOf/anyOf included).
// A local "$ref" ("#/$defs/X", "#/%24defs/X" or "#/definitions/X"), or null.
const rapidjson::Value* resolve(const rapidjson::Document& root, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  std::string path;  // without the "#/", and "%24" decoded to "$"
  for (std::size_t i = 2; i < ref.size(); ++i) {
    if (ref.compare(i, 3, "%24") == 0) {
      path += '$';
      i += 2;
    } else {
      path += ref[i];
    }
  }
  const rapidjson::Value* v = &root;
  std::istringstream parts(path);
  std::string part;
  while (v && std::getline(parts, part, '/')) {
    v = v->IsObject() && v->HasMember(part.c_str()) ? &(*v)[part.c_str()] : nullptr;
  }
  return v;
}

// The first "pattern" of a property's schema, following "$ref"s and
// allOf/anyOf/oneOf (optional members are anyOf [null, $ref]).
const rapidjson::Value* find_pattern(const rapidjson::Document& root, const rapidjson::Value& v,
                                     int depth) {
  if (depth > 16 || !v.IsObject()) return nullptr;
  if (v.HasMember("pattern") && v["pattern"].IsString()) return &v["pattern"];
  if (v.HasMember("$ref") && v["$ref"].IsString()) {
    if (const rapidjson::Value* to = resolve(root, v["$ref"].GetString())) {
      if (const auto* p = find_pattern(root, *to, depth + 1)) return p;
    }
  }
  for (const char* key : {"allOf", "anyOf", "oneOf"}) {
    if (v.HasMember(key) && v[key].IsArray()) {
      for (const auto& sub : v[key].GetArray()) {
        if (const auto* p = find_pattern(root, sub, depth + 1)) return p;
      }
    }
  }
  return nullptr;
}

// The PipelineName pattern of the JSON Schema at `path`, as spe prints it
// or respelled for `d` (what peers 4 and 5 run on).
std::optional<std::string> schema_pattern(const std::string& path, std::optional<dialect> d,
                                          std::string& why) {
  std::string text = read_file(path);
  if (d) {
    std::vector<std::string> notes;
    auto adapted = adapt_schema(text, *d, notes, why);
    if (!adapted) return std::nullopt;
    text = std::move(*adapted);
  }
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    why = "no readable JSON Schema at " + path;
    return std::nullopt;
  }
  // The request's schema: the root, or what its $ref names.
  const rapidjson::Value* root = &doc;
  for (int hops = 0; hops < 8 && root->IsObject() && root->HasMember("$ref") && (*root)["$ref"].IsString(); ++hops) {
    const rapidjson::Value* to = resolve(doc, (*root)["$ref"].GetString());
    if (!to) break;
    root = to;
  }
  if (root->IsObject() && root->HasMember("properties") && (*root)["properties"].IsObject() &&
      (*root)["properties"].HasMember("PipelineName")) {
    if (const auto* p = find_pattern(doc, (*root)["properties"]["PipelineName"], 0)) {
      return std::string(p->GetString(), p->GetStringLength());
    }
  }
  why = "the JSON Schema has no pattern for PipelineName";
  return std::nullopt;
}

std::string model_pattern(std::string& why) {
  const model::service_model* m = model::builtin("seed");
  const model::shape* in = m ? m->input() : nullptr;
  const int k = in ? in->find_member("PipelineName") : -1;
  if (k < 0) {
    why = "revision seed has no PipelineName";
    return {};
  }
  return in->members[static_cast<std::size_t>(k)].target->pattern;
}

// ---- the child --------------------------------------------------------------

int child(const std::string& engine, std::size_t k, const std::string& schema) {
  std::string name = "a" + std::string(k, '-') + "!";
  std::string why;
  std::function<bool()> match;

  // Kept alive for the lambdas.
  std::wstring wide;
  std::wregex wre;
  std::string body;
  std::unique_ptr<validator> judge;
  std::regex re;
  using rj_regex = rapidjson::internal::GenericRegex<rapidjson::UTF8<>>;
  std::unique_ptr<rj_regex> rj;

  const model::service_model* m = model::builtin("seed");
  if (engine == "spe-automaton") {
    const int i = m->input()->find_member("PipelineName");
    const auto* regex = m->input()->members[static_cast<std::size_t>(i)].target->regex.get();
    match = [regex, &name] { return regex->matcher.full_match(name); };
  } else if (engine == "spe-judge") {
    body = R"({"ClientRequestToken":")" + std::string(32, 't') + R"(","PipelineName":")" + name + "\"}";
    judge = std::make_unique<validator>(*m);
    match = [&] { return judge->judge(body).result == verdict::valid; };
  } else if (engine == "std::wregex regex_match") {
    const std::string p = model_pattern(why);
    auto ecma = java_to_ecma(p, why);
    if (!ecma) {
      std::cerr << why << '\n';
      return 3;
    }
    wre = std::wregex(*ecma, std::regex::ECMAScript | std::regex::optimize);
    match = [&] {
      decode_utf8(name, wide);
      return std::regex_match(wide, wre);
    };
  } else if (engine == "rapidjson internal regex Search") {
    auto p = schema_pattern(schema, dialect::rapidjson, why);
    if (!p) {
      std::cerr << why << '\n';
      return 3;
    }
    rj = std::make_unique<rj_regex>(p->c_str());
    if (!rj->IsValid()) {
      std::cerr << "RapidJSON's regex refuses " << *p << " (its SchemaValidator then skips the pattern)\n";
      return 4;
    }
    match = [&] { return rj->Search(name.c_str()); };
  } else if (engine == "std::regex regex_search") {
    auto p = schema_pattern(schema, dialect::std_regex, why);
    if (!p) {
      std::cerr << why << '\n';
      return 3;
    }
    re = std::regex(*p);  // as valijson builds it
    match = [&] { return std::regex_search(name, re); };
  } else {
    std::cerr << "unknown engine " << engine << '\n';
    return 64;
  }

  // Batches of matches between clock reads, doubled until a batch takes
  // 0.2 s of CPU: fast engines are timed precisely, slow ones once.
  std::size_t reps = 1;
  bool matched = false;
  double elapsed = 0;
  for (;;) {
    const double start = cpu_now();
    for (std::size_t r = 0; r < reps; ++r) matched = match();
    elapsed = cpu_now() - start;
    if (elapsed >= 0.2) break;
    reps *= 2;
  }
  std::printf("%.9g %d %zu\n", elapsed / static_cast<double>(reps), matched ? 1 : 0, reps);
  return 0;
}

// ---- the parent -------------------------------------------------------------

struct outcome {
  std::string status;  // ok, timeout, crashed (signal), failed (exit n)
  double seconds = 0;
  bool matched = false;
  std::string detail;
};

outcome run_child(const std::string& engine, std::size_t k, const std::string& schema, double timeout) {
  int out[2];
  int err[2];
  if (pipe(out) != 0 || pipe(err) != 0) return {"failed (pipe)", 0, false, std::strerror(errno)};
  const pid_t pid = fork();
  if (pid < 0) return {"failed (fork)", 0, false, std::strerror(errno)};
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(err[0]);
    const std::string e = "--child=" + engine;
    const std::string kk = "--k=" + std::to_string(k);
    const std::string s = "--schema=" + schema;
    execl("/proc/self/exe", "spe_redos_probe", e.c_str(), kk.c_str(), s.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  std::string text;
  std::string errors;
  timespec t0{};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  bool timed_out = false;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const double spent = static_cast<double>(now.tv_sec - t0.tv_sec) +
                         static_cast<double>(now.tv_nsec - t0.tv_nsec) * 1e-9;
    if (spent >= timeout) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    const int wait_ms = static_cast<int>(std::ceil((timeout - spent) * 1000));
    if (poll(fds, 2, std::min(wait_ms, 100)) < 0 && errno != EINTR) break;
    for (pollfd& f : fds) {
      if (f.fd < 0 || !(f.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = read(f.fd, buf, sizeof buf);
      if (n > 0) {
        (f.fd == out[0] ? text : errors).append(buf, static_cast<std::size_t>(n));
      } else {
        close(f.fd);
        f.fd = -1;
        --open_fds;
      }
    }
  }
  for (pollfd& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  outcome o;
  o.detail = errors;
  if (timed_out) {
    o.status = "timeout";
  } else if (WIFSIGNALED(status)) {
    o.status = std::string("crashed (") + strsignal(WTERMSIG(status)) + ")";
  } else if (WEXITSTATUS(status) != 0) {
    o.status = "failed (exit " + std::to_string(WEXITSTATUS(status)) + ")";
  } else {
    int matched = 0;
    std::size_t reps = 0;
    if (std::sscanf(text.c_str(), "%lf %d %zu", &o.seconds, &matched, &reps) == 3) {
      o.status = "ok";
      o.matched = matched != 0;
    } else {
      o.status = "failed (no result)";
    }
  }
  return o;
}

// Least-squares slope of log(seconds) against log(k): 1 is linear.
double loglog_slope(const std::vector<std::pair<double, double>>& points) {
  if (points.size() < 2) return 0;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& [k, t] : points) {
    const double x = std::log(k), y = std::log(t);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double n = static_cast<double>(points.size());
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

int parent(const std::string& schema, double timeout, const std::string& out_path,
           const std::string& dat_path, std::size_t max_k) {
  std::vector<std::size_t> ks;
  for (std::size_t k = 100; k <= max_k; k *= 10) {
    ks.push_back(k);
    if (k * 3 <= max_k) ks.push_back(k * 3);
  }
  std::string why;
  const std::string mp = model_pattern(why);
  const auto sp = schema_pattern(schema, std::nullopt, why);
  const auto sp_rapidjson = schema_pattern(schema, dialect::rapidjson, why);
  const auto sp_std = schema_pattern(schema, dialect::std_regex, why);

  nlohmann::json report;
  report["name"] = "\"a\" + k * \"-\" + \"!\" as PipelineName";
  report["model_pattern"] = mp;
  const auto or_null = [](const std::optional<std::string>& p) {
    return p ? nlohmann::json(*p) : nlohmann::json(nullptr);
  };
  report["schema_pattern"] = or_null(sp);
  report["schema_pattern_for_rapidjson"] = or_null(sp_rapidjson);
  report["schema_pattern_for_std_regex"] = or_null(sp_std);
  if (sp) {
    // How each engine takes the pattern as spe prints it.
    rapidjson::internal::GenericRegex<rapidjson::UTF8<>> as_printed(sp->c_str());
    report["rapidjson_accepts_as_printed"] = as_printed.IsValid();
    bool std_ok = true;
    try {
      std::regex probe(*sp);
    } catch (const std::regex_error&) {
      std_ok = false;
    }
    report["std_regex_accepts_as_printed"] = std_ok;
  }
  report["timeout_seconds"] = timeout;
  report["schema"] = schema;
  std::ofstream dat(dat_path.empty() ? "/dev/null" : dat_path);
  nlohmann::json list = nlohmann::json::array();
  std::printf("%-32s %9s  %s\n", "engine", "k", "seconds per match");
  for (const engine_info& e : engines) {
    nlohmann::json points = nlohmann::json::array();
    std::ostringstream block;  // written only if the engine has a point
    bool any = false;
    std::vector<std::pair<double, double>> fit;
    std::string failed;
    for (const std::size_t k : ks) {
      if (!failed.empty()) {
        points.push_back({{"k", k}, {"status", "not run: " + failed + " at a smaller k"}});
        continue;
      }
      const outcome o = run_child(e.name, k, schema, timeout);
      nlohmann::json p{{"k", k}, {"status", o.status}};
      if (o.status == "ok") {
        p["seconds"] = o.seconds;
        p["matched"] = o.matched;
        block << k << ' ' << o.seconds << '\n';
        any = true;
        if (k >= 10000) fit.emplace_back(static_cast<double>(k), o.seconds);
        std::printf("%-32s %9zu  %.3g%s\n", e.name, k, o.seconds, o.matched ? "  (MATCHED?)" : "");
      } else {
        failed = o.status;
        if (!o.detail.empty()) p["stderr"] = o.detail;
        std::printf("%-32s %9zu  %s %s\n", e.name, k, o.status.c_str(), o.detail.c_str());
      }
      std::fflush(stdout);
      points.push_back(p);
    }
    // The block's title names the engine, its peers and where it stopped.
    if (any) {
      dat << "\"" << e.name << " (peer " << e.peers << ")";
      if (!failed.empty()) {
        for (const auto& p : points) {
          if (p["status"] != "ok") {
            dat << ": " << failed << " at k = " << p["k"].get<std::size_t>();
            break;
          }
        }
      }
      dat << "\"\n" << block.str() << "\n\n";
    }
    nlohmann::json j{{"engine", e.name}, {"peers", e.peers}, {"pattern_from", e.source}, {"points", points}};
    if (fit.size() >= 2) j["loglog_slope_k_ge_1e4"] = loglog_slope(fit);
    list.push_back(j);
  }
  report["engines"] = list;
  // The bar: spe's time grows linearly in k.
  bool linear = true;
  for (const auto& j : list) {
    const std::string name = j["engine"];
    if (name.rfind("spe", 0) != 0) continue;
    const bool all_ok = std::all_of(j["points"].begin(), j["points"].end(),
                                    [](const nlohmann::json& p) { return p["status"] == "ok"; });
    const double slope = j.value("loglog_slope_k_ge_1e4", 99.0);
    const bool ok = all_ok && slope < 1.15;
    std::printf("%s: log-log slope over k >= 1e4 = %.3f -> %s\n", name.c_str(), slope,
                ok ? "linear" : "NOT LINEAR");
    linear = linear && ok;
  }
  report["spe_linear"] = linear;
  if (!out_path.empty()) std::ofstream(out_path) << report.dump(2) << '\n';
  return 0;
}

}  // namespace
}  // namespace spe::bench

int main(int argc, char** argv) {
  std::string engine;
  std::size_t k = 0;
  std::string schema = SPE_BENCH_SCHEMA;
  std::string out;
  std::string dat;
  double timeout = 10;
  std::size_t max_k = 1000000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      const std::size_t n = std::strlen(flag);
      if (a.compare(0, n, flag) == 0) return a.substr(n);
      return std::nullopt;
    };
    if (auto v = value("--child=")) {
      engine = *v;
    } else if (auto v2 = value("--k=")) {
      k = std::stoul(*v2);
    } else if (auto v3 = value("--schema=")) {
      schema = *v3;
    } else if (auto v4 = value("--out=")) {
      out = *v4;
    } else if (auto v5 = value("--dat=")) {
      dat = *v5;
    } else if (auto v6 = value("--timeout=")) {
      timeout = std::stod(*v6);
    } else if (auto v7 = value("--max-k=")) {
      max_k = std::stoul(*v7);
    } else {
      std::cerr << "usage: spe_redos_probe [--schema=FILE] [--timeout=S] [--out=FILE] [--dat=FILE] [--max-k=N]\n";
      return 64;
    }
  }
  if (!engine.empty()) return spe::bench::child(engine, k, schema);
  return spe::bench::parent(schema, timeout, out, dat, max_k);
}
