// Round trips of sampled programs through the text form and the JSON form.
#include <iostream>

#include "dsl/json.h"
#include "dsl/parser.h"
#include "dsl/sampler.h"
#include "gtest/gtest.h"

namespace flashsynth {
namespace {

constexpr int kRoundTrips = 10000;

TEST(RoundTripTest, TenThousandSampledProgramsSurviveTextAndJson) {
  dsl::Sampler sampler(dsl::SamplerOptions::Extended(), /*seed=*/2017);
  int text_ok = 0, json_ok = 0;
  for (int i = 0; i < kRoundTrips; ++i) {
    const dsl::Program p = sampler.Next().program;
    absl::StatusOr<dsl::Program> from_text = dsl::Parse(p.ToString());
    if (from_text.ok() && *from_text == p && from_text->ToString() == p.ToString()) {
      ++text_ok;
    } else {
      ADD_FAILURE() << p.ToString() << ": "
                    << (from_text.ok() ? from_text->ToString() : from_text.status().ToString());
    }
    absl::StatusOr<dsl::Program> from_json =
        dsl::ProgramFromJson(nlohmann::json::parse(dsl::ProgramToJson(p).dump()));
    if (from_json.ok() && *from_json == p) {
      ++json_ok;
    } else {
      ADD_FAILURE() << "JSON: " << p.ToString();
    }
  }
  std::cout << "round trips: text " << text_ok << "/" << kRoundTrips << ", JSON " << json_ok
            << "/" << kRoundTrips << "\n";
  EXPECT_EQ(text_ok, kRoundTrips);
  EXPECT_EQ(json_ok, kRoundTrips);
}

}  // namespace
}  // namespace flashsynth
