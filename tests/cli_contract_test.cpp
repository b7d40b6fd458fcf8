// The command line is a contract (SPEC.md section 4): other tools drive it,
// so its exit codes and JSON fields are pinned here by running the built
// `spe` binary exactly as a user's script would.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spe/json.hpp"
#include "spe/model.hpp"
#include "spe/validate.hpp"
#include "support/bodies.hpp"
#include "support/sanitizers.hpp"
#include "support/shell.hpp"

namespace {

namespace fs = std::filesystem;

struct run_result {
  int code;
  std::string out;
};

// `stderr_too` keeps the command's stderr, after its stdout, in `out`.
run_result run(const std::string& args, const std::string& stdin_text = "", bool stderr_too = false) {
  // ctest runs each test in its own process, several at once.
  static int calls = 0;
  const fs::path in = fs::temp_directory_path() /
                      ("spe_cli_stdin_" + std::to_string(::getpid()) + "_" +
                       std::to_string(calls++) + ".txt");
  std::ofstream(in, std::ios::binary) << stdin_text;
  // stderr goes to the pipe before `args` redirect stdout (`>/dev/full`).
  const std::string cmd = (stderr_too ? "exec 2>&1; " : "exec 2>/dev/null; ") +
                          std::string(SPE_BINARY_DIR) + "/spe " + args + " < " + in.string();
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  fs::remove(in);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("spe_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    write("valid.json", R"({"PipelineName":"p","ClientRequestToken":")" + token_ + "\"}");
    write("invalid.json", R"({"PipelineName":"-p","ClientRequestToken":")" + token_ + "\"}");
    write("malformed.json", R"({"PipelineName":)");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return path(name);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  // The default revision's (seed) facts, from its model.
  const std::string token_ = std::string(
      static_cast<std::size_t>(spe::testing::request_shape("seed", {"ClientRequestToken"}).min), 't');
  const std::string name_pattern_ = spe::testing::request_shape("seed", {"PipelineName"}).pattern;
};

TEST_F(cli, exit_codes_follow_the_worst_body) {
  EXPECT_EQ(run("validate " + path("valid.json")).code, 0);
  EXPECT_EQ(run("validate " + path("invalid.json")).code, 1);
  EXPECT_EQ(run("validate " + path("malformed.json")).code, 2);
  EXPECT_EQ(run("validate " + path("valid.json") + " " + path("invalid.json")).code, 1);
  EXPECT_EQ(run("validate " + path("malformed.json") + " " + path("invalid.json") + " " +
                path("valid.json"))
                .code,
            2);
}

TEST_F(cli, bad_usage_is_64_and_help_is_0_on_every_command) {
  EXPECT_EQ(run("").code, 64);
  EXPECT_EQ(run("frobnicate").code, 64);
  EXPECT_EQ(run("validate --no-such-option").code, 64);
  EXPECT_EQ(run("validate --revision nope " + path("valid.json")).code, 64);
  EXPECT_EQ(run("validate --duplicates sometimes").code, 64);
  for (const char* c : {"validate", "canon", "schema", "pattern"}) {
    const auto r = run(std::string(c) + " --help");
    EXPECT_EQ(r.code, 0) << c;
    EXPECT_NE(r.out.find("usage: spe"), std::string::npos) << c;
  }
  EXPECT_EQ(run("--help").code, 0);
}

// A verdict is spe's at a version: --version names it (project()'s in
// CMakeLists.txt, read here from the file itself, which the library's
// spe::version() gives too), every built-in revision with the default
// marked, and the parser under the reader; like every command, it is 74
// when its output is lost.
TEST_F(cli, version_names_the_release_the_revisions_and_the_parser) {
  std::ifstream lists(SPE_SOURCE_DIR "/CMakeLists.txt");
  const std::string cmake((std::istreambuf_iterator<char>(lists)), std::istreambuf_iterator<char>());
  std::smatch project;
  ASSERT_TRUE(std::regex_search(cmake, project, std::regex(R"(project\(spe VERSION ([0-9]+\.[0-9]+\.[0-9]+))")))
      << "no project(spe VERSION x.y.z) in CMakeLists.txt";
  const auto r = run("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "spe " + project[1].str());
  EXPECT_EQ(spe::version(), project[1].str());
  const std::string revisions = r.out.substr(r.out.find("\nrevisions:"));
  for (std::string_view rev : spe::model::builtin_revisions()) {
    EXPECT_NE(revisions.find(" " + std::string(rev)), std::string::npos) << rev;
  }
  EXPECT_NE(revisions.find(" " + std::string(spe::model::default_revision) + " (default)"),
            std::string::npos);
  EXPECT_NE(r.out.find("\nsimdjson "), std::string::npos) << r.out;
  EXPECT_EQ(run("--version >/dev/full").code, 74);
}

TEST_F(cli, an_unreadable_file_does_not_stop_the_others) {
  const auto r = run("validate --json " + path("missing.json") + " " + path("valid.json"));
  EXPECT_EQ(r.code, 66);
  EXPECT_NE(r.out.find("valid.json"), std::string::npos);
}

// The verdicts of a --json run, one object per line.
std::vector<nlohmann::json> objects_of(const std::string& out) {
  std::istringstream lines(out);
  std::string line;
  std::vector<nlohmann::json> objects;
  while (std::getline(lines, line)) objects.push_back(nlohmann::json::parse(line));
  return objects;
}

// A body too big to hold is answered like one the library's reader could
// not hold (README: malformed by size, exit 2), and the inputs after it are
// still judged: memory running out while spe reads a file or a line is one
// body's problem, not the run's. The address space is limited with ulimit,
// which ASan, reserving terabytes of shadow memory, cannot start under.
TEST_F(cli, a_body_too_big_to_hold_is_judged_and_the_others_still_are) {
  if (spe::testing::address_sanitizer) GTEST_SKIP() << "ASan cannot start under ulimit -v";
  const std::string spe = std::string(SPE_BINARY_DIR) + "/spe";
  const std::string bound = " --max-size " + std::to_string(spe::json::hard_max_size);
  const std::string valid = path("valid.json");
  // /dev/zero as a file: read up to the bound (4 GiB), more than 500 MB allows.
  const auto files = spe::testing::run("ulimit -v 500000; " + spe + " validate --json" + bound + " " + valid +
                                       " /dev/zero " + valid);
  // ... and as a line of JSON Lines between two others.
  const auto lines = spe::testing::run("ulimit -v 500000; { cat " + valid + "; echo; head -c 700000000 /dev/zero; echo; cat " +
                                       valid + "; } | " + spe + " validate --jsonl --json" + bound + " -");
  for (const auto& r : {files, lines}) {
    EXPECT_EQ(r.code, 2) << r.out;
    const std::vector<nlohmann::json> objects = objects_of(r.out);
    ASSERT_EQ(objects.size(), 3u) << r.out;
    EXPECT_EQ(objects[0]["valid"], true);
    EXPECT_EQ(objects[1]["verdict"], "malformed");
    EXPECT_EQ(objects[1]["exception"], "SerializationException");
    ASSERT_EQ(objects[1]["errors"].size(), 1u);
    EXPECT_EQ(objects[1]["errors"][0]["constraint"], "size");
    EXPECT_NE(objects[1]["message"].get<std::string>().find("out of memory"), std::string::npos) << r.out;
    EXPECT_EQ(objects[2]["valid"], true);
  }
}

// A JSON Lines line past the size bound is answered as soon as it is known
// to be, and the answer written out: a line that never ends (/dev/zero, a
// stream that stalls) still gets its verdict, where spe used to wait for a
// newline that never came. (spe then reads on, looking for the next line,
// until the timeout stops it.)
TEST_F(cli, a_json_lines_line_that_never_ends_is_still_answered) {
  const std::string spe = std::string(SPE_BINARY_DIR) + "/spe";
  const auto r = spe::testing::run("timeout 3 " + spe + " validate --jsonl --json --max-size 1000 /dev/zero");
  EXPECT_EQ(r.code, 124) << r.out;  // timeout's status: spe was still reading
  const std::vector<nlohmann::json> objects = objects_of(r.out);
  ASSERT_EQ(objects.size(), 1u) << r.out;
  EXPECT_EQ(objects[0]["input"], "/dev/zero:1");
  EXPECT_EQ(objects[0]["verdict"], "malformed");
  ASSERT_EQ(objects[0]["errors"].size(), 1u);
  EXPECT_EQ(objects[0]["errors"][0]["constraint"], "size");
  EXPECT_EQ(objects[0]["errors"][0]["bound"], "1000");
}

TEST_F(cli, json_output_has_the_contract_fields) {
  const auto r = run("validate --json " + path("invalid.json") + " " + path("valid.json") + " " +
                     path("malformed.json"));
  const std::vector<nlohmann::json> objects = objects_of(r.out);
  ASSERT_EQ(objects.size(), 3u);
  const auto& bad = objects[0];
  EXPECT_EQ(bad["input"], path("invalid.json"));
  EXPECT_EQ(bad["valid"], false);
  EXPECT_EQ(bad["exception"], "ValidationException");
  EXPECT_EQ(bad["message"],
            "1 validation error detected: Value '-p' at 'pipelineName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: " +
                name_pattern_);
  ASSERT_EQ(bad["errors"].size(), 1u);
  const auto& e = bad["errors"][0];
  EXPECT_EQ(e["path"], "pipelineName");
  EXPECT_EQ(e["pointer"], "/PipelineName");
  EXPECT_EQ(e["constraint"], "pattern");
  EXPECT_EQ(e["bound"], name_pattern_);
  EXPECT_TRUE(e["message"].is_string());
  EXPECT_TRUE(bad["notes"].is_array());
  EXPECT_EQ(objects[1]["valid"], true);
  EXPECT_TRUE(objects[1]["exception"].is_null());
  EXPECT_EQ(objects[1]["errors"].size(), 0u);
  EXPECT_EQ(objects[2]["exception"], "SerializationException");
  EXPECT_EQ(objects[2]["errors"][0]["constraint"], "syntax");
}

TEST_F(cli, json_output_is_json_whatever_the_file_name) {
  // A name with a quote, a tab, a control byte, a stray 0xFF and a
  // well-formed U+00E9: escaped as the canonical form escapes, the bad byte
  // replaced by U+FFFD, the good sequence kept.
  const std::string name = "q\"\t\x01\xff\xc3\xa9.json";
  const std::string file = write(name, R"({"PipelineName":"p","ClientRequestToken":")" + token_ + "\"}");
  const auto r = run("validate --json '" + file + "'");
  EXPECT_EQ(r.code, 0);
  const std::string line = r.out.substr(0, r.out.find('\n'));
  EXPECT_NE(line.find(R"(/q\"\t\u0001)"), std::string::npos) << line;
  const auto object = nlohmann::json::parse(line);
  EXPECT_EQ(object["input"], path("q\"\t\x01\xEF\xBF\xBD\xc3\xa9.json"));
  EXPECT_EQ(object["valid"], true);
}

TEST_F(cli, stdin_and_json_lines) {
  const std::string valid = R"({"PipelineName":"p","ClientRequestToken":")" + token_ + "\"}";
  EXPECT_EQ(run("validate -", valid).code, 0);
  EXPECT_EQ(run("validate", valid).code, 0);
  EXPECT_EQ(run("validate -", "{").code, 2);
  // stdin is one input: naming it twice is bad usage, not an empty second body.
  const auto twice = run("validate - " + path("valid.json") + " -", valid, true);
  EXPECT_EQ(twice.code, 64);
  EXPECT_NE(twice.out.find("more than once"), std::string::npos) << twice.out;
  // Nor can stdin be the model and a body at once (--model -, no FILE).
  const std::string model_file = std::string(SPE_SOURCE_DIR) + "/models/seed.json";
  std::ifstream model_in(model_file, std::ios::binary);
  const std::string model_text((std::istreambuf_iterator<char>(model_in)), std::istreambuf_iterator<char>());
  const auto both = run("validate --model - --operation StartPipelineExecution", model_text, true);
  EXPECT_EQ(both.code, 64);
  EXPECT_NE(both.out.find("both the model and a body"), std::string::npos) << both.out;
  EXPECT_EQ(run("validate --model - --operation StartPipelineExecution " + path("valid.json"), model_text).code, 0);
  const auto r = run("validate --jsonl --json -", valid + "\n{}\n" + valid + "\n");
  EXPECT_EQ(r.code, 1);
  const std::vector<nlohmann::json> objects = objects_of(r.out);
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[0]["input"], "<stdin>:1");
  EXPECT_EQ(objects[1]["valid"], false);
  EXPECT_EQ(objects[2]["valid"], true);
}

