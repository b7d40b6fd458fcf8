// The strict JSON reader: simdjson's On-Demand front end, walked to the last
// token, producing spe's flat tape (see include/spe/json.hpp).
//
// How. The input is copied into a padded buffer that the reader keeps
// (unless the caller's own buffer is padded: read(padded_view)), and
// simdjson's On-Demand parser indexes it (stage 1: SIMD structural index,
// full UTF-8 validation, unclosed strings, unescaped control characters).
// On-Demand checks the rest of the syntax only for what a caller reads, so
// the reader reads everything: it takes the parser's own token iterator
// (ondemand::parser::iterate_raw, the iterator that ondemand::document
// wraps) and drives it with an explicit state machine -- value, key, after a
// value -- over a frame stack of its own. Every token is checked: brackets
// must match, commas and colons must sit where the grammar wants them, keys
// and strings with an escape are decoded by detail::unescape (which rejects
// bad escapes and lone surrogates, as simdjson's unescaper does; those
// without one are viewed in place), numbers and literals are matched
// against RFC 8259 by
// lexical.hpp, and no token may follow the root. Walking the token stream
// rather than ondemand::value objects keeps the walk iterative (depth costs
// one 24-byte frame, never native stack) and cheap per token; it also needs
// no document::at_end(), which simdjson 3.0.1 does not have.
//
// Errors. The walk only decides *that* a body is malformed. The reader then
// runs detail::diagnose (scan.cpp), a plain byte-at-a-time checker, over the
// original input to name the first problem and its offset, so the error path
// costs a second, scalar pass and the hot path carries no bookkeeping.
//
// Duplicates. While an object is read, a one-word Bloom filter of its keys
// tells whether two of them might be equal; only then, when it closes, are
// its keys compared: pairwise for small objects (no setup, cache-hot), by
// sorting a reused scratch vector for large ones, so a body costs
// O(n log n) at worst.
//
// Memory. The padded copy, the buffer of decoded strings (never longer
// than the input) and simdjson's buffers grow geometrically, the
// frame stack to min(max_depth, size), the tape to size / 8 + 16 nodes (more
// than a request body needs) and geometrically past that; all only grow and
// are reused, so after a warm-up read of a larger body with as many values,
// reading a body allocates nothing. Everything is bounded by a constant times
// the largest input read.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <system_error>
#include <utility>

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/lexical.hpp"
#include "json/scan.hpp"
#include "json/unescape.hpp"
#include "spe/json.hpp"

namespace spe::json {

namespace {

namespace od = simdjson::ondemand;

// One row per error_code, in enum order (checked below).
struct message_row {
  error_code code;
  std::string_view text;
};
constexpr std::array<message_row, error_code_count> message_table{{
    {error_code::ok, "no error"},
    {error_code::empty, "no JSON value: the input is empty or only whitespace"},
    {error_code::too_large, "input larger than the size limit"},
    {error_code::too_deep, "arrays and objects nested deeper than the depth limit"},
    {error_code::invalid_utf8, "invalid UTF-8"},
    {error_code::byte_order_mark, "byte order mark before the value"},
    {error_code::unexpected_char, "unexpected character"},
    {error_code::unexpected_end, "unexpected end of input"},
    {error_code::unterminated_string, "unterminated string"},
    {error_code::control_in_string, "unescaped control character in a string"},
    {error_code::bad_escape, "invalid escape sequence in a string"},
    {error_code::lone_surrogate, "\\u escape leaves a lone UTF-16 surrogate"},
    {error_code::bad_number, "invalid number"},
    {error_code::bad_literal, "invalid literal (expected true, false or null)"},
    {error_code::missing_colon, "missing colon after an object key"},
    {error_code::missing_comma, "missing comma between elements or members"},
    {error_code::trailing_comma, "trailing comma before a closing bracket"},
    {error_code::bad_key, "object key is not a string"},
    {error_code::trailing_content, "content after the JSON value"},
    {error_code::internal, "out of memory while reading"},
}};

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < message_table.size(); ++i) {
    if (static_cast<std::size_t>(message_table[i].code) != i) return false;
  }
  return true;
}
static_assert(table_in_enum_order(), "message_table rows must follow error_code order");
static_assert(static_cast<std::size_t>(error_code::internal) + 1 == error_code_count,
              "error_code_count must count every error_code (internal is the last)");

