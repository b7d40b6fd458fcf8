// Test helpers for the model stage: render a loaded model as lines of text,
// so that a test compares it with hand-written expectations (or with another
// loaded model) and a failure shows which shape, member or trait differs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spe/model.hpp"

namespace spe_test {

// "1..256", "0..1024", "1..": strings and lists have an implicit minimum of
// 0 (a model may or may not write it), numbers have none.
inline std::string bounds(const spe::model::shape& s) {
  using spe::model::shape_type;
  const bool length = s.type == shape_type::string || s.type == shape_type::list;
  if (!s.has_min && !s.has_max && !length) return "";
  std::string out = " ";
  if (s.has_min) {
    out += std::to_string(s.min);
  } else if (length) {
    out += "0";
  }
  out += "..";
  if (s.has_max) out += std::to_string(s.max);
  return out;
}

// One line per value position of the tree under `s`, in model member order:
//   "(input): structure"
//   "PipelineParameters: list 0..50"
//   "PipelineParameters[].Name: string 1..256 /[A-Za-z0-9\-_]*/ required"
// Recursion stops at a shape already on the path (recursive shapes).
inline void render_tree(const spe::model::shape& s, const std::string& path, bool required,
                        std::vector<const spe::model::shape*>& on_path,
                        std::vector<std::string>& out) {
  using spe::model::shape_type;
  std::string line = path + ": " + std::string(spe::model::to_string(s.type)) + bounds(s);
  if (!s.pattern.empty()) line += " /" + s.pattern + "/";
  if (s.exception) line += " exception";
  if (required) line += " required";
  out.push_back(line);
  for (const auto* p : on_path) {
    if (p == &s) return;
  }
  on_path.push_back(&s);
  // The root's own line is labelled; its members' paths start afresh.
  const std::string prefix = on_path.size() == 1 ? std::string() : path + ".";
  if (s.type == shape_type::structure) {
    for (const auto& m : s.members) {
      render_tree(*m.target, prefix + m.name, m.required, on_path, out);
    }
  } else if (s.type == shape_type::list) {
    render_tree(*s.element, path + "[]", false, on_path, out);
  }
  on_path.pop_back();
}

inline std::vector<std::string> render_tree(const spe::model::shape& root,
                                            const std::string& label) {
  std::vector<std::string> out;
  std::vector<const spe::model::shape*> on_path;
  render_tree(root, label, false, on_path, out);
  return out;
}

// Everything the loader keeps about every reachable shape, one line each, in
// shapes() order, plus the operation's roots: two models with equal
// descriptions judge every body alike.
inline std::vector<std::string> describe(const spe::model::service_model& m) {
  std::vector<std::string> out;
  out.push_back("input " + (m.input() ? m.input()->name : std::string("-")));
  out.push_back("output " + (m.output() ? m.output()->name : std::string("-")));
  for (const auto* e : m.errors()) out.push_back("error " + e->name);
  for (const auto* s : m.shapes()) {
    std::string line = s->name + ": " + std::string(spe::model::to_string(s->type));
    if (s->has_min) line += " min=" + std::to_string(s->min);
    if (s->has_max) line += " max=" + std::to_string(s->max);
    if (!s->pattern.empty()) line += " pattern=" + s->pattern;
    if (s->regex) line += " (compiled)";
    if (s->exception) line += " exception";
    if (s->element) line += " element=" + s->element->name;
    for (const auto& mem : s->members) {
      line += " {" + mem.name + "/" + mem.path_name + " -> " + mem.target->name +
              (mem.required ? " required}" : "}");
    }
    line += " by_name=";
    for (std::uint16_t i : s->by_name) line += std::to_string(i) + ",";
    out.push_back(line);
  }
  return out;
}

}  // namespace spe_test
