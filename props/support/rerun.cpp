// Prints, after a failed property, the command that re-runs exactly that
// property with exactly these parameters (RapidCheck's own "reproduce"
// line, printed at exit, replays the shrunk case itself).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include <unistd.h>

namespace {

class rerun_printer : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (!info.result()->Failed()) return;
    const char* params = std::getenv("RC_PARAMS");
    std::cout << "\nTo re-run this property alone:\n  RC_PARAMS=\"" << (params ? params : "")
              << "\" " << program() << " --gtest_filter=" << info.test_suite_name() << "."
              << info.name() << "\n"
              << std::endl;
  }

  static std::string program() {
    // /proc/self/exe names the binary wherever ctest ran it from.
    char buf[4096];
    const auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("<this binary>");
  }
};

const bool registered = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new rerun_printer);
  return true;
}();

}  // namespace