// No input may reach 4 GiB whatever the options say (hard_max_size, json.hpp).
static_assert(padding == simdjson::SIMDJSON_PADDING, "json::padding must be simdjson's padding");

// The smallest buffers the reader allocates. Small, so that a new reader
// pays for the body it reads and no more: the fuzz targets make new
// validators for every input, most of them a few dozen bytes long, and under
// ASan a 4 KiB minimum (four buffers: the copy, the decoded strings,
// simdjson's indexes and its string buffer) cost `validate` a third of its
// speed from an empty corpus. The buffers grow geometrically, so a reader
// kept for many bodies reallocates only a few times.
constexpr std::size_t min_capacity = 64;

// Objects with at most this many members compare keys pairwise; larger ones
// sort. At 16 the pairwise scan is at most 120 comparisons, most of them
// decided by the length or the first byte.
constexpr std::uint32_t pairwise_max_members = 16;

struct frame {
  std::uint32_t node;      // tape index of the container
  std::uint32_t count;     // children so far
  bool object;
  bool maybe_duplicate;    // two keys fell on the same bit of `keys_seen`
  std::uint64_t keys_seen; // a one-word Bloom filter of the member keys
};

// One bit per key, from its length and its first and last bytes: most
// objects of a request ({"Name":..,"Value":..}) have keys that differ there,
// so their duplicate check is skipped without comparing a single key. A
// shared bit only means "compare them".
std::uint64_t key_bit(std::string_view key) noexcept {
  std::size_t h = key.size() * 7;
  if (!key.empty()) h += static_cast<unsigned char>(key.front()) + 3u * static_cast<unsigned char>(key.back());
  return std::uint64_t{1} << (h & 63);
}

// Whether [p, p + n) holds a backslash, for the short strings (names,
// tokens) where a call to memchr costs more than the search. Reads whole
// 16-byte blocks, up to 15 bytes past p + n: only for text inside the
// reader's padded buffer, which has simdjson::SIMDJSON_PADDING bytes after
// its end.
bool short_has_backslash(const char* p, std::size_t n) noexcept {
#if defined(__SSE2__)
  const __m128i backslash = _mm_set1_epi8('\\');
  for (std::size_t i = 0; i < n; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, backslash)));
    if (n - i < 16) mask &= (1u << (n - i)) - 1u;
    if (mask != 0) return true;
  }
  return false;
#else
  return std::memchr(p, '\\', n) != nullptr;
#endif
}

// Strings up to this long are searched by short_has_backslash.
constexpr std::size_t short_string = 64;

struct key_entry {
  std::string_view key;
  std::uint32_t index;  // tape index of the member's value
};

// The value of a number token whose double conversion over- or underflowed
// (from_chars leaves the value untouched then): +-infinity when the decimal
// exponent of its leading digit is >= 0, +-0 otherwise, which is what
// round-to-nearest gives at those magnitudes.
double out_of_range_value(std::string_view text, bool negative) noexcept {
  std::size_t i = negative ? 1 : 0;
  long long point = 0;       // digits before the decimal point
  long long leading = -1;    // position of the first nonzero digit among all digits
  long long position = 0;
  bool fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      fraction = true;
      continue;
    }
    if (!fraction) ++point;
    if (leading < 0 && text[i] != '0') leading = position;
    ++position;
  }
  long long exponent = 0;
  if (i < text.size()) {
    ++i;
    bool minus = false;
    if (text[i] == '+' || text[i] == '-') minus = text[i++] == '-';
    for (; i < text.size(); ++i) {
      exponent = std::min<long long>(exponent * 10 + (text[i] - '0'), 1'000'000'000);
    }
    if (minus) exponent = -exponent;
  }
  const double sign = negative ? -1.0 : 1.0;
  if (leading < 0) return sign * 0.0;
  const long long magnitude = point - leading - 1 + exponent;
  return magnitude >= 0 ? sign * std::numeric_limits<double>::infinity() : sign * 0.0;
}

