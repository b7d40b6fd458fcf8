// Peer 3: nlohmann::json + the hand-written checks + std::regex.
//
// The most common way to read JSON in C++: parse into a DOM, look members up
// by name, check them by hand. nlohmann::json keeps the last of duplicate
// members silently, so the parse callback records each object's keys and
// flags a repeat (the service refuses duplicates; SPEC.md section 2). The
// checks are those of peer 2 (hand_rules.hpp), on the DOM instead of the
// On-Demand stream.
#include <nlohmann/json.hpp>

#include "hand_rules.hpp"
#include "peers.hpp"

namespace spe::bench {
namespace {

using json = nlohmann::json;

class nlohmann_hand final : public peer {
 public:
  explicit nlohmann_hand(seed_rules rules) : rules_(std::move(rules)) {}

  std::string_view name() const noexcept override { return "nlohmann-hand"; }
  std::string_view description() const noexcept override {
    return "nlohmann::json DOM + hand-written checks + std::regex; duplicates caught in the parse callback";
  }

  bool valid(const std::string& body) noexcept override {
    try {
      return judge(body);
    } catch (...) {  // parse_error, type_error, regex_error, bad_alloc
      return false;
    }
  }

 private:
  bool judge(const std::string& body) {
    keys_.clear();
    frames_.clear();
    duplicate_ = false;
    const json::parser_callback_t track = [this](int, json::parse_event_t event, json& parsed) {
      switch (event) {
        case json::parse_event_t::object_start: frames_.push_back(keys_.size()); break;
        case json::parse_event_t::object_end:
          keys_.resize(frames_.back());
          frames_.pop_back();
          break;
        case json::parse_event_t::key: {
          const auto& key = parsed.get_ref<const std::string&>();
          for (std::size_t i = frames_.back(); i < keys_.size(); ++i) {
            if (keys_[i] == key) duplicate_ = true;
          }
          keys_.push_back(key);
          break;
        }
        default: break;
      }
      return true;
    };
    const json doc = json::parse(body, track);
    if (duplicate_ || !doc.is_object()) return false;

    // A value of the wrong JSON type is a SerializationException: the
    // service stops at the first, so the checks do too (every
    // ValidationException item is still found: the service lists them all).
    if (wrong_type(doc, "ClientRequestToken") || wrong_type(doc, "PipelineName") ||
        wrong_type(doc, "PipelineExecutionDisplayName") || wrong_type(doc, "PipelineExecutionDescription")) {
      return false;
    }
    const auto list = doc.find("PipelineParameters");
    const bool has_list = list != doc.end() && !list->is_null();
    if (has_list) {
      if (!list->is_array()) return false;
      for (const json& p : *list) {
        if (!p.is_object() || wrong_type(p, "Name") || wrong_type(p, "Value")) return false;  // null elements included
      }
    }
    bool ok = true;
    ok &= string_member(doc, "ClientRequestToken", rules_.client_request_token, true);
    ok &= string_member(doc, "PipelineName", rules_.pipeline_name, true);
    ok &= string_member(doc, "PipelineExecutionDisplayName", rules_.display_name, false);
    ok &= string_member(doc, "PipelineExecutionDescription", rules_.description, false);
    if (has_list) {
      ok &= rules_.parameters.check(list->size());
      for (const json& p : *list) {
        ok &= string_member(p, "Name", rules_.parameter_name, true);
        ok &= string_member(p, "Value", rules_.parameter_value, true);
      }
    }
    return ok;
  }

  // Whether the member is there, not null, and not a string.
  static bool wrong_type(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && !it->is_null() && !it->is_string();
  }

  // A member that is absent or null counts as absent (the type is checked).
  bool string_member(const json& object, const char* key, const string_rule& rule, bool required) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return !required;
    return rule.check(it->get_ref<const std::string&>(), scratch_);
  }

  seed_rules rules_;
  std::wstring scratch_;
  std::vector<std::string> keys_;
  std::vector<std::size_t> frames_;
  bool duplicate_ = false;
};

}  // namespace

std::unique_ptr<peer> make_nlohmann_hand(const model::service_model& m, std::string& why) {
  auto rules = load_seed_rules(m, why);
  if (!rules) return nullptr;
  return std::make_unique<nlohmann_hand>(std::move(*rules));
}

}  // namespace spe::bench
