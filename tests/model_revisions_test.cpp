// The three built-in revisions say what SPEC.md section 1 says.
//
// The expectations here are written by hand from SPEC.md section 1 (and from
// the model files for the shape names SPEC.md does not give): this suite
// checks the data files and the loader together against the specification.
// Each input, output and error tree is rendered as lines (model_describe.hpp)
// so one comparison pins member order, types, bounds, patterns and required
// flags, and a failure shows the line that differs.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model_describe.hpp"
#include "spe/model.hpp"

namespace {

using spe::model::service_model;
using spe::model::shape;
using spe::model::shape_type;
using spe_test::render_tree;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

const service_model& revision(std::string_view name) {
  const service_model* m = spe::model::builtin(name);
  if (m == nullptr) {
    // Say why: the embedded text failed to load (a build defect) or is absent.
    auto loaded =
        spe::model::load(spe::model::builtin_source(name), "StartPipelineExecution", name);
    ADD_FAILURE() << "built-in revision " << name << " did not load: "
                  << (loaded ? std::string("(loads when asked directly)") : loaded.error().message);
    static const service_model empty;
    return empty;
  }
  return *m;
}

std::vector<std::string> names(std::span<const shape* const> shapes) {
  std::vector<std::string> out;
  for (const shape* s : shapes) out.push_back(s->name);
  return out;
}

TEST(ModelRevisions, BuiltinNamesInOrderSeedFirst) {
  EXPECT_THAT(spe::model::builtin_revisions(),
              ElementsAre("seed", "botocore-1.29", "botocore-1.43"));
  EXPECT_EQ(spe::model::default_revision, "seed");
}

TEST(ModelRevisions, EveryBuiltinLoadsAndKnowsItsNames) {
  for (std::string_view r : spe::model::builtin_revisions()) {
    SCOPED_TRACE(std::string(r));
    auto direct = spe::model::load(spe::model::builtin_source(r), "StartPipelineExecution", r);
    ASSERT_TRUE(direct) << direct.error().message;
    const service_model* m = spe::model::builtin(r);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->revision(), r);
    EXPECT_EQ(m->operation(), "StartPipelineExecution");
    EXPECT_EQ(m, spe::model::builtin(r)) << "loaded once, the same object every time";
  }
}

// A program may ask for a built-in model from a static initialiser of its
// own, before the library's translation units are initialised (this file's
// statics come first: the library links after it). Until the embedded
// model table was made constinit, builtin() found it still empty then, and
// answered null -- for the rest of the run, its once-flag spent.
const service_model* const asked_during_static_init = spe::model::builtin("seed");

TEST(ModelRevisions, BuiltinWorksFromAStaticInitialiser) {
  ASSERT_NE(asked_during_static_init, nullptr);
  EXPECT_EQ(asked_during_static_init, spe::model::builtin("seed"));
  EXPECT_EQ(asked_during_static_init->revision(), "seed");
}

TEST(ModelRevisions, UnknownRevisionIsNull) {
  EXPECT_EQ(spe::model::builtin("botocore-1.30"), nullptr);
  EXPECT_EQ(spe::model::builtin(""), nullptr);
  EXPECT_EQ(spe::model::builtin("SEED"), nullptr);
  EXPECT_TRUE(spe::model::builtin_source("botocore-1.30").empty());
}

// Every pattern of every revision is compiled, from the text the model wrote.
TEST(ModelRevisions, EveryPatternIsCompiledFromTheModelText) {
  for (std::string_view r : spe::model::builtin_revisions()) {
    SCOPED_TRACE(std::string(r));
    int patterns = 0;
    for (const shape* s : revision(r).shapes()) {
      SCOPED_TRACE(s->name);
      if (s->pattern.empty()) {
        EXPECT_EQ(s->regex, nullptr);
        continue;
      }
      ++patterns;
      ASSERT_NE(s->regex, nullptr);
      EXPECT_EQ(s->regex->tree.source(), s->pattern);
    }
    EXPECT_GE(patterns, 5);
  }
}

