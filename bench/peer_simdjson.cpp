// Peers 1 and 2: simdjson On-Demand.
//
// Peer 1 visits every member and every value -- keys as raw JSON strings,
// string values unescaped, numbers parsed -- and checks nothing: the cost of
// touching the whole body with the fastest parser Debian ships, the practical
// limit for any validator built on it. Its valid count is the number of
// bodies it could walk, not a verdict on the schema.
//
// Peer 2 is the validator a developer writes in an afternoon on the same
// parser: the members of the request written out by hand, bounds and
// patterns from the model (hand_rules.hpp), std::regex for the patterns. It
// keeps to the service's rules that a careful afternoon gets right: a null
// member counts as absent, a null list element and a value of the wrong JSON
// type are errors, duplicate member names anywhere are errors, unknown
// members are ignored, and nothing may follow the root value. A duplicate
// name, a wrong type or a null element is a SerializationException, the
// end of the service's judgement: the peer stops there too (a bool is all
// it answers, so it need not read the rest); the ValidationException items
// it walks on for, as the service lists them all.
#include <simdjson.h>

#include "hand_rules.hpp"
#include "peers.hpp"

namespace spe::bench {
namespace {

namespace od = simdjson::ondemand;

simdjson::padded_string_view padded(const std::string& body) {
  return simdjson::padded_string_view(body.data(), body.size(), body.capacity());
}

class simdjson_walk final : public peer {
 public:
  std::string_view name() const noexcept override { return "simdjson-walk"; }
  std::string_view description() const noexcept override {
    return "simdjson On-Demand visiting every member and value; checks no rule (the practical limit)";
  }
  bool checks_rules() const noexcept override { return false; }

  bool valid(const std::string& body) noexcept override {
    od::document doc;
    if (parser_.iterate(padded(body)).get(doc)) return false;
    od::json_type t;
    if (doc.type().get(t)) return false;
    // On-Demand reads a scalar root through the document itself.
    switch (t) {
      case od::json_type::string: {
        std::string_view s;
        return !doc.get_string().get(s);
      }
      case od::json_type::number: {
        od::number n;
        return !doc.get_number().get(n);
      }
      case od::json_type::boolean: {
        bool b;
        return !doc.get_bool().get(b);
      }
      case od::json_type::null: {
        bool n = false;
        return !doc.is_null().get(n) && n;
      }
      default: break;
    }
    od::value root;
    if (doc.get_value().get(root)) return false;
    return walk(root) == simdjson::SUCCESS;
  }

