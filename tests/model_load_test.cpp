// spe::model::load on small hand-made service-2.json texts: what it accepts
// (the traits it keeps, the ones it ignores, recursive and shared shapes,
// member order, path names, the canonical order) and every way it refuses a
// model, each refusal naming the shape, member or construct at fault.
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "spe/model.hpp"
#include "spe/pattern.hpp"

namespace {

using spe::model::service_model;
using spe::model::shape;
using spe::model::shape_type;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A model whose operation "Op" takes "In" (plus `op_extra` in the operation
// object), with `shapes` as the members of the "shapes" object.
std::string model(std::string_view shapes, std::string_view op_extra = "") {
  return R"({"version": "2.0", "operations": {"Op": {"name": "Op", "input": {"shape": "In"})" +
         std::string(op_extra) + R"(}}, "shapes": {)" + std::string(shapes) + "}}";
}

spe::result<service_model, spe::model::load_error> load(const std::string& text,
                                                        std::string_view op = "Op") {
  return spe::model::load(text, op, "test");
}

// The load error's message, or a marker that the model loaded.
std::string error_of(const std::string& text, std::string_view op = "Op") {
  auto r = load(text, op);
  return r ? std::string("(loaded)") : r.error().message;
}

std::vector<std::string> names(std::span<const shape* const> shapes) {
  std::vector<std::string> out;
  for (const shape* s : shapes) out.push_back(s->name);
  return out;
}

// ---- what loads ----------------------------------------------------------------

TEST(ModelLoad, MinimalModel) {
  auto r = load(model(R"("In": {"type": "structure", "members": {"A": {"shape": "S"}}},
                         "S": {"type": "string"})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->revision(), "test");
  EXPECT_EQ(r->operation(), "Op");
  ASSERT_NE(r->input(), nullptr);
  EXPECT_EQ(r->input()->name, "In");
  EXPECT_EQ(r->output(), nullptr);
  EXPECT_TRUE(r->errors().empty());
  EXPECT_THAT(names(r->shapes()), ElementsAre("In", "S"));
  const shape* s = r->find("S");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->type, shape_type::string);
  EXPECT_FALSE(s->has_min);
  EXPECT_FALSE(s->has_max);
  EXPECT_TRUE(s->pattern.empty());
  EXPECT_EQ(s->regex, nullptr);
  EXPECT_FALSE(r->input()->members[0].required);
}

// shape::finite: whether any value of a shape is valid. A recursion through
// an optional member or a list that may be empty ends; one through required
// members, or a list with a minimum count, does not -- and a structure that
// requires such a shape is no more finite than it.
TEST(ModelLoad, FiniteTellsWhetherAShapeHasAnyValidValue) {
  auto r = load(model(R"(
    "In": {"type": "structure", "required": ["Tree"],
           "members": {"Tree": {"shape": "Tree"}, "Knot": {"shape": "Knot"},
                       "Chain": {"shape": "Chain"}, "Holder": {"shape": "Holder"}}},
    "Tree": {"type": "structure", "members": {"Kids": {"shape": "Trees"}, "Up": {"shape": "Tree"}}},
    "Trees": {"type": "list", "min": 0, "member": {"shape": "Tree"}},
    "Knot": {"type": "structure", "required": ["Again"], "members": {"Again": {"shape": "Knot"}}},
    "Chain": {"type": "list", "min": 1, "member": {"shape": "Link"}},
    "Link": {"type": "structure", "required": ["Next"], "members": {"Next": {"shape": "Chain"}}},
    "Holder": {"type": "structure", "required": ["K"], "members": {"K": {"shape": "Knot"}}})"));
  ASSERT_TRUE(r) << r.error().message;
  const auto finite = [&](std::string_view name) { return r->find(name)->finite; };
  EXPECT_TRUE(finite("In"));
  EXPECT_TRUE(finite("Tree"));
  EXPECT_TRUE(finite("Trees"));
  EXPECT_FALSE(finite("Knot"));
  EXPECT_FALSE(finite("Chain"));
  EXPECT_FALSE(finite("Link"));
  EXPECT_FALSE(finite("Holder"));
}

// A long chain of required structures, In -> S0 -> S1 -> ... -> S(n-1),
// ends in a string (every link finite) or in a Knot that requires itself
// (none finite). The links are listed first-last and last-first: the
// answer must not depend on the order, and each link is decided once (the
// loader works the fixpoint off a queue; a pass per link made 80,000 links
// take a minute).
TEST(ModelLoad, FiniteFollowsALongChainOfRequiredMembers) {
  constexpr int links = 3000;
  for (const bool ends_in_string : {true, false}) {
    for (const bool reversed : {true, false}) {
      std::string shapes = R"("In": {"type": "structure", "required": ["A"], "members": {"A": {"shape": "S0"}}},)";
      shapes += ends_in_string
                    ? R"("End": {"type": "string"},)"
                    : R"("End": {"type": "structure", "required": ["Again"], "members": {"Again": {"shape": "End"}}},)";
      std::vector<std::string> chain;
      for (int i = 0; i < links; ++i) {
        const std::string next = i + 1 < links ? "S" + std::to_string(i + 1) : "End";
        chain.push_back("\"S" + std::to_string(i) + R"(": {"type": "structure", "required": ["N"], "members": {"N": {"shape": ")" +
                        next + "\"}}}");
      }
      if (reversed) std::reverse(chain.begin(), chain.end());
      for (std::size_t i = 0; i < chain.size(); ++i) shapes += (i ? "," : "") + chain[i];
      auto r = load(model(shapes));
      ASSERT_TRUE(r) << r.error().message;
      for (const std::string name : {"In", "S0", "S1500", "S2999"}) {
        EXPECT_EQ(r->find(name)->finite, ends_in_string) << name << (reversed ? " (reversed)" : "");
      }
    }
  }
}

TEST(ModelLoad, EveryTypeAndTrait) {
  auto r = load(model(R"(
    "In": {"type": "structure", "required": ["L", "I"],
           "members": {"S": {"shape": "Str"}, "L": {"shape": "Lst"}, "I": {"shape": "Int"},
                       "G": {"shape": "Lng"}}},
    "Str": {"type": "string", "min": 2, "max": 9, "pattern": "[a-z]+"},
    "Lst": {"type": "list", "member": {"shape": "Str"}, "min": 1, "max": 3},
    "Int": {"type": "integer", "min": -5, "max": 5},
    "Lng": {"type": "long", "min": -9223372036854775808, "max": 9223372036854775807})"));
  ASSERT_TRUE(r) << r.error().message;
  const shape* str = r->find("Str");
  const shape* lst = r->find("Lst");
  const shape* in = r->find("Int");
  const shape* lng = r->find("Lng");
  ASSERT_TRUE(str && lst && in && lng);
  EXPECT_EQ(str->type, shape_type::string);
  EXPECT_TRUE(str->has_min && str->has_max);
  EXPECT_EQ(str->min, 2);
  EXPECT_EQ(str->max, 9);
  EXPECT_EQ(str->pattern, "[a-z]+");
  ASSERT_NE(str->regex, nullptr);
  EXPECT_TRUE(str->regex->matcher.full_match("abc"));
  EXPECT_FALSE(str->regex->matcher.full_match("abc1"));
  EXPECT_EQ(lst->type, shape_type::list);
  EXPECT_EQ(lst->element, str);
  EXPECT_EQ(lst->min, 1);
  EXPECT_EQ(lst->max, 3);
  EXPECT_EQ(in->type, shape_type::integer);
  EXPECT_EQ(in->min, -5);
  EXPECT_EQ(in->max, 5);
  EXPECT_EQ(lng->type, shape_type::long_integer);
  EXPECT_EQ(lng->min, INT64_MIN);
  EXPECT_EQ(lng->max, INT64_MAX);
  const auto& m = r->input()->members;
  ASSERT_EQ(m.size(), 4u);
  EXPECT_FALSE(m[0].required);
  EXPECT_TRUE(m[1].required);
  EXPECT_TRUE(m[2].required);
  EXPECT_FALSE(m[3].required);
}

TEST(ModelLoad, TypeNames) {
  EXPECT_EQ(spe::model::to_string(shape_type::structure), "structure");
  EXPECT_EQ(spe::model::to_string(shape_type::list), "list");
  EXPECT_EQ(spe::model::to_string(shape_type::string), "string");
  EXPECT_EQ(spe::model::to_string(shape_type::integer), "integer");
  EXPECT_EQ(spe::model::to_string(shape_type::long_integer), "long");
}

TEST(ModelLoad, UnknownTraitsAreIgnored) {
  auto r = load(model(R"(
    "In": {"type": "structure", "documentation": "<p>x</p>", "deprecated": true,
           "members": {"T": {"shape": "S", "idempotencyToken": true, "documentation": "d",
                             "box": true, "location": "x"}},
           "x-vendor": {"anything": [1, 2, {"deep": null}]}},
    "S": {"type": "string", "min": 1, "sensitive": true, "documentation": "..."},
    "E": {"type": "structure", "members": {}, "exception": true,
          "error": {"httpStatusCode": 400, "senderFault": true}})",
                      R"(, "errors": [{"shape": "E"}], "documentation": "op docs")"));
  ASSERT_TRUE(r) << r.error().message;
  const shape* s = r->find("S");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->min, 1);
  EXPECT_FALSE(s->has_max);
  ASSERT_EQ(r->errors().size(), 1u);
  EXPECT_TRUE(r->errors()[0]->exception);
  EXPECT_EQ(r->find_error("E"), r->errors()[0]);
}

// An unreachable shape is not read: a full service-2.json has maps, blobs
// and enums elsewhere.
TEST(ModelLoad, UnreachableShapesAreNotRead) {
  auto r = load(model(R"j("In": {"type": "structure", "members": {}},
                          "M": {"type": "map", "key": {"shape": "K"}, "value": {"shape": "K"}},
                          "K": {"type": "string", "enum": ["a"], "pattern": "(?=x)"})j"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_THAT(names(r->shapes()), ElementsAre("In"));
  EXPECT_EQ(r->find("M"), nullptr);
}

TEST(ModelLoad, MemberOrderPathNamesAndByName) {
  auto r = load(model(R"("In": {"type": "structure", "members": {
      "Zeta": {"shape": "S"}, "alpha": {"shape": "S"}, "Mid": {"shape": "S"},
      "ABC": {"shape": "S"}, "_x": {"shape": "S"}, "PipelineName": {"shape": "S"},
      "MlflowExperimentName": {"shape": "S"}}},
    "S": {"type": "string"})"));
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::string> order, paths, sorted;
  for (const auto& m : r->input()->members) {
    order.push_back(m.name);
    paths.push_back(m.path_name);
  }
  for (auto i : r->input()->by_name) sorted.push_back(r->input()->members[i].name);
  EXPECT_THAT(order, ElementsAre("Zeta", "alpha", "Mid", "ABC", "_x", "PipelineName",
                                 "MlflowExperimentName"));
  // AWS lowercases the first character only.
  EXPECT_THAT(paths, ElementsAre("zeta", "alpha", "mid", "aBC", "_x", "pipelineName",
                                 "mlflowExperimentName"));
  // Byte order: upper case, then '_', then lower case.
  EXPECT_THAT(sorted, ElementsAre("ABC", "Mid", "MlflowExperimentName", "PipelineName", "Zeta",
                                  "_x", "alpha"));
  EXPECT_EQ(r->input()->find_member("ABC"), 3);
  EXPECT_EQ(r->input()->find_member("abc"), -1);
}

// find_member compares names a word at a time, the last word overlapping:
// a name of every length from 1 to 24 is found, and a key that differs from
// it in any one byte, or is one byte shorter or longer, is not.
TEST(ModelLoad, FindMemberComparesEveryByte) {
  std::string members;
  std::vector<std::string> all;
  for (std::size_t n = 1; n <= 24; ++n) {
    std::string name;
    for (std::size_t i = 0; i < n; ++i) name += static_cast<char>('a' + (i * 7 + n) % 26);
    all.push_back(name);
    members += (members.empty() ? "" : ", ") + ("\"" + name + "\": {\"shape\": \"S\"}");
  }
  auto r = load(model(R"("In": {"type": "structure", "members": {)" + members + R"(}},
                         "S": {"type": "string"})"));
  ASSERT_TRUE(r) << r.error().message;
  const shape& in = *r->input();
  for (std::size_t k = 0; k < all.size(); ++k) {
    const std::string& name = all[k];
    EXPECT_EQ(in.find_member(name), static_cast<int>(k)) << name;
    for (std::size_t i = 0; i < name.size(); ++i) {
      std::string near = name;
      near[i] = static_cast<char>(near[i] ^ 0x20);
      EXPECT_EQ(in.find_member(near), -1) << name << " with byte " << i << " changed: " << near;
    }
    // No member is another's prefix (their first bytes differ).
    EXPECT_EQ(in.find_member(name + "a"), -1) << name;
    EXPECT_EQ(in.find_member(std::string_view(name).substr(0, name.size() - 1)), -1) << name;
  }
  EXPECT_EQ(in.find_member(""), -1);
}

// shapes(): input first, depth-first in member order, then output, then the
// errors; a shape reached twice is listed (and built) once.
TEST(ModelLoad, ShapesOrderAndSharing) {
  auto r = load(model(R"(
    "In": {"type": "structure", "members": {"A": {"shape": "X"}, "B": {"shape": "Y"}}},
    "X": {"type": "structure", "members": {"C": {"shape": "Z"}, "D": {"shape": "Y"}}},
    "Out": {"type": "structure", "members": {"D": {"shape": "Y"}, "E": {"shape": "W"}}},
    "Err1": {"type": "structure", "exception": true, "members": {"M": {"shape": "V"}}},
    "Err2": {"type": "structure", "exception": true, "members": {"M": {"shape": "V"}}},
    "Y": {"type": "string"}, "Z": {"type": "string"}, "W": {"type": "integer"},
    "V": {"type": "string"})",
                      R"(, "output": {"shape": "Out"},
                         "errors": [{"shape": "Err2"}, {"shape": "Err1"}, {"shape": "Err2"}])"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_THAT(names(r->shapes()),
              ElementsAre("In", "X", "Z", "Y", "Out", "W", "Err2", "V", "Err1"));
  EXPECT_THAT(names(r->errors()), ElementsAre("Err2", "Err1"));
  EXPECT_EQ(r->output(), r->find("Out"));
  EXPECT_EQ(r->find("In")->members[1].target, r->find("X")->members[1].target);
  EXPECT_EQ(r->find_error("Err1"), r->find("Err1"));
  EXPECT_EQ(r->find_error("In"), nullptr) << "only error shapes are errors";
  EXPECT_EQ(r->find("Nope"), nullptr);
}

TEST(ModelLoad, RecursiveShapesArePointers) {
  auto r = load(model(R"(
    "In": {"type": "structure", "members": {"Self": {"shape": "In"}, "Kids": {"shape": "Ls"},
                                            "Other": {"shape": "A"}}},
    "Ls": {"type": "list", "member": {"shape": "In"}},
    "A": {"type": "structure", "members": {"B": {"shape": "B"}}},
    "B": {"type": "structure", "members": {"A": {"shape": "A"}, "Top": {"shape": "In"}}})"));
  ASSERT_TRUE(r) << r.error().message;
  const shape* in = r->input();
  EXPECT_THAT(names(r->shapes()), ElementsAre("In", "Ls", "A", "B"));
  EXPECT_EQ(in->members[0].target, in);
  EXPECT_EQ(in->members[1].target->element, in);
  const shape* a = in->members[2].target;
  EXPECT_EQ(a->members[0].target->members[0].target, a);
  EXPECT_EQ(a->members[0].target->members[1].target, in);
}

// The walk keeps its own stack: a chain deeper than any call stack loads.
TEST(ModelLoad, VeryDeepChainOfShapes) {
  constexpr int depth = 100000;
  std::string shapes = R"("In": {"type": "structure", "members": {"N": {"shape": "S0"}}})";
  for (int i = 0; i < depth; ++i) {
    shapes += ",\"S" + std::to_string(i) + R"(": {"type": "structure", "members": {"N": )" +
              R"({"shape": "S)" + std::to_string(i + 1) + "\"}}}";
  }
  shapes += ",\"S" + std::to_string(depth) + R"(": {"type": "string"})";
  auto r = load(model(shapes));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->shapes().size(), static_cast<std::size_t>(depth) + 2);
  EXPECT_EQ(r->shapes().back()->type, shape_type::string);
}

TEST(ModelLoad, OnePatternTwoShapes) {
  auto r = load(model(R"("In": {"type": "structure", "members": {"A": {"shape": "P"},
                                                                   "B": {"shape": "Q"}}},
                         "P": {"type": "string", "pattern": "^[a-z]{2}$"},
                         "Q": {"type": "string", "pattern": "^[a-z]{2}$", "max": 3})"));
  ASSERT_TRUE(r) << r.error().message;
  for (const char* n : {"P", "Q"}) {
    const shape* s = r->find(n);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->pattern, "^[a-z]{2}$");
    ASSERT_NE(s->regex, nullptr);
    EXPECT_TRUE(s->regex->matcher.full_match("ab"));
    EXPECT_FALSE(s->regex->matcher.full_match("abc"));
  }
}

TEST(ModelLoad, MovedModelKeepsItsGraph) {
  auto r = load(model(R"("In": {"type": "structure", "members": {"A": {"shape": "L"}}},
                         "L": {"type": "list", "member": {"shape": "In"}})"));
  ASSERT_TRUE(r) << r.error().message;
  service_model moved = std::move(r.value());
  service_model assigned;
  assigned = std::move(moved);
  ASSERT_NE(assigned.input(), nullptr);
  EXPECT_EQ(assigned.input()->members[0].target->element, assigned.input());
  EXPECT_EQ(assigned.find("L"), assigned.input()->members[0].target);
}

// ---- what is refused -------------------------------------------------------------

class UnsupportedType : public ::testing::TestWithParam<const char*> {};

TEST_P(UnsupportedType, NamesShapeAndType) {
  const std::string type = GetParam();
  std::string text = model(R"("In": {"type": "structure", "members": {"A": {"shape": "L"}}},
                              "L": {"type": "list", "member": {"shape": "Bad"}},
                              "Bad": {"type": ")" +
                           type + "\"}");
  EXPECT_EQ(error_of(text), "shape 'Bad': type '" + type + "' is not supported");
}

INSTANTIATE_TEST_SUITE_P(ModelLoad, UnsupportedType,
                         ::testing::Values("map", "blob", "timestamp", "boolean", "double", "float",
                                           "union", "bigdecimal", "String", ""));

TEST(ModelLoad, MissingOrBadTypeIsRefused) {
  EXPECT_EQ(error_of(model(R"("In": {"members": {}})")), "shape 'In' has no 'type'");
  EXPECT_EQ(error_of(model(R"("In": {"type": 1})")), "shape 'In': 'type' must be a string, not an integer");
  EXPECT_THAT(error_of(model(R"("In": [])")), StartsWith("shape 'In' must be an object"));
}

TEST(ModelLoad, UnenforcedConstraintTraitsAreRefused) {
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "E"}}},
                              "E": {"type": "string", "enum": ["x", "y"]})")),
            "shape 'E': trait 'enum' is not supported");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "union": true, "members": {}})")),
            "shape 'In': trait 'union' is not supported");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "document": true})")),
            "shape 'In': trait 'document' is not supported");
}

