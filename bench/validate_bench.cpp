// spe against the validators a user would otherwise pick, on one corpus,
// in one run (issue 7).
//
// Steps, all before any timing: load revision `seed`, generate the corpus
// (corpus.hpp) into memory, set up the six peers (peers.hpp), and judge
// every body with every peer once, so the table can say which peers reach
// spe's valid count and on which bodies they differ. Then Google Benchmark
// times each peer over the whole corpus (and over its small, large and
// faulty parts), and the summary -- docs/s, MB/s, the ratios of the bar,
// the agreement -- is printed as a table and written as JSON.
//
// Flags of our own (the rest go to Google Benchmark):
//   --schema=FILE      the JSON Schema for peers 4 and 5 (default: the one
//                      the build made with `spe schema --format json-schema`)
//   --summary=FILE     where to write the summary JSON
//   --bodies=N         corpus size (default 2000)
//   --text=STYLE       free text as hazard (default: the committed corpus) or prose (corpus.hpp)
//   --dump-corpus=DIR  also write the corpus as files + manifest.jsonl
//   --no-subsets       time the mixed corpus only
//   --only=A,B         set up only the peers named (e.g. --only=spe for a profile)
//   --plot-data=FILE   docs/s per peer on the mixed corpus, for bench/plot.gp
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "corpus.hpp"
#include "peers.hpp"
#include "spe/model.hpp"

#ifndef SPE_BENCH_SCHEMA
#define SPE_BENCH_SCHEMA ""
#endif

