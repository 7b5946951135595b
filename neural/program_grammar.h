// neural/program_grammar.h: which program token may come next.
//
// A PrefixParser reads program tokens (neural/tokens.h) one at a time and
// knows, after every prefix, the set of tokens that keep it the prefix of a
// valid program (one that passes dsl::Validate()). It builds the program as
// it goes: DetokenizeProgram() is a loop over Push(), and beam search keeps
// one parser per hypothesis to mask the decoder's choices and to run each
// expression as soon as it is complete (RobustFill's DP-Beam).
//
// Example:
//   ProgramVocab vocab;
//   PrefixParser p(vocab);
//   p.Push(vocab.Id(TokenKind::kOp, static_cast<int>(dsl::Op::kGetToken)));
//   // p.Allows(vocab.Id(TokenKind::kColumn, 0)) is true, EOS is not
//   p.Push(vocab.Id(TokenKind::kColumn, 0));
//   p.Push(vocab.Id(TokenKind::kType, 1));     // Word
//   p.Push(vocab.Id(TokenKind::kInteger, -1));
//   // p.body().size() == 1: GetToken(Word, -1) is complete
//   p.Push(ProgramVocab::kEos);
//   // p.finished(), p.program()->ToString() == "Concat(GetToken(Word, -1))"
#ifndef FLASHSYNTH_NEURAL_PROGRAM_GRAMMAR_H_
#define FLASHSYNTH_NEURAL_PROGRAM_GRAMMAR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dsl/program.h"
#include "neural/tokens.h"

namespace flashsynth::neural {

// What the next token must be; one value per state of the grammar.
enum class Need : uint8_t {
  kProgramStart,   // Switch or an operator
  kConcatMore,     // an operator or EOS
  kBranch,         // Branch, right after Switch
  kLiteralOrThen,  // Match, NotMatch or Then
  kBodyStart,      // an operator (after Then)
  kBodyMore,       // an operator, Branch or EOS
  kColumn,         // a column
  kPosition,       // an integer in -kMaxPosition..kMaxPosition
  kIndex,          // a non-zero integer in -kMaxIndex..kMaxIndex
  kCount,          // an integer in 1..kMaxMatchCount
  kType,           // a token type
  kRegex,          // a token type or a delimiter
  kCase,           // a case
  kBoundary,       // Start or End
  kDelimiter,      // a delimiter
  kStringByte,     // a byte, or EndString once the bytes are a valid argument
                   // (UTF-8 text, a decimal constant, a number format code)
  kSource,         // a column, or an operator giving what the frame reads
  kMark,           // a decimal mark (ReadNumber)
  kScale,          // a non-zero integer in -kMaxScale..kMaxScale
  kRounding,       // a rounding mode
  kBinEdge,        // Low, High or HighInclusive
  kMarks,          // number marks (Format)
  kSign,           // a sign style
  kNothing,        // after EOS
};

// Reads a program token by token. Cheap to copy (beam search copies one per
// candidate); not thread-safe. `vocab` must outlive it.
class PrefixParser {
 public:
  explicit PrefixParser(const ProgramVocab& vocab);

  // Whether token `id` may come next.
  bool Allows(int id) const;
  // Marks in `allowed` (resized to vocab.size()) every token Allows().
  void AllowedTokens(std::vector<bool>* allowed) const;

  // Consumes `id` when Allows(id); otherwise returns false and changes nothing.
  bool Push(int id);

  Need need() const { return need_; }
  // Whether EOS was read: program() is then the whole program.
  bool finished() const { return need_ == Need::kNothing; }
  bool is_switch() const { return is_switch_; }
  // Tokens consumed so far.
  int length() const { return length_; }

  // The complete top-level expressions of the Concat, or of the Switch case
  // being read. Grows by one exactly when a Push() completes an expression.
  const std::vector<dsl::Expr>& body() const;

  // When the prefix ends inside the string of a ConstStr that is itself a
  // top-level expression: the bytes read so far, i.e. the start of its
  // output (beam search prunes on it). Else null.
  const std::string* open_constant() const;

  // The program read; kFailedPrecondition unless finished().
  absl::StatusOr<dsl::Program> program() const;

 private:
  // One operator whose arguments are being read.
  struct Frame {
    dsl::Op op;
    int depth;                       // 0 for a top-level expression
    int column = -1;                 // -1 until read
    std::vector<dsl::Arg> args;      // the slots read so far
    std::string text;                // bytes of the string argument being read
    std::optional<dsl::Expr> inner;  // Compose: the inner expression
  };
  enum class Phase : uint8_t {
    kStart, kConcat, kSwitchStart, kLiterals, kBodyStart, kBodyMore, kDone,
  };

  bool Matches(const ProgramToken& t) const;
  void Apply(const ProgramToken& t);
  void ApplyToFrame(const ProgramToken& t);
  void ApplyToLiteral(const ProgramToken& t);
  void OpenFrame(dsl::Op op, int depth);
  void CloseCompleteFrames();
  Need FrameNeed(const Frame& f) const;
  Need ComputeNeed() const;
  void UpdateNeed();

  const ProgramVocab* vocab_;
  Phase phase_ = Phase::kStart;
  bool is_switch_ = false;
  std::vector<dsl::Branch> branches_;  // a Concat has one, without condition
  std::vector<Frame> stack_;           // innermost operator last
  std::optional<dsl::MatchLiteral> literal_;  // a literal being read
  int literal_slots_ = 0;                     // of its column, regex, count
  Need need_ = Need::kProgramStart;
  bool string_is_valid_ = true;  // the string being read is a valid argument
  int length_ = 0;
};

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_PROGRAM_GRAMMAR_H_
