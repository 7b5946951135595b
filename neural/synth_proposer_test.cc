#include "neural/synth_proposer.h"

#include <filesystem>

#include "dsl/interpreter.h"
#include "dsl/parser.h"
#include "gtest/gtest.h"
#include "neural/device.h"
#include "synth/synthesizer.h"

namespace flashsynth::neural {
namespace {

namespace fs = std::filesystem;

TEST(CompleteStructureTest, FillsTheConstantTheModelGotWrong) {
  const IoExamples task{{{"Ada Lovelace"}, {"Alan Turing"}}, {"Lovelace, A", "Turing, A"}};
  absl::StatusOr<dsl::Program> miss = dsl::Parse(R"(Concat(GetToken(Word, -1), ConstStr("; "), SubStr(1, 3)))");
  ASSERT_TRUE(miss.ok());
  std::optional<dsl::Program> done = CompleteStructure(*miss, task, absl::Seconds(5));
  ASSERT_TRUE(done.has_value());
  for (size_t i = 0; i < task.inputs.size(); ++i) {
    EXPECT_EQ(dsl::Evaluate(*done, task.inputs[i]), task.outputs[i]) << done->ToString();
  }
  EXPECT_EQ(done->branches()[0].body[0].ToString(), "GetToken(Word, -1)");  // the structure stays
}

TEST(CompleteStructureTest, NothingWhenTheStructureCannotFit) {
  const IoExamples task{{{"abc"}}, {"zzz"}};
  absl::StatusOr<dsl::Program> miss = dsl::Parse("Concat(SubStr(1, 2))");
  ASSERT_TRUE(miss.ok());
  EXPECT_FALSE(CompleteStructure(*miss, task, absl::Seconds(5)).has_value());
}

// The shipped model behind the synthesizer's neural and hybrid engines.
TEST(ShippedModelSynthTest, NeuralAndHybridEnginesSolveASimpleTask) {
  const std::string path = FLASHSYNTH_SHIPPED_MODEL;
  if (!fs::exists(path)) GTEST_SKIP() << "no shipped model at " << path;
  SetNumThreads(1);
  absl::StatusOr<std::unique_ptr<NeuralProposer>> model = NeuralProposer::LoadFile(path);
  ASSERT_TRUE(model.ok()) << model.status();
  std::unique_ptr<synth::ProgramProposer> proposer = MakeSynthProposer(*std::move(model));
  const std::vector<synth::Example> examples = {{{"Ada Lovelace"}, "Lovelace"}, {{"Alan Turing"}, "Turing"},
                                                {{"Grace Hopper"}, "Hopper"}, {{"Edsger Dijkstra"}, "Dijkstra"}};
  for (auto engine : {synth::LearnOptions::Engine::kNeural, synth::LearnOptions::Engine::kHybrid}) {
    synth::LearnOptions options;
    options.engine = engine;
    options.proposer = proposer.get();
    options.neural_budget = absl::Seconds(20);
    absl::StatusOr<synth::LearnResult> r = synth::Learn(examples, {{"Barbara Liskov"}}, options);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(r->ok()) << r->failure_message;
    EXPECT_EQ(dsl::Evaluate(r->best(), {"Barbara Liskov"}), "Liskov") << r->best().ToString();
    // The model scored the answer (kHybrid: it ranks the symbolic engine's
    // Concats; kNeural: it found it).
    ASSERT_TRUE(r->programs[0].log_likelihood.has_value());
    EXPECT_LE(*r->programs[0].log_likelihood, 0);
    if (engine == synth::LearnOptions::Engine::kNeural) {
      EXPECT_GT(r->proposals, 0) << r->best().ToString();
      EXPECT_TRUE(r->programs[0].proposed);
    } else {
      EXPECT_EQ(r->proposals, 0);  // the symbolic engine found programs: no proposals needed
    }
    EXPECT_TRUE(r->proposer_error.empty()) << r->proposer_error;
  }
}

}  // namespace
}  // namespace flashsynth::neural