// ---- seed: the seed document, Parameter as SPEC.md says -------------------

TEST(ModelRevisions, SeedInput) {
  const service_model& m = revision("seed");
  ASSERT_NE(m.input(), nullptr);
  EXPECT_EQ(m.input()->name, "StartPipelineExecutionRequest");
  // Member order as the seed document lists them (its Request Syntax).
  EXPECT_THAT(render_tree(*m.input(), "(input)"),
              ElementsAreArray({
                  "(input): structure",
                  "ClientRequestToken: string 32..128 required",
                  "PipelineExecutionDescription: string 0..3072 /.*/",
                  "PipelineExecutionDisplayName: string 1..82 /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}/",
                  "PipelineName: string 1..256 /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}/ required",
                  "PipelineParameters: list 0..50",
                  "PipelineParameters[]: structure",
                  "PipelineParameters[].Name: string 1..256 /[A-Za-z0-9\\-_]*/ required",
                  "PipelineParameters[].Value: string 0..1024 required",
              }));
}

TEST(ModelRevisions, SeedOutputAndErrors) {
  const service_model& m = revision("seed");
  ASSERT_NE(m.output(), nullptr);
  EXPECT_THAT(render_tree(*m.output(), "(output)"),
              ElementsAre("(output): structure",
                          "PipelineExecutionArn: string 0..256 "
                          "/^arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*"
                          "\\/execution\\/.*$/"));
  EXPECT_THAT(names(m.errors()), ElementsAre("ResourceLimitExceeded", "ResourceNotFound"));
  for (const shape* e : m.errors()) {
    EXPECT_THAT(render_tree(*e, e->name),
                ElementsAre(e->name + ": structure exception", "Message: string 0..1024"));
  }
}

// ---- botocore-1.29: Debian 12's python3-botocore ------------------------------

TEST(ModelRevisions, Botocore129Input) {
  const service_model& m = revision("botocore-1.29");
  ASSERT_NE(m.input(), nullptr);
  EXPECT_THAT(
      render_tree(*m.input(), "(input)"),
      ElementsAreArray({
          "(input): structure",
          "PipelineName: string 1..2048 /(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:"
          "pipeline/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})/ required",
          "PipelineExecutionDisplayName: string 1..82 /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}/",
          "PipelineParameters: list 0..50",
          "PipelineParameters[]: structure",
          "PipelineParameters[].Name: string 1..256 /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/ "
          "required",
          "PipelineParameters[].Value: string 0..1024 required",
          "PipelineExecutionDescription: string 0..3072 /.*/",
          "ClientRequestToken: string 32..128 required",
          "ParallelismConfiguration: structure",
          "ParallelismConfiguration.MaxParallelExecutionSteps: integer 1.. required",
      }));
}

TEST(ModelRevisions, Botocore129OutputAndErrors) {
  const service_model& m = revision("botocore-1.29");
  ASSERT_NE(m.output(), nullptr);
  EXPECT_THAT(render_tree(*m.output(), "(output)"),
              ElementsAre("(output): structure",
                          "PipelineExecutionArn: string 0..256 "
                          "/^arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*"
                          "\\/execution\\/.*$/"));
  EXPECT_THAT(names(m.errors()), ElementsAre("ResourceNotFound", "ResourceLimitExceeded"));
  for (const shape* e : m.errors()) {
    EXPECT_THAT(render_tree(*e, e->name),
                ElementsAre(e->name + ": structure exception", "Message: string 0..1024"));
  }
}

// ---- botocore-1.43: the image's pip botocore --------------------------------

