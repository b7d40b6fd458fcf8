// spe::json::detail::unescape: the reader's decoder for a string with an
// escape.
#pragma once

#include <cstddef>

namespace spe::json::detail {

// Decodes the n bytes at `src` -- the text between a JSON string's quotes,
// already checked by simdjson's stage 1 (valid UTF-8, no raw control
// character, its closing quote found by the odd-backslash rule) -- into
// `dst`. Returns one past the last byte written, or nullptr when an escape
// is invalid: a backslash followed by anything but " \ / b f n r t u, a \u
// without four hex digits, a lone or reversed UTF-16 surrogate. That is
// exactly what simdjson refuses (SPEC.md 2.1: no lone surrogates).
//
// Reads up to 63 bytes past src + n and writes up to 63 bytes past the
// decoded end: both buffers need simdjson's 64 bytes of padding.
//
// On x86-64 CPUs with AVX2 (checked once, at the first call) the vector
// kernel decodes all but a string's last few bytes; elsewhere the portable
// one does it all. Both give the same result; the tests run each.
char* unescape(const char* src, std::size_t n, char* dst) noexcept;

// The portable kernel alone.
char* unescape_portable(const char* src, std::size_t n, char* dst) noexcept;

}  // namespace spe::json::detail