// botocore would merge these over the target shape for this member only.
TEST(ModelLoad, MemberLevelConstraintsAreRefused) {
  for (const char* trait : {R"("min": 1)", R"("max": 9)", R"("pattern": "x")", R"("enum": [])"}) {
    SCOPED_TRACE(trait);
    std::string key = std::string(trait).substr(1, std::string(trait).find('"', 1) - 1);
    EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "S", )" +
                             std::string(trait) + R"(}}}, "S": {"type": "string"})")),
              "shape 'In' member 'A': trait '" + key + "' on a member is not supported");
  }
}

TEST(ModelLoad, TraitOnTheWrongTypeIsRefused) {
  auto wrong = [](const std::string& def) {
    return error_of(
        model(R"("In": {"type": "structure", "members": {"A": {"shape": "X"}}}, "X": )" + def));
  };
  EXPECT_EQ(wrong(R"({"type": "integer", "pattern": "[0-9]+"})"),
            "shape 'X': trait 'pattern' does not apply to type 'integer'");
  EXPECT_EQ(wrong(R"({"type": "list", "member": {"shape": "In"}, "pattern": "x"})"),
            "shape 'X': trait 'pattern' does not apply to type 'list'");
  EXPECT_EQ(wrong(R"({"type": "structure", "min": 1})"),
            "shape 'X': trait 'min' does not apply to type 'structure'");
  EXPECT_EQ(wrong(R"({"type": "string", "required": []})"),
            "shape 'X': trait 'required' does not apply to type 'string'");
  EXPECT_EQ(wrong(R"({"type": "string", "members": {}})"),
            "shape 'X': trait 'members' does not apply to type 'string'");
  EXPECT_EQ(wrong(R"({"type": "structure", "member": {"shape": "In"}})"),
            "shape 'X': trait 'member' does not apply to type 'structure'");
  EXPECT_EQ(wrong(R"({"type": "long", "exception": true})"),
            "shape 'X': trait 'exception' does not apply to type 'long'");
}

