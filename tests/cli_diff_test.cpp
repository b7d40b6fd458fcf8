// `spe diff`: the replay of a labelled corpus through another implementation,
// driven through the built binary with peers written in sh -- spe itself
// (it must agree with its own labels, per body and in batch mode), peers
// that accept everything, misreport errors, crash, hang, print garbage or
// exit with statuses outside the protocol, and a spe without patterns whose
// disagreements a classes file explains.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/shell.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string spe = std::string(SPE_BINARY_DIR) + "/spe";

using spe::testing::quote;
using spe::testing::read_manifest;
using spe::testing::run;
using spe::testing::run_result;

class diff : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new fs::path(fs::temp_directory_path() /
                           ("spe_diff_test_" + std::to_string(::getpid()) + "_corpus"));
    fs::remove_all(*corpus_);
    ASSERT_EQ(run(quote(spe) + " gen --revision seed --random 60 --seed 3 --out " + quote(corpus_->string())).code, 0);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*corpus_);
    delete corpus_;
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("spe_diff_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `spe diff --json` with a peer; the parsed report and the exit status.
  std::pair<int, json> report(const std::string& peer, const std::string& extra = "",
                              const fs::path* corpus = nullptr) {
    const auto r = run(quote(spe) + " diff --json " + extra + " --against " + quote(peer) + " " +
                       quote((corpus ? *corpus : *corpus_).string()));
    return {r.code, json::parse(r.out, nullptr, false)};
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  static fs::path* corpus_;
  fs::path dir_;
};

fs::path* diff::corpus_ = nullptr;

const std::string spe_peer_tail = " validate --json --revision \"$SPE_REVISION\" ${SPE_STRICT:+--strict} -";

TEST_F(diff, spe_agrees_with_its_own_labels) {
  const auto [code, r] = report(spe + spe_peer_tail);
  ASSERT_FALSE(r.is_discarded());
  EXPECT_EQ(code, 0);
  EXPECT_EQ(r.at("bodies"), read_manifest(*corpus_).size());
  EXPECT_EQ(r.at("disagree"), 0) << r.dump(1);
  EXPECT_EQ(r.at("agree"), r.at("bodies"));
}

TEST_F(diff, a_peer_that_accepts_everything_disagrees_on_every_rejected_body) {
  const auto [code, r] = report("cat >/dev/null; exit 0");
  EXPECT_EQ(code, 1);
  std::map<std::string, std::size_t> rejected;
  std::map<std::string, json> labels;
  for (const json& l : read_manifest(*corpus_)) {
    labels[l.at("file")] = l;
    if (l.at("expect") != "valid") ++rejected[l.at("expect")];
  }
  std::map<std::string, std::size_t> groups;
  for (const json& g : r.at("groups")) groups[g.at("group")] = g.at("bodies");
  EXPECT_EQ(groups["verdict invalid -> valid"], rejected["invalid"]);
  EXPECT_EQ(groups["verdict malformed -> valid"], rejected["malformed"]);
  EXPECT_EQ(r.at("disagree"), rejected["invalid"] + rejected["malformed"]);
  for (const json& d : r.at("disagreements")) {
    // Accepting means reporting no errors: every labelled error is missed.
    std::set<std::pair<std::string, std::string>> want, missed;
    for (const json& e : labels.at(d.at("file")).at("errors")) want.emplace(e.at("pointer"), e.at("constraint"));
    for (const json& e : d.at("missing")) missed.emplace(e.at("pointer"), e.at("constraint"));
    EXPECT_EQ(missed, want) << d.dump();
    EXPECT_TRUE(d.at("extra").empty());
  }
}

TEST_F(diff, batch_mode_gives_the_same_verdicts) {
  // A batch peer in sh: each request line's body through spe validate.
  const std::string peer =
      "while IFS= read -r line; do "
      "rev=$(printf '%s' \"$line\" | sed 's/.*\"revision\":\"\\([^\"]*\\)\".*/\\1/'); "
      "strict=$(printf '%s' \"$line\" | grep -c '\"strict\":true'); "
      "printf '%s' \"$line\" | sed 's/.*\"body\":\"\\([^\"]*\\)\".*/\\1/' | base64 -d > " +
      quote((dir_ / "body").string()) + "; "
      "if [ \"$strict\" = 1 ]; then s=--strict; else s=; fi; " +
      quote(spe) + " validate --revision \"$rev\" $s " + quote((dir_ / "body").string()) +
      " >/dev/null 2>&1; printf '{\"exit\":%d}\\n' $?; done";
  const auto [code, r] = report(peer, "--batch");
  ASSERT_FALSE(r.is_discarded());
  EXPECT_EQ(r.at("disagree"), 0) << r.dump(1);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(r.at("bodies"), read_manifest(*corpus_).size());
}

TEST_F(diff, wrong_error_sets_are_reported_both_ways) {
  // spe's verdict, but one invented error instead of the real ones.
  const auto [code, r] = report(spe + " validate --revision \"$SPE_REVISION\" ${SPE_STRICT:+--strict} - >/dev/null; rc=$?; "
                                "echo '{\"errors\":[{\"pointer\":\"/Nope\",\"constraint\":\"pattern\"}]}'; exit $rc");
  EXPECT_EQ(code, 1);
  std::size_t not_valid = 0;
  for (const json& l : read_manifest(*corpus_)) not_valid += l.at("expect") != "valid";
  EXPECT_EQ(r.at("disagree"), not_valid);
  for (const json& d : r.at("disagreements")) {
    EXPECT_EQ(d.at("kind"), "errors");
    ASSERT_EQ(d.at("extra").size(), 1u);
    EXPECT_EQ(d.at("extra")[0].at("pointer"), "/Nope");
    EXPECT_FALSE(d.at("missing").empty());
  }
}

TEST_F(diff, crashes_hangs_and_protocol_breaches_are_disagreements) {
  for (const char* f : {"a", "b", "c", "d", "e", "f"}) write(std::string(f) + ".json", "{}");
  std::string manifest;
  for (const char* f : {"a", "b", "c", "d", "e", "f"}) {
    manifest += std::string("{\"file\":\"") + f + ".json\",\"revision\":\"seed\",\"expect\":\"invalid\","
                "\"exception\":\"ValidationException\",\"errors\":[],\"why\":\"" + f + "\"}\n";
  }
  write("manifest.jsonl", manifest);
  const std::string peer =
      "case $SPE_FILE in a.json) kill -SEGV $$;; b.json) sleep 30 & sleep 30;; c.json) exit 7;; "
      "d.json) echo 'not json'; exit 1;; f.json) sh -c 'kill -SEGV $$'; exit $?;; *) exit 1;; esac";
  const auto start = std::chrono::steady_clock::now();
  const auto [code, r] = report(peer, "--timeout 0.5", &dir_);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(10)) << "the hanging peer was not killed";
  EXPECT_EQ(code, 1);
  std::map<std::string, std::string> kinds;
  std::map<std::string, std::string> details;
  for (const json& d : r.at("disagreements")) {
    kinds[d.at("file")] = d.at("kind");
    details[d.at("file")] = d.at("detail");
  }
  EXPECT_EQ(kinds["a.json"], "crash");
  // A command the shell ran and saw killed: the shell exits 128 + SIGSEGV.
  EXPECT_EQ(kinds["f.json"], "crash");
  EXPECT_NE(details["f.json"].find("SIGSEGV"), std::string::npos) << details["f.json"];
  EXPECT_EQ(kinds["b.json"], "timeout");
  EXPECT_EQ(kinds["c.json"], "exit-status");
  EXPECT_EQ(kinds["d.json"], "bad-output");
  EXPECT_EQ(kinds.count("e.json"), 0u);
  EXPECT_EQ(r.at("agree"), 1);
}