void set_number(node& n, const char* p, const detail::number_token& t) noexcept {
  n.type = kind::number;
  n.integral = t.integral;
  n.text = std::string_view(p, static_cast<std::size_t>(t.end - p));
  // Up to 19 digits fit a uint64 magnitude without overflow.
  if (t.integral && t.int_digits <= 19) {
    std::uint64_t magnitude = 0;
    for (const char* q = t.negative ? p + 1 : p; q != t.end; ++q) {
      magnitude = magnitude * 10 + static_cast<std::uint64_t>(*q - '0');
    }
    constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!t.negative && magnitude <= int64_max) {
      n.fits_int64 = true;
      n.integer = static_cast<std::int64_t>(magnitude);
      n.number = static_cast<double>(magnitude);
      return;
    }
    if (t.negative && magnitude <= int64_max + 1) {
      n.fits_int64 = true;
      n.integer = magnitude == int64_max + 1 ? std::numeric_limits<std::int64_t>::min()
                                             : -static_cast<std::int64_t>(magnitude);
      n.number = -static_cast<double>(magnitude);  // -0 stays -0.0
      return;
    }
  }
  // from_chars rounds correctly (libstdc++ uses fast_float) and ignores the
  // locale; it takes the same grammar minus nothing we let through.
  double d = 0;
  const auto r = std::from_chars(p, t.end, d);
  n.number = r.ec == std::errc() ? d : out_of_range_value(n.text, t.negative);
}

}  // namespace

std::string backend() {
  return "simdjson " + std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + '.' +
         std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + '.' +
         std::to_string(simdjson::SIMDJSON_VERSION_REVISION) + ", " +
         std::string(simdjson::get_active_implementation()->name()) + " kernel";
}

std::string_view message(error_code code) noexcept {
  const auto i = static_cast<std::size_t>(code);
  return i < message_table.size() ? message_table[i].text : "unknown error";
}

struct reader::impl {
  od::parser parser;
  std::unique_ptr<char[]> copy;  // the padded copy of the input
  std::size_t copy_capacity = 0;
  std::unique_ptr<char[]> decoded;  // the strings with an escape, decoded (unescape.hpp)
  std::size_t decoded_capacity = 0;
  std::vector<frame> frames;
  std::vector<key_entry> keys;
  std::vector<std::uint8_t> scan_stack;

  // Grows simdjson's buffers, and the padded copy unless the input is read
  // in place, geometrically so that a stream of slowly growing bodies does
  // not reallocate on every read. Returns false when allocation fails.
  bool reserve(std::size_t size, bool in_place) noexcept;
  // The fast path over a padded buffer (the copy, or the caller's own):
  // ok when it is well-formed JSON within max_depth (and `out` is filled),
  // malformed otherwise.
  enum class outcome : std::uint8_t { ok, malformed, out_of_memory };
  outcome walk(const char* base, std::size_t size, std::size_t capacity, std::uint32_t max_depth,
               document& out);
  // Everything after the bytes are in a padded buffer: the walk, and on
  // failure the error locator over `input`.
  error finish(const char* base, std::size_t capacity, std::string_view input, std::uint32_t max_depth,
               document& out) noexcept;
  std::size_t failed_at = 0;  // offset of the token where walk() gave up
  void check_duplicates(document& out, std::uint32_t object);
};

namespace {

// The capacity a buffer of `capacity` grows to when it must hold `need`:
// double (up to the hard size bound), at least `need` and min_capacity.
std::size_t grown_capacity(std::size_t capacity, std::size_t need) noexcept {
  return std::max({need, std::min(capacity * 2, hard_max_size), min_capacity});
}

// Grows `buffer` to at least `need` bytes (its old contents are dropped).
// False when allocation fails.
bool grow(std::unique_ptr<char[]>& buffer, std::size_t& capacity, std::size_t need) noexcept {
  if (need <= capacity) return true;
  const std::size_t grown = grown_capacity(capacity, need);
  buffer.reset(new (std::nothrow) char[grown]);
  capacity = buffer ? grown : 0;
  return buffer != nullptr;
}

}  // namespace