TEST(ModelLoad, ListNeedsAMember) {
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "L"}}},
                              "L": {"type": "list", "max": 3})")),
            "shape 'L': a list needs a 'member'");
  EXPECT_THAT(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "L"}}},
                                "L": {"type": "list", "member": {}})")),
              AllOf(HasSubstr("'L'"), HasSubstr("no 'shape'")));
}

// Patterns outside the supported subset fail at load, naming the shape and,
// through spe::pattern::to_string, the construct.
class UnsupportedPattern : public ::testing::TestWithParam<const char*> {};

TEST_P(UnsupportedPattern, NamesShapeAndConstruct) {
  const std::string pattern = GetParam();
  auto direct = spe::pattern::compile(pattern);
  ASSERT_FALSE(direct) << "the pattern engine accepts " << pattern;
  ASSERT_EQ(direct.error().code, spe::pattern::error_code::unsupported);
  ASSERT_FALSE(direct.error().construct.empty());
  // The model text escapes the backslash for JSON.
  std::string json_pattern;
  for (char c : pattern) {
    if (c == '\\') json_pattern += '\\';
    json_pattern += c;
  }
  std::string msg =
      error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "Pat"}}},
               "Pat": {"type": "string", "max": 5, "pattern": ")" +
                     json_pattern + "\"}"));
  EXPECT_THAT(msg, StartsWith("shape 'Pat': pattern '" + pattern + "'"));
  EXPECT_THAT(msg, HasSubstr(spe::pattern::to_string(direct.error())));
  EXPECT_THAT(msg, HasSubstr(direct.error().construct));
}

