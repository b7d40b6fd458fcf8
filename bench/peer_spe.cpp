// Peer 6: spe itself, through spe::validator::judge with default options --
// the same judgement the command line gives, messages and all. The corpus
// keeps simdjson's padding after every body (peers 1 and 2 need it), so spe
// is handed the same padded buffer (json::padded_view) and reads it in
// place, as peers 1 and 2 do; judge(std::string_view) would copy it first.
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
    return validator_.judge(json::padded_view(body.data(), body.size(), body.capacity())).result ==
           verdict::valid;
  }

 private:
  validator validator_;
};

}  // namespace

std::unique_ptr<peer> make_spe(const model::service_model& m) { return std::make_unique<spe_peer>(m); }

}  // namespace spe::bench
