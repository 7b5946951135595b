#include "dsl/sampler.h"

#include <algorithm>
#include <array>
#include <optional>

#include "dsl/match.h"
#include "dsl/number_reader.h"
#include "dsl/text.h"

namespace flashsynth::dsl {

SamplerOptions SamplerOptions::Extended() {
  SamplerOptions o;
  o.max_columns = 3;
  o.multi_char_const = 0.3;
  o.title_case = true;
  o.switch_share = 0.15;
  o.non_ascii_letters = 0.1;
  o.number_share = 0.1;
  return o;
}

namespace {

constexpr int kMaxTokenLength = 4;  // ExeDec's MAX_TOKEN_LENGTH
constexpr int kMaxTries = 100;      // resampling attempts per expression
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kDigits = "0123456789";
// Letters beyond ASCII, as UTF-8 code points (one entry per character).
constexpr std::array<std::string_view, 12> kLowerExtra = {
    "é", "è", "ü", "ö", "ä", "ñ", "ç", "ø", "å", "ß", "ł", "ş"};
constexpr std::array<std::string_view, 10> kUpperExtra = {
    "É", "Ü", "Ö", "Ä", "Ñ", "Ç", "Ø", "Å", "Ł", "Ş"};
// Multi-character constants a spreadsheet user writes.
constexpr std::array<std::string_view, 12> kConstants = {
    ", ", " - ", "Dr. ", "@example.com", "(", ") ", "N/A", ": ", " & ", "#", "...", "-"};

// Reproducible everywhere: only mt19937_64's raw output is used.
class Random {
 public:
  explicit Random(std::mt19937_64* rng) : rng_(rng) {}

  // Uniform in [lo, hi], by rejection.
  int Uniform(int lo, int hi) {
    if (hi <= lo) return lo;
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t x;
    do {
      x = (*rng_)();
    } while (x >= limit);
    return lo + static_cast<int>(x % span);
  }
  bool Chance(double p) { return static_cast<double>((*rng_)() >> 11) * 0x1.0p-53 < p; }
  template <typename C>
  auto Pick(const C& items) -> decltype(items[0]) {
    return items[static_cast<size_t>(Uniform(0, static_cast<int>(items.size()) - 1))];
  }
  template <typename T>
  void Shuffle(std::vector<T>* v) {
    for (int i = static_cast<int>(v->size()) - 1; i > 0; --i) {
      std::swap((*v)[static_cast<size_t>(i)], (*v)[static_cast<size_t>(Uniform(0, i))]);
    }
  }

 private:
  std::mt19937_64* rng_;
};

// What every text of a source (a column, or an inner expression's outputs)
// contains: the bounds that arguments must respect.
struct SourceStats {
  int min_length = 0;
  std::vector<std::pair<Regex, int>> regexes;  // regexes with >= 1 match in every text
  std::vector<char> delimiters;                // delimiters present in every text
};

SourceStats Analyze(const std::vector<std::string>& texts) {
  SourceStats stats;
  stats.min_length = INT32_MAX;
  for (const std::string& t : texts) {
    stats.min_length = std::min(stats.min_length, static_cast<int>(CountChars(t)));
  }
  std::vector<Regex> all;
  for (int t = 0; t < kNumTokenTypes; ++t) all.push_back(Regex::Of(static_cast<TokenType>(t)));
  for (char d : kDelimiters) all.push_back(Regex::Delimiter(d));
  for (Regex r : all) {
    int min_count = INT32_MAX;
    for (const std::string& t : texts) {
      min_count = std::min(min_count, static_cast<int>(FindMatches(Utf8Text(t), r).size()));
    }
    if (min_count < 1) continue;
    stats.regexes.push_back({r, min_count});
    if (!r.is_type()) stats.delimiters.push_back(r.delimiter());
  }
  return stats;
}

class ProgramSampler {
 public:
  ProgramSampler(const SamplerOptions& options, Random* random)
      : options_(options), random_(*random) {}

  std::vector<std::string> SampleColumn(int num_rows);

  // Expressions whose outputs are non-empty on every row of `rows`.
  std::optional<std::vector<Expr>> SampleBody(const std::vector<Row>& rows);
  std::optional<Program> SampleSwitch(const std::vector<Row>& rows);

  bool non_ascii = false;  // this task's letters may be non-ASCII

