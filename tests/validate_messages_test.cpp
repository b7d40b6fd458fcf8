// The words AWS answers with (SPEC.md section 2): one and several errors,
// the 10-item cap, null values, nested list paths, the serialization texts,
// unknown and duplicate members, and error and response bodies.
//
// Expected messages are written out by hand from the specification: they
// are the contract, so they are spelled here in full rather than computed --
// all but the patterns and bounds they quote, which are the model's
// (spe::testing::request_shape; model_revisions_test holds the models to
// SPEC.md).
#include <gtest/gtest.h>

#include <algorithm>

#include <cstdint>
#include <string>

#include "spe/validate.hpp"
#include "support/bodies.hpp"

namespace {

using spe::testing::request_shape;

class messages : public ::testing::Test {
 protected:
  // The seed revision's facts the messages quote (members of the fixture:
  // the built-in models are not to be read during static initialisation).
  const spe::model::shape& name_shape = request_shape("seed", {"PipelineName"});
  const spe::model::shape& token_shape = request_shape("seed", {"ClientRequestToken"});
  const spe::model::shape& parameters_shape = request_shape("seed", {"PipelineParameters"});
  const std::string& name_pattern = name_shape.pattern;
  const std::string& parameter_name_pattern =
      request_shape("seed", {"PipelineParameters", "Name"}).pattern;
  const std::string token = std::string(static_cast<std::size_t>(token_shape.min), 't');

  const spe::judgement& judge(std::string_view rev, const std::string& body,
                              spe::options o = {}) {
    v_ = std::make_unique<spe::validator>(*spe::model::builtin(rev));
    return v_->judge(body, o);
  }
  std::unique_ptr<spe::validator> v_;
};

TEST_F(messages, empty_object_lists_required_members_in_model_order) {
  // seed lists its members as the seed document does; botocore puts
  // PipelineName first.
  EXPECT_EQ(judge("seed", "{}").message,
            "2 validation errors detected: "
            "Value null at 'clientRequestToken' failed to satisfy constraint: Member must not be null; "
            "Value null at 'pipelineName' failed to satisfy constraint: Member must not be null");
  const auto& j = judge("botocore-1.43", "{}");
  EXPECT_EQ(j.message,
            "2 validation errors detected: "
            "Value null at 'pipelineName' failed to satisfy constraint: Member must not be null; "
            "Value null at 'clientRequestToken' failed to satisfy constraint: Member must not be null");
  EXPECT_EQ(j.exception, "ValidationException");
  EXPECT_EQ(j.result, spe::verdict::invalid);
  ASSERT_EQ(j.errors.size(), 2u);
  EXPECT_EQ(j.errors[0].pointer, "/PipelineName");
  EXPECT_EQ(j.errors[0].path, "pipelineName");
  EXPECT_EQ(j.errors[0].kind, spe::constraint::required);
}

TEST_F(messages, one_error_is_singular_and_quotes_the_value_raw) {
  const auto& j = judge("seed", R"({"PipelineName":"-bad 'x' \u00e9","ClientRequestToken":")" +
                                    token + "\"}");
  EXPECT_EQ(j.message,
            "1 validation error detected: Value '-bad 'x' \xC3\xA9' at 'pipelineName' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: " +
                name_pattern);
}

TEST_F(messages, length_and_pattern_of_one_member_come_in_that_order) {
  const auto& j = judge("seed", R"({"PipelineName":"","ClientRequestToken":"short"})");
  EXPECT_EQ(j.message,
            "3 validation errors detected: "
            "Value 'short' at 'clientRequestToken' failed to satisfy constraint: Member must have "
            "length greater than or equal to " + std::to_string(token_shape.min) + "; "
            "Value '' at 'pipelineName' failed to satisfy constraint: Member must have length "
            "greater than or equal to " + std::to_string(name_shape.min) + "; "
            "Value '' at 'pipelineName' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: " + name_pattern);
}

