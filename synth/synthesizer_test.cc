#include "synth/synthesizer.h"

#include <atomic>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "dsl/interpreter.h"
#include "dsl/sampler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::synth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Outputs(const LearnResult& r, const std::vector<dsl::Row>& rows) {
  std::vector<std::string> out;
  for (const FilledRow& f : Fill(r, rows)) out.push_back(f.output.value_or("<none>"));
  return out;
}

// Every program returned fits every example it was not told to ignore.
void ExpectConsistent(const LearnResult& r, const std::vector<Example>& examples) {
  for (const Candidate& c : r.programs) {
    for (int i = 0; i < static_cast<int>(examples.size()); ++i) {
      if (r.suspected_typo == i) continue;
      EXPECT_EQ(dsl::Evaluate(c.program, examples[i].inputs), examples[i].output)
          << c.program.ToString() << " on example " << i;
    }
  }
}

TEST(LearnTest, LastNameCommaInitial) {
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace, A."},
                                         {{"Grace Hopper"}, "Hopper, G."}};
  const std::vector<dsl::Row> rows = {{"Alan Turing"}, {"Edsger Dijkstra"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->ok()) << r->failure_message;
  ExpectConsistent(*r, examples);
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("Turing, A.", "Dijkstra, E."));
}

TEST(LearnTest, InitialFromTheInputBeatsAConstantLetterBothExamplesShare) {
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace, A."},
                                         {{"Alan Turing"}, "Turing, A."}};
  const std::vector<dsl::Row> rows = {{"Grace Hopper"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("Hopper, G."));
}

TEST(LearnTest, TwoColumnsAndCaseChange) {
  const std::vector<Example> examples = {{{"launa", "WITHERS"}, "Withers, L."},
                                         {{"brendan", "HAGE"}, "Hage, B."}};
  const std::vector<dsl::Row> rows = {{"lakenya", "EDISON"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok()) << r->failure_message;
  ExpectConsistent(*r, examples);
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("Edison, L."));
}