INSTANTIATE_TEST_SUITE_P(ModelLoad, UnsupportedPattern,
                         ::testing::Values("a(?=b)", "(a)\\1", "(?<=a)b", "(?!x)y"));

TEST(ModelLoad, MalformedPatternNamesShape) {
  auto direct = spe::pattern::compile("([a-z]");
  ASSERT_FALSE(direct);
  std::string msg = error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "P"}}},
                                      "P": {"type": "string", "pattern": "([a-z]"})"));
  EXPECT_THAT(msg, StartsWith("shape 'P': pattern '([a-z]'"));
  EXPECT_THAT(msg, HasSubstr(spe::pattern::to_string(direct.error())));
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "P"}}},
                              "P": {"type": "string", "pattern": 7})")),
            "shape 'P': 'pattern' must be a string, not an integer");
}

// A pattern that would match slowly (no DFA, a large NFA) fails at load,
// as the hostile [ab]*a([ab]{1000}){14} did not: it loaded and then took
// minutes to judge a long value.
TEST(ModelLoad, CostlyPatternNamesShape) {
  const std::string costly = "[ab]*a[ab]{" + std::to_string(spe::pattern::max_simulated_states) + "}";
  auto direct = spe::pattern::compile(costly);
  ASSERT_FALSE(direct);
  ASSERT_EQ(direct.error().code, spe::pattern::error_code::too_complex);
  std::string msg = error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "P"}}},
                                      "P": {"type": "string", "pattern": ")" + costly + "\"}"));
  EXPECT_THAT(msg, StartsWith("shape 'P': pattern '" + costly + "' is not supported"));
  EXPECT_THAT(msg, HasSubstr(spe::pattern::to_string(direct.error())));
}

