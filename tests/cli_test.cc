// End-to-end tests of the flashsynth command line: learning (the default)
// and running a given program (--program, --program-file).
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "io/testing/run_command.h"
#include "io/testing/scratch_dir.h"
#include "nlohmann/json.hpp"

namespace flashsynth {
namespace {

using io::ReadWholeFile;
using Outcome = io::CommandResult;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class CliTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& contents) {
    return dir_.Write(name, contents);
  }

  // Runs flashsynth with `args` (already shell-quoted where needed).
  // `env`: assignments added to its environment ("LD_DEBUG=files").
  static Outcome Run(const std::string& args, const std::string& stdin_text = "",
                     std::vector<std::string> env = {}) {
    io::RunOptions options;
    options.stdin_text = stdin_text;
    options.env = std::move(env);
    return io::RunCommand(std::string(FLASHSYNTH_BIN) + " " + args, options);
  }

  io::ScratchDir dir_{std::string("flashsynth_cli_test_") +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name()};
};

// ---------------------------------------------------------------------------
// Learning from the examples (the default).

struct LearnCase {
  const char* name;
  const char* csv;      // examples and rows to fill
  const char* args;     // extra flags
  const char* filled;   // the whole expected stdout
};

// Tasks a FlashFill-style learner solves from two examples.
constexpr LearnCase kLearnCases[] = {
    {"last name", "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,\n"
                  "Edsger Dijkstra,\n",
     "", "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,Hopper\n"
         "Edsger Dijkstra,Dijkstra\n"},
    {"initials", "name,initials\nAda Lovelace,A.L.\nGrace Hopper,G.H.\nAlan Turing,\n"
                 "Edsger Dijkstra,\n",
     "", "name,initials\nAda Lovelace,A.L.\nGrace Hopper,G.H.\nAlan Turing,A.T.\n"
         "Edsger Dijkstra,E.D.\n"},
    {"title and first name", "name,greeting\nAda Lovelace,Dr. Ada\nGrace Hopper,Dr. Grace\n"
                             "Alan Turing,\nKatherine Johnson,\n",
     "", "name,greeting\nAda Lovelace,Dr. Ada\nGrace Hopper,Dr. Grace\nAlan Turing,Dr. Alan\n"
         "Katherine Johnson,Dr. Katherine\n"},
    {"phone numbers", "phone,normalized\n(425) 555-0199,425-555-0199\n206.555.0142,206-555-0142\n"
                      "503 555 0110,\n(212) 555-0175,\n",
     "", "phone,normalized\n(425) 555-0199,425-555-0199\n206.555.0142,206-555-0142\n"
         "503 555 0110,503-555-0110\n(212) 555-0175,212-555-0175\n"},
    {"output column named, two inputs", "last,full,first\nLovelace,,Ada\nTuring,Alan Turing,Alan\n"
                                        "Hopper,Grace Hopper,Grace\nDijkstra,,Edsger\n",
     "--output-column full", "last,full,first\nLovelace,Ada Lovelace,Ada\nTuring,Alan Turing,Alan\n"
                             "Hopper,Grace Hopper,Grace\nDijkstra,Edsger Dijkstra,Edsger\n"},
};

TEST_F(CliTest, LearnsFromTheExamplesAndFillsTheOtherRows) {
  for (const LearnCase& c : kLearnCases) {
    SCOPED_TRACE(c.name);
    const std::string csv = Write("task.csv", c.csv);
    Outcome o = Run(std::string(c.args) + " " + csv);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, c.filled) << o.err;
    EXPECT_TRUE(Contains(o.err, "program: ")) << o.err;
  }
}