namespace spe::bench {
namespace {

struct config {
  std::string schema = SPE_BENCH_SCHEMA;
  std::string summary;
  std::string dump;
  corpus_options corpus;
  bool subsets = true;
  std::string only;  // comma-separated peer names; empty: all
  std::string plot;
};

// The bar of issue 7.
constexpr double bar_vs_walk = 0.75;  // spe docs/s >= 0.75 x peer 1
constexpr double bar_vs_rest = 10.0;  // spe docs/s >= 10 x peers 2-5

struct slot {
  std::unique_ptr<peer> p;
  std::string name;     // also when the peer could not be set up
  std::string missing;  // why it could not be set up
  std::vector<bool> verdicts;
  std::size_t valid = 0;
  std::vector<std::size_t> disagree;  // body indices where it differs from spe
  std::string number;                 // "1".."6"; "4'" and "5'" for the as-printed runs
  bool timed = true;
};

std::string read_file(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  ok = static_cast<bool>(in) || in.eof();
  return s.str();
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

std::string class_name(body_class c) {
  switch (c) {
    case body_class::small: return "small";
    case body_class::large: return "large";
    case body_class::fault: return "fault";
  }
  return "?";
}

void dump_corpus(const corpus& c, const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream manifest(dir + "/manifest.jsonl");
  for (std::size_t i = 0; i < c.bodies.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%05zu.json", i);
    std::ofstream(dir + "/" + name, std::ios::binary) << c.bodies[i];
    manifest << nlohmann::json{{"file", name},
                               {"expect", std::string(to_string(c.expect[i]))},
                               {"class", class_name(c.classes[i])},
                               {"label", c.labels[i]}}
                    .dump()
             << '\n';
  }
}

// Collects every run while the console reporter prints it.
class collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const double seconds = r.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
      if (r.run_type == Run::RT_Iteration) cpu_seconds_[r.run_name.str()].push_back(seconds);
      // With --benchmark_display_aggregates_only the repetitions reach the
      // file reporter only; the median comes here as an aggregate.
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        medians_[r.run_name.str()] = seconds;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  // Median CPU seconds per iteration of one benchmark, or 0 if it never ran.
  double median(const std::string& name) const {
    if (const auto m = medians_.find(name); m != medians_.end()) return m->second;
    const auto it = cpu_seconds_.find(name);
    if (it == cpu_seconds_.end() || it->second.empty()) return 0;
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

 private:
  std::map<std::string, std::vector<double>> cpu_seconds_;
  std::map<std::string, double> medians_;
};

struct subset {
  std::string name;  // "mixed", "small", "large", "fault"
  std::vector<const std::string*> bodies;
  std::size_t bytes = 0;
};

// For notes printed to a terminal: control and non-ASCII characters as
// escapes (the notes quote patterns, which hold line terminators).
std::string printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x7F) {
      out += text[i++];
      continue;
    }
    char32_t cp = b;
    std::size_t n = 1;
    if (b >= 0xC0) {
      n = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      cp = b & (0x7Fu >> n);
      for (std::size_t k = 1; k < n && i + k < text.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
      }
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
    out += buf;
    i += n;
  }
  return out;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

int run(int argc, char** argv) {
  config cfg;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view a(argv[i]);
    auto value = [&](std::string_view flag) -> const char* {
      return a.rfind(flag, 0) == 0 ? argv[i] + flag.size() : nullptr;
    };
    if (const char* v = value("--schema=")) {
      cfg.schema = v;
    } else if (const char* v2 = value("--summary=")) {
      cfg.summary = v2;
    } else if (const char* v3 = value("--dump-corpus=")) {
      cfg.dump = v3;
    } else if (const char* v4 = value("--bodies=")) {
      cfg.corpus.bodies = std::stoul(v4);
    } else if (const char* v7 = value("--text=")) {
      const std::string_view style(v7);
      if (style != "prose" && style != "hazard") {
        std::cerr << "spe_validate_bench: --text takes prose or hazard\n";
        return 64;
      }
      cfg.corpus.text = style == "prose" ? text_style::prose : text_style::hazard;
    } else if (const char* v6 = value("--plot-data=")) {
      cfg.plot = v6;
    } else if (const char* v5 = value("--only=")) {
      cfg.only = std::string(",") + v5 + ",";
    } else if (a == "--no-subsets") {
      cfg.subsets = false;
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 64;

  const model::service_model* m = model::builtin("seed");
  if (!m) {
    std::cerr << "spe_validate_bench: revision seed is not built in\n";
    return 1;
  }

  std::string why;
  auto made = make_corpus(*m, cfg.corpus, why);
  if (!made) {
    std::cerr << "spe_validate_bench: cannot build the corpus: " << why << '\n';
    return 1;
  }
  const corpus& c = *made;
  if (!cfg.dump.empty()) dump_corpus(c, cfg.dump);

  // Peers 4 and 5 run on spe's schema respelled for their engines (the
  // meaning kept; adapt_schema lists each change) and, untimed, as printed.
  schema_text printed{cfg.schema, {}, "as printed"};
  bool schema_ok = !cfg.schema.empty();
  if (schema_ok) printed.json = read_file(cfg.schema, schema_ok);
  if (schema_ok && printed.json.empty()) schema_ok = false;
  std::vector<std::string> rapidjson_notes;
  std::vector<std::string> std_regex_notes;
  schema_text for_rapidjson{cfg.schema, {}, {}};
  schema_text for_valijson{cfg.schema, {}, {}};
  std::string schema_why = "no JSON Schema (--schema=" + cfg.schema + " unreadable or empty)";
  if (schema_ok) {
    auto a = adapt_schema(printed.json, dialect::rapidjson, rapidjson_notes, schema_why);
    auto b = adapt_schema(printed.json, dialect::std_regex, std_regex_notes, schema_why);
    schema_ok = a && b;
    if (schema_ok) {
      for_rapidjson.json = std::move(*a);
      for_valijson.json = std::move(*b);
    }
  }

  std::vector<slot> slots(8);
  slots[0].p = make_simdjson_walk();
  slots[1].p = make_simdjson_hand(*m, slots[1].missing);
  slots[2].p = make_nlohmann_hand(*m, slots[2].missing);
  if (schema_ok) {
    slots[3].p = make_rapidjson_schema(for_rapidjson, slots[3].missing);
    slots[4].p = make_valijson(for_valijson, slots[4].missing);
    slots[6].p = make_rapidjson_schema(printed, slots[6].missing);
    slots[7].p = make_valijson(printed, slots[7].missing);
  } else {
    for (std::size_t i : {std::size_t{3}, std::size_t{4}, std::size_t{6}, std::size_t{7}}) slots[i].missing = schema_why;
  }
  slots[5].p = make_spe(*m);
  const char* fallback_names[] = {"simdjson-walk",    "simdjson-hand", "nlohmann-hand",
                                  "rapidjson-schema", "valijson",      "spe",
                                  "rapidjson-schema (as printed)", "valijson (as printed)"};
  const char* numbers[] = {"1", "2", "3", "4", "5", "6", "4'", "5'"};
  for (std::size_t i = 0; i < slots.size(); ++i) {
    slots[i].name = slots[i].p ? std::string(slots[i].p->name()) : fallback_names[i];
    slots[i].number = numbers[i];
    slots[i].timed = i < 6;
    if (!cfg.only.empty() && cfg.only.find("," + slots[i].name + ",") == std::string::npos && i != 5) {
      slots[i].p.reset();
      slots[i].missing = "left out (--only)";
    }
  }
  slot& spe_slot = slots[5];

  // Agreement: every peer judges every body once, untimed.
  for (slot& s : slots) {
    if (!s.p) continue;
    s.verdicts.reserve(c.bodies.size());
    for (const std::string& b : c.bodies) {
      const bool v = s.p->valid(b);
      s.verdicts.push_back(v);
      s.valid += v;
    }
  }
  std::size_t expected_valid = 0;
  std::vector<std::size_t> spe_vs_generator;
  for (std::size_t i = 0; i < c.bodies.size(); ++i) {
    expected_valid += c.expect[i] == verdict::valid;
    if (spe_slot.verdicts[i] != (c.expect[i] == verdict::valid)) spe_vs_generator.push_back(i);
  }
  for (slot& s : slots) {
    if (!s.p) continue;
    for (std::size_t i = 0; i < c.bodies.size(); ++i) {
      if (s.verdicts[i] != spe_slot.verdicts[i]) s.disagree.push_back(i);
    }
  }

  // The timed part.
  std::vector<subset> sets;
  sets.push_back({"mixed", {}, 0});
  if (cfg.subsets) {
    sets.push_back({"small", {}, 0});
    sets.push_back({"large", {}, 0});
    sets.push_back({"fault", {}, 0});
  }
  for (std::size_t i = 0; i < c.bodies.size(); ++i) {
    for (subset& set : sets) {
      if (set.name == "mixed" || set.name == class_name(c.classes[i])) {
        set.bodies.push_back(&c.bodies[i]);
        set.bytes += c.bodies[i].size();
      }
    }
  }
  for (const subset& set : sets) {
    for (slot& s : slots) {
      if (!s.p || !s.timed) continue;
      peer* p = s.p.get();
      const subset* data = &set;
      benchmark::RegisterBenchmark((set.name + "/" + s.name).c_str(), [p, data](benchmark::State& st) {
        std::size_t accepted = 0;
        for (auto _ : st) {
          for (const std::string* b : data->bodies) accepted += p->valid(*b);
          benchmark::DoNotOptimize(accepted);
        }
        st.SetItemsProcessed(st.iterations() * static_cast<std::int64_t>(data->bodies.size()));
        st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(data->bytes));
      })->Unit(benchmark::kMillisecond);
    }
  }
  collector reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  // The summary.
  const auto docs_per_s = [&](const subset& set, const slot& s) {
    const double t = reporter.median(set.name + "/" + s.name);
    return t > 0 ? static_cast<double>(set.bodies.size()) / t : 0.0;
  };
  const auto mb_per_s = [&](const subset& set, const slot& s) {
    const double t = reporter.median(set.name + "/" + s.name);
    return t > 0 ? static_cast<double>(set.bytes) / t / 1e6 : 0.0;
  };
  const subset& mixed = sets.front();
  const double spe_rate = docs_per_s(mixed, spe_slot);

  nlohmann::json out;
  out["machine"] = {{"cpu", cpu_model()},
                    {"hardware_threads", std::thread::hardware_concurrency()},
                    {"compiler", __VERSION__},
                    {"simdjson_implementation", simdjson::get_active_implementation()->name()},
                    {"time", "CPU time per pass, median of the repetitions"}};
  out["corpus"] = {{"seed", cfg.corpus.seed},
                   {"bodies", c.bodies.size()},
                   {"bytes", c.bytes},
                   {"small", c.count(body_class::small)},
                   {"large", c.count(body_class::large)},
                   {"fault", c.count(body_class::fault)},
                   {"expected_valid", expected_valid},
                   {"spe_disagrees_with_generator", spe_vs_generator.size()}};
  out["schema"] = {{"path", cfg.schema},
                   {"rapidjson_rewrites", rapidjson_notes},
                   {"std_regex_rewrites", std_regex_notes}};

  std::ostringstream table;
  table << "\ncorpus: " << c.bodies.size() << " bodies, " << fixed(static_cast<double>(c.bytes) / 1e6, 2)
        << " MB (" << c.count(body_class::small) << " small, " << c.count(body_class::large)
        << " large, " << c.count(body_class::fault) << " single-fault); generator predicts "
        << expected_valid << " valid; spe valid " << spe_slot.valid << "\n\n";
  table << "| # | peer | docs/s | MB/s | spe speed-up | valid | differs from spe |\n";
  table << "|---|---|---:|---:|---:|---:|---:|\n";
  bool bar_ok = true;
  nlohmann::json peers = nlohmann::json::array();
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const slot& s = slots[i];
    nlohmann::json j{{"peer", s.number}, {"name", s.name}, {"timed", s.timed}};
    if (!s.p) {
      j["missing"] = s.missing;
      table << "| " << s.number << " | " << s.name << " | not run: " << s.missing << " | | | | |\n";
      peers.push_back(j);
      if (s.timed && i != 5) bar_ok = false;
      continue;
    }
    const double rate = docs_per_s(mixed, s);
    const double speedup = rate > 0 ? spe_rate / rate : 0;
    j["description"] = std::string(s.p->description());
    j["checks_rules"] = s.p->checks_rules();
    j["valid"] = s.valid;
    j["differs_from_spe"] = s.disagree.size();
    nlohmann::json per_set;
    for (const subset& set : sets) {
      if (!s.timed) break;
      per_set[set.name] = {{"docs_per_s", docs_per_s(set, s)}, {"mb_per_s", mb_per_s(set, s)}};
    }
    j["throughput"] = per_set;
    j["spe_speedup"] = speedup;
    nlohmann::json differs = nlohmann::json::array();
    for (std::size_t k : s.disagree) {
      differs.push_back({{"body", k},
                         {"label", c.labels[k]},
                         {"spe", spe_slot.verdicts[k] ? "valid" : "invalid"},
                         {"peer", s.verdicts[k] ? "valid" : "invalid"}});
    }
    j["differences"] = differs;
    peers.push_back(j);
    table << "| " << s.number << " | " << s.name << " | "
          << (s.timed ? fixed(rate, 0) : "untimed") << " | " << (s.timed ? fixed(mb_per_s(mixed, s), 1) : "")
          << " | " << (i == 5 ? "1x" : s.timed ? fixed(speedup, 2) + "x" : "") << " | " << s.valid << " | "
          << (s.p->checks_rules() ? std::to_string(s.disagree.size()) : std::string("n/a (no rules)"))
          << " |\n";
  }
  out["peers"] = peers;