TEST(ModelLoad, MissingShape) {
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "Nope"}}})")),
            "shape 'Nope' is not defined (referenced by shape 'In' member 'A')");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "L"}}},
                              "L": {"type": "list", "member": {"shape": "Gone"}})")),
            "shape 'Gone' is not defined (referenced by list shape 'L')");
  EXPECT_EQ(error_of(model(R"("Other": {"type": "structure"})")),
            "shape 'In' is not defined (referenced by operation 'Op' input)");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure"})", R"(, "output": {"shape": "O"})")),
            "shape 'O' is not defined (referenced by operation 'Op' output)");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure"})", R"(, "errors": [{"shape": "E"}])")),
            "shape 'E' is not defined (referenced by operation 'Op' error)");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": {"shap": "S"}}})")),
            "shape 'In' member 'A' has no 'shape' name");
}

TEST(ModelLoad, MissingOperation) {
  std::string text = model(R"("In": {"type": "structure"})");
  EXPECT_EQ(error_of(text, "StartPipelineExecution"),
            "operation 'StartPipelineExecution' is not in the model");
  EXPECT_EQ(error_of(text, "op"), "operation 'op' is not in the model") << "names are exact";
  EXPECT_EQ(error_of(R"({"shapes": {}})"), "model has no 'operations' object");
  EXPECT_EQ(error_of(R"({"operations": {"Op": {"input": {"shape": "In"}}}})"),
            "model has no 'shapes' object");
  EXPECT_EQ(error_of(R"({"operations": {"Op": {}}, "shapes": {}})"), "operation 'Op' has no input");
  EXPECT_EQ(error_of(R"({"operations": {"Op": 3}, "shapes": {}})"),
            "operation 'Op' must be an object");
}