TEST(LearnTest, PhoneNumberReformatting) {
  const std::vector<Example> examples = {{{"938-242-504"}, "(938) 242-504"},
                                         {{"308-916-545"}, "(308) 916-545"}};
  const std::vector<dsl::Row> rows = {{"623-599-749"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("(623) 599-749"));
}

TEST(LearnTest, NonAsciiLettersAreLetters) {
  const std::vector<Example> examples = {{{"Zoë Ågren"}, "ÅGREN"}, {{"Élodie Dürr"}, "DÜRR"}};
  const std::vector<dsl::Row> rows = {{"Jürgen Øst"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("ØST"));
}

TEST(LearnTest, AllOutputsEmpty) {
  const std::vector<Example> examples = {{{"a"}, ""}, {{"b"}, ""}};
  absl::StatusOr<LearnResult> r = Learn(examples, {});
  ASSERT_TRUE(r.ok() && r->ok());
  ExpectConsistent(*r, examples);
}

TEST(LearnTest, SwitchWhenNoConcatFits) {
  // Rows with a country keep it; the others get ", USA" appended.
  const std::vector<Example> examples = {
      {{"Phialdelphia, PA, USA"}, "Phialdelphia, PA, USA"},
      {{"Los Angeles, CA"}, "Los Angeles, CA, USA"},
      {{"Ann Arbor, MI, USA"}, "Ann Arbor, MI, USA"},
      {{"Houston, TX"}, "Houston, TX, USA"},
      {{"Storrs, CT, USA"}, "Storrs, CT, USA"},
  };
  const std::vector<dsl::Row> rows = {{"Urbana, IL"}, {"New Haven, CT, USA"}};
  LearnOptions options;
  options.tolerate_noise = false;
  absl::StatusOr<LearnResult> r = Learn(examples, rows, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r->failure_message;
  EXPECT_TRUE(r->best().is_switch()) << r->best().ToString();
  ExpectConsistent(*r, examples);
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("Urbana, IL, USA", "New Haven, CT, USA"));
}

TEST(LearnTest, RowsToFillChooseTheSwitchCondition) {
  // "; EU" is appended when the place has no country. On the examples a
  // space in the name separates the cases as well as a ';' in the place;
  // the rows to fill show which: the name's space would give "Di; Paris;
  // FR; EU", an output with more ';' than any example has.
  const std::vector<Example> examples = {
      {{"Ann Lee", "Oslo; NO"}, "Ann Lee; Oslo; NO"},
      {{"Bo", "Rome"}, "Bo; Rome; EU"},
      {{"Cy Dunn", "Bern; CH"}, "Cy Dunn; Bern; CH"},
  };
  const std::vector<dsl::Row> rows = {{"Di", "Paris; FR"}, {"Ed Fox", "Lyon"}, {"Flo", "Graz; AT"}};
  LearnOptions options;
  options.tolerate_noise = false;
  absl::StatusOr<LearnResult> r = Learn(examples, rows, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r->failure_message;
  ExpectConsistent(*r, examples);
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("Di; Paris; FR", "Ed Fox; Lyon; EU", "Flo; Graz; AT"))
      << r->best().ToString();
}

TEST(LearnTest, SwitchPartitionNotSeededByTheOddExample) {
  // The first example is in the minority; a partition grown from it would
  // pair it with the second through a contrived program.
  const std::vector<Example> examples = {
      {{"Bo", "Rome"}, "Bo; Rome; EU"},
      {{"Ann Lee", "Oslo; NO"}, "Ann Lee; Oslo; NO"},
      {{"Al", "Nice"}, "Al; Nice; EU"},
  };
  const std::vector<dsl::Row> rows = {{"Di", "Paris; FR"}, {"Ed Fox", "Lyon"}};
  LearnOptions options;
  options.tolerate_noise = false;
  absl::StatusOr<LearnResult> r = Learn(examples, rows, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r->failure_message;
  ExpectConsistent(*r, examples);
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("Di; Paris; FR", "Ed Fox; Lyon; EU")) << r->best().ToString();
}

TEST(LearnTest, ConflictingExamplesAreNamed) {
  const std::vector<Example> examples = {
      {{"UCLA"}, "Los Angeles"}, {{"MIT"}, "Cambridge"}, {{"UCLA"}, "LA"}};
  absl::StatusOr<LearnResult> r = Learn(examples, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->failure, Failure::kConflictingExamples);
  EXPECT_THAT(r->conflicting_examples, ElementsAre(0, 2));
  EXPECT_THAT(r->failure_message, HasSubstr("same inputs"));
}

TEST(LearnTest, RepeatedExamplesAreNotConflicts) {
  const std::vector<Example> examples = {
      {{"Ducati100"}, "Ducati"}, {{"Honda125"}, "Honda"}, {{"Ducati100"}, "Ducati"}};
  absl::StatusOr<LearnResult> r = Learn(examples, {});
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_EQ(r->examples_used, 2);
}

TEST(LearnTest, NoProgramNamesTheExamples) {
  // Distinct inputs with unrelated outputs: more cases than a Switch may have.
  std::vector<Example> examples;
  const char* outputs[] = {"kiwi", "plum", "fig", "lime", "pear", "date"};
  for (int i = 0; i < 6; ++i) examples.push_back({{std::string(i + 1, 'x')}, outputs[i]});
  LearnOptions options;
  options.tolerate_noise = false;
  absl::StatusOr<LearnResult> r = Learn(examples, {}, options);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->failure, Failure::kNoProgram);
  EXPECT_GE(r->conflicting_examples.size(), 2u);
  EXPECT_THAT(r->failure_message, HasSubstr("no program in the DSL fits examples"));
}

std::vector<Example> FirstNamesWithTypo() {
  return {{{"Nancy FreeHafer"}, "Nancy"},   {{"Andrew Cencici"}, "Andrew"},
          {{"Jan Kotas"}, "Jan"},           {{"Mariya Sergienko"}, "Mariya"},
          {{"Edsger Dijkstra"}, "Edsgar"},  {{"Barbara Liskov"}, "Barbara"}};
}

TEST(LearnTest, OneTypoIsSetAside) {
  const std::vector<Example> examples = FirstNamesWithTypo();
  const std::vector<dsl::Row> rows = {{"Alan Kay"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  ASSERT_TRUE(r->suspected_typo.has_value());
  EXPECT_EQ(*r->suspected_typo, 4);
  ExpectConsistent(*r, examples);
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("Alan"));
}

TEST(LearnTest, StrictKeepsEveryExample) {
  const std::vector<Example> examples = FirstNamesWithTypo();
  LearnOptions options;
  options.tolerate_noise = false;
  absl::StatusOr<LearnResult> r = Learn(examples, {}, options);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->suspected_typo.has_value());
  // Either a program that fits all six (a Switch) or none.
  ExpectConsistent(*r, examples);
}

TEST(LearnTest, TooFewExamplesForNoise) {
  const std::vector<Example> examples = {
      {{"Nancy FreeHafer"}, "Nancy"}, {{"Andrew Cencici"}, "Andrew"}, {{"Edsger Dijkstra"}, "Edsgar"}};
  LearnOptions options;
  options.allow_switch = false;
  absl::StatusOr<LearnResult> r = Learn(examples, {}, options);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->suspected_typo.has_value());
  ExpectConsistent(*r, examples);
}

