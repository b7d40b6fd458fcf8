// The canonical form of an accepted body (SPEC.md section 3): members in
// byte order of their names, absent and null members omitted, unknown members
// dropped (the service never sees them), no insignificant whitespace,
// strings escaped minimally (json::append_string) -- `"`, `\` and
// U+0000..U+001F only, the latter as \b \f \n \r \t or \u00xx (lower-case
// hex) -- everything else raw UTF-8, and
// integers in plain decimal. Two bodies the service treats alike have the
// same canonical form, so it is the key other implementations diff on.
#include <charconv>

#include "validate/binding.hpp"

namespace spe::detail {

void write_canonical(const binding& b, const model::shape& shape, std::uint32_t node,
                     std::string& out, std::string_view error_type) {
  const json::node& n = (*b.doc)[node];
  switch (shape.type) {
    case model::shape_type::structure: {
      out += '{';
      bool first = true;
      constexpr std::string_view type_key = "__type";
      auto write_type = [&] {
        if (!first) out += ',';
        first = false;
        json::append_string(out, type_key);
        out += ':';
        json::append_string(out, error_type);
        error_type = {};
      };
      for (std::uint16_t k : shape.by_name) {
        const std::uint32_t m = b.member(node, k);
        if (m == no_node) continue;
        if (!error_type.empty() && type_key < std::string_view(shape.members[k].name)) write_type();
        if (!first) out += ',';
        first = false;
        json::append_string(out, shape.members[k].name);
        out += ':';
        write_canonical(b, *shape.members[k].target, m, out);
      }
      if (!error_type.empty()) write_type();
      out += '}';
      return;
    }
    case model::shape_type::list: {
      out += '[';
      for (std::uint32_t i = node + 1; i < n.end; i = (*b.doc)[i].end) {
        if (i != node + 1) out += ',';
        write_canonical(b, *shape.element, i, out);
      }
      out += ']';
      return;
    }
    case model::shape_type::string:
      json::append_string(out, n.text);
      return;
    case model::shape_type::integer:
    case model::shape_type::long_integer: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, n.integer);
      out.append(buf, r.ptr);
      return;
    }
  }
}

}  // namespace spe::detail