TEST(ModelLoad, RootsMustBeStructures) {
  EXPECT_EQ(error_of(model(R"("In": {"type": "string"})")),
            "operation 'Op': input shape 'In' is a string, not a structure");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure"}, "O": {"type": "list",
                              "member": {"shape": "In"}})",
                           R"(, "output": {"shape": "O"})")),
            "operation 'Op': output shape 'O' is a list, not a structure");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure"}, "E": {"type": "integer"})",
                           R"(, "errors": [{"shape": "E"}])")),
            "operation 'Op': error shape 'E' is an integer, not a structure");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure"})", R"(, "errors": {"shape": "In"})")),
            "operation 'Op': 'errors' must be an array");
}

TEST(ModelLoad, BadRequired) {
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "required": ["A", "B"],
                                     "members": {"A": {"shape": "S"}}},
                              "S": {"type": "string"})")),
            "shape 'In': required member 'B' is not a member");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "required": ["a"],
                                     "members": {"A": {"shape": "S"}}},
                              "S": {"type": "string"})")),
            "shape 'In': required member 'a' is not a member");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "required": ["A"]})")),
            "shape 'In': required member 'A' is not a member");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "required": "A",
                                     "members": {"A": {"shape": "S"}}},
                              "S": {"type": "string"})")),
            "shape 'In': 'required' must be an array, not a string");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "required": [1],
                                     "members": {"A": {"shape": "S"}}},
                              "S": {"type": "string"})")),
            "shape 'In': 'required' must list member names, not an integer");
  // `required` before `members` in the text is fine.
  auto r = load(model(R"("In": {"required": ["A"], "type": "structure",
                                "members": {"A": {"shape": "S"}}},
                         "S": {"type": "string"})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->input()->members[0].required);
}