bool reader::impl::reserve(std::size_t size, bool in_place) noexcept {
  const std::size_t need = size + simdjson::SIMDJSON_PADDING;
  if (!in_place && !grow(copy, copy_capacity, need)) return false;
  // Decoded strings are never longer than their JSON spelling, so the
  // input's size is room for all of them; the padding takes the decoder's
  // overshoot.
  if (!grow(decoded, decoded_capacity, need)) return false;
  // capacity() == 0 means never allocated: simdjson's stage 1 then has no
  // implementation object at all, even for an empty input.
  if (parser.capacity() < size || parser.capacity() == 0) {
    const std::size_t grown = grown_capacity(parser.capacity(), size);
    // A depth of 1: simdjson sizes only DOM's stage-2 stacks (and the
    // On-Demand development checks' stack) by it, and the walk below reads
    // tokens and bounds the depth itself. The default (1024) cost every new
    // reader two more allocations, 9 KiB, for nothing.
    if (parser.allocate(grown, 1) != simdjson::SUCCESS) return false;
  }
  return true;
}

void reader::impl::check_duplicates(document& out, std::uint32_t object) {
  // Every member of this object comes after it on the tape: if a duplicate
  // was already found earlier, none here can be the first.
  if (out.first_duplicate_ != 0 && out.first_duplicate_ < object) return;
  const std::vector<node>& nodes = out.nodes_;
  const std::uint32_t end = nodes[object].end;
  std::uint32_t found = 0;
  if (nodes[object].count <= pairwise_max_members) {
    for (std::uint32_t j = nodes[object + 1].end; j < end && found == 0; j = nodes[j].end) {
      for (std::uint32_t i = object + 1; i < j; i = nodes[i].end) {
        if (nodes[i].key == nodes[j].key) {
          found = j;
          break;
        }
      }
    }
  } else {
    keys.clear();
    for (std::uint32_t i = object + 1; i < end; i = nodes[i].end) keys.push_back({nodes[i].key, i});
    std::sort(keys.begin(), keys.end(), [](const key_entry& a, const key_entry& b) {
      return a.key != b.key ? a.key < b.key : a.index < b.index;
    });
    // Every entry equal to its predecessor repeats an earlier key; the
    // smallest such index is the first repeat in document order.
    for (std::size_t i = 1; i < keys.size(); ++i) {
      if (keys[i].key == keys[i - 1].key && (found == 0 || keys[i].index < found)) found = keys[i].index;
    }
  }
  if (found != 0 && (out.first_duplicate_ == 0 || found < out.first_duplicate_)) {
    out.first_duplicate_ = found;
  }
}