TEST_F(messages, nested_list_paths_are_one_based_with_member) {
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","PipelineParameters":[{"Name":"a","Value":"1"},)"
                           R"({"Name":"b","Value":"2"},{"Name":"bad name","Value":"3"}]})";
  const auto& j = judge("seed", body);
  EXPECT_EQ(j.message,
            "1 validation error detected: Value 'bad name' at 'pipelineParameters.3.member.name' "
            "failed to satisfy constraint: Member must satisfy regular expression pattern: " +
                parameter_name_pattern);
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].pointer, "/PipelineParameters/2/Name");
  EXPECT_EQ(j.errors[0].kind, spe::constraint::pattern);
  EXPECT_EQ(j.errors[0].bound, parameter_name_pattern);
}

TEST_F(messages, a_missing_list_member_field_is_null_with_its_path) {
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","PipelineParameters":[{"Name":"a"}]})";
  EXPECT_EQ(judge("seed", body).message,
            "1 validation error detected: Value null at 'pipelineParameters.1.member.value' "
            "failed to satisfy constraint: Member must not be null");
}

TEST_F(messages, the_message_lists_ten_and_counts_what_it_lists_errors_keep_all) {
  std::string params;
  for (int i = 0; i < 12; ++i) params += std::string(i ? "," : "") + R"({"Name":"x y","Value":"v"})";
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","PipelineParameters":[)" + params + "]}";
  const auto& j = judge("seed", body);
  EXPECT_EQ(j.errors.size(), 12u);
  EXPECT_EQ(j.message.rfind("10 validation errors detected: ", 0), 0u);
  std::size_t items = 0;
  for (std::size_t at = 0; (at = j.message.find("Value '", at)) != std::string::npos; ++at) ++items;
  EXPECT_EQ(items, 10u);
  EXPECT_NE(j.message.find("pipelineParameters.10.member.name"), std::string::npos);
  EXPECT_EQ(j.message.find("pipelineParameters.11.member.name"), std::string::npos);
}

TEST_F(messages, a_list_value_prints_as_its_items) {
  std::string params;
  for (std::int64_t i = 0; i <= parameters_shape.max; ++i) {
    params += std::string(i ? "," : "") + R"({"Name":"n","Value":"v"})";
  }
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","PipelineParameters":[)" + params + "]}";
  const auto& j = judge("seed", body);
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].kind, spe::constraint::count_max);
  EXPECT_EQ(j.errors[0].bound, std::to_string(parameters_shape.max));
  EXPECT_EQ(j.message.rfind("1 validation error detected: Value '[{Name=n, Value=v}, {Name=n, ", 0),
            0u);
  EXPECT_NE(j.message.find("}]' at 'pipelineParameters' failed to satisfy constraint: Member must "
                           "have length less than or equal to " + std::to_string(parameters_shape.max)),
            std::string::npos);
}

TEST_F(messages, number_below_minimum) {
  const std::int64_t min =
      request_shape("botocore-1.29", {"ParallelismConfiguration", "MaxParallelExecutionSteps"}).min;
  const std::string below = std::to_string(min - 1);
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","ParallelismConfiguration":{"MaxParallelExecutionSteps":)" + below + "}}";
  EXPECT_EQ(judge("botocore-1.29", body).message,
            "1 validation error detected: Value '" + below + "' at "
            "'parallelismConfiguration.maxParallelExecutionSteps' failed to satisfy constraint: "
            "Member must have value greater than or equal to " + std::to_string(min));
}

TEST_F(messages, wrong_types_are_serialization_exceptions_in_aws_words) {
  const std::string rest = R"(,"ClientRequestToken":")" + token + "\"}";
  struct {
    std::string body;
    std::string message;
  } cases[] = {
      {R"({"PipelineName":{})" + rest, "Start of structure or map found where not expected"},
      {R"({"PipelineName":[])" + rest, "Start of list found where not expected"},
      {R"({"PipelineName":12)" + rest,
       "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an "
       "String"},
      {R"({"PipelineName":true)" + rest,
       "class java.lang.Boolean can not be converted to an String"},
  };
  for (const auto& c : cases) {
    const auto& j = judge("seed", c.body);
    EXPECT_EQ(j.exception, "SerializationException") << c.body;
    EXPECT_EQ(j.message, c.message) << c.body;
    EXPECT_EQ(j.result, spe::verdict::invalid);
    ASSERT_EQ(j.errors.size(), 1u);
    EXPECT_EQ(j.errors[0].kind, spe::constraint::type);
    EXPECT_EQ(j.errors[0].pointer, "/PipelineName");
  }
}