TEST_F(diff, a_batch_peer_that_dies_is_restarted) {
  for (const char* f : {"a", "b", "c"}) write(std::string(f) + ".json", "{}");
  std::string manifest;
  for (const char* f : {"a", "b", "c"}) {
    manifest += std::string("{\"file\":\"") + f + ".json\",\"revision\":\"seed\",\"expect\":\"invalid\","
                "\"exception\":null,\"errors\":[],\"why\":\"\"}\n";
  }
  write("manifest.jsonl", manifest);
  // Answers one request per start, then dies on the next.
  const auto [code, r] = report("read -r l; echo '{\"exit\":1}'; read -r l; kill -KILL $$", "--batch", &dir_);
  EXPECT_EQ(code, 1);
  ASSERT_EQ(r.at("disagreements").size(), 1u) << r.dump(1);
  EXPECT_EQ(r.at("disagreements")[0].at("file"), "b.json");
  EXPECT_EQ(r.at("disagreements")[0].at("kind"), "crash");
  EXPECT_EQ(r.at("agree"), 2);
}

// A batch peer that keeps the protocol gets EOF at the end of the run and a
// moment to finish; one that breaks it is killed at once, so that a peer
// breaking it on every body (`yes`) does not cost that moment per body.
TEST_F(diff, a_batch_peer_that_breaks_the_protocol_is_killed_at_once) {
  for (const char* f : {"a", "b"}) write(std::string(f) + ".json", "{}");
  std::string manifest;
  for (const char* f : {"a", "b"}) {
    manifest += std::string("{\"file\":\"") + f + ".json\",\"revision\":\"seed\",\"expect\":\"invalid\","
                "\"exception\":null,\"errors\":[],\"why\":\"\"}\n";
  }
  write("manifest.jsonl", manifest);
  // Each peer leaves a mark when its stdin ends, if it lives that long.
  const fs::path kept = dir_ / "kept-finished";
  const fs::path broke = dir_ / "broke-finished";
  const auto [kept_code, kept_report] =
      report("while read -r l; do echo '{\"exit\":1}'; done; touch " + quote(kept.string()), "--batch", &dir_);
  EXPECT_EQ(kept_code, 0) << kept_report.dump(1);
  EXPECT_TRUE(fs::exists(kept)) << "a peer that kept the protocol was not given EOF and time to finish";

  // Two replies at once: the second is there before the second request is
  // sent, which breaks the protocol.
  const auto [code, r] = report("printf 'x\\nx\\n'; cat >/dev/null; touch " + quote(broke.string()), "--batch", &dir_);
  EXPECT_EQ(code, 1);
  std::map<std::string, std::string> details;
  for (const json& d : r.at("disagreements")) details[d.at("file")] = d.at("detail");
  EXPECT_EQ(details["a.json"], "the batch reply is not a JSON object");
  EXPECT_EQ(details["b.json"], "the batch peer replied before reading the whole request");
  EXPECT_FALSE(fs::exists(broke)) << "a peer that broke the protocol was left to finish";
}

