#include "neural/robustfill/beam_search.h"

#include <cmath>

#include "dsl/parser.h"
#include "gtest/gtest.h"

namespace flashsynth::neural {
namespace {

dsl::Program P(const char* text) { return *dsl::Parse(text); }

const IoExamples& NameTask() {
  static const auto* task = new IoExamples{
      {{"Ada Lovelace"}, {"Alan Turing"}, {"Grace Hopper"}}, {"Lovelace", "Turing", "Hopper"}};
  return *task;
}

// A decoder that prefers given programs: the next token of each preferred
// program that the prefix still follows gets that program's weight, and
// every token shares `kRest` of the mass.
class ScriptedDecoder : public Decoder {
 public:
  static constexpr double kRest = 0.01;

  ScriptedDecoder(const ProgramVocab& vocab, std::vector<std::pair<dsl::Program, double>> preferred)
      : vocab_(vocab), prefixes_(1) {
    for (auto& [program, weight] : preferred) {
      targets_.push_back({*TokenizeProgram(program, vocab), weight});
    }
    Score();
  }

  int vocab_size() const override { return vocab_.size(); }
  int num_hypotheses() const override { return static_cast<int>(prefixes_.size()); }
  absl::Span<const float> log_probs(int k) const override { return rows_[static_cast<size_t>(k)]; }
  absl::Status Advance(absl::Span<const int> parents, absl::Span<const int> tokens) override {
    std::vector<std::vector<int>> next;
    for (size_t i = 0; i < parents.size(); ++i) {
      next.push_back(prefixes_[static_cast<size_t>(parents[i])]);
      next.back().push_back(tokens[i]);
    }
    prefixes_ = std::move(next);
    ++steps;
    Score();
    return absl::OkStatus();
  }

  int steps = 0;

 private:
  void Score() {
    rows_.clear();
    for (const std::vector<int>& prefix : prefixes_) {
      std::vector<double> p(static_cast<size_t>(vocab_.size()), kRest / vocab_.size());
      for (const auto& [ids, weight] : targets_) {
        if (ids.size() > prefix.size() && std::equal(prefix.begin(), prefix.end(), ids.begin())) {
          p[static_cast<size_t>(ids[prefix.size()])] += weight;
        }
      }
      double sum = 0;
      for (double v : p) sum += v;
      std::vector<float> row;
      for (double v : p) row.push_back(static_cast<float>(std::log(v / sum)));
      rows_.push_back(std::move(row));
    }
  }

  const ProgramVocab& vocab_;
  std::vector<std::pair<std::vector<int>, double>> targets_;
  std::vector<std::vector<int>> prefixes_;
  std::vector<std::vector<float>> rows_;
};

TEST(BeamSearchTest, FindsTheProgramTheDecoderPrefers) {
  ProgramVocab vocab;
  ScriptedDecoder d(vocab, {{P("Concat(GetToken(Word, -1))"), 1.0}});
  BeamSearchOptions options;
  options.beam_size = 5;
  absl::StatusOr<std::vector<Candidate>> found = BeamSearch(d, vocab, NameTask(), options);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->empty());
  EXPECT_EQ((*found)[0].program, P("Concat(GetToken(Word, -1))"));
  EXPECT_TRUE((*found)[0].consistent);
  EXPECT_LT((*found)[0].log_prob, 0);
  EXPECT_GT((*found)[0].log_prob, 5 * std::log(0.9));
  for (size_t i = 1; i < found->size(); ++i) {
    EXPECT_LE((*found)[i].log_prob, (*found)[i - 1].log_prob);
  }
}

TEST(BeamSearchTest, ExecutionGuidanceDropsAPrefixThatCannotProduceTheOutputs) {
  ProgramVocab vocab;
  // The decoder prefers the first name; the outputs are the last names.
  const std::vector<std::pair<dsl::Program, double>> preferred = {
      {P("Concat(GetToken(Word, 1))"), 0.6}, {P("Concat(GetToken(Word, -1))"), 0.3}};
  BeamSearchOptions greedy;
  greedy.beam_size = 1;
  greedy.execution_guided = false;
  greedy.only_consistent = false;
  ScriptedDecoder plain(vocab, preferred);
  absl::StatusOr<std::vector<Candidate>> found = BeamSearch(plain, vocab, NameTask(), greedy);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].program, P("Concat(GetToken(Word, 1))"));
  EXPECT_FALSE((*found)[0].consistent);

  greedy.execution_guided = true;
  ScriptedDecoder guided(vocab, preferred);
  found = BeamSearch(guided, vocab, NameTask(), greedy);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].program, P("Concat(GetToken(Word, -1))"));
  EXPECT_TRUE((*found)[0].consistent);
}

