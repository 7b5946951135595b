// dsl/task_test.cc: ParseTaskCsv(), FormatTaskCsv() and Task's row views.
#include "dsl/task.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

TaskCsvOptions OutputColumn(std::string column) {
  TaskCsvOptions options;
  options.output_column = std::move(column);
  return options;
}

std::vector<int> LinesOf(const std::vector<const TaskRow*>& rows) {
  std::vector<int> out;
  for (const TaskRow* row : rows) out.push_back(row->line);
  return out;
}

TEST(ParseTaskCsvTest, ReadsTheHeaderExample) {
  absl::StatusOr<Task> t =
      ParseTaskCsv("name,initials\nAda Lovelace,A.L.\nAlan Turing,\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->input_names, ElementsAre("name"));
  EXPECT_EQ(t->output_name, "initials");
  EXPECT_EQ(t->output_column, 1);
  EXPECT_EQ(t->num_inputs(), 1);
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_THAT(t->rows[0].inputs, ElementsAre("Ada Lovelace"));
  EXPECT_THAT(t->rows[0].output, Optional(std::string("A.L.")));
  EXPECT_THAT(t->rows[1].inputs, ElementsAre("Alan Turing"));
  EXPECT_EQ(t->rows[1].output, std::nullopt);
  EXPECT_THAT(LinesOf(t->Examples()), ElementsAre(2));
  EXPECT_THAT(LinesOf(t->RowsToFill()), ElementsAre(3));
}

TEST(ParseTaskCsvTest, TakesEveryColumnButTheLastAsAnInputByDefault) {
  absl::StatusOr<Task> t = ParseTaskCsv(
      "first,last,city,email\n"
      "Ada,Lovelace,London,ada@lovelace.org\n"
      "Alan,Turing,Wilmslow,\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->input_names, ElementsAre("first", "last", "city"));
  EXPECT_EQ(t->output_name, "email");
  EXPECT_EQ(t->output_column, 3);
  EXPECT_THAT(t->rows[1].inputs, ElementsAre("Alan", "Turing", "Wilmslow"));
}

struct ColumnCase {
  std::string_view name;
  std::string output_column;
  int want_index;
  std::vector<std::string> want_inputs;  // of the row "1,2,3"
};

TEST(ParseTaskCsvTest, SelectsTheOutputColumnByNameOrNumber) {
  const std::vector<ColumnCase> cases = {
      {"default is the last", "", 2, {"1", "2"}},
      {"by name, middle", "b", 1, {"1", "3"}},
      {"by name, first", "a", 0, {"2", "3"}},
      {"by number, first", "1", 0, {"2", "3"}},
      {"by number, middle", "2", 1, {"1", "3"}},
      {"by number, last", "3", 2, {"1", "2"}},
  };
  for (const ColumnCase& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Task> t =
        ParseTaskCsv("a,b,c\n1,2,3\n", OutputColumn(c.output_column));
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(t->output_column, c.want_index);
    EXPECT_EQ(t->rows[0].inputs, c.want_inputs);
    EXPECT_THAT(t->rows[0].output, Optional(std::to_string(c.want_index + 1)));
  }
}

TEST(ParseTaskCsvTest, PrefersAHeaderNameOverAColumnNumber) {
  absl::StatusOr<Task> t = ParseTaskCsv("x,1,y\na,b,c\n", OutputColumn("1"));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->output_column, 1);
  EXPECT_EQ(t->output_name, "1");
  EXPECT_THAT(t->input_names, ElementsAre("x", "y"));
}

TEST(ParseTaskCsvTest, RejectsAnOutputColumnTheHeaderLacksListingTheNames) {
  for (const char* wanted : {"nope", "0", "4", "-1", "+2", " 2", "B"}) {
    SCOPED_TRACE(wanted);
    absl::StatusOr<Task> t = ParseTaskCsv("a,b,c\n1,2,3\n", OutputColumn(wanted));
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(t.status().message(), HasSubstr(std::string("\"") + wanted + "\""));
    EXPECT_THAT(t.status().message(), HasSubstr("\"a\", \"b\", \"c\""));
  }
}

struct ErrorCase {
  std::string_view name;
  std::string_view text;
  std::string_view want;  // a prefix of the message
};

TEST(ParseTaskCsvTest, RejectsTextThatHoldsNoTask) {
  const std::vector<ErrorCase> cases = {
      {"empty text", "", "empty input: no header row"},
      {"only blank lines", "\n\r\n\n", "empty input: no header row"},
      {"only a byte order mark", "\xEF\xBB\xBF", "empty input: no header row"},
      {"one-column header", "name\nAda\n", "line 1, column 1: the header has 1 column"},
      {"one-column header after blank lines", "\n\nname\n",
       "line 3, column 1: the header has 1 column"},
      {"unterminated quote", "a,b\n\"x\n", "line 3, column 1: quoted field opened"},
      {"ragged row", "a,b\n1,2\n1,2,3\n", "line 3, column 5: record has 3 fields"},
      {"invalid utf-8", "a,b\nx,\xC3\x28\n", "line 2, column 3: cell is not valid UTF-8"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Task> t = ParseTaskCsv(c.text);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(t.status().message()), StartsWith(std::string(c.want)));
  }
}

TEST(ParseTaskCsvTest, PassesCsvOptionsToTheReader) {
  TaskCsvOptions options;
  options.csv.max_cell_chars = 2;
  absl::StatusOr<Task> t = ParseTaskCsv("a,b\nxyz,1\n", options);
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(std::string(t.status().message()),
              StartsWith("line 2, column 1: cell has 3 characters"));
}

TEST(ParseTaskCsvTest, KeepsSourceLinesAcrossBlankLinesAndMultiLineCells) {
  absl::StatusOr<Task> t = ParseTaskCsv(
      "\xEF\xBB\xBF" "in,out\r\n\r\n\"two\nlines\",x\r\nlast,\r\n\nend,y");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->input_names, ElementsAre("in"));
  EXPECT_THAT(LinesOf(t->Examples()), ElementsAre(3, 7));
  EXPECT_THAT(LinesOf(t->RowsToFill()), ElementsAre(5));
  EXPECT_THAT(t->rows[0].inputs, ElementsAre("two\nlines"));
}

