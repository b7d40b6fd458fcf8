// The texts of a judgement. AWS's ValidationException message is
//
//   N validation error(s) detected: ITEM; ITEM; ...
//   ITEM = Value '<value as received>' at '<path>' failed to satisfy constraint: <text>
//
// with at most ten items (N then counts the items listed). The phrases below
// are AWS's; where SPEC.md gives no AWS text (a scalar where a structure is
// modelled, a number that is not an int32, a duplicate member, malformed
// JSON) the text is spe's own and the README lists it as such.
#include "diag/message.hpp"

#include <charconv>

namespace spe::diag {

namespace {

void append_index(std::string& out, std::uint64_t i) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, r.ptr);
}

std::string_view json_kind_name(json::kind k) {
  switch (k) {
    case json::kind::null: return "null";
    case json::kind::boolean: return "boolean";
    case json::kind::number: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "list";
    case json::kind::object: return "structure";
  }
  return "value";
}

// The Java class AWS's deserializer names for a JSON scalar.
std::string_view java_class(json::kind k) {
  switch (k) {
    case json::kind::number: return "com.amazon.coral.value.json.numbers.TruncatingBigNumber";
    case json::kind::boolean: return "java.lang.Boolean";
    case json::kind::string: return "java.lang.String";
    default: return "java.lang.Object";
  }
}

}  // namespace

std::string aws_path(std::span<const step> steps) {
  std::string out;
  for (const step& s : steps) {
    if (!out.empty()) out += '.';
    if (s.is_index) {
      append_index(out, std::uint64_t{s.index} + 1);
      out += ".member";
    } else if (s.member) {
      out += s.member->path_name;
    } else {
      model::append_lower_camel(out, s.key);  // an unknown member's key
    }
  }
  return out;
}

// RFC 6901, a token at a time (json::append_pointer_token).
std::string json_pointer(std::span<const step> steps) {
  std::string out;
  for (const step& s : steps) {
    out += '/';
    if (s.is_index) {
      append_index(out, s.index);
      continue;
    }
    json::append_pointer_token(out, s.key);
  }
  return out;
}

std::string constraint_text(constraint kind, std::string_view bound) {
  std::string out;
  switch (kind) {
    case constraint::required: return "Member must not be null";
    case constraint::length_min:
    case constraint::count_min: out = "Member must have length greater than or equal to "; break;
    case constraint::length_max:
    case constraint::count_max: out = "Member must have length less than or equal to "; break;
    case constraint::value_min: out = "Member must have value greater than or equal to "; break;
    case constraint::value_max: out = "Member must have value less than or equal to "; break;
    case constraint::pattern: out = "Member must satisfy regular expression pattern: "; break;
    case constraint::unknown_member: return "Member is not defined in the model";
    default: out = "Member must satisfy constraint "; break;
  }
  out += bound;
  return out;
}

std::string item(std::string_view value, bool value_is_null, std::string_view path,
                 std::string_view text) {
  std::string out;
  out.reserve(value.size() + path.size() + text.size() + 48);
  if (value_is_null) {
    out += "Value null";
  } else {
    out += "Value '";
    out += value;
    out += '\'';
  }
  out += " at '";
  out += path;
  out += "' failed to satisfy constraint: ";
  out += text;
  return out;
}

void print_value(const json::document& doc, std::uint32_t index, const model::shape* shape,
                 std::string& out, unsigned depth) {
  const json::node& n = doc[index];
  if (depth > max_print_depth) {
    out += "...";
    return;
  }
  switch (n.type) {
    case json::kind::null: out += "null"; return;
    case json::kind::boolean: out += n.boolean ? "true" : "false"; return;
    case json::kind::number:
    case json::kind::string: out += n.text; return;
    case json::kind::array: {
      const model::shape* element =
          shape && shape->type == model::shape_type::list ? shape->element : nullptr;
      out += '[';
      bool first = true;
      for (std::uint32_t i = index + 1; i < n.end; i = doc[i].end) {
        if (!first) out += ", ";
        first = false;
        print_value(doc, i, element, out, depth + 1);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      // Known members only (the service drops the rest), null members are
      // absent; in the order they were received.
      const bool structure = shape && shape->type == model::shape_type::structure;
      out += '{';
      bool first = true;
      for (std::uint32_t i = index + 1; i < n.end; i = doc[i].end) {
        const json::node& m = doc[i];
        const int k = structure ? shape->find_member(m.key) : -1;
        if (structure && (k < 0 || m.type == json::kind::null)) continue;
        if (!first) out += ", ";
        first = false;
        out += m.key;
        out += '=';
        print_value(doc, i, k >= 0 ? shape->members[static_cast<std::size_t>(k)].target : nullptr,
                    out, depth + 1);
      }
      out += '}';
      return;
    }
  }
}

std::string validation_message(std::span<const diagnostic> errors) {
  const std::size_t listed = errors.size() < message_item_cap ? errors.size() : message_item_cap;
  std::string out;
  append_index(out, listed);
  out += listed == 1 ? " validation error detected: " : " validation errors detected: ";
  for (std::size_t i = 0; i < listed; ++i) {
    if (i) out += "; ";
    out += errors[i].message;
  }
  return out;
}

std::string wrong_type_text(const json::node& found, const model::shape& expected) {
  using model::shape_type;
  // A container where it does not belong: AWS's words, whatever was expected.
  if (found.type == json::kind::object) return "Start of structure or map found where not expected";
  if (found.type == json::kind::array) return "Start of list found where not expected";
  std::string out;
  switch (expected.type) {
    case shape_type::string:
      out = "class ";
      out += java_class(found.type);
      out += " can not be converted to an String";
      return out;
    case shape_type::integer:
    case shape_type::long_integer: {
      const std::string_view target = expected.type == shape_type::integer ? "Integer" : "Long";
      if (found.type == json::kind::number) {
        // spe's words: AWS would truncate or overflow; we refuse.
        out = "Value '";
        out += found.text;
        out += "' can not be converted to an ";
        out += target;
        out += expected.type == shape_type::integer ? " (a JSON integer within int32)"
                                                    : " (a JSON integer within int64)";
        return out;
      }
      out = "class ";
      out += java_class(found.type);
      out += " can not be converted to an ";
      out += target;
      return out;
    }
    case shape_type::structure:
    case shape_type::list:
      out = "Expected start of ";
      out += expected.type == shape_type::structure ? "structure" : "list";
      out += ", found ";
      out += json_kind_name(found.type);
      return out;
  }
  return out;
}

std::string_view null_element_text() { return "Null value found in list where not expected"; }

std::string duplicate_text(std::string_view key) {
  std::string out = "Duplicate member '";
  out += key;
  out += "' in one object";
  return out;
}

std::string malformed_text(const json::error& e) {
  std::string out = "Malformed JSON: ";
  out += json::message(e.code);
  out += " at byte ";
  append_index(out, e.offset);
  return out;
}

}  // namespace spe::diag
