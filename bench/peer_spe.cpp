// Peer 6: spe itself, through the one entry point every consumer uses
// (spe::validator::judge), with default options -- the same judgement the
// command line gives, messages and all.
#include "peers.hpp"
#include "spe/validate.hpp"

namespace spe::bench {
namespace {

class spe_peer final : public peer {
 public:
  explicit spe_peer(const model::service_model& m) : validator_(m) {}

  std::string_view name() const noexcept override { return "spe"; }
  std::string_view description() const noexcept override {
    return "spe::validator::judge (strict JSON, model-driven checks, DFA patterns, AWS messages)";
  }

  bool valid(const std::string& body) noexcept override {
    return validator_.judge(body).result == verdict::valid;
  }

 private:
  validator validator_;
};

}  // namespace

std::unique_ptr<peer> make_spe(const model::service_model& m) { return std::make_unique<spe_peer>(m); }

}  // namespace spe::bench
