#include "synth/hybrid/neural_proposer.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsl/interpreter.h"
#include "dsl/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "synth/synthesizer.h"

namespace flashsynth::synth {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string PluginFile() {
#ifdef FLASHSYNTH_PLUGIN_FILE
  return FLASHSYNTH_PLUGIN_FILE;
#else
  return "";
#endif
}

NeuralProposerOptions Options(const std::string& plugin, const std::string& model) {
  NeuralProposerOptions o;
  o.plugin_path = plugin;
  o.model_path = model;
  o.read_model = ReadWhole;
  o.beam_size = 20;
  return o;
}

class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    path_ = (fs::temp_directory_path() /
             ("neural_proposer_test_" + std::to_string(getpid()) + "_" + std::to_string(counter_++)))
                .string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { fs::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

TEST(CompleteStructureTest, FillsTheConstantTheModelGotWrong) {
  const std::vector<dsl::Row> inputs = {{"Ada Lovelace"}, {"Alan Turing"}};
  const std::vector<std::string> outputs = {"Lovelace, A", "Turing, A"};
  absl::StatusOr<dsl::Program> miss = dsl::Parse(R"(Concat(GetToken(Word, -1), ConstStr("; "), SubStr(1, 3)))");
  ASSERT_TRUE(miss.ok());
  std::optional<dsl::Program> done = CompleteStructure(*miss, inputs, outputs, absl::Seconds(5));
  ASSERT_TRUE(done.has_value());
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(dsl::Evaluate(*done, inputs[i]), outputs[i]) << done->ToString();
  }
  EXPECT_EQ(done->branches()[0].body[0].ToString(), "GetToken(Word, -1)");  // the structure stays
}

TEST(CompleteStructureTest, NothingWhenTheStructureCannotFit) {
  absl::StatusOr<dsl::Program> miss = dsl::Parse("Concat(SubStr(1, 2))");
  ASSERT_TRUE(miss.ok());
  EXPECT_FALSE(CompleteStructure(*miss, {{"abc"}}, {"zzz"}, absl::Seconds(5)).has_value());
}

const std::vector<Example> kExamples = {{{"Ada Lovelace"}, "Lovelace"}, {{"Alan Turing"}, "Turing"}};

// Nothing is loaded until asked; a plugin that is missing, not a shared
// object, or not ours is an error naming the file, every time.
TEST(NeuralProposerTest, BadPluginsAreErrorsNamingTheFile) {
  TempFile text("not a shared object\n");
  struct Case {
    std::string plugin;
    const char* message;
  };
  const Case cases[] = {
      {"/no/such/libflashsynth-robustfill.so", "no neural plugin at /no/such/libflashsynth-robustfill.so"},
      {text.path(), "cannot load the neural plugin "},
      {"", "no neural plugin at (none given)"},
  };
  for (const Case& c : cases) {
    std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(Options(c.plugin, "model.fsnn"));
    EXPECT_FALSE(p->loaded());
    absl::StatusOr<std::vector<ProposedProgram>> r = p->Propose(kExamples, absl::InfiniteFuture(), nullptr);
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.message));
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.plugin));
    // The same error again, without another try.
    EXPECT_EQ(p->Load(), r.status());
    EXPECT_FALSE(p->loaded());
    EXPECT_EQ(p->Describe(), "");
  }
}

TEST(NeuralProposerTest, ASharedObjectThatIsNotAPluginIsAnError) {
  const std::string libm = "/lib/x86_64-linux-gnu/libm.so.6";
  if (!fs::exists(libm)) GTEST_SKIP() << "no " << libm;
  std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(Options(libm, "model.fsnn"));
  absl::Status s = p->Load();
  EXPECT_THAT(std::string(s.message()), HasSubstr(libm + " is not a flashsynth neural plugin"));
}

// The hybrid engine with a proposer that cannot load keeps the symbolic
// engine's programs and says why.
TEST(NeuralProposerTest, HybridFallsBackToTheSymbolicProgramsWhenThePluginIsMissing) {
  std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(Options("/no/such/plugin.so", "model.fsnn"));
  LearnOptions options;
  options.engine = LearnOptions::Engine::kHybrid;
  options.proposer = p.get();
  // One example: GetToken(Word, -1) and GetToken(Word, 2) both fit and
  // differ on the row to fill, so the model is asked.
  absl::StatusOr<LearnResult> r = Learn({{{"Ada Lovelace"}, "Lovelace"}}, {{"Grace Brewster Hopper"}}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->ok()) << r->failure_message;
  EXPECT_TRUE(r->proposer_consulted);
  EXPECT_THAT(r->proposer_error, HasSubstr("no neural plugin at /no/such/plugin.so"));
}

