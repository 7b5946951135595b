#include "synth/ranker.h"

#include <cmath>
#include <cstdlib>

namespace flashsynth::synth {

using dsl::Arg;
using dsl::Expr;
using dsl::Op;

namespace {

// The number expression below a Format, and the read below any steps.
const Expr* NumberBelow(const Expr& e) { return e.op() == Op::kFormat ? e.inner() : nullptr; }
const Expr* ReadBelow(const Expr* e) {
  while (e != nullptr && e->op() != Op::kReadNumber) e = e->inner();
  return e;
}

// A Concat that shows one value rounded twice to the same step ("20-30"
// from 25 as Floor and Ceiling to 10) writes the two edges of a bin: Bin's
// Low and High (or HighInclusive) with one offset, which differ from
// rounding on the bin's edges (20 gives "20-30", not "20-20"). Each Round
// in such a group, and each Bin with another offset than the first Bin's,
// is charged kRangeCharge.
constexpr double kRangeCharge = 1.5;

double RangeCharge(const std::vector<Expr>& body) {
  std::vector<const Expr*> steps;  // Round and Bin below the Formats
  for (const Expr& e : body) {
    const Expr* n = NumberBelow(e);
    if (n != nullptr && (n->op() == Op::kRound || n->op() == Op::kBin) && n->inner() != nullptr &&
        ReadBelow(n) != nullptr) {
      steps.push_back(n);
    }
  }
  double charge = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Expr* first_bin = nullptr;
    bool grouped = false;
    for (size_t j = 0; j < steps.size(); ++j) {
      const bool same = *steps[j]->inner() == *steps[i]->inner() && steps[j]->arg(1) == steps[i]->arg(1);
      if (!same) continue;
      if (j != i) grouped = true;
      if (first_bin == nullptr && steps[j]->op() == Op::kBin) first_bin = steps[j];
    }
    if (!grouped) continue;
    const Expr& n = *steps[i];
    if (n.op() == Op::kRound || (first_bin != nullptr && !(n.arg(2) == first_bin->arg(2)))) {
      charge += kRangeCharge;
    }
  }
  return charge;
}

}  // namespace

double Ranker::ScoreProgram(const dsl::Program& program) const {
  double score = 0;
  for (const dsl::Branch& branch : program.branches()) {
    for (const Expr& e : branch.body) score += ScoreExpr(e);
    score -= RangeCharge(branch.body);
  }
  if (program.is_switch()) {
    // Every case must earn its place: a Switch is a last resort.
    for (const dsl::Branch& branch : program.branches()) {
      score -= 1.5 + 0.5 * static_cast<double>(branch.condition.size());
    }
  }
  return score;
}