 private:
  std::optional<Expr> SampleExpr(const std::vector<Row>& rows);
  std::optional<Expr> SampleNumberExpr(const std::vector<Row>& rows);
  std::optional<Expr> SampleLeaf(OpKind kind, const std::vector<Row>& rows);
  std::optional<std::vector<Arg>> SampleArgs(Op op, const SourceStats& s);
  int RandomIndex(int count) {
    const int k = random_.Uniform(1, std::min(count, kMaxIndex));
    return random_.Chance(0.5) ? k : -k;
  }
  std::optional<std::pair<Regex, int>> PickRegex(const SourceStats& s, bool types_only);
  std::string RandomConst();
  std::string RandomRun(TokenType t);
  std::string RandomLetter(bool upper);
  char RandomDelimiter() { return random_.Pick(kDelimiters); }

  const SamplerOptions& options_;
  Random& random_;
};

std::string ProgramSampler::RandomLetter(bool upper) {
  if (non_ascii && random_.Chance(0.3)) {
    return std::string(upper ? random_.Pick(kUpperExtra) : random_.Pick(kLowerExtra));
  }
  return std::string(1, random_.Pick(upper ? kUpper : kLower));
}

// A run of 1..kMaxTokenLength characters of type `t` (PropCase: a capital
// and 1..3 lower-case letters).
std::string ProgramSampler::RandomRun(TokenType t) {
  const int length = random_.Uniform(1, kMaxTokenLength);
  std::string run;
  if (t == TokenType::kPropCase) {
    run = RandomLetter(true);
    for (int i = 0; i < std::max(1, length - 1); ++i) run += RandomLetter(false);
    return run;
  }
  for (int i = 0; i < length; ++i) {
    switch (t) {
      case TokenType::kNumber:
      case TokenType::kDigit: run += random_.Pick(kDigits); break;
      case TokenType::kAllCaps: run += RandomLetter(true); break;
      case TokenType::kLower: run += RandomLetter(false); break;
      case TokenType::kWord: run += RandomLetter(random_.Chance(0.5)); break;
      default:  // Alphanum, Char: letters and digits
        if (random_.Chance(0.3)) {
          run += random_.Pick(kDigits);
        } else {
          run += RandomLetter(random_.Chance(0.5));
        }
    }
  }
  return run;
}

std::vector<std::string> ProgramSampler::SampleColumn(int num_rows) {
  for (;;) {
    std::vector<std::vector<std::string>> tokens(static_cast<size_t>(num_rows));
    std::vector<int> lengths(static_cast<size_t>(num_rows), 0);
    const int num_slots = random_.Uniform(std::min(3, options_.max_input_tokens),
                                          options_.max_input_tokens);
    for (int slot = 0; slot < num_slots; ++slot) {
      const int k = random_.Uniform(1, options_.max_k);
      const bool delimiter_slot = random_.Uniform(0, 2) == 0;
      const char d = RandomDelimiter();
      const auto t = static_cast<TokenType>(random_.Uniform(0, kNumTokenTypes - 1));
      for (int rep = 0; rep < k; ++rep) {
        for (int row = 0; row < num_rows; ++row) {
          std::string token =
              delimiter_slot ? std::string(1, d) : RandomDelimiter() + RandomRun(t);
          lengths[static_cast<size_t>(row)] += static_cast<int>(CountChars(token));
          tokens[static_cast<size_t>(row)].push_back(std::move(token));
        }
      }
      if (*std::max_element(lengths.begin(), lengths.end()) >= options_.max_input_length) break;
    }
    std::vector<std::string> cells;
    for (std::vector<std::string>& row_tokens : tokens) {
      random_.Shuffle(&row_tokens);
      std::string cell;
      for (const std::string& tok : row_tokens) cell += tok;
      const std::vector<size_t> offsets = CharOffsets(cell);
      const size_t keep = std::min(offsets.size() - 1,
                                   static_cast<size_t>(options_.max_input_length));
      cell.resize(offsets[keep]);
      cells.push_back(std::move(cell));
    }
    if (std::none_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); })) {
      return cells;
    }
  }
}

std::string ProgramSampler::RandomConst() {
  if (random_.Chance(options_.multi_char_const)) return std::string(random_.Pick(kConstants));
  const int which = random_.Uniform(0, 3);
  if (which == 0) return std::string(1, RandomDelimiter());
  if (which == 1) return std::string(1, random_.Pick(kDigits));
  return RandomLetter(which == 2);
}

std::optional<std::pair<Regex, int>> ProgramSampler::PickRegex(const SourceStats& s,
                                                               bool types_only) {
  std::vector<std::pair<Regex, int>> candidates;
  for (const auto& rc : s.regexes) {
    if (!types_only || rc.first.is_type()) candidates.push_back(rc);
  }
  if (candidates.empty()) return std::nullopt;
  return random_.Pick(candidates);
}

