// The model loader: botocore service-2.json text -> spe::model::service_model.
//
// The text is parsed once with simdjson's DOM (load time only; judging a body
// never touches it), every object is checked for duplicate keys, and then the
// shapes reachable from one operation are built: its input, then depth-first
// in member order, then its output and its errors. Shapes are created on
// first reference and filled when the walk reaches them, so a recursive shape
// (botocore allows them) is just a pointer back to a shape already made, and
// the walk keeps its own stack, so a hostile chain of shapes cannot overflow
// the machine's. Each shape's traits are read in one pass: the constraints
// spe enforces (min, max, pattern, required, ...) are checked and kept, the
// constraints it cannot enforce (enum, union, ...) are refused, since a
// validator that silently skips a constraint would call invalid bodies valid,
// and everything else (documentation, idempotencyToken, box, ...) is ignored.
// Every pattern is compiled here, once per distinct pattern text.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <tuple>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "spe/json.hpp"
#include "spe/model.hpp"
#include "spe/pattern.hpp"

namespace spe::model {

void append_lower_camel(std::string& out, std::string_view name) {
  const std::size_t first = out.size();
  out += name;
  if (!name.empty() && out[first] >= 'A' && out[first] <= 'Z') {
    out[first] = static_cast<char>(out[first] - 'A' + 'a');
  }
}

std::string lower_camel(std::string_view name) {
  std::string out;
  append_lower_camel(out, name);
  return out;
}

std::string_view to_string(shape_type t) noexcept {
  switch (t) {
    case shape_type::structure:
      return "structure";
    case shape_type::list:
      return "list";
    case shape_type::string:
      return "string";
    case shape_type::integer:
      return "integer";
    case shape_type::long_integer:
      return "long";
  }
  return "?";
}

namespace {

// Equality of two byte ranges of length n, compared inline a word at a time
// (the last word overlapping the one before): member names are short, and a
// call to memcmp costs more than they do.
template <class Word>
bool same_word(const char* a, const char* b) noexcept {
  Word x;
  Word y;
  std::memcpy(&x, a, sizeof x);
  std::memcpy(&y, b, sizeof y);
  return x == y;
}

bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (!same_word<std::uint64_t>(a + i, b + i)) return false;
    }
    return same_word<std::uint64_t>(a + n - 8, b + n - 8);
  }
  if (n >= 4) return same_word<std::uint32_t>(a, b) && same_word<std::uint32_t>(a + n - 4, b + n - 4);
  for (; n > 0; ++a, ++b, --n) {
    if (*a != *b) return false;
  }
  return true;
}

}  // namespace

