// solver_check: the differential check of the Z3 encoding against the
// interpreter on sampled (program, input) pairs.
//
//   solver_check [--pairs N] [--seed S] [--jobs J] [--shard I/K]
//                [--cells symbolic|concrete|both] [--timeout SECONDS] [--verbose]
//
// The pairs: tasks alternate between the RobustFill sampler (seed S) and the
// extended one (seed S+1: columns, Switch, Title, multi-character constants,
// non-ASCII letters); each task gives its example rows plus two fresh rows of
// the same columns; the first N pairs are checked (N = 10000, S = 1 by
// default). They are the same for every --jobs and --shard.
//
// Each pair is run by dsl::Evaluate and by EvaluateWithZ3 with symbolic
// cells (variables asserted equal to the text: Z3 computes every value of
// the circuit) and, with `--cells both` (the default), also with concrete
// cells (numerals: the term builder folds the circuit, as FillHoles does).
//
// --timeout is each call's budget (SolverOptions::timeout, 300 s here: the
// largest symbolic circuits, nested SubstituteAll, have 2.5 million terms and
// take about 10 s alone, several times that on a loaded machine).
// --jobs J runs J pairs at a time on threads (one Z3 context per call);
// --shard I/K checks only the pairs whose index is I modulo K, so that K
// processes or machines together check all N. Progress goes to stderr
// (io/progress.h: redrawn on a terminal, else a line every 10 s), with each
// failure as it happens; stdout gets each disagreement
// (program, input, both outputs) and error, then the summary: counts per
// cell encoding, the pairs using each operator, the time. Exit status 0 when
// every pair agrees in every encoding, 1 otherwise, 2 on bad usage (a flag
// it does not know, a value that is not a number or out of its range).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "dsl/sampler.h"
#include "io/command_line.h"
#include "io/parallel.h"
#include "io/progress.h"
#include "solver/encode.h"

namespace {

using namespace flashsynth;
using Clock = std::chrono::steady_clock;

constexpr solver::CellEncoding kEncodings[] = {solver::CellEncoding::kSymbolic,
                                               solver::CellEncoding::kConcrete};
constexpr const char* kEncodingNames[] = {"symbolic", "concrete"};
constexpr double kProgressSeconds = 10;  // between progress lines off a terminal

struct Flags {
  int pairs = 10000;
  uint64_t seed = 1;
  int jobs = 1;
  int timeout_s = 300;  // per EvaluateWithZ3 call
  int shard = 0, shards = 1;
  bool run[2] = {true, true};  // indexed like kEncodings
  bool verbose = false;
};

struct Pair {
  size_t task;  // index into the programs
  dsl::Row row;
};

struct Outcome {
  std::optional<std::string> expected;  // the interpreter's
  absl::StatusOr<std::optional<std::string>> z3[2];
  double ms[2] = {0, 0};
};

// "I/K" with 0 <= I < K into `shard` and `shards`; false when it is not.
bool ParseShard(const std::string& text, int* shard, int* shards) {
  const std::vector<std::string> parts = absl::StrSplit(text, '/');
  int i = 0, k = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &i) || !absl::SimpleAtoi(parts[1], &k) ||
      k < 1 || i < 0 || i >= k) {
    return false;
  }
  *shard = i;
  *shards = k;
  return true;
}

// The flags into `f`; a value out of its range is a usage error.
void AddFlags(CLI::App& app, Flags* f) {
  app.add_option("--pairs", f->pairs, "(program, input) pairs to check")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  app.add_option("--seed", f->seed, "sampler seed (the extended sampler gets S+1)")
      ->capture_default_str()
      ->check(io::WholeNumber());
  app.add_option("--jobs", f->jobs, "pairs checked at a time, on threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app.add_option("--timeout", f->timeout_s, "each EvaluateWithZ3 call's budget, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  app.add_option_function<std::string>(
         "--shard", [f](const std::string& text) { ParseShard(text, &f->shard, &f->shards); },
         "I/K: only the pairs whose index is I modulo K")
      ->type_name("I/K")
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            int i = 0, k = 0;
            return ParseShard(text, &i, &k) ? "" : "I/K with 0 <= I < K, not " + text;
          },
          ""));
  app.add_option_function<std::string>(
         "--cells",
         [f](const std::string& v) {
           f->run[0] = v != "concrete";
           f->run[1] = v != "symbolic";
         },
         "cell encodings to check")
      ->default_str("both")
      ->check(CLI::IsMember({"symbolic", "concrete", "both"}));
  app.add_flag("--verbose", f->verbose, "name each pair on stderr before it runs");
}