TEST_F(messages, the_first_wrong_type_in_the_document_wins_and_hides_constraints) {
  // ClientRequestToken comes first in seed's model order, but PipelineName's
  // error comes first in the document: the document order decides.
  const auto& j = judge("seed", R"({"PipelineExecutionDisplayName":"-",)"
                                R"("PipelineName":true,"ClientRequestToken":7})");
  EXPECT_EQ(j.exception, "SerializationException");
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].pointer, "/PipelineName");
}

TEST_F(messages, null_members_are_absent_but_null_list_elements_are_not) {
  const std::string base = R"({"PipelineName":"p","ClientRequestToken":")" + token + "\"";
  EXPECT_EQ(judge("seed", base + R"(,"PipelineParameters":null,"PipelineExecutionDescription":null})")
                .result,
            spe::verdict::valid);
  const auto& j = judge("seed", base + R"(,"PipelineParameters":[null]})");
  EXPECT_EQ(j.exception, "SerializationException");
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].pointer, "/PipelineParameters/0");
}

TEST_F(messages, a_root_that_is_not_an_object_is_a_wrong_shape) {
  EXPECT_EQ(judge("seed", "[]").message, "Start of list found where not expected");
  for (const char* body : {"\"x\"", "1", "true", "null"}) {
    const auto& j = judge("seed", body);
    EXPECT_EQ(j.result, spe::verdict::invalid) << body;
    EXPECT_EQ(j.exception, "SerializationException") << body;
  }
}

TEST_F(messages, unknown_members_are_notes_or_with_strict_errors) {
  const std::string body = R"({"PipelineName":"p","Extra":{"x":1},"ClientRequestToken":")" +
                           token + R"(","PipelineParameters":[{"Name":"a","Value":"b","Z":2}]})";
  const auto& lax = judge("seed", body);
  EXPECT_EQ(lax.result, spe::verdict::valid);
  // Each structure lists its unknown members after its modelled ones, so
  // the parameter's (met while walking PipelineParameters) comes first.
  ASSERT_EQ(lax.notes.size(), 2u);
  EXPECT_EQ(lax.notes[0].pointer, "/PipelineParameters/0/Z");
  EXPECT_EQ(lax.notes[1].pointer, "/Extra");
  spe::options strict;
  strict.strict = true;
  const auto& j = judge("seed", body, strict);
  EXPECT_EQ(j.result, spe::verdict::invalid);
  ASSERT_EQ(j.errors.size(), 2u);
  EXPECT_EQ(j.errors[0].kind, spe::constraint::unknown_member);
  EXPECT_EQ(j.errors[0].path, "pipelineParameters.1.member.z");
  EXPECT_EQ(j.errors[1].path, "extra");
}

// A member present as null is printed like an absent one, `Value null`
// without quotes (SPEC.md 2.5), also where --strict reports it as unknown;
// containers inside such a value print their nulls raw.
TEST_F(messages, an_unknown_null_member_prints_as_null_without_quotes) {
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","X":null,"Y":[null,"a"]})";
  spe::options strict;
  strict.strict = true;
  EXPECT_EQ(judge("seed", body, strict).message,
            "2 validation errors detected: "
            "Value null at 'x' failed to satisfy constraint: Member is not defined in the model; "
            "Value '[null, a]' at 'y' failed to satisfy constraint: Member is not defined in the "
            "model");
}

// Values are printed whole, however deep they nest (SPEC.md 2.5: "no
// truncation"), up to the largest depth bound a caller may set.
TEST_F(messages, a_deeply_nested_value_prints_whole) {
  for (const std::size_t depth : {std::size_t{300}, std::size_t{100000}}) {
    const std::string nested = std::string(depth, '[') + "{\"k\":null}" + std::string(depth, ']');
    const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                             R"(","X":)" + nested + "}";
    spe::options deep;
    deep.strict = true;
    deep.limits.max_depth = spe::json::hard_max_depth;
    const auto& j = judge("seed", body, deep);
    ASSERT_EQ(j.errors.size(), 1u) << depth;
    EXPECT_EQ(j.errors[0].message, "Value '" + std::string(depth, '[') + "{k=null}" +
                                       std::string(depth, ']') +
                                       "' at 'x' failed to satisfy constraint: Member is not "
                                       "defined in the model")
        << depth;
  }
}