TEST_F(diff, the_environment_carries_revision_and_strictness_only) {
  write("strict.json", "{}");
  write("plain.json", "{}");
  write("manifest.jsonl",
        "{\"file\":\"strict.json\",\"revision\":\"botocore-1.43\",\"expect\":\"invalid\",\"errors\":[],\"why\":\"\",\"strict\":true}\n"
        "{\"file\":\"plain.json\",\"revision\":\"seed\",\"expect\":\"valid\",\"errors\":[],\"why\":\"\"}\n");
  const std::string peer =
      "cat >/dev/null; if [ \"$SPE_STRICT\" = 1 ] && [ \"$SPE_REVISION\" = botocore-1.43 ]; then exit 1; "
      "elif [ -z \"${SPE_STRICT+set}\" ] && [ \"$SPE_REVISION\" = seed ]; then exit 0; else exit 5; fi";
  // An inherited SPE_STRICT must not leak into non-strict bodies.
  const auto r = run("SPE_STRICT=1 " + quote(spe) + " diff --json --against " + quote(peer) + " " +
                     quote(dir_.string()));
  const json j = json::parse(r.out);
  EXPECT_EQ(j.at("disagree"), 0) << j.dump(1);
  EXPECT_EQ(r.code, 0);
}

TEST_F(diff, file_names_never_reach_a_shell) {
  const std::vector<std::string> names = {"x;touch INJECTED_A;.json", "$(touch INJECTED_B).json",
                                          "`touch INJECTED_C`.json"};
  std::string manifest;
  for (const std::string& n : names) {
    write(n, "{}");
    json l = {{"file", n}, {"revision", "seed"}, {"expect", "valid"}, {"errors", json::array()}, {"why", ""}};
    manifest += l.dump() + "\n";
  }
  write("manifest.jsonl", manifest);
  const auto r = run("cd " + quote(dir_.string()) + " && " + quote(spe) +
                     " diff --against 'cat >/dev/null; echo \"$SPE_FILE\" >&2; exit 0' .");
  EXPECT_EQ(r.code, 0);
  for (const char* f : {"INJECTED_A", "INJECTED_B", "INJECTED_C"}) EXPECT_FALSE(fs::exists(dir_ / f)) << f;
}

