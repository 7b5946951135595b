#include "benchmarks/sygus.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "dsl/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/testing/scratch_dir.h"

namespace flashsynth::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The SyGuS-Comp 2017 files end their lines in CR CR LF.
constexpr char kV1Crlf[] =
    "; a comment (with an unbalanced paren\r\r\n"
    "(set-logic SLIA)\r\r\n"
    "(synth-fun f ((name String)) String\r\r\n"
    "    ((Start String (ntString))\r\r\n"
    "     (ntString String (name \" \" (str.++ ntString ntString)\r\r\n"
    "                       (str.substr ntString ntInt ntInt)))\r\r\n"
    "      (ntInt Int (0 1 -1 (str.len ntString)))))\r\r\n"
    "(declare-var name String)\r\r\n"
    "(constraint (= (f \"938-242-504\") \"242\"))\r\r\n"
    "(constraint (= (f \"308-916-545\") \"916\")) ; trailing comment\r\r\n"
    "(check-synth)\r\r\n";

TEST(ParseSygusTest, ReadsV1WithCrlfLineEnds) {
  absl::StatusOr<SygusTask> t = ParseSygus(kV1Crlf);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->logic, "SLIA");
  EXPECT_EQ(t->function, "f");
  ASSERT_EQ(t->params.size(), 1u);
  EXPECT_EQ(t->params[0].name, "name");
  EXPECT_EQ(t->params[0].sort, "String");
  EXPECT_EQ(t->return_sort, "String");
  EXPECT_TRUE(t->all_string);
  ASSERT_EQ(t->examples.size(), 2u);
  EXPECT_THAT(t->examples[0].inputs, ElementsAre("938-242-504"));
  EXPECT_EQ(t->examples[0].output, "242");
  EXPECT_EQ(t->examples[0].line, 9);
  EXPECT_THAT(t->examples[1].inputs, ElementsAre("308-916-545"));
  EXPECT_EQ(t->examples[1].output, "916");
  EXPECT_EQ(t->examples[1].line, 10);
  EXPECT_EQ(t->Signature(), "(String)->String");
}

TEST(ParseSygusTest, ReadsV2WithPredeclaredGrammarAndEitherOrder) {
  constexpr char kV2[] =
      "(set-logic SLIA)\n"
      "(synth-fun f ((a String) (b String)) String\n"
      "  ((Start String) (ntInt Int))\n"
      "  ((Start String (a b \"-\" (str.++ Start Start) (str.substr Start ntInt ntInt)))\n"
      "   (ntInt Int (0 1 (- 1) (str.len Start)))))\n"
      "(declare-var a String)\n"
      "(declare-var b String)\n"
      "(constraint (= (f \"Ada\" \"Lovelace\") \"Ada-Lovelace\"))\n"
      "(constraint (= \"Alan-Turing\" (f \"Alan\" \"Turing\")))\n"
      "(check-synth)\n";
  absl::StatusOr<SygusTask> t = ParseSygus(kV2);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->params.size(), 2u);
  EXPECT_EQ(t->params[1].name, "b");
  EXPECT_TRUE(t->all_string);
  ASSERT_EQ(t->examples.size(), 2u);
  EXPECT_THAT(t->examples[0].inputs, ElementsAre("Ada", "Lovelace"));
  EXPECT_EQ(t->examples[0].output, "Ada-Lovelace");
  EXPECT_THAT(t->examples[1].inputs, ElementsAre("Alan", "Turing"));
  EXPECT_EQ(t->examples[1].output, "Alan-Turing");
}

// One example `(f "x") "literal"`, the literal as written in SMT-LIB.
absl::StatusOr<std::string> OutputOf(const std::string& literal) {
  absl::StatusOr<SygusTask> t = ParseSygus(
      "(synth-fun f ((x String)) String)\n(constraint (= (f \"x\") " + literal + "))\n");
  if (!t.ok()) return t.status();
  return t->examples[0].output;
}