  nlohmann::json bar = nlohmann::json::array();
  table << "\nbar (ratios of docs/s on the mixed corpus, this run):\n";
  for (std::size_t i = 0; i < 5; ++i) {
    const slot& s = slots[i];
    if (!s.p) continue;
    const double rate = docs_per_s(mixed, s);
    const double ratio = rate > 0 ? spe_rate / rate : 0;
    const double need = i == 0 ? bar_vs_walk : bar_vs_rest;
    const bool ok = ratio >= need;
    bar_ok = bar_ok && ok;
    // A ratio against a peer that judges some bodies differently is a
    // ratio between two different jobs: say so beside it.
    const std::size_t differs = s.p->checks_rules() ? s.disagree.size() : 0;
    bar.push_back({{"vs", s.name}, {"ratio", ratio}, {"need", need}, {"met", ok}, {"peer_differs_on", differs}});
    table << "  spe / " << s.name << " = " << fixed(ratio, 2) << " (need >= " << fixed(need, 2)
          << "): " << (ok ? "met" : "MISSED");
    if (differs) table << " (this peer's verdict differs from spe's on " << differs << " bodies)";
    table << '\n';
  }
  out["bar"] = bar;
  out["bar_met"] = bar_ok;

  bool agree = spe_vs_generator.empty();
  table << "\nagreement: spe matches the generator's prediction on "
        << c.bodies.size() - spe_vs_generator.size() << "/" << c.bodies.size() << " bodies\n";
  for (std::size_t k : spe_vs_generator) {
    table << "  spe differs from the generator on body " << k << " (" << c.labels[k] << ")\n";
  }
  for (const slot& s : slots) {
    if (!s.p || !s.p->checks_rules() || &s == &spe_slot) continue;
    if (s.disagree.empty()) {
      table << "  " << s.name << ": same verdict as spe on every body\n";
      continue;
    }
    if (s.timed) agree = false;
    std::map<std::string, std::size_t> by_label;
    for (std::size_t k : s.disagree) {
      std::string label = c.labels[k];
      by_label[label + (s.verdicts[k] ? " (peer accepts)" : " (peer refuses)")]++;
    }
    const auto with_nul = static_cast<std::size_t>(
        std::count_if(s.disagree.begin(), s.disagree.end(), [&](std::size_t k) {
          return c.bodies[k].find("\\u0000") != std::string::npos;
        }));
    table << "  " << s.name << ": differs from spe on " << s.disagree.size() << " bodies ("
          << with_nul << " of them hold U+0000 in a string):";
    for (const auto& [label, n] : by_label) table << " [" << n << "x " << label << "]";
    table << '\n';
  }
  out["all_rule_peers_agree"] = agree;
  for (const auto& [title, notes] : {std::pair{"rapidjson", &rapidjson_notes}, std::pair{"std::regex", &std_regex_notes}}) {
    table << "\nschema respelled for " << title << " (peers 4 and 5 run on it; 4' and 5' on spe's text):\n";
    for (const std::string& n : *notes) table << "  " << printable(n) << '\n';
  }
  std::cout << table.str() << std::flush;