TEST(ModelRevisions, Botocore143Input) {
  const service_model& m = revision("botocore-1.43");
  ASSERT_NE(m.input(), nullptr);
  EXPECT_THAT(
      render_tree(*m.input(), "(input)"),
      ElementsAreArray({
          "(input): structure",
          "PipelineName: string 1..2048 /(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):"
          "pipeline/.*)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})/ required",
          "PipelineExecutionDisplayName: string 1..82 /[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}/",
          "PipelineParameters: list 0..200",
          "PipelineParameters[]: structure",
          "PipelineParameters[].Name: string 1..256 /[A-Za-z0-9\\-_]*/ required",
          "PipelineParameters[].Value: string 0..1024 required",
          "PipelineExecutionDescription: string 0..3072 /.*/",
          "ClientRequestToken: string 32..128 required",
          "ParallelismConfiguration: structure",
          "ParallelismConfiguration.MaxParallelExecutionSteps: integer 1.. required",
          "SelectiveExecutionConfig: structure",
          "SelectiveExecutionConfig.SourcePipelineExecutionArn: string 0..2048 "
          "/arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*\\/execution\\/.*/",
          "SelectiveExecutionConfig.SelectedSteps: list 1..50 required",
          "SelectiveExecutionConfig.SelectedSteps[]: structure",
          "SelectiveExecutionConfig.SelectedSteps[].StepName: string 0..256 required",
          "PipelineVersionId: long 1..",
          "MlflowExperimentName: string 1..256 /.*/",
      }));
}

TEST(ModelRevisions, Botocore143OutputAndErrors) {
  const service_model& m = revision("botocore-1.43");
  ASSERT_NE(m.output(), nullptr);
  // SPEC.md writes the response pattern with ^...$ for every revision; 1.43's
  // model drops the anchors here as it does for the display name (the interop
  // test pins models/botocore-1.43.json to botocore itself).
  EXPECT_THAT(render_tree(*m.output(), "(output)"),
              ElementsAre("(output): structure",
                          "PipelineExecutionArn: string 0..2048 "
                          "/arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:pipeline\\/.*"
                          "\\/execution\\/.*/"));
  EXPECT_THAT(names(m.errors()),
              ElementsAre("ConflictException", "ResourceNotFound", "ResourceLimitExceeded"));
  for (const shape* e : m.errors()) {
    EXPECT_THAT(render_tree(*e, e->name),
                ElementsAre(e->name + ": structure exception", "Message: string 0..1024"));
  }
}

// ---- order, names, lookups ----------------------------------------------------

// shapes(): the input, depth-first in member order, then output, then errors.
TEST(ModelRevisions, ShapesInStableOrder) {
  EXPECT_THAT(
      names(revision("seed").shapes()),
      ElementsAreArray({"StartPipelineExecutionRequest", "IdempotencyToken",
                        "PipelineExecutionDescription", "PipelineExecutionName", "PipelineName",
                        "ParameterList", "Parameter", "PipelineParameterName", "String1024",
                        "StartPipelineExecutionResponse", "PipelineExecutionArn",
                        "ResourceLimitExceeded", "FailureReason", "ResourceNotFound"}));
  EXPECT_THAT(
      names(revision("botocore-1.29").shapes()),
      ElementsAreArray({"StartPipelineExecutionRequest", "PipelineNameOrArn",
                        "PipelineExecutionName", "ParameterList", "Parameter",
                        "PipelineParameterName", "String1024", "PipelineExecutionDescription",
                        "IdempotencyToken", "ParallelismConfiguration", "MaxParallelExecutionSteps",
                        "StartPipelineExecutionResponse", "PipelineExecutionArn",
                        "ResourceNotFound", "FailureReason", "ResourceLimitExceeded"}));
  EXPECT_THAT(names(revision("botocore-1.43").shapes()),
              ElementsAreArray({"StartPipelineExecutionRequest",
                                "PipelineNameOrArn",
                                "PipelineExecutionName",
                                "ParameterList",
                                "Parameter",
                                "PipelineParameterName",
                                "String1024",
                                "PipelineExecutionDescription",
                                "IdempotencyToken",
                                "ParallelismConfiguration",
                                "MaxParallelExecutionSteps",
                                "SelectiveExecutionConfig",
                                "PipelineExecutionArn",
                                "SelectedStepList",
                                "SelectedStep",
                                "String256",
                                "PipelineVersionId",
                                "MlflowExperimentEntityName",
                                "StartPipelineExecutionResponse",
                                "ConflictException",
                                "FailureReason",
                                "ResourceNotFound",
                                "ResourceLimitExceeded"}));
}

