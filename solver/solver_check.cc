// solver_check: the differential check of the Z3 encoding against the
// interpreter on sampled (program, input) pairs.
//
//   solver_check [--pairs N] [--seed S] [--verbose]
//
// Tasks alternate between the RobustFill sampler and the extended one
// (columns, Switch, Title, multi-character constants, non-ASCII letters);
// each task gives its example rows plus two fresh rows of the same columns.
// Prints the pairs checked, disagreements (each with program and row),
// errors, per-operator counts and the time per encode-and-check. Exit
// status 0 when every pair agrees.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>

#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "dsl/sampler.h"
#include "solver/encode.h"

namespace {

using namespace flashsynth;

void CountOps(const dsl::Expr& e, std::map<std::string, int>* ops) {
  ++(*ops)[std::string(dsl::GetOpInfo(e.op()).name)];
  if (const dsl::Expr* inner = e.inner()) CountOps(*inner, ops);
}

std::string Show(const dsl::Row& row) {
  std::string s = "[";
  for (const std::string& c : row) s += dsl::QuoteString(c) + " ";
  return s + "]";
}

}  // namespace

int main(int argc, char** argv) {
  int pairs = 10000;
  uint64_t seed = 1;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--pairs") && i + 1 < argc) pairs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--verbose")) verbose = true;
    else {
      std::cerr << "usage: solver_check [--pairs N] [--seed S] [--verbose]\n";
      return 2;
    }
  }
  dsl::Sampler core(dsl::SamplerOptions::RobustFill(), seed);
  dsl::Sampler extended(dsl::SamplerOptions::Extended(), seed + 1);
  solver::SolverOptions options;
  options.timeout = absl::Seconds(60);
  int checked = 0, disagree = 0, errors = 0, no_output = 0;
  std::map<std::string, int> ops;
  double total_ms = 0, max_ms = 0;
  for (int task = 0; checked < pairs; ++task) {
    dsl::Sampler& sampler = task % 2 == 0 ? core : extended;
    const dsl::SampledTask t = sampler.Next();
    std::vector<dsl::Row> rows = t.inputs;
    for (dsl::Row& r : sampler.SampleInputs(2, static_cast<int>(t.inputs[0].size()))) rows.push_back(r);
    for (const dsl::Branch& b : t.program.branches()) {
      for (const dsl::Expr& e : b.body) CountOps(e, &ops);
    }
    if (t.program.is_switch()) ++ops["Switch"];
    for (const dsl::Row& row : rows) {
      if (checked >= pairs) break;
      ++checked;
      if (verbose) std::cerr << t.program.ToString() << " " << Show(row) << "\n";
      const auto start = std::chrono::steady_clock::now();
      const auto z3_out = solver::EvaluateWithZ3(t.program, row, options);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      total_ms += ms;
      if (checked % 250 == 0) {
        std::cout << "progress " << checked << " pairs, " << disagree << " disagree, " << errors
                  << " errors, mean " << total_ms / checked << " ms" << std::endl;
      }
      max_ms = std::max(max_ms, ms);
      const std::optional<std::string> expected = dsl::Evaluate(t.program, row);
      if (!expected) ++no_output;
      if (!z3_out.ok()) {
        ++errors;
        std::cout << "ERROR " << z3_out.status() << "\n  " << t.program.ToString() << "\n  " << Show(row) << "\n";
        continue;
      }
      if (*z3_out != expected) {
        ++disagree;
        std::cout << "DISAGREE " << t.program.ToString() << "\n  input " << Show(row)
                  << "\n  interpreter " << (expected ? dsl::QuoteString(*expected) : "<none>")
                  << "\n  z3          " << (*z3_out ? dsl::QuoteString(**z3_out) : "<none>") << "\n";
      }
      
    }
  }
  std::cout << "pairs " << checked << ", agree " << checked - disagree - errors << ", disagree "
            << disagree << ", errors " << errors << " (no-output pairs " << no_output << ")\n";
  std::cout << "time per encode-and-check: mean " << total_ms / checked << " ms, max " << max_ms
            << " ms\noperators (programs using each):";
  for (const auto& [name, n] : ops) std::cout << " " << name << "=" << n;
  std::cout << "\n";
  return disagree == 0 && errors == 0 ? 0 : 1;
}
