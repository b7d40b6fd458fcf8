// Peers 4 and 5: the JSON Schema validators a user would pick, on the JSON
// Schema that `spe schema --format json-schema --revision seed` prints.
//
// Peer 4 streams the body through RapidJSON's Reader into its
// SchemaValidator (SAX: no DOM), with UTF-8 validation on. Peer 5 parses the
// body into a RapidJSON DOM (a reused memory pool) and runs valijson on it.
// JSON Schema has no word for duplicate member names, so each peer adds the
// check a careful user adds: peer 4 watches the keys go by, peer 5 walks the
// DOM (RapidJSON keeps every occurrence of a repeated name). Everything else
// -- null as absent, lengths in code points, patterns -- is the schema's
// business, and where an engine reads it differently the comparison shows it.
#include <cstring>
#include <stdexcept>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/schema.h>
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "peers.hpp"

namespace spe::bench {
namespace {

constexpr unsigned parse_flags = rapidjson::kParseValidateEncodingFlag;

// Keys of the open objects, flat: one arena of bytes, one entry per key.
class key_stack {
 public:
  void clear() {
    bytes_.clear();
    keys_.clear();
    frames_.clear();
  }
  void open() { frames_.push_back(keys_.size()); }
  void close() {
    const std::size_t frame = frames_.back();
    frames_.pop_back();
    if (frame < keys_.size()) bytes_.resize(keys_[frame].first);
    keys_.resize(frame);
  }
  // False when `key` repeats a key of the innermost open object.
  bool add(const char* key, std::size_t n) {
    const std::string_view k(key, n);
    for (std::size_t i = frames_.back(); i < keys_.size(); ++i) {
      if (std::string_view(bytes_.data() + keys_[i].first, keys_[i].second) == k) return false;
    }
    keys_.emplace_back(bytes_.size(), n);
    bytes_.append(key, n);
    return true;
  }

 private:
  std::string bytes_;
  std::vector<std::pair<std::size_t, std::size_t>> keys_;  // offset, length
  std::vector<std::size_t> frames_;
};

// Forwards every SAX event to the schema validator; refuses duplicates.
struct duplicate_guard {
  using Ch = char;
  rapidjson::SchemaValidator* validator;
  key_stack* keys;

  bool Null() { return validator->Null(); }
  bool Bool(bool b) { return validator->Bool(b); }
  bool Int(int i) { return validator->Int(i); }
  bool Uint(unsigned u) { return validator->Uint(u); }
  bool Int64(std::int64_t i) { return validator->Int64(i); }
  bool Uint64(std::uint64_t u) { return validator->Uint64(u); }
  bool Double(double d) { return validator->Double(d); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool copy) {
    return validator->RawNumber(s, n, copy);
  }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return validator->String(s, n, copy); }
  bool StartObject() {
    keys->open();
    return validator->StartObject();
  }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) {
    return keys->add(s, n) && validator->Key(s, n, copy);
  }
  bool EndObject(rapidjson::SizeType n) {
    keys->close();
    return validator->EndObject(n);
  }
  bool StartArray() { return validator->StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return validator->EndArray(n); }
};

bool parse_schema(const schema_text& schema, rapidjson::Document& doc, std::string& why) {
  doc.Parse(schema.json.c_str(), schema.json.size());
  if (doc.HasParseError()) {
    why = schema.path + ": not JSON: " + rapidjson::GetParseError_En(doc.GetParseError());
    return false;
  }
  if (!doc.IsObject()) {
    why = schema.path + ": not a JSON Schema object";
    return false;
  }
  return true;
}

class rapidjson_schema final : public peer {
 public:
  rapidjson_schema(std::unique_ptr<rapidjson::Document> doc, const std::string& variant)
      : doc_(std::move(doc)),
        schema_(*doc_),
        validator_(schema_),
        name_(variant.empty() ? "rapidjson-schema" : "rapidjson-schema (" + variant + ")") {}

  std::string_view name() const noexcept override { return name_; }
  std::string_view description() const noexcept override {
    return "RapidJSON Reader -> SchemaValidator (SAX, internal regex, UTF-8 checked) + duplicate-key guard";
  }

