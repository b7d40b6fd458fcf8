// Fuzz target `json_diff`: spe's strict JSON reader against two other
// judges of the same bytes, the differences tests/json_differential_test.cpp
// documents and no others:
//
//  1. simdjson's DOM parser, a separate full validating parser: the same
//     texts are accepted and rejected, and accepted texts give equal trees
//     (types, keys in order, strings byte for byte, integers exactly,
//     doubles bit for bit). The one deliberate difference: numbers DOM
//     cannot store -- integers beyond uint64, doubles that overflow (1e400)
//     -- are valid RFC 8259, accepted by the reader (raw text kept, double
//     +-inf) and refused by DOM with NUMBER_ERROR (3.0.1, Debian 12) or
//     BIGINT_ERROR (3.1 on: the OSS-Fuzz and ClusterFuzzLite images build
//     against Ubuntu 24.04's 3.6.4); such a refusal must come with such a
//     number on the reader's tape. Depth never decides: both bounds are set
//     above the input cap. A text that starts with a BOM is not compared:
//     the reader refuses it (check 3) and newer simdjson skips it.
//  2. The reader's own error locator (detail::diagnose, a byte-at-a-time
//     checker): it accepts exactly what the fast path accepts, and on a
//     rejection read() reports its very code and offset.
//  3. simdjson::validate_utf8: invalid UTF-8 (after a BOM check) is reported
//     as invalid_utf8 at the first byte where no valid character starts.
// On acceptance the tape's structure is checked too (each container's
// children chain through `end` to its own end, `count` of them), and the
// first duplicate member is recomputed with a hash set per object.
#include <cmath>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include <simdjson.h>

#include "check.hpp"
#include "json/scan.hpp"
#include "spe/json.hpp"
#include "support/simdjson_versions.hpp"