// --max-size and --max-depth take up to the hard bounds (json.hpp): the
// hard size bound reads files, stdin and JSON Lines as usual (the largest
// 64-bit value once wrapped the read bound to 0: a hang, and every line
// "empty"), and anything past it is bad usage, like a depth past 2^20.
TEST_F(cli, size_and_depth_bounds_up_to_the_hard_ones) {
  const std::string hard_size = std::to_string(spe::json::hard_max_size);
  const std::string hard_depth = std::to_string(spe::json::hard_max_depth);
  const std::string valid = R"({"PipelineName":"p","ClientRequestToken":")" + token_ + "\"}";
  for (const std::string& flags : {"--max-size " + hard_size, "--max-depth " + hard_depth}) {
    EXPECT_EQ(run("validate " + flags + " " + path("valid.json")).code, 0) << flags;
    EXPECT_EQ(run("validate " + flags + " -", valid).code, 0) << flags;
    const auto canon = run("canon " + flags + " -", valid);
    EXPECT_EQ(canon.code, 0) << flags;
    EXPECT_EQ(canon.out, run("canon -", valid).out) << flags;
    EXPECT_EQ(run("validate --jsonl " + flags + " -", valid + "\n" + valid + "\n").code, 0) << flags;
  }
  // Past the hard bound, and past any integer type, the message names the bound.
  for (const std::string& past :
       {"--max-size " + std::to_string(spe::json::hard_max_size + 1), std::string("--max-size 18446744073709551615"),
        std::string("--max-size 99999999999999999999999"),
        "--max-depth " + std::to_string(spe::json::hard_max_depth + 1), std::string("--max-depth 99999999999")}) {
    const auto r = run("validate " + past + " " + path("valid.json"), "", true);
    EXPECT_EQ(r.code, 64) << past;
    EXPECT_NE(r.out.find("is at most "), std::string::npos) << past << ": " << r.out;
  }
}