// ---------------------------------------------------------------------------
// With the plugin built and the shipped model (skipped without them).

class ShippedModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PluginFile().empty() || !fs::exists(PluginFile())) GTEST_SKIP() << "no plugin built (LibTorch off)";
    if (!fs::exists(FLASHSYNTH_SHIPPED_MODEL)) GTEST_SKIP() << "no shipped model";
  }
};

TEST_F(ShippedModelTest, NeuralEngineLoadsAndSolvesASimpleTask) {
  std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(Options(PluginFile(), FLASHSYNTH_SHIPPED_MODEL));
  ASSERT_TRUE(p->Load().ok()) << p->Load();
  EXPECT_TRUE(p->loaded());
  EXPECT_THAT(p->Describe(), HasSubstr("RobustFill proposer (LibTorch "));
  EXPECT_THAT(p->Describe(), HasSubstr(std::string("model ") + FLASHSYNTH_SHIPPED_MODEL + " (attention-"));
  LearnOptions options;
  options.engine = LearnOptions::Engine::kNeural;
  options.proposer = p.get();
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace"}, {{"Alan Turing"}, "Turing"},
                                         {{"Grace Hopper"}, "Hopper"}, {{"Edsger Dijkstra"}, "Dijkstra"}};
  absl::StatusOr<LearnResult> r = Learn(examples, {{"Barbara Liskov"}}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->ok()) << r->failure_message;
  EXPECT_EQ(dsl::Evaluate(r->best(), {"Barbara Liskov"}), "Liskov") << r->best().ToString();
  EXPECT_GT(r->proposals, 0);
  EXPECT_TRUE(r->programs[0].proposed);
  ASSERT_TRUE(r->programs[0].log_likelihood.has_value());
  EXPECT_LE(*r->programs[0].log_likelihood, 0);
}

TEST_F(ShippedModelTest, HybridLoadsTheModelOnlyWhenTheCandidatesDisagree) {
  // Four names: every candidate gives "Liskov"; the model is not needed.
  {
    std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(Options(PluginFile(), FLASHSYNTH_SHIPPED_MODEL));
    LearnOptions options;
    options.engine = LearnOptions::Engine::kHybrid;
    options.proposer = p.get();
    const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace"}, {{"Alan Turing"}, "Turing"},
                                           {{"Grace Hopper"}, "Hopper"}, {{"Edsger Dijkstra"}, "Dijkstra"}};
    absl::StatusOr<LearnResult> r = Learn(examples, {{"Barbara Liskov"}}, options);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(r->ok());
    EXPECT_FALSE(r->proposer_consulted);
    EXPECT_FALSE(p->loaded());
    EXPECT_FALSE(r->programs[0].log_likelihood.has_value());
  }
  // One name: the candidates part on a three-word row; the model ranks them.
  {
    std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(Options(PluginFile(), FLASHSYNTH_SHIPPED_MODEL));
    LearnOptions options;
    options.engine = LearnOptions::Engine::kHybrid;
    options.proposer = p.get();
    absl::StatusOr<LearnResult> r = Learn({{{"Ada Lovelace"}, "Lovelace"}}, {{"Grace Brewster Hopper"}}, options);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(r->ok());
    EXPECT_TRUE(r->proposer_consulted);
    EXPECT_TRUE(p->loaded());
    EXPECT_TRUE(r->proposer_error.empty()) << r->proposer_error;
    ASSERT_TRUE(r->programs[0].log_likelihood.has_value());
  }
}

TEST_F(ShippedModelTest, ACorruptModelIsAnErrorNamingTheFile) {
  absl::StatusOr<std::string> bytes = ReadWhole(FLASHSYNTH_SHIPPED_MODEL);
  ASSERT_TRUE(bytes.ok());
  TempFile truncated(bytes->substr(0, bytes->size() / 2));
  std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(Options(PluginFile(), truncated.path()));
  absl::Status s = p->Load();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr(truncated.path() + ": "));
  EXPECT_FALSE(p->loaded());
}

}  // namespace
}  // namespace flashsynth::synth
