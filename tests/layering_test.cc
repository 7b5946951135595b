// The house's layers, checked on every #include of the source tree.
//
//   dsl <- solver, neural <- synth <- synth/cli, benchmarks, examples
//
// Each source file belongs to the deepest folder of kLayers that holds it;
// an #include "..." of one of our files is allowed when the included
// file's layer is the includer's own or one it may use (Layers()). Headers
// in a folder's internal/ are its layer's own (neural/internal/ is shared
// with the model families), not for the layers above. A violation names the file, the line and
// the edge, e.g.
//   neural/tokens.h:12: neural includes synth/proposer.h (synth): neural may
//   use dsl, neural
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth {
namespace {

struct Layer {
  const char* folder;             // relative to the source root, no trailing '/'
  std::vector<std::string> uses;  // the layers (folders) it may include, besides its own
};

// The house's shape (docs/architecture.md). A file belongs to the longest
// folder that is a prefix of its path.
const std::vector<Layer>& Layers() {
  static const auto* layers = new std::vector<Layer>{
      {"io", {}},
      {"dsl", {}},
      {"solver", {"dsl"}},
      {"solver/tools", {"solver", "dsl", "io"}},
      {"neural", {"dsl"}},
      {"neural/robustfill", {"neural", "dsl"}},
      {"neural/induction", {"neural", "dsl"}},
      {"neural/tools", {"neural/robustfill", "neural/induction", "neural", "dsl", "io"}},
      {"synth", {"solver", "dsl"}},
      // The hybrid glue loads the models' plugin: it sees neural/'s Torch-free
      // shared headers, never a model family's code.
      {"synth/hybrid", {"synth", "neural", "solver", "dsl"}},
      {"synth/cli", {"synth/hybrid", "synth", "dsl", "io"}},
      {"benchmarks", {"synth/hybrid", "synth", "dsl", "io"}},
      {"examples", {"synth", "dsl"}},
      {"tests", {"synth", "solver", "dsl", "io"}},
      {"tests/fuzz", {"dsl"}},
  };
  return *layers;
}

// The layer of a path relative to the source root, or nullopt when the path
// is outside every layer (then it is not ours to check).
std::optional<std::string> LayerOf(const std::string& path) {
  std::optional<std::string> best;
  for (const Layer& l : Layers()) {
    const std::string folder = l.folder;
    if (path.compare(0, folder.size() + 1, folder + "/") == 0 &&
        (!best || folder.size() > best->size())) {
      best = folder;
    }
  }
  return best;
}

const Layer* FindLayer(const std::string& folder) {
  for (const Layer& l : Layers()) {
    if (folder == l.folder) return &l;
  }
  return nullptr;
}

struct SourceFile {
  std::string path;      // relative to the source root
  std::string contents;
};

// Every broken rule of `file`'s #include lines, one message each.
std::vector<std::string> CheckIncludes(const SourceFile& file) {
  std::vector<std::string> violations;
  const std::optional<std::string> from = LayerOf(file.path);
  if (!from) return violations;
  const Layer& layer = *FindLayer(*from);
  static const std::regex kInclude(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::istringstream lines(file.contents);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::smatch m;
    if (!std::regex_search(line, m, kInclude)) continue;
    const std::string included = m[1];
    const std::optional<std::string> to = LayerOf(included);
    if (!to) continue;  // a third-party header ("absl/...", "CLI/...")
    const std::string where = file.path + ":" + std::to_string(number) + ": ";
    const bool allowed = *to == *from || std::find(layer.uses.begin(), layer.uses.end(), *to) !=
                                             layer.uses.end();
    if (!allowed) {
      std::string uses;
      for (const std::string& u : layer.uses) uses += (uses.empty() ? "" : ", ") + u;
      violations.push_back(where + *from + " includes " + included + " (" + *to + "): " + *from +
                           " may use " + (uses.empty() ? "nothing else" : uses));
      continue;
    }
    // X/internal/... belongs to X's layer (and to the model families, for
    // neural/internal/: the Torch helpers they share).
    const size_t internal = included.find("/internal/");
    if (internal != std::string::npos) {
      const std::string owner = included.substr(0, internal);
      const bool own = LayerOf(owner + "/internal/") == *from;
      const bool shared = owner == "neural" && (*from == "neural/robustfill" || *from == "neural/induction");
      if (!own && !shared) {
        violations.push_back(where + "includes " + included + ", internal to " + owner + "/");
      }
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------
// The rules on planted files (each a back-edge or an allowed edge).

struct Case {
  const char* path;
  const char* contents;
  const char* violation;  // a part of the message, or "" for none
};

const Case kCases[] = {
    {"neural/tokens.cc", "// x\n#include \"neural/tokens.h\"\n#include \"synth/proposer.h\"\n",
     "neural/tokens.cc:3: neural includes synth/proposer.h (synth): neural may use dsl"},
    {"solver/encode.cc", "#include \"neural/decoder.h\"\n",
     "solver/encode.cc:1: solver includes neural/decoder.h (neural)"},
    {"dsl/program.cc", "#include \"io/files.h\"\n", "dsl/program.cc:1: dsl includes io/files.h (io)"},
    {"synth/synthesizer.cc", "#include \"neural/robustfill/proposer.h\"\n",
     "synth includes neural/robustfill/proposer.h (neural/robustfill)"},
    {"synth/hybrid/x.cc", "#include \"neural/robustfill/robustfill_model.h\"\n",
     "synth/hybrid includes neural/robustfill/robustfill_model.h"},
    {"neural/induction/x.cc", "#include \"neural/robustfill/robustfill_model.h\"\n",
     "neural/induction includes neural/robustfill/robustfill_model.h"},
    {"synth/cli/main.cc", "#include \"synth/internal/evidence.h\"\n",
     "synth/cli/main.cc:1: includes synth/internal/evidence.h, internal to synth/"},
    {"synth/cli/main.cc", "#include \"solver/sketch.h\"\n", "synth/cli includes solver/sketch.h"},
    {"benchmarks/bench_main.cc", "#include \"neural/robustfill/proposer.h\"\n",
     "benchmarks includes neural/robustfill/proposer.h"},
    // Allowed edges.
    {"synth/internal/concat_learner.cc", "#include \"synth/internal/evidence.h\"\n#include \"dsl/text.h\"\n", ""},
    {"synth/hybrid/x.cc", "#include \"neural/plugin_api.h\"\n#include \"solver/sketch.h\"\n", ""},
    {"neural/tools/x.cc", "#include \"neural/induction/induction.h\"\n#include \"io/files.h\"\n", ""},
    {"neural/robustfill/x.cc", "#include \"neural/internal/container.h\"\n", ""},
    {"neural/tools/x.cc", "#include \"neural/robustfill/internal/robustfill_net.h\"\n",
     "neural/tools/x.cc:1: includes neural/robustfill/internal/robustfill_net.h, internal to neural/robustfill/"},
    {"neural/induction/x.cc", "#include \"neural/robustfill/internal/robustfill_net.h\"\n",
     "neural/induction includes neural/robustfill/internal/robustfill_net.h"},
    {"dsl/x.cc", "#include \"absl/status/status.h\"\n#include <vector>\n", ""},
    {"scripts/x.cc", "#include \"neural/robustfill/proposer.h\"\n", ""},  // not a layer
};

TEST(LayeringTest, RulesOnPlantedFiles) {
  for (const Case& c : kCases) {
    const std::vector<std::string> v = CheckIncludes({c.path, c.contents});
    if (*c.violation == '\0') {
      EXPECT_THAT(v, ::testing::IsEmpty()) << c.path;
    } else {
      ASSERT_EQ(v.size(), 1u) << c.path << ": " << c.contents;
      EXPECT_THAT(v[0], ::testing::HasSubstr(c.violation));
    }
  }
}

TEST(LayeringTest, EveryLayerUsesOnlyKnownLayers) {
  for (const Layer& l : Layers()) {
    for (const std::string& u : l.uses) EXPECT_NE(FindLayer(u), nullptr) << l.folder << " uses " << u;
  }
}

// ---------------------------------------------------------------------------
// The tree itself.

std::vector<SourceFile> SourceTree(const std::filesystem::path& root) {
  std::vector<SourceFile> files;
  for (const Layer& l : Layers()) {
    const std::filesystem::path folder = root / l.folder;
    if (!std::filesystem::is_directory(folder)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".h" && ext != ".cc")) continue;
      const std::string rel = std::filesystem::relative(entry.path(), root).generic_string();
      if (LayerOf(rel) != std::string(l.folder)) continue;  // a deeper layer's: read there
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      files.push_back({rel, s.str()});
    }
  }
  return files;
}

TEST(LayeringTest, TheTreeHasNoEdgeAgainstTheLayers) {
  const std::vector<SourceFile> files = SourceTree(FLASHSYNTH_SOURCE_DIR);
  ASSERT_GT(files.size(), 100u) << "read too few files under " << FLASHSYNTH_SOURCE_DIR;
  std::set<std::string> layers_seen;
  std::string report;
  for (const SourceFile& f : files) {
    layers_seen.insert(*LayerOf(f.path));
    for (const std::string& v : CheckIncludes(f)) report += v + "\n";
  }
  EXPECT_EQ(report, "") << "edges against the layers (docs/architecture.md):\n" << report;
  for (const char* needed : {"dsl", "solver", "synth", "synth/cli", "benchmarks"}) {
    EXPECT_TRUE(layers_seen.count(needed)) << "no file read in " << needed;
  }
}

}  // namespace
}  // namespace flashsynth
