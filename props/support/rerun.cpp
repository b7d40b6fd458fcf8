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
    const std::string filter = std::string(" --gtest_filter=") + info.test_suite_name() + "." + info.name();
    std::cout << "\nTo re-run this property alone (from the source tree):\n  RC_PARAMS=\""
              << (params ? params : "") << "\" " << program() << filter
              << "\nTo replay only its shrunk case, put RapidCheck's reproduce string in front instead:\n"
              << "  RC_PARAMS=\"reproduce=<the string RapidCheck prints when the run ends>\" " << program() << filter << "\n"
              << std::endl;
  }

  // The binary, relative to the source tree when it is inside it (as the
  // presets' build/<preset>/ are), so that the line works in any clone; from
  // /proc/self/exe, wherever ctest ran it from.
  static std::string program() {
    char buf[4096];
    const auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return "<this binary>";
    std::string path(buf, static_cast<std::size_t>(n));
    const std::string source = std::string(SPE_SOURCE_DIR) + "/";
    if (path.compare(0, source.size(), source) == 0) path.erase(0, source.size());
    return path;
  }
};

const bool registered = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new rerun_printer);
  return true;
}();

}  // namespace
