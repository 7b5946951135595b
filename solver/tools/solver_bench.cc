// solver_bench: how fast and how often the solver's entry points succeed on
// sampled tasks (not run by ctest).
//
//   solver_bench [--count N] [--seed S] [--parts encode,fill,separate]
//                [--fill-timeout SECONDS] [--separate-timeout SECONDS]
//                [--blank position,string,...] [--sampler both|core|extended]
//                [--json FILE] [--verbose]
//
// Three parts, each on --count sampled items, tasks alternating between the
// RobustFill sampler and the extended one (columns, Switch, Title,
// multi-character constants, non-ASCII letters) unless --sampler says:
//   encode    EvaluateWithZ3 on a sampled program and one of its inputs;
//             the time per encode-and-check, and agreement with the
//             interpreter.
//   fill      a program of 1-3 expressions with 4 examples; the arguments of
//             the --blank kinds become holes (BlankArguments); FillHoles
//             must find a completion that the interpreter checks on the 4
//             examples. Unsat would be a bug: the program itself completes
//             the sketch.
//   separate  a program with 3 examples and 8 held-out rows from the same
//             sampled task (same token kinds, shuffled); a second program
//             made by changing 1-2 of its arguments until it gives the same
//             outputs on the 3 examples and a different one on some held-out
//             row (interpreter only, so non-equivalence is known); Distinguish
//             must return a separating row.
// Prints a Markdown table (and --json FILE) with wall-clock times per call
// and the process's CPU time per call (which leaves out other processes on
// a shared machine; a Distinguish call cut off at its deadline leaves its Z3
// worker running, and that CPU time lands on later calls). Exit status: 0
// when the figures are out, 1 when --json cannot be written, 2 for bad usage
// (an unknown flag, a value that is not a number or out of its range).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "dsl/sampler.h"
#include "io/command_line.h"
#include "io/files.h"
#include "io/progress.h"
#include "nlohmann/json.hpp"
#include "solver/distinguish.h"
#include "solver/encode.h"
#include "solver/sketch.h"

namespace flashsynth::solver {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr int kFillExamples = 4;
constexpr int kSeparateExamples = 3;
constexpr int kHeldOutRows = 8;
constexpr int kPartnerTries = 300;  // argument changes tried per program

struct Flags {
  int count = 200;
  uint64_t seed = 1;
  std::string parts = "encode,fill,separate";
  double fill_timeout = 1;
  double separate_timeout = 10;
  std::string blank = "position,string";
  std::string sampler = "both";
  std::string json_file;
  bool verbose = false;
};

// CPU time of this process, in ms, all threads (Distinguish's Z3 worker
// included): the solver's own work, without the other processes that share
// the machine.
double ProcessCpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

// Wall-clock and CPU times of each call, in ms.
struct Times {
  std::vector<double> wall, cpu;
  int size() const { return static_cast<int>(wall.size()); }
};

// Times one call of `f`.
template <typename F>
auto Timed(Times* times, F f) {
  const Clock::time_point start = Clock::now();
  const double cpu = ProcessCpuMs();
  auto result = f();
  times->cpu.push_back(ProcessCpuMs() - cpu);
  times->wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  return result;
}

// A part's progress line on stderr, "encode: 25/200" (io/progress.h:
// redrawn on a terminal, else a line every 25 items and at the end), and
// its failures above it.
class PartProgress {
 public:
  PartProgress(const char* part, int count)
      : part_(part), count_(count), line_(std::cerr, static_cast<size_t>(count), Options()) {}
  ~PartProgress() { line_.Finish(); }
  void Update(int done) {
    line_.Update(static_cast<size_t>(done), absl::StrCat(part_, ": ", done, "/", count_));
  }
  void Print(const std::string& text) { line_.Print(text); }

