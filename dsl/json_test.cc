#include "dsl/json.h"

#include "dsl/sampler.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using Json = nlohmann::json;

TEST(JsonTest, WritesTheDocumentedShape) {
  Program p = Program::Concat(
      {Expr::Modification(Op::kToCase, {Arg::OfCase(Case::kTitle)},
                          Expr::Substring(Op::kGetUpto, {Arg::OfRegex(Regex::Delimiter('@'))}, 1)),
       Expr::ConstStr("!")});
  EXPECT_EQ(ProgramToJson(p), Json::parse(R"({"concat": [
      {"op": "ToCase", "args": ["Title"],
       "source": {"op": "GetUpto", "args": ["@"], "column": 2}},
      {"op": "ConstStr", "args": ["!"]}]})"));
}

TEST(JsonTest, ReadsSwitchWithDefaults) {
  absl::StatusOr<Program> p = ProgramFromJson(Json::parse(R"({"switch": [
      {"when": [{"regex": "Number", "count": 2, "negated": true}],
       "concat": [{"op": "GetToken", "args": ["Word", -1]}]},
      {"concat": [{"op": "ConstStr", "args": ["none"]}]}]})"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->ToString(),
            R"(Switch((Not(Match(x1, Number, 2)), Concat(GetToken(Word, -1))), )"
            R"((True, Concat(ConstStr("none")))))");
}

TEST(JsonTest, WritesNumberOperatorsWithExactDecimals) {
  absl::StatusOr<Program> p = ProgramFromJson(Json::parse(R"({"concat": [
      {"op": "Format", "args": ["#,##0.00", "Comma", "Parens"],
       "source": {"op": "Round", "args": ["Floor", "0.050"],
                  "source": {"op": "ReadNumber", "args": ["Dot", -1], "column": 2}}}]})"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->ToString(),
            R"(Concat(Format("#,##0.00", Comma, Parens, Round(Floor, 0.05, ReadNumber(Dot, -1, x2)))))");
  EXPECT_EQ(ProgramToJson(*p)["concat"][0]["source"]["args"][1], Json("0.05"));
  absl::StatusOr<Program> back = ProgramFromJson(ProgramToJson(*p));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, *p);
}

TEST(JsonTest, RoundTripsSampledPrograms) {
  Sampler sampler(SamplerOptions::Extended(), /*seed=*/7);
  for (int i = 0; i < 500; ++i) {
    Program p = sampler.Next().program;
    absl::StatusOr<Program> back = ProgramFromJson(Json::parse(ProgramToJson(p).dump()));
    ASSERT_TRUE(back.ok()) << p.ToString() << ": " << back.status();
    EXPECT_EQ(*back, p);
  }
}

struct BadJson {
  const char* json;
  const char* error;  // a substring of the message
};

TEST(JsonTest, NamesThePathOfEachFault) {
  const BadJson cases[] = {
      {R"([])", "$: expected"},
      {R"({"concat": []})", "concat: expected a non-empty list"},
      {R"({"concat": [{"args": []}]})", "concat[0]: expected \"op\""},
      {R"({"concat": [{"op": "Frobnicate"}]})", "concat[0].op: unknown operator Frobnicate"},
      {R"({"concat": [{"op": "GetToken", "args": ["Word"]}]})", "concat[0].args: expected a list of 2"},
      {R"({"concat": [{"op": "GetToken", "args": ["Verb", 1]}]})", "concat[0].args[0]: expected a type"},
      {R"({"concat": [{"op": "GetToken", "args": ["Word", "1"]}]})", "concat[0].args[1]: expected an integer"},
      {R"({"concat": [{"op": "GetToken", "args": ["Word", 9]}]})", "out of range"},
      {R"({"concat": [{"op": "Replace", "args": ["x", ","]}]})", "concat[0].args[0]: expected a one-character delimiter"},
      {R"({"concat": [{"op": "Trim", "args": [], "column": 0}]})", "concat[0].column: expected a column"},
      {R"({"concat": [{"op": "GetToken", "args": ["Word", 1], "source": {"op": "Trim"}}]})", "only a modification"},
      {R"({"switch": [{"when": [{"regex": "Verb"}], "concat": [{"op": "Trim"}]}]})", "switch[0].when[0].regex"},
      // Decimals are strings (a JSON float would not be exact).
      {R"({"concat": [{"op": "Format", "args": ["0", "Dot", "Minus"], "source": {"op": "Round", "args": ["Floor", 0.05], "source": {"op": "ReadNumber", "args": ["Dot", 1]}}}]})",
       "concat[0].source.args[1]: expected a decimal number as a string"},
      {R"({"concat": [{"op": "Format", "args": ["0", "Dot", "Minus"], "source": {"op": "Round", "args": ["Up", "1"], "source": {"op": "ReadNumber", "args": ["Dot", 1]}}}]})",
       "concat[0].source.args[0]: expected a rounding"},
      {R"({"concat": [{"op": "Format", "args": ["0", "Dot", "Minus"]}]})", "Format reads a number"},
      {R"({"concat": [{"op": "ReadNumber", "args": ["Dot", 1]}]})", "ReadNumber gives a number"},
  };
  for (const BadJson& c : cases) {
    SCOPED_TRACE(c.json);
    absl::StatusOr<Program> p = ProgramFromJson(Json::parse(c.json));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(c.error), absl::string_view::npos) << p.status();
  }
}

TEST(JsonTest, RejectsNestingPastTheLimitWithoutRecursingForever) {
  Json j = {{"op", "GetToken"}, {"args", {"Word", 1}}};
  for (int i = 0; i < 200; ++i) j = Json{{"op", "Trim"}, {"args", Json::array()}, {"source", std::move(j)}};
  absl::StatusOr<Program> p = ProgramFromJson(Json{{"concat", {j}}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("nesting deeper"), absl::string_view::npos) << p.status();
}

}  // namespace
}  // namespace flashsynth::dsl