  if (!cfg.plot.empty()) {
    std::ofstream f(cfg.plot);
    f << "# peer docs_per_second (mixed corpus)\n";
    for (const slot& s : slots) {
      if (s.p && s.timed) f << '"' << s.number << ' ' << s.name << "\" " << fixed(docs_per_s(mixed, s), 1) << '\n';
    }
  }
  if (!cfg.summary.empty()) {
    std::ofstream f(cfg.summary);
    f << out.dump(2) << '\n';
    if (!f) {
      std::cerr << "spe_validate_bench: cannot write " << cfg.summary << '\n';
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace spe::bench

// libstdc++'s std::regex (peers 2, 3 and 5) recurses once or more per
// character matched, and a 3072-character description takes it past the
// default 8 MiB stack. Every peer runs on one thread with a large stack
// (address space, touched only as deep as it goes), so that a peer is
// timed rather than crashed; the ReDoS probe shows the crash itself.
namespace {

constexpr std::size_t bench_stack = std::size_t{1} << 30;

struct call {
  int argc;
  char** argv;
  int result = 1;
};

void* run_on_thread(void* p) {
  call* c = static_cast<call*>(p);
  c->result = spe::bench::run(c->argc, c->argv);
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  call c{argc, argv};
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, bench_stack) != 0 ||
      pthread_create(&thread, &attr, run_on_thread, &c) != 0) {
    std::cerr << "spe_validate_bench: cannot start a thread with a " << (bench_stack >> 20)
              << " MiB stack\n";
    return 1;
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return c.result;
}