 private:
  static io::ProgressOptions Options() {
    io::ProgressOptions o;
    o.terminal = io::StderrIsTerminal();
    o.every_items = 25;
    return o;
  }
  const char* part_;
  int count_;
  io::ProgressLine line_;
};

// Mean, median, 90th percentile and maximum of call times (nearest rank),
// and every time in call order.
Json Stats(std::vector<double> ms) {
  if (ms.empty()) return Json{{"n", 0}};
  const std::vector<double> in_order = ms;
  std::sort(ms.begin(), ms.end());
  double total = 0;
  for (double x : ms) total += x;
  auto rank = [&](double q) { return ms[static_cast<size_t>(q * static_cast<double>(ms.size() - 1) + 0.5)]; };
  return Json{{"n", ms.size()},
              {"mean_ms", total / static_cast<double>(ms.size())},
              {"median_ms", rank(0.5)},
              {"p90_ms", rank(0.9)},
              {"max_ms", ms.back()},
              {"each_ms", in_order}};
}

Json Summary(const Times& t) {
  Json wall = Stats(t.wall);
  wall["cpu"] = Stats(t.cpu);
  return wall;
}

std::string Show(const dsl::Row& row) {
  std::vector<std::string> cells;
  for (const std::string& c : row) cells.push_back(dsl::QuoteString(c));
  return absl::StrCat("[", absl::StrJoin(cells, ", "), "]");
}

// Alternates between the core and the extended sampler (or uses one).
class Tasks {
 public:
  Tasks(const Flags& flags, dsl::SamplerOptions base, uint64_t seed)
      : which_(flags.sampler),
        core_(Tweak(dsl::SamplerOptions::RobustFill(), base), seed),
        extended_(Tweak(dsl::SamplerOptions::Extended(), base), seed + 1) {}

  dsl::SampledTask Next() {
    const bool core = which_ == "core" || (which_ == "both" && (n_++ % 2 == 0));
    return (core ? core_ : extended_).Next();
  }

 private:
  // The extensions of `options` with the sizes of `base`.
  static dsl::SamplerOptions Tweak(dsl::SamplerOptions options, const dsl::SamplerOptions& base) {
    options.num_examples = base.num_examples;
    options.min_expressions = base.min_expressions;
    options.max_expressions = base.max_expressions;
    return options;
  }
  std::string which_;
  int n_ = 0;
  dsl::Sampler core_;
  dsl::Sampler extended_;
};

// ---------------------------------------------------------------- encode

Json BenchEncode(const Flags& flags) {
  Tasks tasks(flags, dsl::SamplerOptions(), flags.seed);
  SolverOptions options;
  options.timeout = absl::Seconds(60);
  int agree = 0, disagree = 0, errors = 0;
  Times ms;
  PartProgress progress("encode", flags.count);
  for (int i = 0; i < flags.count; ++i) {
    const dsl::SampledTask t = tasks.Next();
    const dsl::Row& row = t.inputs[static_cast<size_t>(i) % t.inputs.size()];
    absl::StatusOr<std::optional<std::string>> out =
        Timed(&ms, [&] { return EvaluateWithZ3(t.program, row, options); });
    progress.Update(i + 1);
    if (!out.ok()) {
      ++errors;
      progress.Print(absl::StrCat("encode: ", out.status().ToString(), "\n  ", t.program.ToString()));
    } else if (*out != dsl::Evaluate(t.program, row)) {
      ++disagree;
      progress.Print(absl::StrCat("encode: disagrees ", t.program.ToString(), " on ", Show(row)));
    } else {
      ++agree;
    }
  }
  return Json{{"pairs", flags.count}, {"agree", agree}, {"disagree", disagree}, {"errors", errors},
              {"time", Summary(ms)}};
}

// ------------------------------------------------------------------ fill

std::set<dsl::ArgKind> ParseKinds(const std::string& text) {
  static const std::map<std::string, dsl::ArgKind> kNames = {
      {"position", dsl::ArgKind::kPosition}, {"index", dsl::ArgKind::kIndex},
      {"type", dsl::ArgKind::kType},         {"regex", dsl::ArgKind::kRegex},
      {"case", dsl::ArgKind::kCase},         {"boundary", dsl::ArgKind::kBoundary},
      {"delimiter", dsl::ArgKind::kDelimiter}, {"string", dsl::ArgKind::kString}};
  std::set<dsl::ArgKind> kinds;
  for (absl::string_view name : absl::StrSplit(text, ',')) {
    auto it = kNames.find(std::string(name));
    if (it != kNames.end()) kinds.insert(it->second);
  }
  return kinds;
}

Json BenchFill(const Flags& flags) {
  dsl::SamplerOptions sizes;
  sizes.num_examples = kFillExamples;
  sizes.max_expressions = 3;
  Tasks tasks(flags, sizes, flags.seed + 10);
  const std::set<dsl::ArgKind> kinds = ParseKinds(flags.blank);
  SolverOptions options;
  options.timeout = absl::Milliseconds(static_cast<int64_t>(flags.fill_timeout * 1000));
  int recovered = 0, unsat = 0, timed_out = 0, errors = 0, without_holes = 0, holes = 0;
  Times ms;
  PartProgress progress("fill", flags.count);
  while (ms.size() < flags.count) {
    const dsl::SampledTask t = tasks.Next();
    const Sketch sketch = BlankArguments(t.program, kinds);
    if (sketch.holes.empty()) {
      ++without_holes;  // nothing to fill: not counted
      continue;
    }
    holes += static_cast<int>(sketch.holes.size());
    absl::StatusOr<std::optional<dsl::Program>> filled =
        Timed(&ms, [&] { return FillHoles(sketch, t.inputs, t.outputs, options); });
    progress.Update(ms.size());
    bool valid = filled.ok() && filled->has_value();
    for (size_t r = 0; valid && r < t.inputs.size(); ++r) valid = dsl::Evaluate(**filled, t.inputs[r]) == t.outputs[r];
    if (valid) {
      ++recovered;
      continue;
    }
    if (filled.ok() && !filled->has_value()) {
      ++unsat;
    } else if (filled.status().code() == absl::StatusCode::kDeadlineExceeded) {
      ++timed_out;
    } else {
      ++errors;
    }
    // Every failure.
    progress.Print(absl::StrCat("fill: ", filled.ok() ? "no completion" : filled.status().ToString(), "\n  ",
                                t.program.ToString(), "\n  ",
                                Json{{"inputs", t.inputs}, {"outputs", t.outputs}}.dump()));
  }
  const int n = ms.size();
  return Json{{"sketches", n}, {"blank", flags.blank}, {"mean_holes", static_cast<double>(holes) / n},
              {"timeout_s", flags.fill_timeout}, {"recovered", recovered},
              {"recovered_share", static_cast<double>(recovered) / n}, {"timed_out", timed_out},
              {"unsat", unsat}, {"errors", errors}, {"skipped_without_holes", without_holes},
              {"time", Summary(ms)}};
}

// -------------------------------------------------------------- separate

// The argument at `at` (which names an existing argument).
const dsl::Arg& ArgAt(const dsl::Program& p, const ArgPath& at) {
  const dsl::Expr* e = &p.branches()[static_cast<size_t>(at.branch)].body[static_cast<size_t>(at.expr)];
  for (int d = 0; d < at.depth; ++d) e = e->inner();
  return e->arg(static_cast<size_t>(at.slot));
}

class ArgMutator {
 public:
  explicit ArgMutator(uint64_t seed) : rng_(seed) {}

