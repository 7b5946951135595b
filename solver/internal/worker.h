// solver/internal/worker.h: Z3 work that returns by its deadline.
//
// Some of Z3 4.8.12's preprocessing never looks at its timeout or at
// interrupts (measured: an smt check given 3.8 s ran for 35 s, and the
// default solver spent 47 s inside add()). RunBefore() therefore runs the
// work on a worker thread; the caller waits until the deadline, interrupts
// the worker's context, waits kInterruptGrace more, and then returns
// kDeadlineExceeded, leaving the worker to finish (and delete its context)
// in the background.
#ifndef FLASHSYNTH_SOLVER_INTERNAL_WORKER_H_
#define FLASHSYNTH_SOLVER_INTERNAL_WORKER_H_

#include <z3++.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "solver/internal/strings.h"

namespace flashsynth::solver::internal {

// How long past its deadline an interrupted worker may take to answer.
inline constexpr absl::Duration kInterruptGrace = absl::Milliseconds(250);

// The process waits at exit for every worker counted here: a worker cut off
// by exit would crash inside Z3.
void WorkerStarted();
void WorkerFinished();

// What a worker shares with its caller.
template <typename T>
struct WorkerJob {
  std::mutex mu;
  std::condition_variable finished;
  bool done = false;
  absl::StatusOr<T> result;
  z3::context* ctx = nullptr;  // set while the worker's context is alive
};

// RunBefore()
//
// Runs body(ctx) through RunInFreshContext on a worker thread and returns
// its result if it comes by `end`, or by `end` + kInterruptGrace once the
// context has been interrupted (an error then, Z3's "canceled" among them,
// reads as kDeadlineExceeded). `body` is moved to the worker and may outlive
// the call: it must own (capture by value) everything it reads.
template <typename T, typename Body>
absl::StatusOr<T> RunBefore(absl::Time end, Body body) {
  auto job = std::make_shared<WorkerJob<T>>();
  WorkerStarted();
  std::thread([job, body = std::move(body)]() mutable {
    absl::StatusOr<T> result = RunInFreshContext<T>([&](z3::context& ctx) -> absl::StatusOr<T> {
      {
        std::lock_guard<std::mutex> lock(job->mu);
        job->ctx = &ctx;
      }
      absl::StatusOr<T> r = body(ctx);
      std::lock_guard<std::mutex> lock(job->mu);
      job->ctx = nullptr;
      return r;
    });
    {
      std::lock_guard<std::mutex> lock(job->mu);
      job->result = std::move(result);
      job->done = true;
    }
    job->finished.notify_all();
    WorkerFinished();
  }).detach();

  std::unique_lock<std::mutex> lock(job->mu);
  const auto done = [&] { return job->done; };
  if (job->finished.wait_until(lock, absl::ToChronoTime(end), done)) return job->result;
  if (job->ctx != nullptr) job->ctx->interrupt();
  if (job->finished.wait_for(lock, absl::ToChronoNanoseconds(kInterruptGrace), done) &&
      job->result.ok()) {
    return job->result;
  }
  return absl::DeadlineExceededError("the budget ran out (Z3 was interrupted)");
}

}  // namespace flashsynth::solver::internal

#endif  // FLASHSYNTH_SOLVER_INTERNAL_WORKER_H_