std::optional<std::vector<Arg>> ProgramSampler::SampleArgs(Op op, const SourceStats& s) {
  std::vector<Arg> args;
  const bool needs_type = op == Op::kGetToken || op == Op::kGetFirst || op == Op::kGetAll ||
                          op == Op::kSubstitute || op == Op::kSubstituteAll ||
                          op == Op::kRemove || op == Op::kRemoveAll;
  std::optional<std::pair<Regex, int>> rc;
  if (needs_type || op == Op::kGetUpto || op == Op::kGetFrom) {
    rc = PickRegex(s, needs_type);
    if (!rc) return std::nullopt;
  }
  switch (op) {
    case Op::kSubStr: {
      const int n = std::min(s.min_length, kMaxPosition);
      if (n < 1) return std::nullopt;
      int k1, k2;
      if (random_.Chance(0.5)) {
        k1 = random_.Uniform(1, n);
        k2 = random_.Chance(0.1) ? 0 : random_.Uniform(k1, n);
      } else {
        k1 = random_.Uniform(-n, -1);
        k2 = random_.Uniform(k1, -1);
      }
      return std::vector<Arg>{Arg::Position(k1), Arg::Position(k2)};
    }
    case Op::kGetSpan: {
      auto r1 = PickRegex(s, false);
      auto r2 = PickRegex(s, false);
      if (!r1 || !r2) return std::nullopt;
      auto boundary = [&] { return Arg::OfBoundary(static_cast<Boundary>(random_.Uniform(0, 1))); };
      return std::vector<Arg>{Arg::OfRegex(r1->first), Arg::Index(RandomIndex(r1->second)),
                              boundary(), Arg::OfRegex(r2->first),
                              Arg::Index(RandomIndex(r2->second)), boundary()};
    }
    case Op::kGetToken:
    case Op::kGetFirst:
    case Op::kRemove:
      return std::vector<Arg>{Arg::OfType(rc->first.type()), Arg::Index(RandomIndex(rc->second))};
    case Op::kGetUpto:
    case Op::kGetFrom:
      return std::vector<Arg>{Arg::OfRegex(rc->first)};
    case Op::kToCase:
      return std::vector<Arg>{Arg::OfCase(
          static_cast<Case>(random_.Uniform(0, options_.title_case ? 3 : 2)))};
    case Op::kReplace: {
      if (s.delimiters.empty()) return std::nullopt;
      const char from = random_.Pick(s.delimiters);
      char to = RandomDelimiter();
      while (to == from) to = RandomDelimiter();
      return std::vector<Arg>{Arg::Delimiter(from), Arg::Delimiter(to)};
    }
    case Op::kTrim:
      return std::vector<Arg>{};
    case Op::kGetAll:
    case Op::kRemoveAll:
      return std::vector<Arg>{Arg::OfType(rc->first.type())};
    case Op::kSubstitute:
      return std::vector<Arg>{Arg::OfType(rc->first.type()), Arg::Index(RandomIndex(rc->second)),
                              Arg::String(RandomConst())};
    case Op::kSubstituteAll:
      return std::vector<Arg>{Arg::OfType(rc->first.type()), Arg::String(RandomConst())};
    case Op::kConstStr:
      return std::vector<Arg>{Arg::String(RandomConst())};
    case Op::kReadNumber:
    case Op::kScale:
    case Op::kRound:
    case Op::kBin:
    case Op::kFormat:
      break;  // number chains: SampleNumberExpr()
  }
  return std::nullopt;
}

constexpr std::array<Op, 5> kSubstringOps = {Op::kSubStr, Op::kGetSpan, Op::kGetToken,
                                             Op::kGetUpto, Op::kGetFrom};
constexpr std::array<Op, 9> kModificationOps = {
    Op::kToCase, Op::kReplace, Op::kTrim, Op::kGetFirst, Op::kGetAll,
    Op::kSubstitute, Op::kSubstituteAll, Op::kRemove, Op::kRemoveAll};

std::vector<std::string> ColumnTexts(const std::vector<Row>& rows, int column) {
  std::vector<std::string> texts;
  for (const Row& row : rows) texts.push_back(row[static_cast<size_t>(column)]);
  return texts;
}