TEST_F(diff, classes_explain_known_differences_and_only_those) {
  // A peer that is spe without patterns: a model with every pattern removed.
  std::ifstream in(fs::path(SPE_SOURCE_DIR) / "models" / "seed.json");
  json model = json::parse(in);
  for (auto& [name, shape] : model.at("shapes").items()) shape.erase("pattern");
  write("model.json", model.dump());
  const std::string peer = spe + " validate --json ${SPE_STRICT:+--strict} --model " +
                           quote((dir_ / "model.json").string()) + " -";

  const auto [plain_code, plain] = report(peer);
  EXPECT_EQ(plain_code, 1);
  ASSERT_GT(plain.at("disagree").get<int>(), 0);
  for (const json& d : plain.at("disagreements")) {
    for (const json& e : d.at("missing")) EXPECT_EQ(e.at("constraint"), "pattern") << d.dump();
    EXPECT_TRUE(d.at("extra").empty()) << d.dump();
  }

  write("classes.json", R"([{"class":"no-pattern","why":"this peer has no patterns","missing":["pattern"]}])");
  const auto [code, r] = report(peer, "--expect-classes " + quote((dir_ / "classes.json").string()));
  EXPECT_EQ(code, 0);
  EXPECT_EQ(r.at("unexplained"), 0);
  EXPECT_EQ(r.at("classes")[0].at("bodies"), plain.at("disagree"));

  write("other.json", R"([{"class":"no-max","missing":["length_max"]}])");
  const auto [other_code, other] = report(peer, "--expect-classes " + quote((dir_ / "other.json").string()));
  EXPECT_EQ(other_code, 1);
  EXPECT_EQ(other.at("unexplained"), plain.at("disagree"));

  // A constraint kind spelled wrong would explain nothing: bad usage.
  write("typo.json", R"([{"class":"typo","missing":["patern"]}])");
  EXPECT_EQ(report(peer, "--expect-classes " + quote((dir_ / "typo.json").string())).first, 64);
}

TEST_F(diff, bad_usage_and_bad_corpora) {
  EXPECT_EQ(run(quote(spe) + " diff " + quote(corpus_->string())).code, 64);
  EXPECT_EQ(run(quote(spe) + " diff --against true").code, 64);
  EXPECT_EQ(run(quote(spe) + " diff --against true --timeout -1 " + quote(corpus_->string())).code, 64);
  // Deadlines are whole milliseconds: a shorter one would time every body out.
  EXPECT_EQ(run(quote(spe) + " diff --against true --timeout 0.0001 " + quote(corpus_->string())).code, 64);
  EXPECT_EQ(run(quote(spe) + " diff --against true a b").code, 64);
  EXPECT_EQ(run(quote(spe) + " diff --against true " + quote(dir_.string())).code, 66);  // no manifest
  write("manifest.jsonl", "{\"file\":\"../escape.json\",\"revision\":\"seed\",\"expect\":\"valid\"}\n");
  EXPECT_EQ(run(quote(spe) + " diff --against true " + quote(dir_.string())).code, 66);
  write("manifest.jsonl", "{not json\n");
  EXPECT_EQ(run(quote(spe) + " diff --against true " + quote(dir_.string())).code, 66);
  write("manifest.jsonl", "{\"file\":\"gone.json\",\"revision\":\"seed\",\"expect\":\"valid\"}\n");
  EXPECT_EQ(run(quote(spe) + " diff --against true " + quote(dir_.string())).code, 66);
}

