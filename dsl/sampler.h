// dsl/sampler.h: random programs and inputs, RobustFill's recipe.
//
// Follows ExeDec's sample_random.py (../shared/reference/
// robustfill_dsl_reference.md, section 3): inputs are shuffled tokens of
// random types and delimiters; a program's expressions are drawn from the
// pool [substring, modification, compose, ConstStr], uniformly at each level,
// with arguments restricted to what every input contains, and rejected while
// an expression's output is empty on some example. Extensions (options below)
// add columns, multi-character constants, Title case, Switch and non-ASCII
// letters. Seeded and reproducible: the same options and seed give the same
// tasks on every platform (no std:: distributions).
//
// Example:
//   Sampler sampler(SamplerOptions::RobustFill(), /*seed=*/1);
//   SampledTask t = sampler.Next();
//   // Evaluate(t.program, t.inputs[i]) == t.outputs[i] for every i
#ifndef FLASHSYNTH_DSL_SAMPLER_H_
#define FLASHSYNTH_DSL_SAMPLER_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dsl/interpreter.h"
#include "dsl/program.h"

namespace flashsynth::dsl {

struct SamplerOptions {
  int num_examples = 4;        // rows per task
  int min_expressions = 1;     // Concat length
  int max_expressions = 10;
  int max_input_tokens = 5;    // ExeDec: 5 (Latent Programmer: 10)
  int max_k = 3;               // repeats of one token kind
  int max_input_length = 20;   // characters per input cell
  // Extensions; all off in RobustFill().
  int max_columns = 1;           // input columns per task: 1..max_columns
  double multi_char_const = 0;   // share of ConstStr with 2+ characters
  bool title_case = false;       // ToCase may pick Title
  double switch_share = 0;       // share of tasks that are a two-case Switch
  double non_ascii_letters = 0;  // share of tasks whose letters include e.g. é, Ü
  // Share of expressions that are number chains: Format(..., Round or Scale
  // or Bin(..., ReadNumber(...))) over a number every row holds.
  double number_share = 0;

  // ExeDec's settings for its test set: the core DSL only.
  static SamplerOptions RobustFill() { return SamplerOptions(); }
  // Every extension on, for training and randomized tests.
  static SamplerOptions Extended();
};

struct SampledTask {
  Program program;
  std::vector<Row> inputs;           // num_examples rows
  std::vector<std::string> outputs;  // Evaluate(program, inputs[i])
};

class Sampler {
 public:
  Sampler(SamplerOptions options, uint64_t seed);

  // A program with its inputs and outputs; never fails (it resamples).
  SampledTask Next();

  // Just inputs: `num_rows` rows of `num_columns` cells.
  std::vector<Row> SampleInputs(int num_rows, int num_columns);

 private:
  SamplerOptions options_;
  std::mt19937_64 rng_;
};

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_SAMPLER_H_