TEST(ModelLoad, BadBounds) {
  auto bound = [](const std::string& type, const std::string& traits) {
    return error_of(model(R"("In": {"type": "structure", "members": {"A": {"shape": "X"}}},
                             "X": {"type": ")" +
                          type + "\", " + traits + "}"));
  };
  EXPECT_EQ(bound("string", R"("max": 1.5)"), "shape 'X': 'max' must be an integer, not a number");
  EXPECT_EQ(bound("string", R"("max": 100.0)"),
            "shape 'X': 'max' must be an integer, not a number");
  EXPECT_EQ(bound("string", R"("min": 1e3)"), "shape 'X': 'min' must be an integer, not a number");
  EXPECT_EQ(bound("string", R"("min": "5")"), "shape 'X': 'min' must be an integer, not a string");
  EXPECT_EQ(bound("integer", R"("min": true)"),
            "shape 'X': 'min' must be an integer, not a boolean");
  EXPECT_EQ(bound("integer", R"("max": null)"), "shape 'X': 'max' must be an integer, not null");
  EXPECT_EQ(bound("long", R"("max": 18446744073709551615)"),
            "shape 'X': 'max' must be an integer, not an integer out of range");
  EXPECT_THAT(bound("string", R"("min": -1)"),
              AllOf(StartsWith("shape 'X': 'min' is a length"), HasSubstr("-1")));
  EXPECT_THAT(bound("list", R"("member": {"shape": "In"}, "max": -3)"),
              AllOf(StartsWith("shape 'X': 'max' is a length"), HasSubstr("-3")));
  EXPECT_EQ(bound("string", R"("min": 5, "max": 3)"), "shape 'X': 'min' 5 is greater than 'max' 3");
  EXPECT_EQ(bound("integer", R"("max": -3, "min": 5)"),
            "shape 'X': 'min' 5 is greater than 'max' -3");
  EXPECT_EQ(bound("string", R"("min": 3, "max": 3)"), "(loaded)");
  // botocore 1.43 ships its models gzip-compressed: say so, not "malformed".
  EXPECT_EQ(error_of(std::string("\x1F\x8B\x08\x00", 4) + "rest of a gzip stream"),
            "the model is gzip-compressed (botocore 1.43 ships service-2.json.gz): decompress it first");
  // An integer is an int32: bounds past it are refused (a long takes int64).
  EXPECT_EQ(bound("integer", R"("min": 3000000000)"),
            "shape 'X': 'min' 3000000000 is outside int32, the range of an integer");
  EXPECT_EQ(bound("integer", R"("max": -2147483649)"),
            "shape 'X': 'max' -2147483649 is outside int32, the range of an integer");
  EXPECT_EQ(bound("integer", R"("min": -2147483648, "max": 2147483647)"), "(loaded)");
  EXPECT_EQ(bound("long", R"("min": 3000000000)"), "(loaded)");
}

TEST(ModelLoad, BadMembersAndException) {
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": []})")),
            "shape 'In': 'members' must be an object, not an array");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {"A": "S"}})")),
            "shape 'In' member 'A' has no 'shape' name");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "exception": 1})")),
            "shape 'In': 'exception' must be a boolean, not an integer");
}