 private:
  simdjson::error_code walk(od::value v) {
    od::json_type t;
    if (auto e = v.type().get(t)) return e;
    switch (t) {
      case od::json_type::object: {
        od::object o;
        if (auto e = v.get_object().get(o)) return e;
        for (auto field : o) {
          od::raw_json_string key;
          if (auto e = field.key().get(key)) return e;
          od::value member;
          if (auto e = field.value().get(member)) return e;
          if (auto e = walk(member)) return e;
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::array: {
        od::array a;
        if (auto e = v.get_array().get(a)) return e;
        for (auto element : a) {
          od::value item;
          if (auto e = element.get(item)) return e;
          if (auto e = walk(item)) return e;
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::string: {
        std::string_view s;
        return v.get_string().get(s);
      }
      case od::json_type::number: {
        od::number n;
        return v.get_number().get(n);
      }
      case od::json_type::boolean: {
        bool b;
        return v.get_bool().get(b);
      }
      case od::json_type::null: {
        bool n;
        if (auto e = v.is_null().get(n)) return e;
        return n ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
      }
    }
    return simdjson::INCORRECT_TYPE;
  }

  od::parser parser_;
};

class simdjson_hand final : public peer {
 public:
  explicit simdjson_hand(seed_rules rules) : rules_(std::move(rules)) {}

  std::string_view name() const noexcept override { return "simdjson-hand"; }
  std::string_view description() const noexcept override {
    return "simdjson On-Demand + hand-written checks + std::regex (std::wregex, Java '.' rewritten)";
  }

  bool valid(const std::string& body) noexcept override {
    try {
      return judge(body);
    } catch (...) {  // std::regex_error (stack, complexity) or bad_alloc
      return false;
    }
  }

 private:
  // Outcome of one member: absent (missing or null), or present; `ok_`
  // turns false on a ValidationException item and the walk goes on, as the
  // service lists every one; `failed_` ends it: malformed JSON, or a
  // SerializationException, after which the service checks nothing more.
  bool judge(const std::string& body) {
    ok_ = true;
    failed_ = false;
    keys_.clear();
    od::document doc;
    if (parser_.iterate(padded(body)).get(doc)) return false;
    od::object root;
    if (doc.get_object().get(root)) return false;
    bool token = false;
    bool name = false;
    const std::size_t frame = keys_.size();
    for (auto field : root) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      if (!remember_key(frame, key)) return false;
      od::value v;
      if (field.value().get(v)) return false;
      if (key == "ClientRequestToken") {
        token = string_member(v, rules_.client_request_token);
      } else if (key == "PipelineName") {
        name = string_member(v, rules_.pipeline_name);
      } else if (key == "PipelineExecutionDisplayName") {
        string_member(v, rules_.display_name);
      } else if (key == "PipelineExecutionDescription") {
        string_member(v, rules_.description);
      } else if (key == "PipelineParameters") {
        parameters(v);
      } else {
        if (!unknown(v)) return false;
      }
      if (failed_) return false;
    }
    // Nothing but whitespace may follow the root (OUT_OF_BOUNDS: at the end).
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) return false;
    return ok_ && token && name;
  }

  // Records `key` in the current object (from keys_[frame]); false when it
  // repeats an earlier one.
  bool remember_key(std::size_t frame, std::string_view key) {
    for (std::size_t i = frame; i < keys_.size(); ++i) {
      if (keys_[i] == key) return false;
    }
    keys_.push_back(key);
    return true;
  }

  // True when the member is present (not null).
  bool string_member(od::value v, const string_rule& rule) {
    bool is_null = false;
    if (v.is_null().get(is_null)) {
      failed_ = true;
      return false;
    }
    if (is_null) return false;
    std::string_view s;
    if (v.get_string().get(s)) {
      failed_ = true;  // wrong JSON type
      return true;
    }
    if (!rule.check(s, scratch_)) ok_ = false;
    return true;
  }

  void parameters(od::value v) {
    bool is_null = false;
    if (v.is_null().get(is_null)) {
      failed_ = true;
      return;
    }
    if (is_null) return;
    od::array list;
    if (v.get_array().get(list)) {
      failed_ = true;  // wrong JSON type
      return;
    }
    std::size_t count = 0;
    for (auto element : list) {
      ++count;
      od::value item;
      if (element.get(item)) {
        failed_ = true;
        return;
      }
      parameter(item);
      if (failed_) return;
    }
    if (!rules_.parameters.check(count)) ok_ = false;
  }

  void parameter(od::value v) {
    bool is_null = false;
    if (v.is_null().get(is_null)) {
      failed_ = true;
      return;
    }
    od::object o;
    if (is_null || v.get_object().get(o)) {
      failed_ = true;  // a null element, or the wrong JSON type
      return;
    }
    const std::size_t frame = keys_.size();
    bool name = false;
    bool value = false;
    for (auto field : o) {
      std::string_view key;
      od::value member;
      if (field.unescaped_key().get(key) || field.value().get(member)) {
        failed_ = true;
        return;
      }
      if (!remember_key(frame, key)) {
        failed_ = true;
        return;
      }
      if (key == "Name") {
        name = string_member(member, rules_.parameter_name);
      } else if (key == "Value") {
        value = string_member(member, rules_.parameter_value);
      } else if (!unknown(member)) {
        failed_ = true;
      }
      if (failed_) return;
    }
    keys_.resize(frame);
    if (!name || !value) ok_ = false;
  }

  // An unknown member is ignored, but its objects may not repeat a key.
  // False when the body is refused: malformed JSON, or a repeated key.
  bool unknown(od::value v) {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::object) {
      od::object o;
      if (v.get_object().get(o)) return false;
      const std::size_t frame = keys_.size();
      for (auto field : o) {
        std::string_view key;
        od::value member;
        if (field.unescaped_key().get(key) || field.value().get(member)) return false;
        if (!remember_key(frame, key) || !unknown(member)) return false;
      }
      keys_.resize(frame);
      return true;
    }
    if (t == od::json_type::array) {
      od::array a;
      if (v.get_array().get(a)) return false;
      for (auto element : a) {
        od::value item;
        if (element.get(item) || !unknown(item)) return false;
      }
      return true;
    }
    // Scalars: read them, so that a bad number or literal is caught.
    switch (t) {
      case od::json_type::string: {
        std::string_view s;
        return !v.get_string().get(s);
      }
      case od::json_type::number: {
        od::number n;
        return !v.get_number().get(n);
      }
      case od::json_type::boolean: {
        bool b;
        return !v.get_bool().get(b);
      }
      default: {
        bool n = false;
        return !v.is_null().get(n) && n;
      }
    }
  }

  od::parser parser_;
  seed_rules rules_;
  std::wstring scratch_;
  std::vector<std::string_view> keys_;
  bool ok_ = true;
  bool failed_ = false;  // malformed JSON or a SerializationException: refused outright
};

}  // namespace

std::unique_ptr<peer> make_simdjson_walk() { return std::make_unique<simdjson_walk>(); }

std::unique_ptr<peer> make_simdjson_hand(const model::service_model& m, std::string& why) {
  auto rules = load_seed_rules(m, why);
  if (!rules) return nullptr;
  return std::make_unique<simdjson_hand>(std::move(*rules));
}

}  // namespace spe::bench