  int Uniform(int lo, int hi) { return lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1)); }

  // A value of `kind`, drawn near the values sampled programs use.
  dsl::Arg Random(dsl::ArgKind kind) {
    static const std::string kLetters = "abcXYZ019";
    switch (kind) {
      case dsl::ArgKind::kPosition: return dsl::Arg::Position(Uniform(-20, 20));
      case dsl::ArgKind::kIndex: {
        const int i = Uniform(1, dsl::kMaxIndex);
        return dsl::Arg::Index(Uniform(0, 1) ? i : -i);
      }
      case dsl::ArgKind::kType: return dsl::Arg::OfType(static_cast<dsl::TokenType>(Uniform(0, dsl::kNumTokenTypes - 1)));
      case dsl::ArgKind::kRegex: {
        const int k = Uniform(0, dsl::kNumTokenTypes + static_cast<int>(dsl::kDelimiters.size()) - 1);
        return dsl::Arg::OfRegex(k < dsl::kNumTokenTypes
                                     ? dsl::Regex::Of(static_cast<dsl::TokenType>(k))
                                     : dsl::Regex::Delimiter(dsl::kDelimiters[static_cast<size_t>(k - dsl::kNumTokenTypes)]));
      }
      case dsl::ArgKind::kCase: return dsl::Arg::OfCase(static_cast<dsl::Case>(Uniform(0, dsl::kNumCases - 1)));
      case dsl::ArgKind::kBoundary: return dsl::Arg::OfBoundary(static_cast<dsl::Boundary>(Uniform(0, 1)));
      case dsl::ArgKind::kDelimiter:
        return dsl::Arg::Delimiter(dsl::kDelimiters[static_cast<size_t>(Uniform(0, static_cast<int>(dsl::kDelimiters.size()) - 1))]);
      case dsl::ArgKind::kString: {
        const std::string pool = kLetters + std::string(dsl::kDelimiters);
        return dsl::Arg::String(std::string(1, pool[static_cast<size_t>(Uniform(0, static_cast<int>(pool.size()) - 1))]));
      }
    }
    return dsl::Arg::Position(0);
  }

  // `p` with 1 or 2 of its arguments changed.
  dsl::Program Mutate(const dsl::Program& p, const std::vector<ArgPath>& paths) {
    std::map<ArgPath, dsl::Arg> changes;
    const int n = Uniform(0, 2) == 0 ? 2 : 1;
    for (int k = 0; k < n; ++k) {
      const ArgPath& at = paths[static_cast<size_t>(Uniform(0, static_cast<int>(paths.size()) - 1))];
      changes.insert_or_assign(at, Random(ArgAt(p, at).kind()));
    }
    return WithArguments(p, changes);
  }

 private:
  std::mt19937_64 rng_;
};

