// End-to-end tests of the flashsynth command line.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace flashsynth {
namespace {

struct Outcome {
  int exit_code;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("flashsynth_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& contents) {
    std::ofstream(dir_ / name, std::ios::binary) << contents;
    return (dir_ / name).string();
  }

  // Runs flashsynth with `args` (already shell-quoted where needed).
  Outcome Run(const std::string& args, const std::string& stdin_text = "") {
    const std::string in = Write("stdin.txt", stdin_text);
    const std::string cmd = std::string(FLASHSYNTH_BIN) + " " + args + " <" + in + " >" +
                            (dir_ / "out.txt").string() + " 2>" + (dir_ / "err.txt").string();
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadAll(dir_ / "out.txt"),
            ReadAll(dir_ / "err.txt")};
  }

  std::filesystem::path dir_;
};

constexpr char kNames[] =
    "name,formatted\nAda Lovelace,\"Lovelace, A.\"\nGrace Hopper,\nAlan Turing,\n";
constexpr char kProgram[] =
    "'Concat(GetToken(Word, -1), ConstStr(\", \"), GetToken(AllCaps, 1), ConstStr(\".\"))'";

TEST_F(CliTest, FillsTheRowsWithoutOutputAndKeepsTheRest) {
  const std::string csv = Write("names.csv", kNames);
  Outcome o = Run(std::string("--program ") + kProgram + " " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out,
            "name,formatted\nAda Lovelace,\"Lovelace, A.\"\nGrace Hopper,\"Hopper, G.\"\n"
            "Alan Turing,\"Turing, A.\"\n");
  EXPECT_NE(o.err.find("1 example(s), 1 reproduced; 2 row(s) filled"), std::string::npos) << o.err;
}

TEST_F(CliTest, RunsTheShippedExample) {
  Outcome o = Run(std::string("--program-file ") + FLASHSYNTH_SOURCE_DIR +
                  "/examples/names.program " + FLASHSYNTH_SOURCE_DIR + "/examples/names.csv");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("Grace Hopper,\"Hopper, G.\""), std::string::npos) << o.out;
}

TEST_F(CliTest, ReadsStandardInputAndNamedOutputColumn) {
  Outcome o = Run(std::string("--output-column 1 --program 'Concat(GetToken(Word, 1))' -"),
                  "first,full\n,Ada Lovelace\n");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "first,full\nAda,Ada Lovelace\n");
}

TEST_F(CliTest, WritesTheOutputFileAtomicallyAndNeverOverTheInput) {
  const std::string csv = Write("names.csv", kNames);
  const std::string out = (dir_ / "filled.csv").string();
  Outcome o = Run(std::string("--program ") + kProgram + " -o " + out + " " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(ReadAll(out).find("Hopper, G."), std::string::npos);
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
  o = Run(std::string("--program ") + kProgram + " -o " + csv + " " + csv);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("refusing to overwrite"), std::string::npos) << o.err;
  EXPECT_EQ(ReadAll(csv), kNames);
}

TEST_F(CliTest, PrintsJsonWithTheProgramAndItsAst) {
  const std::string csv = Write("names.csv", kNames);
  Outcome o = Run(std::string("--json --program ") + kProgram + " " + csv);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("\"ast\""), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\"output\": \"Hopper, G.\""), std::string::npos) << o.out;
}

TEST_F(CliTest, ExitsOneWhenTheProgramContradictsAnExample) {
  const std::string csv = Write("names.csv", "name,first\nAda Lovelace,Lovelace\nGrace Hopper,\n");
  Outcome o = Run("--program 'Concat(GetToken(Word, 1))' " + csv);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("line 2: the example says \"Lovelace\", the program gives \"Ada\""),
            std::string::npos)
      << o.err;
}

struct BadInput {
  const char* name;
  const char* csv;
  const char* args;
  const char* error;  // substring of stderr
};

TEST_F(CliTest, RejectsBadInputWithAClearErrorAndExitTwo) {
  const BadInput cases[] = {
      {"ragged", "a,b\nx,y,z\n", "", "line 2"},
      {"bad quote", "a,b\n\"x\"y,z\n", "", "line 2"},
      {"unterminated", "a,b\n\"x,y\n", "", "line 2"},
      {"empty file", "", "", "empty"},
      {"non-UTF-8", "a,b\nx\xff,y\n", "", "line 2"},
      {"missing output column", "a,b\nx,\n", "--output-column zz", "zz"},
      {"one column", "a\nx\n", "", "column"},
      {"bad program", "a,b\nx,\n", "--program 'Concat(GetToken(Verb, 1))'", "--program: line 1"},
      {"program reads x3", "a,b\nx,\n", "--program 'Concat(SubStr(x3, 1, 2))'", "reads x3"},
  };
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string csv = Write("bad.csv", c.csv);
    std::string args = c.args;
    if (args.find("--program") == std::string::npos) args += " --program 'Concat(ConstStr(\"k\"))'";
    Outcome o = Run(args + " " + csv);
    EXPECT_EQ(o.exit_code, 2) << o.err;
    EXPECT_NE(o.err.find(c.error), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("terminate"), std::string::npos) << o.err;
  }
}

TEST_F(CliTest, ExplainsThatTheSynthesizerIsNotBuiltYet) {
  const std::string csv = Write("names.csv", kNames);
  Outcome o = Run(csv);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("not built yet"), std::string::npos) << o.err;
}

TEST_F(CliTest, HelpExitsZero) {
  Outcome o = Run("--help");
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_NE(o.out.find("--output-column"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace flashsynth
