#include "neural/robustfill/robustfill_model.h"

#include <cmath>
#include <numeric>

#include "dsl/parser.h"
#include "gtest/gtest.h"
#include "neural/internal/container.h"

namespace flashsynth::neural {
namespace {

ModelConfig TinyConfig(Variant variant) {
  ModelConfig c;
  c.variant = variant;
  c.embedding_size = 8;
  c.hidden_size = 16;
  c.max_columns = 3;
  return c;
}

const IoExamples& NameTask() {
  static const auto* task = new IoExamples{
      {{"Ada Lovelace"}, {"Alan Turing"}, {"Grace Hopper"}}, {"Lovelace", "Turing", "Hopper"}};
  return *task;
}

const IoExamples& TwoColumnTask() {
  static const auto* task =
      new IoExamples{{{"12", "ab"}, {"3", "xyz"}}, {"ab-12", "xyz-3"}};
  return *task;
}

dsl::Program P(const char* text) { return *dsl::Parse(text); }

std::unique_ptr<RobustFillModel> Tiny(Variant variant, uint64_t seed = 1) {
  absl::StatusOr<std::unique_ptr<RobustFillModel>> m = RobustFillModel::Create(TinyConfig(variant), seed);
  EXPECT_TRUE(m.ok()) << m.status();
  return std::move(*m);
}

class ModelTest : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override { SetNumThreads(1); }
};

TEST_P(ModelTest, LogLikelihoodsAreFiniteAndNegative) {
  std::unique_ptr<RobustFillModel> model = Tiny(GetParam());
  EXPECT_GT(model->num_parameters(), 1000);
  absl::StatusOr<std::vector<double>> ll = model->LogLikelihoods(
      {NameTask(), TwoColumnTask()},
      {P("Concat(GetToken(Word, -1))"),
       P(R"(Concat(SubStr(x2, 1, -1), ConstStr("-"), GetToken(Number, 1)))")});
  ASSERT_TRUE(ll.ok()) << ll.status();
  ASSERT_EQ(ll->size(), 2u);
  for (double v : *ll) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_LT(v, 0);
  }
}

// Decoding computes a step from split weights (DecodeStep), training from
// the modules (Step); both must give the same probabilities.
void ExpectDecodingAgreesWithTeacherForcing(const RobustFillModel* model) {
  const dsl::Program program = P(R"(Concat(SubStr(x2, 1, -1), ConstStr("-"), GetToken(Number, 1)))");
  const std::vector<int> ids = *TokenizeProgram(program, model->vocab());
  absl::StatusOr<std::unique_ptr<Decoder>> decoder = model->StartDecoding(TwoColumnTask());
  ASSERT_TRUE(decoder.ok()) << decoder.status();
  Decoder& d = **decoder;
  double sum = 0;
  for (int id : ids) {
    ASSERT_EQ(d.num_hypotheses(), 1);
    absl::Span<const float> lp = d.log_probs(0);
    ASSERT_EQ(lp.size(), static_cast<size_t>(model->vocab().size()));
    double mass = 0;
    for (float v : lp) mass += std::exp(v);
    EXPECT_NEAR(mass, 1.0, 1e-4);
    sum += lp[static_cast<size_t>(id)];
    ASSERT_TRUE(d.Advance({0}, {id}).ok());
  }
  absl::StatusOr<std::vector<double>> ll = model->LogLikelihoods({TwoColumnTask()}, {program});
  ASSERT_TRUE(ll.ok()) << ll.status();
  EXPECT_NEAR(sum, (*ll)[0], 1e-3);
}

TEST_P(ModelTest, StepByStepDecodingAgreesWithTeacherForcing) {
  ExpectDecodingAgreesWithTeacherForcing(Tiny(GetParam()).get());
}