  bool valid(const std::string& body) noexcept override {
    try {
      validator_.Reset();
      keys_.clear();
      duplicate_guard guard{&validator_, &keys_};
      rapidjson::Reader reader;
      rapidjson::StringStream in(body.c_str());
      const rapidjson::ParseResult r = reader.Parse<parse_flags>(in, guard);
      return !r.IsError() && validator_.IsValid();
    } catch (...) {
      return false;
    }
  }

 private:
  std::unique_ptr<rapidjson::Document> doc_;  // the schema's text, which schema_ points into
  rapidjson::SchemaDocument schema_;
  rapidjson::SchemaValidator validator_;
  key_stack keys_;
  std::string name_;
};

// RapidJSON keeps every member of a repeated name; find one anywhere.
bool has_duplicate(const rapidjson::Value& v) {
  if (v.IsObject()) {
    for (auto i = v.MemberBegin(); i != v.MemberEnd(); ++i) {
      const std::string_view a(i->name.GetString(), i->name.GetStringLength());
      for (auto j = v.MemberBegin(); j != i; ++j) {
        if (std::string_view(j->name.GetString(), j->name.GetStringLength()) == a) return true;
      }
      if (has_duplicate(i->value)) return true;
    }
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (has_duplicate(item)) return true;
    }
  }
  return false;
}

class valijson_peer final : public peer {
 public:
  valijson_peer(std::unique_ptr<rapidjson::Document> schema_doc, std::unique_ptr<valijson::Schema> schema,
                const std::string& variant)
      : name_(variant.empty() ? "valijson" : "valijson (" + variant + ")"),
        schema_doc_(std::move(schema_doc)),
        schema_(std::move(schema)),
        buffer_(std::make_unique<char[]>(buffer_size)),
        pool_(buffer_.get(), buffer_size),
        doc_(&pool_) {}

  std::string_view name() const noexcept override { return name_; }
  std::string_view description() const noexcept override {
    return "valijson on a RapidJSON DOM (std::regex, regex_search) + duplicate-key walk";
  }

  bool valid(const std::string& body) noexcept override {
    try {
      // The pool's chunks go, its first buffer stays: a body parses without
      // malloc once the buffer fits it. The old DOM is never read again.
      pool_.Clear();
      doc_.Parse<parse_flags>(body.c_str(), body.size());
      if (doc_.HasParseError() || has_duplicate(doc_)) return false;
      const valijson::adapters::RapidJsonAdapter target(doc_);
      return validator_.validate(*schema_, target, nullptr);
    } catch (...) {
      return false;
    }
  }

 private:
  static constexpr std::size_t buffer_size = std::size_t{4} << 20;
  std::string name_;
  std::unique_ptr<rapidjson::Document> schema_doc_;
  std::unique_ptr<valijson::Schema> schema_;
  std::unique_ptr<char[]> buffer_;
  rapidjson::MemoryPoolAllocator<> pool_;
  rapidjson::Document doc_;
  valijson::Validator validator_;  // strong types; caches each compiled std::regex
};

}  // namespace

std::unique_ptr<peer> make_rapidjson_schema(const schema_text& schema, std::string& why) {
  auto doc = std::make_unique<rapidjson::Document>();
  if (!parse_schema(schema, *doc, why)) return nullptr;
  return std::make_unique<rapidjson_schema>(std::move(doc), schema.variant);
}

std::unique_ptr<peer> make_valijson(const schema_text& schema, std::string& why) {
  auto doc = std::make_unique<rapidjson::Document>();
  if (!parse_schema(schema, *doc, why)) return nullptr;
  auto parsed = std::make_unique<valijson::Schema>();
  try {
    // valijson reads draft 3, 4 and 7; the $schema keyword picks one.
    auto version = valijson::SchemaParser::kDraft7;
    if (doc->HasMember("$schema") && (*doc)["$schema"].IsString()) {
      const std::string_view s((*doc)["$schema"].GetString());
      if (s.find("draft-04") != std::string_view::npos) version = valijson::SchemaParser::kDraft4;
      if (s.find("draft-03") != std::string_view::npos) version = valijson::SchemaParser::kDraft3;
    }
    valijson::SchemaParser parser(version);
    parser.populateSchema(valijson::adapters::RapidJsonAdapter(*doc), *parsed);
  } catch (const std::exception& e) {
    why = schema.path + ": valijson refuses the schema: " + e.what();
    return nullptr;
  }
  return std::make_unique<valijson_peer>(std::move(doc), std::move(parsed), schema.variant);
}

}  // namespace spe::bench
