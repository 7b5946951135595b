#include "io/parallel.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace flashsynth::io {
namespace internal {

using Clock = std::chrono::steady_clock;

// Shared by the calling thread and every worker, stuck ones included (each
// holds a shared_ptr): it outlives ParallelFor() when an item is abandoned.
struct PoolState : std::enable_shared_from_this<PoolState> {
  struct Slot {
    std::optional<size_t> item;  // the item its body runs now
    Clock::time_point started;
  };

  PoolState(size_t n, std::function<void(const WorkItem&)> f)
      : count(n), body(std::move(f)), cancel(new std::atomic<bool>[n]), abandoned(n, false) {
    for (size_t i = 0; i < n; ++i) cancel[i] = false;
  }

  const size_t count;
  const std::function<void(const WorkItem&)> body;
  const std::unique_ptr<std::atomic<bool>[]> cancel;
  std::atomic<size_t> next{0};

  std::mutex mu;
  std::condition_variable changed;
  std::vector<Slot> slots;        // guarded by mu
  std::vector<bool> abandoned;    // guarded by mu
  size_t done = 0;                // guarded by mu
  size_t abandoned_count = 0;     // guarded by mu
  std::vector<std::thread> threads;  // by slot; the calling thread's only

  // A worker: takes items until none is left, or until its item is
  // abandoned (a replacement then holds its slot).
  static void Work(std::shared_ptr<PoolState> pool, int slot) {
    for (size_t i; (i = pool->next.fetch_add(1)) < pool->count;) {
      {
        std::lock_guard<std::mutex> lock(pool->mu);
        pool->slots[slot] = Slot{i, Clock::now()};
      }
      WorkItem item;
      item.index = i;
      item.worker = slot;
      item.cancel = &pool->cancel[i];
      item.pool_ = pool.get();
      pool->body(item);
      std::lock_guard<std::mutex> lock(pool->mu);
      if (pool->abandoned[i]) return;
      pool->slots[slot].item.reset();
      ++pool->done;
      pool->changed.notify_all();
    }
  }

  bool Commit(size_t index, const std::function<void()>& store) {
    std::lock_guard<std::mutex> lock(mu);
    if (abandoned[index]) return false;
    store();
    return true;
  }

  // With `mu` held, on the calling thread.
  void Abandon(size_t index) {
    for (size_t slot = 0; slot < slots.size(); ++slot) {
      if (slots[slot].item != index || abandoned[index]) continue;
      abandoned[index] = true;
      ++abandoned_count;
      ++done;
      slots[slot].item.reset();
      threads[slot].detach();
      threads[slot] = std::thread(Work, shared_from_this(), static_cast<int>(slot));
      return;
    }
  }

  void Tick(const std::function<void(ParallelTick&)>& on_tick) {
    ParallelTick tick(this);
    on_tick(tick);
  }

  // The calling thread's part when it watches: ticks until every item is
  // done, then joins the workers that are left.
  void Watch(int jobs, const ParallelForOptions& options) {
    for (int slot = 0; slot < jobs; ++slot) threads.emplace_back(Work, shared_from_this(), slot);
    {
      std::unique_lock<std::mutex> lock(mu);
      for (bool last = false; !last;) {
        if (done < count) changed.wait_for(lock, options.tick);
        last = done >= count;  // the last tick sees every item done
        Tick(options.on_tick);
      }
    }
    for (std::thread& t : threads) t.join();
  }
};

}  // namespace internal

bool WorkItem::Commit(const std::function<void()>& store) const {
  return pool_->Commit(index, store);
}

size_t ParallelTick::count() const { return pool_->count; }

size_t ParallelTick::done() const { return pool_->done; }

std::vector<ParallelTick::Running> ParallelTick::running() const {
  std::vector<Running> out;
  const auto now = internal::Clock::now();
  for (const internal::PoolState::Slot& s : pool_->slots) {
    if (!s.item) continue;
    out.push_back({*s.item, std::chrono::duration<double>(now - s.started).count()});
  }
  std::sort(out.begin(), out.end(),
            [](const Running& a, const Running& b) { return a.index < b.index; });
  return out;
}

void ParallelTick::Cancel(size_t index) {
  if (index < pool_->count) pool_->cancel[index] = true;
}

void ParallelTick::Abandon(size_t index) { pool_->Abandon(index); }

size_t ParallelFor(size_t count, const ParallelForOptions& options,
                   std::function<void(const WorkItem&)> body) {
  auto pool = std::make_shared<internal::PoolState>(count, std::move(body));
  const int jobs = static_cast<int>(
      std::clamp<size_t>(static_cast<size_t>(std::max(options.jobs, 1)), 1, std::max<size_t>(count, 1)));
  pool->slots.resize(static_cast<size_t>(jobs));
  if (options.on_tick) {
    pool->Watch(jobs, options);
    std::lock_guard<std::mutex> lock(pool->mu);
    return pool->abandoned_count;
  }
  std::vector<std::thread> threads;
  for (int slot = 1; slot < jobs; ++slot) {
    threads.emplace_back(internal::PoolState::Work, pool, slot);
  }
  internal::PoolState::Work(pool, 0);
  for (std::thread& t : threads) t.join();
  return 0;
}

}  // namespace flashsynth::io
