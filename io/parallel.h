// io/parallel.h: one parallel-for for the command-line tools.
//
// ParallelFor()
//
// Calls `body` once for every item 0..count-1, on `jobs` threads that take
// the next item as they become free. Returns when every item is finished or
// abandoned (below): the number of abandoned items, 0 in the usual case.
//
// The calling thread either works too (no `on_tick`: it is worker 0) or
// watches: it calls `on_tick` at least every `tick` and once more when
// every item is done, so that a tool can redraw its progress line there, or
// act as a watchdog over the running items:
//   - ParallelTick::Cancel(i) sets item i's cancel flag (WorkItem::cancel);
//     a body that polls it stops early;
//   - ParallelTick::Abandon(i) stops waiting for item i: it counts as done,
//     a fresh thread takes its worker's place, and the stuck thread is
//     detached. Its body may still return later: what it then stores through
//     WorkItem::Commit() is dropped. A tool that abandons an item should end
//     the process with std::_Exit() once its reports are written, since the
//     stuck thread may still run.
//
// Results: a body may write its own item's slot of a vector the caller owns
// (each slot has one writer; ParallelFor's return orders the writes before
// the caller's reads). A body whose item may be abandoned stores through
// Commit() instead. Commit() also serializes: it runs under the pool's lock,
// as `on_tick` does, so counters and output kept there need no lock of
// their own.
//
// Thread-safety: `body` runs on several threads at once; `on_tick` on the
// calling thread only. Exceptions must not leave `body` or `on_tick`.
//
// Example (a model copy per worker, a line per failure):
//   std::vector<Result> results(tasks.size());
//   io::ParallelForOptions options;
//   options.jobs = static_cast<int>(models.size());
//   io::ParallelFor(tasks.size(), options, [&](const io::WorkItem& item) {
//     Result r = Run(*models[item.worker], tasks[item.index]);
//     item.Commit([&] {
//       if (!r.ok) std::cerr << tasks[item.index].name << ": failed\n";
//       results[item.index] = std::move(r);
//     });
//   });
#ifndef FLASHSYNTH_IO_PARALLEL_H_
#define FLASHSYNTH_IO_PARALLEL_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace flashsynth::io {

namespace internal {
struct PoolState;
}  // namespace internal

// One item, as its body sees it.
class WorkItem {
 public:
  size_t index = 0;  // 0..count-1
  // The worker's slot, 0..jobs-1: an index into per-thread state (one model
  // copy per worker). A thread that replaces an abandoned one takes over its
  // slot while the stuck body may still use that state, so a tool that
  // abandons items keeps such state in a pool of its own.
  int worker = 0;
  // Set by ParallelTick::Cancel(); never null; lives as long as any thread
  // that may read it.
  const std::atomic<bool>* cancel = nullptr;

  // Runs `store` under the pool's lock, unless the item was abandoned;
  // returns whether it ran.
  bool Commit(const std::function<void()>& store) const;

 private:
  friend struct internal::PoolState;
  internal::PoolState* pool_ = nullptr;
};

// What `on_tick` sees and may do; valid during the call only.
class ParallelTick {
 public:
  struct Running {
    size_t index;    // the item
    double seconds;  // since its body started
  };

  size_t count() const;  // all items
  size_t done() const;   // finished or abandoned
  // The items whose bodies run now (abandoned ones left out), by index.
  std::vector<Running> running() const;
  // Sets item `index`'s cancel flag.
  void Cancel(size_t index);
  // Stops waiting for running item `index` (see above); no-op when it is
  // not running.
  void Abandon(size_t index);

 private:
  friend struct internal::PoolState;
  explicit ParallelTick(internal::PoolState* pool) : pool_(pool) {}
  internal::PoolState* pool_;
};

struct ParallelForOptions {
  int jobs = 1;  // threads; at least 1, at most `count` are used
  std::chrono::milliseconds tick{100};
  // May be empty. Runs under the pool's lock (keep it short).
  std::function<void(ParallelTick&)> on_tick;
};

// See the top of this file. Returns the number of abandoned items.
size_t ParallelFor(size_t count, const ParallelForOptions& options,
                   std::function<void(const WorkItem&)> body);

}  // namespace flashsynth::io

#endif  // FLASHSYNTH_IO_PARALLEL_H_