TEST(ModelLoad, TooManyMembers) {
  std::string members;
  for (int i = 0; i < 65536; ++i) {
    if (i) members += ',';
    members += "\"m" + std::to_string(i) + R"(": {"shape": "S"})";
  }
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {)" + members +
                           R"(}}, "S": {"type": "string"})")),
            "shape 'In': more than 65535 members");
}

TEST(ModelLoad, MalformedJson) {
  for (const char* text :
       {"", " ", "{", R"({"operations": {},})", R"({"a": 1} x)", "nul", "{\"a\": \"\xff\"}",
        R"({"a": "\ud800"})", R"({'a': 1})", R"({"a": [1, 2,]})", "{\"a\": 1 /* c */}"}) {
    SCOPED_TRACE(text);
    EXPECT_THAT(error_of(text), StartsWith("malformed model JSON: "));
  }
  EXPECT_EQ(error_of("[]"), "model must be a JSON object");
  EXPECT_EQ(error_of("\"x\""), "model must be a JSON object");
}

TEST(ModelLoad, DuplicateKeysAnywhereAreRefused) {
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure"}, "In": {"type": "string"})")),
            "malformed model JSON: duplicate key 'In' in the object at /shapes");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "members": {
                                "A": {"shape": "S"}, "A": {"shape": "S"}}},
                              "S": {"type": "string"})")),
            "malformed model JSON: duplicate key 'A' in the object at /shapes/In/members");
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "type": "structure"})")),
            "malformed model JSON: duplicate key 'type' in the object at /shapes/In");
  // Escapes are decoded before comparing.
  EXPECT_EQ(error_of(model(R"("In": {"type": "structure", "t\u0079pe": "string"})")),
            "malformed model JSON: duplicate key 'type' in the object at /shapes/In");
  // Even in parts spe does not otherwise read.
  EXPECT_EQ(error_of(R"({"metadata": {"docs": [{}, {"x": 1, "x": 2}]}, "operations": {},
                        "shapes": {}})"),
            "malformed model JSON: duplicate key 'x' in the object at /metadata/docs/1");
  EXPECT_EQ(error_of(R"({"shapes": {}, "shapes": {}})"),
            "malformed model JSON: duplicate key 'shapes' in the object at /");
  EXPECT_EQ(error_of(R"({"a/b~": {"k": 1, "k": 2}})"),
            "malformed model JSON: duplicate key 'k' in the object at /a~1b~0");
}

}  // namespace
