// spe::json: a strict RFC 8259 reader on simdjson, producing a flat tape.
//
// simdjson's On-Demand front end indexes the input with SIMD and validates
// UTF-8, but checks a value's syntax only when the value is read. A reference
// validator must reject every malformed body, so the reader walks the whole
// document -- every key, every value, including those the model ignores --
// and then demands that nothing but whitespace follows the root.
//
// The result is a tape of nodes in document order: a container node is
// followed by its children, and every node knows the index one past its
// subtree, so a consumer skips what it does not need in O(1).
//
// IMPORTANT: lifetimes. A document's string views point into the reader's
// buffers (its padded copy of the input and its unescape buffer) and, for a
// padded_view read in place, into the caller's buffer. They are valid until
// the next call to reader::read on the same reader, until the reader is
// destroyed, or (in place) until the caller's buffer changes. One reader
// per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spe::json {

// Defaults come from SPEC.md section 2.
inline constexpr std::size_t default_max_size = 8u << 20;   // bytes
inline constexpr std::uint32_t default_max_depth = 64;       // nested containers
// The depth bound a caller may configure. The walk is iterative, so this is
// a memory bound (one small frame per level), not a stack bound.
inline constexpr std::uint32_t hard_max_depth = 1u << 20;

// simdjson reads its input in 64-byte blocks, so reader::read copies every
// text into a buffer with this many bytes to spare after it. A caller whose
// buffer already has them (a std::string with room reserved, a file read
// into a bigger buffer) passes a padded_view and is read in place, without
// that copy; what the spare bytes hold does not matter, they are never
// part of the text.
inline constexpr std::size_t padding = 64;

// The size bound a caller may configure: offsets and tape indices are
// 32-bit, and simdjson indexes at most 4 GiB with its padding.
inline constexpr std::size_t hard_max_size = std::numeric_limits<std::uint32_t>::max() - padding;

class padded_view {
 public:
  constexpr padded_view() noexcept = default;
  // `capacity` bytes from `data` must be readable. A view with fewer than
  // size + padding is still read correctly, through the copy.
  constexpr padded_view(const char* data, std::size_t size, std::size_t capacity) noexcept
      : data_(data), size_(size), capacity_(capacity < size ? size : capacity) {}
  // Views `s`, first reserving room for the padding when it has too little
  // (which may reallocate; the view then holds the new buffer).
  static padded_view of(std::string& s);

