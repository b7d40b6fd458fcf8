// spe::json::detail: the reader's error locator, a plain byte-at-a-time
// RFC 8259 checker.
//
// The fast path (reader.cpp) only learns *that* a body is malformed: simdjson
// reports vague codes (TAPE_ERROR, STRING_ERROR) without positions. When it
// fails, the reader runs diagnose() over the original input to name the
// first problem and its byte offset. diagnose() is a complete checker on its
// own, so the tests run it beside the fast path on thousands of inputs and
// demand that both accept and reject exactly the same texts.
//
// Precedence, which is also the order of the checks: a UTF-8 byte order mark
// (offset 0), then invalid UTF-8 anywhere in the input (it is a property of
// the byte stream, checked before the grammar, as simdjson's stage 1 does),
// then an empty body, then grammar problems in document order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "spe/json.hpp"

namespace spe::json::detail {

inline constexpr std::size_t no_error = static_cast<std::size_t>(-1);

// UTF-8's byte order mark, which RFC 8259 forbids before the value.
inline bool starts_with_bom(std::string_view input) noexcept { return input.starts_with("\xEF\xBB\xBF"); }

// Offset of the first byte of the first ill-formed UTF-8 sequence (Unicode
// Table 3-7: overlong forms, surrogates D800..DFFF, values above U+10FFFF,
// bytes C0, C1, F5..FF, stray continuation bytes, truncated sequences), or
// no_error when the whole input is well-formed.
std::size_t find_invalid_utf8(std::string_view input) noexcept;

// The first problem of `input` (see the precedence above), or code ok when
// it is well-formed JSON with containers nested at most max_depth deep.
// `stack` is scratch space (one byte per open container), reused by the
// caller; growing it may throw std::bad_alloc, nothing else throws.
error diagnose(std::string_view input, std::uint32_t max_depth, std::vector<std::uint8_t>& stack);

}  // namespace spe::json::detail