reader::impl::outcome reader::impl::walk(const char* const base, std::size_t size, std::size_t capacity,
                                         std::uint32_t max_depth, document& out) {
  const char* const end = base + size;
  std::vector<node>& nodes = out.nodes_;
  nodes.clear();
  frames.clear();
  out.first_duplicate_ = 0;
  // The frame stack never outgrows the depth bound or the input (one byte
  // per bracket), so size it once: a deeper body than the last one must not
  // allocate in the middle of the walk.
  frames.reserve(std::min<std::size_t>(max_depth, size));
  // Every value but the root follows a '[', ',' or ':' of its own, so a
  // body has at most size / 2 + 1 values, but a request body has far fewer:
  // its names and most of its values are quoted strings, 14 bytes or more a
  // value in every body of corpus/ and bench/. The tape starts at one node
  // per 8 bytes, so that one reservation serves such bodies, and grows
  // geometrically past it (dense arrays of numbers). Reserving the bound
  // instead, 36 times the body's size (a node is 72 bytes), made every new
  // reader poison and unpoison that much under ASan: 15% of a fuzz run.
  nodes.reserve(size / 8 + 16);

  // simdjson 3.6 on skips a leading BOM in iterate_raw; 3.0.1 refuses it.
  // RFC 8259 forbids it either way (SPEC.md 2.1): the locator reports it.
  if (detail::starts_with_bom(std::string_view(base, size))) return outcome::malformed;
  auto indexed = parser.iterate_raw(simdjson::padded_string_view(base, size, capacity));
  if (indexed.error() == simdjson::MEMALLOC) return outcome::out_of_memory;
  if (indexed.error() != simdjson::SUCCESS) return outcome::malformed;  // UTF-8, strings, empty
  od::json_iterator tokens = std::move(indexed).value_unsafe();

  // The next token, or nullptr at the end of the input.
  auto next = [&tokens]() -> const char* {
    if (tokens.at_end()) return nullptr;
    return reinterpret_cast<const char*>(tokens.return_current_and_advance());
  };
  // A string without a backslash is its own unescaped form: stage 1 has
  // already checked the whole input for UTF-8 and for unescaped control
  // characters, and found its closing quote. Such a string (every key of a
  // request, every name) is viewed in place in the padded buffer, and only
  // one with an escape is decoded (detail::unescape), into `decoded`.
  //
  // The closing quote need not be searched for: stage 1 has put the next
  // token just after it (and any whitespace), so only a backslash is looked
  // for, by memchr (the C library's widest SIMD). Should the byte before
  // that whitespace not be a quote, a forward search finds it, stepping
  // over each backslash and the byte it escapes (the odd-run rule).
  char* decoded_end = decoded.get();  // where the next decoded string goes
  auto unescape = [&tokens, end, &decoded_end](const char* quote, std::string_view& text) {
    const char* after = tokens.at_end() ? end : reinterpret_cast<const char*>(tokens.peek());
    if (after > end) after = end;
    while (after > quote + 1 && detail::is_ws(after[-1])) --after;
    const char* close = after - 1;
    if (close <= quote || *close != '"') {
      close = detail::find_string_stop(quote + 1, end);
      while (close < end && *close == '\\') close = detail::find_string_stop(std::min(close + 2, end), end);
      if (close == end) return false;
    }
    const auto length = static_cast<std::size_t>(close - (quote + 1));
    const bool escaped = length <= short_string ? short_has_backslash(quote + 1, length)
                                                : std::memchr(quote + 1, '\\', length) != nullptr;
    if (!escaped) {
      text = std::string_view(quote + 1, length);
      return true;
    }
    char* const start = decoded_end;
    decoded_end = detail::unescape(quote + 1, length, start);
    if (decoded_end == nullptr) return false;
    text = std::string_view(start, static_cast<std::size_t>(decoded_end - start));
    return true;
  };

  enum class step : std::uint8_t { value, key, after };
  step s = step::value;
  const char* p = next();
  // Where the walk gave up, for the unlikely case that diagnose() finds
  // nothing (reader::read); nullptr is the end of the input.
  auto malformed = [&] {
    failed_at = p == nullptr ? size : static_cast<std::size_t>(p - base);
    return outcome::malformed;
  };
  if (p == nullptr) return malformed();
  std::string_view key;  // the pending member's key, for the next value
  std::uint32_t key_offset = 0;

  for (;;) {
    switch (s) {
      case step::value: {
        const auto index = static_cast<std::uint32_t>(nodes.size());
        node& n = nodes.emplace_back();
        n.offset = static_cast<std::uint32_t>(p - base);
        n.key = key;
        n.key_offset = key_offset;
        if (!frames.empty()) ++frames.back().count;
        switch (*p) {
          case '{':
          case '[': {
            if (frames.size() >= max_depth) return malformed();
            const bool object = *p == '{';
            n.type = object ? kind::object : kind::array;
            frames.push_back({index, 0, object, false, 0});
            if ((p = next()) == nullptr) return malformed();
            if (*p == (object ? '}' : ']')) {
              n.end = index + 1;
              frames.pop_back();
              s = step::after;
            } else {
              s = object ? step::key : step::value;
              key = {};
              key_offset = 0;
            }
            continue;
          }
          case '"':
            n.type = kind::string;
            if (!unescape(p, n.text)) return malformed();
            break;
          case 't':
          case 'f':
          case 'n':
            switch (detail::match_literal(p, end)) {
              case detail::literal::true_: n.type = kind::boolean; n.boolean = true; break;
              case detail::literal::false_: n.type = kind::boolean; break;
              case detail::literal::null: n.type = kind::null; break;
              case detail::literal::invalid: return malformed();
            }
            break;
          default: {
            detail::number_token t;
            if (!detail::match_number(p, end, t)) return malformed();
            set_number(n, p, t);
            break;
          }
        }
        n.end = index + 1;
        s = step::after;
        continue;
      }

      case step::key: {
        if (*p != '"' || !unescape(p, key)) return malformed();
        key_offset = static_cast<std::uint32_t>(p - base);
        {
          frame& f = frames.back();
          const std::uint64_t bit = key_bit(key);
          f.maybe_duplicate |= (f.keys_seen & bit) != 0;
          f.keys_seen |= bit;
        }
        if ((p = next()) == nullptr || *p != ':') return malformed();
        if ((p = next()) == nullptr) return malformed();
        s = step::value;
        continue;
      }

      case step::after: {
        if (frames.empty()) return tokens.at_end() ? outcome::ok : malformed();  // nothing may follow the root
        if ((p = next()) == nullptr) return malformed();
        frame& f = frames.back();
        if (*p == ',') {
          if ((p = next()) == nullptr) return malformed();
          if (f.object) {
            s = step::key;
          } else {
            s = step::value;
            key = {};
            key_offset = 0;
          }
          continue;
        }
        if (*p != (f.object ? '}' : ']')) return malformed();
        node& container = nodes[f.node];
        container.end = static_cast<std::uint32_t>(nodes.size());
        container.count = f.count;
        const bool compare_keys = f.maybe_duplicate;
        const std::uint32_t at = f.node;
        frames.pop_back();
        if (compare_keys) check_duplicates(out, at);
        continue;
      }
    }
  }
}