// A key is written into the pointer with RFC 6901's escapes (~ as ~0, / as
// ~1, so the pointer resolves back to the member) and into the path as AWS
// prints it, first letter lowered and nothing escaped.
TEST_F(messages, unknown_keys_are_escaped_in_pointers_and_lowered_in_paths) {
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","A/b~c//~":1,"~":2,"":3})";
  spe::options strict;
  strict.strict = true;
  const auto& j = judge("seed", body, strict);
  ASSERT_EQ(j.errors.size(), 3u);
  EXPECT_EQ(j.errors[0].pointer, "/A~1b~0c~1~1~0");
  EXPECT_EQ(j.errors[0].path, "a/b~c//~");
  EXPECT_EQ(j.errors[1].pointer, "/~0");
  EXPECT_EQ(j.errors[1].path, "~");
  EXPECT_EQ(j.errors[2].pointer, "/");
  EXPECT_EQ(j.errors[2].path, "");
  // An empty key is a step of its own: the path joins it with a dot
  // wherever it stands, as the pointer does with a slash.
  for (const auto& [nested, path] : {std::pair{R"({"":{"a":1,"a":2}})", ".a"},
                                     std::pair{R"({"X":{"":{"a":1,"a":2}}})", "x..a"}}) {
    const auto& d = judge("seed", nested);
    ASSERT_EQ(d.errors.size(), 1u) << nested;
    EXPECT_EQ(d.errors[0].kind, spe::constraint::duplicate_member);
    EXPECT_EQ(d.errors[0].path, path) << nested;
  }
}

TEST_F(messages, duplicate_members_follow_the_policy) {
  const std::string body = R"({"PipelineName":"first","PipelineName":"-last",)"
                           R"("ClientRequestToken":")" + token + "\"}";
  const auto& rejected = judge("seed", body);
  EXPECT_EQ(rejected.exception, "SerializationException");
  ASSERT_EQ(rejected.errors.size(), 1u);
  EXPECT_EQ(rejected.errors[0].kind, spe::constraint::duplicate_member);
  EXPECT_EQ(rejected.errors[0].pointer, "/PipelineName");
  spe::options first;
  first.duplicates = spe::duplicate_policy::first;
  EXPECT_EQ(judge("seed", body, first).result, spe::verdict::valid);
  spe::options last;
  last.duplicates = spe::duplicate_policy::last;
  const auto& j = judge("seed", body, last);
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].kind, spe::constraint::pattern);
  // Escaped spellings of one name are the same name.
  EXPECT_EQ(judge("seed", R"({"PipelineName":"a","Pipeline\u004eame":"b"})").errors[0].kind,
            spe::constraint::duplicate_member);
}

// Under first/last the value an item prints is the one a parser that keeps
// one occurrence holds: the occurrence not picked is not in it (here a list
// one past its count bound, printed whole, whose first element repeats Name
// with a value of the wrong type that is never judged).
TEST_F(messages, a_printed_value_holds_only_the_picked_duplicate) {
  std::string list = R"([{"Name":"a","Value":"v","Name":[1,2]})";
  for (std::int64_t i = 0; i < parameters_shape.max; ++i) list += R"(,{"Name":"c","Value":"w"})";
  list += ']';
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token +
                           R"(","PipelineParameters":)" + list + "}";
  spe::options first;
  first.duplicates = spe::duplicate_policy::first;
  const auto& j = judge("seed", body, first);
  ASSERT_EQ(j.errors.size(), 1u) << j.message;
  EXPECT_EQ(j.errors[0].kind, spe::constraint::count_max);
  EXPECT_TRUE(j.errors[0].message.starts_with("Value '[{Name=a, Value=v}, {Name=c, Value=w}, "))
      << j.errors[0].message.substr(0, 80);
  EXPECT_EQ(j.errors[0].message.find("[1, 2]"), std::string::npos);

  // Under last the second Name counts, in its place as received.
  std::string again = list;
  again.replace(again.find("[1,2]"), 5, R"("b")");
  spe::options last;
  last.duplicates = spe::duplicate_policy::last;
  const auto& k = judge("seed", R"({"PipelineName":"p","ClientRequestToken":")" + token +
                                    R"(","PipelineParameters":)" + again + "}", last);
  ASSERT_EQ(k.errors.size(), 1u) << k.message;
  EXPECT_TRUE(k.errors[0].message.starts_with("Value '[{Value=v, Name=b}, {Name=c, Value=w}, "))
      << k.errors[0].message.substr(0, 80);
}

