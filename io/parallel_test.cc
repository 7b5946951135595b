#include "io/parallel.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace flashsynth::io {
namespace {

struct Shape {
  size_t count;
  int jobs;
  bool watch;  // with an on_tick (the calling thread watches)
};

constexpr Shape kShapes[] = {
    {0, 1, false}, {0, 3, true},   {1, 1, false},  {1, 4, true},  {5, 1, false},
    {5, 1, true},  {7, 3, false},  {7, 3, true},   {3, 8, false}, {3, 8, true},
    {200, 4, false}, {200, 4, true},
};

TEST(ParallelForTest, RunsEveryItemOnceOnAtMostJobsWorkers) {
  for (const Shape& s : kShapes) {
    SCOPED_TRACE(testing::Message() << s.count << " items, " << s.jobs << " jobs, watch " << s.watch);
    std::vector<int> runs(s.count, 0);
    std::vector<int> workers(s.count, -1);
    ParallelForOptions options;
    options.jobs = s.jobs;
    options.tick = std::chrono::milliseconds(1);
    size_t last_done = 0, ticks = 0;
    if (s.watch) {
      options.on_tick = [&](ParallelTick& t) {
        ++ticks;
        last_done = t.done();
        EXPECT_EQ(t.count(), s.count);
      };
    }
    const size_t abandoned = ParallelFor(s.count, options, [&](const WorkItem& item) {
      ++runs[item.index];
      workers[item.index] = item.worker;
      EXPECT_NE(item.cancel, nullptr);
      EXPECT_FALSE(item.cancel->load());
    });
    EXPECT_EQ(abandoned, 0u);
    for (size_t i = 0; i < s.count; ++i) {
      EXPECT_EQ(runs[i], 1) << i;
      EXPECT_GE(workers[i], 0) << i;
      EXPECT_LT(workers[i], std::min<int>(s.jobs, static_cast<int>(s.count))) << i;
    }
    if (s.watch) {
      EXPECT_GE(ticks, 1u);
      EXPECT_EQ(last_done, s.count);  // the last tick sees every item done
    }
  }
}

TEST(ParallelForTest, WithoutATickTheCallingThreadIsWorkerZero) {
  const std::thread::id caller = std::this_thread::get_id();
  ParallelForOptions options;
  options.jobs = 3;
  std::mutex mu;
  std::set<std::thread::id> zero, others;
  ParallelFor(30, options, [&](const WorkItem& item) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mu);
    (item.worker == 0 ? zero : others).insert(std::this_thread::get_id());
  });
  EXPECT_EQ(zero, std::set<std::thread::id>{caller});
  EXPECT_EQ(others.count(caller), 0u);
}

TEST(ParallelForTest, CommitRunsUnderOneLock) {
  ParallelForOptions options;
  options.jobs = 8;
  int total = 0;  // no lock of its own
  ParallelFor(1000, options, [&](const WorkItem& item) {
    EXPECT_TRUE(item.Commit([&] { total += 1; }));
  });
  EXPECT_EQ(total, 1000);
}

// The watchdog cancels items that run too long; bodies that poll the flag stop.
TEST(ParallelForTest, TheTickSeesRunningItemsAndCancelsThem) {
  ParallelForOptions options;
  options.jobs = 2;
  options.tick = std::chrono::milliseconds(5);
  std::atomic<int> seen_running{0};
  options.on_tick = [&](ParallelTick& t) {
    for (const ParallelTick::Running& r : t.running()) {
      EXPECT_LT(r.index, 4u);
      EXPECT_GE(r.seconds, 0);
      ++seen_running;
      if (r.seconds > 0.02) t.Cancel(r.index);
    }
  };
  std::vector<bool> cancelled(4, false);
  const size_t abandoned = ParallelFor(4, options, [&](const WorkItem& item) {
    while (!item.cancel->load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    cancelled[item.index] = true;
  });
  EXPECT_EQ(abandoned, 0u);
  EXPECT_EQ(cancelled, std::vector<bool>(4, true));
  EXPECT_GT(seen_running.load(), 0);
}

// An item whose body ignores its cancel flag is abandoned: a new worker
// finishes the others, and the stuck body's late Commit is dropped.
TEST(ParallelForTest, AnAbandonedItemIsReplacedAndItsLateResultDropped) {
  struct Shared {
    std::atomic<bool> release{false};
    std::atomic<int> late_commit{-1};  // 1: ran, 0: dropped
  };
  auto shared = std::make_shared<Shared>();
  std::vector<int> results(6, 0);
  ParallelForOptions options;
  options.jobs = 1;
  options.tick = std::chrono::milliseconds(5);
  options.on_tick = [&](ParallelTick& t) {
    for (const ParallelTick::Running& r : t.running()) {
      if (r.seconds > 0.05) t.Abandon(r.index);
    }
  };
  const size_t abandoned = ParallelFor(6, options, [&results, shared](const WorkItem& item) {
    if (item.index == 2) {
      while (!shared->release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      shared->late_commit = item.Commit([] {}) ? 1 : 0;
      return;
    }
    item.Commit([&] { results[item.index] = 1; });
  });
  EXPECT_EQ(abandoned, 1u);
  EXPECT_EQ(results, (std::vector<int>{1, 1, 0, 1, 1, 1}));
  shared->release = true;
  while (shared->late_commit.load() < 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(shared->late_commit.load(), 0);
}

}  // namespace
}  // namespace flashsynth::io