reader::reader() : impl_(std::make_unique<impl>()) {}
reader::~reader() = default;

error reader::impl::finish(const char* base, std::size_t capacity, std::string_view input,
                           std::uint32_t max_depth, document& out) noexcept {
  try {
    failed_at = 0;
    const outcome walked = walk(base, input.size(), capacity, max_depth, out);
    if (walked == outcome::ok) return {};
    out.nodes_.clear();
    out.first_duplicate_ = 0;
    if (walked == outcome::out_of_memory) return {error_code::internal, 0};
    const error found = detail::diagnose(input, max_depth, scan_stack);
    // diagnose() and the walk accept exactly the same texts (the tests hold
    // them to it); should they ever disagree, the body is still refused.
    if (found.code != error_code::ok) return found;
    return {error_code::unexpected_char, failed_at};
  } catch (...) {
    // std::bad_alloc in practice (the tape, the scratch vectors); nothing
    // may escape a noexcept API.
    out.nodes_.clear();
    out.first_duplicate_ = 0;
    return {error_code::internal, 0};
  }
}

error reader::read(std::string_view input, const options& opts, document& out) noexcept {
  const std::size_t max_size = opts.size_bound();
  if (input.size() > max_size) return {error_code::too_large, max_size};
  impl& m = *impl_;
  if (!m.reserve(input.size(), false)) return {error_code::internal, 0};
  if (!input.empty()) std::memcpy(m.copy.get(), input.data(), input.size());  // data() may be null
  std::memset(m.copy.get() + input.size(), 0, simdjson::SIMDJSON_PADDING);
  return m.finish(m.copy.get(), m.copy_capacity, input, opts.depth_bound(), out);
}

error reader::read(padded_view input, const options& opts, document& out) noexcept {
  if (!input.padded()) return read(input.text(), opts, out);
  const std::size_t max_size = opts.size_bound();
  if (input.size() > max_size) return {error_code::too_large, max_size};
  impl& m = *impl_;
  if (!m.reserve(input.size(), true)) return {error_code::internal, 0};
  return m.finish(input.data(), input.capacity(), input.text(), opts.depth_bound(),
                  out);
}

padded_view padded_view::of(std::string& s) {
  if (s.capacity() < s.size() + padding) s.reserve(s.size() + padding);
  return padded_view(s.data(), s.size(), s.capacity());
}

}  // namespace spe::json