// A verdict nobody received must not read as one: output that cannot be
// written (a full disk, a closed stdout) is exit 74 with a message, on
// every command that prints.
TEST_F(cli, output_that_cannot_be_written_is_74) {
  for (const std::string& args :
       {"validate " + path("valid.json"), "validate --json " + path("invalid.json"),
        "canon " + path("valid.json"), std::string("schema --revision seed"), std::string("--help"),
        std::string("validate --help")}) {
    const auto full = run(args + " >/dev/full", "", true);
    EXPECT_EQ(full.code, 74) << args;
    EXPECT_NE(full.out.find("cannot write the output"), std::string::npos) << args << ": " << full.out;
    EXPECT_EQ(run(args + " >&-").code, 74) << args;
  }
}

// --jsonl: a blank line (only spaces, tabs, CR) is no body; the line
// numbers still count it.
TEST_F(cli, json_lines_skip_blank_lines_and_count_them) {
  const std::string valid = R"({"PipelineName":"p","ClientRequestToken":")" + token_ + "\"}";
  const auto r = run("validate --jsonl --json -", "\n" + valid + "\r\n \t\r\n\n{}\n\n");
  EXPECT_EQ(r.code, 1);
  std::vector<std::string> inputs;
  for (const nlohmann::json& o : objects_of(r.out)) inputs.push_back(o.at("input"));
  EXPECT_EQ(inputs, (std::vector<std::string>{"<stdin>:2", "<stdin>:5"}));
  // A line is blank by all its bytes, not by those kept under --max-size:
  // text after more blanks than the bound is a body past the bound.
  const auto cut = run("validate --jsonl --json --max-size 10 -", std::string(11, ' ') + "\t{\"not\":json\n \n");
  EXPECT_EQ(cut.code, 2);
  const auto verdict = nlohmann::json::parse(cut.out);
  EXPECT_EQ(verdict.at("input"), "<stdin>:1");
  EXPECT_EQ(verdict.at("errors").at(0).at("constraint"), "size");
  // The CR of a CRLF ending is the line's, not the body's: a body of exactly
  // --max-size bytes passes on either ending, one byte more fails on both.
  const std::string at_bound = "--max-size " + std::to_string(valid.size()) + " -";
  for (const char* ending : {"\n", "\r\n"}) {
    EXPECT_EQ(run("validate --jsonl " + at_bound, valid + ending).code, 0) << "ending " << (ending[0] == '\r');
    EXPECT_EQ(run("validate --jsonl " + at_bound, valid + " " + ending).code, 2) << "ending " << (ending[0] == '\r');
  }
}

