#include "neural/internal/robustfill_net.h"

#include "gtest/gtest.h"

namespace flashsynth::neural::internal {
namespace {

constexpr int64_t kEmbedding = 8;
constexpr int64_t kHidden = 12;

// Three tasks with 2, 3 and 1 examples of one, two and three columns.
std::vector<IoExamples> Tasks() {
  return {
      {{{"ab"}, {"cde"}}, {"b", "e"}},
      {{{"a b", "c"}, {"d", ""}, {"x", "yz"}}, {"abc", "d", "xyz"}},
      {{{"one", "two", "three"}}, {"one-two"}},
  };
}

struct Shape {
  Variant variant;
  int layers;
};

class NetShapeTest : public ::testing::TestWithParam<Shape> {
 protected:
  void SetUp() override { torch::set_num_threads(1); }
};

TEST_P(NetShapeTest, ForwardGivesOneRowOfLogitsPerTaskAndToken) {
  ModelConfig config;
  config.variant = GetParam().variant;
  config.embedding_size = kEmbedding;
  config.hidden_size = kHidden;
  config.num_layers = GetParam().layers;
  torch::manual_seed(1);
  ProgramVocab vocab(config.max_columns);
  RobustFillNet net(config, vocab.size());

  const std::vector<IoExamples> tasks = Tasks();
  const std::vector<std::vector<int>> programs = {{5, 6, ProgramVocab::kEos},
                                                  {ProgramVocab::kEos},
                                                  {7, 8, 9, 10, ProgramVocab::kEos}};
  std::vector<const IoExamples*> task_ptrs;
  std::vector<const std::vector<int>*> program_ptrs;
  for (size_t i = 0; i < tasks.size(); ++i) {
    task_ptrs.push_back(&tasks[i]);
    program_ptrs.push_back(&programs[i]);
  }
  Batch batch = MakeBatch(task_ptrs, program_ptrs, /*max_chars=*/100, torch::kCPU);
  EXPECT_EQ(batch.num_tasks, 3);
  EXPECT_EQ(batch.num_examples, 3);
  EXPECT_EQ(batch.example_mask.sum().item<int64_t>(), 6);
  // "one" SEP "two" SEP "three" EOS
  EXPECT_EQ(batch.inputs.size(1), 3 + 1 + 3 + 1 + 5 + 1);
  EXPECT_EQ(batch.program_in.sizes(), (std::vector<int64_t>{3, 5}));

  Encoding enc = net->Encode(batch);
  EXPECT_EQ(enc.input_states.sizes(), (std::vector<int64_t>{9, batch.inputs.size(1), kHidden}));
  EXPECT_EQ(enc.output_states.sizes(), (std::vector<int64_t>{9, batch.outputs.size(1), kHidden}));
  EXPECT_EQ(enc.initial.h.sizes(), (std::vector<int64_t>{GetParam().layers, 9, kHidden}));

  torch::Tensor logits = net->forward(batch);
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{3, 5, vocab.size()}));
  TokenLoss loss = CrossEntropy(logits, batch.program_out);
  EXPECT_TRUE(std::isfinite(loss.loss.item<float>()));
  EXPECT_EQ(loss.total, 3 + 1 + 5);
  loss.loss.backward();
  for (const auto& p : net->named_parameters()) {
    EXPECT_TRUE(p.value().grad().defined()) << p.key() << " gets no gradient";
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, NetShapeTest,
                         ::testing::Values(Shape{Variant::kBasic, 1}, Shape{Variant::kAttentionA, 1},
                                           Shape{Variant::kAttentionC, 1},
                                           Shape{Variant::kAttentionC, 2}),
                         [](const ::testing::TestParamInfo<Shape>& info) {
                           std::string name(VariantName(info.param.variant));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name + std::to_string(info.param.layers);
                         });

}  // namespace
}  // namespace flashsynth::neural::internal