// The outputs of `e` on every row, or nullopt if one is empty.
std::optional<std::vector<std::string>> NonEmptyOutputs(const Expr& e,
                                                        const std::vector<Row>& rows) {
  std::vector<std::string> outputs;
  for (const Row& row : rows) {
    std::optional<std::string> out = EvaluateExpr(e, row);
    if (!out || out->empty()) return std::nullopt;
    outputs.push_back(std::move(*out));
  }
  return outputs;
}

std::optional<Expr> ProgramSampler::SampleLeaf(OpKind kind, const std::vector<Row>& rows) {
  const int column = random_.Uniform(0, static_cast<int>(rows[0].size()) - 1);
  const Op op = kind == OpKind::kSubstring ? random_.Pick(kSubstringOps)
                                           : random_.Pick(kModificationOps);
  std::optional<std::vector<Arg>> args = SampleArgs(op, Analyze(ColumnTexts(rows, column)));
  if (!args) return std::nullopt;
  return Expr::Substring(op, std::move(*args), column);
}

// Steps and format codes a spreadsheet user picks.
constexpr std::array<std::string_view, 12> kSteps = {
    "0.01", "0.05", "0.1", "0.25", "0.5", "1", "5", "10", "25", "50", "100", "1000"};
constexpr std::array<std::string_view, 10> kFormatCodes = {
    "0", "0.0", "0.00", "#,##0", "#,##0.00", "00000", "000", "0.*", "#,##,##0", "0.0#"};

std::optional<Expr> ProgramSampler::SampleNumberExpr(const std::vector<Row>& rows) {
  const int column = random_.Uniform(0, static_cast<int>(rows[0].size()) - 1);
  const DecimalMark mark = random_.Chance(0.8) ? DecimalMark::kDot : DecimalMark::kComma;
  int count = INT32_MAX;
  for (const Row& row : rows) {
    count = std::min(count, static_cast<int>(FindNumbers(row[static_cast<size_t>(column)], mark).size()));
  }
  if (count < 1) return std::nullopt;
  Expr e = Expr::Modification(Op::kReadNumber, {Arg::OfMark(mark), Arg::Index(RandomIndex(count))},
                              column);
  auto step = [&] { return Arg::OfDecimal(*ParseDecimalConstant(random_.Pick(kSteps))); };
  if (random_.Chance(0.3)) {
    const int k = random_.Uniform(1, 3);
    e = Expr::Modification(Op::kScale, {Arg::Scale(random_.Chance(0.5) ? k : -k)}, e);
  }
  if (random_.Chance(0.5)) {
    const auto mode = static_cast<RoundingMode>(random_.Uniform(0, kNumRoundingModes - 1));
    e = Expr::Modification(Op::kRound, {Arg::OfRounding(mode), step()}, e);
  } else if (random_.Chance(0.3)) {
    const auto edge = static_cast<BinEdge>(random_.Uniform(0, kNumBinEdges - 1));
    e = Expr::Modification(
        Op::kBin, {Arg::OfBinEdge(edge), step(), Arg::OfDecimal(Decimal::FromInt(random_.Uniform(0, 1)))},
        e);
  }
  const auto marks = random_.Chance(0.7)
                         ? NumberMarks::kDot
                         : static_cast<NumberMarks>(random_.Uniform(0, kNumNumberMarks - 1));
  const auto sign = random_.Chance(0.8)
                        ? SignStyle::kMinusOnly
                        : static_cast<SignStyle>(random_.Uniform(0, kNumSignStyles - 1));
  return Expr::Modification(Op::kFormat,
                            {Arg::FormatCode(std::string(random_.Pick(kFormatCodes))),
                             Arg::OfMarks(marks), Arg::OfSign(sign)},
                            e);
}

std::optional<Expr> ProgramSampler::SampleExpr(const std::vector<Row>& rows) {
  std::optional<Expr> e;
  // Drawn only when asked for, so that RobustFill()'s tasks stay as they were.
  if (options_.number_share > 0 && random_.Chance(options_.number_share)) {
    e = SampleNumberExpr(rows);
    if (!e || !NonEmptyOutputs(*e, rows)) return std::nullopt;
    return e;
  }
  switch (random_.Uniform(0, 3)) {
    case 0: e = SampleLeaf(OpKind::kSubstring, rows); break;
    case 1: e = SampleLeaf(OpKind::kModification, rows); break;
    case 2: {  // Compose: a modification of a substring's or modification's output
      std::optional<Expr> inner =
          SampleLeaf(random_.Chance(0.5) ? OpKind::kSubstring : OpKind::kModification, rows);
      if (!inner) return std::nullopt;
      std::optional<std::vector<std::string>> texts = NonEmptyOutputs(*inner, rows);
      if (!texts) return std::nullopt;
      const Op op = random_.Pick(kModificationOps);
      std::optional<std::vector<Arg>> args = SampleArgs(op, Analyze(*texts));
      if (!args) return std::nullopt;
      e = Expr::Modification(op, std::move(*args), std::move(*inner));
      break;
    }
    default:
      e = Expr::ConstStr(RandomConst());
  }
  if (!e || !NonEmptyOutputs(*e, rows)) return std::nullopt;
  return e;
}

