// spe as a library, from outside its tree (see CMakeLists.txt beside this).
//
//   spe_consumer [--revision R] FILE...   judge each file as a request
//   spe_consumer [--revision R] --draw SEED
//                                         draw a valid request with spe::gen,
//                                         print it and judge it
//
// Prints "<file>: <verdict>", for a rejected body AWS's message, and a line
// per note, as `spe validate` prints them. Exit 0
// when every body is valid, 1 when one is not, 2 on bad usage or an
// unreadable file.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "spe/gen.hpp"
#include "spe/validate.hpp"

namespace {

int report(const std::string& name, const spe::judgement& j) {
  std::cout << name << ": " << spe::to_string(j.result);
  if (j.result != spe::verdict::valid) std::cout << " (" << j.exception << "): " << j.message;
  std::cout << '\n';
  for (const spe::diagnostic& n : j.notes) {  // e.g. an unknown member, ignored
    std::cout << "  note: " << (n.pointer.empty() ? "(root)" : n.pointer) << ": " << n.message << '\n';
  }
  return j.result == spe::verdict::valid ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string revision = "seed";
  int i = 1;
  if (i + 1 < argc && std::string(argv[i]) == "--revision") {
    revision = argv[i + 1];
    i += 2;
  }
  const spe::model::service_model* model = spe::model::builtin(revision);
  if (model == nullptr || i >= argc) {
    std::cerr << "usage: spe_consumer [--revision R] (FILE... | --draw SEED)\n";
    return 2;
  }
  spe::validator validator(*model);

  if (std::string(argv[i]) == "--draw") {
    if (i + 1 >= argc) return 2;
    spe::gen::seeded_source source(std::stoull(argv[i + 1]));
    const auto body = spe::gen::valid(*model, *model->input(), source);
    if (!body) {
      std::cerr << "spe_consumer: the model admits no valid body\n";
      return 2;
    }
    std::cout << body->json << '\n';
    return report("drawn", validator.judge(body->json));
  }

  int status = 0;
  for (; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::ostringstream text;
    if (in.is_open()) text << in.rdbuf();
    if (!in.is_open() || in.bad()) {
      std::cerr << "spe_consumer: cannot read " << argv[i] << '\n';
      return 2;
    }
    if (report(argv[i], validator.judge(text.str())) != 0) status = 1;
  }
  return status;
}