// An input that cannot be read says why, and the others are still judged.
TEST_F(cli, an_unreadable_input_says_why) {
  const auto r = run("validate " + dir_.string() + " " + path("valid.json"), "", true);
  EXPECT_EQ(r.code, 66);
  EXPECT_NE(r.out.find("cannot read '" + dir_.string() + "': Is a directory"), std::string::npos)
      << r.out;
  const auto gone = run("validate " + path("gone.json"), "", true);
  EXPECT_NE(gone.out.find("No such file or directory"), std::string::npos) << gone.out;
  // The reason survives an output that fails too (writing to stderr flushes
  // stdout, which sets errno again): 74 wins, and each message keeps its own.
  const auto both = run("validate " + path("valid.json") + " " + path("gone.json") + " >/dev/full", "", true);
  EXPECT_EQ(both.code, 74);
  EXPECT_NE(both.out.find("cannot read '" + path("gone.json") + "': No such file or directory"), std::string::npos)
      << both.out;
}

// A model file is its own revision, and --operation picks an operation of
// one: the help's alternatives are refused together, not silently resolved.
TEST_F(cli, model_options_that_exclude_each_other_are_bad_usage) {
  const std::string model = std::string(SPE_SOURCE_DIR) + "/models/botocore-1.43.json";
  for (const std::string& args : {"validate --revision seed --model " + model, "validate --model " + model +
                                      " --revision seed", std::string("validate --operation StartPipelineExecution"),
                                  std::string("schema --operation Foo")}) {
    const auto r = run(args + (args.rfind("schema", 0) == 0 ? "" : " " + path("valid.json")), "", true);
    EXPECT_EQ(r.code, 64) << args << ": " << r.out;
    EXPECT_TRUE(r.out.find("exclude each other") != std::string::npos ||
                r.out.find("--operation needs --model") != std::string::npos)
        << args << ": " << r.out;
  }
  EXPECT_EQ(run("validate --model " + model + " --operation StartPipelineExecution " + path("valid.json")).code, 0);
}