// A program that gives t's outputs on its first kSeparateExamples rows and
// differs from t.program on a held-out row; nullopt if none turns up.
std::optional<dsl::Program> FindPartner(const dsl::SampledTask& t, ArgMutator* m) {
  static const std::set<dsl::ArgKind> kAll = {
      dsl::ArgKind::kPosition, dsl::ArgKind::kIndex, dsl::ArgKind::kType, dsl::ArgKind::kRegex,
      dsl::ArgKind::kCase, dsl::ArgKind::kBoundary, dsl::ArgKind::kDelimiter, dsl::ArgKind::kString};
  const std::vector<ArgPath> paths = BlankArguments(t.program, kAll).holes;
  if (paths.empty()) return std::nullopt;
  for (int tries = 0; tries < kPartnerTries; ++tries) {
    const dsl::Program b = m->Mutate(t.program, paths);
    if (b == t.program || !dsl::Validate(b).ok()) continue;
    bool agrees = true;
    for (size_t r = 0; agrees && r < kSeparateExamples; ++r) agrees = dsl::Evaluate(b, t.inputs[r]) == t.outputs[r];
    if (!agrees) continue;
    for (size_t r = kSeparateExamples; r < t.inputs.size(); ++r) {
      if (dsl::Evaluate(b, t.inputs[r]) != t.outputs[r]) return b;
    }
  }
  return std::nullopt;
}

const char* FoundByName(FoundBy f) {
  switch (f) {
    case FoundBy::kNone: return "none";
    case FoundBy::kExample: return "example";
    case FoundBy::kMutation: return "mutation";
    case FoundBy::kShape: return "shape";
    case FoundBy::kAnyRow: return "any_row";
  }
  return "?";
}

Json BenchSeparate(const Flags& flags) {
  dsl::SamplerOptions sizes;
  sizes.num_examples = kSeparateExamples + kHeldOutRows;
  sizes.max_expressions = 3;
  Tasks tasks(flags, sizes, flags.seed + 20);
  ArgMutator mutator(flags.seed);
  SolverOptions options;
  options.timeout = absl::Milliseconds(static_cast<int64_t>(flags.separate_timeout * 1000));
  int separated = 0, equivalent = 0, timed_out = 0, errors = 0, without_partner = 0;
  std::map<std::string, int> found_by;
  Times ms;
  PartProgress progress("separate", flags.count);
  while (ms.size() < flags.count) {
    const dsl::SampledTask t = tasks.Next();
    const std::optional<dsl::Program> b = FindPartner(t, &mutator);
    if (!b) {
      ++without_partner;
      continue;
    }
    const std::vector<dsl::Row> examples(t.inputs.begin(), t.inputs.begin() + kSeparateExamples);
    absl::StatusOr<Distinction> d = Timed(&ms, [&] { return Distinguish(t.program, *b, examples, options); });
    progress.Update(ms.size());
    const bool ok = d.ok() && d->verdict == Verdict::kDistinguished &&
                    dsl::Evaluate(t.program, d->input) != dsl::Evaluate(*b, d->input);
    if (ok) {
      ++separated;
      ++found_by[FoundByName(d->found_by)];
    } else if (d.ok()) {
      ++equivalent;
    } else if (d.status().code() == absl::StatusCode::kDeadlineExceeded) {
      ++timed_out;
    } else {
      ++errors;
    }
    if (!ok || flags.verbose) {
      std::string text = absl::StrCat(
          "separate: ", d.ok() ? (ok ? FoundByName(d->found_by) : "equivalent?") : d.status().ToString(),
          absl::StrFormat(" (%.0f ms)", ms.wall.back()), "\n  ", t.program.ToString(), "\n  ",
          b->ToString(), "\n  examples");
      for (const dsl::Row& row : examples) absl::StrAppend(&text, " ", Show(row));
      progress.Print(text);
    }
  }
  const int n = ms.size();
  return Json{{"pairs", n}, {"timeout_s", flags.separate_timeout}, {"separated", separated},
              {"separated_share", static_cast<double>(separated) / n}, {"found_by", found_by},
              {"claimed_equivalent", equivalent}, {"timed_out", timed_out}, {"errors", errors},
              {"programs_without_partner", without_partner}, {"time", Summary(ms)}};
}