TEST(BeamSearchTest, ExecutionGuidanceChecksAConstantByteByByte) {
  ProgramVocab vocab;
  const IoExamples task{{{"x"}, {"y"}}, {"ab", "ab"}};
  // "ax" is preferred, but its 'x' already leaves the outputs.
  ScriptedDecoder d(vocab, {{P(R"(Concat(ConstStr("ax")))"), 0.6},
                            {P(R"(Concat(ConstStr("ab")))"), 0.4}});
  BeamSearchOptions options;
  options.beam_size = 1;
  BeamSearchStats stats;
  absl::StatusOr<std::vector<Candidate>> found = BeamSearch(d, vocab, task, options, &stats);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].program, P(R"(Concat(ConstStr("ab")))"));
  EXPECT_GT(stats.pruned, 0);
  EXPECT_EQ(stats.finished, 1);
  EXPECT_EQ(stats.steps, 5);  // ConstStr a b EndString EOS
}

TEST(BeamSearchTest, StopsAtTheDeadlineWithWhatItHas) {
  ProgramVocab vocab;
  ScriptedDecoder d(vocab, {{P("Concat(GetToken(Word, -1))"), 1.0}});
  BeamSearchOptions options;
  options.deadline = absl::Now() - absl::Seconds(1);
  BeamSearchStats stats;
  absl::StatusOr<std::vector<Candidate>> found = BeamSearch(d, vocab, NameTask(), options, &stats);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->empty());
  EXPECT_TRUE(stats.timed_out);
  EXPECT_EQ(stats.steps, 0);
}

TEST(BeamSearchTest, ReturnsOnlyProgramsConsistentWithTheExamples) {
  ProgramVocab vocab;
  const IoExamples task{{{"ab:12"}, {"cd:345"}}, {"12!", "345!"}};
  // Preferences that mostly fail on the examples, and a flat rest.
  ScriptedDecoder d(vocab, {{P("Concat(GetToken(Word, 1))"), 0.5},
                            {P("Concat(GetFrom(\":\"))"), 0.2},
                            {P("Concat(GetToken(Number, 1), ConstStr(\"!\"))"), 0.2}});
  BeamSearchOptions options;
  options.beam_size = 20;
  absl::StatusOr<std::vector<Candidate>> found = BeamSearch(d, vocab, task, options);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->empty());
  EXPECT_EQ((*found)[0].program, P("Concat(GetToken(Number, 1), ConstStr(\"!\"))"));
  for (const Candidate& c : *found) {
    EXPECT_TRUE(c.consistent) << c.program.ToString();
    for (size_t j = 0; j < task.inputs.size(); ++j) {
      EXPECT_EQ(dsl::Evaluate(c.program, task.inputs[j]), task.outputs[j]) << c.program.ToString();
    }
  }
}

TEST(BeamSearchTest, AnUntrainedModelStillReturnsOnlyConsistentPrograms) {
  SetNumThreads(1);
  ModelConfig config;
  config.embedding_size = 8;
  config.hidden_size = 16;
  std::unique_ptr<RobustFillModel> model = *RobustFillModel::Create(config, 3);
  const IoExamples task{{{"x"}, {"y"}}, {"x", "y"}};
  BeamSearchOptions options;
  options.beam_size = 8;
  options.max_tokens = 12;
  absl::StatusOr<std::vector<Candidate>> found = BeamSearch(*model, task, options);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_LE(found->size(), 8u);
  for (const Candidate& c : *found) {
    EXPECT_TRUE(c.consistent);
    for (size_t j = 0; j < task.inputs.size(); ++j) {
      EXPECT_EQ(dsl::Evaluate(c.program, task.inputs[j]), task.outputs[j]) << c.program.ToString();
    }
  }
}

TEST(BeamSearchTest, GivesUpOnProgramsLongerThanMaxTokens) {
  ProgramVocab vocab;
  ScriptedDecoder d(vocab, {{P("Concat(GetToken(Word, -1))"), 1.0}});
  BeamSearchOptions options;
  options.max_tokens = 4;  // the program has 5 tokens
  absl::StatusOr<std::vector<Candidate>> found = BeamSearch(d, vocab, NameTask(), options);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->empty());
  EXPECT_LE(d.steps, 4);
}

TEST(BeamSearchTest, RefusesBadArguments) {
  ProgramVocab vocab;
  ScriptedDecoder d(vocab, {});
  BeamSearchOptions options;
  options.beam_size = 0;
  EXPECT_FALSE(BeamSearch(d, vocab, NameTask(), options).ok());
  EXPECT_FALSE(BeamSearch(d, vocab, IoExamples{}, BeamSearchOptions()).ok());
  ASSERT_TRUE(d.Advance({0, 0}, {3, 4}).ok());
  EXPECT_FALSE(BeamSearch(d, vocab, NameTask(), BeamSearchOptions()).ok());  // not fresh
}

}  // namespace
}  // namespace flashsynth::neural
