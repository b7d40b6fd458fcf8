// The judgement of one body against one model (SPEC.md section 2).
//
// Three passes, each cheap, in the service's order:
//   1. json::reader checks the text and builds a tape;
//   2. check() walks the model and the tape together, in model member order,
//      binding each modelled member to its node (binding.hpp) and collecting
//      constraint violations as it goes. A value of the wrong JSON type is a
//      SerializationException that ends the judgement: since the walk runs
//      in model order, every such candidate is kept and the one that comes
//      first in the document wins, as it would for the service's streaming
//      deserializer. Duplicate members are the same kind of candidate.
//   3. the verdict and AWS's message are assembled (diag/message.cpp).
// Judging a valid body touches only reused buffers: strings are built only
// for diagnostics.
#include "spe/validate.hpp"

#include <algorithm>
#include <charconv>
#include <new>
#include <string_view>
#include <unordered_map>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "diag/message.hpp"
#include "validate/binding.hpp"

namespace spe {

std::string_view version() noexcept { return SPE_VERSION; }

std::string_view to_string(verdict v) noexcept {
  switch (v) {
    case verdict::valid: return "valid";
    case verdict::invalid: return "invalid";
    case verdict::malformed: return "malformed";
  }
  return "?";
}

namespace {

constexpr std::string_view constraint_names[] = {
    "required",  "length_min", "length_max", "pattern",        "count_min",
    "count_max", "value_min",  "value_max",  "type",           "unknown_member",
    "duplicate_member", "syntax", "utf8",     "depth",          "size",
};
static_assert(std::size(constraint_names) == constraint_count);
static_assert(static_cast<std::size_t>(constraint::size) + 1 == constraint_count);

constexpr std::string_view validation_exception = "ValidationException";
constexpr std::string_view serialization_exception = "SerializationException";

std::string to_decimal(std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Length in Unicode scalar values of valid UTF-8: every byte that is not a
// continuation byte (10xxxxxx) starts one. Every string of a body is
// counted (when its byte count leaves its length in doubt), so the bulk
// goes 16 bytes at a time on x86-64 (SSE2 is part of it): a continuation byte is, as a signed byte, below -64; the
// per-lane counts are summed every 255 blocks, before a lane can wrap.
std::size_t code_points(std::string_view s) noexcept {
  std::size_t continuation = 0;
  std::size_t i = 0;
#if defined(__SSE2__) && defined(__x86_64__)
  const __m128i limit = _mm_set1_epi8(-64);
  const __m128i zero = _mm_setzero_si128();
  while (s.size() - i >= 16) {
    const std::size_t blocks = std::min<std::size_t>((s.size() - i) / 16, 255);
    __m128i counts = zero;
    for (std::size_t b = 0; b < blocks; ++b, i += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      counts = _mm_sub_epi8(counts, _mm_cmplt_epi8(bytes, limit));  // -(-1) per continuation byte
    }
    const __m128i sums = _mm_sad_epu8(counts, zero);  // two 64-bit lane sums
    continuation += static_cast<std::size_t>(_mm_cvtsi128_si64(sums)) +
                    static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < s.size(); ++i) continuation += (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  return s.size() - continuation;
}

constraint malformed_kind(json::error_code c) {
  switch (c) {
    case json::error_code::too_large:
    case json::error_code::internal: return constraint::size;
    case json::error_code::too_deep: return constraint::depth;
    case json::error_code::invalid_utf8:
    case json::error_code::byte_order_mark: return constraint::utf8;
    default: return constraint::syntax;
  }
}

// The error type an error body names in __type: AWS JSON 1.1 may qualify it
// ("com.amazonaws.sagemaker#ResourceNotFound") or suffix it
// ("ResourceNotFound:http://..."). botocore (1.43, JSONParser) strips both in
// this order -- everything from the first ':', then everything up to the last
// '#' of what is left -- and so do we, so "a:b#X" names `a` and "X:y#z" `X`.
std::string_view error_type_name(std::string_view t) {
  if (auto colon = t.find(':'); colon != std::string_view::npos) t = t.substr(0, colon);
  if (auto hash = t.rfind('#'); hash != std::string_view::npos) t.remove_prefix(hash + 1);
  return t;
}

// What a body is judged against where the model has no shape for it (a
// request of a model without an input shape, the root of an error body when
// the model has no error shapes): a structure without members, as
// service_model::response() is for an operation without output.
const model::shape& no_members() {
  static const model::shape none = [] {
    model::shape s;
    s.name = "NoMembers";
    s.type = model::shape_type::structure;
    return s;
  }();
  return none;
}

}  // namespace

std::string_view to_string(constraint c) noexcept {
  const auto i = static_cast<std::size_t>(c);
  return i < constraint_count ? constraint_names[i] : "?";
}

std::string_view type_bound(const model::shape& expected) noexcept {
  switch (expected.type) {
    case model::shape_type::structure: return "structure";
    case model::shape_type::list: return "list";
    case model::shape_type::string: return "string";
    case model::shape_type::integer: return "int32";
    case model::shape_type::long_integer: return "int64";
  }
  return "";
}

struct validator::impl {
  const model::service_model* model = nullptr;
  json::reader reader;
  json::document doc;
  judgement out;
  options opts;
  detail::binding bind;
  std::vector<diag::step> path;
  std::string value_text;  // scratch for violation()
  bool skip_type_key = false;  // the root's __type members (an error body) are not members
  bool is_type_key(std::uint32_t object, std::uint32_t member) const {
    return skip_type_key && object == 0 && doc[member].key == "__type";
  }

  // The SerializationException candidate that comes first in the document.
  bool have_serial = false;
  // Modelled nesting past max_model_depth (a recursive model): the body is
  // past a depth bound, so malformed whatever else it holds.
  bool too_deep = false;
  std::size_t too_deep_offset = 0;
  std::size_t serial_offset = 0;
  diagnostic serial;

  // What the last valid body was judged against, for canon/typed_value.
  const model::shape* accepted_shape = nullptr;

  void reset() {
    out.result = verdict::valid;
    out.exception = {};
    out.message.clear();
    out.errors.clear();
    out.notes.clear();
    bind.slots.clear();
    path.clear();
    have_serial = false;
    too_deep = false;
    skip_type_key = false;
    accepted_shape = nullptr;
  }

  diagnostic make(constraint kind, std::string bound, std::size_t offset) {
    diagnostic d;
    d.kind = kind;
    d.path = diag::aws_path(path);
    d.pointer = diag::json_pointer(path);
    d.bound = std::move(bound);
    d.offset = offset;
    return d;
  }

  // A ValidationException item about the value at `node` (no_node: absent).
  void violation(constraint kind, std::string bound, std::uint32_t node, std::size_t offset,
                 const model::shape* shape) {
    diagnostic d = make(kind, std::move(bound), offset);
    // The value is printed into a buffer kept from body to body: a value
    // can be a whole list, and growing a fresh string for it each time
    // costs more than the copy into the item.
    value_text.clear();
    if (node != detail::no_node) diag::print_value(doc, node, shape, opts.duplicates, value_text);
    // Absent or an explicit null: `Value null`, without quotes (SPEC.md 2.5).
    const bool null = node == detail::no_node || doc[node].type == json::kind::null;
    d.message = diag::item(value_text, null, d.path, diag::constraint_text(kind, d.bound));
    out.errors.push_back(std::move(d));
  }

  void serialization(constraint kind, std::string_view bound, std::string message,
                     std::size_t offset) {
    if (have_serial && serial_offset <= offset) return;
    have_serial = true;
    serial_offset = offset;
    serial = make(kind, std::string(bound), offset);
    serial.message = std::move(message);
  }

  void wrong_type(const json::node& n, const model::shape& s) {
    serialization(constraint::type, type_bound(s), diag::wrong_type_text(n, s), n.offset);
  }

  void check(const model::shape& s, std::uint32_t node);
  void check_structure(const model::shape& s, std::uint32_t node);
  void check_list(const model::shape& s, std::uint32_t node);
  void check_string(const model::shape& s, std::uint32_t node);
  void check_number(const model::shape& s, std::uint32_t node);
  void report_unknown(const json::node& parent, std::uint32_t node);
  void report_duplicate(std::uint32_t node);
  void note_duplicate(const model::member* m, std::uint32_t node);
  void judge_error_body();
  void malformed(const json::error& e, std::uint32_t depth_bound);
  void judge(json::padded_view body);
  // Runs `step` under options `o`, answering an allocation failure as a
  // malformed verdict (the API is noexcept).
  template <class Step>
  const judgement& guarded(const options& o, Step&& step) noexcept;
};

void validator::impl::check(const model::shape& s, std::uint32_t node) {
  if (path.size() > max_model_depth) {
    if (!too_deep || doc[node].offset < too_deep_offset) too_deep_offset = doc[node].offset;
    too_deep = true;
    return;
  }
  switch (s.type) {
    case model::shape_type::structure: check_structure(s, node); return;
    case model::shape_type::list: check_list(s, node); return;
    case model::shape_type::string: check_string(s, node); return;
    case model::shape_type::integer:
    case model::shape_type::long_integer: check_number(s, node); return;
  }
}

void validator::impl::check_structure(const model::shape& s, std::uint32_t node) {
  const json::node& n = doc[node];
  if (n.type != json::kind::object) return wrong_type(n, s);

  // Bind: one slot per model member, filled from the object's members.
  const auto base = static_cast<std::uint32_t>(bind.slots.size());
  bind.slots.resize(base + s.members.size(), detail::no_node);
  bind.slot_base[node] = base;
  std::uint32_t unknown = 0;
  for (std::uint32_t i = node + 1; i < n.end; i = doc[i].end) {
    const int k = s.find_member(doc[i].key);
    if (k < 0) {
      unknown += !is_type_key(node, i);
      continue;
    }
    std::uint32_t& slot = bind.slots[base + static_cast<std::uint32_t>(k)];
    if (slot == detail::no_node) {
      slot = i;
    } else if (opts.duplicates != duplicate_policy::reject) {
      if (opts.duplicates == duplicate_policy::last) slot = i;
      note_duplicate(&s.members[static_cast<std::size_t>(k)], i);
    }
    // Under duplicate_policy::reject the reader has flagged it already.
  }

  for (std::size_t k = 0; k < s.members.size(); ++k) {
    const model::member& m = s.members[k];
    const std::uint32_t v = bind.member(node, k);
    path.push_back({&m, m.name, 0, false});
    if (v != detail::no_node) {
      check(*m.target, v);
    } else if (m.required) {
      violation(constraint::required, "", detail::no_node, n.offset, m.target);
    }
    path.pop_back();
  }

  if (unknown) {
    // A repeated unknown member resolves as a modelled one does: the
    // occurrence the policy picks is reported, each one after the first
    // gets a duplicate note. Only a document with a repeated member (the
    // reader's first_duplicate) has one; under reject it is already a
    // SerializationException.
    const bool resolve = unknown > 1 && doc.first_duplicate() != 0 && opts.duplicates != duplicate_policy::reject;
    struct occurrences {
      std::uint32_t first;
      std::uint32_t picked;
    };
    std::unordered_map<std::string_view, occurrences> by_key;
    const auto is_unknown = [&](std::uint32_t i) { return !is_type_key(node, i) && s.find_member(doc[i].key) < 0; };
    if (resolve) {
      for (std::uint32_t i = node + 1; i < n.end; i = doc[i].end) {
        if (!is_unknown(i)) continue;
        const auto [at, fresh] = by_key.try_emplace(doc[i].key, occurrences{i, i});
        if (!fresh && opts.duplicates == duplicate_policy::last) at->second.picked = i;
      }
    }
    for (std::uint32_t i = node + 1; i < n.end; i = doc[i].end) {
      if (!is_unknown(i)) continue;
      if (resolve) {
        const occurrences& o = by_key.find(doc[i].key)->second;
        if (i != o.first) note_duplicate(nullptr, i);
        if (i != o.picked) continue;
      }
      report_unknown(n, i);
    }
  }
}

// A member repeated in its object, resolved by policy: a note on each
// occurrence after the first, so that the choice is visible.
void validator::impl::note_duplicate(const model::member* m, std::uint32_t node) {
  const json::node& v = doc[node];
  path.push_back({m, v.key, 0, false});
  diagnostic d = make(constraint::duplicate_member, "", v.key_offset);
  d.message = diag::duplicate_text(v.key);
  d.message += opts.duplicates == duplicate_policy::last ? ": the last one counts"
                                                          : ": the first one counts";
  out.notes.push_back(std::move(d));
  path.pop_back();
}

void validator::impl::report_unknown(const json::node& parent, std::uint32_t node) {
  (void)parent;
  const json::node& v = doc[node];
  path.push_back({nullptr, v.key, 0, false});
  if (opts.strict) {
    violation(constraint::unknown_member, "", node, v.key_offset, nullptr);
  } else {
    diagnostic d = make(constraint::unknown_member, "", v.key_offset);
    d.message = "Unknown member '";
    d.message += v.key;
    d.message += "' ignored, as the service ignores it";
    out.notes.push_back(std::move(d));
  }
  path.pop_back();
}

void validator::impl::check_list(const model::shape& s, std::uint32_t node) {
  const json::node& n = doc[node];
  if (n.type != json::kind::array) return wrong_type(n, s);
  if (s.has_min && static_cast<std::int64_t>(n.count) < s.min) {
    violation(constraint::count_min, to_decimal(s.min), node, n.offset, &s);
  }
  if (s.has_max && static_cast<std::int64_t>(n.count) > s.max) {
    violation(constraint::count_max, to_decimal(s.max), node, n.offset, &s);
  }
  std::uint32_t index = 0;
  for (std::uint32_t i = node + 1; i < n.end; i = doc[i].end, ++index) {
    path.push_back({nullptr, {}, index, true});
    if (doc[i].type == json::kind::null) {
      serialization(constraint::type, type_bound(*s.element),
                    std::string(diag::null_element_text()), doc[i].offset);
    } else {
      check(*s.element, i);
    }
    path.pop_back();
  }
}

void validator::impl::check_string(const model::shape& s, std::uint32_t node) {
  const json::node& n = doc[node];
  if (n.type != json::kind::string) return wrong_type(n, s);
  // A code point takes 1 to 4 bytes of UTF-8, so the length lies between
  // a quarter of the byte count (rounded up) and the byte count; the code
  // points are counted only when that range reaches past a bound.
  const auto most = static_cast<std::int64_t>(n.text.size());
  const auto least = static_cast<std::int64_t>((n.text.size() + 3) / 4);
  if ((s.has_min && least < s.min) || (s.has_max && most > s.max)) {
    const auto length = static_cast<std::int64_t>(code_points(n.text));
    if (s.has_min && length < s.min) {
      violation(constraint::length_min, to_decimal(s.min), node, n.offset, &s);
    }
    if (s.has_max && length > s.max) {
      violation(constraint::length_max, to_decimal(s.max), node, n.offset, &s);
    }
  }
  // The reader hands out valid UTF-8 only (stage 1 checks the bytes; the
  // unescaper refuses lone surrogates).
  if (s.regex && !s.regex->matcher.full_match_valid_utf8(n.text)) {
    violation(constraint::pattern, s.pattern, node, n.offset, &s);
  }
}

void validator::impl::check_number(const model::shape& s, std::uint32_t node) {
  const json::node& n = doc[node];
  const bool in_range =
      n.type == json::kind::number && n.integral && n.fits_int64 &&
      (s.type == model::shape_type::long_integer ||
       (n.integer >= INT32_MIN && n.integer <= INT32_MAX));
  if (!in_range) return wrong_type(n, s);
  if (s.has_min && n.integer < s.min) {
    violation(constraint::value_min, to_decimal(s.min), node, n.offset, &s);
  }
  if (s.has_max && n.integer > s.max) {
    violation(constraint::value_max, to_decimal(s.max), node, n.offset, &s);
  }
}

// Puts the path of tape node `target` on the path stack (the error path only:
// a linear search from the root).
void validator::impl::report_duplicate(std::uint32_t target) {
  path.clear();
  std::uint32_t node = 0;
  while (node != target) {
    const json::node& n = doc[node];
    std::uint32_t index = 0;
    std::uint32_t child = node + 1;
    while (doc[child].end <= target) {
      child = doc[child].end;
      ++index;
    }
    if (n.type == json::kind::array) {
      path.push_back({nullptr, {}, index, true});
    } else {
      path.push_back({nullptr, doc[child].key, 0, false});
    }
    node = child;
  }
  const json::node& v = doc[target];
  serialization(constraint::duplicate_member, "", diag::duplicate_text(v.key), v.key_offset);
  path.clear();
}

void validator::impl::judge_error_body() {
  const json::node& root = doc.root();
  // The root must be an object before __type can be looked for; the error
  // shapes are all structures, so any one names the expected type.
  if (root.type != json::kind::object) {
    if (!model->errors().empty()) return wrong_type(root, *model->errors().front());
    return wrong_type(root, no_members());  // a model without error shapes
  }
  // A repeated __type is resolved as check_structure resolves any member
  // (under reject it is already a SerializationException); none of them is
  // an unknown member (is_type_key).
  std::uint32_t type_node = detail::no_node;
  for (std::uint32_t i = 1; i < root.end; i = doc[i].end) {
    if (doc[i].key != "__type") continue;
    if (type_node == detail::no_node) {
      type_node = i;
    } else if (opts.duplicates != duplicate_policy::reject) {
      if (opts.duplicates == duplicate_policy::last) type_node = i;
      note_duplicate(nullptr, i);
    }
  }
  if (type_node == detail::no_node || doc[type_node].type == json::kind::null) {
    path.push_back({nullptr, "__type", 0, false});
    violation(constraint::required, "", detail::no_node, root.offset, nullptr);
    path.clear();
    return;
  }
  const json::node& t = doc[type_node];
  path.push_back({nullptr, "__type", 0, false});
  if (t.type != json::kind::string) {
    model::shape string_shape;
    string_shape.type = model::shape_type::string;
    wrong_type(t, string_shape);
    path.clear();
    return;
  }
  const model::shape* shape = model->find_error(error_type_name(t.text));
  if (!shape) {
    std::string names;
    for (const model::shape* e : model->errors()) {
      if (!names.empty()) names += '|';
      names += e->name;
    }
    std::string message = "Unknown error type '";
    message += t.text;
    message += "' for this operation";
    serialization(constraint::type, names, std::move(message), t.offset);
    path.clear();
    return;
  }
  path.clear();
  skip_type_key = true;
  accepted_shape = shape;
  check(*shape, 0);
}

void validator::impl::malformed(const json::error& e, std::uint32_t depth_bound) {
  diagnostic d;
  d.kind = malformed_kind(e.code);
  d.offset = e.offset;
  d.message = diag::malformed_text(e);
  if (d.kind == constraint::size) {
    d.bound = to_decimal(static_cast<std::int64_t>(opts.limits.size_bound()));
  } else if (d.kind == constraint::depth) {
    d.bound = to_decimal(depth_bound);
  }
  out.result = verdict::malformed;
  out.exception = serialization_exception;
  out.errors.clear();
  out.notes.clear();
  out.message = d.message;
  out.errors.push_back(std::move(d));
}

void validator::impl::judge(json::padded_view body) {
  reset();
  const json::error e = reader.read(body, opts.limits, doc);
  if (e.code != json::error_code::ok) return malformed(e, opts.limits.depth_bound());

  bind.doc = &doc;
  if (bind.slot_base.size() < doc.nodes().size()) bind.slot_base.resize(doc.nodes().size());
  if (doc.first_duplicate() != 0 && opts.duplicates == duplicate_policy::reject) {
    report_duplicate(doc.first_duplicate());
  }

  switch (opts.body) {
    case body_kind::request: accepted_shape = model->input() ? model->input() : &no_members(); break;
    case body_kind::response:
      accepted_shape = &model->response();
      break;
    case body_kind::error: judge_error_body(); break;
  }
  if (opts.body != body_kind::error) {
    if (accepted_shape) check(*accepted_shape, 0);
  }

  if (too_deep) {
    accepted_shape = nullptr;
    return malformed({json::error_code::too_deep, too_deep_offset}, max_model_depth);
  }
  if (have_serial) {
    out.result = verdict::invalid;
    out.exception = serialization_exception;
    out.errors.clear();
    out.message = serial.message;
    out.errors.push_back(std::move(serial));
  } else if (!out.errors.empty()) {
    out.result = verdict::invalid;
    out.exception = validation_exception;
    out.message = diag::validation_message(out.errors);
  }
  if (out.result != verdict::valid) accepted_shape = nullptr;
}

validator::validator(const model::service_model& model) : impl_(std::make_unique<impl>()) {
  impl_->model = &model;
  impl_->path.reserve(64);
}
validator::~validator() = default;
validator::validator(validator&&) noexcept = default;
validator& validator::operator=(validator&&) noexcept = default;

const model::service_model& validator::model() const noexcept { return *impl_->model; }

template <class Step>
const judgement& validator::impl::guarded(const options& o, Step&& step) noexcept {
  try {
    opts = o;
    step();
  } catch (const std::bad_alloc&) {
    // Report without needing memory: every step below may fail again, and
    // a verdict with fewer words beats an exception through noexcept.
    reset();
    out.result = verdict::malformed;
    out.exception = serialization_exception;
    try {
      out.message = "Out of memory while judging the body";
      diagnostic d;
      d.kind = constraint::size;
      d.message = out.message;
      out.errors.push_back(std::move(d));
    } catch (const std::bad_alloc&) {
    }
  }
  return out;
}

const judgement& validator::judge(std::string_view body, const options& opts) noexcept {
  // Not padded: the reader copies it.
  const json::padded_view copied(body.data(), body.size(), body.size());
  return impl_->guarded(opts, [&] { impl_->judge(copied); });
}

const judgement& validator::judge(json::padded_view body, const options& opts) noexcept {
  return impl_->guarded(opts, [&] { impl_->judge(body); });
}

const judgement& validator::judge_out_of_memory(const options& opts) noexcept {
  // What judge() answers when its reader cannot allocate.
  return impl_->guarded(opts, [&] {
    impl_->reset();
    impl_->malformed({json::error_code::internal, 0}, opts.limits.depth_bound());
  });
}

bool validator::canonical(std::string& out) const {
  const impl& m = *impl_;
  if (!m.accepted_shape) return false;
  detail::write_canonical(m.bind, *m.accepted_shape, 0, out,
                          m.opts.body == body_kind::error ? std::string_view(m.accepted_shape->name)
                                                          : std::string_view{});
  return true;
}

namespace {

void build_value(const detail::binding& b, const model::shape& s, std::uint32_t node,
                 value& v) {
  const json::node& n = (*b.doc)[node];
  switch (s.type) {
    case model::shape_type::structure:
      v.type = value::kind::structure;
      v.items.resize(s.members.size());
      for (std::size_t k = 0; k < s.members.size(); ++k) {
        const std::uint32_t m = b.member(node, k);
        if (m != detail::no_node) build_value(b, *s.members[k].target, m, v.items[k]);
      }
      return;
    case model::shape_type::list:
      v.type = value::kind::list;
      v.items.resize(n.count);
      for (std::uint32_t i = node + 1, k = 0; i < n.end; i = (*b.doc)[i].end, ++k) {
        build_value(b, *s.element, i, v.items[k]);
      }
      return;
    case model::shape_type::string:
      v.type = value::kind::string;
      v.text = n.text;
      return;
    case model::shape_type::integer:
    case model::shape_type::long_integer:
      v.type = value::kind::integer;
      v.integer = n.integer;
      return;
  }
}

}  // namespace

bool validator::typed_value(value& out) const {
  const impl& m = *impl_;
  if (!m.accepted_shape) return false;
  out = value{};
  build_value(m.bind, *m.accepted_shape, 0, out);
  return true;
}

}  // namespace spe
