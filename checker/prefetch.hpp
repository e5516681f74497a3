#pragma once
// A hint to start loading a cache line that is read soon.
//
// Why not __builtin_prefetch alone: GCC 12's dead-code elimination drops a __builtin_prefetch
// that sits under a condition when its address is loaded from memory (found in the Release
// binary: the exact store's prefetch_slot and prefetch_state compiled to nothing). An asm
// statement marked volatile is kept where it is written.
namespace alertflow::checker::detail {

inline void prefetch(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 (%0)" : : "r"(p));
#else
    __builtin_prefetch(p);
#endif
}

}  // namespace alertflow::checker::detail