// Number columns, one per family of docs/dsl.md's number operators.
constexpr LearnCase kNumberCases[] = {
    {"round to decimals", "price,rounded\n12.345,12.35\n7.1,7.10\n0.996,1.00\n3.14159,\n-2.675,\n",
     "", "price,rounded\n12.345,12.35\n7.1,7.10\n0.996,1.00\n3.14159,3.14\n-2.675,-2.68\n"},
    {"round to a step", "amount,nearest 50\n48213,48200\n1234,1250\n77,100\n2398,\n24,\n",
     "", "amount,nearest 50\n48213,48200\n1234,1250\n77,100\n2398,2400\n24,0\n"},
    {"scale", "fraction,percent\n0.234,23.4%\n0.05,5%\n1.5,150%\n0.0734,\n-0.1,\n",
     "", "fraction,percent\n0.234,23.4%\n0.05,5%\n1.5,150%\n0.0734,7.34%\n-0.1,-10%\n"},
    {"read and write formats",
     "raw,amount\n\"$1,234.50\",\"1.234,50\"\n(75.00),\"-75,00\"\n3.2E-002,\"0,03\"\n"
     "\" 007.5 \",\n\"$12,000\",\n",
     "", "raw,amount\n\"$1,234.50\",\"1.234,50\"\n(75.00),\"-75,00\"\n3.2E-002,\"0,03\"\n"
         " 007.5 ,\"7,50\"\n\"$12,000\",\"12.000,00\"\n"},
    {"indian grouping", "amount,formatted\n12345678.9,\"\u20B91,23,45,679\"\n150000,\"\u20B91,50,000\"\n"
                        "999,\u20B9999\n1234567,\n50.5,\n",
     "", "amount,formatted\n12345678.9,\"\u20B91,23,45,679\"\n150000,\"\u20B91,50,000\"\n"
         "999,\u20B9999\n1234567,\"\u20B912,34,567\"\n50.5,\u20B951\n"},
    {"bins", "score,band\n147,140-149\n83,80-89\n200,200-209\n99,\n5,\n",
     "", "score,band\n147,140-149\n83,80-89\n200,200-209\n99,90-99\n5,0-9\n"},
    {"mixed with text", "amount,short\n4821,$4.8K\n12500,$12.5K\n999,$1.0K\n56789,\n100,\n",
     "", "amount,short\n4821,$4.8K\n12500,$12.5K\n999,$1.0K\n56789,$56.8K\n100,$0.1K\n"},
};

TEST_F(CliTest, LearnsNumberColumnsOfEveryFamily) {
  for (const LearnCase& c : kNumberCases) {
    SCOPED_TRACE(c.name);
    const std::string csv = Write("task.csv", c.csv);
    Outcome o = Run("--engine symbolic " + std::string(c.args) + " " + csv);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, c.filled) << o.err;
    EXPECT_TRUE(Contains(o.err, "program: Concat(")) << o.err;
    EXPECT_TRUE(Contains(o.err, "ReadNumber(")) << o.err;
  }
}

TEST_F(CliTest, FillsTheShippedNamesExampleLikeTheQuickStart) {
  Outcome o = Run(std::string(FLASHSYNTH_SOURCE_DIR) + "/examples/names.csv");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "name,formatted\nAda Lovelace,\"Lovelace, A.\"\nGrace Hopper,\"Hopper, G.\"\n"
            "Alan Turing,\"Turing, A.\"\nEdsger Dijkstra,\"Dijkstra, E.\"\n"
            "Katherine Johnson,\"Johnson, K.\"\n");
  EXPECT_TRUE(Contains(o.err, "program: Concat(")) << o.err;
  EXPECT_TRUE(Contains(o.err, "2 example(s) used; 3 row(s) filled; 0 ambiguous; 0 with no output"))
      << o.err;
}

