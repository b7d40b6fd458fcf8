// The binding of a JSON tape to a model: for every JSON object that stands
// for a modelled structure, which tape node holds each model member.
//
// The validator builds it while judging (validate.cpp); the canonical writer
// (canon/canon.cpp) and the typed value read it afterwards, so a body is
// matched against the model exactly once and every consumer agrees on which
// occurrence of a duplicated member counts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spe/json.hpp"
#include "spe/model.hpp"

namespace spe::detail {

inline constexpr std::uint32_t no_node = UINT32_MAX;

struct binding {
  const json::document* doc = nullptr;
  // slots[slot_base[i] + k]: tape index of member k of the structure at tape
  // index i, or no_node when absent. A null member is bound (its node says
  // null) and counts as absent for every consumer.
  std::vector<std::uint32_t> slots;
  std::vector<std::uint32_t> slot_base;

  std::uint32_t member(std::uint32_t object, std::size_t k) const noexcept {
    const std::uint32_t n = slots[slot_base[object] + k];
    return n != no_node && (*doc)[n].type != json::kind::null ? n : no_node;
  }
};

// Appends the canonical form (SPEC.md section 3) of the value at `node`,
// judged valid against `shape`. A non-empty `error_type` is written as the
// "__type" member of that (structure) value, in its sorted place: an error
// body's type is part of what it says.
void write_canonical(const binding& b, const model::shape& shape, std::uint32_t node,
                     std::string& out, std::string_view error_type = {});

}  // namespace spe::detail