// The first `n` pairs of the check (same order as ever: task by task).
void SamplePairs(int n, uint64_t seed, std::vector<dsl::Program>* programs, std::vector<Pair>* pairs) {
  dsl::Sampler core(dsl::SamplerOptions::RobustFill(), seed);
  dsl::Sampler extended(dsl::SamplerOptions::Extended(), seed + 1);
  for (int task = 0; static_cast<int>(pairs->size()) < n; ++task) {
    dsl::Sampler& sampler = task % 2 == 0 ? core : extended;
    const dsl::SampledTask t = sampler.Next();
    std::vector<dsl::Row> rows = t.inputs;
    for (dsl::Row& r : sampler.SampleInputs(2, static_cast<int>(t.inputs[0].size()))) rows.push_back(r);
    programs->push_back(t.program);
    for (dsl::Row& row : rows) {
      if (static_cast<int>(pairs->size()) >= n) break;
      pairs->push_back(Pair{programs->size() - 1, std::move(row)});
    }
  }
}

void AddOps(const dsl::Expr& e, std::set<std::string>* ops) {
  ops->insert(std::string(dsl::GetOpInfo(e.op()).name));
  if (const dsl::Expr* inner = e.inner()) {
    ops->insert("(compose)");
    AddOps(*inner, ops);
  }
}

// The operators and features a pair exercises, each once.
std::set<std::string> Features(const dsl::Program& p, const dsl::Row& row) {
  std::set<std::string> out;
  for (const dsl::Branch& b : p.branches()) {
    for (const dsl::Expr& e : b.body) AddOps(e, &out);
  }
  if (p.is_switch()) out.insert("Switch");
  if (row.size() > 1) out.insert("(columns>1)");
  for (const std::string& cell : row) {
    for (char c : cell) {
      if (static_cast<unsigned char>(c) >= 0x80) out.insert("(non-ASCII)");
    }
  }
  return out;
}

std::string Show(const dsl::Row& row) {
  std::string s;
  for (const std::string& c : row) s += (s.empty() ? "[" : ", ") + dsl::QuoteString(c);
  return s.empty() ? "[]" : s + "]";
}

std::string Show(const std::optional<std::string>& out) {
  return out ? dsl::QuoteString(*out) : "<no output>";
}

void RunPair(const Flags& f, const dsl::Program& program, const Pair& pair, Outcome* out) {
  solver::SolverOptions options;
  options.timeout = absl::Seconds(f.timeout_s);
  out->expected = dsl::Evaluate(program, pair.row);
  for (int m = 0; m < 2; ++m) {
    if (!f.run[m]) continue;
    const Clock::time_point start = Clock::now();
    out->z3[m] = solver::EvaluateWithZ3(program, pair.row, options, kEncodings[m]);
    out->ms[m] = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }
}

bool Agrees(const Outcome& o, int m) { return o.z3[m].ok() && *o.z3[m] == o.expected; }