namespace {

using spe::fuzz::printable;
using spe::json::error_code;
using spe::json::kind;
using spe::json::node;

// One DOM value in document order, flattened (the tree may be 64K deep, so
// it is walked with an explicit stack, never recursion).
struct flat {
  simdjson::dom::element value;
  std::string_view key;
  bool has_key = false;
};

void flatten(simdjson::dom::element root, std::vector<flat>& out) {
  struct frame {
    bool object = false;
    simdjson::dom::array::iterator a, a_end;
    simdjson::dom::object::iterator o, o_end;
  };
  std::vector<frame> stack;
  const auto enter = [&](simdjson::dom::element e, std::string_view key, bool has_key) {
    out.push_back({e, key, has_key});
    if (e.type() == simdjson::dom::element_type::ARRAY) {
      simdjson::dom::array a = e;
      frame f;
      f.a = a.begin();
      f.a_end = a.end();
      stack.push_back(f);
    } else if (e.type() == simdjson::dom::element_type::OBJECT) {
      simdjson::dom::object o = e;
      frame f;
      f.object = true;
      f.o = o.begin();
      f.o_end = o.end();
      stack.push_back(f);
    }
  };
  enter(root, {}, false);
  while (!stack.empty()) {
    frame& f = stack.back();
    if (f.object) {
      if (!(f.o != f.o_end)) {
        stack.pop_back();
        continue;
      }
      const simdjson::dom::key_value_pair kv = *f.o;
      ++f.o;
      enter(kv.value, kv.key, true);  // may reallocate: f is not used after
    } else {
      if (!(f.a != f.a_end)) {
        stack.pop_back();
        continue;
      }
      const simdjson::dom::element e = *f.a;
      ++f.a;
      enter(e, {}, false);
    }
  }
}

bool beyond_dom(const node& n) {
  if (n.type != kind::number) return false;
  if (std::isinf(n.number)) return true;
  if (n.integral && !n.fits_int64) {
    std::uint64_t u = 0;
    const auto r = std::from_chars(n.text.data(), n.text.data() + n.text.size(), u);
    return r.ec != std::errc() || r.ptr != n.text.data() + n.text.size();
  }
  return false;
}

std::string node_text(const node& n, std::size_t i) {
  return "node " + std::to_string(i) + " (type " + std::to_string(static_cast<int>(n.type)) +
         ", offset " + std::to_string(n.offset) + ")";
}

void same_value(const node& n, std::size_t i, const flat& f, const std::string& input) {
  using simdjson::dom::element_type;
  const simdjson::dom::element e = f.value;
  const std::string where = node_text(n, i) + " of " + printable(input);
  if (f.has_key) {
    SPE_FUZZ_CHECK(n.key == f.key, "same key as DOM (" + printable(f.key) + "): " + where);
  }
  switch (e.type()) {
    case element_type::NULL_VALUE: SPE_FUZZ_CHECK(n.type == kind::null, "null: " + where); return;
    case element_type::BOOL:
      SPE_FUZZ_CHECK(n.type == kind::boolean && n.boolean == bool(e), "boolean: " + where);
      return;
    case element_type::STRING:
      SPE_FUZZ_CHECK(n.type == kind::string && n.text == std::string_view(e),
                     "string " + printable(std::string_view(e)) + ": " + where);
      return;
    case element_type::INT64:
      SPE_FUZZ_CHECK(n.type == kind::number && n.integral && n.fits_int64 &&
                         n.integer == std::int64_t(e) && n.number == static_cast<double>(std::int64_t(e)),
                     "int64 " + std::to_string(std::int64_t(e)) + ": " + where);
      return;
    case element_type::UINT64:
      SPE_FUZZ_CHECK(n.type == kind::number && n.integral && !n.fits_int64 &&
                         n.number == static_cast<double>(std::uint64_t(e)),
                     "uint64 above int64: " + where);
      return;
    case element_type::DOUBLE: {
      const double v = double(e);
      SPE_FUZZ_CHECK(n.type == kind::number && !n.integral && n.number == v &&
                         std::signbit(n.number) == std::signbit(v),
                     "double, bit for bit: " + where);
      return;
    }
    case element_type::ARRAY:
      SPE_FUZZ_CHECK(n.type == kind::array && n.count == simdjson::dom::array(e).size(),
                     "array of the same size: " + where);
      return;
    case element_type::OBJECT:
      SPE_FUZZ_CHECK(n.type == kind::object && n.count == simdjson::dom::object(e).size(),
                     "object of the same size: " + where);
      return;
  }
  spe::fuzz::fail(__FILE__, __LINE__, "DOM type known", where);
}

// Every container's children chain through `end` to its own end.
void check_tape(const spe::json::document& doc, const std::string& input) {
  const auto nodes = doc.nodes();
  SPE_FUZZ_CHECK(!nodes.empty() && nodes[0].end == nodes.size(), "root spans the tape: " + printable(input));
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    const node& n = nodes[i];
    SPE_FUZZ_CHECK(n.end > i && n.end <= nodes.size(), "end in range: " + node_text(n, i));
    SPE_FUZZ_CHECK(n.offset < input.size(), "offset inside the input: " + node_text(n, i));
    if (n.type != kind::array && n.type != kind::object) {
      SPE_FUZZ_CHECK(n.end == i + 1, "a scalar is one node: " + node_text(n, i));
      continue;
    }
    std::uint32_t children = 0;
    std::uint32_t c = i + 1;
    while (c < n.end) {
      ++children;
      c = nodes[c].end;
    }
    SPE_FUZZ_CHECK(c == n.end && children == n.count,
                   "children chain to the container's end: " + node_text(n, i) + " of " + printable(input));
  }
}