std::optional<std::vector<Expr>> ProgramSampler::SampleBody(const std::vector<Row>& rows) {
  const int n = random_.Uniform(options_.min_expressions, options_.max_expressions);
  std::vector<Expr> body;
  for (int i = 0; i < n; ++i) {
    std::optional<Expr> e;
    for (int tries = 0; tries < kMaxTries && !e; ++tries) e = SampleExpr(rows);
    if (!e) return std::nullopt;
    body.push_back(std::move(*e));
  }
  return body;
}

// Switch((Match(...), body1), (True, body2)) where the Match splits the rows.
std::optional<Program> ProgramSampler::SampleSwitch(const std::vector<Row>& rows) {
  for (int tries = 0; tries < kMaxTries; ++tries) {
    MatchLiteral m;
    m.column = random_.Uniform(0, static_cast<int>(rows[0].size()) - 1);
    m.regex = random_.Chance(0.5)
                  ? Regex::Of(static_cast<TokenType>(random_.Uniform(0, kNumTokenTypes - 1)))
                  : Regex::Delimiter(RandomDelimiter());
    m.count = random_.Uniform(1, 3);
    m.negated = random_.Chance(0.3);
    std::vector<Row> first, rest;
    for (const Row& row : rows) {
      (EvaluateCondition({m}, row).value_or(false) ? first : rest).push_back(row);
    }
    if (first.empty() || rest.empty()) continue;
    std::optional<std::vector<Expr>> body1 = SampleBody(first);
    std::optional<std::vector<Expr>> body2 = SampleBody(rest);
    if (!body1 || !body2) continue;
    return Program::Switch({Branch{{m}, std::move(*body1)}, Branch{{}, std::move(*body2)}});
  }
  return std::nullopt;
}

}  // namespace

Sampler::Sampler(SamplerOptions options, uint64_t seed)
    : options_(std::move(options)), rng_(seed) {}

std::vector<Row> Sampler::SampleInputs(int num_rows, int num_columns) {
  Random random(&rng_);
  ProgramSampler ps(options_, &random);
  ps.non_ascii = random.Chance(options_.non_ascii_letters);
  std::vector<Row> rows(static_cast<size_t>(num_rows));
  for (int c = 0; c < num_columns; ++c) {
    std::vector<std::string> column = ps.SampleColumn(num_rows);
    for (int r = 0; r < num_rows; ++r) rows[static_cast<size_t>(r)].push_back(column[static_cast<size_t>(r)]);
  }
  return rows;
}

SampledTask Sampler::Next() {
  Random random(&rng_);
  const auto max_output = static_cast<size_t>(options_.max_input_length) *
                          static_cast<size_t>(options_.max_expressions);
  for (;;) {
    const int num_columns = random.Uniform(1, std::max(1, options_.max_columns));
    std::vector<Row> inputs = SampleInputs(options_.num_examples, num_columns);
    ProgramSampler ps(options_, &random);
    ps.non_ascii = std::any_of(inputs.begin(), inputs.end(), [](const Row& r) {
      return std::any_of(r.begin(), r.end(), [](const std::string& c) { return !IsAscii(c); });
    });
    std::optional<Program> program;
    if (random.Chance(options_.switch_share) && options_.num_examples >= 2) {
      program = ps.SampleSwitch(inputs);
    } else if (std::optional<std::vector<Expr>> body = ps.SampleBody(inputs)) {
      program = Program::Concat(std::move(*body));
    }
    if (!program) continue;
    std::vector<std::string> outputs;
    for (const Row& row : inputs) {
      std::optional<std::string> out = Evaluate(*program, row);
      if (!out || out->empty() || CountChars(*out) > max_output) break;
      outputs.push_back(std::move(*out));
    }
    if (outputs.size() != inputs.size()) continue;
    return SampledTask{std::move(*program), std::move(inputs), std::move(outputs)};
  }
}

}  // namespace flashsynth::dsl