TEST(LearnTest, BadInputIsRefused) {
  EXPECT_EQ(Learn({}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<Example> ragged = {{{"a", "b"}, "a"}, {{"c"}, "c"}};
  EXPECT_THAT(std::string(Learn(ragged, {}).status().message()), HasSubstr("example 1"));
  const std::vector<Example> bad_utf8 = {{{"ab\xff"}, "a"}};
  EXPECT_THAT(std::string(Learn(bad_utf8, {}).status().message()), HasSubstr("not valid UTF-8"));
  const std::vector<Example> ok = {{{"ab"}, "a"}};
  const std::vector<dsl::Row> bad_row = {{"\xc3"}};
  EXPECT_THAT(std::string(Learn(ok, bad_row).status().message()), HasSubstr("row to fill 0"));
}

TEST(LearnTest, CancelIsHonored) {
  std::atomic<bool> cancel{true};
  LearnOptions options;
  options.cancel = &cancel;
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace"}};
  EXPECT_EQ(Learn(examples, {}, options).status().code(), absl::StatusCode::kCancelled);
}

// Long cells: 10,000 characters of words and numbers, the output a token
// near the end. The search must stay within its budget and bounds.
TEST(LearnTest, TenThousandCharacterCells) {
  auto cell = [](int seed) {
    std::string s;
    while (s.size() < 10'000) s += "word" + std::to_string(seed * 7919 + s.size()) + " ";
    s.resize(9'990);
    return s + " ID" + std::to_string(1000 + seed);
  };
  std::vector<Example> examples;
  for (int i = 0; i < 3; ++i) examples.push_back({{cell(i)}, "ID" + std::to_string(1000 + i)});
  const std::vector<dsl::Row> rows = {{cell(7)}};
  LearnOptions options;
  options.time_budget = absl::Seconds(20);
  absl::StatusOr<LearnResult> r = Learn(examples, rows, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r->failure_message;
  ExpectConsistent(*r, examples);
  EXPECT_THAT(Outputs(*r, rows), ElementsAre("ID1007"));
  EXPECT_LE(r->states_explored, options.max_states * 4);
}

// A copy of a whole 10,000-character cell, upper-cased.
TEST(LearnTest, TenThousandCharacterOutputs) {
  auto cell = [](char c) { return std::string(5'000, c) + std::string(5'000, 'b'); };
  const std::vector<Example> examples = {{{cell('a')}, std::string(5'000, 'A') + std::string(5'000, 'B')},
                                         {{cell('c')}, std::string(5'000, 'C') + std::string(5'000, 'B')}};
  absl::StatusOr<LearnResult> r = Learn(examples, {});
  ASSERT_TRUE(r.ok() && r->ok()) << r->failure_message;
  ExpectConsistent(*r, examples);
}

// A thousand examples (all distinct) and a thousand rows to fill.
TEST(LearnTest, ThousandRows) {
  std::vector<Example> examples;
  std::vector<dsl::Row> rows;
  for (int i = 0; i < 1000; ++i) {
    const std::string a = std::to_string(100 + i % 900), b = std::to_string(200 + (i * 37) % 700);
    const std::string c = std::to_string(300 + (i * 91) % 600);
    examples.push_back({{a + "-" + b + "-" + c}, "(" + a + ") " + b + "-" + c});
    rows.push_back({c + "-" + a + "-" + b});
  }
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok()) << r->failure_message;
  EXPECT_EQ(r->examples_used, 1000);
  const std::vector<FilledRow> filled = Fill(*r, rows);
  ASSERT_EQ(filled.size(), 1000u);
  EXPECT_EQ(filled[0].output, "(300) 100-200");
}

// Every alternative's recorded difference is real: the interpreter gives
// those two outputs on that input, and they differ.
void ExpectTrueDifferences(const LearnResult& r) {
  for (size_t i = 1; i < r.programs.size(); ++i) {
    if (!r.programs[i].differs_from_best) continue;
    const Difference& d = *r.programs[i].differs_from_best;
    EXPECT_NE(d.best_output, d.output);
    EXPECT_EQ(dsl::Evaluate(r.best(), d.input), d.best_output);
    EXPECT_EQ(dsl::Evaluate(r.programs[i].program, d.input), d.output);
  }
}

TEST(DifferenceTest, AlternativesNameARowToFillWhereTheyDiffer) {
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Ada"}, {{"Grace Hopper"}, "Grace"}};
  const std::vector<dsl::Row> rows = {{"Alan Turing"}, {"Edsger W Dijkstra"}, {"Kurt Goedel 1906"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  ASSERT_GE(r->programs.size(), 2u);
  for (size_t i = 1; i < r->programs.size(); ++i) {
    // Candidates differ on the rows to fill, so each names one of them.
    ASSERT_TRUE(r->programs[i].differs_from_best) << r->programs[i].program.ToString();
    const Difference& d = *r->programs[i].differs_from_best;
    ASSERT_TRUE(d.row_to_fill);
    EXPECT_EQ(d.input, rows[*d.row_to_fill]);
  }
  ExpectTrueDifferences(*r);
}

TEST(DifferenceTest, TheSolverBuildsARowWhenThereAreNoRowsToFill) {
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Ada"}, {{"Grace Hopper"}, "Grace"}};
  LearnOptions options;
  EXPECT_FALSE(options.use_solver);  // off unless asked for
  absl::StatusOr<LearnResult> plain = Learn(examples, {}, options);
  ASSERT_TRUE(plain.ok() && plain->ok());
  for (const Candidate& c : plain->programs) EXPECT_FALSE(c.differs_from_best);

  options.use_solver = true;
  absl::StatusOr<LearnResult> r = Learn(examples, {}, options);
  ASSERT_TRUE(r.ok() && r->ok());
  int built = 0;
  for (size_t i = 1; i < r->programs.size(); ++i) {
    if (!r->programs[i].differs_from_best) continue;
    EXPECT_FALSE(r->programs[i].differs_from_best->row_to_fill);
    ++built;
  }
  // GetToken(Word, -2) and GetToken(PropCase, 1) part from GetToken(Word, 1)
  // on rows of the examples' shape.
  EXPECT_GE(built, 1);
  ExpectTrueDifferences(*r);
}

// ---------------------------------------------------------------------------
// The neural and hybrid engines, with a proposer that returns fixed programs
// and scores (the RobustFill model's adapter is tested in neural/).

class FixedProposer : public ProgramProposer {
 public:
  // `programs` in DSL text with their log-likelihoods; Score() gives a
  // listed program its value and any other `others`.
  FixedProposer(std::vector<std::pair<std::string, double>> programs, double others = -50)
      : others_(others) {
    for (auto& [text, ll] : programs) {
      absl::StatusOr<dsl::Program> p = LoadProgram(text);
      EXPECT_TRUE(p.ok()) << text;
      programs_.push_back({*p, ll});
    }
  }
  absl::StatusOr<std::vector<ProposedProgram>> Propose(absl::Span<const Example>, absl::Time,
                                                       const std::atomic<bool>*) const override {
    ++calls;
    if (!error.ok()) return error;
    return programs_;
  }
  absl::StatusOr<std::vector<double>> Score(absl::Span<const Example>,
                                            absl::Span<const dsl::Program> programs) const override {
    ++score_calls;
    if (!error.ok()) return error;
    std::vector<double> out;
    for (const dsl::Program& p : programs) {
      double ll = others_;
      for (const ProposedProgram& q : programs_) {
        if (q.program == p) ll = q.log_likelihood;
      }
      out.push_back(ll);
    }
    return out;
  }
  absl::Status error;
  mutable int calls = 0;        // of Propose()
  mutable int score_calls = 0;  // of Score()

 private:
  std::vector<ProposedProgram> programs_;
  double others_;
};

std::vector<Example> Surnames() {
  return {{{"Ada Lovelace"}, "Lovelace"}, {{"Alan Turing"}, "Turing"}};
}

TEST(EngineTest, NeuralAndHybridNeedAProposer) {
  for (LearnOptions::Engine e : {LearnOptions::Engine::kNeural, LearnOptions::Engine::kHybrid}) {
    LearnOptions options;
    options.engine = e;
    absl::StatusOr<LearnResult> r = Learn(Surnames(), {}, options);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  }
}

TEST(EngineTest, NeuralRanksTheProposalsThatFitByLikelihood) {
  // The second proposal does not fit "Alan Turing" -> "Turing": dropped.
  FixedProposer proposer({{"Concat(GetFrom(\" \"))", -3.0},
                          {"Concat(SubStr(5, 0))", -1.0},
                          {"Concat(GetToken(Word, -1))", -2.0}});
  LearnOptions options;
  options.engine = LearnOptions::Engine::kNeural;
  options.proposer = &proposer;
  absl::StatusOr<LearnResult> r = Learn(Surnames(), {{"Grace Hopper"}}, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r.status() << r->failure_message;
  EXPECT_EQ(r->best().ToString(), "Concat(GetToken(Word, -1))");
  EXPECT_TRUE(r->programs[0].proposed);
  EXPECT_EQ(r->programs[0].score, -2.0);
  EXPECT_EQ(r->proposals, 2);
  EXPECT_EQ(r->states_explored, 0);  // the symbolic engine did not run
}

TEST(EngineTest, NeuralReportsWhenNothingFits) {
  FixedProposer proposer({{"Concat(ConstStr(\"x\"))", -1.0}});
  LearnOptions options;
  options.engine = LearnOptions::Engine::kNeural;
  options.proposer = &proposer;
  absl::StatusOr<LearnResult> r = Learn(Surnames(), {}, options);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->failure, Failure::kNoProgram);
  EXPECT_THAT(r->failure_message, HasSubstr("neural proposer"));
}

TEST(EngineTest, HybridLetsTheLikelihoodReorderTheSymbolicCandidates) {
  // On "Grace Brewster Hopper" GetToken(Word, 2) and GetToken(Word, -1)
  // differ; the symbolic prior alone prefers one of them, a confident model
  // the other.
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace"}, {{"Alan Turing"}, "Turing"}};
  const std::vector<dsl::Row> rows = {{"Grace Brewster Hopper"}};
  absl::StatusOr<LearnResult> symbolic = Learn(examples, rows);
  ASSERT_TRUE(symbolic.ok() && symbolic->ok());
  const std::string prior_best = symbolic->best().ToString();
  const std::string other = prior_best == "Concat(GetToken(Word, 2))" ? "Concat(GetToken(Word, -1))"
                                                                      : "Concat(GetToken(Word, 2))";
  FixedProposer proposer({{other, -0.5}}, /*others=*/-40);
  LearnOptions options;
  options.engine = LearnOptions::Engine::kHybrid;
  options.proposer = &proposer;
  options.neural_weight = 1.0;
  absl::StatusOr<LearnResult> r = Learn(examples, rows, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r.status();
  EXPECT_EQ(r->best().ToString(), other);
  EXPECT_FALSE(r->programs[0].proposed);  // the symbolic engine found it; the model ranked it
  ASSERT_TRUE(r->programs[0].log_likelihood.has_value());
  EXPECT_EQ(*r->programs[0].log_likelihood, -0.5);
  ExpectConsistent(*r, examples);
  // With the model's voice turned off the prior decides again.
  options.neural_weight = 0;
  r = Learn(examples, rows, options);
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_EQ(r->best().ToString(), prior_best);
}

TEST(EngineTest, HybridProposalsOnlyServeWhenTheSymbolicSearchFindsNothing) {
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace"}, {{"Bob Smithers"}, "Smithers"}};
  const std::vector<dsl::Row> rows = {{"Grace Brewster Hopper"}};
  // Fits both examples, and the model is sure of it; the symbolic engine
  // finds programs of its own, so the proposal is not among the candidates.
  FixedProposer proposer({{"Concat(Trim(SubStr(5, 0)))", -0.1}}, /*others=*/-40);
  LearnOptions options;
  options.engine = LearnOptions::Engine::kHybrid;
  options.proposer = &proposer;
  options.neural_weight = 1.0;
  absl::StatusOr<LearnResult> r = Learn(examples, rows, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r.status();
  for (const Candidate& c : r->programs) {
    EXPECT_FALSE(c.proposed) << c.program.ToString();
    EXPECT_NE(c.program.ToString(), "Concat(Trim(SubStr(5, 0)))");
    EXPECT_TRUE(c.log_likelihood.has_value());  // but the model ranks them
  }
  EXPECT_EQ(r->proposals, 0);
  EXPECT_EQ(proposer.calls, 0);
}

TEST(EngineTest, HybridTakesAProposalWhenTheSymbolicSearchFindsNothing) {
  // No Concat fits and Switches are off: only the proposer's program does.
  const std::vector<Example> examples = {{{"a"}, "x"}, {{"B"}, "y"}};
  FixedProposer proposer(
      {{R"(Switch((Match(x1, AllCaps, 1), Concat(ConstStr("y"))), (True, Concat(ConstStr("x")))))", -4.0}});
  LearnOptions options;
  options.allow_switch = false;
  options.tolerate_noise = false;
  absl::StatusOr<LearnResult> symbolic = Learn(examples, {}, options);
  ASSERT_TRUE(symbolic.ok());
  ASSERT_FALSE(symbolic->ok());
  options.engine = LearnOptions::Engine::kHybrid;
  options.proposer = &proposer;
  absl::StatusOr<LearnResult> r = Learn(examples, {}, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r.status() << r->failure_message;
  EXPECT_TRUE(r->best().is_switch());
  EXPECT_EQ(r->failure, Failure::kNone);
  EXPECT_EQ(proposer.calls, 1);
  ExpectConsistent(*r, examples);
}

TEST(EngineTest, HybridKeepsTheSymbolicAnswerWhenTheProposerFails) {
  FixedProposer proposer({});
  proposer.error = absl::InternalError("out of GPU memory");
  LearnOptions options;
  options.engine = LearnOptions::Engine::kHybrid;
  options.proposer = &proposer;
  // The candidates part on a three-word name, so the proposer is asked.
  absl::StatusOr<LearnResult> r = Learn(Surnames(), {{"Grace Brewster Hopper"}}, options);
  ASSERT_TRUE(r.ok() && r->ok()) << r.status();
  EXPECT_THAT(Outputs(*r, {{"Grace Brewster Hopper"}}), ElementsAre("Hopper"));
  EXPECT_TRUE(r->proposer_consulted);
  EXPECT_THAT(r->proposer_error, HasSubstr("out of GPU memory"));
}

// Where every candidate fills the rows alike, the model's order would change
// nothing the user sees: it is not asked (and a lazy model never loads).
TEST(EngineTest, HybridAsksTheProposerOnlyWhenTheCandidatesDisagree) {
  struct Case {
    std::vector<dsl::Row> rows;
    bool consulted;
  };
  const Case cases[] = {
      {{{"Grace Hopper"}, {"Edsger Dijkstra"}}, false},  // every candidate: the second word
      {{}, false},                                       // nothing to fill
      {{{"Grace Hopper"}, {"Grace Brewster Hopper"}}, true},
  };
  for (const Case& c : cases) {
    FixedProposer proposer({});
    LearnOptions options;
    options.engine = LearnOptions::Engine::kHybrid;
    options.proposer = &proposer;
    absl::StatusOr<LearnResult> r = Learn(Surnames(), c.rows, options);
    ASSERT_TRUE(r.ok() && r->ok()) << r.status();
    EXPECT_EQ(r->proposer_consulted, c.consulted) << c.rows.size();
    EXPECT_EQ(proposer.score_calls > 0, c.consulted) << c.rows.size();
    EXPECT_EQ(proposer.calls, 0);
    EXPECT_EQ(r->programs[0].log_likelihood.has_value(), c.consulted);
  }
}

TEST(FillTest, AmbiguousRowsAreFlagged) {
  // One example cannot tell "the first word" from "the first letters-and-
  // digits run"; rows where the two differ are ambiguous.
  const std::vector<Example> examples = {{{"ab cd"}, "ab"}};
  const std::vector<dsl::Row> rows = {{"ef gh"}, {"x1y2 zz"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  ASSERT_GE(r->programs.size(), 2u);
  const std::vector<FilledRow> filled = Fill(*r, rows);
  EXPECT_FALSE(filled[0].ambiguous);
  EXPECT_DOUBLE_EQ(filled[0].confidence, 1.0);
  EXPECT_TRUE(filled[1].ambiguous);
  EXPECT_LT(filled[1].confidence, 1.0);
  EXPECT_FALSE(filled[1].alternatives.empty());
}

// Number columns: the witness functions read, scale, round, bin and format.
struct NumberLearnCase {
  const char* family;
  std::vector<Example> examples;
  std::vector<dsl::Row> rows;
  std::vector<std::string> want;  // the best program's output on each row
};

TEST(LearnNumbersTest, GeneralizesEachFamilyFromThreeExamples) {
  const std::vector<NumberLearnCase> cases = {
      {"round to decimals", {{{"12.345"}, "12.35"}, {{"7.1"}, "7.10"}, {{"0.996"}, "1.00"}},
       {{"3.14159"}, {"-2.675"}}, {"3.14", "-2.68"}},
      {"round to a step", {{{"48213"}, "48200"}, {{"1234"}, "1250"}, {{"77"}, "100"}},
       {{"2398"}, {"24"}}, {"2400", "0"}},
      {"scale", {{{"0.234"}, "23.4"}, {{"0.05"}, "5"}, {{"1.5"}, "150"}},
       {{"0.0734"}, {"-0.1"}}, {"7.34", "-10"}},
      {"grouping and fixed decimals",
       {{{"4821"}, "4,821.00"}, {{"1234567.5"}, "1,234,567.50"}, {{"-56.1"}, "-56.10"}},
       {{"1000000"}, {"0.5"}}, {"1,000,000.00", "0.50"}},
      {"decimal comma", {{{"1234.5"}, "1.234,50"}, {{"7"}, "7,00"}, {{"-1500.25"}, "-1.500,25"}},
       {{"99.999"}, {"1000000"}}, {"100,00", "1.000.000,00"}},
      {"zero padding", {{{"57"}, "00057"}, {{"1234"}, "01234"}, {{"7"}, "00007"}},
       {{"42"}, {"99999"}}, {"00042", "99999"}},
      {"reading decorated numbers",
       {{{"$1,234.50"}, "1234.5"}, {{"(75.00)"}, "-75"}, {{"3.2E-002"}, "0.032"}},
       {{" 007.5 "}, {"$12,000"}}, {"7.5", "12000"}},
      {"bins", {{{"147"}, "140-149"}, {{"83"}, "80-89"}, {{"200"}, "200-209"}},
       {{"99"}, {"5"}}, {"90-99", "0-9"}},
      {"mixed with text", {{{"2.718"}, "2.7 pts"}, {{"3.14159"}, "3.1 pts"}, {{"10"}, "10.0 pts"}},
       {{"1.05"}, {"99.96"}}, {"1.1 pts", "100.0 pts"}},
      {"thousands", {{{"4821"}, "$4.8K"}, {{"12500"}, "$12.5K"}, {{"999"}, "$1.0K"}},
       {{"56789"}, {"100"}}, {"$56.8K", "$0.1K"}},
      {"two numbers of a cell", {{{"3.14,1.41"}, "3.1 * 1.4"}, {{"2.5,10"}, "2.5 * 10.0"},
                                 {{"0.05,7.77"}, "0.1 * 7.8"}},
       {{"1,2"}, {"9.99,0.01"}}, {"1.0 * 2.0", "10.0 * 0.0"}},
  };
  for (const NumberLearnCase& c : cases) {
    SCOPED_TRACE(c.family);
    absl::StatusOr<LearnResult> r = Learn(c.examples, c.rows);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(r->ok()) << r->failure_message;
    ExpectConsistent(*r, c.examples);
    const std::vector<FilledRow> filled = Fill(*r, c.rows);
    for (size_t i = 0; i < c.rows.size(); ++i) {
      EXPECT_EQ(filled[i].output, c.want[i]) << r->best().ToString();
    }
  }
}

TEST(LearnNumbersTest, StepsTheExamplesCannotTellApartMakeRowsAmbiguous) {
  // 1234 -> 1230 is the nearest 10 and 10 rounded down; 1237 tells them
  // apart, 1241 does not.
  const std::vector<Example> examples = {{{"1234"}, "1230"}, {{"560"}, "560"}};
  const std::vector<dsl::Row> rows = {{"1237"}, {"1241"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  const std::vector<FilledRow> filled = Fill(*r, rows);
  EXPECT_TRUE(filled[0].ambiguous);
  std::vector<std::string> outputs = filled[0].alternatives;
  outputs.push_back(*filled[0].output);
  EXPECT_THAT(outputs, ::testing::IsSupersetOf({"1240", "1230"}));
  EXPECT_FALSE(filled[1].ambiguous);
  EXPECT_EQ(filled[1].output, "1240");
}

TEST(LearnNumbersTest, ACellWithNoNumberGivesNoOutputNotZero) {
  const std::vector<Example> examples = {{{"12.5"}, "13"}, {{"7.2"}, "7"}};
  const std::vector<dsl::Row> rows = {{"n/a"}, {""}, {"9.5"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  const std::vector<FilledRow> filled = Fill(*r, rows);
  EXPECT_EQ(filled[0].output, std::nullopt) << r->best().ToString();
  EXPECT_EQ(filled[1].output, std::nullopt);
  EXPECT_EQ(filled[2].output, "10");
}

TEST(FillTest, CandidatesAreDistinctOnTheRows) {
  const std::vector<Example> examples = {{{"ab cd"}, "ab"}};
  const std::vector<dsl::Row> rows = {{"ef gh"}, {"x1y2 zz"}, {"K9 q"}};
  absl::StatusOr<LearnResult> r = Learn(examples, rows);
  ASSERT_TRUE(r.ok() && r->ok());
  std::vector<std::vector<std::optional<std::string>>> seen;
  for (const Candidate& c : r->programs) {
    std::vector<std::optional<std::string>> outs;
    for (const dsl::Row& row : rows) outs.push_back(dsl::Evaluate(c.program, row));
    EXPECT_EQ(std::count(seen.begin(), seen.end(), outs), 0) << c.program.ToString();
    seen.push_back(outs);
  }
  for (size_t i = 1; i < r->programs.size(); ++i) {
    EXPECT_GE(r->programs[i - 1].score, r->programs[i].score);
  }
}

TEST(ProgramIoTest, SaveAndLoadRoundTrip) {
  const std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace, A."},
                                         {{"Grace Hopper"}, "Hopper, G."}};
  absl::StatusOr<LearnResult> r = Learn(examples, {});
  ASSERT_TRUE(r.ok() && r->ok());
  for (ProgramFormat f : {ProgramFormat::kText, ProgramFormat::kJson}) {
    absl::StatusOr<dsl::Program> back = LoadProgram(SaveProgram(r->best(), f));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, r->best());
  }
  EXPECT_FALSE(LoadProgram("Concat(GetToken(Word").ok());
  EXPECT_FALSE(LoadProgram("{\"concat\": [").ok());
}

// Concurrent Learn() calls give the same answers as sequential ones.
TEST(ConcurrencyTest, ParallelLearnMatchesSequential) {
  // Short programs, so that no search depends on the budget (which would
  // make the outcome depend on timing).
  dsl::SamplerOptions small = dsl::SamplerOptions::RobustFill();
  small.max_expressions = 3;
  dsl::Sampler sampler(small, 11);
  std::vector<dsl::SampledTask> tasks;
  for (int i = 0; i < 8; ++i) tasks.push_back(sampler.Next());
  auto learn = [&](int i) {
    std::vector<Example> ex;
    for (size_t k = 0; k < tasks[i].inputs.size(); ++k) ex.push_back({tasks[i].inputs[k], tasks[i].outputs[k]});
    LearnOptions options;
    options.time_budget = absl::Seconds(30);
    absl::StatusOr<LearnResult> r = Learn(ex, {}, options);
    return r.ok() && r->ok() ? r->best().ToString() : std::string("<none>");
  };
  std::vector<std::string> sequential(tasks.size()), parallel(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) sequential[i] = learn(static_cast<int>(i));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < tasks.size(); ++i) {
    threads.emplace_back([&, i] { parallel[i] = learn(static_cast<int>(i)); });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(sequential, parallel);
}

// Sampled RobustFill tasks of 1-4 expressions: a consistent program for
// nearly all of them.
TEST(RecoveryTest, SampledTasksGetConsistentPrograms) {
  dsl::SamplerOptions options = dsl::SamplerOptions::RobustFill();
  options.max_expressions = 4;
  dsl::Sampler sampler(options, 2017);
  int solved = 0;
  const int n = 40;
  for (int i = 0; i < n; ++i) {
    dsl::SampledTask t = sampler.Next();
    std::vector<Example> ex;
    for (size_t k = 0; k < t.inputs.size(); ++k) ex.push_back({t.inputs[k], t.outputs[k]});
    LearnOptions learn_options;
    learn_options.time_budget = absl::Seconds(2);
    absl::StatusOr<LearnResult> r = Learn(ex, {}, learn_options);
    ASSERT_TRUE(r.ok());
    if (r->ok()) {
      ++solved;
      ExpectConsistent(*r, ex);
    }
  }
  EXPECT_GE(solved, n * 9 / 10);
  std::cout << "consistent programs for " << solved << " of " << n << " sampled tasks\n";
}

}  // namespace
}  // namespace flashsynth::synth
