// Loads the hand-written peers' rules from the model and runs them
// (hand_rules.hpp). The pattern rewrite is the one a careful developer makes
// when moving a Java pattern to std::regex; anything it does not recognise
// is refused rather than guessed.
#include "hand_rules.hpp"

namespace spe::bench {

std::optional<std::wstring> java_to_ecma(std::string_view java, std::string& why) {
  std::wstring out;
  bool in_class = false;
  for (std::size_t i = 0; i < java.size(); ++i) {
    const char c = java[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      why = "non-ASCII pattern text";
      return std::nullopt;
    }
    if (c == '\\') {
      if (i + 1 == java.size()) {
        why = "pattern ends in a backslash";
        return std::nullopt;
      }
      const char e = java[i + 1];
      // Escapes that mean the same in both dialects: punctuation, and the
      // control escapes. Java's \p{..}, \Q..\E, \z and the like differ.
      const bool same = (e >= 0x21 && e <= 0x7e && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
                                                    (e >= 'A' && e <= 'Z'))) ||
                        e == 'n' || e == 'r' || e == 't' || e == 'f' || e == 'd' || e == 'w' ||
                        e == 's' || e == 'D' || e == 'W' || e == 'S';
      if (!same) {
        why = std::string("escape \\") + e + " has no ECMAScript equivalent here";
        return std::nullopt;
      }
      out += L'\\';
      out += static_cast<wchar_t>(e);
      ++i;
      continue;
    }
    if (in_class) {
      if (c == '[') {
        why = "nested character class";
        return std::nullopt;
      }
      if (c == ']') in_class = false;
      out += static_cast<wchar_t>(c);
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += L'[';
      if (i + 1 < java.size() && java[i + 1] == '^') {
        out += L'^';
        ++i;
      }
      // A ']' first in a class is a literal in Java, an empty class in ECMAScript.
      if (i + 1 < java.size() && java[i + 1] == ']') {
        out += L"\\]";
        ++i;
      }
      continue;
    }
    if (c == '.') {
      // Java's `.`: any code point but \n \r U+0085 U+2028 U+2029.
      out += L"[^\\n\\r\\u0085\\u2028\\u2029]";
      continue;
    }
    if (c == '(' && i + 1 < java.size() && java[i + 1] == '?' &&
        !(i + 2 < java.size() && java[i + 2] == ':')) {
      why = "group construct (? other than (?:";
      return std::nullopt;
    }
    if ((c == '+' || c == '*' || c == '?' || c == '}') && i + 1 < java.size() && java[i + 1] == '+') {
      why = "possessive quantifier";
      return std::nullopt;
    }
    out += static_cast<wchar_t>(c);
  }
  if (in_class) {
    why = "unterminated character class";
    return std::nullopt;
  }
  return out;
}

void decode_utf8(std::string_view s, std::wstring& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    char32_t cp;
    std::size_t n;
    if (b < 0x80) {
      cp = b;
      n = 1;
    } else if (b < 0xE0) {
      cp = b & 0x1Fu;
      n = 2;
    } else if (b < 0xF0) {
      cp = b & 0x0Fu;
      n = 3;
    } else {
      cp = b & 0x07u;
      n = 4;
    }
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    }
    out += static_cast<wchar_t>(cp);
    i += n;
  }
}

std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool string_rule::check(std::string_view s, std::wstring& scratch) const {
  bool ok = true;
  if (has_min || has_max) {
    const auto n = static_cast<std::int64_t>(count_code_points(s));
    ok = !(has_min && n < min) && !(has_max && n > max);
  }
  // Every constraint is checked, as the service reports them all.
  if (has_pattern) {
    decode_utf8(s, scratch);
    ok = std::regex_match(scratch, pattern) && ok;
  }
  return ok;
}

namespace {

const model::shape* member_target(const model::shape& s, std::string_view name, std::string& why) {
  const int k = s.find_member(name);
  if (k < 0) {
    why = "model has no member " + std::string(name) + " in " + s.name;
    return nullptr;
  }
  return s.members[static_cast<std::size_t>(k)].target;
}

bool load_string(const model::shape* s, string_rule& r, std::string& why) {
  if (!s) return false;
  if (s->type != model::shape_type::string) {
    why = s->name + " is not a string";
    return false;
  }
  r.has_min = s->has_min;
  r.has_max = s->has_max;
  r.min = s->min;
  r.max = s->max;
  if (!s->pattern.empty()) {
    auto ecma = java_to_ecma(s->pattern, why);
    if (!ecma) {
      why = s->name + ": " + why;
      return false;
    }
    try {
      r.pattern = std::wregex(*ecma, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      why = s->name + ": std::regex refuses the pattern: " + e.what();
      return false;
    }
    r.has_pattern = true;
  }
  return true;
}

// The hand-written peers know which members exist and which are required;
// refuse a model that says otherwise rather than judge by stale knowledge.
bool same_members(const model::shape& s, std::initializer_list<std::pair<std::string_view, bool>> known,
                  std::string& why) {
  if (s.members.size() != known.size()) {
    why = s.name + " has members a hand-written seed validator does not know";
    return false;
  }
  for (const auto& [name, required] : known) {
    const int k = s.find_member(name);
    if (k < 0 || s.members[static_cast<std::size_t>(k)].required != required) {
      why = s.name + "." + std::string(name) + " is not as a hand-written seed validator expects";
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<seed_rules> load_seed_rules(const model::service_model& m, std::string& why) {
  const model::shape* in = m.input();
  if (!in) {
    why = "model has no input shape";
    return std::nullopt;
  }
  if (!same_members(*in, {{"ClientRequestToken", true}, {"PipelineName", true},
                          {"PipelineExecutionDisplayName", false},
                          {"PipelineExecutionDescription", false}, {"PipelineParameters", false}},
                    why)) {
    return std::nullopt;
  }
  seed_rules r;
  if (!load_string(member_target(*in, "ClientRequestToken", why), r.client_request_token, why) ||
      !load_string(member_target(*in, "PipelineName", why), r.pipeline_name, why) ||
      !load_string(member_target(*in, "PipelineExecutionDisplayName", why), r.display_name, why) ||
      !load_string(member_target(*in, "PipelineExecutionDescription", why), r.description, why)) {
    return std::nullopt;
  }
  const model::shape* list = member_target(*in, "PipelineParameters", why);
  if (!list) return std::nullopt;
  if (list->type != model::shape_type::list || !list->element) {
    why = "PipelineParameters is not a list";
    return std::nullopt;
  }
  r.parameters = {list->has_min, list->has_max, list->min, list->max};
  const model::shape& param = *list->element;
  if (param.type != model::shape_type::structure ||
      !same_members(param, {{"Name", true}, {"Value", true}}, why)) {
    if (why.empty()) why = "PipelineParameters elements are not structures";
    return std::nullopt;
  }
  if (!load_string(member_target(param, "Name", why), r.parameter_name, why) ||
      !load_string(member_target(param, "Value", why), r.parameter_value, why)) {
    return std::nullopt;
  }
  return r;
}

}  // namespace spe::bench