TEST(ParseSygusTest, DecodesStringLiterals) {
  EXPECT_EQ(*OutputOf(R"("say ""hi""")"), "say \"hi\"");
  EXPECT_EQ(*OutputOf(R"("""")"), "\"");
  EXPECT_EQ(*OutputOf(R"("")"), "");
  EXPECT_EQ(*OutputOf(R"x("a;b(c)")x"), "a;b(c)");  // no comment, no list inside a string
  EXPECT_EQ(*OutputOf("\"two\nlines\""), "two\nlines");
  // SMT-LIB 2.6 escapes.
  EXPECT_EQ(*OutputOf(R"("\u{48}i")"), "Hi");
  EXPECT_EQ(*OutputOf(R"("\u{e9}")"), "\xC3\xA9");             // é
  EXPECT_EQ(*OutputOf(R"("\u{1F600}")"), "\xF0\x9F\x98\x80");  // 😀
  EXPECT_EQ(*OutputOf(R"("\u0041")"), "A");
  EXPECT_EQ(*OutputOf(R"("\u{22}")"), "\"");
  // CVC4 / SyGuS v1: \xHH.
  EXPECT_EQ(*OutputOf(R"("\x41\x2d")"), "A-");
  // Not escapes: the backslash is an ordinary character.
  EXPECT_EQ(*OutputOf(R"("a\b")"), "a\\b");
  EXPECT_EQ(*OutputOf(R"("\n")"), "\\n");
  EXPECT_EQ(*OutputOf(R"("\u{}")"), "\\u{}");
  EXPECT_EQ(*OutputOf(R"("\u{30000}")"), "\\u{30000}");  // above SMT-LIB's 0x2FFFF
  EXPECT_EQ(*OutputOf(R"("\u004")"), "\\u004");
  EXPECT_EQ(*OutputOf(R"("\xZ1")"), "\\xZ1");
}

TEST(ParseSygusTest, RefusesASurrogateEscape) {
  absl::StatusOr<std::string> out = OutputOf(R"("ab\u{D800}")");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(out.status().message()), StartsWith("line 2, column 27: escape \\u{D800}"));
}

TEST(ParseSygusTest, ReadsNonStringSignaturesAndFlagsThem) {
  constexpr char kMixed[] =
      "(set-logic SLIA)\n"
      "(synth-fun f ((s String) (n Int)) Bool\n"
      "  ((Start Bool (true false (= (str.len s) n)))))\n"
      "(constraint (= (f \"abc\" 3) true))\n"
      "(constraint (= (f \"\" (- 1)) false))\n"
      "(constraint (= (f \"x\" -12) false))\n"
      "(constraint (= false (f \"y\" (- 0))))\n";
  absl::StatusOr<SygusTask> t = ParseSygus(kMixed);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_FALSE(t->all_string);
  EXPECT_EQ(t->Signature(), "(String,Int)->Bool");
  ASSERT_EQ(t->examples.size(), 4u);
  EXPECT_THAT(t->examples[0].inputs, ElementsAre("abc", "3"));
  EXPECT_EQ(t->examples[0].output, "true");
  EXPECT_THAT(t->examples[1].inputs, ElementsAre("", "-1"));
  EXPECT_THAT(t->examples[2].inputs, ElementsAre("x", "-12"));
  EXPECT_THAT(t->examples[3].inputs, ElementsAre("y", "0"));
  EXPECT_EQ(t->examples[3].output, "false");

  absl::StatusOr<SygusTask> from_int =
      ParseSygus("(synth-fun f ((n Int)) String)\n(constraint (= (f 101) \"101\"))\n");
  ASSERT_TRUE(from_int.ok()) << from_int.status();
  EXPECT_FALSE(from_int->all_string);
  EXPECT_EQ(from_int->Signature(), "(Int)->String");
}

TEST(ParseSygusTest, KeepsLiteralsOfOtherSortsAsWritten) {
  absl::StatusOr<SygusTask> t = ParseSygus(
      "(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))\n(constraint (= (f #x0a) #x14))\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->params[0].sort, "(_ BitVec 8)");
  EXPECT_THAT(t->examples[0].inputs, ElementsAre("#x0a"));
  EXPECT_EQ(t->examples[0].output, "#x14");
  EXPECT_FALSE(t->all_string);
}

// The error message of parsing `text`, which must fail.
std::string ErrorOf(const std::string& text) {
  absl::StatusOr<SygusTask> t = ParseSygus(text);
  EXPECT_FALSE(t.ok()) << text;
  if (t.ok()) return "";
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

constexpr char kHead[] = "(synth-fun f ((x String)) String)\n";

TEST(ParseSygusTest, NamesLineAndColumnOfMalformedInput) {
  EXPECT_EQ(ErrorOf("(set-logic SLIA)\n(synth-fun f ((x String)) String\n"),
            "line 2, column 1: unbalanced '(': this list is never closed");
  EXPECT_EQ(ErrorOf("(set-logic SLIA))\n"), "line 1, column 17: unbalanced ')': no list is open");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "(constraint (= (f \"abc) \"x\"))\n"),
            "line 2, column 27: unterminated string literal");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "(constraint (= (f 3) \"x\"))\n"),
            "line 2, column 19: expected a literal of sort String, found the numeral 3");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "(constraint (= (f \"a\" \"b\") \"x\"))\n"),
            "line 2, column 16: f takes 1 argument(s), this call passes 2");
  EXPECT_EQ(ErrorOf(std::string(kHead) + "(constraint (= (f x) \"x\"))\n"),
            "line 2, column 19: expected a literal of sort String, found the symbol x");
  EXPECT_THAT(ErrorOf(std::string(kHead) + "(constraint (str.prefixof \"a\" (f \"a\")))\n"),
              StartsWith("line 2, column 13: expected an example (= (f LITERAL...) LITERAL)"));
  EXPECT_EQ(ErrorOf("(set-logic SLIA)\n"), "line 2, column 1: no synth-fun in the problem");
  EXPECT_THAT(ErrorOf(std::string(kHead) + "(check-synth)\n"),
              StartsWith("line 3, column 1: no examples"));
  EXPECT_THAT(ErrorOf(std::string(kHead) + kHead), StartsWith("line 2, column 1: a second synth-fun"));
  EXPECT_THAT(ErrorOf("(constraint (= (f \"a\") \"b\"))\n"),
              StartsWith("line 1, column 1: a constraint before the synth-fun"));
  EXPECT_THAT(ErrorOf("set-logic\n"), StartsWith("line 1, column 1: expected a command"));
  EXPECT_THAT(ErrorOf(std::string(5000, '(')), HasSubstr("nesting deeper than"));
}

