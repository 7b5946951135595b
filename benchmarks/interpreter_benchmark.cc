// Interpreter throughput: program evaluations per second.
//
//   build/bin/interpreter_benchmark --benchmark_min_time=2
//
// BM_EvaluateSampled: RobustFill-recipe programs (1-10 expressions) on their
// own sampled inputs. BM_EvaluateRealistic: spreadsheet programs on rows of
// names, phone numbers, e-mail addresses and dates.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "dsl/interpreter.h"
#include "dsl/parser.h"
#include "dsl/sampler.h"

namespace flashsynth {
namespace {

constexpr int kSampledTasks = 1000;

void BM_EvaluateSampled(benchmark::State& state) {
  dsl::Sampler sampler(state.range(0) ? dsl::SamplerOptions::Extended()
                                      : dsl::SamplerOptions::RobustFill(),
                       /*seed=*/1);
  std::vector<dsl::SampledTask> tasks;
  for (int i = 0; i < kSampledTasks; ++i) tasks.push_back(sampler.Next());
  int64_t evaluations = 0;
  for (auto _ : state) {
    for (const dsl::SampledTask& t : tasks) {
      for (const dsl::Row& row : t.inputs) {
        benchmark::DoNotOptimize(dsl::Evaluate(t.program, row));
        ++evaluations;
      }
    }
  }
  state.SetItemsProcessed(evaluations);
}
BENCHMARK(BM_EvaluateSampled)->ArgName("extended")->Arg(0)->Arg(1);

const std::vector<dsl::Row>& RealisticRows() {
  static const auto* rows = new std::vector<dsl::Row>{
      {"Ada Lovelace", "+44 20 7946 0958", "ada.lovelace@analytical.example", "1815-12-10"},
      {"Alan Mathison Turing", "(555) 010-4477", "alan@bletchley.example", "1912-06-23"},
      {"Grace B. Hopper", "555.010.1906", "grace.hopper@navy.example", "1906-12-09"},
      {"Edsger W. Dijkstra", "+31 40 247 9111", "ewd@tue.example", "1930-05-11"},
      {"Katherine Johnson", "757-864-1000", "kjohnson@nasa.example", "1918-08-26"},
      {"José Raúl Capablanca", "+53 7 833 4470", "capablanca@ajedrez.example", "1888-11-19"},
      {"Émilie du Châtelet", "+33 1 44 27 20 00", "emilie@cirey.example", "1706-12-17"},
      {"Srinivasa Ramanujan", "+91 44 2257 0694", "ramanujan@trinity.example", "1887-12-22"},
  };
  return *rows;
}

const std::vector<dsl::Program>& RealisticPrograms() {
  static const auto* programs = [] {
    const char* texts[] = {
        R"(Concat(GetToken(Word, -1), ConstStr(", "), GetToken(AllCaps, 1), ConstStr(".")))",
        R"(Concat(GetAll(Digit, x2)))",
        R"(Concat(GetFrom(x3, "@")))",
        R"(Concat(ToCase(Title, GetUpto(x3, "@")), ConstStr(" <"), GetToken(x3, Word, 1), ConstStr(">")))",
        R"(Concat(SubStr(x4, 9, 10), ConstStr("/"), SubStr(x4, 6, 7), ConstStr("/"), SubStr(x4, 1, 4)))",
        R"(Concat(GetFirst(PropCase, 2, x1), ConstStr(" "), ToCase(AllCaps, GetToken(x3, Alphanum, -1))))",
        R"P(Switch((Match(x2, "(", 1), Concat(GetSpan(x2, ")", 1, End, Number, -1, End))), (True, Concat(GetToken(x2, Number, -1)))))P",
        R"(Concat(Trim(Replace(".", " ", x1)), ConstStr(" - "), RemoveAll(Lower, x1)))",
    };
    auto* v = new std::vector<dsl::Program>;
    for (const char* t : texts) {
      absl::StatusOr<dsl::Program> p = dsl::Parse(t);
      if (!p.ok()) {
        std::fprintf(stderr, "bad benchmark program %s: %s\n", t, p.status().ToString().c_str());
        std::abort();
      }
      v->push_back(*p);
    }
    return v;
  }();
  return *programs;
}

void BM_EvaluateRealistic(benchmark::State& state) {
  int64_t evaluations = 0;
  for (auto _ : state) {
    for (const dsl::Program& p : RealisticPrograms()) {
      for (const dsl::Row& row : RealisticRows()) {
        benchmark::DoNotOptimize(dsl::Evaluate(p, row));
        ++evaluations;
      }
    }
  }
  state.SetItemsProcessed(evaluations);
}
BENCHMARK(BM_EvaluateRealistic);

}  // namespace
}  // namespace flashsynth

BENCHMARK_MAIN();
