#include "synth/ranker.h"

#include <cmath>
#include <cstdlib>

namespace flashsynth::synth {

using dsl::Arg;
using dsl::Expr;
using dsl::Op;

double Ranker::ScoreProgram(const dsl::Program& program) const {
  double score = 0;
  for (const dsl::Branch& branch : program.branches()) {
    for (const Expr& e : branch.body) score += ScoreExpr(e);
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
