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
#include <vector>

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
    if (&s != steps.data()) out += '.';  // between steps, also after an empty key
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
                 duplicate_policy duplicates, std::string& out) {
  // Iterative: a value nests as deep as the depth bound lets it (2^20 at
  // most), the native stack would not. One frame per open list or object;
  // scalars, the common case, never touch the stack.
  struct frame {
    std::uint32_t next;           // the next element or member to print
    std::uint32_t end;            // one past the container's last node
    const model::shape* shape;    // list: the element shape; object: the structure (or null)
    std::size_t picks;            // its members' slots in `picked`, or no_picks
    bool object;
    bool first;
  };
  std::vector<frame> open;
  // Per open modelled object, per model member: the occurrence the policy
  // picks (a repeated member prints once, as the service received it: a
  // parser that keeps one occurrence never saw the other). Only a document
  // that has a repeated member (the reader's first_duplicate) needs them.
  std::vector<std::uint32_t> picked;
  constexpr std::uint32_t none = UINT32_MAX;
  constexpr std::size_t no_picks = SIZE_MAX;
  const bool repeats = doc.first_duplicate() != 0;
  // Prints a scalar, or opens a container and pushes its frame.
  const auto begin = [&](std::uint32_t i, const model::shape* s) {
    const json::node& n = doc[i];
    switch (n.type) {
      case json::kind::null: out += "null"; return;
      case json::kind::boolean: out += n.boolean ? "true" : "false"; return;
      case json::kind::number:
      case json::kind::string: out += n.text; return;
      case json::kind::array:
        out += '[';
        open.push_back({i + 1, n.end,
                        s && s->type == model::shape_type::list ? s->element : nullptr, no_picks, false, true});
        return;
      case json::kind::object: {
        out += '{';
        const model::shape* structure = s && s->type == model::shape_type::structure ? s : nullptr;
        std::size_t picks = no_picks;
        if (structure && repeats) {
          picks = picked.size();
          picked.resize(picks + structure->members.size(), none);
          for (std::uint32_t m = i + 1; m < n.end; m = doc[m].end) {
            const int k = structure->find_member(doc[m].key);
            if (k < 0) continue;
            std::uint32_t& p = picked[picks + static_cast<std::size_t>(k)];
            if (p == none || duplicates == duplicate_policy::last) p = m;
          }
        }
        open.push_back({i + 1, n.end, structure, picks, true, true});
        return;
      }
    }
  };
  begin(index, shape);
  while (!open.empty()) {
    frame& f = open.back();
    const model::shape* child = f.object ? nullptr : f.shape;
    if (f.object && f.shape) {
      // Known members only (the service drops the rest), the occurrence
      // picked of a repeated one, null members are absent; in the order
      // they were received.
      int k = -1;
      while (f.next < f.end &&
             ((k = f.shape->find_member(doc[f.next].key)) < 0 ||
              (f.picks != no_picks && picked[f.picks + static_cast<std::size_t>(k)] != f.next) ||
              doc[f.next].type == json::kind::null)) {
        f.next = doc[f.next].end;
      }
      if (k >= 0 && f.next < f.end) child = f.shape->members[static_cast<std::size_t>(k)].target;
    }
    if (f.next >= f.end) {
      out += f.object ? '}' : ']';
      if (f.picks != no_picks) picked.resize(f.picks);
      open.pop_back();
      continue;
    }
    const std::uint32_t i = f.next;
    f.next = doc[i].end;
    if (!f.first) out += ", ";
    f.first = false;
    if (f.object) {
      out += doc[i].key;
      out += '=';
    }
    begin(i, child);  // may grow `open`: `f` is not used past here
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
  // One allocation: most fuzz inputs end here, three times each.
  constexpr std::string_view head = "Malformed JSON: ";
  constexpr std::string_view at = " at byte ";
  const std::string_view what = json::message(e.code);
  std::string out;
  out.reserve(head.size() + what.size() + at.size() + 20);  // 20: any uint64 in decimal
  out += head;
  out += what;
  out += at;
  append_index(out, e.offset);
  return out;
}

}  // namespace spe::diag