std::uint32_t first_duplicate(const spe::json::document& doc) {
  const auto nodes = doc.nodes();
  std::uint32_t first = 0;
  std::unordered_set<std::string_view> seen;
  for (std::uint32_t o = 0; o < nodes.size(); ++o) {
    if (nodes[o].type != kind::object) continue;
    seen.clear();
    for (std::uint32_t m = o + 1; m < nodes[o].end; m = nodes[m].end) {
      if (!seen.insert(nodes[m].key).second) {
        if (first == 0 || m < first) first = m;
        break;
      }
    }
  }
  return first;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > spe::fuzz::max_input) return 0;
  const std::string input(reinterpret_cast<const char*>(data), size);

  spe::json::options opts;
  opts.max_depth = spe::json::hard_max_depth;  // depth never decides (input <= 64 KiB)
  spe::json::reader reader;
  spe::json::document doc;
  const spe::json::error ours = reader.read(input, opts, doc);
  const bool accepted = ours.code == error_code::ok;
  SPE_FUZZ_CHECK(ours.code != error_code::too_deep && ours.code != error_code::too_large &&
                     ours.code != error_code::internal,
                 "no bound decides: " + std::string(spe::json::message(ours.code)));

  // 2. The locator agrees with the fast path.
  std::vector<std::uint8_t> stack;
  const spe::json::error scanned = spe::json::detail::diagnose(input, opts.max_depth, stack);
  SPE_FUZZ_CHECK(accepted == (scanned.code == error_code::ok),
                 "fast path (" + std::string(spe::json::message(ours.code)) + ") and locator (" +
                     std::string(spe::json::message(scanned.code)) + ") agree on " + printable(input));
  if (!accepted) {
    SPE_FUZZ_CHECK(ours.code == scanned.code && ours.offset == scanned.offset && ours.offset <= size,
                   "read() reports the locator's error: " + std::string(spe::json::message(ours.code)) +
                       " at " + std::to_string(ours.offset) + " vs " +
                       std::string(spe::json::message(scanned.code)) + " at " +
                       std::to_string(scanned.offset) + " on " + printable(input));
  }

  // 3. UTF-8, checked by simdjson's validator.
  const bool bom = spe::testing::starts_with_bom(input);
  if (bom) {
    SPE_FUZZ_CHECK(ours.code == error_code::byte_order_mark && ours.offset == 0,
                   "a BOM is reported first: " + printable(input));
  } else if (!simdjson::validate_utf8(input.data(), input.size())) {
    SPE_FUZZ_CHECK(ours.code == error_code::invalid_utf8 && ours.offset < size,
                   "invalid UTF-8 is reported as such: " + printable(input));
    SPE_FUZZ_CHECK(simdjson::validate_utf8(input.data(), ours.offset),
                   "everything before the UTF-8 error offset is valid: " + printable(input));
    for (std::size_t k = 1; k <= 4 && ours.offset + k <= size; ++k) {
      SPE_FUZZ_CHECK(!simdjson::validate_utf8(input.data() + ours.offset, k),
                     "no character starts at the UTF-8 error offset: " + printable(input));
    }
  } else {
    SPE_FUZZ_CHECK(ours.code != error_code::invalid_utf8, "valid UTF-8 is not refused as UTF-8: " + printable(input));
  }
  if (bom) return 0;

  // 1. simdjson DOM.
  simdjson::dom::parser dom;
  SPE_FUZZ_CHECK(dom.allocate(size + 1, size + 2) == simdjson::SUCCESS, "DOM allocates");
  simdjson::dom::element root;
  const simdjson::error_code dom_error = dom.parse(input).get(root);
  if (dom_error == simdjson::SUCCESS) {
    SPE_FUZZ_CHECK(accepted, "DOM accepts, the reader says " + std::string(spe::json::message(ours.code)) +
                                 " at " + std::to_string(ours.offset) + ": " + printable(input));
    std::vector<flat> dom_nodes;
    flatten(root, dom_nodes);
    const auto nodes = doc.nodes();
    SPE_FUZZ_CHECK(nodes.size() == dom_nodes.size(),
                   "as many values as DOM (" + std::to_string(nodes.size()) + " vs " +
                       std::to_string(dom_nodes.size()) + "): " + printable(input));
    for (std::size_t i = 0; i < nodes.size(); ++i) same_value(nodes[i], i, dom_nodes[i], input);
  } else if (accepted) {
    bool beyond = false;
    for (const node& n : doc.nodes()) beyond = beyond || beyond_dom(n);
    SPE_FUZZ_CHECK(spe::testing::refuses_number(dom_error) && beyond,
                   "DOM refuses (" + std::string(simdjson::error_message(dom_error)) +
                       ") only for a number it cannot store: " + printable(input));
  }

  if (accepted) {
    check_tape(doc, input);
    SPE_FUZZ_CHECK(doc.first_duplicate() == first_duplicate(doc),
                   "first duplicate member: " + std::to_string(doc.first_duplicate()) + " vs " +
                       std::to_string(first_duplicate(doc)) + " in " + printable(input));
  }
  return 0;
}
