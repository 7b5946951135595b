#include "neural/robustfill/internal/robustfill_net.h"

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

// Beam search's hypotheses share one task's memory (no copies); the
// result must be that of the per-row attention over repeated memory.
TEST(AttentionTest, SharedMemoryEqualsRepeatedMemory) {
  torch::set_num_threads(1);
  torch::manual_seed(3);
  constexpr int64_t kQuery = 5, kMemory = 7, kRows = 3, kKeys = 4, kGroups = 6;
  Attention attention(kQuery, kMemory);
  const torch::Tensor memory = torch::randn({kRows, kKeys, kMemory});
  // Row r sees its first kKeys - r keys.
  const torch::Tensor mask =
      torch::arange(kKeys).unsqueeze(0).lt(kKeys - torch::arange(kRows).unsqueeze(1));
  const torch::Tensor query = torch::randn({kGroups * kRows, kQuery});

  const torch::Tensor shared = attention->forward(query, memory, mask);
  const torch::Tensor repeated =
      attention->forward(query, memory.repeat({kGroups, 1, 1}), mask.repeat({kGroups, 1}));
  ASSERT_EQ(shared.sizes(), (std::vector<int64_t>{kGroups * kRows, kMemory}));
  EXPECT_TRUE(torch::allclose(shared, repeated, /*rtol=*/1e-5, /*atol=*/1e-6));
  // A masked key gets no weight: row 2 (first 2 keys) ignores keys 2 and 3,
  // row 0 (all keys) does not ignore key 3.
  torch::Tensor changed = memory.clone();
  changed.index_put_({2, torch::indexing::Slice(2, kKeys)}, 100.0);
  changed.index_put_({0, kKeys - 1}, 100.0);
  const torch::Tensor after = attention->forward(query, changed, mask);
  for (int64_t g = 0; g < kGroups; ++g) {
    EXPECT_TRUE(torch::allclose(after[g * kRows + 2], shared[g * kRows + 2]));
    EXPECT_FALSE(torch::allclose(after[g * kRows], shared[g * kRows]));
  }
  EXPECT_THROW(attention->forward(query.narrow(0, 0, 4), memory, mask), c10::Error);
}

}  // namespace
}  // namespace flashsynth::neural::internal
