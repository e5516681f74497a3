#pragma once
// The barrier between the search's phases, which the threads cross three times per batch of
// states. std::barrier puts a waiting thread to sleep almost at once, and waking it again (a
// futex, and on a virtual machine an idle virtual CPU woken by its host) costs tens of
// microseconds, several times a millisecond: a waiter here spins first, for a bounded time (the
// ends of most phases are that close together), and only then sleeps. Not when the process may
// use fewer CPUs than it has threads (taskset, a cpuset): a spinning thread would then keep the
// one it waits for from running.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

namespace alertflow::checker::detail {

// The CPUs this process may run on (0 when unknown).
inline unsigned usable_cpus() {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return static_cast<unsigned>(CPU_COUNT(&set));
#endif
    return std::thread::hardware_concurrency();
}

class alignas(64) SpinningBarrier {  // aligned: what follows it is off crossing_'s line
public:
    explicit SpinningBarrier(unsigned threads) : threads_(threads), spins_(threads <= usable_cpus()) {}

    // Returns once every thread has arrived at this crossing; what each thread wrote before it
    // arrived is visible to every thread after.
    void arrive_and_wait() {
        const std::uint32_t crossing = crossing_.load(std::memory_order_acquire);
        if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads_) {
            arrived_.store(0, std::memory_order_relaxed);  // before anyone can arrive at the next crossing
            crossing_.store(crossing + 1, std::memory_order_release);
            crossing_.notify_all();
            return;
        }
        if (spins_ && spin_until_crossed(crossing)) return;
        while (crossing_.load(std::memory_order_acquire) == crossing) crossing_.wait(crossing, std::memory_order_acquire);
    }

private:
    // Two threads to 10 M states kept 1.87 to 1.88 cores busy with 200 us, 1.88 to 1.90 with
    // 2 ms, 1.78 to 1.84 with std::barrier; the shorter bound wastes less where CPUs are shared.
    static constexpr auto spin_for = std::chrono::microseconds(200);

    bool spin_until_crossed(std::uint32_t crossing) const {
        const auto until = std::chrono::steady_clock::now() + spin_for;
        for (;;) {
            for (int i = 0; i < 64; ++i) {
                if (crossing_.load(std::memory_order_acquire) != crossing) return true;
                pause();
            }
            if (std::chrono::steady_clock::now() > until) return false;
        }
    }
    static void pause() {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }

    const unsigned threads_;
    const bool spins_;
    alignas(64) std::atomic<unsigned> arrived_{0};  // lines of their own: the waiters read crossing_ in a loop
    alignas(64) std::atomic<std::uint32_t> crossing_{0};
};

}  // namespace alertflow::checker::detail