// A --model file is read like a body, bounded: /dev/zero is refused as too
// large (bad usage), not read until memory runs out; a directory says why.
TEST_F(cli, a_model_file_is_read_bounded) {
  const auto zero = run("validate --model /dev/zero " + path("valid.json"), "", true);
  EXPECT_EQ(zero.code, 64);
  EXPECT_NE(zero.out.find("is larger than"), std::string::npos) << zero.out;
  const auto dir = run("schema --model " + dir_.string(), "", true);
  EXPECT_EQ(dir.code, 64);
  EXPECT_NE(dir.out.find("Is a directory"), std::string::npos) << dir.out;
  // Read once: a model on stdin is printed as it was read.
  std::ifstream in(std::string(SPE_SOURCE_DIR) + "/models/seed.json", std::ios::binary);
  const std::string model((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto piped = run("schema --model -", model);
  EXPECT_EQ(piped.code, 0);
  EXPECT_EQ(piped.out, model);
}

TEST_F(cli, revisions_strict_and_shapes) {
  // PipelineVersionId is unknown (so ignored) before 1.43, and 0 is below its minimum there.
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token_ +
                           R"(","PipelineVersionId":0})";
  write("v.json", body);
  EXPECT_EQ(run("validate " + path("v.json")).code, 0);
  EXPECT_EQ(run("validate --strict " + path("v.json")).code, 1);
  EXPECT_EQ(run("validate --revision botocore-1.43 " + path("v.json")).code, 1);
  write("err.json", R"({"__type":"ResourceNotFound","Message":"m"})");
  EXPECT_EQ(run("validate --shape error " + path("err.json")).code, 0);
  EXPECT_EQ(run("validate --shape response " + path("err.json")).code, 0);
  EXPECT_EQ(run("validate --shape response --strict " + path("err.json")).code, 1);
}