namespace {

// Token classes that carve text at natural seams cost least.
double TypeCost(dsl::TokenType t) {
  switch (t) {
    case dsl::TokenType::kWord: return 0.0;
    case dsl::TokenType::kNumber: return 0.0;
    case dsl::TokenType::kAlphanum: return 0.15;
    case dsl::TokenType::kPropCase: return 0.25;
    case dsl::TokenType::kAllCaps: return 0.3;
    case dsl::TokenType::kLower: return 0.3;
    case dsl::TokenType::kDigit: return 0.5;
    case dsl::TokenType::kChar: return 0.6;
  }
  return 1.0;
}

double RegexCost(dsl::Regex r) { return r.is_type() ? TypeCost(r.type()) : 0.1; }

// Later matches are less likely to be meant; counting from the end is as
// natural as from the start.
double IndexCost(int index) { return 0.2 * (std::abs(index) - 1); }

// Absolute positions generalize only over fixed-format data.
double PositionCost(int k) {
  if (k == 1 || k == 0 || k == -1) return 0.2;
  return 1.5 + 0.05 * std::abs(k);
}

// Constant text: punctuation and spaces are typical glue; letters and
// digits more often come from the input.
double ConstCost(const std::string& s) {
  double cost = 1.2;
  for (unsigned char c : s) {
    if (c >= 0x80) {
      cost += 0.4;
    } else if (std::isalnum(c)) {
      cost += 5.0;
    } else {
      cost += 0.15;
    }
  }
  return cost;
}

// Steps users round to: powers of ten first, then 5 and 2.5 times them.
double StepCost(const Arg& step) {
  const std::string& t = step.text();
  const size_t first = t.find_first_not_of("0.-");
  if (first == std::string::npos) return 0.5;
  switch (t[first]) {
    case '1': return 0.0;
    case '5': return 0.15;
    case '2': return 0.3;
    default: return 0.5;
  }
}

double RoundingCost(dsl::RoundingMode m) {
  switch (m) {
    case dsl::RoundingMode::kHalfAwayFromZero: return 0.0;
    case dsl::RoundingMode::kFloor: return 0.2;
    case dsl::RoundingMode::kCeiling: return 0.2;
    case dsl::RoundingMode::kTowardZero: return 0.4;
    case dsl::RoundingMode::kAwayFromZero: return 0.4;
    case dsl::RoundingMode::kHalfEven: return 0.5;
  }
  return 1.0;
}

// Plain formats first, then grouping, padding, other marks and signs.
// A value rounded to a step is shown with the step's decimals ("4.0" for
// 4.04 to 0.1), so "0.*" over Round or Bin costs a little more.
double FormatCost(const Expr& e) {
  const std::vector<Arg>& a = e.args();
  const std::string& code = a[0].text();
  const bool as_written = code.find('*') != std::string::npos;
  const bool general = code == "General";
  const bool grouped = code.find(',') != std::string::npos;
  const bool padded = !general && code.find("00") != std::string::npos && code.find('.') != 1;
  // Fixed decimals when the examples all show the same count (a column of
  // prices shows "2.50"), but a whole number as it is ("57" keeps "57.5"
  // on a row that has it): fixed d > 0, General, as written, fixed 0.
  const size_t point = code.find('.');
  const bool fixed_zero = !as_written && !general && point == std::string::npos;
  double cost = 0.4;
  cost += as_written ? 0.12 : general ? 0.1 : fixed_zero ? 0.15 : 0.05;
  if ((as_written || general) && e.inner() != nullptr &&
      (e.inner()->op() == Op::kRound || e.inner()->op() == Op::kBin)) {
    cost += 0.1;
  }
  if (grouped) cost += 0.1;
  if (padded) cost += grouped ? 0.8 : 0.3;  // "0,000" is rare
  if (a[1].marks() != dsl::NumberMarks::kDot) cost += 0.8;
  if (a[2].sign() != dsl::SignStyle::kMinusOnly) cost += 0.3;
  return cost;
}

double ScaleCost(int k) {
  const int m = std::abs(k);
  return 0.5 + (m == 2 || m == 3 ? 0.1 : m == 6 ? 0.3 : 0.4);
}

double ExprCost(const Expr& e) {
  const std::vector<Arg>& a = e.args();
  switch (e.op()) {
    case Op::kConstStr: return ConstCost(a[0].text());
    case Op::kSubStr:
      // SubStr(1, 0) is the whole cell (SubStr(1, -1) loses one-character cells).
      if (a[0].number() == 1 && a[1].number() == 0) return 0.5;
      return 1.6 + PositionCost(a[0].number()) + PositionCost(a[1].number());
    case Op::kGetSpan:
      return 2.5 + RegexCost(a[0].regex()) + IndexCost(a[1].number()) + RegexCost(a[3].regex()) +
             IndexCost(a[4].number());
    case Op::kGetToken: return 1.0 + TypeCost(a[0].type()) + IndexCost(a[1].number());
    case Op::kGetUpto:
    case Op::kGetFrom: return 1.4 + RegexCost(a[0].regex());
    case Op::kToCase: return 0.8;
    case Op::kReplace: return 1.2;
    case Op::kTrim: return 0.8;
    case Op::kGetFirst: return 1.5 + TypeCost(a[0].type()) + IndexCost(a[1].number());
    case Op::kGetAll: return 1.2 + TypeCost(a[0].type());
    case Op::kSubstitute: return 2.0 + TypeCost(a[0].type()) + IndexCost(a[1].number());
    case Op::kSubstituteAll: return 1.6 + TypeCost(a[0].type());
    case Op::kRemove: return 1.8 + TypeCost(a[0].type()) + IndexCost(a[1].number());
    case Op::kRemoveAll: return 1.4 + TypeCost(a[0].type());
    case Op::kReadNumber:
      return 0.6 + IndexCost(a[1].number()) +
             (a[0].mark() == dsl::DecimalMark::kDot ? 0.0 : a[0].mark() == dsl::DecimalMark::kComma ? 0.3 : 0.5);
    case Op::kScale: return ScaleCost(a[0].number());
    case Op::kRound: return 1.0 + RoundingCost(a[0].rounding()) + StepCost(a[1]);
    case Op::kBin:
      return 1.4 + (a[0].bin_edge() == dsl::BinEdge::kLow ? 0.0 : 0.1) + StepCost(a[1]) +
             (a[2].text() == "0" ? 0.0 : 0.3);
    case Op::kFormat: return FormatCost(e);
  }
  return 5.0;
}

constexpr double kPartCost = 1.0;

class DefaultRankerImpl : public Ranker {
 public:
  double ScoreExpr(const Expr& expr) const override {
    // Each part of a Concat costs kPartCost on top of what it holds: fewer,
    // larger parts generalize better than text cobbled from many pieces.
    double cost = kPartCost;
    for (const Expr* e = &expr; e != nullptr; e = e->inner()) cost += ExprCost(*e);
    return -cost;
  }
};

}  // namespace

const Ranker& DefaultRanker() {
  static const DefaultRankerImpl* ranker = new DefaultRankerImpl;
  return *ranker;
}

}  // namespace flashsynth::synth