// A repeated unknown member resolves as a modelled one does: the occurrence
// picked is the one reported (a note, or an error under --strict), and the
// repeat gets a duplicate note.
TEST_F(messages, a_repeated_unknown_member_follows_the_policy) {
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token + R"(","X":1,"X":2})";
  for (const auto policy : {spe::duplicate_policy::first, spe::duplicate_policy::last}) {
    const bool last = policy == spe::duplicate_policy::last;
    for (const bool strict : {false, true}) {
      SCOPED_TRACE(std::string(last ? "last" : "first") + (strict ? ", strict" : ""));
      spe::options o;
      o.duplicates = policy;
      o.strict = strict;
      const auto& j = judge("seed", body, o);
      std::vector<spe::constraint> notes;
      for (const auto& d : j.notes) notes.push_back(d.kind);
      const std::size_t dup = static_cast<std::size_t>(
          std::count(notes.begin(), notes.end(), spe::constraint::duplicate_member));
      const std::size_t unknown = static_cast<std::size_t>(
          std::count(notes.begin(), notes.end(), spe::constraint::unknown_member));
      EXPECT_EQ(dup, 1u);
      if (strict) {
        EXPECT_EQ(unknown, 0u);
        ASSERT_EQ(j.errors.size(), 1u) << j.message;
        EXPECT_EQ(j.errors[0].kind, spe::constraint::unknown_member);
        EXPECT_TRUE(j.errors[0].message.starts_with(last ? "Value '2'" : "Value '1'")) << j.errors[0].message;
      } else {
        EXPECT_EQ(j.result, spe::verdict::valid);
        ASSERT_EQ(unknown, 1u);
        const auto at = std::find_if(j.notes.begin(), j.notes.end(),
                                     [](const auto& d) { return d.kind == spe::constraint::unknown_member; });
        EXPECT_EQ(at->offset, last ? body.rfind("\"X\"") : body.find("\"X\""));
      }
    }
  }
}

// A repeated __type resolved by --duplicates first/last is a duplicate like
// any other -- a note saying which one counts -- not an unknown member (not
// an error under --strict either); under the default policy it is a
// SerializationException, as any duplicate member is.
TEST_F(messages, a_repeated_error_type_is_a_resolved_duplicate) {
  const std::string body =
      R"({"__type":"ResourceNotFound","Message":"m","__type":"ResourceLimitExceeded"})";
  for (const auto policy : {spe::duplicate_policy::first, spe::duplicate_policy::last}) {
    for (const bool strict : {false, true}) {
      spe::options o;
      o.body = spe::body_kind::error;
      o.duplicates = policy;
      o.strict = strict;
      const auto& j = judge("seed", body, o);
      SCOPED_TRACE(std::string(policy == spe::duplicate_policy::first ? "first" : "last") +
                   (strict ? ", strict" : ""));
      EXPECT_EQ(j.result, spe::verdict::valid) << j.message;
      ASSERT_EQ(j.notes.size(), 1u);
      EXPECT_EQ(j.notes[0].kind, spe::constraint::duplicate_member);
      EXPECT_EQ(j.notes[0].pointer, "/__type");
      const bool last = policy == spe::duplicate_policy::last;
      // On the repeat, as for any member: the key's quote.
      EXPECT_EQ(j.notes[0].offset, body.rfind("\"__type\""));
      EXPECT_TRUE(j.notes[0].message.ends_with(last ? "the last one counts" : "the first one counts"));
      std::string canon;
      ASSERT_TRUE(v_->canonical(canon));
      // Members in byte order: 'M' sorts before '_'.
      EXPECT_EQ(canon, last ? R"({"Message":"m","__type":"ResourceLimitExceeded"})"
                            : R"({"Message":"m","__type":"ResourceNotFound"})");
    }
  }
  spe::options reject;
  reject.body = spe::body_kind::error;
  const auto& j = judge("seed", body, reject);
  EXPECT_EQ(j.exception, "SerializationException");
  ASSERT_EQ(j.errors.size(), 1u);
  EXPECT_EQ(j.errors[0].kind, spe::constraint::duplicate_member);
}