TEST(ParseSygusTest, ColumnsCountCharactersNotBytes) {
  // "é" is two bytes, one column.
  EXPECT_EQ(ErrorOf(std::string(kHead) + "(constraint (= (f \"\xC3\xA9\") 5))\n"),
            "line 2, column 24: expected a literal of sort String, found the numeral 5");
}

// ---------------------------------------------------------------------------
// Every .sl file of the shared SyGuS suites against its CSV (benchmarks/README.md:
// Int and Bool cells hold the SMT literal text, `(- 5)` written `-5`).

std::filesystem::path SharedBenchmarks() {
  return std::filesystem::path(FLASHSYNTH_SHARED_DIR) / "benchmarks";
}

class SharedSygusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(SharedBenchmarks())) {
      // CI always has ../shared beside the checkout; elsewhere it may be absent.
      if (std::getenv("CI") != nullptr) FAIL() << "no " << SharedBenchmarks();
      GTEST_SKIP() << "no " << SharedBenchmarks();
    }
  }

  // Checks every .sl file of `folder` against its .csv; counts the files
  // and those flagged all_string.
  void CheckFolder(const std::string& folder, int* files, int* all_string) {
    *files = *all_string = 0;
    int examples = 0;
    for (const auto& entry : std::filesystem::directory_iterator(SharedBenchmarks() / folder)) {
      if (entry.path().extension() != ".sl") continue;
      ++*files;
      const std::string stem = entry.path().stem().string();
      absl::StatusOr<SygusTask> task = ParseSygus(io::ReadWholeFile(entry.path()));
      ASSERT_TRUE(task.ok()) << stem << ": " << task.status();
      *all_string += task->all_string;
      std::filesystem::path csv_path = entry.path();
      csv_path.replace_extension(".csv");
      dsl::TaskCsvOptions options;
      options.empty_output_means_fill = false;
      absl::StatusOr<dsl::Task> csv = dsl::ParseTaskCsv(io::ReadWholeFile(csv_path), options);
      ASSERT_TRUE(csv.ok()) << stem << ": " << csv.status();
      ASSERT_EQ(task->examples.size(), csv->rows.size()) << stem;
      ASSERT_EQ(task->params.size(), static_cast<size_t>(csv->num_inputs())) << stem;
      for (size_t r = 0; r < csv->rows.size(); ++r) {
        EXPECT_EQ(task->examples[r].inputs, csv->rows[r].inputs) << stem << " row " << r + 1;
        EXPECT_EQ(std::optional<std::string>(task->examples[r].output), csv->rows[r].output)
            << stem << " row " << r + 1;
      }
      examples += static_cast<int>(task->examples.size());
    }
    std::cout << folder << ": " << *files << " files, " << examples
              << " examples match their CSVs\n";
  }
};

TEST_F(SharedSygusTest, Strings2017MatchesItsCsvs) {
  int files = 0, all_string = 0;
  CheckFolder("sygus-pbe-strings-2017", &files, &all_string);
  EXPECT_EQ(files, 108);
  EXPECT_EQ(all_string, 108);
}

TEST_F(SharedSygusTest, Euphony2019MatchesItsCsvs) {
  int files = 0, all_string = 0;
  CheckFolder("sygus-pbe-slia-2019-euphony", &files, &all_string);
  EXPECT_EQ(files, 100);
  EXPECT_EQ(all_string, 66);  // 34 have an Int or Bool in their signature
}

}  // namespace
}  // namespace flashsynth::bench