TEST(ModelLayersTest, StepByStepDecodingAgreesWithTeacherForcingOnTwoLayers) {
  SetNumThreads(1);
  for (Variant variant : {Variant::kBasic, Variant::kAttentionC}) {
    ModelConfig config = TinyConfig(variant);
    config.num_layers = 2;
    absl::StatusOr<std::unique_ptr<RobustFillModel>> model = RobustFillModel::Create(config, 5);
    ASSERT_TRUE(model.ok()) << model.status();
    ExpectDecodingAgreesWithTeacherForcing(model->get());
  }
}

TEST_P(ModelTest, HypothesesAreIndependentRowsOfOneBatch) {
  std::unique_ptr<RobustFillModel> model = Tiny(GetParam());
  const int a = model->vocab().Id(TokenKind::kOp, static_cast<int>(dsl::Op::kGetToken));
  const int b = model->vocab().Id(TokenKind::kOp, static_cast<int>(dsl::Op::kTrim));
  std::unique_ptr<Decoder> both = *model->StartDecoding(NameTask());
  ASSERT_TRUE(both->Advance({0, 0, 0}, {a, b, a}).ok());
  ASSERT_EQ(both->num_hypotheses(), 3);
  std::unique_ptr<Decoder> only_b = *model->StartDecoding(NameTask());
  ASSERT_TRUE(only_b->Advance({0}, {b}).ok());
  for (size_t t = 0; t < static_cast<size_t>(model->vocab().size()); ++t) {
    EXPECT_FLOAT_EQ(both->log_probs(0)[t], both->log_probs(2)[t]);
    EXPECT_NEAR(both->log_probs(1)[t], only_b->log_probs(0)[t], 1e-5);
  }
  EXPECT_FALSE(both->Advance({3}, {a}).ok());
  EXPECT_FALSE(both->Advance({0}, {model->vocab().size()}).ok());
  EXPECT_FALSE(both->Advance({}, {}).ok());
}

TEST_P(ModelTest, PaddingAndOtherTasksDoNotChangeATasksScore) {
  std::unique_ptr<RobustFillModel> model = Tiny(GetParam());
  const dsl::Program program = P("Concat(GetToken(Word, -1))");
  const IoExamples longer{{{"a much longer first input row"}, {"b"}, {"c"}, {"d"}},
                          {"a much longer output", "b", "c", "d"}};
  const IoExamples& short_task = TwoColumnTask();
  const double alone = (*model->LogLikelihoods({short_task}, {program}))[0];
  const std::vector<double> batched =
      *model->LogLikelihoods({longer, short_task}, {P("Concat(Trim(x1), ConstStr(\"!\"))"), program});
  EXPECT_NEAR(alone, batched[1], 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Variants, ModelTest,
                         ::testing::Values(Variant::kBasic, Variant::kAttentionA,
                                           Variant::kAttentionC),
                         [](const ::testing::TestParamInfo<Variant>& info) {
                           std::string name(VariantName(info.param));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

TEST(ModelConfigTest, RefusesSizesOutOfRange) {
  SetNumThreads(1);
  ModelConfig c = TinyConfig(Variant::kAttentionC);
  c.hidden_size = 15;  // odd: two directions of 7.5
  EXPECT_EQ(RobustFillModel::Create(c, 1).status().code(), absl::StatusCode::kInvalidArgument);
  c = TinyConfig(Variant::kBasic);
  c.num_layers = 0;
  EXPECT_EQ(ValidateConfig(c).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VariantByName("attention-a"), Variant::kAttentionA);
  EXPECT_EQ(VariantByName("attention-b"), std::nullopt);
}

TEST(ModelConfigTest, RefusesTasksWithoutExamples) {
  SetNumThreads(1);
  std::unique_ptr<RobustFillModel> model = Tiny(Variant::kBasic);
  EXPECT_FALSE(model->StartDecoding(IoExamples{}).ok());
  EXPECT_FALSE(model->StartDecoding(IoExamples{{{"a"}}, {}}).ok());
  EXPECT_FALSE(model->LogLikelihoods({NameTask()}, {}).ok());
  // x4 is past this model's three columns.
  EXPECT_FALSE(model->LogLikelihoods({NameTask()}, {P("Concat(Trim(x4))")}).ok());
}

// ---------------------------------------------------------------------------
// Files.

TEST(ModelFileTest, SaveThenLoadGivesTheSameModel) {
  SetNumThreads(1);
  std::unique_ptr<RobustFillModel> model = Tiny(Variant::kAttentionC, 7);
  absl::StatusOr<std::string> bytes = model->Save();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<std::unique_ptr<RobustFillModel>> back = RobustFillModel::Load(*bytes, "m.fsnn");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)->config().hidden_size, 16);
  EXPECT_EQ((*back)->config().max_columns, 3);
  const dsl::Program p = P("Concat(GetToken(Word, -1))");
  EXPECT_DOUBLE_EQ((*model->LogLikelihoods({NameTask()}, {p}))[0],
                   (*(*back)->LogLikelihoods({NameTask()}, {p}))[0]);
  // A different seed gives different weights.
  EXPECT_NE((*Tiny(Variant::kAttentionC, 8)->LogLikelihoods({NameTask()}, {p}))[0],
            (*model->LogLikelihoods({NameTask()}, {p}))[0]);
}

// Loading `bytes` fails with `code` and a message naming the file and saying `what`.
void ExpectLoadFails(const std::string& bytes, absl::StatusCode code, const std::string& what) {
  SCOPED_TRACE(what);
  absl::StatusOr<std::unique_ptr<RobustFillModel>> m = RobustFillModel::Load(bytes, "bad.fsnn");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), code) << m.status();
  EXPECT_EQ(m.status().message().rfind("bad.fsnn: ", 0), 0u) << m.status();
  EXPECT_NE(m.status().message().find(what), std::string::npos) << m.status();
}