// ---------------------------------------------------------------- report

std::string Row(const std::string& what, const Json& r, const std::string& result) {
  const Json& t = r["time"];
  if (t["n"] == 0) return absl::StrCat("| ", what, " | 0 | ", result, " | | | | |\n");
  return absl::StrFormat("| %s | %d | %s | %.1f | %.1f | %.1f | %.1f |\n", what, t["n"].get<int>(), result,
                         t["mean_ms"].get<double>(), t["median_ms"].get<double>(), t["p90_ms"].get<double>(),
                         t["cpu"]["median_ms"].get<double>());
}

std::string Markdown(const Json& report, const Flags& flags) {
  std::string md = absl::StrCat("solver_bench: seed ", flags.seed, ", sampler ", flags.sampler, "\n\n",
                                "| part | n | result | mean ms | median ms | p90 ms | median CPU ms |\n"
                                "|---|---|---|---|---|---|---|\n");
  if (report.contains("encode")) {
    const Json& r = report["encode"];
    md += Row("encode-and-check", r,
              absl::StrCat(r["agree"].get<int>(), " agree, ", r["disagree"].get<int>(), " disagree, ",
                           r["errors"].get<int>(), " errors"));
  }
  if (report.contains("fill")) {
    const Json& r = report["fill"];
    md += Row(absl::StrCat("hole filling (", flags.blank, "; ", flags.fill_timeout, " s)"), r,
              absl::StrFormat("%.1f%% recovered; %d timed out, %d unsat, %d errors",
                              100 * r["recovered_share"].get<double>(), r["timed_out"].get<int>(),
                              r["unsat"].get<int>(), r["errors"].get<int>()));
  }
  if (report.contains("separate")) {
    const Json& r = report["separate"];
    std::vector<std::string> by;
    for (const auto& [k, v] : r["found_by"].items()) by.push_back(absl::StrCat(k, " ", v.get<int>()));
    md += Row(absl::StrCat("separation (", flags.separate_timeout, " s)"), r,
              absl::StrFormat("%.1f%% separated (%s); %d claimed equivalent, %d timed out, %d errors",
                              100 * r["separated_share"].get<double>(), absl::StrJoin(by, ", "),
                              r["claimed_equivalent"].get<int>(), r["timed_out"].get<int>(),
                              r["errors"].get<int>()));
  }
  return md;
}

int Run(const Flags& flags) {
  Json report;
  report["seed"] = flags.seed;
  report["count"] = flags.count;
  if (flags.parts.find("encode") != std::string::npos) report["encode"] = BenchEncode(flags);
  if (flags.parts.find("fill") != std::string::npos) report["fill"] = BenchFill(flags);
  if (flags.parts.find("separate") != std::string::npos) report["separate"] = BenchSeparate(flags);
  std::cout << Markdown(report, flags);
  if (!flags.json_file.empty()) {
    const absl::Status written = io::WriteFileAtomically(flags.json_file, report.dump(2) + "\n");
    if (!written.ok()) {
      std::cerr << "solver_bench: " << written.message() << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace flashsynth::solver

int main(int argc, char** argv) {
  flashsynth::solver::Flags flags;
  CLI::App app{"solver_bench: encode-and-check time, hole filling and separation on sampled tasks"};
  app.add_option("--count", flags.count, "items per part")->capture_default_str()->check(CLI::Range(1, 1000000));
  app.add_option("--seed", flags.seed, "sampler seed")
      ->capture_default_str()
      ->check(flashsynth::io::WholeNumber());
  app.add_option("--parts", flags.parts, "comma-separated: encode, fill, separate")->capture_default_str();
  app.add_option("--fill-timeout", flags.fill_timeout, "FillHoles budget, seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 3600.0));
  app.add_option("--separate-timeout", flags.separate_timeout, "Distinguish budget, seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 3600.0));
  app.add_option("--blank", flags.blank,
                 "argument kinds made holes: position, index, type, regex, case, boundary, delimiter, string")
      ->capture_default_str();
  app.add_option("--sampler", flags.sampler, "which task sampler")
      ->capture_default_str()
      ->check(CLI::IsMember({"both", "core", "extended"}));
  app.add_option("--json", flags.json_file, "also write the figures as JSON here");
  app.add_flag("--verbose", flags.verbose, "print every failure and every separation");
  if (std::optional<int> exit = flashsynth::io::ParseCommandLine(app, argc, argv)) return *exit;
  return flashsynth::solver::Run(flags);
}