// Each disagreement or error of pair `index`: encoding, program, input,
// both outputs. Empty when the pair agrees in every encoding run.
std::string Failures(const Flags& f, const dsl::Program& program, const Pair& pair, size_t index,
                     const Outcome& o) {
  std::string out;
  for (int m = 0; m < 2; ++m) {
    if (!f.run[m] || Agrees(o, m)) continue;
    out += std::string(o.z3[m].ok() ? "DISAGREE" : "ERROR") + " (" + kEncodingNames[m] + " cells) pair " +
           std::to_string(index) + "\n  program     " + program.ToString() + "\n  input       " +
           Show(pair.row) + "\n  interpreter " + Show(o.expected) + "\n  z3          " +
           (o.z3[m].ok() ? Show(*o.z3[m]) : o.z3[m].status().ToString()) + "\n";
  }
  return out;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Prints every failed pair, then the summary; returns the exit status.
int Report(const Flags& f, const std::vector<dsl::Program>& programs, const std::vector<Pair>& pairs,
           const std::vector<size_t>& mine, const std::vector<Outcome>& outcomes, double wall_s) {
  int agree[2] = {0, 0}, disagree[2] = {0, 0}, errors[2] = {0, 0}, no_output = 0;
  double total_ms[2] = {0, 0}, max_ms[2] = {0, 0};
  std::map<std::string, int> features;
  for (size_t k = 0; k < mine.size(); ++k) {
    const Pair& pair = pairs[mine[k]];
    const Outcome& o = outcomes[k];
    const dsl::Program& program = programs[pair.task];
    for (const std::string& name : Features(program, pair.row)) ++features[name];
    if (!o.expected) ++no_output;
    for (int m = 0; m < 2; ++m) {
      if (!f.run[m]) continue;
      total_ms[m] += o.ms[m];
      max_ms[m] = std::max(max_ms[m], o.ms[m]);
      if (Agrees(o, m)) {
        ++agree[m];
      } else if (o.z3[m].ok()) {
        ++disagree[m];
      } else {
        ++errors[m];
      }
    }
    std::cout << Failures(f, program, pair, mine[k], o);
  }
  std::cout << "solver_check --pairs " << f.pairs << " --seed " << f.seed << " --shard " << f.shard << "/"
            << f.shards << " --jobs " << f.jobs << " --timeout " << f.timeout_s << ": " << mine.size() << " pairs checked\n";
  for (int m = 0; m < 2; ++m) {
    if (!f.run[m]) continue;
    std::cout << "  " << kEncodingNames[m] << " cells: agree " << agree[m] << ", disagree " << disagree[m]
              << ", errors " << errors[m] << "; per call mean " << total_ms[m] / std::max<size_t>(1, mine.size())
              << " ms, max " << max_ms[m] << " ms\n";
  }
  std::cout << "  pairs without output (interpreter): " << no_output << "\n";
  std::cout << "  time: wall " << wall_s << " s, CPU " << CpuSeconds() << " s, " << f.jobs << " jobs\n";
  std::cout << "  pairs using each operator:";
  std::string missing;
  for (int op = 0; op < dsl::kNumOps; ++op) {
    const std::string name(dsl::GetOpInfo(static_cast<dsl::Op>(op)).name);
    std::cout << " " << name << "=" << features[name];
    if (features[name] == 0) missing += " " + name;
  }
  for (const char* name : {"Switch", "(compose)", "(columns>1)", "(non-ASCII)"}) {
    std::cout << " " << name << "=" << features[name];
  }
  std::cout << "\n  every operator represented: " << (missing.empty() ? "yes" : "NO, missing" + missing) << "\n";
  const bool clean = disagree[0] + disagree[1] + errors[0] + errors[1] == 0;
  std::cout << (clean ? "PASS" : "FAIL") << "\n";
  return clean ? 0 : 1;
}

// The progress line's text after `done` of `total` pairs.
std::string ProgressText(size_t done, size_t total, int failing, double seconds) {
  const double left = done ? seconds * static_cast<double>(total - done) / static_cast<double>(done) : 0;
  return "solver_check: " + std::to_string(done) + "/" + std::to_string(total) + " pairs, " +
         std::to_string(failing) + " failing, " + std::to_string(static_cast<int>(seconds)) +
         " s elapsed, about " + std::to_string(static_cast<int>(left)) + " s left";
}

// Runs the pairs `mine` (indices into `pairs`) on --jobs threads into
// `outcomes`, naming each failure on stderr as it happens.
void CheckPairs(const Flags& f, const std::vector<dsl::Program>& programs, const std::vector<Pair>& pairs,
                const std::vector<size_t>& mine, std::vector<Outcome>* outcomes) {
  io::ProgressOptions shown;
  shown.terminal = io::StderrIsTerminal();
  shown.every_seconds = kProgressSeconds;
  io::ProgressLine progress(std::cerr, mine.size(), shown);
  int failing = 0;  // guarded by the pool's lock (Commit, on_tick)
  io::ParallelForOptions options;
  options.jobs = f.jobs;
  options.on_tick = [&](io::ParallelTick& tick) {
    progress.Update(tick.done(), ProgressText(tick.done(), mine.size(), failing, progress.seconds()));
  };
  io::ParallelFor(mine.size(), options, [&](const io::WorkItem& item) {
    const Pair& pair = pairs[mine[item.index]];
    const dsl::Program& program = programs[pair.task];
    if (f.verbose) {
      progress.Print("pair " + std::to_string(mine[item.index]) + ": " + program.ToString() + " " +
                     Show(pair.row));
    }
    Outcome& o = (*outcomes)[item.index];
    RunPair(f, program, pair, &o);
    std::string failures = Failures(f, program, pair, mine[item.index], o);
    if (failures.empty()) return;
    failures.pop_back();  // the last newline: Print adds one
    item.Commit([&] {
      ++failing;
      progress.Print(failures);
    });
  });
  progress.Finish();
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  CLI::App app{"solver_check: the Z3 encoding against the interpreter on sampled (program, input) pairs"};
  AddFlags(app, &f);
  if (std::optional<int> exit = io::ParseCommandLine(app, argc, argv)) return *exit;
  const Clock::time_point start = Clock::now();
  std::vector<dsl::Program> programs;
  std::vector<Pair> pairs;
  SamplePairs(f.pairs, f.seed, &programs, &pairs);
  std::vector<size_t> mine;  // indices of this shard's pairs
  for (size_t i = static_cast<size_t>(f.shard); i < pairs.size(); i += static_cast<size_t>(f.shards)) {
    mine.push_back(i);
  }
  std::vector<Outcome> outcomes(mine.size());
  CheckPairs(f, programs, pairs, mine, &outcomes);
  return Report(f, programs, pairs, mine, outcomes, Seconds(start));
}