TEST(ModelFileTest, CorruptOrMismatchedFilesGiveClearErrors) {
  SetNumThreads(1);
  const std::string good = *Tiny(Variant::kAttentionA)->Save();
  const auto kBad = absl::StatusCode::kInvalidArgument;
  ExpectLoadFails("", kBad, "not a flashsynth model");
  ExpectLoadFails("PK\x03\x04 some zip", kBad, "not a flashsynth model");
  ExpectLoadFails(good.substr(0, good.size() / 2), kBad, "truncated");
  ExpectLoadFails(good.substr(0, 40), kBad, "header");
  std::string flipped = good;
  flipped[flipped.size() - 100] ^= 0x20;
  ExpectLoadFails(flipped, kBad, "checksum");

  absl::StatusOr<internal::Container> c = internal::ReadContainer(good, "good");
  ASSERT_TRUE(c.ok()) << c.status();
  internal::Container edited = *c;
  edited.fields["hidden_size"] = "32";
  ExpectLoadFails(internal::WriteContainer(edited), kBad, "the configuration needs");
  edited = *c;
  edited.fields["variant"] = "attention-c";  // has weights attention-a lacks
  ExpectLoadFails(internal::WriteContainer(edited), kBad, "do not fit");
  edited = *c;
  edited.fields["program_vocab_fingerprint"] = "0123456789abcdef";
  ExpectLoadFails(internal::WriteContainer(edited), absl::StatusCode::kFailedPrecondition,
                  "different program vocabulary");
  edited = *c;
  edited.fields.erase("num_layers");
  ExpectLoadFails(internal::WriteContainer(edited), kBad, "num_layers");
  edited = *c;
  edited.payload = "not a torch archive";
  ExpectLoadFails(internal::WriteContainer(edited), kBad, "cannot read the weights");
  edited = *c;
  edited.kind = "vocabulary";
  ExpectLoadFails(internal::WriteContainer(edited), kBad, "not a model");
  std::string future = good;
  future.replace(0, future.find('\n'), "flashsynth-neural 99");
  ExpectLoadFails(future, absl::StatusCode::kFailedPrecondition, "version 99");
}

}  // namespace
}  // namespace flashsynth::neural