// An error body judged by a model without error shapes is never valid: an
// object needs a __type naming one (there is none), anything else is the
// wrong type -- it used to be "valid" with no canonical form.
TEST_F(messages, an_error_body_of_a_model_without_errors_is_never_valid) {
  const std::string service = R"({
    "operations": {"Op": {"input": {"shape": "In"}}},
    "shapes": {"In": {"type": "structure", "members": {"A": {"shape": "S"}}},
               "S": {"type": "string"}}})";
  auto loaded = spe::model::load(service, "Op", "no-errors");
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->errors().empty());
  spe::validator v(*loaded);
  spe::options error;
  error.body = spe::body_kind::error;
  for (const char* body : {"42", "[]", "\"x\"", "null", "{}", R"({"__type":"X"})"}) {
    const auto& j = v.judge(std::string_view(body), error);
    EXPECT_EQ(j.result, spe::verdict::invalid) << body;
    EXPECT_FALSE(j.errors.empty()) << body;
  }
  EXPECT_EQ(v.judge(std::string_view("[]"), error).errors.at(0).kind, spe::constraint::type);
}

TEST_F(messages, response_and_error_bodies) {
  spe::options response;
  response.body = spe::body_kind::response;
  const std::string arn = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e";
  EXPECT_EQ(judge("seed", R"({"PipelineExecutionArn":")" + arn + "\"}", response).result,
            spe::verdict::valid);
  const auto& bad = judge("seed", R"({"PipelineExecutionArn":"arn:aws:s3:::b"})", response);
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].kind, spe::constraint::pattern);

  spe::options error;
  error.body = spe::body_kind::error;
  EXPECT_EQ(judge("seed", R"({"__type":"ResourceNotFound","Message":"gone"})", error).result,
            spe::verdict::valid);
  EXPECT_EQ(judge("seed", R"({"__type":"com.amazonaws.sagemaker#ResourceLimitExceeded"})", error)
                .result,
            spe::verdict::valid);
  // __type is read as botocore 1.43's JSONParser reads it: cut at the first
  // ':', then keep what follows the last '#' (python3 -c 'import
  // botocore.parsers as p; ...' gives the names below).
  for (const char* type : {"ResourceNotFound:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                           "ResourceNotFound:x#y", "x#ResourceNotFound:y"}) {
    EXPECT_EQ(judge("seed", std::string(R"({"__type":")") + type + "\"}", error).result, spe::verdict::valid)
        << type;
    std::string canon;
    ASSERT_TRUE(v_->canonical(canon));
    EXPECT_EQ(canon, R"({"__type":"ResourceNotFound"})");
  }
  EXPECT_EQ(judge("seed", R"({"__type":"a:b#ResourceNotFound"})", error).result, spe::verdict::invalid);
  // ConflictException exists from botocore 1.43 on.
  EXPECT_EQ(judge("seed", R"({"__type":"ConflictException"})", error).result,
            spe::verdict::invalid);
  EXPECT_EQ(judge("botocore-1.43", R"({"__type":"ConflictException"})", error).result,
            spe::verdict::valid);
  const auto& long_message =
      judge("seed", R"({"__type":"ResourceNotFound","Message":")" + std::string(1025, 'm') + "\"}",
            error);
  ASSERT_EQ(long_message.errors.size(), 1u);
  EXPECT_EQ(long_message.errors[0].kind, spe::constraint::length_max);
  EXPECT_EQ(long_message.errors[0].path, "message");
  // The canonical form of an error body keeps its (unqualified) type.
  ASSERT_EQ(judge("seed", R"({"__type":"a.b#ResourceNotFound","Message":"m"})", error).result,
            spe::verdict::valid);
  std::string canon;
  ASSERT_TRUE(v_->canonical(canon));
  EXPECT_EQ(canon, R"({"Message":"m","__type":"ResourceNotFound"})");
  const auto& missing = judge("seed", R"({"Message":"x"})", error);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].pointer, "/__type");
  EXPECT_EQ(missing.errors[0].kind, spe::constraint::required);
}

TEST_F(messages, malformed_json_is_a_serialization_exception_with_its_kind_and_offset) {
  struct {
    std::string body;
    spe::constraint kind;
    std::size_t offset;
  } cases[] = {
      {"{\"PipelineName\":\"a\",}", spe::constraint::syntax, 19},  // the comma
      {"{\"a\":\"\xC0\xAF\"}", spe::constraint::utf8, 6},
      {"{} x", spe::constraint::syntax, 3},
      {std::string(100, '[') + std::string(100, ']'), spe::constraint::depth, 64},
  };
  for (const auto& c : cases) {
    const auto& j = judge("seed", c.body);
    EXPECT_EQ(j.result, spe::verdict::malformed) << c.body;
    EXPECT_EQ(j.exception, "SerializationException");
    ASSERT_EQ(j.errors.size(), 1u);
    EXPECT_EQ(j.errors[0].kind, c.kind) << c.body;
    EXPECT_EQ(j.errors[0].offset, c.offset) << c.body;
  }
  spe::options small;
  small.limits.max_size = 10;
  const auto& j = judge("seed", std::string(11, ' '), small);
  EXPECT_EQ(j.errors.at(0).kind, spe::constraint::size);
  EXPECT_EQ(j.errors.at(0).bound, "10");
}

// A bound past the hard one is the hard one (json.hpp): the largest
// std::size_t neither wraps nor refuses a body, and a refusal names the
// bound in force, not the one asked for.
TEST_F(messages, bounds_past_the_hard_bounds_are_clamped_to_them) {
  spe::options huge;
  huge.limits.max_size = SIZE_MAX;
  huge.limits.max_depth = UINT32_MAX;
  const std::string body = R"({"PipelineName":"p","ClientRequestToken":")" + token + "\"}";
  EXPECT_EQ(judge("seed", body, huge).result, spe::verdict::valid);
  const std::string deep = std::string(spe::json::hard_max_depth + 1, '[') +
                           std::string(spe::json::hard_max_depth + 1, ']');
  const auto& j = judge("seed", deep, huge);
  ASSERT_EQ(j.result, spe::verdict::malformed);
  EXPECT_EQ(j.errors.at(0).kind, spe::constraint::depth);
  EXPECT_EQ(j.errors.at(0).bound, std::to_string(spe::json::hard_max_depth));
}

