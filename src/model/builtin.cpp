// The revisions built into spe: models/*.json, embedded by cmake/embed.cmake
// into models_embedded.cpp, loaded and compiled on first use.
//
// Each revision has its own once-flag, so asking for `seed` never pays for
// compiling the botocore revisions' patterns, and many threads asking at once
// load it exactly once. A built-in model that fails to load is a build
// defect (tests/model_revisions_test.cpp loads every one); here it just
// makes builtin() return null, as for an unknown name.
#include <array>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string_view>

#include "spe/model.hpp"

namespace spe::model::embedded {

// Defined in the generated models_embedded.cpp (cmake/embed.cmake).
struct entry {
  std::string_view name;
  std::string_view text;
};
extern const entry models[];
extern const std::size_t model_count;

}  // namespace spe::model::embedded

namespace spe::model {

namespace {

constexpr std::array<std::string_view, 3> revision_names = {"seed", "botocore-1.29",
                                                            "botocore-1.43"};

// The operation every built-in model holds.
constexpr std::string_view builtin_operation = "StartPipelineExecution";

struct slot {
  std::once_flag once;
  std::optional<service_model> model;
};

std::array<slot, revision_names.size()>& slots() noexcept {
  static std::array<slot, revision_names.size()> all;
  return all;
}

}  // namespace

std::span<const std::string_view> builtin_revisions() noexcept { return revision_names; }

std::string_view builtin_source(std::string_view revision) noexcept {
  for (std::size_t i = 0; i < embedded::model_count; ++i) {
    if (embedded::models[i].name == revision) return embedded::models[i].text;
  }
  return {};
}

const service_model* builtin(std::string_view revision) noexcept {
  for (std::size_t i = 0; i < revision_names.size(); ++i) {
    if (revision_names[i] != revision) continue;
    slot& s = slots()[i];
    try {
      std::call_once(s.once, [&s, name = revision_names[i]] {
        std::string_view text = builtin_source(name);
        if (text.empty()) return;
        auto loaded = load(text, builtin_operation, name);
        if (loaded) s.model.emplace(std::move(loaded.value()));
      });
    } catch (...) {
      // call_once reports a failing platform primitive by throwing
      // std::system_error; the API promises null instead.
      return nullptr;
    }
    return s.model ? &*s.model : nullptr;
  }
  return nullptr;
}

}  // namespace spe::model