// synth/synthesizer.h's own example: both examples' initials are "A", yet
// the documented answer reads the initial (SubStr) instead of writing the
// constant ", A.".
TEST_F(CliTest, ReadsTheInitialEvenWhenBothExamplesShareIt) {
  const std::string csv = Write("names.csv",
                                "name,formatted\nAda Lovelace,\"Lovelace, A.\"\n"
                                "Alan Turing,\"Turing, A.\"\nGrace Hopper,\n");
  Outcome o = Run(csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(Contains(o.out, "Grace Hopper,\"Hopper, G.\"\n")) << o.out << o.err;
}

TEST_F(CliTest, FillsEveryShippedSampleCsv) {
  for (const char* name : {"names.csv", "phones.csv", "emails.csv", "prices.csv"}) {
    SCOPED_TRACE(name);
    Outcome o = Run(std::string(FLASHSYNTH_SOURCE_DIR) + "/examples/" + name);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_FALSE(Contains(o.out, ",\n")) << "a row was left empty:\n" << o.out << o.err;
  }
}

TEST_F(CliTest, ReadsStandardInput) {
  Outcome o = Run("-", "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,\n");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,Hopper\n");
}

TEST_F(CliTest, LearnsAndPrintsTheTableUnchangedWhenNothingIsLeftToFill) {
  constexpr char kFull[] = "name,first\nAda Lovelace,Ada\nAlan Turing,Alan\nGrace Hopper,Grace\n";
  const std::string csv = Write("full.csv", kFull);
  Outcome o = Run(csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, kFull);
  EXPECT_TRUE(Contains(o.err, "program: ")) << o.err;
  EXPECT_TRUE(Contains(o.err, "nothing to fill")) << o.err;
}

TEST_F(CliTest, JsonSaysWhereEachAlternativeDiffers) {
  // A row to fill tells the alternatives apart: differs_on names its line.
  const std::string csv = Write(
      "first.csv", "name,first\nAda Lovelace,Ada\nGrace Hopper,Grace\nEdsger W Dijkstra,\nAlan Turing,\n");
  Outcome o = Run("--json " + csv);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  ASSERT_FALSE(j["alternatives"].empty());
  for (const nlohmann::json& alt : j["alternatives"]) {
    const nlohmann::json& d = alt["differs_on"];
    ASSERT_TRUE(d.is_object()) << alt.dump();
    EXPECT_EQ(d["source"], "row to fill");
    EXPECT_TRUE(d["line"] == 4 || d["line"] == 5) << d.dump();
    EXPECT_NE(d["program_output"], d["alternative_output"]);
  }

  // No row to fill: the solver builds an input, unless --no-solver.
  const std::string full = Write("full.csv", "name,first\nAda Lovelace,Ada\nGrace Hopper,Grace\n");
  o = Run("--json " + full);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  int built = 0;
  for (const nlohmann::json& alt : j["alternatives"]) {
    const nlohmann::json& d = alt["differs_on"];
    if (d.is_null()) continue;
    EXPECT_EQ(d["source"], "solver");
    EXPECT_TRUE(d["line"].is_null());
    EXPECT_EQ(d["inputs"].size(), 1u);
    EXPECT_NE(d["program_output"], d["alternative_output"]);
    ++built;
  }
  EXPECT_GE(built, 1) << j["alternatives"].dump(2);
  o = Run("--json --no-solver " + full);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  for (const nlohmann::json& alt : j["alternatives"]) EXPECT_TRUE(alt["differs_on"].is_null());
}

TEST_F(CliTest, ExitsOneAndNamesBothLinesWhenExamplesConflict) {
  const std::string csv = Write(
      "conflict.csv",
      "name,first\nAda Lovelace,Ada\nAlan Turing,Alan\nAda Lovelace,Lovelace\nGrace Hopper,\n");
  Outcome o = Run(csv);
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_TRUE(Contains(o.err, "line 2: \"Ada Lovelace\" -> \"Ada\"")) << o.err;
  EXPECT_TRUE(Contains(o.err, "line 4: \"Ada Lovelace\" -> \"Lovelace\"")) << o.err;
  EXPECT_FALSE(Contains(o.err, "line 3:")) << o.err;
}

TEST_F(CliTest, ConflictingExamplesInJsonAreNamedByLine) {
  const std::string csv =
      Write("conflict.csv", "name,first\nAda Lovelace,Ada\nAda Lovelace,Lovelace\nGrace Hopper,\n");
  const std::string out = (dir_ / "never.json").string();
  Outcome o = Run("--json -o " + out + " " + csv);
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  nlohmann::json j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  EXPECT_EQ(j["error"], "conflicting_examples") << j.dump(2);
  ASSERT_EQ(j["conflicting_examples"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["conflicting_examples"][0]["line"], 2);
  EXPECT_EQ(j["conflicting_examples"][1]["line"], 3);
}

// Five examples of "first name", one with a typo (line 5: "Edsgar").
constexpr char kNoisy[] =
    "name,first\n"
    "Ada Lovelace,Ada\n"
    "Alan Turing,Alan\n"
    "Grace Hopper,Grace\n"
    "Edsger Dijkstra,Edsgar\n"
    "Katherine Johnson,Katherine\n"
    "Barbara Liskov,\n"
    "Donald Knuth,\n";

TEST_F(CliTest, SetsAsideOneNoisyExampleAndNamesItsLine) {
  const std::string csv = Write("noisy.csv", kNoisy);
  Outcome o = Run(csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  // The example keeps the user's text; only the empty cells are filled.
  EXPECT_EQ(o.out,
            "name,first\nAda Lovelace,Ada\nAlan Turing,Alan\nGrace Hopper,Grace\n"
            "Edsger Dijkstra,Edsgar\nKatherine Johnson,Katherine\nBarbara Liskov,Barbara\n"
            "Donald Knuth,Donald\n");
  EXPECT_TRUE(Contains(o.err, "line 5: suspected typo: the example says \"Edsgar\", the "
                              "program gives \"Edsger\""))
      << o.err;
  EXPECT_TRUE(Contains(o.err, "suspected typo on line 5")) << o.err;

  o = Run("--json " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  EXPECT_EQ(j["suspected_typo"],
            nlohmann::json({{"line", 5}, {"given", "Edsgar"}, {"program_output", "Edsger"}}));
}

// LearnOptions::tolerate_noise is off: the program must fit every example
// (here only a Switch could) or flashsynth fails naming examples by line.
TEST_F(CliTest, StrictFitsEveryExampleOrFails) {
  const std::string csv = Write("noisy.csv", kNoisy);
  Outcome o = Run("--strict --json " + csv);
  EXPECT_FALSE(Contains(o.err, "suspected typo")) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << o.out << o.err;
  if (o.exit_code == 1) {
    EXPECT_TRUE(Contains(o.err, "no program in the DSL fits the examples")) << o.err;
    EXPECT_TRUE(Contains(o.err, "--strict")) << o.err;
    // Every set of examples that cannot be fitted together holds line 5.
    EXPECT_TRUE(Contains(o.err, "line 5: \"Edsger Dijkstra\" -> \"Edsgar\"") ||
                Contains(o.err, "lines 2, 3, 4, 5, 6"))
        << o.err;
    return;
  }
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(j["suspected_typo"].is_null()) << j.dump(2);
  for (const nlohmann::json& row : j["rows"]) {
    if (row.contains("example")) EXPECT_EQ(row["fits"], true) << row.dump();
  }
}

TEST_F(CliTest, WritesTheOutputFileAtomicallyAndNeverOverTheInput) {
  constexpr char kTask[] = "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,\n";
  const std::string csv = Write("names.csv", kTask);
  const std::string out = (dir_ / "filled.csv").string();
  Outcome o = Run("-o " + out + " " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(ReadWholeFile(out), "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,Hopper\n");
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_FALSE(Contains(entry.path().string(), ".tmp-")) << entry.path();
  }
  o = Run("-o " + csv + " " + csv);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_TRUE(Contains(o.err, "refusing to overwrite")) << o.err;
  EXPECT_EQ(ReadWholeFile(csv), kTask);
  // The same file by another name.
  o = Run("-o " + (dir_ / "." / "names.csv").string() + " " + csv);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(ReadWholeFile(csv), kTask);
}

TEST_F(CliTest, PrintsOneJsonObjectWithTheDocumentedFields) {
  const std::string csv =
      Write("names.csv", "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,\n");
  Outcome o = Run("--json --alternatives 3 " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  for (const char* field : {"program", "ast", "score", "rows", "ambiguous_lines", "no_output_lines",
                            "alternatives", "suspected_typo", "timing", "examples", "examples_used",
                            "filled", "search"}) {
    EXPECT_TRUE(j.contains(field)) << field << " missing from " << j.dump(2);
  }
  EXPECT_TRUE(j["program"].is_string());
  EXPECT_TRUE(j["ast"].contains("concat") || j["ast"].contains("switch")) << j["ast"].dump();
  EXPECT_TRUE(j["suspected_typo"].is_null());
  EXPECT_EQ(j["examples"], 2);
  EXPECT_EQ(j["filled"], 1);
  EXPECT_LE(j["alternatives"].size(), 2u);
  for (const nlohmann::json& alt : j["alternatives"]) {
    EXPECT_TRUE(alt["program"].is_string());
    EXPECT_LE(alt["score"].get<double>(), j["score"].get<double>());
  }
  EXPECT_GE(j["timing"]["learn_seconds"].get<double>(), 0);
  EXPECT_GE(j["timing"]["total_seconds"].get<double>(), j["timing"]["learn_seconds"].get<double>());
  EXPECT_TRUE(j["search"].contains("states_explored"));
  ASSERT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["rows"][0], nlohmann::json({{"line", 2},
                                          {"inputs", nlohmann::json::array({"Ada Lovelace"})},
                                          {"example", "Lovelace"},
                                          {"fits", true}}));
  const nlohmann::json& filled = j["rows"][2];
  EXPECT_EQ(filled["line"], 4);
  EXPECT_EQ(filled["output"], "Hopper");
  EXPECT_GT(filled["confidence"].get<double>(), 0);
  EXPECT_LE(filled["confidence"].get<double>(), 1);
  EXPECT_TRUE(filled["ambiguous"].is_boolean());
  EXPECT_TRUE(filled["alternatives"].is_array());
  // Every row marked ambiguous is in ambiguous_lines and the other way round.
  std::vector<int> ambiguous;
  for (const nlohmann::json& row : j["rows"]) {
    if (row.value("ambiguous", false)) ambiguous.push_back(row["line"]);
  }
  EXPECT_EQ(j["ambiguous_lines"].get<std::vector<int>>(), ambiguous);
}

struct BadInput {
  const char* name;
  const char* csv;
  const char* args;
  const char* error;  // substring of stderr
};

TEST_F(CliTest, RejectsBadInputWithAClearErrorAndExitTwo) {
  const BadInput cases[] = {
      {"ragged", "a,b\nx,y\nx,y,z\n", "", "line 3"},
      {"bad quote", "a,b\nx,y\n\"x\"y,z\n", "", "line 3"},
      {"unterminated", "a,b\nx,y\n\"x,y\n", "", "line 3"},
      {"empty file", "", "", "empty"},
      {"non-UTF-8 input", "a,b\nx,y\nx\xff,y\n", "", "line 3, column 2: cell is not valid UTF-8"},
      {"non-UTF-8 output", "a,b\nx,y\nx,\xc3(\n", "", "line 3, column 3: cell is not valid UTF-8"},
      {"missing output column", "a,b\nx,y\n", "--output-column nope", "nope"},
      {"output column out of range", "a,b\nx,y\n", "--output-column 3", "output column \"3\""},
      {"one column", "a\nx\n", "", "column"},
      {"no examples", "a,b\nx,\nz,\n", "", "no examples: every output cell is empty"},
      {"header only", "a,b\n", "", "no examples"},
      {"no such file", nullptr, "", "cannot open"},
      {"zero timeout", "a,b\nx,y\n", "--timeout 0", "--timeout"},
      {"zero alternatives", "a,b\nx,y\n", "--alternatives 0", "--alternatives"},
      {"strict with a program", "a,b\nx,y\n", "--strict --program 'Concat(ConstStr(\"k\"))'",
       "excludes"},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string csv = c.csv ? Write("bad.csv", c.csv) : (dir_ / "absent.csv").string();
    Outcome o = Run(std::string(c.args) + " " + csv);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_TRUE(Contains(o.err, c.error)) << o.err;
    EXPECT_FALSE(Contains(o.err, "terminate")) << o.err;
    EXPECT_EQ(o.out, "");
  }
}

// Without a model file the default engine falls back to the symbolic one
// and says so; an explicit --engine neural or hybrid is an error instead.
TEST_F(CliTest, NoModelMeansTheSymbolicEngineWithANote) {
  const std::string csv = Write("t.csv", "name,last\nAda Lovelace,Lovelace\nAlan Turing,\n");
  const std::string no_model = "--model " + (dir_ / "absent.fsnn").string() + " ";
  Outcome o = Run(no_model + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\n");
  EXPECT_TRUE(Contains(o.err, "note: the neural proposer is off")) << o.err;
  for (const char* engine : {"neural", "hybrid"}) {
    o = Run(no_model + "--engine " + engine + " " + csv);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_TRUE(Contains(o.err, std::string("--engine ") + engine + ": ")) << o.err;
    EXPECT_EQ(o.out, "");
  }
  o = Run("--engine symbolic --json " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_FALSE(Contains(o.err, "note:")) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["engine"]["name"], "symbolic");
  EXPECT_FALSE(j["proposed"].get<bool>());
}

#ifdef FLASHSYNTH_HAVE_PLUGIN
// A corrupt model is found when it is loaded: --engine neural loads at once
// and stops; the hybrid engine loads it only when needed (one example and a
// three-word name: the candidates part on it), says so, and keeps the
// symbolic programs.
TEST_F(CliTest, ACorruptModelIsNamed) {
  const std::string csv = Write("t.csv", "name,last\nAda Lovelace,Lovelace\nGrace Brewster Hopper,\n");
  const std::string model = Write("bad.fsnn", "not a model file at all");
  Outcome o = Run("--engine neural --model " + model + " " + csv);
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_TRUE(Contains(o.err, "--engine neural: " + model + ": ")) << o.err;
  EXPECT_EQ(o.out, "");
  o = Run("--engine hybrid --json --model " + model + " " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(Contains(o.err, "the neural proposer failed (" + model + ": ")) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["engine"]["name"], "hybrid");
  EXPECT_EQ(j["engine"]["model_loaded"], false);
  EXPECT_EQ(j["search"]["model_consulted"], true);
  EXPECT_EQ(j["rows"][1]["output"], "Hopper");
  EXPECT_FALSE(Contains(o.err, "terminate")) << o.err;
}

// LibTorch is loaded only when a run needs the model: never for --help, the
// symbolic engine, or a hybrid run whose candidates fill every row alike
// (the dynamic loader's log, LD_DEBUG=files, names every library it loads).
TEST_F(CliTest, LibTorchIsLoadedOnlyWhenTheModelIsNeeded) {
  const std::string names = std::string(FLASHSYNTH_SOURCE_DIR) + "/examples/names.csv";
  Outcome o = Run("--help", "", {"LD_DEBUG=files"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_FALSE(Contains(o.err, "libtorch")) << o.err.substr(0, 2000);
  o = Run("--json " + names, "", {"LD_DEBUG=files"});
  EXPECT_EQ(o.exit_code, 0) << o.err.substr(0, 2000);
  EXPECT_FALSE(Contains(o.err, "libtorch")) << o.err.substr(0, 2000);
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["engine"]["name"], "hybrid");
  EXPECT_EQ(j["engine"]["model_loaded"], false);
  EXPECT_EQ(j["search"]["model_consulted"], false);
  EXPECT_EQ(j["rows"][2]["output"], "Turing, A.");
  o = Run("--engine symbolic " + names, "", {"LD_DEBUG=files"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_FALSE(Contains(o.err, "libtorch")) << o.err.substr(0, 2000);

  // One example: the candidates part on a three-word name; the model ranks them.
  const std::string csv = Write("t.csv", "name,last\nAda Lovelace,Lovelace\nGrace Brewster Hopper,\n");
  o = Run("--json " + csv, "", {"LD_DEBUG=files"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(Contains(o.err, "libtorch")) << o.err.substr(0, 2000);
  j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["engine"]["model_loaded"], true);
  EXPECT_EQ(j["search"]["model_consulted"], true);
}

// --engine neural says what it loaded.
TEST_F(CliTest, NeuralEngineSaysWhatItLoaded) {
  const std::string csv = Write("t.csv", "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\n"
                                         "Grace Hopper,Hopper\nEdsger Dijkstra,Dijkstra\nBarbara Liskov,\n");
  Outcome o = Run("--engine neural --beam 20 --json " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(Contains(o.err, "flashsynth: loaded plugin ")) << o.err;
  EXPECT_TRUE(Contains(o.err, "libflashsynth-robustfill.so (RobustFill proposer (LibTorch ")) << o.err;
  EXPECT_TRUE(Contains(o.err, "robustfill.fsnn (attention-")) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["engine"]["name"], "neural");
  EXPECT_EQ(j["engine"]["model_loaded"], true);
}

// A plugin that is not there: the default engine notes it and stays
// symbolic; --engine neural stops.
TEST_F(CliTest, AMissingPluginIsANoteOrAnError) {
  const std::string csv = Write("t.csv", "name,last\nAda Lovelace,Lovelace\nAlan Turing,\n");
  const std::string env = "FLASHSYNTH_NEURAL_PLUGIN=" + (dir_ / "absent.so").string();
  Outcome o = Run(csv, "", {env});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(Contains(o.err, "note: the neural proposer is off (no neural plugin at " + (dir_ / "absent.so").string()))
      << o.err;
  EXPECT_EQ(o.out, "name,last\nAda Lovelace,Lovelace\nAlan Turing,Turing\n");
  o = Run("--engine neural " + csv, "", {env});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_TRUE(Contains(o.err, "--engine neural: no neural plugin at ")) << o.err;
}
#endif  // FLASHSYNTH_HAVE_PLUGIN

TEST_F(CliTest, HelpDescribesTheFlagsAndExitsZero) {
  Outcome o = Run("--help");
  EXPECT_EQ(o.exit_code, 0);
  for (const char* flag : {"--output-column", "--json", "--strict", "--timeout", "--alternatives", "--no-solver",
                           "--engine", "--model", "--beam", "--program", "-o,--output", "Exit status"}) {
    EXPECT_TRUE(Contains(o.out, flag)) << flag << "\n" << o.out;
  }
}

// ---------------------------------------------------------------------------
// Running a given program (--program, --program-file).

constexpr char kNames[] =
    "name,formatted\nAda Lovelace,\"Lovelace, A.\"\nGrace Hopper,\nAlan Turing,\n";
constexpr char kProgram[] =
    "'Concat(GetToken(Word, -1), ConstStr(\", \"), GetToken(AllCaps, 1), ConstStr(\".\"))'";

TEST_F(CliTest, GivenProgramFillsTheRowsWithoutOutputAndKeepsTheRest) {
  const std::string csv = Write("names.csv", kNames);
  Outcome o = Run(std::string("--program ") + kProgram + " " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "name,formatted\nAda Lovelace,\"Lovelace, A.\"\nGrace Hopper,\"Hopper, G.\"\n"
            "Alan Turing,\"Turing, A.\"\n");
  EXPECT_TRUE(Contains(o.err, "1 example(s), 1 reproduced; 2 row(s) filled")) << o.err;
}

TEST_F(CliTest, GivenProgramFileRunsTheShippedExample) {
  Outcome o = Run(std::string("--program-file ") + FLASHSYNTH_SOURCE_DIR +
                  "/examples/names.program " + FLASHSYNTH_SOURCE_DIR + "/examples/names.csv");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(Contains(o.out, "Grace Hopper,\"Hopper, G.\"")) << o.out;
}

TEST_F(CliTest, GivenProgramReadsStandardInputAndNamedOutputColumn) {
  Outcome o = Run(std::string("--output-column 1 --program 'Concat(GetToken(Word, 1))' -"),
                  "first,full\n,Ada Lovelace\n");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "first,full\nAda,Ada Lovelace\n");
}

TEST_F(CliTest, GivenProgramPrintsJsonWithTheProgramAndItsAst) {
  const std::string csv = Write("names.csv", kNames);
  Outcome o = Run(std::string("--json --program ") + kProgram + " " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  nlohmann::json j = nlohmann::json::parse(o.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << o.out;
  EXPECT_TRUE(j.contains("ast"));
  EXPECT_EQ(j["rows"][1]["output"], "Hopper, G.");
  EXPECT_EQ(j["rows"][0]["fits"], true);
}

TEST_F(CliTest, GivenProgramThatContradictsAnExampleExitsOne) {
  const std::string csv = Write("names.csv", "name,first\nAda Lovelace,Lovelace\nGrace Hopper,\n");
  Outcome o = Run("--program 'Concat(GetToken(Word, 1))' " + csv);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_TRUE(
      Contains(o.err, "line 2: the example says \"Lovelace\", the program gives \"Ada\""))
      << o.err;
}

TEST_F(CliTest, GivenProgramRejectsBadProgramsWithExitTwo) {
  const BadInput cases[] = {
      {"bad program", "a,b\nx,\n", "--program 'Concat(GetToken(Verb, 1))'", "--program: line 1"},
      {"program reads x3", "a,b\nx,\n", "--program 'Concat(SubStr(x3, 1, 2))'", "reads x3"},
      {"both programs", "a,b\nx,\n", "--program 'Concat(x1)' --program-file p", "excludes"},
      {"missing program file", "a,b\nx,\n", "--program-file /nonexistent/p", "cannot open"},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string csv = Write("bad.csv", c.csv);
    Outcome o = Run(std::string(c.args) + " " + csv);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_TRUE(Contains(o.err, c.error)) << o.err;
  }
}

}  // namespace
}  // namespace flashsynth
