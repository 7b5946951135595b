#include "io/testing/scratch_dir.h"

#include <unistd.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace flashsynth::io {
namespace {

TEST(ScratchDirTest, IsFreshAndGoesWithTheObject) {
  std::filesystem::path where;
  {
    ScratchDir first("scratch_dir_test");
    first.Write("left.txt", "from before");
  }
  {
    ScratchDir dir("scratch_dir_test");
    where = dir.path();
    EXPECT_EQ(where.filename().string(), "scratch_dir_test_" + std::to_string(getpid()));
    EXPECT_TRUE(std::filesystem::is_directory(where));
    EXPECT_TRUE(std::filesystem::is_empty(where));
    EXPECT_EQ(dir / "a.txt", where / "a.txt");
  }
  EXPECT_FALSE(std::filesystem::exists(where));
}

struct FileCase {
  const char* name;
  std::string contents;
};

TEST(ScratchDirTest, WritesAndReadsBytesAsTheyAre) {
  const FileCase cases[] = {
      {"empty.txt", ""},
      {"lines.csv", "a,b\r\nx,y\n"},
      {"bytes.bin", std::string("\0\xff\x80z", 4)},
  };
  ScratchDir dir("scratch_dir_test_io");
  for (const FileCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = dir.Write(c.name, c.contents);
    EXPECT_EQ(path, (dir / c.name).string());
    EXPECT_EQ(ReadWholeFile(path), c.contents);
  }
  EXPECT_EQ(ReadWholeFile(dir / "absent.txt"), "");
}

}  // namespace
}  // namespace flashsynth::io
