// White test of solver/internal/: the circuits release every term they
// build, so deleting their Z3 context is quick.
#include <z3++.h>

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "dsl/parser.h"
#include "solver/internal/encoder.h"
#include "solver/internal/strings.h"

namespace flashsynth::solver::internal {
namespace {

// Issue 4: z3++ 4.8.12's move assignment of a z3::expr leaks the old term
// (see Assign()); Z3_del_context then sweeps the term table once per layer
// of leaked terms. For this circuit (24 symbolic characters through
// SubstituteAll, about 10^5 terms) that took seconds; without leaks the
// deletion takes milliseconds.
TEST(EncoderWhiteTest, ReleasesEveryTermSoTheContextIsDeletedQuickly) {
  const absl::StatusOr<dsl::Program> p = dsl::Parse(
      R"(Concat(ToCase(AllCaps, GetUpto(Char)), RemoveAll(Word), SubstituteAll(AllCaps, "@example.com"), )"
      R"(SubstituteAll(Char, "!"), GetFirst(Word, 2), Trim()))");
  ASSERT_TRUE(p.ok()) << p.status();
  const absl::StatusOr<Alphabet> alphabet = Alphabet::Make(ProgramTexts(*p));
  ASSERT_TRUE(alphabet.ok()) << alphabet.status();
  const Deadline deadline(absl::Minutes(5));
  auto ctx = std::make_unique<z3::context>();
  {
    Builder b(*ctx, *alphabet, &deadline);
    SymStr cell{ctx->int_const("x1_len"), {}};
    for (int i = 0; i < 24; ++i) cell.ch.push_back(ctx->int_const(("x1_" + std::to_string(i)).c_str()));
    ProgramEncoder encoder(&b, nullptr, &deadline);
    const Encoded enc = encoder.Encode(*p, {cell});
    EXPECT_GT(enc.out.cap(), 24);
  }
  const auto start = std::chrono::steady_clock::now();
  ctx.reset();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 1.0) << "terms leaked: a z3::expr was move-assigned (use Assign())";
}

}  // namespace
}  // namespace flashsynth::solver::internal