int shape::find_member(std::string_view member_name) const noexcept {
  // Called for every member of every object judged: names of one structure
  // mostly differ in length or in their last byte ("PipelineExecution..."
  // share long prefixes), so those are compared before the rest.
  const std::size_t n = member_name.size();
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string& candidate = members[i].name;
    if (candidate.size() == n && (n == 0 || candidate.back() == member_name.back()) &&
        same_bytes(candidate.data(), member_name.data(), n)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

service_model::service_model() = default;
service_model::~service_model() = default;
service_model::service_model(service_model&&) noexcept = default;
service_model& service_model::operator=(service_model&&) noexcept = default;

const shape& service_model::response() const noexcept {
  static const shape no_output = [] {
    shape s;
    s.name = "NoOutput";
    s.type = shape_type::structure;
    return s;
  }();
  return output_ ? *output_ : no_output;
}

const shape* service_model::find(std::string_view shape_name) const noexcept {
  for (const shape* s : order_) {
    if (s->name == shape_name) return s;
  }
  return nullptr;
}

const shape* service_model::find_error(std::string_view error_name) const noexcept {
  for (const shape* s : errors_) {
    if (s->name == error_name) return s;
  }
  return nullptr;
}

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Views of an element whose type() was checked by the caller.
object fields(element e) { return e.get_object().value_unsafe(); }
array items(element e) { return e.get_array().value_unsafe(); }

// by_name holds uint16 indices (compact: it is walked for every body).
constexpr std::size_t max_members = std::numeric_limits<std::uint16_t>::max();

std::string in_quotes(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

// A JSON pointer for a duplicate-key message (RFC 6901 escaping).
std::string pointer_of(const std::vector<std::string_view>& path) {
  std::string out;
  for (std::string_view key : path) {
    out += '/';
    json::append_pointer_token(out, key);
  }
  return out.empty() ? std::string("/") : out;
}

const char* json_type_name(element_type t) {
  switch (t) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
      return "an integer";
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

// Traits that are constraints spe does not enforce: a model using them on a
// reachable shape is refused rather than half-enforced.
bool is_unsupported_trait(std::string_view key) {
  for (std::string_view bad : {"enum", "union", "document", "eventstream", "streaming"}) {
    if (key == bad) return true;
  }
  return false;
}

}  // namespace

// Friend of service_model (see the header): builds one in place.
struct loader {
  service_model model;
  std::string error;

  bool run(std::string_view text, std::string_view operation, std::string_view revision_name);

 private:
  // The DOM and everything viewing into it (names, elements) live as long
  // as the loader.
  simdjson::dom::parser parser_;
  std::unordered_map<std::string_view, element> shape_json_;
  std::unordered_map<std::string_view, shape*> made_;
  std::vector<shape*> stack_;  // shapes made, waiting to be filled
  std::unordered_set<const shape*> visited_;
  std::vector<std::pair<std::string_view, std::shared_ptr<const pattern::compiled>>> patterns_;
  std::vector<std::string_view> path_;

  bool fail(std::string message) {
    error = std::move(message);
    return false;
  }
  bool check_duplicates(element e);
  bool index_shapes(element root);
  bool shape_ref(element ref, std::string_view whose, shape*& out);
  bool fill(shape& s, element json);
  bool read_bound(const shape& s, std::string_view key, element value, std::int64_t& out);
  bool read_pattern(shape& s, element value);
  bool read_members(shape& s, element value, std::vector<shape*>& children);
  bool read_required(shape& s, element value);
  bool check_root(std::string_view role, const shape* s);
  void mark_finite();
};

// shape::finite, as a least fixpoint: a string or integer is finite; a list
// is when it may be empty or its element is; a structure is when every
// required member is. Worked off a queue in time linear in shapes and
// members (each container counts what it still waits for; a shape that
// becomes finite tells those that wait for it): a pass over all shapes per
// step of a chain of required structures was quadratic, minutes for a
// model of 80,000 links.
void loader::mark_finite() {
  const auto& shapes = model.owned_;
  std::unordered_map<const shape*, std::size_t> index;
  index.reserve(shapes.size());
  for (std::size_t i = 0; i < shapes.size(); ++i) index.emplace(shapes[i].get(), i);
  std::vector<std::size_t> waiting(shapes.size(), 0);            // blockers left
  std::vector<std::vector<std::size_t>> waiters(shapes.size());  // who waits, once per blocker
  std::vector<std::size_t> ready;
  const auto waits_for = [&](std::size_t i, const shape* target) {
    ++waiting[i];
    waiters[index.at(target)].push_back(i);
  };
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    shape& s = *shapes[i];
    s.finite = false;
    if (s.type == shape_type::list) {
      if (s.has_min && s.min > 0) {
        if (s.element != nullptr) {
          waits_for(i, s.element);
        } else {
          ++waiting[i];  // no element shape: never finite
        }
      }
    } else if (s.type == shape_type::structure) {
      for (const member& m : s.members) {
        if (m.required) waits_for(i, m.target);
      }
    }
    if (waiting[i] == 0) ready.push_back(i);
  }
  while (!ready.empty()) {
    const std::size_t i = ready.back();
    ready.pop_back();
    shapes[i]->finite = true;
    for (const std::size_t w : waiters[i]) {
      if (--waiting[w] == 0) ready.push_back(w);
    }
  }
}

// Walks every object of the document once. Depth is bounded by simdjson's
// DOM parser (1024), which bounds this recursion.
bool loader::check_duplicates(element e) {
  if (e.type() == element_type::ARRAY) {
    std::size_t i = 0;
    std::string index;
    for (element child : items(e)) {
      index = std::to_string(i++);
      path_.push_back(index);
      if (!check_duplicates(child)) return false;
      path_.pop_back();
    }
    return true;
  }
  if (e.type() != element_type::OBJECT) return true;
  std::vector<std::string_view> keys;
  keys.reserve(fields(e).size());
  for (auto field : fields(e)) keys.push_back(field.key);
  std::sort(keys.begin(), keys.end());
  auto dup = std::adjacent_find(keys.begin(), keys.end());
  if (dup != keys.end()) {
    return fail("malformed model JSON: duplicate key " + in_quotes(*dup) + " in the object at " +
                pointer_of(path_));
  }
  for (auto field : fields(e)) {
    path_.push_back(field.key);
    if (!check_duplicates(field.value)) return false;
    path_.pop_back();
  }
  return true;
}

bool loader::index_shapes(element root) {
  element shapes;
  if (root.at_key("shapes").get(shapes) != simdjson::SUCCESS ||
      shapes.type() != element_type::OBJECT) {
    return fail("model has no 'shapes' object");
  }
  shape_json_.reserve(fields(shapes).size());
  for (auto field : fields(shapes)) shape_json_.emplace(field.key, field.value);
  return true;
}

// `ref` is {"shape": "Name"}: returns the shape called Name, made (empty) on
// first reference; fill() completes it when the walk reaches it.
bool loader::shape_ref(element ref, std::string_view whose, shape*& out) {
  std::string_view name;
  if (ref.type() != element_type::OBJECT || ref.at_key("shape").get(name) != simdjson::SUCCESS) {
    return fail(std::string(whose) + " has no 'shape' name");
  }
  if (auto it = made_.find(name); it != made_.end()) {
    out = it->second;
    return true;
  }
  if (shape_json_.find(name) == shape_json_.end()) {
    return fail("shape " + in_quotes(name) + " is not defined (referenced by " +
                std::string(whose) + ")");
  }
  auto owned = std::make_unique<shape>();
  owned->name = std::string(name);
  out = owned.get();
  model.owned_.push_back(std::move(owned));
  made_.emplace(name, out);
  return true;
}

bool loader::read_bound(const shape& s, std::string_view key, element value, std::int64_t& out) {
  if (value.type() != element_type::INT64) {
    std::string what = value.type() == element_type::UINT64 ? "an integer out of range"
                                                            : json_type_name(value.type());
    return fail("shape " + in_quotes(s.name) + ": " + in_quotes(key) + " must be an integer, not " +
                what);
  }
  out = value.get_int64().value_unsafe();
  if (out < 0 && (s.type == shape_type::string || s.type == shape_type::list)) {
    return fail("shape " + in_quotes(s.name) + ": " + in_quotes(key) +
                " is a length and must not be " + "negative (it is " + std::to_string(out) + ")");
  }
  return true;
}

bool loader::read_pattern(shape& s, element value) {
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    return fail("shape " + in_quotes(s.name) + ": 'pattern' must be a string, not " +
                json_type_name(value.type()));
  }
  s.pattern = std::string(text);
  for (const auto& [source, compiled] : patterns_) {
    if (source == text) {
      s.regex = compiled;
      return true;
    }
  }
  auto compiled = pattern::compile(text);
  if (!compiled) {
    return fail("shape " + in_quotes(s.name) + ": pattern " + in_quotes(text) +
                " is not supported: " + pattern::to_string(compiled.error()));
  }
  s.regex = std::make_shared<const pattern::compiled>(std::move(compiled.value()));
  patterns_.emplace_back(text, s.regex);
  return true;
}

bool loader::read_members(shape& s, element value, std::vector<shape*>& children) {
  if (value.type() != element_type::OBJECT) {
    return fail("shape " + in_quotes(s.name) + ": 'members' must be an object, not " +
                json_type_name(value.type()));
  }
  if (fields(value).size() > max_members) {
    return fail("shape " + in_quotes(s.name) + ": more than " + std::to_string(max_members) +
                " members");
  }
  s.members.reserve(fields(value).size());
  for (auto field : fields(value)) {
    member m;
    m.name = std::string(field.key);
    m.path_name = lower_camel(field.key);
    const std::string whose = "shape " + in_quotes(s.name) + " member " + in_quotes(field.key);
    shape* target = nullptr;
    if (!shape_ref(field.value, whose, target)) return false;
    // botocore merges a member's own traits over its target's; a constraint
    // there would apply to this member only, which a shape cannot express.
    for (auto trait : fields(field.value)) {
      if (trait.key == "min" || trait.key == "max" || trait.key == "pattern" ||
          is_unsupported_trait(trait.key)) {
        return fail(whose + ": trait " + in_quotes(trait.key) + " on a member is not supported");
      }
    }
    m.target = target;
    s.members.push_back(std::move(m));
    children.push_back(target);
  }
  s.by_name.resize(s.members.size());
  for (std::size_t i = 0; i < s.by_name.size(); ++i) s.by_name[i] = static_cast<std::uint16_t>(i);
  std::sort(s.by_name.begin(), s.by_name.end(), [&s](std::uint16_t a, std::uint16_t b) {
    return s.members[a].name < s.members[b].name;
  });
  return true;
}

// Runs after read_members: `required` may come before `members` in the text.
bool loader::read_required(shape& s, element value) {
  if (value.type() != element_type::ARRAY) {
    return fail("shape " + in_quotes(s.name) + ": 'required' must be an array, not " +
                json_type_name(value.type()));
  }
  for (element item : items(value)) {
    std::string_view name;
    if (item.get(name) != simdjson::SUCCESS) {
      return fail("shape " + in_quotes(s.name) + ": 'required' must list member names, not " +
                  json_type_name(item.type()));
    }
    int index = s.find_member(name);
    if (index < 0) {
      return fail("shape " + in_quotes(s.name) + ": required member " + in_quotes(name) +
                  " is not a member");
    }
    s.members[static_cast<std::size_t>(index)].required = true;
  }
  return true;
}

bool loader::fill(shape& s, element json) {
  std::string_view type_name;
  if (json.type() != element_type::OBJECT) {
    return fail("shape " + in_quotes(s.name) + " must be an object, not " +
                json_type_name(json.type()));
  }
  element type_field;
  if (json.at_key("type").get(type_field) != simdjson::SUCCESS) {
    return fail("shape " + in_quotes(s.name) + " has no 'type'");
  }
  if (type_field.get(type_name) != simdjson::SUCCESS) {
    return fail("shape " + in_quotes(s.name) + ": 'type' must be a string, not " +
                json_type_name(type_field.type()));
  }
  if (type_name == "structure") {
    s.type = shape_type::structure;
  } else if (type_name == "list") {
    s.type = shape_type::list;
  } else if (type_name == "string") {
    s.type = shape_type::string;
  } else if (type_name == "integer") {
    s.type = shape_type::integer;
  } else if (type_name == "long") {
    s.type = shape_type::long_integer;
  } else {
    return fail("shape " + in_quotes(s.name) + ": type " + in_quotes(type_name) +
                " is not supported");
  }

  // Which of the enforced traits each type may carry; one on another type
  // would be a constraint spe does not check.
  const bool is_structure = s.type == shape_type::structure;
  const bool is_list = s.type == shape_type::list;
  const bool is_string = s.type == shape_type::string;
  auto applies = [&](std::string_view key) {
    if (key == "min" || key == "max") return !is_structure;
    if (key == "pattern") return is_string;
    if (key == "member") return is_list;
    return is_structure;  // members, required, exception
  };

  std::vector<shape*> children;
  bool has_element = false;
  element required;
  bool has_required = false;
  for (auto field : fields(json)) {
    std::string_view key = field.key;
    if (is_unsupported_trait(key)) {
      return fail("shape " + in_quotes(s.name) + ": trait " + in_quotes(key) + " is not supported");
    }
    if (key != "min" && key != "max" && key != "pattern" && key != "member" && key != "members" &&
        key != "required" && key != "exception") {
      continue;  // documentation, idempotencyToken, box, error, sensitive, ...
    }
    if (!applies(key)) {
      return fail("shape " + in_quotes(s.name) + ": trait " + in_quotes(key) +
                  " does not apply to type " + in_quotes(type_name));
    }
    if (key == "min") {
      if (!read_bound(s, key, field.value, s.min)) return false;
      s.has_min = true;
    } else if (key == "max") {
      if (!read_bound(s, key, field.value, s.max)) return false;
      s.has_max = true;
    } else if (key == "pattern") {
      if (!read_pattern(s, field.value)) return false;
    } else if (key == "members") {
      if (!read_members(s, field.value, children)) return false;
    } else if (key == "required") {
      required = field.value;
      has_required = true;
    } else if (key == "exception") {
      if (field.value.get(s.exception) != simdjson::SUCCESS) {
        return fail("shape " + in_quotes(s.name) + ": 'exception' must be a boolean, not " +
                    json_type_name(field.value.type()));
      }
    } else {  // member
      shape* target = nullptr;
      if (!shape_ref(field.value, "list shape " + in_quotes(s.name), target)) return false;
      s.element = target;
      has_element = true;
      children.push_back(target);
    }
  }
  if (is_list && !has_element) {
    return fail("shape " + in_quotes(s.name) + ": a list needs a 'member'");
  }
  if (has_required && !read_required(s, required)) return false;
  if (s.has_min && s.has_max && s.min > s.max) {
    return fail("shape " + in_quotes(s.name) + ": 'min' " + std::to_string(s.min) +
                " is greater than 'max' " + std::to_string(s.max));
  }
  // An integer's bounds are int32 values (no botocore model has another):
  // one past them would make a bound no body can meet, or one no body can
  // break, and the generators' boundary values would not be integers.
  if (s.type == shape_type::integer) {
    for (const auto& [has, value, name] : {std::tuple{s.has_min, s.min, "min"}, std::tuple{s.has_max, s.max, "max"}}) {
      if (has && (value < INT32_MIN || value > INT32_MAX)) {
        return fail("shape " + in_quotes(s.name) + ": '" + name + "' " + std::to_string(value) +
                    " is outside int32, the range of an integer");
      }
    }
  }
  // Reversed, so that the first member is popped (and ordered) first.
  for (auto it = children.rbegin(); it != children.rend(); ++it) stack_.push_back(*it);
  return true;
}

bool loader::check_root(std::string_view role, const shape* s) {
  if (s == nullptr || s->type == shape_type::structure) return true;
  const std::string_view type = to_string(s->type);
  return fail("operation " + in_quotes(model.operation_) + ": " + std::string(role) + " shape " +
              in_quotes(s->name) + (type == "integer" ? " is an " : " is a ") + std::string(type) +
              ", not a structure");
}

bool loader::run(std::string_view text, std::string_view operation,
                 std::string_view revision_name) {
  model.revision_ = std::string(revision_name);
  model.operation_ = std::string(operation);

  element root;
  if (text.starts_with("\x1F\x8B")) {
    return fail("the model is gzip-compressed (botocore 1.43 ships service-2.json.gz): decompress it first");
  }
  if (auto err = parser_.parse(text.data(), text.size()).get(root); err != simdjson::SUCCESS) {
    return fail(std::string("malformed model JSON: ") + simdjson::error_message(err));
  }
  if (!check_duplicates(root)) return false;
  if (root.type() != element_type::OBJECT) return fail("model must be a JSON object");
  if (!index_shapes(root)) return false;

  element operations;
  element op;
  if (root.at_key("operations").get(operations) != simdjson::SUCCESS ||
      operations.type() != element_type::OBJECT) {
    return fail("model has no 'operations' object");
  }
  if (operations.at_key(operation).get(op) != simdjson::SUCCESS) {
    return fail("operation " + in_quotes(operation) + " is not in the model");
  }
  if (op.type() != element_type::OBJECT) {
    return fail("operation " + in_quotes(operation) + " must be an object");
  }

  const std::string op_label = "operation " + in_quotes(operation);
  std::vector<shape*> roots;
  element ref;
  shape* s = nullptr;
  if (op.at_key("input").get(ref) != simdjson::SUCCESS) {
    return fail(op_label + " has no input");
  }
  if (!shape_ref(ref, op_label + " input", s)) return false;
  model.input_ = s;
  roots.push_back(s);
  if (op.at_key("output").get(ref) == simdjson::SUCCESS) {
    if (!shape_ref(ref, op_label + " output", s)) return false;
    model.output_ = s;
    roots.push_back(s);
  }
  if (op.at_key("errors").get(ref) == simdjson::SUCCESS) {
    if (ref.type() != element_type::ARRAY) {
      return fail(op_label + ": 'errors' must be an array");
    }
    for (element e : items(ref)) {
      if (!shape_ref(e, op_label + " error", s)) return false;
      // The same error listed twice is one error shape.
      if (std::find(model.errors_.begin(), model.errors_.end(), s) == model.errors_.end()) {
        model.errors_.push_back(s);
        roots.push_back(s);
      }
    }
  }

  // Depth-first, pre-order: a shape is ordered (and filled) when first
  // popped; the roots are pushed reversed so the input is walked first.
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack_.push_back(*it);
  while (!stack_.empty()) {
    shape* next = stack_.back();
    stack_.pop_back();
    if (!visited_.insert(next).second) continue;
    model.order_.push_back(next);
    // Present: shape_ref made it only after finding its definition.
    if (!fill(*next, shape_json_.find(next->name)->second)) return false;
  }

  mark_finite();
  if (!check_root("input", model.input_) || !check_root("output", model.output_)) return false;
  for (const shape* e : model.errors_) {
    if (!check_root("error", e)) return false;
  }
  return true;
}

result<service_model, load_error> load(std::string_view service_json, std::string_view operation,
                                       std::string_view revision_name) {
  try {
    loader l;
    if (!l.run(service_json, operation, revision_name)) {
      return unexpected<load_error>{load_error{std::move(l.error)}};
    }
    return std::move(l.model);
  } catch (const std::bad_alloc&) {
    return unexpected<load_error>{load_error{"out of memory"}};
  } catch (...) {
    // Nothing below throws anything but bad_alloc (length_error at worst on
    // absurd sizes); the API promises no exception, so none escapes.
    return unexpected<load_error>{load_error{"model too large"}};
  }
}

}  // namespace spe::model