TEST_F(cli, a_model_file_is_judged_by_like_a_builtin_revision) {
  write("v.json", R"({"PipelineName":"p","ClientRequestToken":")" + token_ +
                      R"(","PipelineVersionId":0})");
  const std::string model = std::string(SPE_SOURCE_DIR) + "/models/botocore-1.43.json";
  EXPECT_EQ(run("validate --model " + model + " --operation StartPipelineExecution " +
                path("v.json"))
                .code,
            1);
  // A pattern outside the subset fails at load, naming the shape.
  write("bad-model.json",
        R"({"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{"In":)"
        R"({"type":"structure","members":{"A":{"shape":"S"}}},"S":{"type":"string",)"
        R"("pattern":"(?<=x)a"}}})");
  const std::string cmd = std::string(SPE_BINARY_DIR) + "/spe validate --model " +
                          path("bad-model.json") + " --operation Op " + path("v.json") + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string err;
  char buf[512];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) err.append(buf, n);
  EXPECT_EQ(WEXITSTATUS(pclose(p)), 64);
  EXPECT_NE(err.find("'S'"), std::string::npos) << err;
  EXPECT_NE(err.find("lookbehind"), std::string::npos) << err;
}

// An operation without an output answers {}: validate judges a response by
// a structure with no members, and the JSON Schema export is that same
// structure (it used to be refused as bad usage).
TEST_F(cli, an_operation_without_output_has_an_empty_response_shape) {
  write("no-output.json", R"({"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{"In":)"
                          R"({"type":"structure","members":{"A":{"shape":"S"}}},"S":{"type":"string"}}})");
  write("empty.json", "{}");
  write("member.json", R"({"A":"x"})");
  const std::string with = "--model " + path("no-output.json") + " --operation Op ";
  EXPECT_EQ(run("validate " + with + "--shape response " + path("empty.json")).code, 0);
  EXPECT_EQ(run("validate " + with + "--shape response " + path("member.json")).code, 0);
  EXPECT_EQ(run("validate " + with + "--shape response --strict " + path("member.json")).code, 1);
  const auto loose = run("schema " + with + "--format json-schema --shape response");
  ASSERT_EQ(loose.code, 0) << loose.out;
  EXPECT_NE(loose.out.find("\"#/$defs/NoOutput\""), std::string::npos) << loose.out;
  EXPECT_EQ(loose.out.find("\"additionalProperties\""), std::string::npos) << loose.out;
  EXPECT_EQ(loose.out.find("\"In\""), std::string::npos) << "the request shape is not the response's: " << loose.out;
  const auto strict = run("schema " + with + "--format json-schema --shape response --strict");
  ASSERT_EQ(strict.code, 0) << strict.out;
  EXPECT_NE(strict.out.find("\"additionalProperties\": false"), std::string::npos) << strict.out;
}