TEST(ModelRevisions, PathNamesAreAwsLowerCamel) {
  const shape* in = revision("botocore-1.43").input();
  ASSERT_NE(in, nullptr);
  std::vector<std::string> paths;
  for (const auto& m : in->members) paths.push_back(m.path_name);
  EXPECT_THAT(
      paths, ElementsAreArray({"pipelineName", "pipelineExecutionDisplayName", "pipelineParameters",
                               "pipelineExecutionDescription", "clientRequestToken",
                               "parallelismConfiguration", "selectiveExecutionConfig",
                               "pipelineVersionId", "mlflowExperimentName"}));
  const shape* param = in->members[2].target->element;
  ASSERT_NE(param, nullptr);
  EXPECT_EQ(param->members[0].path_name, "name");
  EXPECT_EQ(param->members[1].path_name, "value");
}

// by_name is the canonical (alphabetical, byte order) member order.
TEST(ModelRevisions, ByNameIsAlphabetical) {
  const shape* in = revision("botocore-1.43").input();
  ASSERT_NE(in, nullptr);
  std::vector<std::string> sorted;
  for (auto i : in->by_name) sorted.push_back(in->members[i].name);
  EXPECT_THAT(sorted,
              ElementsAreArray(
                  {"ClientRequestToken", "MlflowExperimentName", "ParallelismConfiguration",
                   "PipelineExecutionDescription", "PipelineExecutionDisplayName", "PipelineName",
                   "PipelineParameters", "PipelineVersionId", "SelectiveExecutionConfig"}));
  // The seed lists its members alphabetically already: by_name is the identity.
  const shape* seed_in = revision("seed").input();
  ASSERT_NE(seed_in, nullptr);
  EXPECT_THAT(seed_in->by_name, ElementsAre(0, 1, 2, 3, 4));
}

TEST(ModelRevisions, Lookups) {
  const service_model& m = revision("botocore-1.43");
  const shape* pn = m.find("PipelineNameOrArn");
  ASSERT_NE(pn, nullptr);
  EXPECT_EQ(pn->type, shape_type::string);
  EXPECT_EQ(m.find("PipelineName"), nullptr) << "a member name is not a shape name";
  EXPECT_EQ(m.find("CreatePipelineRequest"), nullptr);
  ASSERT_NE(m.find_error("ConflictException"), nullptr);
  EXPECT_TRUE(m.find_error("ConflictException")->exception);
  EXPECT_EQ(m.find_error("ValidationException"), nullptr);
  EXPECT_EQ(revision("botocore-1.29").find_error("ConflictException"), nullptr);
  EXPECT_EQ(m.input()->find_member("MlflowExperimentName"), 8);
  EXPECT_EQ(m.input()->find_member("mlflowExperimentName"), -1) << "wire names are exact";
  EXPECT_EQ(m.find("IdempotencyToken")->find_member("x"), -1);
}

TEST(ModelRevisions, SharedShapesAreOneObject) {
  // 1.43 uses PipelineExecutionArn for the response and for
  // SelectiveExecutionConfig.SourcePipelineExecutionArn.
  const service_model& m = revision("botocore-1.43");
  const shape* arn = m.find("PipelineExecutionArn");
  const shape* sel = m.find("SelectiveExecutionConfig");
  ASSERT_NE(arn, nullptr);
  ASSERT_NE(sel, nullptr);
  EXPECT_EQ(sel->members[0].target, arn);
  EXPECT_EQ(m.output()->members[0].target, arn);
  EXPECT_EQ(m.errors()[0]->members[0].target, m.errors()[1]->members[0].target);
}

}  // namespace