// A corpus is read strictly and never past its own folder: a label read
// two ways, a link out of the corpus, or a FIFO that would block before any
// deadline runs makes it unreadable (66), naming the problem.
TEST_F(diff, a_corpus_is_read_strictly_and_never_outside_itself) {
  const std::string diff_cmd = "timeout 20 " + quote(spe) + " diff --against 'cat >/dev/null; exit 1' ";
  const auto unreadable = [&](const std::string& manifest, const std::string& because) {
    write("manifest.jsonl", manifest);
    const auto r = run("(" + diff_cmd + quote(dir_.string()) + " 2>&1)");  // the message too
    EXPECT_EQ(r.code, 66) << manifest.substr(0, 200) << r.out;
    EXPECT_NE(r.out.find(because), std::string::npos) << manifest.substr(0, 200) << r.out;
  };
  write("a.json", "{}");
  const std::string good = R"({"file":"a.json","revision":"seed","expect":"invalid","exception":"ValidationException","errors":[],"why":""})";
  write("manifest.jsonl", good + "\n");
  EXPECT_EQ(run(diff_cmd + quote(dir_.string())).code, 0);

  unreadable(R"({"file":"a.json","revision":"seed","expect":"valid","expect":"invalid"})" "\n", "repeats the member 'expect'");
  unreadable(R"({"file":"a.json","revision":"seed","expect":"invalid","strict":"true"})" "\n", "strict must be true or false");
  unreadable(R"({"file":"a.json","revision":"seed","expect":"invalid","errors":[{"pointer":"","constraint":"bogus"}]})" "\n",
             "constraint 'bogus'");
  unreadable(R"({"file":"a.json","revision":"seed","expect":"invalid","exception":"Nope"})" "\n", "exception must be");
  // Past 1 MiB a line would be cut and read as its start.
  unreadable(good.substr(0, good.size() - 1) + std::string(std::size_t{1} << 20, ' ') + "}\n", "longer than 1 MiB");

  // A link to a file outside the corpus, or through a linked folder.
  const fs::path outside = dir_.string() + "-outside";
  fs::create_directories(outside);
  std::ofstream(outside / "secret.json") << "{}";
  fs::create_symlink(outside / "secret.json", dir_ / "link.json");
  fs::create_symlink(outside, dir_ / "folder");
  for (const char* name : {"link.json", "folder/secret.json"}) {
    write("manifest.jsonl", R"({"file":")" + std::string(name) + R"(","revision":"seed","expect":"invalid"})" "\n");
    const auto r = run("(" + diff_cmd + quote(dir_.string()) + " 2>&1)");
    EXPECT_EQ(r.code, 66) << name << r.out;
    EXPECT_NE(r.out.find("not a regular file inside the corpus"), std::string::npos) << r.out;
  }
  // A FIFO as a body, and as the manifest: refused, not waited on.
  ASSERT_EQ(::mkfifo((dir_ / "fifo.json").c_str(), 0600), 0);
  write("manifest.jsonl", R"({"file":"fifo.json","revision":"seed","expect":"invalid"})" "\n");
  EXPECT_EQ(run(diff_cmd + quote(dir_.string())).code, 66);
  fs::remove(dir_ / "manifest.jsonl");
  ASSERT_EQ(::mkfifo((dir_ / "manifest.jsonl").c_str(), 0600), 0);
  EXPECT_EQ(run(diff_cmd + quote(dir_.string())).code, 66);
  fs::remove_all(outside);
}

// A batch reply that names its body is checked against it: a peer out of
// step is a protocol failure, not a verdict pinned on the wrong body.
TEST_F(diff, a_batch_reply_for_another_body_is_bad_output) {
  for (const char* f : {"a", "b"}) write(std::string(f) + ".json", "{}");
  std::string manifest;
  for (const char* f : {"a", "b"}) {
    manifest += std::string("{\"file\":\"") + f + ".json\",\"revision\":\"seed\",\"expect\":\"invalid\",\"errors\":[]}\n";
  }
  write("manifest.jsonl", manifest);
  const auto [code, r] = report("while read -r l; do echo '{\"file\":\"a.json\",\"exit\":1}'; done", "--batch", &dir_);
  EXPECT_EQ(code, 1) << r.dump(1);
  ASSERT_EQ(r.at("disagreements").size(), 1u) << r.dump(1);
  EXPECT_EQ(r.at("disagreements")[0].at("file"), "b.json");
  EXPECT_EQ(r.at("disagreements")[0].at("kind"), "bad-output");
}

// A class's "bound" scopes the labels it explains as missed: a peer that
// accepts everything misses both type errors below, and a class for
// integers past their width explains only the one whose bound is int32.
TEST_F(diff, a_class_bound_explains_only_labels_with_that_bound) {
  write("int.json", "{}");
  write("str.json", "{}");
  write("manifest.jsonl",
        R"({"file":"int.json","revision":"seed","expect":"invalid","errors":[{"pointer":"/N","constraint":"type","bound":"int32"}]})" "\n"
        R"({"file":"str.json","revision":"seed","expect":"invalid","errors":[{"pointer":"/S","constraint":"type","bound":"string"}]})" "\n");
  write("classes.json", R"([{"class":"wide-ints","missing":["type"],"bound":["int32","int64"]}])");
  const auto [code, r] = report("cat >/dev/null; exit 0", "--expect-classes " + quote((dir_ / "classes.json").string()), &dir_);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(r.at("disagree"), 2);
  EXPECT_EQ(r.at("unexplained"), 1) << r.dump(1);
  for (const json& d : r.at("disagreements")) {
    EXPECT_EQ(d.at("explained"), d.at("file") == "int.json") << d.dump();
  }
}

TEST_F(diff, the_table_names_each_group) {
  const auto r = run(quote(spe) + " diff --against 'cat >/dev/null; exit 0' " + quote(corpus_->string()));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("verdict invalid -> valid"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verdict malformed -> valid"), std::string::npos);
  EXPECT_NE(r.out.find("missed: /PipelineName"), std::string::npos);
  // The root's pointer is "", which is not "/" (a member named "").
  EXPECT_NE(r.out.find("missed: (root) type"), std::string::npos) << r.out;
}

}  // namespace