TEST(ParseTaskCsvTest, TreatsAnEmptyOutputAsARowToFillEvenWhenQuoted) {
  absl::StatusOr<Task> t = ParseTaskCsv("in,out\na,\nb,\"\"\nc,C\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(LinesOf(t->RowsToFill()), ElementsAre(2, 3));
  EXPECT_THAT(LinesOf(t->Examples()), ElementsAre(4));
}

TEST(ParseTaskCsvTest, TreatsAnEmptyOutputAsAnExampleWhenAskedTo) {
  TaskCsvOptions options;
  options.empty_output_means_fill = false;
  absl::StatusOr<Task> t = ParseTaskCsv("in,out\na,\nc,C\n", options);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->RowsToFill().empty());
  ASSERT_THAT(LinesOf(t->Examples()), ElementsAre(2, 3));
  EXPECT_THAT(t->rows[0].output, Optional(std::string("")));
  EXPECT_THAT(t->rows[1].output, Optional(std::string("C")));
}

TEST(ParseTaskCsvTest, AcceptsAHeaderWithoutRows) {
  absl::StatusOr<Task> t = ParseTaskCsv("in,out\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->rows.empty());
  EXPECT_EQ(t->output_name, "out");
}

TEST(FormatTaskCsvTest, FillsOutputsInPlaceKeepingHeaderAndRowOrder) {
  absl::StatusOr<Task> t = ParseTaskCsv(
      "first,email,last\nAda,ada@x.org,Lovelace\nAlan,,Turing\nGrace,,\"Hopper, G\"\n",
      OutputColumn("email"));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(FormatTaskCsv(*t, {std::nullopt, "alan@x.org", "say \"hi\""}),
            "first,email,last\n"
            "Ada,ada@x.org,Lovelace\n"
            "Alan,alan@x.org,Turing\n"
            "Grace,\"say \"\"hi\"\"\",\"Hopper, G\"\n");
}

TEST(FormatTaskCsvTest, LeavesCellsAsTheyWereWithoutOutputs) {
  absl::StatusOr<Task> t = ParseTaskCsv("\r\nin,out\r\na,A\r\n\r\nb,\r\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(FormatTaskCsv(*t, {}), "in,out\na,A\nb,\n");
  EXPECT_EQ(FormatTaskCsv(*t, {std::nullopt, std::nullopt}), "in,out\na,A\nb,\n");
}

TEST(FormatTaskCsvTest, RoundTripsThroughParseTaskCsv) {
  absl::StatusOr<Task> t = ParseTaskCsv(
      "\"a,1\",out,\"b\nc\"\n\"x\"\"y\",,\xEF\xBB\xBF\n,\"\r\n\",z\n",
      OutputColumn("2"));
  ASSERT_TRUE(t.ok()) << t.status();
  absl::StatusOr<Task> again = ParseTaskCsv(FormatTaskCsv(*t, {}), OutputColumn("2"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->input_names, t->input_names);
  EXPECT_EQ(again->output_name, t->output_name);
  EXPECT_EQ(again->output_column, t->output_column);
  ASSERT_EQ(again->rows.size(), t->rows.size());
  for (size_t i = 0; i < t->rows.size(); ++i) {
    EXPECT_EQ(again->rows[i].inputs, t->rows[i].inputs);
    EXPECT_EQ(again->rows[i].output, t->rows[i].output);
  }
  EXPECT_THAT(t->rows[0].inputs, ElementsAre("x\"y", "\xEF\xBB\xBF"));
  EXPECT_THAT(t->rows[1].output, Optional(std::string("\r\n")));
}

}  // namespace
}  // namespace flashsynth::dsl