// Any shape name and model path make a usable schema: each $ref is an RFC
// 6901 pointer ('~' and '/' escaped) in a percent-encoded URI fragment, so
// it resolves to its $defs entry, and $id holds no '#' or space.
TEST_F(cli, schema_refs_resolve_whatever_the_names) {
  const std::string odd = "X/Y~Z %";
  write("odd model#2.json", R"({"operations":{"Op":{"name":"Op","input":{"shape":"In"}}},"shapes":{"In":)"
                            R"({"type":"structure","members":{"A":{"shape":")" + odd + R"("}}},")" + odd +
                                R"(":{"type":"string","max":3}}})");
  const auto r = run("schema --model '" + path("odd model#2.json") + "' --operation Op --format json-schema");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  const std::string id = doc.at("$id");
  EXPECT_EQ(id.find_first_of("# "), std::string::npos) << id;
  // An optional member: null, or the shape.
  const std::string ref = doc.at("$defs").at("In").at("properties").at("A").at("anyOf").at(1).at("$ref");
  ASSERT_TRUE(ref.starts_with("#/")) << ref;
  std::string pointer;  // the fragment, percent-decoded
  for (std::size_t i = 1; i < ref.size(); ++i) {
    if (ref[i] == '%' && i + 2 < ref.size()) {
      pointer += static_cast<char>(std::stoi(ref.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      pointer += ref[i];
    }
  }
  const auto& target = doc.at(nlohmann::json::json_pointer(pointer));
  EXPECT_EQ(target.at("maxLength"), 3) << ref;
}

TEST_F(cli, canon_prints_the_canonical_form_of_valid_bodies_only) {
  write("spaced.json", "{ \"PipelineName\" : \"p\" ,\n \"ClientRequestToken\" : \"" + token_ + "\" }");
  auto r = run("canon " + path("spaced.json"));
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, R"({"ClientRequestToken":")" + token_ + R"(","PipelineName":"p"})" + "\n");
  EXPECT_EQ(run("canon " + path("invalid.json")).code, 1);
  EXPECT_EQ(run("canon " + path("malformed.json")).code, 2);
}

TEST_F(cli, schema_and_pattern) {
  auto r = run("schema --list");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "seed\nbotocore-1.29\nbotocore-1.43\n");
  // --list lists the built-in revisions and nothing else: a revision or a
  // model beside it was silently ignored, so a misspelt one passed.
  for (const char* other : {"--revision bogus", "--model nonexistent.json", "--format json-schema"}) {
    EXPECT_EQ(run(std::string("schema --list ") + other).code, 64) << other;
  }
  r = run("schema --revision botocore-1.43");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("SelectiveExecutionConfig"), std::string::npos);
  EXPECT_EQ(run("pattern --check '^[a-z]+$' abc def").code, 0);
  EXPECT_EQ(run("pattern --check '^[a-z]+$' abc DEF").code, 1);
  EXPECT_EQ(run("pattern --check '(?=a)' a").code, 64);
  EXPECT_EQ(run("pattern --revision seed --shape PipelineName my-pipe").code, 0);
  EXPECT_EQ(run("pattern --revision seed --shape PipelineName -- -pipe").code, 1);
}

}  // namespace