TEST_F(messages, canonical_form_sorts_drops_and_escapes_minimally) {
  const std::string body = "{ \"PipelineName\" : \"p\", \"Zzz\": 1, \"ClientRequestToken\":\"" +
                           token +
                           "\", \"PipelineExecutionDescription\": \"tab\\t\\u00e9\\/\\u001f\\\"\","
                           " \"PipelineParameters\": [ {\"Value\":\"v\",\"Name\":\"n\"} ],"
                           " \"PipelineExecutionDisplayName\": null }";
  const auto& j = judge("seed", body);
  ASSERT_EQ(j.result, spe::verdict::valid) << j.message;
  std::string canon;
  ASSERT_TRUE(v_->canonical(canon));
  EXPECT_EQ(canon, "{\"ClientRequestToken\":\"" + token +
                       "\",\"PipelineExecutionDescription\":\"tab\\t\xC3\xA9/\\u001f\\\"\","
                       "\"PipelineName\":\"p\",\"PipelineParameters\":[{\"Name\":\"n\","
                       "\"Value\":\"v\"}]}");
  // The canonical form is a fixed point with the same typed value.
  spe::value before;
  ASSERT_TRUE(v_->typed_value(before));
  ASSERT_EQ(v_->judge(canon).result, spe::verdict::valid);
  std::string again;
  v_->canonical(again);
  EXPECT_EQ(again, canon);
  spe::value after;
  v_->typed_value(after);
  EXPECT_EQ(before, after);
  // Nothing canonical about an invalid body.
  v_->judge("{}");
  std::string none;
  EXPECT_FALSE(v_->canonical(none));
}

}  // namespace