  constexpr const char* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr std::size_t capacity() const noexcept { return capacity_; }
  constexpr std::string_view text() const noexcept { return {data_, size_}; }
  constexpr bool padded() const noexcept { return capacity_ - size_ >= padding; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// Values above the hard bounds are clamped to them (hard_max_size,
// hard_max_depth): size_bound() and depth_bound() are the bounds in force.
struct options {
  std::size_t max_size = default_max_size;
  std::uint32_t max_depth = default_max_depth;

  constexpr std::size_t size_bound() const noexcept {
    return max_size < hard_max_size ? max_size : hard_max_size;
  }
  constexpr std::uint32_t depth_bound() const noexcept {
    return max_depth < hard_max_depth ? max_depth : hard_max_depth;
  }
};

// Why a body is not well-formed JSON. Each has a distinct message; the order
// of this enum and of the message table is checked by a static test.
enum class error_code : std::uint8_t {
  ok = 0,
  empty,              // no value at all (empty or only whitespace)
  too_large,          // input longer than options::max_size
  too_deep,           // nesting beyond options::max_depth
  invalid_utf8,       // bytes that are not UTF-8 (overlong, surrogate, truncated...)
  byte_order_mark,    // a UTF-8 BOM before the value
  unexpected_char,    // a byte that cannot start or continue a value here
  unexpected_end,     // the input ends inside a value ([1, or {"a": or {)
  unterminated_string,
  control_in_string,  // U+0000..U+001F unescaped inside a string
  bad_escape,         // \x, \u12 (not 4 hex digits), ...
  lone_surrogate,     // \uD800 not followed by \uDC00..\uDFFF, or a lone low half
  bad_number,         // 01, 1., -, 1e, NaN, Infinity, ...
  bad_literal,        // tru, nul, True, ...
  missing_colon,
  missing_comma,      // between members or elements
  trailing_comma,     // [1,] or {"a":1,}
  bad_key,            // an object key that is not a string
  trailing_content,   // anything but whitespace after the root value
  internal,           // the allocator failed; reported, never thrown
};
inline constexpr std::size_t error_code_count = 20;

// A short English sentence for each code, e.g. "unterminated string".
std::string_view message(error_code code) noexcept;

// Which problem is reported when a body has several: a BOM (offset 0), then
// invalid UTF-8 anywhere (it is a property of the byte stream, checked
// before the grammar), then the first grammar problem in document order.
// The offset is that of the offending byte: the lead byte of the first
// ill-formed UTF-8 sequence; the opening quote of an unterminated string;
// the backslash of a bad escape or of the \u escape that leaves a lone
// surrogate; the control byte itself; the first byte of a bad number or
// literal; the bracket that exceeds max_depth; the comma of a trailing
// comma; the byte found where a colon, comma or key was expected; the first
// byte after the root; input.size() for empty and unexpected_end; max_size
// for too_large.
struct error {
  error_code code = error_code::ok;
  std::size_t offset = 0;  // byte offset in the input where the problem starts
};

enum class kind : std::uint8_t { null, boolean, number, string, array, object };

struct node {
  kind type = kind::null;
  bool boolean = false;     // kind::boolean: its value
  bool integral = false;    // kind::number: written without fraction or exponent
  bool fits_int64 = false;  // kind::number: integral and in [INT64_MIN, INT64_MAX]
  std::uint32_t offset = 0; // byte offset of the value's first byte
  std::uint32_t end = 0;    // tape index one past this node's subtree
  std::uint32_t count = 0;  // array: elements; object: members
  std::int64_t integer = 0; // kind::number when fits_int64
  double number = 0;        // kind::number: the value as a double (rounded; +-inf or +-0
                            // when out of double range, e.g. 1e400 -- still valid JSON)
  std::string_view text;    // string: unescaped UTF-8; number: the raw token
  std::string_view key;     // value of an object member: its unescaped key
  std::uint32_t key_offset = 0;  // value of an object member: offset of the key's quote
};

class document {
 public:
  std::span<const node> nodes() const noexcept { return nodes_; }
  const node& root() const noexcept { return nodes_.front(); }
  const node& operator[](std::uint32_t i) const noexcept { return nodes_[i]; }

  // Duplicate member names are well-formed JSON (RFC 8259 says SHOULD be
  // unique), so the reader reports them here rather than failing. Index of
  // the first member (in document order) whose key repeats an earlier key of
  // the same object; 0 when there is none (0 is always the root).
  std::uint32_t first_duplicate() const noexcept { return first_duplicate_; }

 private:
  friend class reader;
  std::vector<node> nodes_;
  std::uint32_t first_duplicate_ = 0;
};

class reader {
 public:
  reader();
  ~reader();
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;

  // Reads one JSON text. On success returns an error with code ok and fills
  // `out` (its previous contents are replaced; its capacity is reused). On
  // failure returns the first problem in document order with its offset;
  // `out` is then unspecified. Never throws; memory is bounded by a constant
  // times input.size(), and input beyond max_size is refused before reading.
  [[nodiscard]] error read(std::string_view input, const options& opts, document& out) noexcept;
  // The same, read in place when `input` is padded (see padded_view); the
  // same result, byte for byte, as read(input.text(), ...).
  [[nodiscard]] error read(padded_view input, const options& opts, document& out) noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Appends `text` (UTF-8) as a JSON string literal with minimal escaping:
// '"', '\\' and U+0000..U+001F only, the last as \b \f \n \r \t or
// \u00xx (lower-case hex); every other byte as it is. This is the
// canonical form's escaping (SPEC.md section 3), and every writer of JSON
// strings in spe -- the canonical form, the generators, the tools' JSON
// output, the benchmark's corpus, the structured fuzz target -- uses it.
void append_string(std::string& out, std::string_view text);

// The parser under the reader, for reports: "simdjson 3.0.1, haswell
// kernel" (the kernel is simdjson's choice for this CPU, made at run time).
std::string backend();

// Appends `token` as one reference token of an RFC 6901 JSON pointer: '~'
// is written "~0" and '/' "~1"; the text between them is appended a run at
// a time (an error path can name a 1 MiB unknown key). The caller writes the
// '/' before it. Every JSON pointer spe writes -- the validator's, the
// model loader's error paths, the generators' and the corpus manifests'
// expected errors -- spells its tokens with this.
inline void append_pointer_token(std::string& out, std::string_view token) {
  for (std::size_t at = token.find_first_of("~/"); at != std::string_view::npos;
       at = token.find_first_of("~/")) {
    out += token.substr(0, at);
    out += token[at] == '~' ? "~0" : "~1";
    token.remove_prefix(at + 1);
  }
  out += token;
}

}  // namespace spe::json
